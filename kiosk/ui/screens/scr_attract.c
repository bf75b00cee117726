/**
 * @file scr_attract.c
 * @brief The idle screen: office name, clock and Buddhist-era date, and the call to
 * touch the screen or insert the ID card, in both languages (the current one large).
 *
 * The layout measures its blocks and shares the spare height between them, so any
 * screen size works (portrait 1080x1920 is the lobby unit; 1920x1080 the wall one).
 * The clock needs one redraw a minute: tick() sleeps until the next minute.
 *
 * At the foot, "ประเมินความพึงพอใจ / Rate our service" opens the rating screen. Staff
 * reach the admin screen by tapping the office name in the top bar 5 times within
 * 3 s (then the PIN): nothing on screen invites it, and the script replayer can do it.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "ui/screens/screens.h"
#include "ui/widgets.h"

enum { ID_START = 1, ID_RATE, ID_OFFICE };

/* The staff's way in: the office name tapped this many times within ADMIN_TAPS_MS.
 * A visitor does not tap a title five times by chance; the PIN guards it anyway. */
#define ADMIN_TAPS 5
#define ADMIN_TAPS_MS 3000

static int64_t taps[ADMIN_TAPS]; /* SDL ms of the last taps on the office name */

#define ILLUS_H 300 /* card drawing height at scale 1 */

static const char *msg(const struct ui_app *a, enum ui_lang l)
{
	(void)a;
	return l == UI_TH ? "แตะหน้าจอ หรือ เสียบบัตรประชาชน เพื่อเริ่มต้น"
			  : "Touch the screen or insert your ID card to start";
}

