/**
 * @file scr_ticket.c
 * @brief The citizen's ticket on screen: issued on entry (kticket_issue through
 * the app's ticket desk, the same path as `kiosk ticket`), the number huge, the
 * service, people ahead and the wait, the date, a QR big enough for a phone at
 * arm's length, and what the printer did.
 *
 * The screen never waits for the printer: the job goes to the printer worker and
 * the outcome arrives later as TICKETING_EV_PRINTED. When the printer fails the
 * screen says so kindly and asks for a photo; the ticket stays until Done or the
 * idle time-out. There is no Back: going back and tapping again would take a
 * second number.
 *
 * Argument: the service id, with UI_TICKET_PRIORITY appended for a priority
 * ticket ("personal-cert+priority"). Without a desk (kiosk shot) the ticket is
 * issued into a scratch store that is removed on leaving: a real layout, never a
 * real number.
 *
 * A card holder old enough (ui/card_glue.h, [queue] priority_age) always gets a
 * priority ticket, whichever button led here; the badge then says why
 * ("คิวพิเศษสำหรับผู้สูงอายุ").
 */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "dev/qr.h"
#include "ui/card_glue.h"
#include "ui/screens/screens.h"
#include "paper/ticket_render.h"
#include "ui/ticketing.h"
#include "ui/widgets.h"

enum { ID_DONE = 1 };

#define QR_SIDE 400     /* the QR with its quiet zone, px at scale 1: ~11 cm on a 24" unit,
			 * 2.4 mm a module, what a phone reads from arm's length */
#define NUMBER_PX 270   /* the number's font size at scale 1 */
#define NUMBER_PX_WIDE 220 /* on a landscape unit, where height is short */

static struct {
	const struct kservice *s;
	int priority;
	int by_age;            /* priority because of the card holder's age */
	struct ticketing *own; /* scratch desk of a screenshot; NULL when the app's */
	struct ticketing *tk;
	int issued;
	struct kticket_out out;
	char why[KERR_MSG_MAX]; /* why issuing failed */
	struct qr qr;
	enum ticketing_paper paper;
	uint64_t job;
	enum printer_status pst;
	char pmsg[KERR_MSG_MAX];
	struct ui_scroll scroll;
	int blank_px, blank_top, blank_bot; /* the number's empty rows at font size blank_px */
} st;

static enum text_lang tl(const struct ui_app *a)
{
	return ui_lang(a) == UI_EN ? TEXT_EN : TEXT_TH;
}

static void leave(struct ui_app *a)
{
	(void)a;
	qr_free(&st.qr);
	ticketing_close(st.own);
	st.own = st.tk = NULL;
	st.s = NULL;
}

static kst enter(struct ui_app *a, const char *arg)
{
	const struct kconfig *cfg = ui_config(a);
	char id[UI_ARG_MAX];
	struct kerr err = {0};
	size_t n, sl = strlen(UI_TICKET_PRIORITY);

	memset(&st, 0, sizeof st);
	if (!cfg || !arg)
		return K_EUSAGE;
	snprintf(id, sizeof id, "%s", arg);
	n = strlen(id);
	if (n > sl && !strcmp(id + n - sl, UI_TICKET_PRIORITY)) {
		id[n - sl] = 0;
		st.priority = 1;
	}
	if (!(st.s = kcatalog_find(&cfg->catalog, id)))
		return K_EUSAGE;
	if (card_holder_priority(a))
		st.priority = st.by_age = 1;
	st.tk = ui_ticketing(a);
	if (!st.tk) {
		if (ticketing_open_scratch(cfg, &st.own, &err)) {
			snprintf(st.why, sizeof st.why, "%s", err.msg);
			return K_OK; /* the screen says it could not issue */
		}
		st.tk = st.own;
	}
	if (ticketing_issue(st.tk, st.s->id, st.priority, &st.out, &err)) {
		snprintf(st.why, sizeof st.why, "%s", err.msg);
		return K_OK;
	}
	st.issued = 1;
	if (st.out.qr[0] && qr_encode(&st.qr, st.out.qr, strlen(st.out.qr), &err))
		memset(&st.qr, 0, sizeof st.qr); /* the number is what matters */
	memset(&err, 0, sizeof err);
	st.paper = ticketing_print(st.tk, &st.out, &st.job, &err);
	if (st.paper == TKP_FAILED)
		snprintf(st.pmsg, sizeof st.pmsg, "%s", err.msg);
	return K_OK;
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	if (e->type == UI_EV_USER && e->code == TICKETING_EV_PRINTED) {
		if (st.paper == TKP_PRINTING && st.tk)
			st.paper = ticketing_job(st.tk, st.job, &st.pst, st.pmsg);
		ui_app_dirty(a);
		return 1;
	}
	if (e->type == UI_EV_CLICK && e->id == ID_DONE) {
		ui_app_home(a);
		return 1;
	}
	return 0;
}

