/**
 * @file card_glue.c
 * @brief Reader events -> holder, banners and screen changes (see card_glue.h).
 *
 * Everything here runs on the UI thread except wake() (the watcher's notify) and
 * timer_cb() (SDL's timer thread), which only post an event to the app.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "dev/cardreader.h"
#include "ui/card_glue.h"
#include "ui/widgets.h"

#define VCARD_ARGS_MAX 16   /* words of `card insert PROFILE OPTIONS...` */
#define VCARD_LINE_MAX 512  /* that line, copied to be split */
#define CARD_STACK_BURN (64 * 1024) /* deeper than any text layout call goes */
#define CARD_SCRIPT_REMOVE_MS 30000 /* `card remove`: deadline for the watcher to report it */
#define CARD_SCRIPT_POLL_MS 10      /* ... looked at this often (a poll, not a delay) */

extern char **environ;

enum banner { BANNER_NONE, BANNER_READING, BANNER_HELLO, BANNER_ERROR };

struct card_glue {
	struct ui_app *a;
	const struct kconfig *cfg;
	struct rdr *r;
	unsigned flags;
	enum banner banner;
	char msg_th[RDR_MSG_MAX], msg_en[RDR_MSG_MAX]; /* ERROR banner */
	int64_t banner_until;  /* SDL ms; 0 = until replaced */
	SDL_TimerID timer;
	pid_t vcard;           /* the script's virtual card program, 0 = none */
	int cards_in;          /* INSERTED events not yet followed by their REMOVED */
};

/* --- trace, banners ----------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void trace(const struct card_glue *g, const char *fmt,
							 ...)
{
	va_list ap;
	if (!(g->flags & CARD_GLUE_TRACE))
		return;
	va_start(ap, fmt);
	fputs("card: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fflush(stderr);
	va_end(ap);
}

static Uint32 timer_cb(Uint32 interval, void *ctx)
{
	struct card_glue *g = ctx;
	(void)interval;
	ui_app_post(g->a, CARD_GLUE_EV_TIMER, NULL);
	return 0;
}

static void banner_set(struct card_glue *g, enum banner b, int ms)
{
	if (g->timer) {
		SDL_RemoveTimer(g->timer);
		g->timer = 0;
	}
	g->banner = b;
	g->banner_until = ms > 0 ? (int64_t)SDL_GetTicks64() + ms : 0;
	if (ms > 0)
		g->timer = SDL_AddTimer((Uint32)ms, timer_cb, g);
	ui_app_dirty(g->a);
}

static void overlay(struct ui_app *a, void *ctx)
{
	struct card_glue *g = ctx;
	const struct ui_theme *t = ui_theme(a);
	char hello[GREETING_MAX], hello2[GREETING_MAX];
	const char *l1 = NULL, *l2 = NULL;
	enum ui_lang other = ui_lang(a) == UI_TH ? UI_EN : UI_TH;

	if (g->banner == BANNER_NONE ||
	    (g->banner_until && (int64_t)SDL_GetTicks64() >= g->banner_until))
		return;
	switch (g->banner) {
	case BANNER_READING:
		l1 = ui_tr(a, "กำลังอ่านบัตร...", "Reading your card...");
		l2 = other == UI_EN ? "Reading your card..." : "กำลังอ่านบัตร...";
		break;
	case BANNER_HELLO:
		if (!card_state.present)
			return;
		card_greeting_lang(ui_lang(a), hello, sizeof hello);
		card_greeting_lang(other, hello2, sizeof hello2);
		l1 = hello, l2 = hello2;
		break;
	case BANNER_ERROR:
		l1 = ui_lang(a) == UI_EN ? g->msg_en : g->msg_th;
		l2 = other == UI_EN ? g->msg_en : g->msg_th;
		break;
	default:
		return;
	}
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), pad = ui_sz(a, 36);
	int w = W - 2 * m, tw = w - 2 * pad;
	int h = 2 * pad + ui_label_height(a, tw, l1, UI_F_TITLE) + ui_sz(a, 12) +
		ui_label_height(a, tw, l2, UI_F_BODY);
	int y = H * 2 / 5 - h / 2;
	/* The top bar's colours and a shadow: it floats over the screen, unlike the
	 * screens' own notice boxes. */
	SDL_Color sh = t->divider;
	ui_fill(a, (SDL_Rect){m + ui_sz(a, 6), y + ui_sz(a, 8), w, h}, sh, 24);
	ui_fill(a, (SDL_Rect){m, y, w, h}, t->bar_bg, 24);
	/* A tap on the banner closes it rather than pressing what lies under it. */
	ui_hotspot(a, UI_ID_OVERLAY, (SDL_Rect){m, y, w, h}, NULL);
	int yy = y + pad;
	yy += ui_label(a, (SDL_Rect){m + pad, yy, tw, 0}, l1, UI_F_TITLE, t->bar_text, TEXT_CENTER);
	ui_label(a, (SDL_Rect){m + pad, yy + ui_sz(a, 12), tw, 0}, l2, UI_F_BODY, t->bar_text,
		 TEXT_CENTER);
	explicit_bzero(hello, sizeof hello);
	explicit_bzero(hello2, sizeof hello2);
}

