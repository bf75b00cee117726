/**
 * @file scr_display.c
 * @brief The lobby TV board (landscape; any size): office name, clock and
 * Buddhist-era date on top; the tickets now at counters in very large type
 * (newest first, a new call flashes for a few seconds); the last calls and
 * the waiting count per service on the right; a connection line at the bottom.
 *
 * Data comes from a feed (net/feed.h): the local database, or a remote
 * `kiosk serve` when the screen's argument is its URL. The feed's thread hands
 * each queue object over under a mutex and wakes the UI with ui_app_post();
 * the board model (core/board.h) says what changed and what to announce, and
 * the announcement is played through dev/audio.h. Without a sound device the
 * board is silent and says so once on stderr.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/board.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/qjson.h"
#include "core/store.h"
#include "dev/audio.h"
#include "net/feed.h"
#include "ui/screens/screens.h"
#include "ui/widgets.h"

enum { EV_FEED = 0x4446 }; /* ui_app_post code: the feed has news */
#define DISPLAY_ANNOUNCE_BACKLOG_MS 20000 /* more queued sound than this: skip, don't lag */

static struct scr_display_opts g_opts;

static struct {
	struct ui_app *app;
	struct feed *feed;
	struct audio *audio;
	pthread_mutex_t lock; /* guards pending, lost, posted */
	json_t *pending;      /* newest queue object not yet taken by the UI */
	int lost, posted;
	struct board b;
	int connected;        /* 1 once data came and the source is not lost */
	int ever;             /* data came at least once */
	int64_t traced_event;
	int64_t drawn_min;    /* the minute the clock showed last frame */
	int drawn_flashing;   /* the last frame drew a flash (a phase may still be on screen) */
	int traced_flash;     /* --trace: the top row's phase last printed (-1 none) */
	char source[FEED_URL_MAX];
} S = {.lock = PTHREAD_MUTEX_INITIALIZER};

void scr_display_config(const struct scr_display_opts *o)
{
	g_opts = *o;
}

/* Feed thread: keep only the newest object; one wake-up is enough. */
static void on_feed(void *ctx, json_t *q)
{
	struct ui_app *a = ctx;
	pthread_mutex_lock(&S.lock);
	if (q) {
		json_decref(S.pending);
		S.pending = q;
		S.lost = 0;
	} else {
		S.lost = 1;
	}
	int post = !S.posted;
	S.posted = 1;
	pthread_mutex_unlock(&S.lock);
	if (post)
		ui_app_post(a, EV_FEED, NULL);
}

static void announce(const struct board_call *c)
{
	char clips[BOARD_CLIPS_MAX][BOARD_CLIP_NAME_MAX];
	const char *dirs[AUDIO_DIRS_MAX];
	struct audio_pcm pcm;
	struct kerr err = {0};
	int n = board_clips(c->number, c->counter, clips, BOARD_CLIPS_MAX);

	if (g_opts.trace)
		printf("announce %s %d%s\n", c->number, c->counter, c->recall ? " recall" : "");
	if (!S.audio || !n)
		return;
	if (audio_queued_ms(S.audio) > DISPLAY_ANNOUNCE_BACKLOG_MS)
		return;
	int nd = audio_default_dirs(g_opts.voice_dir, dirs);
	if (audio_build(dirs, nd, (const char(*)[BOARD_CLIP_NAME_MAX])clips, n, &pcm, &err)) {
		fprintf(stderr, "kiosk display: %s\n", err.msg);
		return;
	}
	if (audio_play(S.audio, &pcm, &err))
		fprintf(stderr, "kiosk display: %s\n", err.msg);
	audio_pcm_free(&pcm);
}

/* UI thread: take what the feed left. */
static void take(struct ui_app *a)
{
	struct board_call ann[BOARD_ANNOUNCE_MAX];
	struct kerr err;
	int n = 0;

	pthread_mutex_lock(&S.lock);
	json_t *q = S.pending;
	S.pending = NULL;
	int lost = S.lost;
	S.posted = 0;
	pthread_mutex_unlock(&S.lock);
	if (q) {
		int64_t before = S.b.last_event;
		if (board_update(&S.b, q, (int64_t)SDL_GetTicks64(), ann, BOARD_ANNOUNCE_MAX, &n,
				 &err) == K_OK)
			S.ever = 1;
		json_decref(q);
		if (g_opts.trace && S.b.last_event != before)
			printf("update %lld event %lld\n", (long long)kclock_mono_ms(),
			       (long long)S.b.last_event);
	}
	int was = S.connected;
	S.connected = S.ever && !lost;
	if (g_opts.trace && was != S.connected)
		printf("state %s\n", S.connected ? "connected" : "lost");
	for (int i = 0; i < n; i++)
		announce(&ann[i]);
	ui_app_dirty(a);
}

