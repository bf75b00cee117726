/**
 * @file app.h
 * @brief The kiosk UI framework: window or off-screen renderer, the event loop
 * (sleeps until the next deadline, redraws only when something changed), a stack of
 * screens, PNG capture, and a narrow interface for whatever drives it as a visitor
 * would (the --script replayer, ui/script.h). Screens draw with the widgets
 * (widgets.h), which see only the app's canvas (canvas.h).
 *
 * A screen is one small file kiosk/ui/screens/scr_<name>.c exporting a
 * `struct ui_screen_ops`, listed in screens/screens.c; the app knows only the table
 * it is given (ui_opts.screens). draw() lays out and draws everything from the screen's
 * state each time it is called; widgets drawn there register their hit boxes, and a
 * tap on one comes back to event() as UI_EV_CLICK with the widget's id. A screen
 * calls ui_app_dirty() when its state changes outside an event (events already
 * trigger a redraw).
 *
 *   static void draw(struct ui_app *a) {
 *       int y = ui_topbar(a, ui_tr(a, "บริการ", "Services"), UI_BAR_BACK | UI_BAR_HOME);
 *       ui_button(a, 1, (SDL_Rect){m, y + m, w, 0}, ui_tr(a, "แจ้งเกิด", "Birth"), 0);
 *   }
 *   static int event(struct ui_app *a, const struct ui_event *e) {
 *       if (e->type == UI_EV_CLICK && e->id == 1) return ui_app_push(a, "checklist", "birth") == K_OK;
 *       return 0;
 *   }
 *   const struct ui_screen_ops scr_services = { .name = "services", .draw = draw, .event = event };
 */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdint.h>

#include <SDL2/SDL.h>

#include "core/err.h"
#include "ui/canvas.h"

struct ui_app;
struct kconfig;
struct ticketing;
struct upl_worker;
struct upl_status;

enum ui_ev_type {
	UI_EV_CLICK, /* id: the widget tapped */
	UI_EV_KEY,   /* key: SDL_Keycode (a USB scanner or a service keyboard) */
	UI_EV_TEXT,  /* text: UTF-8 typed text */
	UI_EV_LANG,  /* the language changed (already applied) */
	UI_EV_USER,  /* code/data: posted by another layer with ui_app_post() */
	UI_EV_CARD,  /* text: card profile inserted, or NULL when removed (script hook) */
};

struct ui_event {
	enum ui_ev_type type;
	int id;
	SDL_Keycode key;
	const char *text;
	int code;
	void *data;
};

struct ui_screen_ops {
	const char *name; /* as used by `kiosk shot --screen NAME` and ui_app_push() */
	/* Pushed on the stack; arg is a copy owned by the app (e.g. a service ID), or NULL.
	 * A non-zero return refuses the push (unknown service ...): nothing changes. */
	kst (*enter)(struct ui_app *a, const char *arg);
	/* Popped (or the stack reset). */
	void (*leave)(struct ui_app *a);
	/* Returns 1 when handled. Unhandled clicks on the top bar ids are the app's. */
	int (*event)(struct ui_app *a, const struct ui_event *ev);
	void (*draw)(struct ui_app *a);
	/* Called when its deadline passes; returns ms until it wants the next call
	 * (<0: no tick). Also called once after enter(). */
	int64_t (*tick)(struct ui_app *a, int64_t now_ms);
};

/* The configuration the app was started with (may be NULL). */
const struct kconfig *ui_config(const struct ui_app *a);
/* The ticket desk the app was started with (may be NULL). */
struct ticketing *ui_ticketing(const struct ui_app *a);
/* Everything the app was started with (upload worker, API port ...). */
const struct ui_opts *ui_options(const struct ui_app *a);