/* --- wiping ----------------------------------------------------------------------------- */

/* Zeroes the unused stack below this frame: laying out and rendering text leaves
 * short-lived copies of words of the name there (found with gcore in
 * tests/integ/ui_card.sh), which no later frame is sure to overwrite. */
__attribute__((noinline)) static void burn_stack(void)
{
	char buf[CARD_STACK_BURN];
	explicit_bzero(buf, sizeof buf);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

/* Zeroes the holder and every rendering of the name still cached. */
static void forget(struct ui_app *a, void *ctx)
{
	struct card_glue *g = ctx;
	struct text_cache *tc = ui_text_cache(a);
	int was = card_state.present, dropped = 0;

	if (g->banner == BANNER_HELLO)
		banner_set(g, BANNER_NONE, 0);
	if (tc) {
		dropped += text_cache_forget(tc, card_state.holder.first_th);
		dropped += text_cache_forget(tc, card_state.holder.first_en);
	}
	card_state.present = 0;
	card_holder_wipe(&card_state.holder);
	burn_stack();
	ui_app_dirty(a);
	if (was)
		trace(g, "wiped holder_zero=%d texts=%d", card_holder_is_zero(&card_state.holder), dropped);
}

/* --- reader events ---------------------------------------------------------------------- */

static void on_read(struct card_glue *g, const struct idcard *c)
{
	struct ui_app *a = g->a;
	if (card_state.present)
		forget(a, g); /* a second card replaces the first */
	card_holder_fill(&card_state.holder, c, kclock_now());
	card_state.present = 1;
	ui_app_set_personal(a, 1);
	trace(g, "read");
	const char *scr = ui_app_screen_name(a);
	if (!strcmp(scr, "attract")) {
		banner_set(g, BANNER_NONE, 0);
		if (ui_app_push(a, "services", NULL))
			banner_set(g, BANNER_HELLO, CARD_BANNER_HELLO_MS); /* no catalogue */
	} else if (!strcmp(scr, "services")) {
		banner_set(g, BANNER_NONE, 0); /* the screen greets */
	} else {
		banner_set(g, BANNER_HELLO, CARD_BANNER_HELLO_MS);
	}
}

static void on_removed(struct card_glue *g)
{
	struct ui_app *a = g->a;
	trace(g, "removed");
	if (g->banner == BANNER_READING)
		banner_set(g, BANNER_NONE, 0);
	if (!card_state.present)
		return; /* nothing was read (or the idle time-out wiped it): touch visitors go on */
	if (!strcmp(ui_app_screen_name(a), "ticket")) {
		/* The number is not personal: it stays until Done or the idle time-out. */
		forget(a, g);
		ui_app_set_personal(a, 0);
	} else {
		ui_app_wipe(a); /* calls forget(), back to the attract screen */
	}
}

static void handle(struct card_glue *g, const struct rdr_event *ev)
{
	switch (ev->type) {
	case RDR_EV_READERS:
		card_state.readers = ev->nreaders;
		trace(g, "readers %d", ev->nreaders);
		break;
	case RDR_EV_INSERTED:
		g->cards_in++;
		trace(g, "inserted");
		banner_set(g, BANNER_READING, CARD_BANNER_READ_MS);
		break;
	case RDR_EV_READ:
		on_read(g, &ev->card);
		break;
	case RDR_EV_ERROR:
		trace(g, "error fail=%d", (int)ev->fail);
		snprintf(g->msg_th, sizeof g->msg_th, "%s", ev->msg_th);
		snprintf(g->msg_en, sizeof g->msg_en, "%s", ev->msg_en);
		banner_set(g, BANNER_ERROR, CARD_BANNER_ERROR_MS);
		break;
	case RDR_EV_REMOVED:
		if (g->cards_in > 0)
			g->cards_in--;
		on_removed(g);
		break;
	}
}

static int on_user(struct ui_app *a, const struct ui_event *e, void *ctx)
{
	struct card_glue *g = ctx;
	(void)a;
	if (e->type == UI_EV_CLICK) { /* the banner tapped: read, close it */
		if (e->id == UI_ID_OVERLAY)
			banner_set(g, BANNER_NONE, 0);
		return 1;
	}
	if (e->type != UI_EV_USER)
		return 0;
	if (e->code == CARD_GLUE_EV_WAKE) {
		struct rdr_event ev;
		while (g->r && rdr_poll(g->r, &ev)) {
			handle(g, &ev);
			rdr_event_wipe(&ev);
		}
		return 1;
	}
	if (e->code == CARD_GLUE_EV_TIMER) {
		if (g->banner_until && (int64_t)SDL_GetTicks64() >= g->banner_until) {
			g->timer = 0;
			banner_set(g, BANNER_NONE, 0);
		}
		return 1;
	}
	return 0;
}

/* Watcher thread: must not block. */
static void wake(void *ctx)
{
	struct card_glue *g = ctx;
	ui_app_post(g->a, CARD_GLUE_EV_WAKE, NULL);
}

/* --- the script's virtual card ------------------------------------------------------------ */

static void vcard_stop(struct card_glue *g)
{
	if (g->vcard <= 0)
		return;
	kill(g->vcard, SIGTERM);
	while (waitpid(g->vcard, NULL, 0) < 0 && errno == EINTR)
		;
	g->vcard = 0;
}

/* tests/tools/vcard.py beside the build folder of this binary (build/kiosk). */
static int vcard_path(char *out, size_t n)
{
	const char *env = getenv("KIOSK_VCARD");
	char exe[PATH_MAX];
	if (env && *env) {
		snprintf(out, n, "%s", env);
		return 0;
	}
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k <= 0)
		return -1;
	exe[k] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	snprintf(out, n, "%s/../tests/tools/vcard.py", exe);
	return access(out, R_OK) ? -1 : 0;
}

