/**
 * @file script.c
 * @brief The --script replayer: drives the real UI the way a visitor would, for
 * tests, demos and training videos.
 *
 *   # comment
 *   wait 500                 ms before the next line
 *   tap 540 960              finger down and up at a point
 *   tap-text "EN"            tap the button whose label is this text
 *   drag 540 1500 540 700    finger down, slide, up (scroll views)
 *   key RETURN               a key (SDL key name)
 *   text "1234"              typed text
 *   card insert PROFILE      the card layer's hook (or UI_EV_CARD to the screen)
 *   card remove
 *   shot out.png             save the current frame
 *   assert-text "..."        a string containing this is visible on screen
 *   assert-no-text "..."     no visible string contains it
 *   assert-screen NAME       the current screen
 *   assert-fits              every visible string fits its box (no overflow, no ellipsis)
 *   wait-text "..." [MS]     until such a string is visible (default 5000 ms, then fail):
 *   wait-screen NAME [MS]    for what another thread brings (card reader, printer)
 *   push NAME [ARG]          open a screen directly (demos, tests)
 *   exit [CODE]
 *
 * Every line but wait first brings the frame up to date, so what it looks at is
 * what a visitor would see. A failed line stops the run with "FILE:LINE: reason".
 *
 * It drives the app only through app.h's driving interface (ui_app_pointer,
 * ui_app_input, ui_app_card ...) and reads the frame's tap targets from the canvas;
 * the app knows it only as a driver (ui_app_set_driver).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/script.h"

#define SCRIPT_LINE_MAX 1024 /* one script line */
#define SCRIPT_ARGS 4        /* words after the verb */

struct sline {
	int no;
	char *verb;
	char *arg[SCRIPT_ARGS];
	int nargs;
};

struct ui_script {
	char *path;
	struct sline *v;
	int n, pc;
	int wait_pc;        /* 1 + index of the wait-* line being waited on; 0 = none */
	int64_t wait_until; /* SDL ms when it fails */
};

#define SCRIPT_WAIT_DEFAULT_MS 5000
#define SCRIPT_WAIT_POLL_MS 20 /* how often a wait-* line looks again */

/* Splits a line into words; "quoted strings" may hold spaces, \" and \\. */
static int split(char *s, char **words, int max)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			return -1;
		if (*s == '"') {
			char *o = ++s;
			words[n++] = o;
			while (*s && *s != '"') {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*o++ = *s++;
			}
			if (*s != '"')
				return -2;
			s++;
			*o = 0;
			if (*s && *s != ' ' && *s != '\t')
				return -2;
		} else {
			words[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			if (*s)
				*s++ = 0;
		}
	}
	return n;
}

static void script_free(void *ctx)
{
	struct ui_script *sc = ctx;
	if (!sc)
		return;
	for (int i = 0; i < sc->n; i++) {
		free(sc->v[i].verb);
		for (int k = 0; k < sc->v[i].nargs; k++)
			free(sc->v[i].arg[k]);
	}
	free(sc->v);
	free(sc->path);
	free(sc);
}

static int64_t script_step(struct ui_app *a, void *ctx, kst *rc, struct kerr *err);

static const char *const verbs[] = {"wait", "tap", "tap-text", "drag", "key", "text", "card", "shot",
				    "assert-text", "assert-no-text", "assert-screen", "assert-fits",
				    "wait-text", "wait-screen", "push", "exit", NULL};

