/**
 * @file app.c
 * @brief The UI framework: SDL set-up, lockdown, screen stack, input, the event loop
 * and frame capture.
 *
 * Idle cost matters (the kiosk runs all day on a small fanless PC): the loop sleeps
 * until the earliest deadline (screen tick, script line, idle reset, exit) and draws
 * only when marked dirty. SDL's own wait polls every millisecond when the video
 * driver cannot wait (dummy/offscreen), so headless runs sleep themselves.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <malloc.h>

#include <sys/mman.h>


#include "dev/png_file.h"
#include "ui/app.h"
#include "ui/sdl_mem.h"
#include "ui/widgets.h"

#define UI_WAIT_CAP_MS 500 /* longest sleep, so a signal is seen within half a second */
/* No frame this long: sdl_mem's pool goes back (a kiosk at rest holds only what it shows). */
#define UI_POOL_IDLE_MS 1000
#define UI_DRAG_SLOP 16    /* px a finger may wander before a tap becomes a drag */
#define UI_MMAP_THRESHOLD (64 * 1024) /* malloc: blocks this big or bigger are mmapped */
/* --trace frame statistics: the wall time of the last UI_FRAME_RING frames in a fixed ring
 * (no allocation per frame), summed up on stderr every UI_FRAME_STATS_MS while frames are
 * drawn and once at exit, so a bench can compare a quiet kiosk with a busy one. */
#define UI_FRAME_RING 1024
#define UI_FRAME_STATS_MS 5000

struct ui_frame {
	const struct ui_screen_ops *ops;
	char arg[UI_ARG_MAX];
	int has_arg;
};

struct ui_app {
	struct ui_canvas cv;      /* first: the widgets find it at the app's address */
	struct ui_opts o;
	SDL_Window *win;
	SDL_Surface *target;      /* headless: what the software renderer draws on */
	void *target_px;          /* its pixels (mmap, target_len bytes), see frame_new() */
	size_t target_len;
	int kiosk;                /* full-screen lockdown */

	struct ui_frame stack[UI_STACK_MAX];
	int depth;

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
	int64_t drawn_at;         /* SDL ticks of the last frame; 0 once the pool was trimmed */

	/* pointer (down and pressed_id are the canvas's: buttons draw pressed) */
	int dragging;
	SDL_Point down_pt;
	struct ui_scroll *drag;
	int drag_off0, drag_max;

	ui_driver_step drv_step;  /* the --script replayer (ui/script.h), or NULL */
	void (*drv_drop)(void *ctx);
	void *drv_ctx;
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

	float ring_ms[UI_FRAME_RING]; /* --trace: wall ms of the window's last frames */
	uint64_t win_frames;          /* frames drawn in this window */
	double win_since;             /* monotonic ms the window began; 0 = no frame yet */
};

/* canvas.h's ui_cv() relies on this. */
_Static_assert(offsetof(struct ui_app, cv) == 0, "the canvas must open struct ui_app");

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void deliver(struct ui_app *a, const struct ui_event *ev);

/* --- accessors ----------------------------------------------------------------- */

SDL_Window *ui_app_window(struct ui_app *a) { return a->win; }
uint64_t ui_frames(const struct ui_app *a) { return a->frames; }
const struct kconfig *ui_config(const struct ui_app *a) { return a->o.cfg; }
struct ticketing *ui_ticketing(const struct ui_app *a) { return a->o.tk; }
const struct ui_opts *ui_options(const struct ui_app *a) { return &a->o; }

void ui_app_dirty(struct ui_app *a)
{
	a->cv.dirty = 1;
}

void ui_set_lang(struct ui_app *a, enum ui_lang l)
{
	if (a->cv.lang == l)
		return;
	a->cv.lang = l;
	a->cv.dirty = 1;
	deliver(a, &(struct ui_event){.type = UI_EV_LANG});
}

void ui_set_large(struct ui_app *a, int on)
{
	a->cv.large = !!on;
	a->cv.dirty = 1;
}

const struct text_drawn *ui_app_drawn(const struct ui_app *a, int *n)
{
	return text_cache_drawn(a->cv.tc, n);
}

void ui_app_quit(struct ui_app *a, int code)
{
	a->quit = 1;
	a->exit_code = code;
}

void ui_app_set_card_hook(struct ui_app *a, ui_card_hook fn, void *ctx)
{
	a->card_fn = fn;
	a->card_ctx = ctx;
}

void ui_app_set_user_hook(struct ui_app *a, ui_user_hook fn, void *ctx)
{
	a->user_fn = fn;
	a->user_ctx = ctx;
}

void ui_app_set_overlay(struct ui_app *a, ui_overlay_fn fn, void *ctx)
{
	a->overlay_fn = fn;
	a->overlay_ctx = ctx;
	a->cv.dirty = 1;
}

void ui_app_post(struct ui_app *a, int code, void *data)
{
	SDL_Event ev = {0};
	if (a->user_ev == (Uint32)-1)
		return;
	ev.type = a->user_ev;
	ev.user.code = code;
	ev.user.data1 = data;
	SDL_PushEvent(&ev);
	if (a->wake)
		SDL_SemPost(a->wake);
}