static kst script_card(struct ui_app *a, const char *profile, void *ctx, struct kerr *err)
{
	struct card_glue *g = ctx;
	char path[PATH_MAX], line[VCARD_LINE_MAX], *argv[VCARD_ARGS_MAX + 8];
	int n = 0;
	(void)a;

	int had_card = g->vcard > 0;
	vcard_stop(g);
	if (!profile) {
		/* `card remove` returns once the kiosk has handled the removal (the watcher's
		 * REMOVED, after pcscd noticed): a script goes on from a known state however
		 * slow the machine, instead of waiting a fixed time. */
		int64_t until = kclock_mono_ms() + CARD_SCRIPT_REMOVE_MS;
		struct rdr_event ev;
		while (had_card && g->cards_in > 0) {
			if (g->r && rdr_poll(g->r, &ev)) {
				handle(g, &ev);
				rdr_event_wipe(&ev);
				continue;
			}
			if (kclock_mono_ms() >= until)
				return kerr_set(err, K_EDEVICE,
						"card remove: the reader did not report the removal within %d s",
						CARD_SCRIPT_REMOVE_MS / 1000);
			SDL_Delay(CARD_SCRIPT_POLL_MS);
		}
		return K_OK;
	}
	const char *port = getenv("VPCD_PORT");
	if (!port || !*port)
		return kerr_set(err, K_EABSENT,
				"card insert needs the virtual reader: run under tests/tools/pcsc-env.sh "
				"(VPCD_PORT)");
	if (vcard_path(path, sizeof path))
		return kerr_set(err, K_EABSENT, "card insert: tests/tools/vcard.py not found (KIOSK_VCARD)");
	if (strlen(profile) >= sizeof line)
		return kerr_set(err, K_EUSAGE, "card insert: too long");
	snprintf(line, sizeof line, "%s", profile);
	argv[n++] = "python3";
	argv[n++] = path;
	argv[n++] = "--port";
	argv[n++] = (char *)port;
	argv[n++] = "--profile";
	for (char *save = NULL, *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n >= VCARD_ARGS_MAX + 6)
			return kerr_set(err, K_EUSAGE, "card insert: too many options");
		argv[n++] = w;
	}
	argv[n] = NULL;
	if (n == 5)
		return kerr_set(err, K_EUSAGE, "card insert PROFILE");
	int rc = posix_spawnp(&g->vcard, "python3", NULL, NULL, argv, environ);
	if (rc) {
		g->vcard = 0;
		return kerr_set(err, K_EFAIL, "card insert: python3: %s", strerror(rc));
	}
	return K_OK;
}