struct ui_opts {
	int w, h;          /* window / off-screen size; 0 = 1080x1920 portrait */
	int windowed;      /* a normal window (development); else full-screen kiosk */
	int headless;      /* off-screen software renderer, no display needed */
	int large;         /* large-text mode */
	enum ui_lang lang;
	int lang_given;      /* --lang was on the command line (else the config's) */
	/* The screens ui_app_push() knows by name (NULL-terminated; ui_screens of
	 * ui/screens/screens.h). */
	const struct ui_screen_ops *const *screens;
	const char *script;  /* --script FILE: the command attaches it (ui_script_attach) */
	double exit_after;   /* seconds; < 0: never; 0: after the first complete frame */
	int idle_home_s;     /* untouched this long: ask "still there?"; 0 = never */
	int idle_countdown_s; /* the question's countdown, then wipe and go home (>= 20) */
	int bench_frames;    /* >0: redraw this many frames, print timing to stderr, quit */
	int trace_first;     /* print "first-frame MS" on stderr once the first frame is up
			      * (MS: CLOCK_MONOTONIC milliseconds, the clock every process
			      * shares, so a bench can measure from its own start), and
			      * "frame-stats ..." lines: frame-time percentiles every 5 s of
			      * drawing and at exit (app.c, frame_stats_line) */
	/* The service manager (dev/svc.h: svc_ready, svc_watchdog, svc_watchdog_ms), handed
	 * in by `kiosk run`/`display`: told when the first frame is up, and fed. NULL: none. */
	void (*svc_ready)(void);
	void (*svc_watchdog)(uint64_t now_ms);
	uint64_t (*svc_watchdog_ms)(void);
	const struct kconfig *cfg; /* office, catalogue ...; NULL in tests without config */
	struct ticketing *tk;      /* store, queue, printer (ui/ticketing.h); NULL: the ticket
				    * screen issues into a scratch store (kiosk shot) */
	struct upl_worker *upl;    /* the ratings upload worker (dev/uploader.h); NULL: none */
	/* Its kick and status (upl_worker_kick, upl_worker_status), handed in with it so
	 * that the screens link no HTTP client where there is no worker (kiosk shot). */
	void (*upl_kick)(struct upl_worker *w);
	void (*upl_status)(struct upl_worker *w, struct upl_status *out);
	const char *upl_note;      /* why there is none ("--no-upload", the start error) */
	int api_port;              /* the counter API's port while it serves; 0 = not serving */
	const char *api_note;      /* why it does not serve */
	const char *data_dir;      /* kiosk shot: the data folder screens may read (admin) */
};
#define UI_DEFAULT_W 1080
#define UI_DEFAULT_H 1920
#define UI_IDLE_HOME_S 60 /* a visitor who walked away leaves the next one a clean start */
#define UI_IDLE_COUNTDOWN_S 30 /* long enough for an elderly visitor to notice and answer */
#define UI_ID_IDLE_CONTINUE (-100) /* the "still here" button of the idle question */
#define UI_STACK_MAX 16   /* screen stack depth */
#define UI_ARG_MAX 128    /* a screen argument (service ID ...) */

/* Initializes SDL (video, events, timer only), fonts and the renderer. */
kst ui_app_new(const struct ui_opts *o, struct ui_app **out, struct kerr *err);
void ui_app_free(struct ui_app *a);
/* Runs the loop until ui_app_quit(), SIGTERM/SIGINT, the script's `exit`,
 * --exit-after or a script failure (K_EFAIL, message in err). */
kst ui_app_run(struct ui_app *a, struct kerr *err);
/* The admin path's way out (the kiosk ignores window-manager quit requests). */
void ui_app_quit(struct ui_app *a, int code);

/* Screen stack. push: by registry name (K_EUSAGE when unknown, or what the screen's
 * enter() returned). */
kst ui_app_push(struct ui_app *a, const char *name, const char *arg);
void ui_app_pop(struct ui_app *a);
void ui_app_home(struct ui_app *a);  /* pop to the first screen */
/* Clears the stack and starts with this screen. */
kst ui_app_reset(struct ui_app *a, const char *name, const char *arg);
const char *ui_app_screen_name(const struct ui_app *a);

void ui_app_dirty(struct ui_app *a);
/* Draws one frame now (if needed) and presents it. */
kst ui_app_render(struct ui_app *a, struct kerr *err);
/* Writes the current frame as PNG. */
kst ui_app_save_png(struct ui_app *a, const char *path, struct kerr *err);
/* The strings of the last frame, their boxes and whether they fit. */
const struct text_drawn *ui_app_drawn(const struct ui_app *a, int *n);