/* An ID card going into a slot: the shape visitors look for. */
static void draw_card(struct ui_app *a, SDL_Rect box)
{
	const struct ui_theme *t = ui_theme(a);
	int ch = box.h * 62 / 100, cw = ch * 86 / 54; /* ID-1 card proportions */
	SDL_Rect card = {box.x + (box.w - cw) / 2, box.y, cw, ch};
	int b = ui_sz(a, 4) > 2 ? ui_sz(a, 4) : 2;

	ui_fill(a, card, t->btn_bg, 22);
	ui_fill(a, (SDL_Rect){card.x + b, card.y + b, card.w - 2 * b, card.h - 2 * b}, t->panel, 20);
	SDL_Color chip = {0xC9, 0xA2, 0x27, 255};
	ui_fill(a, (SDL_Rect){card.x + cw / 10, card.y + ch * 30 / 100, cw / 6, ch / 4}, chip, 8);
	SDL_Color line = t->divider;
	for (int i = 0; i < 3; i++)
		ui_fill(a, (SDL_Rect){card.x + cw * 34 / 100, card.y + ch * (25 + i * 16) / 100,
				      cw * (i == 2 ? 25 : 35) / 100, ch / 14},
			line, 4);
	ui_fill(a, (SDL_Rect){card.x + cw * 74 / 100, card.y + ch * 22 / 100, cw / 6, ch * 45 / 100},
		line, 6);

	/* Arrow down to the slot. */
	int ax = box.x + box.w / 2, ay = card.y + ch + ui_sz(a, 14);
	int ah = box.y + box.h - ay - ui_sz(a, 22), aw = ah;
	SDL_Color c = t->btn_bg;
	SDL_Vertex v[3] = {
		{{(float)(ax - aw / 2), (float)ay}, c, {0, 0}},
		{{(float)(ax + aw / 2), (float)ay}, c, {0, 0}},
		{{(float)ax, (float)(ay + ah)}, c, {0, 0}},
	};
	if (ah > 0)
		SDL_RenderGeometry(ui_renderer(a), NULL, v, 3, NULL, 0);
	ui_fill(a, (SDL_Rect){box.x + (box.w - cw * 12 / 10) / 2, box.y + box.h - ui_sz(a, 14),
			      cw * 12 / 10, ui_sz(a, 14)},
		t->text, 6);
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	enum ui_lang l = ui_lang(a);
	enum ui_lang other = l == UI_TH ? UI_EN : UI_TH;
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN);
	char clock[16], date[TEXT_DATE_MAX];
	struct kdate d;

	kclock_bkk(kclock_now(), &d);
	snprintf(clock, sizeof clock, "%02d:%02d", d.hour, d.min);
	text_date(d.year, d.month, d.day, d.wday, l == UI_TH ? TEXT_TH : TEXT_EN,
		  TEXT_DATE_FULL | TEXT_DATE_WEEKDAY, date, sizeof date);

	const struct kconfig *cfg = ui_config(a);
	int bar = ui_topbar(a, cfg ? ui_tr(a, cfg->office_name_th, cfg->office_name_en)
				   : ui_tr(a, UI_OFFICE_TH, UI_OFFICE_EN), 0);
	/* Text column: not wider than a comfortable reading width on a wide screen. */
	int cw = W - 2 * m;
	if (cw > ui_sz(a, 1500))
		cw = ui_sz(a, 1500);
	int cx = (W - cw) / 2;

	int h_clock = ui_label_height(a, cw, clock, UI_F_HUGE);
	int h_date = ui_label_height(a, cw, date, UI_F_HEAD);
	int h_msg = ui_label_height(a, cw, msg(a, l), UI_F_TITLE);
	int h_msg2 = ui_label_height(a, cw, msg(a, other), UI_F_BODY);
	int h_ill = ui_sz(a, ILLUS_H);
	const char *rate = ui_tr(a, "ประเมินความพึงพอใจ", "Rate our service");
	const char *rate2 = ui_tr(a, "Rate our service", "ประเมินความพึงพอใจ");
	int rw = cw < ui_sz(a, 900) ? cw : ui_sz(a, 900);
	int h_rate = ui_button_height(a, rw, rate, rate2);
	if (h_rate < ui_sz(a, 140))
		h_rate = ui_sz(a, 140);
	int avail = H - bar - h_rate - ui_sz(a, 2 * UI_MARGIN);
	int used = h_clock + h_date + h_msg + h_msg2 + h_ill;
	int blocks = 5;
	if (used > avail) {
		used -= h_ill; /* a small landscape screen: words matter more than the drawing */
		h_ill = 0;
		blocks = 4;
	}
	int gap = (avail - used) / (blocks + 2);
	if (gap < 0)
		gap = 0;

	/* The whole screen under the bar starts; the bar's own buttons win (drawn later). */
	ui_hotspot(a, ID_START, (SDL_Rect){0, bar, W, H - bar}, msg(a, l));
	/* The office name in the bar: no label, so only staff who know find it. */
	ui_hotspot(a, ID_OFFICE, (SDL_Rect){0, 0, W / 2, bar}, NULL);

	int y = bar + gap;
	y += ui_label(a, (SDL_Rect){cx, y, cw, 0}, clock, UI_F_HUGE, t->text, TEXT_CENTER);
	y += ui_label(a, (SDL_Rect){cx, y, cw, 0}, date, UI_F_HEAD, t->muted, TEXT_CENTER) + gap;
	if (h_ill) {
		draw_card(a, (SDL_Rect){cx, y + gap / 2, cw, h_ill});
		y += h_ill + gap * 2;
	}
	y += ui_label(a, (SDL_Rect){cx, y, cw, 0}, msg(a, l), UI_F_TITLE, t->text, TEXT_CENTER) + gap / 2;
	ui_label(a, (SDL_Rect){cx, y, cw, 0}, msg(a, other), UI_F_BODY, t->muted, TEXT_CENTER);
	/* Rating after service: a clear button of its own at the foot. */
	ui_button_sub(a, ID_RATE, (SDL_Rect){(W - rw) / 2, H - h_rate - ui_sz(a, UI_MARGIN), rw, h_rate},
		      rate, rate2, UI_BTN_SECONDARY);
}

/* 1 when this tap completes ADMIN_TAPS taps within ADMIN_TAPS_MS. */
static int admin_tap(void)
{
	int64_t now = (int64_t)SDL_GetTicks64();
	memmove(taps, taps + 1, sizeof taps - sizeof taps[0]);
	taps[ADMIN_TAPS - 1] = now;
	if (taps[0] && now - taps[0] <= ADMIN_TAPS_MS) {
		memset(taps, 0, sizeof taps);
		return 1;
	}
	return 0;
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type == UI_EV_CLICK && e->id == ID_RATE) {
		ui_app_push(a, "rating", NULL);
		return 1;
	}
	if (e->type == UI_EV_CLICK && e->id == ID_OFFICE) {
		if (admin_tap())
			ui_app_push(a, "admin", NULL);
		return 1;
	}
	if ((e->type == UI_EV_CLICK && e->id == ID_START) || (e->type == UI_EV_CARD && e->text)) {
		/* Without a services screen (a table without it) the push is refused
		 * and the visitor stays here. */
		ui_app_push(a, "services", NULL);
		return 1;
	}
	return 0;
}

static int64_t tick(struct ui_app *a, int64_t now_ms)
{
	(void)now_ms;
	ui_app_dirty(a);
	return (60 - kclock_now() % 60) * 1000;
}

const struct ui_screen_ops scr_attract = {
	.name = "attract",
	.draw = draw,
	.event = event,
	.tick = tick,
};