/* --- start / stop --------------------------------------------------------------------------- */

kst kiosk_card_start(struct ui_app *a, const struct kconfig *cfg, unsigned flags,
		     struct card_glue **out, struct kerr *err)
{
	struct card_glue *g = calloc(1, sizeof *g);
	struct kerr e2 = {0};

	*out = NULL;
	if (!g)
		return kerr_set(err, K_EFAIL, "out of memory");
	g->a = a;
	g->cfg = cfg;
	g->flags = flags;
	card_state.priority_age = cfg ? cfg->priority_age : 60;
	explicit_bzero(&card_state.holder, sizeof card_state.holder);
	card_state.present = 0;
	ui_app_set_user_hook(a, on_user, g);
	ui_app_set_overlay(a, overlay, g);
	ui_app_set_wipe_hook(a, forget, g);
	/* A script's `card insert` drives the real reader stack only when a virtual
	 * reader is there (tests/tools/pcsc-env.sh); otherwise it stays the app's
	 * plain card event, as screen tests without pcscd expect. */
	const char *vp = getenv("VPCD_PORT");
	if (vp && *vp)
		ui_app_set_card_hook(a, script_card, g);
	struct rdr_opts o = {.notify = wake, .notify_ctx = g};
	if (rdr_start(&g->r, &o, &e2)) {
		/* Touch only: the kiosk is still useful without the reader. */
		fprintf(stderr, "kiosk: card reader not started: %s (touch only)\n", e2.msg);
		g->r = NULL;
	} else {
		card_state.readers = 0;
	}
	*out = g;
	return K_OK;
}

void kiosk_card_stop(struct card_glue *g)
{
	if (!g)
		return;
	rdr_stop(g->r); /* no more posts after this */
	g->r = NULL;
	if (g->timer)
		SDL_RemoveTimer(g->timer);
	vcard_stop(g);
	ui_app_set_user_hook(g->a, NULL, NULL);
	ui_app_set_overlay(g->a, NULL, NULL);
	ui_app_set_wipe_hook(g->a, NULL, NULL);
	ui_app_set_card_hook(g->a, NULL, NULL);
	card_state.present = 0;
	card_holder_wipe(&card_state.holder);
	explicit_bzero(g, sizeof *g);
	free(g);
	card_state.readers = -1;
}