/* The QR as dark runs on a white square (quiet zone included). */
static int draw_qr(struct ui_app *a, int x, int y, int side_max)
{
	int scale = qr_fit_scale(&st.qr, side_max, QR_QUIET);
	SDL_Color white = {255, 255, 255, 255}, black = {0, 0, 0, 255};
	if (scale < 1)
		return 0;
	int side = qr_side(&st.qr, scale, QR_QUIET), q0 = QR_QUIET * scale;
	x += (side_max - side) / 2;
	ui_fill(a, (SDL_Rect){x, y, side, side}, white, 0);
	for (int r = 0; r < st.qr.size; r++)
		for (int c = 0; c < st.qr.size;) {
			if (!qr_dark(&st.qr, c, r)) {
				c++;
				continue;
			}
			int c0 = c;
			while (c < st.qr.size && qr_dark(&st.qr, c, r))
				c++;
			ui_fill(a, (SDL_Rect){x + q0 + c0 * scale, y + q0 + r * scale, (c - c0) * scale,
					      scale},
				black, 0);
		}
	return side;
}

/* Blank rows above and below the number's ink at this style (memoised per size). */
static void number_blank(const struct text_style *ns, int *top, int *bot)
{
	if (st.blank_px != ns->px) {
		struct kerr err = {0};
		SDL_Surface *s = text_render(st.out.is.t.number, ns, 0, &err);
		st.blank_top = st.blank_bot = 0;
		if (s) {
			int first = -1, last = -1;
			SDL_LockSurface(s);
			for (int y = 0; y < s->h; y++) {
				const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch);
				for (int x = 0; x < s->w; x++)
					if (row[x] >> 24) {
						if (first < 0)
							first = y;
						last = y;
						break;
					}
			}
			SDL_UnlockSurface(s);
			if (first >= 0) {
				st.blank_top = first;
				st.blank_bot = s->h - 1 - last;
			}
			SDL_FreeSurface(s);
		}
		st.blank_px = ns->px;
	}
	*top = st.blank_top;
	*bot = st.blank_bot;
}

/* The priority badge: why, when the card said so; who qualifies otherwise. */
static const char *badge1(const struct ui_app *a)
{
	return st.by_age ? card_text_priority_age(a) : ticket_text_priority(tl(a));
}

static const char *badge2(const struct ui_app *a)
{
	return st.by_age ? ui_tr(a, "ตามอายุในบัตรประจำตัวประชาชน", "By the age on your ID card")
			 : ticket_text_priority_who(tl(a));
}