/* --- set-up ------------------------------------------------------------------------- */

/* The headless frame. Its pixels are mapped and populated in one call: on the virtual
 * machines the kiosk is measured on a page fault costs ~10 us, and the 8 MB of a
 * 1080x1920 frame faulted page by page (SDL's allocation clears it) took ~25 ms of
 * `kiosk shot`'s start; populated up front it is about a third of that. Fresh anonymous
 * pages are zero, as SDL's cleared surface was. */
static SDL_Surface *frame_new(struct ui_app *a)
{
	int pitch = a->cv.w * 4;
	size_t len = (size_t)pitch * (size_t)a->cv.h;
	void *px = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (px == MAP_FAILED)
		return SDL_CreateRGBSurfaceWithFormat(0, a->cv.w, a->cv.h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(px, a->cv.w, a->cv.h, 32, pitch,
							    SDL_PIXELFORMAT_ARGB8888);
	if (!s) {
		munmap(px, len);
		return NULL;
	}
	a->target_px = px;
	a->target_len = len;
	return s;
}

kst ui_app_new(const struct ui_opts *o, struct ui_app **out, struct kerr *err)
{
	struct ui_app *a = calloc(1, sizeof *a);
	kst rc = K_OK;

	*out = NULL;
	if (!a)
		return kerr_set(err, K_EFAIL, "out of memory");
	/* Before any other SDL call: see sdl_mem.h. */
	ui_sdl_mem_install();
	/* Loads while SDL and the fonts start: the first frame breaks Thai lines. */
	text_break_preload();
	/* Text textures (64 KB to 1 MB each) come and go with the screens: mapped on their
	 * own, an evicted one goes back to the system at once, instead of leaving holes
	 * in the heap that glibc keeps (a fixed threshold also stops glibc raising it). */
	mallopt(M_MMAP_THRESHOLD, UI_MMAP_THRESHOLD);
	a->o = *o;
	a->cv.w = o->w > 0 ? o->w : UI_DEFAULT_W;
	a->cv.h = o->h > 0 ? o->h : UI_DEFAULT_H;
	a->cv.lang = o->lang;
	a->cv.large = o->large;
	a->cv.theme = &ui_theme_default;
	a->kiosk = !o->windowed && !o->headless;
	a->cv.scale = (a->cv.w < a->cv.h ? a->cv.w : a->cv.h) / 1080.0;
	a->cv.pressed_id = INT32_MIN;
	if (!o->screens) {
		rc = kerr_set(err, K_EUSAGE, "no screens given");
		goto out;
	}
	if (a->cv.w < 200 || a->cv.h < 200 || a->cv.w > 8192 || a->cv.h > 8192) {
		rc = kerr_set(err, K_EUSAGE, "screen size %dx%d out of range (200..8192)", a->cv.w, a->cv.h);
		goto out;
	}

	if (o->headless) {
		/* No display: the dummy driver (or offscreen if asked for) is enough. */
		const char *drv = getenv("SDL_VIDEODRIVER");
		if (!drv || (strcmp(drv, "dummy") && strcmp(drv, "offscreen")))
			setenv("SDL_VIDEODRIVER", "dummy", 1);
	}
	/* Our own SIGTERM/SIGINT handling: SDL's would turn them into SDL_QUIT, which
	 * the kiosk ignores (Alt+F4 sends the same). */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	SDL_SetHint(SDL_HINT_WINDOWS_NO_CLOSE_ON_ALT_F4, "1");
	SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
	if (a->kiosk)
		SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
	/* Video, events and timers only: joystick/sensor subsystems make SDL poll. */
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) < 0) {
		rc = kerr_set(err, K_EDEVICE, "SDL: %s", SDL_GetError());
		goto out;
	}
	{
		struct sigaction sa = {0};
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	g_stop = 0;
	if (o->headless) {
		a->target = frame_new(a);
		a->cv.ren = a->target ? SDL_CreateSoftwareRenderer(a->target) : NULL;
		if (!a->cv.ren) {
			rc = kerr_set(err, K_EFAIL, "off-screen renderer: %s", SDL_GetError());
			goto out;
		}
	} else {
		Uint32 flags = SDL_WINDOW_SHOWN;
		/* SDL falls back to its off-screen driver when there is no display: a kiosk
		 * that shows nothing must say so rather than run blind. */
		const char *drv = SDL_GetCurrentVideoDriver();
		const char *want = getenv("SDL_VIDEODRIVER");
		if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) &&
		    !(want && !strcmp(want, drv))) {
			rc = kerr_set(err, K_EABSENT, "no display (is DISPLAY set?); use --headless");
			goto out;
		}
		if (a->kiosk)
			flags |= SDL_WINDOW_BORDERLESS | SDL_WINDOW_FULLSCREEN_DESKTOP;
		a->win = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
					  a->cv.w, a->cv.h, flags);
		if (!a->win) {
			rc = kerr_set(err, K_EABSENT, "no display: %s (use --headless)", SDL_GetError());
			goto out;
		}
		a->cv.ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED);
		if (!a->cv.ren)
			a->cv.ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
		if (!a->cv.ren) {
			rc = kerr_set(err, K_EDEVICE, "renderer: %s", SDL_GetError());
			goto out;
		}
		if (a->kiosk) {
			/* Full screen takes the display's size; lay out for that. */
			SDL_GetRendererOutputSize(a->cv.ren, &a->cv.w, &a->cv.h);
			a->cv.scale = (a->cv.w < a->cv.h ? a->cv.w : a->cv.h) / 1080.0;
			SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
			SDL_ShowCursor(SDL_DISABLE);
		}
	}
	SDL_SetRenderDrawBlendMode(a->cv.ren, SDL_BLENDMODE_BLEND);
	rc = text_init(err);
	if (rc)
		goto out;
	a->cv.tc = text_cache_new(a->cv.ren, 0);
	if (!a->cv.tc) {
		rc = kerr_set(err, K_EFAIL, "out of memory");
		goto out;
	}
	a->user_ev = SDL_RegisterEvents(1);
	a->wake = SDL_CreateSemaphore(0);
	SDL_StopTextInput(); /* no on-screen IME; scanners still send key events */
	if (o->bench_frames > 0) {
		a->frame_ms = calloc((size_t)o->bench_frames + 1, sizeof *a->frame_ms);
		a->frame_cpu_ms = calloc((size_t)o->bench_frames + 1, sizeof *a->frame_cpu_ms);
		if (!a->frame_ms || !a->frame_cpu_ms) {
			rc = kerr_set(err, K_EFAIL, "out of memory");
			goto out;
		}
	}
	a->cv.dirty = 1;
	a->last_input = (int64_t)SDL_GetTicks64();
