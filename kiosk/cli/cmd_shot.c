/**
 * @file cmd_shot.c
 * @brief `kiosk shot --screen NAME [--service ID] [--lang th|en] [--size WxH] [--large]
 * --out FILE.png`: renders one screen off-screen to PNG, no display needed.
 * With --json, also lists every string drawn with its box, so tests can check that
 * each text fits its box and the box the screen.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ui_args.h"
#include "ui/app.h"
#include "ui/screens/screens.h"

#define SHOT_USAGE "shot --screen NAME [--service ID] [--lang th|en] [--size WxH] [--large] --out FILE.png"

static json_t *rect(SDL_Rect r)
{
	return json_pack("[iiii]", r.x, r.y, r.w, r.h);
}

int cmd_shot(struct cli *c, int argc, char **argv)
{
	struct ui_opts o = {.exit_after = 0};
	const char *screen = NULL, *out = NULL, *arg = NULL;
	struct ui_app *a = NULL;
	kst rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_ui_arg(&o, argc, argv, &i);
		if (r < 0)
			return K_EUSAGE;
		if (r)
			continue;
		if ((!strcmp(argv[i], "--screen") || !strcmp(argv[i], "--out") ||
		     !strcmp(argv[i], "--service")) && i + 1 < argc) {
			const char **dst = argv[i][2] == 's' ? (argv[i][3] == 'c' ? &screen : &arg) : &out;
			*dst = argv[++i];
		} else {
			return cli_usage(SHOT_USAGE);
		}
	}
	if (!screen || !out)
		return cli_usage(SHOT_USAGE);
	if (!ui_screen_find(screen)) {
		fprintf(stderr, "kiosk: no screen '%s'; screens:", screen);
		for (const char *const *n = ui_screen_names(); *n; n++)
			fprintf(stderr, " %s", *n);
		fprintf(stderr, "\n");
		return K_EUSAGE;
	}
	if (!strcmp(screen, "display") && !o.w) {
		o.w = 1920; /* the board is a landscape TV */
		o.h = 1080;
	}
	o.headless = 1;
	o.windowed = 0;
	o.script = NULL;
	o.screens = ui_screens;
	o.data_dir = c->data_dir; /* admin: the figures and PIN state of this folder */
	rc = cli_ui_config(c, &o, 1);
	if (rc)
		return cli_fail(c, rc);
	/* The board shows the local queue as it is now, silently. */
	scr_display_config(&(struct scr_display_opts){.data_dir = c->data_dir, .mute = 1, .no_feed = 1});
	rc = ui_app_new(&o, &a, &c->err);
	if (!rc)
		rc = ui_app_reset(a, screen, arg);
	if (!rc)
		rc = ui_app_save_png(a, out, &c->err);
	if (rc) {
		if (!c->err.msg[0])
			kerr_set(&c->err, rc, "screen %s: cannot show %s%s%s", screen,
				 arg ? "'" : "it", arg ? arg : "", arg ? "' (not in the catalogue?)" : "");
		ui_app_free(a);
		return cli_fail(c, rc);
	}
	if (c->json) {
		int n;
		const struct text_drawn *d = ui_app_drawn(a, &n);
		json_t *texts = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(
				texts, json_pack("{s:s,s:o,s:o,s:o,s:b,s:b,s:b}", "text", d[i].text, "box",
						 rect(d[i].box), "ink", rect(d[i].ink), "visible",
						 rect(d[i].clip), "overflow", d[i].overflow, "truncated",
						 d[i].truncated, "hidden", d[i].hidden));
		cli_print_json(c, json_pack("{s:s,s:s,s:i,s:i,s:o}", "out", out, "screen", screen, "w",
					    ui_w(a), "h", ui_h(a), "texts", texts));
	}
	ui_app_free(a);
	return K_OK;
}