/* The number block: label, number, priority badge, service, wait, date. */
static int draw_card(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	const struct kconfig *cfg = ui_config(a);
	const char *L = ui_lang(a) == UI_EN ? "en" : "th";
	int ip = ui_sz(a, 28), g = ui_sz(a, 12), cw = w - 2 * ip, yy = y + ip;
	char buf[TICKET_TEXT_MAX];

	/* Measure by drawing once off-panel would double the work: heights first. */
	struct text_style ns = ui_style(a, UI_F_HUGE, t->panel_text, TEXT_CENTER);
	ns.role = TEXT_BOLD;
	ns.px = ui_sz(a, ui_w(a) > ui_h(a) ? NUMBER_PX_WIDE : NUMBER_PX) * (ui_large(a) ? 13 : 10) / 10;
	int nw = 0, nh = 0, step = ui_sz(a, 8) > 1 ? ui_sz(a, 8) : 1;
	/* Down the same grid as ever (the first size at or below the title's is the floor). */
	int floor_px = ns.px - (ns.px - ui_font(a, UI_F_TITLE)) / step * step;
	ns.px = text_fit_px(st.out.is.t.number, &ns, cw, floor_px, step, &nw, &nh);
	/* The font keeps room above and below for Thai marks a number never has:
	 * place the box so that room overlaps the neighbours (it is transparent). */
	int top, bot;
	number_blank(&ns, &top, &bot);
	const char *office = cfg ? (ui_lang(a) == UI_EN ? cfg->office_name_en : cfg->office_name_th)
				 : UI_OFFICE_TH;
	const char *other = ui_lang(a) == UI_EN ? st.s->name.th : st.s->name.en;
	int h = ip;
	h += ui_label_height(a, cw, office, UI_F_SMALL) + g;
	h += ui_label_height(a, cw, ui_tr(a, "หมายเลขคิวของท่าน", "Your queue number"), UI_F_BODY);
	text_measure(st.out.is.t.number, &ns, cw, NULL, &nh, NULL);
	h += nh - top - bot + 3 * g;
	int bp = ui_sz(a, 16), bh = 0;
	if (st.out.is.t.priority) {
		bh = ui_label_height(a, cw - 2 * bp, badge1(a), UI_F_HEAD) +
		     ui_label_height(a, cw - 2 * bp, badge2(a), UI_F_SMALL) + 2 * bp;
		h += bh + g;
	}
	h += ui_label_height(a, cw, ktext_get(&st.s->name, L), UI_F_HEAD);
	h += ui_label_height(a, cw, other, UI_F_SMALL) + g;
	ticket_text_wait(&st.out.is, tl(a), buf, sizeof buf);
	h += ui_label_height(a, cw, buf, UI_F_HEAD);
	ticket_text_when(st.out.is.t.issued_at, tl(a), buf, sizeof buf);
	h += ui_label_height(a, cw, buf, UI_F_SMALL) + ip;

	ui_fill(a, (SDL_Rect){x, y, w, h}, t->panel, 18);
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, office, UI_F_SMALL, t->muted, TEXT_CENTER) + g;
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0},
		       ui_tr(a, "หมายเลขคิวของท่าน", "Your queue number"), UI_F_BODY, t->muted,
		       TEXT_CENTER);
	yy += g;
	ui_text(a, (SDL_Rect){x + ip, yy - top, cw, nh}, st.out.is.t.number, &ns);
	yy += nh - top - bot + 2 * g;
	if (st.out.is.t.priority) {
		ui_fill(a, (SDL_Rect){x + ip, yy, cw, bh}, t->accent_bg, 14);
		int by = yy + bp;
		by += ui_label(a, (SDL_Rect){x + ip + bp, by, cw - 2 * bp, 0}, badge1(a), UI_F_HEAD,
			       t->accent_text, TEXT_CENTER);
		ui_label(a, (SDL_Rect){x + ip + bp, by, cw - 2 * bp, 0}, badge2(a), UI_F_SMALL,
			 t->accent_text, TEXT_CENTER);
		yy += bh + g;
	}
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, ktext_get(&st.s->name, L), UI_F_HEAD,
		       t->panel_text, TEXT_CENTER);
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, other, UI_F_SMALL, t->muted, TEXT_CENTER) + g;
	ticket_text_wait(&st.out.is, tl(a), buf, sizeof buf);
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, buf, UI_F_HEAD, t->panel_text, TEXT_CENTER);
	ticket_text_when(st.out.is.t.issued_at, tl(a), buf, sizeof buf);
	ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, buf, UI_F_SMALL, t->muted, TEXT_CENTER);
	return h;
}

