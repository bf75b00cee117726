/**
 * @file scr_checklist.c
 * @brief One service before taking a ticket: what to bring (originals and copies),
 * warnings, who may apply, the steps, fee and time, where to complain, and how recent
 * the facts are. A fixed bar at the bottom keeps "get a ticket" in reach however far
 * the visitor scrolled. Argument: the service id.
 *
 * With a card holder (ui/card_glue.h): documents marked for another age group are
 * left out (core/cardrules.h) and the screen says so; a holder old enough gets the
 * priority ticket from the main button ("คิวพิเศษสำหรับผู้สูงอายุ"); an expired card
 * is said kindly on top. Without a card every document is shown with its condition.
 */
#include <stdio.h>
#include <string.h>

#include "core/cardrules.h"
#include "core/clock.h"
#include "core/config.h"
#include "ui/card_glue.h"
#include "ui/screens/screens.h"
#include "ui/ticketing.h"
#include "ui/widgets.h"

enum { ID_TICKET = 1, ID_BACK2, ID_PRIORITY };

#define LINE_MAX_BYTES 1024 /* one composed line (name + counts in Thai) */

static struct {
	const struct kservice *s;
	struct ui_scroll scroll;
} st;

static const char *lang(struct ui_app *a)
{
	return ui_lang(a) == UI_EN ? "en" : "th";
}

static kst enter(struct ui_app *a, const char *arg)
{
	const struct kconfig *cfg = ui_config(a);
	st.s = cfg && arg ? kcatalog_find(&cfg->catalog, arg) : NULL;
	st.scroll.offset = 0;
	if (st.s) /* the study's KPI: a look-up, once per visit (core/kpi.h) */
		ticketing_visit_lookup(ui_ticketing(a), st.s->id);
	return st.s ? K_OK : K_EUSAGE;
}

static int heading(struct ui_app *a, int x, int y, int w, const char *th, const char *en)
{
	return ui_label(a, (SDL_Rect){x, y, w, 0}, ui_tr(a, th, en), UI_F_HEAD, ui_theme(a)->text,
			TEXT_LEFT);
}

/* A numbered or bulleted item: marker in a fixed column, text wrapped beside it. */
static int item(struct ui_app *a, int x, int y, int w, const char *mark, const char *text,
		enum ui_font f, SDL_Color c)
{
	int mw = ui_sz(a, 56);
	ui_label(a, (SDL_Rect){x, y, mw, 0}, mark, f, c, TEXT_LEFT);
	return ui_label(a, (SDL_Rect){x + mw, y, w - mw, 0}, text, f, c, TEXT_LEFT);
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	const struct kservice *s = st.s;
	const char *L = lang(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), gap = ui_sz(a, 24);
	int bar = ui_topbar(a, ktext_get(&s->name, L), UI_BAR_BACK | UI_BAR_HOME);
	char buf[LINE_MAX_BYTES], mark[16];

