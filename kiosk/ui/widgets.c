/**
 * @file widgets.c
 * @brief Buttons, paragraphs, rounded fills, hot spots, scroll views and the top bar.
 */
#include <math.h>
#include <stdlib.h>

#include "ui/widgets.h"

#define BTN_RADIUS 18   /* corner radius at scale 1 */
#define BTN_PAD_X 32
#define BTN_PAD_Y 18
#define BTN_BORDER 3
#define BAR_BTN_W 210   /* back / home width at scale 1 */
#define BAR_TOGGLE_W 130
#define SCROLLBAR_W 10

/* The finger went down on this widget and is still on the screen. */
static int is_pressed(struct ui_app *a, int id)
{
	return ui_cv(a)->down && ui_cv(a)->pressed_id == id;
}

static int is_bold(enum ui_font f)
{
	return f == UI_F_HUGE || f == UI_F_TITLE || f == UI_F_HEAD || f == UI_F_BUTTON;
}

static struct text_style style(struct ui_app *a, enum ui_font f, SDL_Color c, enum text_align al)
{
	return (struct text_style){.role = is_bold(f) ? TEXT_BOLD : TEXT_REGULAR,
				   .px = ui_font(a, f), .color = c, .align = al};
}

int ui_label_height(struct ui_app *a, int w, const char *s, enum ui_font f)
{
	struct text_style st = style(a, f, ui_theme(a)->text, TEXT_LEFT);
	int h = 0;
	if (!s || !*s)
		return 0;
	text_measure(s, &st, w, NULL, &h, NULL);
	return h;
}

int ui_label(struct ui_app *a, SDL_Rect box, const char *s, enum ui_font f, SDL_Color c,
	     enum text_align al)
{
	struct text_style st = style(a, f, c, al);
	int h = ui_label_height(a, box.w, s, f);
	if (!h)
		return 0;
	if (box.h <= 0)
		box.h = h;
	box.y -= ui_yoff(a);
	text_draw(ui_text_cache(a), s, &st, box, NULL);
	return box.h > h ? box.h : h;
}

struct text_style ui_style(struct ui_app *a, enum ui_font f, SDL_Color c, enum text_align al)
{
	return style(a, f, c, al);
}

int ui_text(struct ui_app *a, SDL_Rect box, const char *s, const struct text_style *st)
{
	int h = 0;
	if (!s || !*s)
		return 0;
	text_measure(s, st, box.w, NULL, &h, NULL);
	if (box.h <= 0)
		box.h = h;
	box.y -= ui_yoff(a);
	text_draw(ui_text_cache(a), s, st, box, NULL);
	return box.h > h ? box.h : h;
}

/* Fills rects in c. An opaque fill is a plain store: SDL's software renderer blends every
 * pixel of a fill in BLEND mode even at alpha 255 (same pixels, ~3x the time; the
 * checklist's cards and background were a sixth of `kiosk shot`). BLEND stays the draw
 * mode for everyone else (anti-aliased geometry needs it). Alpha 0 in a theme colour
 * means opaque. */
static void fill_rects(struct ui_app *a, const SDL_Rect *r, int n, SDL_Color c)
{
	SDL_Renderer *ren = ui_renderer(a);
	Uint8 alpha = c.a ? c.a : 255;
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, alpha);
	if (alpha == 255)
		SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_NONE);
	SDL_RenderFillRects(ren, r, n);
	if (alpha == 255)
		SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_BLEND);
}

void ui_frame(struct ui_app *a, SDL_Rect r, SDL_Color c)
{
	int t = ui_sz(a, 1) > 1 ? ui_sz(a, 1) : 1;
	r.y -= ui_yoff(a);
	SDL_Rect e[4] = {{r.x, r.y, r.w, t}, {r.x, r.y + r.h - t, r.w, t}, {r.x, r.y, t, r.h},
			 {r.x + r.w - t, r.y, t, r.h}};
	fill_rects(a, e, 4, c);
}