/* Local source: read the queue once now, so the first frame (and `kiosk shot`)
 * already shows it. */
static void load_now(struct ui_app *a)
{
	struct kstore st;
	struct kerr err;
	const struct kconfig *cfg = ui_config(a);
	if (!cfg || !g_opts.data_dir || kstore_open(g_opts.data_dir, &st, &err))
		return;
	struct kqueue q = {.st = &st, .cfg = cfg};
	json_t *o = qjson_status(&q, &err);
	kstore_close(&st);
	if (o) {
		pthread_mutex_lock(&S.lock);
		json_decref(S.pending);
		S.pending = o;
		pthread_mutex_unlock(&S.lock);
		take(a);
	}
}

static kst enter(struct ui_app *a, const char *arg)
{
	struct kerr err = {0};
	kst rc;

	S.app = a;
	memset(&S.b, 0, sizeof S.b);
	S.connected = S.ever = S.lost = S.posted = 0;
	S.traced_event = -1;
	S.traced_flash = -1;
	snprintf(S.source, sizeof S.source, "%s", arg && *arg ? arg : "");
	if (!S.source[0])
		load_now(a);
	if (g_opts.no_feed || !g_opts.feed_local || !g_opts.feed_remote)
		return K_OK;
	if (S.source[0])
		rc = g_opts.feed_remote(S.source, on_feed, a, &S.feed, &err);
	else if (ui_config(a) && g_opts.data_dir)
		rc = g_opts.feed_local(ui_config(a), g_opts.data_dir, on_feed, a, &S.feed, &err);
	else
		rc = K_OK; /* no data folder (tests of the layout only) */
	if (rc) {
		fprintf(stderr, "kiosk display: %s\n", err.msg);
		return rc;
	}
	if (!g_opts.mute) {
		if (audio_open(&S.audio, &err))
			fprintf(stderr, "kiosk display: %s; the board runs without sound\n", err.msg);
	}
	return K_OK;
}

static void leave(struct ui_app *a)
{
	if (S.feed && g_opts.feed_stop)
		g_opts.feed_stop(S.feed);
	S.feed = NULL;
	audio_close(S.audio);
	S.audio = NULL;
	pthread_mutex_lock(&S.lock);
	json_decref(S.pending);
	S.pending = NULL;
	pthread_mutex_unlock(&S.lock);
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type == UI_EV_USER && e->code == EV_FEED) {
		take(a);
		return 1;
	}
	return 0;
}

/* --- drawing ------------------------------------------------------------------ */

static const SDL_Color FLASH_BG = {0xFF, 0xD4, 0x3B, 255};  /* amber: seen from the back row */
static const SDL_Color FLASH_TEXT = {0x14, 0x21, 0x3D, 255};
static const SDL_Color ROW_BG = {0x0B, 0x4F, 0x3C, 255};
static const SDL_Color ROW_TEXT = {0xFF, 0xFF, 0xFF, 255};

static struct text_style style_px(struct ui_app *a, int px, int bold, SDL_Color c,
				  enum text_align al)
{
	struct text_style st = ui_style(a, UI_F_BODY, c, al);
	st.px = px;
	st.role = bold ? TEXT_BOLD : TEXT_REGULAR;
	st.max_lines = 1;
	return st;
}

/* One line centred vertically on r (its box is as tall as the text needs, so
 * Thai marks above and below are never cut). */
static void text_at(struct ui_app *a, SDL_Rect r, const char *s, int px, int bold, SDL_Color c,
		    enum text_align al)
{
	struct text_style st = style_px(a, px, bold, c, al);
	int w, h, n;
	if (text_measure(s, &st, r.w, &w, &h, &n))
		return;
	ui_text(a, (SDL_Rect){r.x, r.y + (r.h - h) / 2, r.w, h}, s, &st);
}