out:
	if (rc) {
		ui_app_free(a);
		return rc;
	}
	*out = a;
	return K_OK;
}

void ui_app_free(struct ui_app *a)
{
	if (!a)
		return;
	while (a->depth > 0) {
		struct ui_frame *f = &a->stack[--a->depth];
		if (f->ops->leave)
			f->ops->leave(a);
	}
	if (a->drv_drop)
		a->drv_drop(a->drv_ctx);
	ui_canvas_hits_clear(&a->cv);
	free(a->cv.hits);
	free(a->frame_ms);
	free(a->frame_cpu_ms);
	if (a->wake)
		SDL_DestroySemaphore(a->wake);
	text_cache_free(a->cv.tc);
	text_quit();
	if (a->cv.ren)
		SDL_DestroyRenderer(a->cv.ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	SDL_FreeSurface(a->target);
	if (a->target_px)
		munmap(a->target_px, a->target_len);
	if (SDL_WasInit(0))
		SDL_Quit();
	free(a);
}

/* --- screen stack ---------------------------------------------------------------------- */

static const struct ui_screen_ops *screen_find(const struct ui_app *a, const char *name)
{
	for (const struct ui_screen_ops *const *s = a->o.screens; name && *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

static struct ui_frame *top(struct ui_app *a)
{
	return a->depth ? &a->stack[a->depth - 1] : NULL;
}

const char *ui_app_screen_name(const struct ui_app *a)
{
	return a->depth ? a->stack[a->depth - 1].ops->name : "";
}

static void schedule_tick(struct ui_app *a, int64_t ms)
{
	a->next_tick = ms < 0 ? 0 : (int64_t)SDL_GetTicks64() + (ms ? ms : 1);
}

static void entered(struct ui_app *a)
{
	struct ui_frame *f = top(a);
	a->cv.dirty = 1;
	a->cv.pressed_id = INT32_MIN;
	a->drag = NULL;
	a->next_tick = 0;
	if (f && f->ops->tick)
		schedule_tick(a, f->ops->tick(a, (int64_t)SDL_GetTicks64()));
}

kst ui_app_push(struct ui_app *a, const char *name, const char *arg)
{
	const struct ui_screen_ops *ops = screen_find(a, name);
	if (!ops)
		return K_EUSAGE;
	if (a->depth == UI_STACK_MAX)
		return K_EFAIL;
	struct ui_frame *f = &a->stack[a->depth];
	f->ops = ops;
	f->has_arg = arg != NULL;
	snprintf(f->arg, sizeof f->arg, "%s", arg ? arg : "");
	if (ops->enter) {
		kst rc = ops->enter(a, arg ? f->arg : NULL);
		if (rc)
			return rc;
	}
	a->depth++;
	entered(a);
	return K_OK;
}

void ui_app_pop(struct ui_app *a)
{
	if (a->depth <= 1)
		return;
	struct ui_frame *f = &a->stack[--a->depth];
	if (f->ops->leave)
		f->ops->leave(a);
	entered(a);
}

void ui_app_home(struct ui_app *a)
{
	int was = a->depth;
	while (a->depth > 1)
		ui_app_pop(a);
	/* A visit ended: give back the heap its screens left free inside (textures
	 * evicted from the text cache, layouts). Without it glibc keeps the high-water
	 * mark and a kiosk that served 3,000 visits holds ~8 MB more than it uses. */
	if (was > 1) {
		text_trim();
		ui_sdl_mem_trim();
		malloc_trim(0);
	}
}

kst ui_app_reset(struct ui_app *a, const char *name, const char *arg)
{
	if (!screen_find(a, name))
		return K_EUSAGE;
	while (a->depth > 0) {
		struct ui_frame *f = &a->stack[--a->depth];
		if (f->ops->leave)
			f->ops->leave(a);
	}
	return ui_app_push(a, name, arg);
}

/* --- input ------------------------------------------------------------------------------ */

static void deliver(struct ui_app *a, const struct ui_event *ev)
{
	struct ui_frame *f = top(a);
	if (a->prompt_since) {
		/* While the idle question is up, input only answers it: a tap meant
		 * for "still here" must not press the button underneath. */
		if (ev->type != UI_EV_USER && ev->type != UI_EV_CARD) {
			a->prompt_since = 0;
			a->cv.dirty = 1;
			return;
		}
	}
	if (ev->type == UI_EV_CLICK && ev->id == UI_ID_OVERLAY) {
		if (a->user_fn)
			a->user_fn(a, ev, a->user_ctx);
		a->cv.dirty = 1;
		return;
	}
	int handled = f && f->ops->event ? f->ops->event(a, ev) : 0;
	a->cv.dirty = 1;
	if (handled || ev->type != UI_EV_CLICK)
		return;
	switch (ev->id) {
	case UI_ID_BACK:
		ui_app_pop(a);
		break;
	case UI_ID_HOME:
		ui_app_home(a);
		break;
	case UI_ID_LANG:
		ui_set_lang(a, a->cv.lang == UI_TH ? UI_EN : UI_TH);
		break;
	case UI_ID_LARGE:
		ui_set_large(a, !a->cv.large);
		break;
	default:
		break;
	}
}

static struct ui_hit *hit_at(struct ui_app *a, int x, int y, int want_scroll)
{
	return ui_canvas_hit_at(&a->cv, x, y, want_scroll);
}

/* Any touch or key answers the idle question, and only answers it. */
static int answer_idle(struct ui_app *a)
{
	a->last_input = (int64_t)SDL_GetTicks64();
	if (!a->prompt_since)
		return 0;
	a->prompt_since = 0;
	a->cv.dirty = 1;
	return 1;
}

static void pointer_down(struct ui_app *a, int x, int y)
{
	struct ui_hit *b = hit_at(a, x, y, 0), *s = hit_at(a, x, y, 1);
	if (answer_idle(a)) {
		a->swallow_up = 1;
		return;
	}
	a->cv.down = 1;
	a->dragging = 0;
	a->down_pt = (SDL_Point){x, y};
	a->cv.pressed_id = b ? b->id : INT32_MIN;
	a->drag = s ? s->scroll : NULL;
	a->drag_off0 = s ? s->scroll->offset : 0;
	a->drag_max = s ? s->scroll_max : 0;
	a->cv.dirty = 1;
}

static void pointer_move(struct ui_app *a, int x, int y)
{
	if (!a->cv.down)
		return;
	int dy = y - a->down_pt.y, dx = x - a->down_pt.x;
	if (!a->dragging && a->drag && abs(dy) > ui_sz(a, UI_DRAG_SLOP))
		a->dragging = 1;
	if (a->dragging) {
		int off = a->drag_off0 - dy;
		off = off < 0 ? 0 : off > a->drag_max ? a->drag_max : off;
		if (off != a->drag->offset) {
			a->drag->offset = off;
			a->cv.dirty = 1;
		}
		if (a->cv.pressed_id != INT32_MIN) {
			a->cv.pressed_id = INT32_MIN;
			a->cv.dirty = 1;
		}
	} else if (a->cv.pressed_id != INT32_MIN && (abs(dx) > ui_sz(a, UI_DRAG_SLOP) * 4 ||
						  abs(dy) > ui_sz(a, UI_DRAG_SLOP) * 4)) {
		/* Slid far off without a scroll view: not a tap any more. */
		a->cv.pressed_id = INT32_MIN;
		a->cv.dirty = 1;
	}
}

static void pointer_up(struct ui_app *a, int x, int y)
{
	int id = a->cv.pressed_id;
	if (a->swallow_up) {
		a->swallow_up = 0;
		a->cv.down = 0;
		a->last_input = (int64_t)SDL_GetTicks64();
		return;
	}
	struct ui_hit *b = hit_at(a, x, y, 0);
	a->cv.down = 0;
	a->cv.pressed_id = INT32_MIN;
	a->drag = NULL;
	a->cv.dirty = 1;
	a->last_input = (int64_t)SDL_GetTicks64();
	if (!a->dragging && id != INT32_MIN && b && b->id == id)
		deliver(a, &(struct ui_event){.type = UI_EV_CLICK, .id = id});
	a->dragging = 0;
}

static void wheel(struct ui_app *a, int dy)
{
	int mx, my;
	SDL_GetMouseState(&mx, &my);
	struct ui_hit *s = hit_at(a, mx, my, 1);
	if (!s)
		return;
	int off = s->scroll->offset - dy * ui_sz(a, 80);
	off = off < 0 ? 0 : off > s->scroll_max ? s->scroll_max : off;
	s->scroll->offset = off;
	a->cv.dirty = 1;
}

static void handle_sdl(struct ui_app *a, const SDL_Event *e)
{
	switch (e->type) {
	case SDL_QUIT:
		/* Window manager close / Alt+F4: only a developer's window obeys. */
		if (!a->kiosk)
			ui_app_quit(a, 0);
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_CLOSE && !a->kiosk)
			ui_app_quit(a, 0);
		else if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
			 e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			a->cv.dirty = 1;
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT)
			pointer_down(a, e->button.x, e->button.y);
		break;
	case SDL_MOUSEMOTION:
		pointer_move(a, e->motion.x, e->motion.y);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.button == SDL_BUTTON_LEFT)
			pointer_up(a, e->button.x, e->button.y);
		break;
	case SDL_MOUSEWHEEL:
		wheel(a, e->wheel.y);
		break;
	case SDL_KEYDOWN:
		if (answer_idle(a))
			break;
		/* A developer's window closes with Ctrl+Q; the kiosk has no key way out. */
		if (!a->kiosk && e->key.keysym.sym == SDLK_q && (e->key.keysym.mod & KMOD_CTRL)) {
			ui_app_quit(a, 0);
			break;
		}
		deliver(a, &(struct ui_event){.type = UI_EV_KEY, .key = e->key.keysym.sym});
		break;
	case SDL_TEXTINPUT:
		deliver(a, &(struct ui_event){.type = UI_EV_TEXT, .text = e->text.text});
		break;
	default:
		if (e->type == a->user_ev) {
			struct ui_event ue = {.type = UI_EV_USER, .code = e->user.code,
					      .data = e->user.data1};
			if (a->user_fn && a->user_fn(a, &ue, a->user_ctx))
				break;
			deliver(a, &ue);
		}
		break;
	}
}