static void fill_raw(struct ui_app *a, SDL_Rect r, SDL_Color c, int radius)
{
	int rad = ui_sz(a, radius);
	SDL_Rect rows[2 * 64 + 1];
	int n = 0;

	if (r.w <= 0 || r.h <= 0)
		return;
	if (rad > r.h / 2)
		rad = r.h / 2;
	if (rad > r.w / 2)
		rad = r.w / 2;
	if (rad > 64)
		rad = 64;
	for (int y = 0; y < rad; y++) {
		double dy = rad - y - 0.5;
		int in = (int)(rad - sqrt((double)rad * rad - dy * dy) + 0.5);
		rows[n++] = (SDL_Rect){r.x + in, r.y + y, r.w - 2 * in, 1};
		rows[n++] = (SDL_Rect){r.x + in, r.y + r.h - 1 - y, r.w - 2 * in, 1};
	}
	rows[n++] = (SDL_Rect){r.x, r.y + rad, r.w, r.h - 2 * rad};
	fill_rects(a, rows, n, c);
}

void ui_fill(struct ui_app *a, SDL_Rect r, SDL_Color c, int radius)
{
	r.y -= ui_yoff(a);
	fill_raw(a, r, c, radius);
}

void ui_hotspot(struct ui_app *a, int id, SDL_Rect r, const char *label)
{
	r.y -= ui_yoff(a);
	ui_canvas_hit_add(ui_cv(a), id, r, label, NULL, 0);
}

static int min_button_h(struct ui_app *a)
{
	int h = ui_sz(a, 96);
	return h < UI_BUTTON_MIN_H ? UI_BUTTON_MIN_H : h;
}

int ui_button_height(struct ui_app *a, int w, const char *label, const char *sub)
{
	int tw = w - 2 * ui_sz(a, BTN_PAD_X);
	int h = ui_label_height(a, tw, label, UI_F_BUTTON);
	if (sub && *sub)
		h += ui_sz(a, 4) + ui_label_height(a, tw, sub, UI_F_SMALL);
	h += 2 * ui_sz(a, BTN_PAD_Y);
	return h < min_button_h(a) ? min_button_h(a) : h;
}

int ui_button_sub(struct ui_app *a, int id, SDL_Rect r, const char *label, const char *sub,
		  unsigned flags)
{
	const struct ui_theme *t = ui_theme(a);
	int need = ui_button_height(a, r.w, label, sub);
	int h = r.h > need ? r.h : need;
	SDL_Rect R = {r.x, r.y - ui_yoff(a), r.w, h};
	int pressed = is_pressed(a, id) && !(flags & UI_BTN_DISABLED);
	SDL_Color bg = t->btn_bg, fg = t->btn_text;

	if (flags & UI_BTN_DISABLED) {
		bg = t->off_bg, fg = t->off_text;
	} else if (pressed) {
		bg = t->btn_down_bg, fg = t->btn_down_text;
	} else if (flags & UI_BTN_ACCENT) {
		bg = t->accent_bg, fg = t->accent_text;
	} else if (flags & UI_BTN_SECONDARY) {
		fill_raw(a, R, t->btn2_border, BTN_RADIUS);
		int b = ui_sz(a, BTN_BORDER) > 2 ? ui_sz(a, BTN_BORDER) : 2;
		R = (SDL_Rect){R.x + b, R.y + b, R.w - 2 * b, R.h - 2 * b};
		bg = t->btn2_bg, fg = t->btn2_text;
	}
	fill_raw(a, R, bg, BTN_RADIUS);
	R = (SDL_Rect){r.x, r.y - ui_yoff(a), r.w, h};

	int px = ui_sz(a, BTN_PAD_X), tw = r.w - 2 * px;
	int lh = ui_label_height(a, tw, label, UI_F_BUTTON);
	int sh = sub && *sub ? ui_label_height(a, tw, sub, UI_F_SMALL) : 0;
	int gap = sh ? ui_sz(a, 4) : 0;
	int y = R.y + (h - (lh + gap + sh)) / 2;
	enum text_align al = (flags & UI_BTN_LEFT) ? TEXT_LEFT : TEXT_CENTER;
	struct text_style st = style(a, UI_F_BUTTON, fg, al);
	text_draw(ui_text_cache(a), label, &st, (SDL_Rect){R.x + px, y, tw, lh}, NULL);
	if (sh) {
		st = style(a, UI_F_SMALL, fg, al);
		text_draw(ui_text_cache(a), sub, &st, (SDL_Rect){R.x + px, y + lh + gap, tw, sh}, NULL);
	}
	if (!(flags & UI_BTN_DISABLED))
		ui_canvas_hit_add(ui_cv(a), id, R, label, NULL, 0);
	return h;
}

