/**
 * @file cmd_display.c
 * @brief `kiosk display [--windowed] [--size WxH] [--headless] [--exit-after SEC]
 * [--source URL] [--voice DIR] [--mute] [--trace]`: the queue board for the lobby TV.
 *
 * Local by default (reads the appliance's database); with --source (or
 * KIOSK_SOURCE) it follows a `kiosk serve` on another machine and recovers by
 * itself when that goes away and comes back. 1920x1080 landscape by default.
 *
 * --trace prints one stdout line per event ("state connected|lost", "update MS event N",
 * "frame MS event N serving A001:3 ...", "announce A001 3"); MS is CLOCK_MONOTONIC in
 * milliseconds (the clock every process on the machine shares, never wall time), so a
 * test can subtract it from its own monotonic reading of when it made a call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ui_args.h"
#include "dev/svc.h"
#include "net/feed.h"
#include "ui/app.h"
#include "ui/script.h"
#include "ui/screens/screens.h"

#define DISPLAY_USAGE                                                                       \
	"display [--windowed] [--size WxH] [--headless] [--exit-after SEC] [--source URL] "  \
	"[--voice DIR] [--mute] [--trace] [--script FILE]"

int cmd_display(struct cli *c, int argc, char **argv)
{
	struct ui_opts o = {.exit_after = -1};
	struct scr_display_opts d = {.data_dir = c->data_dir, .feed_local = feed_start_local,
				     .feed_remote = feed_start_remote, .feed_stop = feed_stop};
	const char *source = getenv("KIOSK_SOURCE");
	struct ui_app *a = NULL;
	kst rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_ui_arg(&o, argc, argv, &i);
		if (r < 0)
			return K_EUSAGE;
		if (r)
			continue;
		if ((!strcmp(argv[i], "--source") || !strcmp(argv[i], "--voice")) && i + 1 < argc) {
			*(argv[i][2] == 's' ? &source : &d.voice_dir) = argv[i + 1];
			i++;
		} else if (!strcmp(argv[i], "--mute")) {
			d.mute = 1;
		} else if (!strcmp(argv[i], "--trace")) {
			d.trace = 1;
		} else {
			return cli_usage(DISPLAY_USAGE);
		}
	}
	if (source && !*source)
		source = NULL;
	if (source && strncmp(source, "http://", 7) && strncmp(source, "https://", 8)) {
		fprintf(stderr, "kiosk: --source %s: give the kiosk's address, e.g. http://192.168.1.20:8088\n",
			source);
		return K_EUSAGE;
	}
	if (!o.w) {
		o.w = 1920;
		o.h = 1080;
	}
	rc = cli_ui_config(c, &o, 1);
	if (rc)
		return cli_fail(c, rc);
	o.idle_home_s = 0; /* nobody touches the board */
	if (d.trace)
		setvbuf(stdout, NULL, _IOLBF, 0);
	scr_display_config(&d);
	o.screens = ui_screens;
	o.trace_first = d.trace;
	o.svc_ready = svc_ready;
	o.svc_watchdog = svc_watchdog;
	o.svc_watchdog_ms = svc_watchdog_ms;
	rc = ui_app_new(&o, &a, &c->err);
	if (!rc && o.script)
		rc = ui_script_attach(a, o.script, &c->err);
	if (!rc)
		rc = ui_app_reset(a, "display", source);
	if (!rc)
		rc = ui_app_run(a, &c->err);
	ui_app_free(a);
	if (rc && c->err.msg[0])
		return cli_fail(c, rc);
	return rc;
}
