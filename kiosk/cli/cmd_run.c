/**
 * @file cmd_run.c
 * @brief `kiosk run [--windowed] [--size WxH] [--headless] [--exit-after SEC]
 * [--script FILE] [--lang th|en] [--large] [--idle SEC] [--bench N]`: the lobby
 * kiosk loop, starting on the attract screen.
 *
 * It opens the store in the data folder and starts the printer worker (ui/ticketing.h)
 * so the ticket screen issues and prints without waiting.
 *
 * --exit-after 0 quits after the first complete frame (start-up checks, benches);
 * --bench N redraws N frames and prints their timing to stderr.
 * The ID card reader is watched from the start (ui/card_glue.h); --trace prints its
 * events to stderr, without personal data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ui_args.h"
#include "ui/app.h"
#include "ui/card_glue.h"
#include "ui/ticketing.h"

#define RUN_USAGE                                                                           \
	"run [--windowed] [--size WxH] [--headless] [--exit-after SEC] [--script FILE] "    \
	"[--lang th|en] [--large] [--idle SEC] [--countdown SEC] [--trace]"

int cmd_run(struct cli *c, int argc, char **argv)
{
	struct ui_opts o = {.exit_after = -1, .idle_home_s = UI_IDLE_HOME_S,
			    .idle_countdown_s = UI_IDLE_COUNTDOWN_S};
	struct ui_app *a = NULL;
	struct ticketing *tk = NULL;
	struct card_glue *card = NULL;
	int idle_given = 0, trace = 0;
	kst rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_ui_arg(&o, argc, argv, &i);
		if (r < 0)
			return K_EUSAGE;
		if (r)
			continue;
		if ((!strcmp(argv[i], "--idle") || !strcmp(argv[i], "--bench") ||
		     !strcmp(argv[i], "--countdown")) && i + 1 < argc) {
			char *end;
			long v = strtol(argv[i + 1], &end, 10);
			if (*end || v < 0 || v > 1000000 || (argv[i][2] == 'c' && v < 1))
				return cli_usage(RUN_USAGE);
			*(argv[i][2] == 'i' ? &o.idle_home_s
			  : argv[i][2] == 'c' ? &o.idle_countdown_s : &o.bench_frames) = (int)v;
			idle_given |= argv[i][2] == 'i' ? 1 : argv[i][2] == 'c' ? 2 : 0;
			i++;
		} else if (!strcmp(argv[i], "--trace")) {
			trace = 1;
		} else {
			return cli_usage(RUN_USAGE);
		}
	}
	rc = cli_ui_config(c, &o, idle_given);
	if (rc)
		return cli_fail(c, rc);
	/* The ticket desk: the store is opened once, before the window, so a data
	 * folder that cannot be used stops the start with its reason. */
	rc = ticketing_open(c->cfg, c->data_dir, &tk, &c->err);
	if (rc)
		return cli_fail(c, rc);
	o.tk = tk;
	rc = ui_app_new(&o, &a, &c->err);
	if (!rc)
		rc = ticketing_start_printer(tk, a, &c->err);
	if (!rc)
		rc = kiosk_card_start(a, c->cfg, trace ? CARD_GLUE_TRACE : 0, &card, &c->err);
	if (!rc)
		rc = ui_app_reset(a, "attract", NULL);
	if (!rc)
		rc = ui_app_run(a, &c->err);
	kiosk_card_stop(card);      /* the watcher posts to the app: stop it first */
	ticketing_stop_printer(tk); /* its thread posts to the app: stop it first */
	ui_app_free(a);
	ticketing_close(tk);
	if (rc && c->err.msg[0])
		return cli_fail(c, rc);
	return rc;
}
