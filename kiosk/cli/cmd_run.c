/**
 * @file cmd_run.c
 * @brief `kiosk run [--windowed] [--size WxH] [--headless] [--exit-after SEC]
 * [--script FILE] [--lang th|en] [--large] [--idle SEC] [--bench N]`: the lobby
 * kiosk loop, starting on the attract screen.
 *
 * It opens the store in the data folder and starts the printer worker (ui/ticketing.h)
 * so the ticket screen issues and prints without waiting, the counter API
 * ([api] bind/port, as `kiosk serve`) and the ratings upload worker
 * (dev/uploader.h). Neither of the last two can stop the kiosk from starting: a
 * port in use or an upload that is not configured is one warning line on stderr
 * and a line on the admin screen. --no-api and --no-upload leave them off
 * (tests, a second kiosk on the same machine). All three stop before exit.
 * --api-port N serves on N instead of [api] port; 0 lets the kernel pick a free
 * port, so a test or a second kiosk never collides with a port already taken.
 *
 * --exit-after 0 quits after the first complete frame (start-up checks, benches);
 * --bench N redraws N frames and prints their timing to stderr.
 * The ID card reader is watched from the start (ui/card_glue.h); --trace prints its
 * events to stderr, without personal data, and the counter API's address
 * ("serving http://HOST:PORT/", the line `kiosk serve` prints) once it listens.
 * With [public] port set it also starts the public listener (net/public.h, as `kiosk
 * serve --public`), on its own address and port; a failure there is a warning too.
 * --no-public leaves it off, --public-port N overrides the port (0: the kernel picks;
 * --trace prints "public: serving http://HOST:PORT/").
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ui_args.h"
#include "dev/svc.h"
#include "core/config.h"
#include "dev/relay.h"
#include "dev/uploader.h"
#include "net/api.h"
#include "net/public.h"
#include "ui/app.h"
#include "ui/screens/screens.h"
#include "ui/script.h"
#include "ui/card_glue.h"
#include "ui/ticketing.h"

#define NOTE_MAX (KERR_MSG_MAX + 64) /* a line for the admin screen */

/* The counter API beside the kiosk; a failure is a warning, never fatal.
 * port < 0: [api] port. */
static struct kapi *start_api(struct cli *c, struct ui_opts *o, int port, int trace,
			      char note[NOTE_MAX])
{
	struct kapi *api = NULL;
	struct kerr err = {0};
	struct kapi_conf conf = {.cfg = c->cfg, .data_dir = c->data_dir, .bind = c->cfg->api_bind,
				 .port = port >= 0 ? port : c->cfg->api_port};
	signal(SIGPIPE, SIG_IGN); /* a counter page that goes away mid-reply */
	if (kapi_start(&conf, &api, &err)) {
		fprintf(stderr, "kiosk: warning: counter API not started on %s:%d: %s (the kiosk runs without it)\n",
			conf.bind, conf.port, err.msg);
		snprintf(note, NOTE_MAX, "ไม่ได้เปิด / not serving: %s", err.msg);
		return NULL;
	}
	o->api_port = kapi_port(api);
	if (trace)
		fprintf(stderr, "serving http://%s:%d/\n", conf.bind, o->api_port);
	return api;
}

/* The public listener beside the kiosk when [public] port (or --public-port) is set; a
 * failure is one warning line, never a kiosk that does not start. */
static struct kpublic *start_public(struct cli *c, int port, int trace)
{
	struct kpublic *pub = NULL;
	struct kerr err = {0};
	struct kpublic_conf conf = {.cfg = c->cfg, .data_dir = c->data_dir,
				    .bind = c->cfg->public_bind,
				    .port = port >= 0 ? port : c->cfg->public_port};
	if (port < 0 && !c->cfg->public_port)
		return NULL;
	if (kpublic_start(&conf, &pub, &err)) {
		fprintf(stderr, "kiosk: warning: public pages not started on %s:%d: %s (the kiosk runs without them)\n",
			conf.bind, conf.port, err.msg);
		return NULL;
	}
	if (trace)
		fprintf(stderr, "public: serving http://%s:%d/\n", conf.bind, kpublic_port(pub));
	return pub;
}

/* The upload worker; without a server URL the admin screen says "not configured". */
static struct upl_worker *start_upload(struct cli *c, char note[NOTE_MAX])
{
	struct upl_worker *w = NULL;
	struct kerr err = {0};
	if (!c->cfg->server_url[0]) {
		snprintf(note, NOTE_MAX, "ยังไม่ได้ตั้งค่า / not configured ([server] url)");
		return NULL;
	}
	if (upl_worker_start(&w, c->cfg, c->data_dir, NULL, &err)) {
		fprintf(stderr, "kiosk: warning: ratings upload not started: %s (ratings wait in the outbox)\n",
			err.msg);
		snprintf(note, NOTE_MAX, "ไม่ได้ทำงาน / not running: %s", err.msg);
		return NULL;
	}
	return w;
}