/* What the printer did, in a box: a notice colour, the accent when it failed. */
static int draw_paper(struct ui_app *a, int x, int y, int w, enum ui_font f1)
{
	const struct ui_theme *t = ui_theme(a);
	const char *m1 = NULL, *m2 = NULL;
	int fault = 0, ip = ui_sz(a, 24);
	switch (st.paper) {
	case TKP_PRINTING:
		m1 = ui_tr(a, "กำลังพิมพ์บัตรคิว…", "Printing your ticket…");
		break;
	case TKP_PRINTED:
		m1 = ui_tr(a, "รับบัตรคิวที่ช่องด้านล่างหน้าจอ", "Take your ticket from the slot below the screen");
		break;
	case TKP_FAILED:
		fault = 1;
		m1 = ui_tr(a, "เครื่องพิมพ์ขัดข้อง กรุณาถ่ายรูปหน้าจอนี้ไว้",
			   "The printer is not working: please take a photo of this screen");
		m2 = ui_tr(a, "หมายเลขคิวของท่านอยู่ในระบบแล้ว เจ้าหน้าที่จะเรียกตามหมายเลขนี้",
			   "Your number is in the queue: staff will call this number");
		break;
	case TKP_NO_PRINTER:
		m1 = ui_tr(a, "กรุณาจดหมายเลขคิว หรือถ่ายรูปหน้าจอนี้ไว้",
			   "Please note your number or take a photo of this screen");
		break;
	case TKP_SAMPLE:
		m1 = ui_tr(a, "ตัวอย่างบัตรคิว (ไม่ได้พิมพ์)", "Sample ticket (not printed)");
		break;
	}
	SDL_Color bg = fault ? t->accent_bg : t->note_bg, fg = fault ? t->accent_text : t->note_text;
	enum ui_font f2 = f1 == UI_F_HEAD ? UI_F_BODY : UI_F_SMALL;
	int h = 2 * ip + ui_label_height(a, w - 2 * ip, m1, f1);
	if (m2)
		h += ui_sz(a, 8) + ui_label_height(a, w - 2 * ip, m2, f2);
	ui_fill(a, (SDL_Rect){x, y, w, h}, bg, 14);
	int yy = y + ip;
	yy += ui_label(a, (SDL_Rect){x + ip, yy, w - 2 * ip, 0}, m1, f1, fg, TEXT_CENTER);
	if (m2)
		ui_label(a, (SDL_Rect){x + ip, yy + ui_sz(a, 8), w - 2 * ip, 0}, m2, f2, fg, TEXT_CENTER);
	return h;
}

/* Printer state, hint, then the QR with its caption. */
static int draw_side(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int g = ui_sz(a, 20), yy = y;
	yy += draw_paper(a, x, yy, w, UI_F_HEAD) + g;
	yy += ui_label(a, (SDL_Rect){x, yy, w, 0}, ticket_text_hint(tl(a)), UI_F_TITLE, t->text,
		       TEXT_CENTER) + g;
	if (st.qr.mod) {
		int side = ui_sz(a, QR_SIDE) < w ? ui_sz(a, QR_SIDE) : w;
		int got = draw_qr(a, x + (w - side) / 2, yy, side);
		yy += got + ui_sz(a, 8);
		yy += ui_label(a, (SDL_Rect){x, yy, w, 0},
			       ui_tr(a, "สแกนเพื่อติดตามคิวด้วยโทรศัพท์", "Scan to follow your queue on your phone"),
			       UI_F_SMALL, t->muted, TEXT_CENTER);
	}
	return yy - y;
}

/* Portrait: the QR on the left, printer state and hint beside it, so the whole
 * ticket fits one screen (a photo of it keeps everything). */