/* --- driving the app as a visitor would (ui/script.h, tests) --- */
/* Brings the frame up to date (draws it when needed), so what the caller looks at
 * is what a visitor would see. */
kst ui_app_fresh(struct ui_app *a, struct kerr *err);
enum ui_ptr { UI_PTR_DOWN, UI_PTR_MOVE, UI_PTR_UP };
/* A finger going down, sliding, lifting at x,y (taps, drags). */
void ui_app_pointer(struct ui_app *a, enum ui_ptr what, int x, int y);
/* A key or typed text (UI_EV_KEY, UI_EV_TEXT) as from a keyboard: counts as a touch. */
void ui_app_input(struct ui_app *a, const struct ui_event *ev);
/* `card insert PROFILE` / `card remove` (NULL): the card hook, else UI_EV_CARD. */
kst ui_app_card(struct ui_app *a, const char *profile, struct kerr *err);
/* 1 once ui_app_quit() was called. */
int ui_app_quitting(const struct ui_app *a);
/* A driver is stepped by the loop: step() runs what is due and returns ms until it
 * wants the next call (< 0: done); a non-zero *rc (message in err) ends the run.
 * drop(ctx) is called when the app is freed. One driver per app. */
typedef int64_t (*ui_driver_step)(struct ui_app *a, void *ctx, kst *rc, struct kerr *err);
void ui_app_set_driver(struct ui_app *a, ui_driver_step step, void (*drop)(void *ctx), void *ctx);

/* Thread-safe: delivers UI_EV_USER {code, data} to the current screen. */
void ui_app_post(struct ui_app *a, int code, void *data);
/* The card layer's hook for the script's `card insert PROFILE` / `card remove`
 * (profile NULL). Without a hook the script delivers UI_EV_CARD to the screen. */
typedef kst (*ui_card_hook)(struct ui_app *a, const char *profile, void *ctx, struct kerr *err);
void ui_app_set_card_hook(struct ui_app *a, ui_card_hook fn, void *ctx);

/* A layer beside the screens (the card reader glue) sees every UI_EV_USER before
 * the screen does; returns 1 when the event was its own (the screen then never
 * sees it). It also gets the taps on widgets with id UI_ID_OVERLAY (its banners),
 * which no screen sees. One hook per app. */
#define UI_ID_OVERLAY (-200)
typedef int (*ui_user_hook)(struct ui_app *a, const struct ui_event *ev, void *ctx);
void ui_app_set_user_hook(struct ui_app *a, ui_user_hook fn, void *ctx);
/* Drawn over every screen after its draw() (under the idle question): banners
 * such as "reading your card". Widgets drawn here lie on top of the screen's;
 * give them the id UI_ID_OVERLAY and their taps go to the user hook. */
typedef void (*ui_overlay_fn)(struct ui_app *a, void *ctx);
void ui_app_set_overlay(struct ui_app *a, ui_overlay_fn fn, void *ctx);

/* Personal data (a card holder's) is on screen or in memory: the idle question
 * then runs even on the first screen, and its time-out calls the wipe hook. */
void ui_app_set_personal(struct ui_app *a, int on);
typedef void (*ui_wipe_hook)(struct ui_app *a, void *ctx);
/* Called when the idle countdown ends (and on ui_app_wipe()): the card layer
 * zeroes what it holds. Screens are reset to the first one after it. */
void ui_app_set_wipe_hook(struct ui_app *a, ui_wipe_hook fn, void *ctx);
/* Wipes personal data now and returns to the first screen (card removed). */
void ui_app_wipe(struct ui_app *a);
/* 1 while the "still there?" question is shown. */
int ui_app_idle_prompt(const struct ui_app *a);

/* State for screens (the rest, read-only, is in canvas.h: ui_lang, ui_tr, ui_sz ...). */
void ui_set_lang(struct ui_app *a, enum ui_lang l);
void ui_set_large(struct ui_app *a, int on);
/* The window (NULL headless): for checks of the lockdown. */
SDL_Window *ui_app_window(struct ui_app *a);
/* Frames drawn so far. */
uint64_t ui_frames(const struct ui_app *a);

#endif