/* [public] relay = true: the queue snapshot pusher beside the upload worker, on its own
 * thread (a stalled collector never delays a rating). A failure to start is a warning. */
static struct relay *start_relay(struct cli *c)
{
	struct relay *r = NULL;
	struct kerr err = {0};
	if (!c->cfg->public_relay)
		return NULL;
	if (relay_start(&r, c->cfg, c->data_dir, NULL, &err))
		fprintf(stderr, "kiosk: warning: ticket page relay not started: %s (phones on the "
				"office's own network are not affected)\n",
			err.msg);
	return r;
}

#define RUN_USAGE                                                                           \
	"run [--windowed] [--size WxH] [--headless] [--exit-after SEC] [--script FILE] "    \
	"[--lang th|en] [--large] [--idle SEC] [--countdown SEC] [--no-api] [--api-port N] " \
	"[--no-upload] [--no-public] [--public-port N] [--trace]"

int cmd_run(struct cli *c, int argc, char **argv)
{
	struct ui_opts o = {.exit_after = -1, .idle_home_s = UI_IDLE_HOME_S,
			    .idle_countdown_s = UI_IDLE_COUNTDOWN_S};
	struct ui_app *a = NULL;
	struct ticketing *tk = NULL;
	struct kapi *api = NULL;
	struct kpublic *pub = NULL;
	struct upl_worker *upl = NULL;
	struct relay *rly = NULL;
	static char api_note[NOTE_MAX], upl_note[NOTE_MAX];
	struct card_glue *card = NULL;
	int idle_given = 0, no_api = 0, no_upload = 0, trace = 0, api_port = -1;
	int no_public = 0, public_port = -1;
	kst rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_ui_arg(&o, argc, argv, &i);
		if (r < 0)
			return K_EUSAGE;
		if (r)
			continue;
		if (!strcmp(argv[i], "--no-api")) {
			no_api = 1;
		} else if (!strcmp(argv[i], "--no-upload")) {
			no_upload = 1;
		} else if ((!strcmp(argv[i], "--idle") || !strcmp(argv[i], "--bench") ||
		     !strcmp(argv[i], "--countdown")) && i + 1 < argc) {
			char *end;
			long v = strtol(argv[i + 1], &end, 10);
			if (*end || v < 0 || v > 1000000 || (argv[i][2] == 'c' && v < 1))
				return cli_usage(RUN_USAGE);
			*(argv[i][2] == 'i' ? &o.idle_home_s
			  : argv[i][2] == 'c' ? &o.idle_countdown_s : &o.bench_frames) = (int)v;
			idle_given |= argv[i][2] == 'i' ? 1 : argv[i][2] == 'c' ? 2 : 0;
			i++;
		} else if (!strcmp(argv[i], "--no-public")) {
			no_public = 1;
		} else if (!strcmp(argv[i], "--public-port") && i + 1 < argc) {
			if (cli_parse_int(argv[i + 1], 0, 65535, &public_port))
				return cli_usage(RUN_USAGE);
			i++;
		} else if (!strcmp(argv[i], "--api-port") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[i + 1], &end, 10);
			if (!*argv[i + 1] || *end || v < 0 || v > 65535)
				return cli_usage(RUN_USAGE);
			api_port = (int)v;
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
	if (no_api)
		snprintf(api_note, sizeof api_note, "ไม่ได้เปิด / off (--no-api)");
	else
		api = start_api(c, &o, api_port, trace, api_note);
	if (!no_public)
		pub = start_public(c, public_port, trace);
	if (no_upload)
		snprintf(upl_note, sizeof upl_note, "ปิดไว้ / off (--no-upload)");
	else
		upl = start_upload(c, upl_note);
	if (!no_upload)
		rly = start_relay(c);
	o.api_note = api_note;
	o.upl = upl;
	o.upl_kick = upl_worker_kick;
	o.upl_status = upl_worker_status;
	o.upl_note = upl_note;
	o.screens = ui_screens;
	o.trace_first = trace;
	o.svc_ready = svc_ready;
	o.svc_watchdog = svc_watchdog;
	o.svc_watchdog_ms = svc_watchdog_ms;
	rc = ui_app_new(&o, &a, &c->err);
	if (!rc && o.script)
		rc = ui_script_attach(a, o.script, &c->err);
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
	relay_stop(rly);
	upl_worker_stop(upl);
	if (api)
		kapi_stop(api);
	kpublic_stop(pub);
	ticketing_close(tk);
	if (rc && c->err.msg[0])
		return cli_fail(c, rc);
	return rc;
}