/* Height of one line of px text: the row pitch for lists. */
static int line_h(struct ui_app *a, int px)
{
	struct text_style st = style_px(a, px, 0, (SDL_Color){0, 0, 0, 255}, TEXT_LEFT);
	int w, h, n;
	return text_measure("ปฐุ", &st, 0, &w, &h, &n) ? px * 3 / 2 : h;
}

/* wide: a landscape board, with room for the date beside the office's name. */
static void header(struct ui_app *a, SDL_Rect r, int wide)
{
	const struct ui_theme *t = ui_theme(a);
	const struct kconfig *cfg = ui_config(a);
	char clock[16], date[TEXT_DATE_MAX];
	struct kdate d;
	int m = ui_sz(a, 36);

	kclock_bkk(kclock_now(), &d);
	snprintf(clock, sizeof clock, "%02d:%02d", d.hour, d.min);
	text_date(d.year, d.month, d.day, d.wday, TEXT_TH, TEXT_DATE_FULL | TEXT_DATE_WEEKDAY, date,
		  sizeof date);
	const char *office = S.b.office_th[0] ? S.b.office_th : cfg ? cfg->office_name_th : UI_OFFICE_TH;
	const char *office_en = S.b.office_en[0] ? S.b.office_en : cfg ? cfg->office_name_en : UI_OFFICE_EN;
	ui_fill(a, r, t->bar_bg, 0);
	/* Portrait: the office's name needs the date's room (it was cut to "สำ…"); the clock
	 * stays. */
	int cw = ui_sz(a, 250), dw = wide ? ui_sz(a, 620) : 0;
	text_at(a, (SDL_Rect){r.x + r.w - m - cw, r.y, cw, r.h}, clock, ui_sz(a, 96), 1, t->bar_text,
		TEXT_RIGHT);
	if (dw)
		text_at(a, (SDL_Rect){r.x + r.w - 2 * m - cw - dw, r.y, dw, r.h}, date, ui_sz(a, 40),
			0, t->bar_text, TEXT_RIGHT);
	int ow = r.w - (dw ? 4 : 3) * m - cw - dw;
	int h1 = line_h(a, ui_sz(a, 56)), h2 = line_h(a, ui_sz(a, 28));
	int y = r.y + (r.h - h1 - h2) / 2;
	text_at(a, (SDL_Rect){r.x + m, y, ow, h1}, office, ui_sz(a, 56), 1, t->bar_text, TEXT_LEFT);
	text_at(a, (SDL_Rect){r.x + m, y + h1 - ui_sz(a, 8), ow, h2}, office_en, ui_sz(a, 28), 0,
		t->bar_text, TEXT_LEFT);
}

static void serving(struct ui_app *a, SDL_Rect r, int64_t now)
{
	const struct ui_theme *t = ui_theme(a);
	int m = ui_sz(a, 24);
	int numw = r.w * 58 / 100;
	int h1 = line_h(a, ui_sz(a, 44)), h2 = line_h(a, ui_sz(a, 26));
	int head_h = h1 + h2 - ui_sz(a, 10);

	/* Column heads, Thai large and English under. */
	SDL_Rect c1 = {r.x + m, r.y, numw - m, h1}, c2 = {r.x + numw, r.y, r.w - numw - m, h1};
	text_at(a, c1, "หมายเลข", ui_sz(a, 44), 1, t->text, TEXT_CENTER);
	text_at(a, c2, "ช่องบริการ", ui_sz(a, 44), 1, t->text, TEXT_CENTER);
	c1.y = c2.y = r.y + h1 - ui_sz(a, 10);
	c1.h = c2.h = h2;
	text_at(a, c1, "Number", ui_sz(a, 26), 0, t->muted, TEXT_CENTER);
	text_at(a, c2, "Counter", ui_sz(a, 26), 0, t->muted, TEXT_CENTER);

	int y = r.y + head_h + ui_sz(a, 8);
	int avail = r.y + r.h - y;
	int rows = S.b.n_serving;
	if (rows == 0) {
		text_at(a, (SDL_Rect){r.x, y, r.w, avail * 45 / 100}, "รอเรียกคิว", ui_sz(a, 80), 1,
			t->muted, TEXT_CENTER);
		text_at(a, (SDL_Rect){r.x, y + avail * 45 / 100, r.w, avail / 5},
			"Waiting for the next call", ui_sz(a, 40), 0, t->muted, TEXT_CENTER);
		return;
	}
	/* As large as fits: three rows at full size, smaller rows when more counters call. */
	int row_h = ui_sz(a, 250);
	if (rows * row_h > avail) {
		row_h = avail / rows;
		if (row_h < ui_sz(a, 110))
			row_h = ui_sz(a, 110);
		if (rows * row_h > avail)
			rows = avail / row_h;
	}
	int gap = ui_sz(a, 14), px = (row_h - gap) * 62 / 100;
	for (int i = 0; i < rows; i++) {
		const struct board_call *c = &S.b.serving[i];
		int on = board_flash_on(c, now);
		SDL_Rect row = {r.x + m, y + i * row_h, r.w - 2 * m, row_h - gap};
		ui_fill(a, row, on ? FLASH_BG : ROW_BG, 18);
		SDL_Color fg = on ? FLASH_TEXT : ROW_TEXT;
		char cnt[8];
		snprintf(cnt, sizeof cnt, "%d", c->counter);
		text_at(a, (SDL_Rect){row.x, row.y, numw - m, row.h}, c->number, px, 1, fg, TEXT_CENTER);
		text_at(a, (SDL_Rect){row.x + numw - m - px / 3, row.y, px * 2 / 3, row.h}, "→",
			px * 2 / 3, 1, fg, TEXT_CENTER);
		text_at(a, (SDL_Rect){r.x + numw, row.y, r.w - numw - 2 * m, row.h}, cnt, px, 1, fg,
			TEXT_CENTER);
	}
}

