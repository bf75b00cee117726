/**
 * @file scr_thanks.c
 * @brief After a rating: thanks, what happens with it (anonymous, to the district
 * office; a comment stays with this office's staff: it is not uploaded), and back
 * to the start on its own after THANKS_S seconds, with a countdown and a Home button.
 *
 * Argument: "comment" when the visitor left one (the screen says who reads it).
 */
#include <stdio.h>
#include <string.h>

#include "ui/face.h"
#include "ui/screens/screens.h"
#include "ui/widgets.h"

enum { ID_HOME = 1 };

#define THANKS_S 8 /* long enough to read two lines, short enough for the next visitor */

static struct {
	int64_t start_ms;
	int comment;
	int left; /* seconds shown */
} st;

static kst enter(struct ui_app *a, const char *arg)
{
	(void)a;
	memset(&st, 0, sizeof st);
	st.comment = arg && !strcmp(arg, "comment");
	st.start_ms = (int64_t)SDL_GetTicks64();
	st.left = THANKS_S;
	return K_OK;
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type == UI_EV_CLICK && e->id == ID_HOME) {
		ui_app_home(a);
		return 1;
	}
	return 0;
}

static int64_t tick(struct ui_app *a, int64_t now_ms)
{
	int64_t el = now_ms - st.start_ms;
	if (el >= THANKS_S * 1000) {
		ui_app_home(a);
		return -1;
	}
	int left = (int)((THANKS_S * 1000 - el + 999) / 1000);
	if (left != st.left) {
		st.left = left;
		ui_app_dirty(a);
	}
	return 1000 - el % 1000;
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN);
	int bar = ui_topbar(a, ui_tr(a, "ประเมินความพึงพอใจ", "Rate our service"), 0);
	int cw = W - 2 * m;
	char count[96];
	const char *h1 = ui_tr(a, "ขอบคุณที่ใช้บริการ", "Thank you for using our service");
	const char *h2 = ui_tr(a, "Thank you for using our service", "ขอบคุณที่ใช้บริการ");
	const char *p1 = ui_tr(a, "ผลการประเมินไม่ระบุตัวตน จะส่งถึงสำนักงานเขต "
				  "เพื่อนำไปปรับปรุงการให้บริการ",
			       "Your rating is anonymous. It goes to the district office to help "
			       "us improve our service.");
	const char *p2 = st.comment ? ui_tr(a, "ความคิดเห็นของท่านจะถึงเจ้าหน้าที่ของสำนักงานนี้",
					   "Your comment reaches the staff of this office.")
				    : NULL;
	const char *home = ui_tr(a, "กลับหน้าแรก", "Back to start");
	if (ui_lang(a) == UI_EN)
		snprintf(count, sizeof count, "Back to the start in %d second%s", st.left,
			 st.left == 1 ? "" : "s");
	else
		snprintf(count, sizeof count, "กลับสู่หน้าแรกใน %d วินาที", st.left);

	int fr = ui_sz(a, W > H ? 110 : 150);
	int bh = ui_button_height(a, cw, home, NULL);
	int h = 2 * fr + ui_label_height(a, cw, h1, UI_F_TITLE) + ui_label_height(a, cw, h2, UI_F_BODY) +
		ui_label_height(a, cw, p1, UI_F_HEAD) + (p2 ? ui_label_height(a, cw, p2, UI_F_BODY) : 0) +
		ui_label_height(a, cw, count, UI_F_BODY) + bh;
	int gap = (H - bar - h) / 8;
	if (gap < ui_sz(a, 12))
		gap = ui_sz(a, 12);
	int y = bar + gap;
	ui_face(a, W / 2, y + fr, fr, 5);
	y += 2 * fr + gap;
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, h1, UI_F_TITLE, t->text, TEXT_CENTER);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, h2, UI_F_BODY, t->muted, TEXT_CENTER) + gap;
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, p1, UI_F_HEAD, t->text, TEXT_CENTER) + gap / 2;
	if (p2)
		y += ui_label(a, (SDL_Rect){m, y, cw, 0}, p2, UI_F_BODY, t->text, TEXT_CENTER);
	y += gap;
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, count, UI_F_BODY, t->muted, TEXT_CENTER) + gap / 2;
	ui_button(a, ID_HOME, (SDL_Rect){m, y, cw, bh}, home, 0);
}

const struct ui_screen_ops scr_thanks = {
	.name = "thanks",
	.enter = enter,
	.draw = draw,
	.event = event,
	.tick = tick,
};