static int draw_row(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int g = ui_sz(a, 20), gap = ui_sz(a, 28);
	int side = st.qr.mod ? ui_sz(a, QR_SIDE) : 0;
	if (!st.qr.mod || w - side - gap < ui_sz(a, 420))
		return draw_side(a, x, y, w);
	int rx = x + side + gap, rw = w - side - gap, ry = y;
	int got = draw_qr(a, x, y, side);
	int lh = got + ui_sz(a, 8);
	lh += ui_label(a, (SDL_Rect){x, y + lh, side, 0},
		       ui_tr(a, "สแกนเพื่อติดตามคิวด้วยโทรศัพท์", "Scan to follow your queue on your phone"),
		       UI_F_SMALL, t->muted, TEXT_CENTER);
	ry += draw_paper(a, rx, ry, rw, st.paper == TKP_FAILED ? UI_F_HEAD : UI_F_BODY) + g;
	ry += ui_label(a, (SDL_Rect){rx, ry, rw, 0}, ticket_text_hint(tl(a)), UI_F_HEAD, t->text,
		       TEXT_CENTER);
	return lh > ry - y ? lh : ry - y;
}

static void draw_failed(struct ui_app *a, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int m = ui_sz(a, UI_MARGIN), ip = ui_sz(a, 28), cw = w - 2 * m;
	const char *m1 = ui_tr(a, "ขออภัย ออกบัตรคิวไม่สำเร็จ กรุณาติดต่อเจ้าหน้าที่",
			       "Sorry, no ticket could be issued: please ask the staff");
	int h = 2 * ip + ui_label_height(a, cw - 2 * ip, m1, UI_F_TITLE) +
		ui_label_height(a, cw - 2 * ip, st.why, UI_F_SMALL);
	ui_fill(a, (SDL_Rect){m, y, cw, h}, t->accent_bg, 18);
	int yy = y + ip;
	yy += ui_label(a, (SDL_Rect){m + ip, yy, cw - 2 * ip, 0}, m1, UI_F_TITLE, t->accent_text,
		       TEXT_CENTER);
	ui_label(a, (SDL_Rect){m + ip, yy, cw - 2 * ip, 0}, st.why, UI_F_SMALL, t->accent_text,
		 TEXT_CENTER);
}

static void draw(struct ui_app *a)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), gap = ui_sz(a, 28);
	int bar = ui_topbar(a, ui_tr(a, "บัตรคิวของท่าน", "Your queue ticket"), 0);
	const char *done = ui_tr(a, "เสร็จสิ้น", "Done");
	int pad = ui_sz(a, 20);
	int bw = W - 2 * m, bh = ui_button_height(a, bw, done, NULL), foot = bh + 2 * pad;
	int y = bar + gap;

	ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, bar, W, H - bar - foot});
	if (!st.issued) {
		draw_failed(a, y, W);
		y += H / 3;
	} else if (W > H * 6 / 5) {
		/* Wall unit: the number on the left, the QR and messages on the right. */
		int cw = (W - 2 * m - gap) / 2;
		int h1 = draw_card(a, m, y, cw);
		int h2 = draw_side(a, m + cw + gap, y, cw);
		y += (h1 > h2 ? h1 : h2) + gap;
	} else {
		y += draw_card(a, m, y, W - 2 * m) + gap;
		y += draw_row(a, m, y, W - 2 * m) + gap;
	}
	ui_scroll_end(a, &st.scroll, y);

	int fy = H - foot;
	ui_fill(a, (SDL_Rect){0, fy, W, foot}, t->panel, 0);
	ui_fill(a, (SDL_Rect){0, fy, W, ui_sz(a, 2) > 1 ? ui_sz(a, 2) : 1}, t->divider, 0);
	ui_button(a, ID_DONE, (SDL_Rect){m, fy + pad, bw, bh}, done, 0);
}

const struct ui_screen_ops scr_ticket = {
	.name = "ticket",
	.enter = enter,
	.leave = leave,
	.draw = draw,
	.event = event,
};