void ui_key(struct ui_app *a, int id, SDL_Rect r, const char *shown, const char *name,
	    enum ui_font f, unsigned flags, int on)
{
	const struct ui_theme *t = ui_theme(a);
	SDL_Rect R = {r.x, r.y - ui_yoff(a), r.w, r.h};
	int pressed = is_pressed(a, id) && !(flags & UI_BTN_DISABLED);
	SDL_Color bg = t->btn2_bg, fg = t->btn2_text;
	int b = ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1;

	if (flags & UI_BTN_DISABLED) {
		bg = t->off_bg, fg = t->off_text;
	} else if (pressed || on) {
		bg = t->btn_down_bg, fg = t->btn_down_text;
	} else if (flags & UI_BTN_ACCENT) {
		bg = t->accent_bg, fg = t->accent_text;
	} else if (!(flags & UI_BTN_SECONDARY)) {
		bg = t->btn_bg, fg = t->btn_text;
	}
	if (!(flags & UI_BTN_SECONDARY) || pressed || on) {
		fill_raw(a, R, bg, 12);
	} else {
		fill_raw(a, R, t->btn2_border, 12);
		fill_raw(a, (SDL_Rect){R.x + b, R.y + b, R.w - 2 * b, R.h - 2 * b}, bg, 11);
	}
	struct text_style st = style(a, f, fg, TEXT_CENTER);
	st.valign = TEXT_MIDDLE;
	st.max_lines = 1;
	int pad = ui_sz(a, 4), tw = 0, th = 0;
	if (shown && *shown) {
		/* Keys keep their size in large-text mode: the label steps down until
		 * it fits, room for Thai marks included. */
		int step = ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1;
		for (;;) {
			text_measure(shown, &st, 0, &tw, &th, NULL);
			if ((tw <= R.w - 2 * pad && th <= R.h) || st.px <= 2 * step)
				break;
			st.px -= step;
		}
		text_draw(ui_text_cache(a), shown, &st, (SDL_Rect){R.x + pad, R.y, R.w - 2 * pad, R.h}, NULL);
	}
	if (!(flags & UI_BTN_DISABLED))
		ui_canvas_hit_add(ui_cv(a), id, R, name ? name : shown, NULL, 0);
}

int ui_button(struct ui_app *a, int id, SDL_Rect r, const char *label, unsigned flags)
{
	return ui_button_sub(a, id, r, label, NULL, flags);
}

int ui_yoff(const struct ui_app *a)
{
	return ui_canvas_yoff(ui_ccv(a));
}

void ui_scroll_begin(struct ui_app *a, struct ui_scroll *sc, SDL_Rect view)
{
	ui_cv(a)->cur_scroll = sc;
	ui_cv(a)->cur_view = view;
	sc->view_h = view.h;
	SDL_RenderSetClipRect(ui_renderer(a), &view);
}

void ui_scroll_end(struct ui_app *a, struct ui_scroll *sc, int content_bottom)
{
	SDL_Rect v = ui_cv(a)->cur_view;
	int max;

	sc->content_h = content_bottom - v.y;
	max = sc->content_h > v.h ? sc->content_h - v.h : 0;
	if (sc->offset > max) {
		/* Content shrank (language or text size changed): redraw in range. */
		sc->offset = max;
		ui_cv(a)->dirty = 1;
	}
	if (sc->offset < 0)
		sc->offset = 0;
	ui_cv(a)->cur_scroll = NULL;
	SDL_RenderSetClipRect(ui_renderer(a), NULL);
	ui_canvas_hit_add(ui_cv(a), 0, v, NULL, sc, max);
	if (max > 0) {
		int bw = ui_sz(a, SCROLLBAR_W);
		int th = v.h * v.h / sc->content_h;
		th = th < ui_sz(a, 60) ? ui_sz(a, 60) : th;
		int ty = v.y + (int)((long)(v.h - th) * sc->offset / max);
		ui_fill(a, (SDL_Rect){v.x + v.w - bw, v.y, bw, v.h}, ui_theme(a)->divider, 5);
		ui_fill(a, (SDL_Rect){v.x + v.w - bw, ty, bw, th}, ui_theme(a)->muted, 5);
	}
}

/* Bar buttons: darker green, white text, one line, at least the touch height. */
static struct text_style bar_style(struct ui_app *a, SDL_Color c)
{
	struct text_style st = style(a, UI_F_BUTTON, c, TEXT_CENTER);
	st.valign = TEXT_MIDDLE;
	st.max_lines = 1;
	return st;
}