	/* Bottom action bar, measured first so the scroll view ends above it. */
	const char *tk = ui_tr(a, "รับบัตรคิว", "Get a queue ticket");
	const char *bk = ui_tr(a, "ย้อนกลับ", "Back");
	/* Tap-only visitors who qualify say so here; staff check at the counter. A card
	 * holder old enough gets priority from the main button, with no second button. */
	const char *pr = ui_tr(a, "รับบัตรคิวพิเศษ", "Priority ticket");
	const char *prs = ui_tr(a, "ผู้สูงอายุ / ผู้พิการ / สตรีมีครรภ์ / พระภิกษุ\n"
				   "เจ้าหน้าที่จะตรวจสอบที่ช่องบริการ",
				"Elderly / disabled / pregnant / monks\nStaff will check at the counter");
	int by_age = card_holder_priority(a);
	const char *tks = by_age ? card_text_priority_age(a) : NULL;
	const struct card_holder *ho = card_holder();
	int age = ho ? ho->f.age : -1;
	int pad = ui_sz(a, 20);
	int wb = (W - 2 * m - gap) / 3, wt = W - 2 * m - gap - wb;
	int bh = ui_button_height(a, wt, tk, tks);
	int hb = ui_button_height(a, wb, bk, NULL);
	bh = hb > bh ? hb : bh;
	int ph = by_age ? 0 : ui_button_height(a, W - 2 * m, pr, prs);
	int foot = bh + (by_age ? 2 : 3) * pad + ph;
	int cw = W - 2 * m;
	int y = bar + gap;

	ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, bar, W, H - bar - foot});
	y += card_panel(a, m, y, cw, CARD_PANEL_EXPIRED);
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, ktext_get(&s->summary, L), UI_F_BODY, t->muted,
		      TEXT_LEFT) + gap;

	/* Warnings first: what sends people home (witnesses, originals). */
	for (size_t i = 0; i < s->n_warnings; i++) {
		const char *wtext = ktext_get(&s->warnings[i], L);
		int ip = ui_sz(a, 20);
		int h = ui_label_height(a, cw - 2 * ip, wtext, UI_F_BODY) + 2 * ip;
		ui_fill(a, (SDL_Rect){m, y, cw, h}, t->note_bg, 14);
		ui_label(a, (SDL_Rect){m + ip, y + ip, cw - 2 * ip, 0}, wtext, UI_F_BODY, t->note_text,
			 TEXT_LEFT);
		y += h + gap / 2;
	}
	y += gap / 2;

	y += heading(a, m, y, cw, "เอกสารที่ต้องเตรียม", "Documents to bring") + gap / 2;
	size_t hidden = 0, shown = 0;
	for (size_t i = 0; i < s->n_docs; i++)
		hidden += !cardrule_doc_shown(s->docs[i].applies, age);
	if (hidden)
		y += ui_label(a, (SDL_Rect){m, y, cw, 0},
			      ui_tr(a, "แสดงเอกสารสำหรับผู้ถือบัตร", "Showing the documents for the card holder"),
			      UI_F_SMALL, t->muted, TEXT_LEFT) + gap / 2;
	for (size_t i = 0; i < s->n_docs; i++) {
		const struct kdoc *d = &s->docs[i];
		int ip = ui_sz(a, 18), mw = ui_sz(a, 56);
		const char *cond = ktext_get(&d->condition, L);
		if (!cardrule_doc_shown(d->applies, age))
			continue;
		/* Everything shown: a document for one age group says which. */
		if ((!cond || !*cond) && age < 0)
			cond = cardrule_applies_text(d->applies, L);
		kdoc_counts(d, ui_lang(a) == UI_EN ? "en" : "th", buf, sizeof buf);
		int tw = cw - 2 * ip - mw;
		int h = ui_label_height(a, tw, ktext_get(&d->name, L), UI_F_BODY);
		h += ui_label_height(a, tw, buf, UI_F_SMALL);
		if (cond && *cond)
			h += ui_label_height(a, tw, cond, UI_F_SMALL);
		h += 2 * ip;
		ui_fill(a, (SDL_Rect){m, y, cw, h}, t->panel, 14);
		snprintf(mark, sizeof mark, "%zu.", ++shown);
		int yy = y + ip;
		ui_label(a, (SDL_Rect){m + ip, yy, mw, 0}, mark, UI_F_BODY, t->panel_text, TEXT_LEFT);
		yy += ui_label(a, (SDL_Rect){m + ip + mw, yy, tw, 0}, ktext_get(&d->name, L), UI_F_BODY,
			       t->panel_text, TEXT_LEFT);
		yy += ui_label(a, (SDL_Rect){m + ip + mw, yy, tw, 0}, buf, UI_F_SMALL, t->muted, TEXT_LEFT);
		if (cond && *cond)
			ui_label(a, (SDL_Rect){m + ip + mw, yy, tw, 0}, cond, UI_F_SMALL, t->muted, TEXT_LEFT);
		y += h + gap / 3;
	}
	y += gap;

	if (s->n_criteria) {
		y += heading(a, m, y, cw, "หลักเกณฑ์", "Who can apply") + gap / 2;
		for (size_t i = 0; i < s->n_criteria; i++)
			y += item(a, m, y, cw, "•", ktext_get(&s->criteria[i], L), UI_F_BODY, t->text) +
			     gap / 3;
		y += gap;
	}
	if (s->n_steps) {
		y += heading(a, m, y, cw, "ขั้นตอน", "Steps") + gap / 2;
		for (size_t i = 0; i < s->n_steps; i++) {
			const struct kstep *p = &s->steps[i];
			snprintf(mark, sizeof mark, "%zu.", i + 1);
			y += item(a, m, y, cw, mark, ktext_get(&p->text, L), UI_F_BODY, t->text);
			if (p->minutes >= 0)
				snprintf(buf, sizeof buf, "%s · %d %s", ktext_get(&p->unit, L), p->minutes,
					 ui_tr(a, "นาที", "min"));
			else
				snprintf(buf, sizeof buf, "%s", ktext_get(&p->unit, L));
			y += item(a, m, y, cw, "", buf, UI_F_SMALL, t->muted) + gap / 2;
		}
		y += gap / 2;
	}
	y += heading(a, m, y, cw, "ค่าธรรมเนียม", "Fee") + gap / 4;
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, ktext_get(&s->fee, L), UI_F_BODY, t->text,
		      TEXT_LEFT) + gap;
	y += heading(a, m, y, cw, "ระยะเวลา", "Time needed") + gap / 4;
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, ktext_get(&s->total_time, L), UI_F_BODY, t->text,
		      TEXT_LEFT) + gap;
	if (s->n_complaints) {
		y += heading(a, m, y, cw, "ช่องทางร้องเรียน", "Complaints") + gap / 2;
		for (size_t i = 0; i < s->n_complaints; i++)
			y += item(a, m, y, cw, "•", ktext_get(&s->complaints[i], L), UI_F_BODY, t->text) +
			     gap / 3;
		y += gap;
	}
	int vy, vm, vd;
	if (s->verified && kclock_parse_date(s->verified, &vy, &vm, &vd) == K_OK) {
		char date[TEXT_DATE_MAX];
		text_date(vy, vm, vd, 0, ui_lang(a) == UI_EN ? TEXT_EN : TEXT_TH, 0, date, sizeof date);
		snprintf(buf, sizeof buf, ui_lang(a) == UI_EN ? "Information as of %s" : "ข้อมูล ณ วันที่ %s",
			 date);
		y += ui_label(a, (SDL_Rect){m, y, cw, 0}, buf, UI_F_SMALL, t->muted, TEXT_LEFT) + gap;
	}
	ui_scroll_end(a, &st.scroll, y);

	int fy = H - foot;
	ui_fill(a, (SDL_Rect){0, fy, W, foot}, t->panel, 0);
	ui_fill(a, (SDL_Rect){0, fy, W, ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1}, t->divider, 0);
	if (!by_age) {
		ui_button_sub(a, ID_PRIORITY, (SDL_Rect){m, fy + pad, W - 2 * m, ph}, pr, prs,
			      UI_BTN_SECONDARY);
		fy += ph + pad;
	}
	ui_button(a, ID_BACK2, (SDL_Rect){m, fy + pad, wb, bh}, bk, UI_BTN_SECONDARY);
	ui_button_sub(a, ID_TICKET, (SDL_Rect){m + wb + gap, fy + pad, wt, bh}, tk, tks, 0);
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type != UI_EV_CLICK)
		return 0;
	if (e->id == ID_BACK2) {
		ui_app_pop(a);
		return 1;
	}
	if (e->id == ID_TICKET || e->id == ID_PRIORITY) {
		/* The ticket screen issues and prints. */
		char arg[UI_ARG_MAX];
		int pri = e->id == ID_PRIORITY || card_holder_priority(a);
		snprintf(arg, sizeof arg, "%s%s", st.s->id, pri ? UI_TICKET_PRIORITY : "");
		ui_app_push(a, "ticket", arg);
		return 1;
	}
	return 0;
}

const struct ui_screen_ops scr_checklist = {
	.name = "checklist",
	.enter = enter,
	.draw = draw,
	.event = event,
};
