/**
 * @file ui_args.c
 * @brief Parsing of the UI options shared by run, shot and display.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ui_args.h"
#include "core/config.h"

static const char *value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "kiosk: %s needs a value\n", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int cli_ui_arg(struct ui_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;
	char *end;

	if (!strcmp(a, "--windowed")) {
		o->windowed = 1;
	} else if (!strcmp(a, "--headless")) {
		o->headless = 1;
	} else if (!strcmp(a, "--large")) {
		o->large = 1;
	} else if (!strcmp(a, "--size")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		long w = strtol(v, &end, 10), h = 0;
		if (*end == 'x' || *end == 'X')
			h = strtol(end + 1, &end, 10);
		if (*end || w < 200 || h < 200 || w > 8192 || h > 8192) {
			fprintf(stderr, "kiosk: --size %s: want WxH, e.g. 1080x1920 (200..8192)\n", v);
			return -1;
		}
		o->w = (int)w, o->h = (int)h;
	} else if (!strcmp(a, "--lang")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		if (strcmp(v, "th") && strcmp(v, "en")) {
			fprintf(stderr, "kiosk: --lang %s: th or en\n", v);
			return -1;
		}
		o->lang = v[0] == 'e' ? UI_EN : UI_TH;
		o->lang_given = 1;
	} else if (!strcmp(a, "--exit-after")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		double s = strtod(v, &end);
		if (*end || s < 0 || s > 1e7) {
			fprintf(stderr, "kiosk: --exit-after %s: seconds >= 0\n", v);
			return -1;
		}
		o->exit_after = s;
	} else if (!strcmp(a, "--script")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		o->script = v;
	} else {
		return 0;
	}
	return 1;
}

kst cli_ui_config(struct cli *c, struct ui_opts *o, int idle_given)
{
	kst rc = cli_load_config(c);
	if (rc)
		return rc;
	o->cfg = c->cfg;
	if (!o->lang_given)
		o->lang = !strcmp(c->cfg->language, "en") ? UI_EN : UI_TH;
	/* Command-line --idle/--countdown (tests, demos) win over the config. */
	if (!(idle_given & 1))
		o->idle_home_s = c->cfg->idle_seconds;
	if (!(idle_given & 2))
		o->idle_countdown_s = c->cfg->idle_countdown_seconds;
	return K_OK;
}
