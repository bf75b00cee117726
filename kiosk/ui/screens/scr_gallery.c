/**
 * @file scr_gallery.c
 * @brief A check screen for installers and tests: the Thai marks that break with a
 * wrong font or missing shaping (น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น), dates, paragraphs wrapped in
 * outlined boxes of several widths, an ellipsis, every button kind, in a scroll view.
 * `kiosk shot --screen gallery` shows at a glance whether a machine renders Thai right.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "ui/screens/screens.h"
#include "ui/widgets.h"

enum { ID_PRIMARY = 1, ID_SECONDARY, ID_ACCENT, ID_DISABLED, ID_ROW0 = 100 };

#define GALLERY_ROWS 8

static struct {
	struct ui_scroll scroll;
	int clicks[ID_ROW0 + GALLERY_ROWS];
} st;

static const char marks[] = "น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น";
static const char para[] = "พยานบุคคลอายุ 20 ปีขึ้นไป 2 คน พร้อมสำเนาบัตรประจำตัวประชาชน "
			   "และสำเนาทะเบียนบ้าน (ท.ร.14)";

static kst enter(struct ui_app *a, const char *arg)
{
	(void)a;
	(void)arg;
	memset(&st, 0, sizeof st);
	return K_OK;
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), m = ui_sz(a, UI_MARGIN), gap = ui_sz(a, 24);
	int bar = ui_topbar(a, ui_tr(a, "ตรวจการแสดงผลภาษาไทย", "Thai rendering check"),
			    UI_BAR_BACK | UI_BAR_HOME);
	SDL_Rect view = {0, bar, W, ui_h(a) - bar};
	int cw = W - 2 * m, y = bar + gap;
	char b[TEXT_DATE_MAX], line[3 * TEXT_DATE_MAX];
	struct kdate d;

	ui_scroll_begin(a, &st.scroll, view);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, marks, UI_F_HUGE, t->text, TEXT_LEFT);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, marks, UI_F_TITLE, t->text, TEXT_LEFT);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, marks, UI_F_BODY, t->text, TEXT_LEFT) + gap;

	kclock_bkk(kclock_now(), &d);
	text_date(d.year, d.month, d.day, d.wday, TEXT_TH, 0, b, sizeof b);
	snprintf(line, sizeof line, "%s", b);
	text_date(d.year, d.month, d.day, d.wday, TEXT_TH, TEXT_DATE_THAI_DIGITS, b, sizeof b);
	snprintf(line + strlen(line), sizeof line - strlen(line), " · %s", b);
	text_date(d.year, d.month, d.day, d.wday, TEXT_EN, 0, b, sizeof b);
	snprintf(line + strlen(line), sizeof line - strlen(line), " · %s", b);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, line, UI_F_BODY, t->muted, TEXT_LEFT) + gap;

	/* The same paragraph at three widths and three alignments, boxes outlined. */
	static const int pct[3] = {100, 62, 38};
	static const enum text_align al[3] = {TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT};
	for (int i = 0; i < 3; i++) {
		int w = cw * pct[i] / 100;
		int h = ui_label_height(a, w, para, UI_F_BODY);
		ui_frame(a, (SDL_Rect){m, y, w, h}, t->divider);
		ui_label(a, (SDL_Rect){m, y, w, h}, para, UI_F_BODY, t->text, al[i]);
		y += h + gap;
	}
	struct text_style s2 = ui_style(a, UI_F_BODY, t->text, TEXT_LEFT);
	s2.max_lines = 2;
	int w2 = cw / 2;
	int h2 = ui_text(a, (SDL_Rect){m, y, w2, 0}, para, &s2);
	ui_frame(a, (SDL_Rect){m, y, w2, h2}, t->divider);
	y += h2 + gap;

	int bw = (cw - gap) / 2;
	int h = ui_button(a, ID_PRIMARY, (SDL_Rect){m, y, bw, 0}, ui_tr(a, "ยืนยัน", "Confirm"), 0);
	ui_button(a, ID_SECONDARY, (SDL_Rect){m + bw + gap, y, bw, h}, ui_tr(a, "ยกเลิก", "Cancel"),
		  UI_BTN_SECONDARY);
	y += h + gap;
	h = ui_button_sub(a, ID_ACCENT, (SDL_Rect){m, y, bw, 0}, ui_tr(a, "ช่องพิเศษ", "Priority"),
			  ui_tr(a, "ผู้สูงอายุ 60 ปีขึ้นไป", "Aged 60 and over"), UI_BTN_ACCENT);
	ui_button(a, ID_DISABLED, (SDL_Rect){m + bw + gap, y, bw, h},
		  ui_tr(a, "งดให้บริการ", "Closed"), UI_BTN_DISABLED);
	y += h + gap;
	static const char *const rows[GALLERY_ROWS][2] = {
		{"สอบสวนรับรองบุคคล", "Identity verification"},
		{"หนังสือรับรองความเป็นโสด", "Certificate of single status"},
		{"สำเนาทะเบียนบ้าน", "Copy of house registration"},
		{"ทำพินัยกรรม", "Making a will"},
		{"แจ้งเกิด", "Birth registration"},
		{"แจ้งตาย", "Death registration"},
		{"ย้ายที่อยู่", "Change of address"},
		{"ทำบัตรประจำตัวประชาชน", "ID card"},
	};
	for (int i = 0; i < GALLERY_ROWS; i++) {
		char sub[64];
		if (ui_lang(a) == UI_TH)
			snprintf(sub, sizeof sub, "แตะแล้ว %d ครั้ง", st.clicks[ID_ROW0 + i]);
		else
			snprintf(sub, sizeof sub, "tapped %d times", st.clicks[ID_ROW0 + i]);
		y += ui_button_sub(a, ID_ROW0 + i, (SDL_Rect){m, y, cw, 0},
				   ui_tr(a, rows[i][0], rows[i][1]), sub,
				   UI_BTN_SECONDARY | UI_BTN_LEFT) + gap / 2;
	}
	ui_scroll_end(a, &st.scroll, y + gap);
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	(void)a;
	if (e->type == UI_EV_CLICK && e->id > 0 && e->id < ID_ROW0 + GALLERY_ROWS) {
		st.clicks[e->id]++;
		return 1;
	}
	return 0;
}

const struct ui_screen_ops scr_gallery = {
	.name = "gallery",
	.enter = enter,
	.draw = draw,
	.event = event,
};