/* --- drawing ------------------------------------------------------------------------------ */

static double now_ms_f(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: what a frame costs, without the waits of a busy machine. */
static double cpu_ms_f(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The "still there?" question over the current screen, with its countdown. */
static void draw_idle_prompt(struct ui_app *a)
{
	const struct ui_theme *t = a->cv.theme;
	int64_t left_ms = (int64_t)a->o.idle_countdown_s * 1000 -
			  ((int64_t)SDL_GetTicks64() - a->prompt_since);
	int left = left_ms <= 0 ? 0 : (int)((left_ms + 999) / 1000);
	char count[96];
	int m = ui_sz(a, 48), w = a->cv.w - 2 * m;

	/* Only the question is tappable now. */
	ui_canvas_hits_clear(&a->cv);
	SDL_SetRenderDrawBlendMode(a->cv.ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(a->cv.ren, 0, 0, 0, 170);
	SDL_RenderFillRect(a->cv.ren, NULL);
	const char *q = ui_tr(a, "ยังใช้งานอยู่หรือไม่", "Are you still there?");
	const char *why = ui_tr(a, "เพื่อความปลอดภัยของข้อมูลส่วนบุคคล ระบบจะกลับสู่หน้าแรกและลบข้อมูลของท่าน",
				"To protect your personal data, the kiosk will return to the start and clear your details");
	if (a->cv.lang == UI_EN)
		snprintf(count, sizeof count, "in %d second%s", left, left == 1 ? "" : "s");
	else
		snprintf(count, sizeof count, "ในอีก %d วินาที", left);
	int pad = ui_sz(a, 40);
	int h = pad + ui_label_height(a, w - 2 * pad, q, UI_F_TITLE) + pad / 2 +
		ui_label_height(a, w - 2 * pad, why, UI_F_BODY) + pad / 2 +
		ui_label_height(a, w - 2 * pad, count, UI_F_HEAD) + pad +
		ui_button_height(a, w - 2 * pad, ui_tr(a, "ใช้งานต่อ", "Continue"), NULL) + pad;
	int y = (a->cv.h - h) / 2;
	ui_fill(a, (SDL_Rect){m, y, w, h}, t->panel, 24);
	y += pad;
	y += ui_label(a, (SDL_Rect){m + pad, y, w - 2 * pad, 0}, q, UI_F_TITLE, t->panel_text, TEXT_CENTER) + pad / 2;
	y += ui_label(a, (SDL_Rect){m + pad, y, w - 2 * pad, 0}, why, UI_F_BODY, t->panel_text, TEXT_CENTER) + pad / 2;
	y += ui_label(a, (SDL_Rect){m + pad, y, w - 2 * pad, 0}, count, UI_F_HEAD, t->panel_text, TEXT_CENTER) + pad;
	ui_button(a, UI_ID_IDLE_CONTINUE, (SDL_Rect){m + pad, y, w - 2 * pad, ui_sz(a, 120)},
		  ui_tr(a, "ใช้งานต่อ", "Continue"), 0);
}

void ui_app_set_personal(struct ui_app *a, int on)
{
	a->personal = on;
	a->last_input = (int64_t)SDL_GetTicks64();
}

void ui_app_set_wipe_hook(struct ui_app *a, ui_wipe_hook fn, void *ctx)
{
	a->wipe_fn = fn;
	a->wipe_ctx = ctx;
}

void ui_app_wipe(struct ui_app *a)
{
	if (a->wipe_fn)
		a->wipe_fn(a, a->wipe_ctx);
	a->personal = 0;
	a->prompt_since = 0;
	ui_app_home(a);
	a->cv.dirty = 1;
}

int ui_app_idle_prompt(const struct ui_app *a)
{
	return a->prompt_since != 0;
}

static int cmp_f(const void *x, const void *y)
{
	float a = *(const float *)x, b = *(const float *)y;
	return a < b ? -1 : a > b;
}

/* The nearest-rank p-th percentile of the sorted v[0..n). */
static float rank_f(const float *v, int n, int p)
{
	int i = (n * p + 99) / 100 - 1;
	return v[i < 0 ? 0 : i];
}

/* One line for the frames drawn since the last one: "frame-stats frames N timed K total T
 * p50 A p95 B p99 C max D ms" (N: frames in the window; K: the last of them the ring
 * holds, whose wall times the figures are; T: frames since start). A new window begins. */
static void frame_stats_line(struct ui_app *a, double now)
{
	float v[UI_FRAME_RING];
	int n = a->win_frames < UI_FRAME_RING ? (int)a->win_frames : UI_FRAME_RING;
	if (n <= 0)
		return;
	memcpy(v, a->ring_ms, (size_t)n * sizeof *v);
	qsort(v, (size_t)n, sizeof *v, cmp_f);
	fprintf(stderr,
		"frame-stats frames %llu timed %d total %llu p50 %.2f p95 %.2f p99 %.2f max %.2f ms\n",
		(unsigned long long)a->win_frames, n, (unsigned long long)a->frames, rank_f(v, n, 50),
		rank_f(v, n, 95), rank_f(v, n, 99), v[n - 1]);
	/* Big blocks served from the pool against new mappings, since start: a text miss
	 * that maps anew pays faults and, when it unmaps, a flush on every CPU. */
	struct ui_sdl_mem_stats ms;
	ui_sdl_mem_stats(&ms);
	fprintf(stderr, "sdl-mem reused %lu mapped %lu pooled %zu bytes in %d\n", ms.reused,
		ms.mapped, ms.pooled, ms.npooled);
	a->win_frames = 0;
	a->win_since = now;
}

/* Records a frame's wall time (--trace), and says the window's figures when it is due. */
static void frame_stats_add(struct ui_app *a, double t0, double t1)
{
	if (!a->o.trace_first)
		return;
	if (a->frames == 1) { /* the first frame fills the caches: not a warm one */
		a->win_since = t1;
		return;
	}
	a->ring_ms[a->win_frames++ % UI_FRAME_RING] = (float)(t1 - t0);
	if (t1 - a->win_since >= UI_FRAME_STATS_MS)
		frame_stats_line(a, t1);
}

kst ui_app_render(struct ui_app *a, struct kerr *err)
{
	struct ui_frame *f = top(a);
	const SDL_Color bg = a->cv.theme->bg;
	double t0 = now_ms_f(), c0 = cpu_ms_f();

	if (!f)
		return kerr_set(err, K_EFAIL, "no screen to draw");
	ui_canvas_hits_clear(&a->cv);
	a->cv.cur_scroll = NULL;
	text_cache_frame(a->cv.tc);
	SDL_RenderSetClipRect(a->cv.ren, NULL);
	SDL_SetRenderDrawColor(a->cv.ren, bg.r, bg.g, bg.b, 255);
	SDL_RenderClear(a->cv.ren);
	/* Cleared before drawing: a draw that finds it must draw again (a scroll
	 * view clamping its offset) marks the app dirty and gets another frame. */
	a->cv.dirty = 0;
	if (f->ops->draw)
		f->ops->draw(a);
	SDL_RenderSetClipRect(a->cv.ren, NULL);
	a->cv.cur_scroll = NULL;
	if (a->overlay_fn)
		a->overlay_fn(a, a->overlay_ctx);
	SDL_RenderSetClipRect(a->cv.ren, NULL);
	if (a->prompt_since)
		draw_idle_prompt(a);
	SDL_RenderPresent(a->cv.ren);
	a->frames++;
	frame_stats_add(a, t0, now_ms_f());
	if (!a->ready_sent) {
		if (a->o.trace_first) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			fprintf(stderr, "first-frame %lld\n",
				(long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
		}
		if (a->o.svc_ready)
			a->o.svc_ready();
		a->ready_sent = 1;
		ui_sdl_mem_pool_start(); /* from now on freed big blocks are reused: sdl_mem.h */
	}
	a->drawn_at = (int64_t)SDL_GetTicks64();
	if (a->frame_ms && a->nframe_ms < a->o.bench_frames) {
		a->frame_ms[a->nframe_ms] = now_ms_f() - t0;
		a->frame_cpu_ms[a->nframe_ms++] = cpu_ms_f() - c0;
	}
	return K_OK;
}

/* s: ARGB8888. Screenshots favour speed over size (png_file.c). */
static kst write_png(SDL_Surface *s, const char *path, struct kerr *err)
{
	struct png_rows r = {.w = s->w,
			     .h = s->h,
			     .px = s->pixels,
			     .pitch = (size_t)s->pitch,
			     .fmt = PNG_ROWS_XRGB32,
			     .fast = 1};
	return png_rows_write(&r, path, err);
}

kst ui_app_save_png(struct ui_app *a, const char *path, struct kerr *err)
{
	kst rc = K_OK;
	SDL_Surface *s;

	/* Up to three frames: one more when a draw asked for it (see ui_app_render). */
	for (int i = 0; i < 3 && (a->cv.dirty || !a->frames); i++) {
		rc = ui_app_render(a, err);
		if (rc)
			return rc;
	}
	/* Headless, the frame is already in memory: no second whole-screen surface. */
	if (a->target && a->target->format->format == SDL_PIXELFORMAT_ARGB8888)
		return write_png(a->target, path, err);
	s = SDL_CreateRGBSurfaceWithFormat(0, a->cv.w, a->cv.h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return kerr_set(err, K_EFAIL, "out of memory: %s", SDL_GetError());
	if (SDL_RenderReadPixels(a->cv.ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) < 0)
		rc = kerr_set(err, K_EFAIL, "reading the frame: %s", SDL_GetError());
	else
		rc = write_png(s, path, err);
	SDL_FreeSurface(s);
	return rc;
}

/* --- driving (ui/script.h) ---------------------------------------------------------------- */

kst ui_app_fresh(struct ui_app *a, struct kerr *err)
{
	kst rc = K_OK;
	/* Up to three frames: a draw may ask for one more (a scroll view clamping). */
	for (int i = 0; i < 3 && !rc && (a->cv.dirty || !a->frames); i++)
		rc = ui_app_render(a, err);
	return rc;
}

void ui_app_pointer(struct ui_app *a, enum ui_ptr what, int x, int y)
{
	if (what == UI_PTR_DOWN)
		pointer_down(a, x, y);
	else if (what == UI_PTR_MOVE)
		pointer_move(a, x, y);
	else
		pointer_up(a, x, y);
}

void ui_app_input(struct ui_app *a, const struct ui_event *ev)
{
	a->last_input = (int64_t)SDL_GetTicks64();
	deliver(a, ev);
}

kst ui_app_card(struct ui_app *a, const char *profile, struct kerr *err)
{
	if (a->card_fn)
		return a->card_fn(a, profile, a->card_ctx, err);
	deliver(a, &(struct ui_event){.type = UI_EV_CARD, .text = profile});
	return K_OK;
}

int ui_app_quitting(const struct ui_app *a)
{
	return a->quit;
}

void ui_app_set_driver(struct ui_app *a, ui_driver_step step, void (*drop)(void *ctx), void *ctx)
{
	if (a->drv_drop)
		a->drv_drop(a->drv_ctx);
	a->drv_step = step;
	a->drv_drop = drop;
	a->drv_ctx = ctx;
}

/* --- loop ------------------------------------------------------------------------------------ */

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Median and p99 of v[from..n) (sorts it). */
static void med_p99(double *v, int n, double *med, double *p99)
{
	int from = n > 1 ? 1 : 0; /* the first frame fills the caches: not a warm one */
	qsort(v + from, (size_t)(n - from), sizeof *v, cmp_d);
	int m = n - from;
	*med = v[from + m / 2];
	*p99 = v[from + (int)((m - 1) * 0.99 + 0.5)];
}

static void bench_report(struct ui_app *a)
{
	int n = a->nframe_ms;
	double wm, wp, cm, cp;
	if (n <= 1)
		return;
	med_p99(a->frame_ms, n, &wm, &wp);
	med_p99(a->frame_cpu_ms, n, &cm, &cp);
	struct text_cache_stats st;
	text_cache_stats(a->cv.tc, &st);
	fprintf(stderr,
		"frames %d wall median %.3f ms p99 %.3f ms cpu median %.3f ms p99 %.3f ms "
		"cache %zu entries %zu bytes\n",
		n - 1, wm, wp, cm, cp, st.entries, st.bytes);
}

static int64_t min_deadline(int64_t a, int64_t b)
{
	if (a <= 0)
		return b;
	if (b <= 0)
		return a;
	return a < b ? a : b;
}

kst ui_app_run(struct ui_app *a, struct kerr *err)
{
	kst rc = K_OK;
	int64_t start = (int64_t)SDL_GetTicks64();
	int64_t exit_at = a->o.exit_after > 0 ? start + (int64_t)(a->o.exit_after * 1000) : 0;
	int64_t script_at = a->drv_step ? start : 0;

	if (!top(a))
		return kerr_set(err, K_EFAIL, "no screen to run");
	while (!a->quit && !g_stop) {
		int64_t now = (int64_t)SDL_GetTicks64();
		struct ui_frame *f = top(a);

		if (a->drawn_at && now - a->drawn_at >= UI_POOL_IDLE_MS) {
			ui_sdl_mem_trim(); /* the loop wakes at least every UI_WAIT_CAP_MS */
			a->drawn_at = 0;
		}
		if (a->next_tick && now >= a->next_tick && f->ops->tick)
			schedule_tick(a, f->ops->tick(a, now));
		if (a->o.svc_watchdog)
			a->o.svc_watchdog((uint64_t)now);
		int idle_on = a->o.idle_home_s > 0 && (a->depth > 1 || a->personal);
		if (a->prompt_since && a->last_input > a->prompt_since) {
			a->prompt_since = 0; /* touched: still there */
			a->cv.dirty = 1;
		}
		if (idle_on && !a->prompt_since &&
		    now - a->last_input >= (int64_t)a->o.idle_home_s * 1000) {
			a->prompt_since = now;
			a->cv.dirty = 1;
		}
		if (a->prompt_since && now - a->prompt_since >= (int64_t)a->o.idle_countdown_s * 1000) {
			ui_app_wipe(a);
			a->last_input = now;
		}
		if (a->prompt_since && !idle_on)
			a->prompt_since = 0;
		if (a->prompt_since) {
			static int64_t shown_sec = -1;
			int64_t sec = (now - a->prompt_since) / 1000;
			if (sec != shown_sec) {
				shown_sec = sec;
				a->cv.dirty = 1;
			}
		}
		if (script_at && now >= script_at) {
			int64_t ms = a->drv_step(a, a->drv_ctx, &rc, err);
			if (rc)
				break;
			/* A wait counts from the end of its step: a slow step (a render on a
			 * busy machine) must not eat the time the script gives the screen. */
			int64_t after = (int64_t)SDL_GetTicks64();
			script_at = ms < 0 ? 0 : after + (ms ? ms : 1);
			continue; /* the script may have quit or changed screens */
		}
		if (a->o.bench_frames > 0) {
			if (a->nframe_ms >= a->o.bench_frames)
				break;
			a->cv.dirty = 1; /* redraw the same screen: warm caches */
		}
		if (a->cv.dirty) {
			rc = ui_app_render(a, err);
			if (rc)
				break;
			if (a->o.exit_after == 0 && !a->drv_step && a->o.bench_frames <= 0)
				break;
			continue;
		}
		if (exit_at && now >= exit_at)
			break;

		int64_t dl = min_deadline(a->next_tick, script_at);
		dl = min_deadline(dl, exit_at);
		if (a->prompt_since) {
			/* Redraw the countdown each second, and end it on time. */
			int64_t el = now - a->prompt_since;
			dl = min_deadline(dl, a->prompt_since + (el / 1000 + 1) * 1000);
		} else if (a->o.idle_home_s > 0 && (a->depth > 1 || a->personal)) {
			dl = min_deadline(dl, a->last_input + (int64_t)a->o.idle_home_s * 1000);
		}
		uint64_t wd = a->o.svc_watchdog_ms ? a->o.svc_watchdog_ms() : 0;
		if (wd)
			dl = min_deadline(dl, now + (int64_t)wd / 2);
		int64_t wait = dl > 0 ? dl - now : UI_WAIT_CAP_MS;
		wait = wait < 0 ? 0 : wait > UI_WAIT_CAP_MS ? UI_WAIT_CAP_MS : wait;

		SDL_Event e;
		if (a->o.headless) {
			/* Nothing but our own posts can arrive: sleep, then drain. */
			if (wait > 0 && !SDL_PollEvent(NULL)) {
				/* Another thread's post (the display's feed) wakes us at once. */
				if (a->wake)
					SDL_SemWaitTimeout(a->wake, (Uint32)wait);
				else
					SDL_Delay((Uint32)wait);
			}
			if (a->wake)
				while (SDL_SemTryWait(a->wake) == 0)
					;
			while (SDL_PollEvent(&e))
				handle_sdl(a, &e);
		} else if (SDL_WaitEventTimeout(&e, (int)wait)) {
			handle_sdl(a, &e);
			while (SDL_PollEvent(&e))
				handle_sdl(a, &e);
		}
	}
	bench_report(a);
	if (a->o.trace_first)
		frame_stats_line(a, now_ms_f());
	if (!rc && a->exit_code)
		rc = (kst)a->exit_code;
	return rc;
}
