/**
 * @file cli_lite.c
 * @brief Stand-ins linked into the light `kiosk` binary instead of cmd_ticket_paper.c.
 *
 * cmd_ticket hands a command line that wants paper to kiosk-ui before anything is
 * issued, so these are never reached; they exist so that the light binary links
 * without the text engine and its libraries (SDL2, SDL2_ttf, libthai, libpng).
 */
#include "cli/cli.h"

kst cli_ticket_paper_init(struct cli *c)
{
	return kerr_set(&c->err, K_EFAIL, "the paper ticket is drawn by " CLI_UI_BINARY);
}

void cli_ticket_paper_quit(void)
{
}

kst cli_ticket_paper(struct cli *c, const struct kticket_out *out, const struct ticket_outputs *to,
		     const struct printer_target *pt, struct ticket_layout *lay, kst *print_rc,
		     enum printer_status *print_st, struct kerr *perr)
{
	return kerr_set(&c->err, K_EFAIL, "the paper ticket is drawn by " CLI_UI_BINARY);
}