static void side(struct ui_app *a, SDL_Rect r)
{
	const struct ui_theme *t = ui_theme(a);
	int m = ui_sz(a, 28), y = r.y + ui_sz(a, 12);
	int w = r.w - 2 * m;
	int hh = line_h(a, ui_sz(a, 40)), lh = line_h(a, ui_sz(a, 42)) - ui_sz(a, 8);
	char line[96];

	ui_fill(a, r, t->panel, 18);
	text_at(a, (SDL_Rect){r.x + m, y, w, hh}, "เรียกล่าสุด  Last calls", ui_sz(a, 40), 1,
		t->panel_text, TEXT_LEFT);
	y += hh;
	int shown = 0;
	for (int i = 0; i < S.b.n_recent && shown < 4; i++) {
		const struct board_call *c = &S.b.recent[i];
		snprintf(line, sizeof line, "%s  →  ช่อง %d", c->number, c->counter);
		text_at(a, (SDL_Rect){r.x + m, y, w, lh}, line, ui_sz(a, 42), 0, t->panel_text, TEXT_LEFT);
		y += lh;
		shown++;
	}
	if (!shown) {
		text_at(a, (SDL_Rect){r.x + m, y, w, lh}, "—", ui_sz(a, 42), 0, t->muted, TEXT_LEFT);
		y += lh;
	}
	y += ui_sz(a, 10);
	ui_fill(a, (SDL_Rect){r.x + m, y, w, ui_sz(a, 3)}, t->divider, 0);
	y += ui_sz(a, 10);
	snprintf(line, sizeof line, "รอคิว  Waiting: %d", S.b.total_waiting);
	text_at(a, (SDL_Rect){r.x + m, y, w, hh}, line, ui_sz(a, 40), 1, t->panel_text, TEXT_LEFT);
	y += hh;
	int n = S.b.n_waiting, bottom = r.y + r.h - ui_sz(a, 8);
	int px = ui_sz(a, 34), rh = line_h(a, px) - ui_sz(a, 12);
	if (n && (bottom - y) / n < rh) {
		rh = (bottom - y) / n; /* many services: smaller rows */
		px = rh * 34 / (line_h(a, ui_sz(a, 34)) - ui_sz(a, 12));
		px = ui_sz(a, 34) * px / 34;
	}
	for (int i = 0; i < n && px >= ui_sz(a, 16); i++) {
		const struct board_wait *wt = &S.b.waiting[i];
		char name[BOARD_NAME_MAX + 8], cnt[16];
		snprintf(name, sizeof name, "%c  %s", wt->prefix ? wt->prefix : '?', wt->name_th);
		snprintf(cnt, sizeof cnt, "%d", wt->count);
		int cw = ui_sz(a, 90);
		text_at(a, (SDL_Rect){r.x + m, y, w - cw, rh}, name, px, 0, t->panel_text, TEXT_LEFT);
		text_at(a, (SDL_Rect){r.x + m + w - cw, y, cw, rh}, cnt, px, 1, t->panel_text, TEXT_RIGHT);
		y += rh;
	}
}