kst ui_script_attach(struct ui_app *a, const char *path, struct kerr *err)
{
	FILE *f = fopen(path, "r");
	char line[SCRIPT_LINE_MAX];
	struct ui_script *sc = calloc(1, sizeof *sc);
	int no = 0, cap = 0;
	kst rc = K_OK;

	if (!f || !sc) {
		free(sc);
		if (f)
			fclose(f);
		return kerr_set(err, K_EUSAGE, "%s: cannot read the script", path);
	}
	sc->path = strdup(path);
	while (fgets(line, sizeof line, f)) {
		char *words[1 + SCRIPT_ARGS];
		no++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = kerr_set(err, K_EUSAGE, "%s:%d: line too long", path, no);
			goto out;
		}
		line[strcspn(line, "\r\n")] = 0;
		int n = split(line, words, 1 + SCRIPT_ARGS);
		if (n == 0)
			continue;
		if (n < 0) {
			rc = kerr_set(err, K_EUSAGE, "%s:%d: %s", path, no,
				      n == -1 ? "too many words" : "unterminated quote");
			goto out;
		}
		int known = 0;
		for (int k = 0; verbs[k]; k++)
			known |= !strcmp(words[0], verbs[k]);
		if (!known) {
			rc = kerr_set(err, K_EUSAGE, "%s:%d: unknown command '%s'", path, no, words[0]);
			goto out;
		}
		if (sc->n == cap) {
			cap = cap ? cap * 2 : 32;
			struct sline *v = realloc(sc->v, (size_t)cap * sizeof *v);
			if (!v) {
				rc = kerr_set(err, K_EFAIL, "out of memory");
				goto out;
			}
			sc->v = v;
		}
		struct sline *l = &sc->v[sc->n++];
		memset(l, 0, sizeof *l);
		l->no = no;
		l->verb = strdup(words[0]);
		for (int k = 1; k < n; k++)
			l->arg[l->nargs++] = strdup(words[k]);
	}
out:
	fclose(f);
	if (rc)
		script_free(sc);
	else
		ui_app_set_driver(a, script_step, script_free, sc);
	return rc;
}

static int visible_text(struct ui_app *a, const char *needle)
{
	int n;
	const struct text_drawn *d = ui_app_drawn(a, &n);
	for (int i = 0; i < n; i++)
		if (!d[i].hidden && strstr(d[i].text, needle))
			return 1;
	return 0;
}

static kst need_args(const struct ui_script *sc, const struct sline *l, int n, struct kerr *err)
{
	if (l->nargs < n)
		return kerr_set(err, K_EFAIL, "%s:%d: %s needs %d argument%s", sc->path, l->no,
				l->verb, n, n > 1 ? "s" : "");
	return K_OK;
}

/* One line. Returns ms to wait before the next. */
static int64_t run_line(struct ui_app *a, struct ui_script *sc, const struct sline *l, kst *rc,
			struct kerr *err)
{
	const char *v = l->verb;