/* Size a bar button needs for its label (w at least min_w). */
static void bar_size(struct ui_app *a, const char *label, int min_w, int *w, int *h)
{
	struct text_style st = bar_style(a, ui_theme(a)->bar_text);
	int tw = 0, th = 0, pad = ui_sz(a, 14);
	text_measure(label, &st, 0, &tw, &th, NULL);
	*w = tw + 2 * pad > min_w ? tw + 2 * pad : min_w;
	*h = th + pad > min_button_h(a) ? th + pad : min_button_h(a);
}

static void bar_button(struct ui_app *a, int id, SDL_Rect r, const char *label)
{
	const struct ui_theme *t = ui_theme(a);
	int pressed = is_pressed(a, id);
	ui_fill(a, r, pressed ? t->bar_text : t->btn_down_bg, BTN_RADIUS);
	struct text_style st = bar_style(a, pressed ? t->bar_bg : t->bar_text);
	text_draw(ui_text_cache(a), label, &st, r, NULL);
	ui_canvas_hit_add(ui_cv(a), id, r, label, NULL, 0);
}

int ui_topbar(struct ui_app *a, const char *title, unsigned flags)
{
	const struct ui_theme *t = ui_theme(a);
	int pad = ui_sz(a, 16), m = ui_sz(a, 24);
	int xl = m, xr = ui_cv(a)->w - m;
	struct ui_scroll *saved = ui_cv(a)->cur_scroll;
	const char *lb[4] = {ui_tr(a, "‹ ย้อนกลับ", "‹ Back"), ui_tr(a, "หน้าแรก", "Home"),
			     ui_cv(a)->large ? "A-" : "A+", ui_cv(a)->lang == UI_TH ? "EN" : "ไทย"};
	int bw[4], bhs[4], bh = 0;

	ui_cv(a)->cur_scroll = NULL;
	for (int i = 0; i < 4; i++) {
		bar_size(a, lb[i], ui_sz(a, i < 2 ? BAR_BTN_W : BAR_TOGGLE_W), &bw[i], &bhs[i]);
		bh = bhs[i] > bh ? bhs[i] : bh;
	}
	int row = bh + 2 * pad;
	if (row < ui_sz(a, UI_BAR_H))
		row = ui_sz(a, UI_BAR_H);
	struct text_style ts = style(a, UI_F_HEAD, t->bar_text, TEXT_LEFT);
	ts.max_lines = 2;
	ts.valign = TEXT_MIDDLE;
	int left = ((flags & UI_BAR_BACK) ? bw[0] + pad : 0) + ((flags & UI_BAR_HOME) ? bw[1] + pad : 0);
	int right = bw[2] + bw[3] + 2 * pad;
	int title_x = xl + left, title_w = xr - right - title_x;
	/* A narrow screen with back and home: the title gets its own row under them
	 * rather than being squeezed into an ellipsis. */
	int two_rows = title && *title && title_w < ui_sz(a, 520);
	if (two_rows) {
		title_x = xl;
		title_w = xr - xl;
	}
	int th = 0;
	if (title && *title)
		text_measure(title, &ts, title_w, NULL, &th, NULL);
	int H = two_rows ? row + th + pad : (row > th + 2 * pad ? row : th + 2 * pad);
	int title_y = two_rows ? row - pad / 2 : pad;
	int title_h = two_rows ? th : H - 2 * pad;

	ui_fill(a, (SDL_Rect){0, 0, ui_cv(a)->w, H}, t->bar_bg, 0);
	int by = (row - bh) / 2;
	if (flags & UI_BAR_BACK) {
		bar_button(a, UI_ID_BACK, (SDL_Rect){xl, by, bw[0], bh}, lb[0]);
		xl += bw[0] + pad;
	}
	if (flags & UI_BAR_HOME) {
		bar_button(a, UI_ID_HOME, (SDL_Rect){xl, by, bw[1], bh}, lb[1]);
		xl += bw[1] + pad;
	}
	bar_button(a, UI_ID_LANG, (SDL_Rect){xr - bw[3], by, bw[3], bh}, lb[3]);
	bar_button(a, UI_ID_LARGE, (SDL_Rect){xr - bw[3] - pad - bw[2], by, bw[2], bh}, lb[2]);
	if (title && *title)
		text_draw(ui_text_cache(a), title, &ts, (SDL_Rect){title_x, title_y, title_w, title_h}, NULL);
	ui_cv(a)->cur_scroll = saved;
	return H;
}
