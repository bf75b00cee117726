/**
 * @file cmd_ticket_paper.c
 * @brief `kiosk ticket --png/--escpos/--print`: the ticket on paper.
 *
 * Its own file because it needs the text engine (SDL_ttf, libthai): only kiosk-ui
 * links it; the light `kiosk` hands such a command line over (cli_handover) and
 * links cli_lite.c's stand-ins instead. The ticket is already issued when this
 * runs: a printer fault changes the exit code and the JSON, never the number the
 * citizen got.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/ticket.h"
#include "dev/bitmap_png.h"
#include "text/text.h"
#include "paper/ticket_render.h"
#include "ui/ticketing.h"

static kst write_bytes(const char *path, const uint8_t *b, size_t n, struct kerr *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	size_t w = fwrite(b, 1, n, f);
	int bad = ferror(f);
	if (fclose(f) || bad || w != n)
		return kerr_set(err, K_EFAIL, "%s: write failed", path);
	return K_OK;
}

kst cli_ticket_paper_init(struct cli *c)
{
	return text_init(&c->err);
}

void cli_ticket_paper_quit(void)
{
	text_quit();
}

kst cli_ticket_paper(struct cli *c, const struct kticket_out *out, const struct ticket_outputs *to,
		     const struct printer_target *pt, struct ticket_layout *lay, kst *print_rc,
		     enum printer_status *print_st, struct kerr *perr)
{
	const struct kconfig *cfg = c->cfg;
	struct ticket_info ti = {cfg, kcatalog_find(&cfg->catalog, out->is.t.service), &out->is,
				 out->qr};
	struct bitmap bm;
	uint8_t *buf = NULL;
	size_t len = 0;
	kst rc = ticket_render(&ti, cfg->paper_dots, &bm, lay, &c->err);
	if (rc)
		return rc;
	if (to->png && (rc = bitmap_png_write(&bm, to->png, &c->err)))
		goto out;
	if ((to->escpos || to->print) &&
	    (rc = ticket_escpos(&bm, cfg->paper_dots, &buf, &len, &c->err)))
		goto out;
	if (to->escpos && (rc = write_bytes(to->escpos, buf, len, &c->err)))
		goto out;
	if (to->print) {
		struct printer_opts po;
		ticketing_printer_opts(cfg, &po);
		*print_rc = printer_send(pt, &po, buf, len, print_st, perr);
	}
out:
	free(buf);
	bitmap_free(&bm);
	return rc;
}