	if (!strcmp(v, "wait")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		return atoll(l->arg[0]) > 0 ? atoll(l->arg[0]) : 0;
	}
	if ((*rc = ui_app_fresh(a, err)))
		return 0;
	if (!strcmp(v, "tap")) {
		if ((*rc = need_args(sc, l, 2, err)))
			return 0;
		int x = atoi(l->arg[0]), y = atoi(l->arg[1]);
		ui_app_pointer(a, UI_PTR_DOWN, x, y);
		ui_app_pointer(a, UI_PTR_UP, x, y);
	} else if (!strcmp(v, "tap-text")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		const struct ui_hit *h = ui_canvas_hit_label(ui_cv(a), l->arg[0]);
		if (!h) {
			*rc = kerr_set(err, K_EFAIL, "%s:%d: no button \"%s\" on screen %s", sc->path,
				       l->no, l->arg[0], ui_app_screen_name(a));
			return 0;
		}
		int x = h->r.x + h->r.w / 2, y = h->r.y + h->r.h / 2;
		ui_app_pointer(a, UI_PTR_DOWN, x, y);
		ui_app_pointer(a, UI_PTR_UP, x, y);
	} else if (!strcmp(v, "drag")) {
		if ((*rc = need_args(sc, l, 4, err)))
			return 0;
		int x0 = atoi(l->arg[0]), y0 = atoi(l->arg[1]);
		int x1 = atoi(l->arg[2]), y1 = atoi(l->arg[3]);
		ui_app_pointer(a, UI_PTR_DOWN, x0, y0);
		for (int k = 1; k <= 8; k++)
			ui_app_pointer(a, UI_PTR_MOVE, x0 + (x1 - x0) * k / 8, y0 + (y1 - y0) * k / 8);
		ui_app_pointer(a, UI_PTR_UP, x1, y1);
	} else if (!strcmp(v, "key")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		SDL_Keycode k = SDL_GetKeyFromName(l->arg[0]);
		if (k == SDLK_UNKNOWN) {
			*rc = kerr_set(err, K_EFAIL, "%s:%d: unknown key '%s'", sc->path, l->no, l->arg[0]);
			return 0;
		}
		ui_app_input(a, &(struct ui_event){.type = UI_EV_KEY, .key = k});
	} else if (!strcmp(v, "text")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		ui_app_input(a, &(struct ui_event){.type = UI_EV_TEXT, .text = l->arg[0]});
	} else if (!strcmp(v, "card")) {
		int insert = l->nargs >= 2 && !strcmp(l->arg[0], "insert");
		if (!insert && !(l->nargs >= 1 && !strcmp(l->arg[0], "remove"))) {
			*rc = kerr_set(err, K_EFAIL, "%s:%d: card insert PROFILE | card remove",
				       sc->path, l->no);
			return 0;
		}
		struct kerr e2 = {0};
		if (ui_app_card(a, insert ? l->arg[1] : NULL, &e2)) {
			*rc = kerr_set(err, K_EFAIL, "%s:%d: card: %s", sc->path, l->no, e2.msg);
			return 0;
		}
	} else if (!strcmp(v, "shot")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		struct kerr e2 = {0};
		if (ui_app_save_png(a, l->arg[0], &e2))
			*rc = kerr_set(err, K_EFAIL, "%s:%d: %s", sc->path, l->no, e2.msg);
	} else if (!strcmp(v, "assert-text") || !strcmp(v, "assert-no-text")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		int want = !strcmp(v, "assert-text");
		if (visible_text(a, l->arg[0]) != want)
			*rc = kerr_set(err, K_EFAIL, "%s:%d: \"%s\" is %s on screen %s", sc->path, l->no,
				       l->arg[0], want ? "not visible" : "visible", ui_app_screen_name(a));
	} else if (!strcmp(v, "assert-screen")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		if (strcmp(ui_app_screen_name(a), l->arg[0]))
			*rc = kerr_set(err, K_EFAIL, "%s:%d: screen is %s, not %s", sc->path, l->no,
				       ui_app_screen_name(a), l->arg[0]);
	} else if (!strcmp(v, "assert-fits")) {
		int n;
		const struct text_drawn *d = ui_app_drawn(a, &n);
		for (int i = 0; i < n; i++)
			if (!d[i].hidden && (d[i].overflow || d[i].truncated)) {
				*rc = kerr_set(err, K_EFAIL, "%s:%d: \"%.60s\" does not fit its box on screen %s",
					       sc->path, l->no, d[i].text, ui_app_screen_name(a));
				break;
			}
	} else if (!strcmp(v, "wait-text") || !strcmp(v, "wait-screen")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		int64_t now = (int64_t)SDL_GetTicks64();
		int here = (int)(l - sc->v) + 1;
		if (sc->wait_pc != here) {
			long long ms = l->nargs > 1 ? atoll(l->arg[1]) : SCRIPT_WAIT_DEFAULT_MS;
			sc->wait_pc = here;
			sc->wait_until = now + (ms > 0 ? ms : 0);
		}
		int got = v[5] == 't' ? visible_text(a, l->arg[0])
				      : !strcmp(ui_app_screen_name(a), l->arg[0]);
		if (got) {
			sc->wait_pc = 0;
			return 0;
		}
		if (now >= sc->wait_until) {
			sc->wait_pc = 0;
			*rc = kerr_set(err, K_EFAIL, "%s:%d: waited in vain for %s \"%s\" (screen %s)",
				       sc->path, l->no, v[5] == 't' ? "text" : "screen", l->arg[0],
				       ui_app_screen_name(a));
			return 0;
		}
		sc->pc--; /* look again after the loop has handled what came in */
		return SCRIPT_WAIT_POLL_MS;
	} else if (!strcmp(v, "push")) {
		if ((*rc = need_args(sc, l, 1, err)))
			return 0;
		if (ui_app_push(a, l->arg[0], l->nargs > 1 ? l->arg[1] : NULL))
			*rc = kerr_set(err, K_EFAIL, "%s:%d: cannot open screen %s", sc->path, l->no,
				       l->arg[0]);
	} else if (!strcmp(v, "exit")) {
		ui_app_quit(a, l->nargs ? atoi(l->arg[0]) : 0);
	}
	return 0;
}

static int64_t script_step(struct ui_app *a, void *ctx, kst *rc, struct kerr *err)
{
	struct ui_script *sc = ctx;
	*rc = K_OK;
	while (sc && sc->pc < sc->n && !ui_app_quitting(a)) {
		int64_t ms = run_line(a, sc, &sc->v[sc->pc++], rc, err);
		if (*rc)
			return -1;
		if (ms > 0)
			return ms;
	}
	return -1;
}
