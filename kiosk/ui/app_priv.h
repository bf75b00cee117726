/**
 * @file app_priv.h
 * @brief Inside of struct ui_app, shared by app.c, widgets.c and script.c only.
 */
#ifndef KIOSK_APP_PRIV_H
#define KIOSK_APP_PRIV_H

#include "ui/app.h"
#include "ui/widgets.h"

#define UI_DRAG_SLOP 16 /* px a finger may wander before a tap becomes a drag */

struct ui_hit {
	int id;
	SDL_Rect r;              /* visible part on screen */
	char *label;             /* button text, for tap-text; may be NULL */
	struct ui_scroll *scroll; /* set for a scroll view's area */
	int scroll_max;          /* its largest offset */
};

struct ui_frame {
	const struct ui_screen_ops *ops;
	char arg[UI_ARG_MAX];
	int has_arg;
};

struct ui_script;

struct ui_app {
	struct ui_opts o;
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Surface *target;      /* headless: what the software renderer draws on */
	void *target_px;          /* its pixels (mmap, target_len bytes), see frame_new() */
	size_t target_len;
	int w, h;
	double scale;             /* short side / 1080 */
	int large;
	enum ui_lang lang;
	const struct ui_theme *theme;
	struct text_cache *tc;
	int kiosk;                /* full-screen lockdown */

	struct ui_frame stack[UI_STACK_MAX];
	int depth;

	int dirty;
	uint64_t frames;
	int quit, exit_code;
	int64_t next_tick;        /* SDL ms of the screen's next tick; 0 = none */
	int64_t last_input;
	int64_t prompt_since;     /* SDL ms the idle question appeared; 0 = not shown */
	int personal;             /* a card holder's data is held */
	int swallow_up;           /* the touch that answered the idle question ends here */
	ui_wipe_hook wipe_fn;
	void *wipe_ctx;
	int ready_sent;           /* told systemd we are up */

	struct ui_hit *hits;
	int nhits, caphits;

	/* pointer */
	int down, pressed_id, dragging;
	SDL_Point down_pt;
	struct ui_scroll *drag;
	int drag_off0, drag_max;

	/* scroll view being drawn */
	struct ui_scroll *cur_scroll;
	SDL_Rect cur_view;

	struct ui_script *script;
	ui_card_hook card_fn;
	void *card_ctx;
	ui_user_hook user_fn;     /* sees UI_EV_USER before the screen */
	void *user_ctx;
	ui_overlay_fn overlay_fn; /* drawn over every screen */
	void *overlay_ctx;
	Uint32 user_ev;
	SDL_sem *wake;            /* headless: ui_app_post ends the loop's sleep at once */

	double *frame_ms;         /* bench: wall time of each frame */
	double *frame_cpu_ms;     /* bench: CPU time of each frame */
	int nframe_ms;
};

/* app.c */
void ui__pointer_down(struct ui_app *a, int x, int y);
void ui__pointer_move(struct ui_app *a, int x, int y);
void ui__pointer_up(struct ui_app *a, int x, int y);
void ui__deliver(struct ui_app *a, const struct ui_event *ev);
void ui__hit_add(struct ui_app *a, int id, SDL_Rect r, const char *label,
		 struct ui_scroll *sc, int scroll_max);
/* The y offset widgets subtract (active scroll view), and the clip they live in. */
int ui__yoff(const struct ui_app *a);

/* script.c */
kst ui__script_load(struct ui_app *a, const char *path, struct kerr *err);
void ui__script_free(struct ui_app *a);
/* Runs due script lines; returns ms until the next one (<0: script finished or
 * none). K_EFAIL in *rc with err on a failed assertion or a bad line. */
int64_t ui__script_step(struct ui_app *a, int64_t now, kst *rc, struct kerr *err);

#endif