static void footer(struct ui_app *a, SDL_Rect r)
{
	const struct ui_theme *t = ui_theme(a);
	const char *th, *en;
	SDL_Color bg = t->bg, fg = t->muted;
	int warn = !S.connected && (S.feed || S.source[0]);
	if (warn) {
		th = S.ever ? "กำลังเชื่อมต่อใหม่..." : "กำลังเชื่อมต่อ...";
		en = S.ever ? "Reconnecting: the numbers above may be out of date" : "Connecting";
		bg = t->note_bg;
		fg = t->note_text;
	} else {
		th = "กรุณาฟังเสียงเรียกและดูหมายเลขบนจอ";
		en = "Please listen for your number";
	}
	char s[256];
	snprintf(s, sizeof s, "%s   %s", th, en);
	ui_fill(a, r, bg, 0);
	text_at(a, (SDL_Rect){r.x + ui_sz(a, 36), r.y, r.w - ui_sz(a, 72), r.h}, s, ui_sz(a, 34), warn,
		fg, TEXT_CENTER);
}

/* `--trace` times are CLOCK_MONOTONIC milliseconds: one clock for every process on the
 * machine (python3's time.monotonic() reads it), so a test can measure call-to-board
 * latency across processes; unlike wall time it neither jumps nor follows KIOSK_NOW. */
static void trace_frame(void)
{
	if (!g_opts.trace || S.b.last_event == S.traced_event)
		return;
	S.traced_event = S.b.last_event;
	printf("frame %lld event %lld serving", (long long)kclock_mono_ms(),
	       (long long)S.b.last_event);
	for (int i = 0; i < S.b.n_serving; i++)
		printf(" %s:%d", S.b.serving[i].number, S.b.serving[i].counter);
	printf("\n");
	fflush(stdout);
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, 28);
	int64_t now = (int64_t)SDL_GetTicks64();
	int top = ui_sz(a, 150), foot = ui_sz(a, 70);

	S.drawn_min = kclock_now() / 60;
	ui_fill(a, (SDL_Rect){0, 0, W, H}, t->bg, 0);
	int wide = W >= H;
	header(a, (SDL_Rect){0, 0, W, top}, wide);
	int sw = wide ? W * 34 / 100 : 0; /* portrait: the calls take the whole width */
	serving(a, (SDL_Rect){0, top + m, W - sw - (sw ? m : 0), H - top - foot - 2 * m}, now);
	if (sw)
		side(a, (SDL_Rect){W - sw - m, top + m, sw, H - top - foot - 2 * m});
	footer(a, (SDL_Rect){0, H - foot, W, foot});
	trace_frame();
	S.drawn_flashing = board_next_change(&S.b, now) > 0;
	if (g_opts.trace && S.b.n_serving) {
		/* What the top row was drawn as: a test follows the blinking from here, whatever
		 * moments its screenshots happen to catch on a busy machine. */
		int on = board_flash_on(&S.b.serving[0], now);
		if (on != S.traced_flash) {
			printf("flash %s %s %lld\n", S.b.serving[0].number, on ? "on" : "off",
			       (long long)kclock_mono_ms());
			S.traced_flash = on;
		}
	}
}

static int64_t tick(struct ui_app *a, int64_t now_ms)
{
	/* Belt and braces: pick up news even if a wake-up was missed. */
	pthread_mutex_lock(&S.lock);
	int news = S.pending || S.lost != !S.connected;
	pthread_mutex_unlock(&S.lock);
	if (news)
		take(a);
	int64_t next = board_next_change(&S.b, now_ms);
	/* A flash phase or the clock's minute changed; or a flash ended since the last frame,
	 * which a late tick (a busy machine) only sees as "nothing flashes now": without
	 * this the last bright phase stayed on screen for good. */
	if (next > 0 || S.drawn_flashing || kclock_now() / 60 != S.drawn_min)
		ui_app_dirty(a);
	int64_t minute = (60 - kclock_now() % 60) * 1000;
	int64_t wait = next > 0 ? next - now_ms : minute;
	if (wait > minute)
		wait = minute;
	return wait > 1000 ? 1000 : wait; /* the 1 s cap also covers a missed wake-up */
}

const struct ui_screen_ops scr_display = {
	.name = "display",
	.enter = enter,
	.leave = leave,
	.event = event,
	.draw = draw,
	.tick = tick,
};
