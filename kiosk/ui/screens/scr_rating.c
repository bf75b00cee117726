/**
 * @file scr_rating.c
 * @brief The satisfaction rating: find the ticket, four questions with faces,
 * an optional comment on the on-screen Thai keyboard, then save.
 *
 * Steps (one screen, so Back walks them in order):
 *  1. The ticket. The visitor scans the ticket's QR under the keyboard-wedge
 *     scanner (SDL text events and Enter, through core/scanner.h: junk, foreign
 *     and repeated scans get a kind message), or types its number on a big
 *     keypad (the catalogue's letters and the digits). rating_can_rate() decides:
 *     only a ticket served today, once; each refusal has its own message.
 *  2. The questions of rating.h, one per step, five levels from มากที่สุด down to
 *     น้อยที่สุด, each a large drawn face with its label; a tap answers and moves on.
 *  3. A comment, optional, on the Kedmanee keyboard (core/kedmanee.h) with the
 *     numbers row, Shift (one letter), space, backspace, clear and an ABC layout.
 *     "ข้าม" saves without it, "ส่ง" with it.
 * rating_save() writes the rating and its outbox row in one transaction, the
 * upload worker is kicked, and the thanks screen follows.
 *
 * Anonymous: nothing from the ID card reader is read here or attached, even
 * when a card is inserted; card events are ignored on this screen.
 *
 * Argument (demos and `kiosk shot` only): "questions" or "comment" opens that
 * step on a sample ticket (nothing is saved); none opens step 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/kedmanee.h"
#include "core/qrpayload.h"
#include "core/rating.h"
#include "core/scanner.h"
#include "core/secret.h"
#include "dev/uploader.h"
#include "ui/face.h"
#include "ui/screens/screens.h"
#include "ui/ticketing.h"
#include "ui/widgets.h"

enum step { S_TICKET, S_QUESTION, S_COMMENT };

enum {
	ID_LETTER = 100, /* + index in letters[] */
	ID_DIGIT = 200,  /* + digit */
	ID_PAD_DEL = 210,
	ID_PAD_CLEAR,
	ID_PAD_OK,
	ID_LEVEL = 300, /* + level 1..5 */
	ID_KEY = 400,   /* + kedmanee row * 16 + col */
	ID_SHIFT = 480,
	ID_BKSP,
	ID_LAYOUT,
	ID_SPACE,
	ID_KB_CLEAR,
	ID_SKIP,
	ID_SEND,
};

#define TYPED_MAX 7        /* "ABC1234": the longest ticket number */
#define LETTERS_MAX 26
#define MSG_MAX 512
#define PAD_KEY_H 130      /* keypad key height at scale 1 */
#define KB_KEY_H 96        /* keyboard key height at scale 1 */
#define KB_UNITS 12        /* keys across a keyboard row */
#define LEVEL_H 230        /* one answer's button height at scale 1 (>= 120 px) */
#define FACE_R 78          /* face radius at scale 1 */
#define NUMBER_PX 110      /* the typed number's font size at scale 1 */
/* Shown before a lone Thai vowel or tone mark on a key (the font has no dotted
 * circle, U+25CC): without a base the mark would hang off the key. */
#define UI_MARK_CARRIER "\xC2\xA0"

static struct {
	enum step step;
	struct ticketing *own, *tk; /* own: a scratch desk (kiosk shot) */
	int sample;                 /* demo: nothing is saved */
	struct qrp qp;
	int qp_ok;
	struct scanner sc;
	char letters[LETTERS_MAX + 1]; /* the catalogue's ticket letters, sorted */
	char typed[TYPED_MAX + 1];
	char msg_th[MSG_MAX], msg_en[MSG_MAX]; /* what the visitor should know now */
	int msg_bad;                           /* a refusal (accent) or a hint (note) */
	const char *note_th, *note_en;         /* "already scanned": kept beside msg */
	struct kticket t;
	const struct kservice *svc;
	enum rating_source source;
	int q;                      /* question shown (S_QUESTION) */
	int score[RATING_DIMS];
	int64_t first_ms, answer_ms; /* question 1 shown / all four answered */
	char comment[RATING_COMMENT_MAX + 1];
	int thai, shift;
	struct ui_scroll scroll;
} st;

static const char *lang(const struct ui_app *a)
{
	return ui_lang(a) == UI_EN ? "en" : "th";
}

static void set_msg(const char *th, const char *en, int bad)
{
	snprintf(st.msg_th, sizeof st.msg_th, "%s", th ? th : "");
	snprintf(st.msg_en, sizeof st.msg_en, "%s", en ? en : "");
	st.msg_bad = bad;
	st.note_th = st.note_en = NULL;
}

static void leave(struct ui_app *a)
{
	(void)a;
	SDL_StopTextInput();
	if (st.qp_ok)
		qrp_wipe(&st.qp);
	ticketing_close(st.own);
	explicit_bzero(st.comment, sizeof st.comment);
	memset(&st, 0, sizeof st);
}

static void collect_letters(const struct kconfig *cfg)
{
	int n = 0;
	for (size_t i = 0; cfg && i < cfg->catalog.n && n < LETTERS_MAX; i++) {
		char p = cfg->catalog.svc[i].prefix;
		if (p >= 'A' && p <= 'Z' && !strchr(st.letters, p))
			st.letters[n++] = p;
	}
	st.letters[n] = 0;
	for (int i = 1; i < n; i++) /* a handful of letters: insertion sort */
		for (int k = i; k > 0 && st.letters[k - 1] > st.letters[k]; k--) {
			char c = st.letters[k];
			st.letters[k] = st.letters[k - 1];
			st.letters[k - 1] = c;
		}
}

static void start_questions(struct ui_app *a)
{
	st.step = S_QUESTION;
	st.q = 0;
	memset(st.score, 0, sizeof st.score);
	st.first_ms = (int64_t)SDL_GetTicks64();
	st.answer_ms = 0;
	st.scroll.offset = 0;
	set_msg(NULL, NULL, 0);
	ui_app_dirty(a);
}

static kst enter(struct ui_app *a, const char *arg)
{
	const struct kconfig *cfg = ui_config(a);
	struct kerr err = {0};
	uint8_t key[SECRET_KEY_LEN];

	memset(&st, 0, sizeof st);
	if (!cfg)
		return K_EUSAGE;
	if (arg && strcmp(arg, "questions") && strcmp(arg, "comment"))
		return K_EUSAGE;
	st.thai = 1;
	collect_letters(cfg);
	st.tk = ui_ticketing(a);
	if (!st.tk) {
		if (ticketing_open_scratch(cfg, &st.own, &err))
			return K_EFAIL;
		st.tk = st.own;
	}
	/* The scanner needs the device key to verify a ticket's signature. */
	if (!secret_load_or_create(ticketing_data_dir(st.tk), key, &err) &&
	    !qrp_init(&st.qp, cfg->qr_template, key, &err))
		st.qp_ok = 1;
	secret_wipe(key, sizeof key);
	scanner_init(&st.sc, st.qp_ok ? &st.qp : NULL);
	if (arg) {
		st.sample = 1;
		snprintf(st.t.number, sizeof st.t.number, "%c001",
			 cfg->catalog.n ? cfg->catalog.svc[0].prefix : 'A');
		st.svc = cfg->catalog.n ? &cfg->catalog.svc[0] : NULL;
		start_questions(a);
		if (!strcmp(arg, "comment")) {
			for (int i = 0; i < RATING_DIMS; i++)
				st.score[i] = 5;
			st.step = S_COMMENT;
		}
	}
	/* The scanner types: text events on (the kiosk keeps them off elsewhere). */
	SDL_StartTextInput();
	return K_OK;
}

/* The ticket is known: may it be rated? */
static void try_ticket(struct ui_app *a, const char *number, enum rating_source src)
{
	enum rating_refusal why = RATING_OK;
	struct kerr err = {0};
	struct kticket t;

	if (rating_can_rate(ticketing_queue(st.tk), number, &t, &why, &err)) {
		if (why != RATING_OK)
			set_msg(rating_refusal_msg(why, "th"), rating_refusal_msg(why, "en"), 1);
		else
			set_msg("ขออภัย ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง",
				"Sorry, something went wrong. Please try again.", 1);
		ui_app_dirty(a);
		return;
	}
	st.t = t;
	st.svc = kcatalog_find(&ui_config(a)->catalog, t.service);
	st.source = src;
	st.typed[0] = 0;
	start_questions(a);
}

static void on_scan(struct ui_app *a, enum scanner_kind k, const struct scanner_result *r)
{
	switch (k) {
	case SCANNER_NONE:
		return;
	case SCANNER_TICKET:
	case SCANNER_NUMBER:
		try_ticket(a, r->number, k == SCANNER_TICKET ? RATING_QR : RATING_TYPED);
		return;
	case SCANNER_REPEAT:
		/* Keep what the first scan said; add that we saw it again. */
		st.note_th = r->msg_th;
		st.note_en = r->msg_en;
		if (!st.msg_th[0])
			set_msg(r->msg_th, r->msg_en, 0);
		break;
	case SCANNER_JUNK:
		set_msg(r->msg_th, r->msg_en, 1);
		break;
	}
	ui_app_dirty(a);
}

static void pad_press(struct ui_app *a, int id)
{
	size_t n = strlen(st.typed);
	int digits = 0;
	for (size_t i = 0; i < n; i++)
		digits += st.typed[i] >= '0' && st.typed[i] <= '9';
	if (id >= ID_LETTER && id < ID_LETTER + LETTERS_MAX) {
		/* A letter after digits starts a new number. */
		if (digits || n >= 3)
			n = 0;
		st.typed[n++] = st.letters[id - ID_LETTER];
		st.typed[n] = 0;
	} else if (id >= ID_DIGIT && id <= ID_DIGIT + 9) {
		if (digits < 4 && n < TYPED_MAX) {
			st.typed[n++] = (char)('0' + id - ID_DIGIT);
			st.typed[n] = 0;
		}
	} else if (id == ID_PAD_DEL) {
		if (n)
			st.typed[n - 1] = 0;
	} else if (id == ID_PAD_CLEAR) {
		st.typed[0] = 0;
	} else if (id == ID_PAD_OK) {
		char num[QRP_NUMBER_MAX + 1];
		if (!qrp_parse_number(st.typed, n, num) || !digits) {
			set_msg("กรุณาพิมพ์หมายเลขคิวตามบัตร เช่น A023",
				"Please type the number on your ticket, for example A023", 1);
		} else {
			try_ticket(a, num, RATING_TYPED);
			return;
		}
	}
	if (id != ID_PAD_OK)
		set_msg(NULL, NULL, 0);
	ui_app_dirty(a);
}

static void save(struct ui_app *a, int with_comment)
{
	struct rating r;
	struct kerr err = {0};

	/* Decided before leaving: leave() wipes the comment. */
	const char *next = with_comment && st.comment[0] ? "comment" : NULL;
	if (st.sample) { /* a demo: nothing is saved */
		ui_app_home(a);
		ui_app_push(a, "thanks", next);
		return;
	}
	memset(&r, 0, sizeof r);
	snprintf(r.ticket, sizeof r.ticket, "%s", st.t.number);
	memcpy(r.score, st.score, sizeof r.score);
	if (with_comment)
		snprintf(r.comment, sizeof r.comment, "%s", st.comment);
	snprintf(r.lang, sizeof r.lang, "%s", lang(a));
	r.source = st.source;
	r.answer_ms = st.answer_ms;
	kst rc = rating_save(ticketing_queue(st.tk), &r, &err);
	explicit_bzero(r.comment, sizeof r.comment);
	if (rc) {
		enum rating_refusal why = RATING_OK;
		struct kticket t;
		struct kerr e2 = {0};
		/* Someone rated it meanwhile (another kiosk), or the store failed. */
		if (rating_can_rate(ticketing_queue(st.tk), st.t.number, &t, &why, &e2) && why)
			set_msg(rating_refusal_msg(why, "th"), rating_refusal_msg(why, "en"), 1);
		else
			set_msg("ขออภัย บันทึกไม่สำเร็จ กรุณาลองใหม่ หรือแจ้งเจ้าหน้าที่",
				"Sorry, the rating could not be saved. Please try again or tell the staff.",
				1);
		ui_app_dirty(a);
		return;
	}
	const struct ui_opts *o = ui_options(a);
	if (o->upl && o->upl_kick)
		o->upl_kick(o->upl);
	ui_app_home(a);
	ui_app_push(a, "thanks", next);
}

static void key_press(struct ui_app *a, int id)
{
	size_t cap = sizeof st.comment;
	enum kedmanee_res r = KEDMANEE_OK;
	if (id >= ID_KEY && id < ID_KEY + KEDMANEE_ROWS * 16) {
		int row = (id - ID_KEY) / 16, col = (id - ID_KEY) % 16;
		r = kedmanee_press(st.comment, cap, row, col, st.thai, st.shift);
		st.shift = 0;
	} else if (id == ID_SPACE) {
		r = kedmanee_insert(st.comment, cap, ' ');
	} else if (id == ID_BKSP) {
		kedmanee_backspace(st.comment);
	} else if (id == ID_KB_CLEAR) {
		explicit_bzero(st.comment, sizeof st.comment);
	} else if (id == ID_SHIFT) {
		st.shift = !st.shift;
	} else if (id == ID_LAYOUT) {
		st.thai = !st.thai;
		st.shift = 0;
	}
	if (r == KEDMANEE_FULL)
		set_msg("ข้อความยาวครบแล้ว", "The comment is full", 0);
	else if (r == KEDMANEE_REFUSED)
		set_msg("พิมพ์สระหรือวรรณยุกต์นี้ตรงนี้ไม่ได้ กรุณาพิมพ์พยัญชนะก่อน",
			"This mark cannot go here: type a consonant first", 0);
	else
		set_msg(NULL, NULL, 0);
	ui_app_dirty(a);
}

static int event(struct ui_app *a, const struct ui_event *e)
{
	int64_t now = (int64_t)SDL_GetTicks64();
	char day[KCLOCK_DATE_MAX];
	struct qrp_expect ex = {ui_config(a)->office_code, day};
	struct scanner_result res;

	kclock_bkk_date(kclock_now(), day);
	if (e->type == UI_EV_CARD)
		return 1; /* anonymous: the card is not ours to read here */
	if (e->type == UI_EV_TEXT && e->text) {
		if (st.step == S_TICKET)
			scanner_text(&st.sc, e->text, now);
		return 1;
	}
	if (e->type == UI_EV_KEY) {
		if (e->key == SDLK_RETURN || e->key == SDLK_KP_ENTER || e->key == SDLK_RETURN2) {
			enum scanner_kind k = scanner_enter(&st.sc, now, &ex, &res);
			if (st.step == S_TICKET)
				on_scan(a, k, &res);
		}
		return 1;
	}
	if (e->type != UI_EV_CLICK)
		return 0;
	if (e->id == UI_ID_BACK && st.step != S_TICKET) {
		if (st.step == S_COMMENT) {
			st.step = S_QUESTION;
			st.q = RATING_DIMS - 1;
		} else if (st.q > 0) {
			st.q--;
		} else if (!st.sample) {
			st.step = S_TICKET;
			scanner_reset(&st.sc);
		} else {
			return 0;
		}
		set_msg(NULL, NULL, 0);
		st.scroll.offset = 0;
		return 1;
	}
	switch (st.step) {
	case S_TICKET:
		if (e->id >= ID_LETTER && e->id <= ID_PAD_OK) {
			pad_press(a, e->id);
			return 1;
		}
		break;
	case S_QUESTION:
		if (e->id > ID_LEVEL && e->id <= ID_LEVEL + 5) {
			st.score[st.q] = e->id - ID_LEVEL;
			if (st.q + 1 < RATING_DIMS) {
				st.q++;
			} else {
				st.answer_ms = now - st.first_ms;
				st.step = S_COMMENT;
				st.shift = 0;
				st.thai = ui_lang(a) == UI_TH;
			}
			st.scroll.offset = 0;
			return 1;
		}
		break;
	case S_COMMENT:
		if (e->id == ID_SKIP || e->id == ID_SEND) {
			save(a, e->id == ID_SEND);
			return 1;
		}
		if (e->id >= ID_KEY && e->id <= ID_KB_CLEAR) {
			key_press(a, e->id);
			return 1;
		}
		break;
	}
	return 0;
}

/* --- drawing ------------------------------------------------------------------ */

/* The message box: the current language large, the other one under it. */
static int draw_msg(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int en = ui_lang(a) == UI_EN, ip = ui_sz(a, 22);
	const char *m1 = en ? st.msg_en : st.msg_th, *m2 = en ? st.msg_th : st.msg_en;
	const char *n1 = st.note_th ? (en ? st.note_en : st.note_th) : NULL;
	if (!st.msg_th[0])
		return 0;
	SDL_Color bg = st.msg_bad ? t->accent_bg : t->note_bg;
	SDL_Color fg = st.msg_bad ? t->accent_text : t->note_text;
	int cw = w - 2 * ip;
	int h = 2 * ip + ui_label_height(a, cw, m1, UI_F_HEAD) + ui_sz(a, 6) +
		ui_label_height(a, cw, m2, UI_F_SMALL);
	if (n1)
		h += ui_sz(a, 10) + ui_label_height(a, cw, n1, UI_F_BODY);
	ui_fill(a, (SDL_Rect){x, y, w, h}, bg, 16);
	int yy = y + ip;
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, m1, UI_F_HEAD, fg, TEXT_CENTER) + ui_sz(a, 6);
	yy += ui_label(a, (SDL_Rect){x + ip, yy, cw, 0}, m2, UI_F_SMALL, fg, TEXT_CENTER);
	if (n1)
		ui_label(a, (SDL_Rect){x + ip, yy + ui_sz(a, 10), cw, 0}, n1, UI_F_BODY, fg, TEXT_CENTER);
	return h;
}

/* A QR code under a scanner beam: what to do, without words. */
static void draw_scan_icon(struct ui_app *a, int cx, int y, int side)
{
	const struct ui_theme *t = ui_theme(a);
	int c = side / 7;
	ui_fill(a, (SDL_Rect){cx - side / 2, y, side, side}, t->panel, 8);
	for (int i = 0; i < 7; i++)
		for (int k = 0; k < 7; k++) {
			int corner = (i < 2 && k < 2) || (i < 2 && k > 4) || (i > 4 && k < 2);
			if (corner || (i * 3 + k * 5) % 4 == 0)
				ui_fill(a, (SDL_Rect){cx - side / 2 + k * c + 1, y + i * c + 1, c - 2, c - 2},
					t->text, 0);
		}
	SDL_Color beam = {0xD3, 0x2F, 0x2F, 255};
	ui_fill(a, (SDL_Rect){cx - side / 2 - c, y + side / 2 - 2, side + 2 * c, ui_sz(a, 6)}, beam, 3);
}

static int draw_field(struct ui_app *a, int x, int y, int w)
{
	const struct ui_theme *t = ui_theme(a);
	int h = ui_sz(a, 150);
	struct text_style ns = ui_style(a, UI_F_HUGE, t->panel_text, TEXT_CENTER);
	ns.px = ui_sz(a, NUMBER_PX) * (ui_large(a) ? 13 : 10) / 10;
	ns.valign = TEXT_MIDDLE;
	ns.max_lines = 1;
	int th = 0;
	text_measure("A023", &ns, 0, NULL, &th, NULL);
	if (th + ui_sz(a, 16) > h)
		h = th + ui_sz(a, 16);
	ui_fill(a, (SDL_Rect){x, y, w, h}, t->btn2_border, 16);
	int b = ui_sz(a, 3) > 2 ? ui_sz(a, 3) : 2;
	ui_fill(a, (SDL_Rect){x + b, y + b, w - 2 * b, h - 2 * b}, t->panel, 14);
	if (st.typed[0]) {
		ui_text(a, (SDL_Rect){x, y, w, h}, st.typed, &ns);
	} else {
		struct text_style ps = ui_style(a, UI_F_HEAD, t->muted, TEXT_CENTER);
		ps.valign = TEXT_MIDDLE;
		ui_text(a, (SDL_Rect){x + b, y, w - 2 * b, h},
			ui_tr(a, "หมายเลขคิว เช่น A023", "Ticket number, e.g. A023"), &ps);
	}
	return h;
}

/* Letters (as many rows as needed), then 1-9, [ลบ] 0 [ตกลง]. */
static int draw_keypad(struct ui_app *a, int x, int y, int w, int avail)
{
	int g = ui_sz(a, 14), kh = ui_sz(a, PAD_KEY_H), yy = y;
	int nl = (int)strlen(st.letters);
	int per = nl > 9 ? (nl + 1) / 2 : nl;
	int lrows = per ? (nl + per - 1) / per : 0;
	/* Keys give up height (never under 100 px) before the pad leaves the screen. */
	int fit = (avail - lrows * g - g - 3 * g) * 100 / (400 + 85 * lrows);
	int kmin = ui_sz(a, 100) > 100 ? ui_sz(a, 100) : 100;
	if (fit < kh)
		kh = fit > kmin ? fit : kmin;
	char lb[2] = {0};
	for (int i = 0; i < nl; i += per) {
		int n = nl - i < per ? nl - i : per;
		int kw = (w - (per - 1) * g) / (per ? per : 1);
		for (int k = 0; k < n; k++) {
			lb[0] = st.letters[i + k];
			ui_key(a, ID_LETTER + i + k, (SDL_Rect){x + k * (kw + g), yy, kw, kh * 85 / 100}, lb, lb,
			       UI_F_TITLE, UI_BTN_SECONDARY, 0);
		}
		yy += kh * 85 / 100 + g;
	}
	yy += g;
	int kw = (w - 2 * g) / 3;
	static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
	for (int i = 0; i < 9; i++)
		ui_key(a, ID_DIGIT + i + 1, (SDL_Rect){x + (i % 3) * (kw + g), yy + (i / 3) * (kh + g), kw, kh},
		       digits[i], digits[i], UI_F_TITLE, UI_BTN_SECONDARY, 0);
	yy += 3 * (kh + g);
	const char *del = ui_tr(a, "ลบ", "Delete"), *ok = ui_tr(a, "ตกลง", "OK");
	ui_key(a, ID_PAD_DEL, (SDL_Rect){x, yy, kw, kh}, del, del, UI_F_HEAD, UI_BTN_SECONDARY, 0);
	ui_key(a, ID_DIGIT, (SDL_Rect){x + kw + g, yy, kw, kh}, "0", "0", UI_F_TITLE, UI_BTN_SECONDARY, 0);
	ui_key(a, ID_PAD_OK, (SDL_Rect){x + 2 * (kw + g), yy, kw, kh}, ok, ok, UI_F_TITLE, 0, 0);
	yy += kh;
	return yy - y;
}

static int draw_ticket_step(struct ui_app *a, int y)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), g = ui_sz(a, 24);
	int wide = W > H * 6 / 5;
	int lw = wide ? (W - 3 * m) / 2 : W - 2 * m, lx = m;
	int y0 = y;
	const char *h1 = ui_tr(a, "สแกนคิวอาร์โค้ดบนบัตรคิวของท่าน", "Scan the QR code on your ticket");
	const char *h2 = ui_tr(a, "ที่เครื่องสแกนใต้หน้าจอ หรือพิมพ์หมายเลขคิวด้านล่าง",
			       "under the scanner below the screen, or type the ticket number");
	int icon = ui_sz(a, wide ? 220 : 150);
	if (st.msg_th[0]) {
		/* What went wrong takes the place of the instructions (its words say
		 * what to do), so the keypad stays in view in large text too. */
		y += draw_msg(a, lx, y, lw) + g;
	} else if (wide) {
		draw_scan_icon(a, lx + lw / 2, y, icon);
		y += icon + g;
		y += ui_label(a, (SDL_Rect){lx, y, lw, 0}, h1, UI_F_HEAD, t->text, TEXT_CENTER) + ui_sz(a, 8);
		y += ui_label(a, (SDL_Rect){lx, y, lw, 0}, h2, UI_F_BODY, t->muted, TEXT_CENTER) + g;
	} else {
		draw_scan_icon(a, lx + icon / 2 + ui_sz(a, 20), y, icon);
		int tx = lx + icon + ui_sz(a, 60), tw = lw - icon - ui_sz(a, 60);
		int hh = ui_label_height(a, tw, h1, UI_F_HEAD) + ui_sz(a, 8) +
			 ui_label_height(a, tw, h2, UI_F_BODY);
		int ty = y + (hh < icon ? (icon - hh) / 2 : 0);
		ty += ui_label(a, (SDL_Rect){tx, ty, tw, 0}, h1, UI_F_HEAD, t->text, TEXT_LEFT) + ui_sz(a, 8);
		ui_label(a, (SDL_Rect){tx, ty, tw, 0}, h2, UI_F_BODY, t->muted, TEXT_LEFT);
		y += (hh > icon ? hh : icon) + g;
	}
	y += draw_field(a, lx, y, lw) + g;
	if (wide) {
		int ky = draw_keypad(a, 2 * m + lw, y0, lw, H - y0 - m / 2);
		return (y > y0 + ky ? y : y0 + ky) + g;
	}
	return y + draw_keypad(a, lx, y, lw, H - y - m / 2) + g;
}

/* One answer: its face and label; `chosen` when the visitor came back to it.
 * layout: 0 a row (face, words, Thai under English), 1 a column (landscape),
 * 2 a row without the Thai line (large English text on a short screen). */
static void draw_level(struct ui_app *a, SDL_Rect r, int level, int chosen, int column)
{
	const struct ui_theme *t = ui_theme(a);
	const char *l1 = rating_scale_label(level, lang(a));
	const char *l2 = ui_lang(a) == UI_EN && column != 2 ? rating_scale_label(level, "th") : NULL;
	int pressed = 0; /* the frame after the tap shows the next question */
	int b = ui_sz(a, chosen ? 8 : 3);
	b = b < 2 ? 2 : b;
	ui_fill(a, r, chosen ? t->btn_bg : t->btn2_border, 20);
	ui_fill(a, (SDL_Rect){r.x + b, r.y + b, r.w - 2 * b, r.h - 2 * b}, pressed ? t->btn2_bg : t->panel, 18);
	int fr = ui_sz(a, FACE_R);
	if (column == 1) {
		if (fr > (r.w - ui_sz(a, 30)) / 2)
			fr = (r.w - ui_sz(a, 30)) / 2;
		int fy = r.y + ui_sz(a, 24) + fr;
		ui_face(a, r.x + r.w / 2, fy, fr, level);
		int ty = fy + fr + ui_sz(a, 16), tw = r.w - 2 * ui_sz(a, 12);
		ty += ui_label(a, (SDL_Rect){r.x + ui_sz(a, 12), ty, tw, 0}, l1, UI_F_HEAD, t->panel_text,
			       TEXT_CENTER);
		if (l2)
			ui_label(a, (SDL_Rect){r.x + ui_sz(a, 12), ty, tw, 0}, l2, UI_F_SMALL, t->muted, TEXT_CENTER);
	} else {
		if (fr > r.h / 2 - ui_sz(a, 14))
			fr = r.h / 2 - ui_sz(a, 14);
		int fx = r.x + ui_sz(a, 36) + fr;
		ui_face(a, fx, r.y + r.h / 2, fr, level);
		int tx = fx + fr + ui_sz(a, 40), tw = r.x + r.w - tx - ui_sz(a, 24);
		int h1 = ui_label_height(a, tw, l1, UI_F_TITLE);
		int h2 = l2 ? ui_label_height(a, tw, l2, UI_F_BODY) : 0;
		int ty = r.y + (r.h - h1 - h2) / 2;
		ty += ui_label(a, (SDL_Rect){tx, ty, tw, 0}, l1, UI_F_TITLE, t->panel_text, TEXT_LEFT);
		if (l2)
			ui_label(a, (SDL_Rect){tx, ty, tw, 0}, l2, UI_F_BODY, t->muted, TEXT_LEFT);
	}
	ui_hotspot(a, ID_LEVEL + level, r, l1);
}

/* The ticket being rated, and where we are: "ข้อ 2 จาก 4" and four dots. */
static int draw_progress(struct ui_app *a, int x, int y, int w, int step_no)
{
	const struct ui_theme *t = ui_theme(a);
	char line[256], prog[64];
	const char *svc = st.svc ? ktext_get(&st.svc->name, lang(a)) : "";
	snprintf(line, sizeof line, "%s %s%s%s", ui_tr(a, "บัตรคิว", "Ticket"), st.t.number,
		 *svc ? " · " : "", svc);
	int y0 = y;
	y += ui_label(a, (SDL_Rect){x, y, w, 0}, line, UI_F_SMALL, t->muted, TEXT_CENTER) + ui_sz(a, 10);
	if (ui_lang(a) == UI_EN)
		snprintf(prog, sizeof prog, step_no <= RATING_DIMS ? "Question %d of %d" : "Comment",
			 step_no, RATING_DIMS);
	else
		snprintf(prog, sizeof prog, step_no <= RATING_DIMS ? "ข้อ %d จาก %d" : "ความคิดเห็น",
			 step_no, RATING_DIMS);
	int ph = ui_label_height(a, w, prog, UI_F_BODY);
	int dot = ui_sz(a, 14), dg = ui_sz(a, 18);
	int dots_w = (RATING_DIMS + 1) * (2 * dot) + RATING_DIMS * dg;
	int pw = 0;
	struct text_style ps = ui_style(a, UI_F_BODY, t->text, TEXT_LEFT);
	text_measure(prog, &ps, 0, &pw, NULL, NULL);
	int total = pw + ui_sz(a, 30) + dots_w, px = x + (w - total) / 2;
	ui_label(a, (SDL_Rect){px, y, pw + 2, 0}, prog, UI_F_BODY, t->text, TEXT_LEFT);
	int dx = px + pw + ui_sz(a, 30) + dot;
	for (int i = 0; i <= RATING_DIMS; i++) {
		SDL_Color c = i < step_no ? t->btn_bg : t->divider;
		ui_disc(a, dx + i * (2 * dot + dg), y + ph / 2, dot, c);
	}
	return y + ph - y0;
}

static int level_height(struct ui_app *a, int y, int *sub);

static int draw_question_step(struct ui_app *a, int y)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), g = ui_sz(a, 20);
	int cw = W - 2 * m;
	y += draw_progress(a, m, y, cw, st.q + 1) + ui_sz(a, 24);
	const char *q = rating_question((enum rating_dim)st.q, lang(a));
	y += ui_label(a, (SDL_Rect){m, y, cw, 0}, q, UI_F_TITLE, t->text, TEXT_CENTER) + ui_sz(a, 8);
	if (ui_lang(a) == UI_EN)
		y += ui_label(a, (SDL_Rect){m, y, cw, 0}, rating_question((enum rating_dim)st.q, "th"),
			      UI_F_SMALL, t->muted, TEXT_CENTER);
	y += ui_sz(a, 28);
	if (W > H * 6 / 5) {
		/* Landscape: five columns, faces above their words. */
		int bw = (cw - 4 * g) / 5, bh = ui_sz(a, 2 * FACE_R + 48) + 3 * ui_font(a, UI_F_HEAD);
		for (int lv = 5; lv >= 1; lv--)
			draw_level(a, (SDL_Rect){m + (5 - lv) * (bw + g), y, bw, bh}, lv,
				   st.score[st.q] == lv, 1);
		return y + bh + g;
	}
	int sub;
	int bh = level_height(a, y, &sub);
	for (int lv = 5; lv >= 1; lv--) {
		draw_level(a, (SDL_Rect){m, y, cw, bh}, lv, st.score[st.q] == lv, sub ? 0 : 2);
		y += bh + g;
	}
	return y;
}

/* A Thai mark alone floats: show it on a dotted carrier as dictionaries do. */
static int is_mark(const char *s)
{
	unsigned cp = 0;
	size_t n = s ? kedmanee_utf8_next(s, strlen(s), &cp) : 0;
	return n && (cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E));
}

static void draw_arrow(struct ui_app *a, SDL_Rect r, int up, SDL_Color c)
{
	int s = r.h * 4 / 10, cx = r.x + r.w / 2, cy = r.y + r.h / 2 - ui_yoff(a);
	SDL_Vertex v[3];
	if (up) {
		v[0] = (SDL_Vertex){{(float)cx, (float)(cy - s / 2)}, c, {0, 0}};
		v[1] = (SDL_Vertex){{(float)(cx - s / 2), (float)cy}, c, {0, 0}};
		v[2] = (SDL_Vertex){{(float)(cx + s / 2), (float)cy}, c, {0, 0}};
		SDL_RenderGeometry(ui_renderer(a), NULL, v, 3, NULL, 0);
		SDL_Rect stem = {cx - s / 6, cy, s / 3, s / 2};
		SDL_SetRenderDrawColor(ui_renderer(a), c.r, c.g, c.b, 255);
		SDL_RenderFillRect(ui_renderer(a), &stem);
	} else {
		v[0] = (SDL_Vertex){{(float)(cx - s * 3 / 4), (float)cy}, c, {0, 0}};
		v[1] = (SDL_Vertex){{(float)(cx - s / 4), (float)(cy - s / 2)}, c, {0, 0}};
		v[2] = (SDL_Vertex){{(float)(cx - s / 4), (float)(cy + s / 2)}, c, {0, 0}};
		SDL_RenderGeometry(ui_renderer(a), NULL, v, 3, NULL, 0);
		SDL_Rect body = {cx - s / 4, cy - s / 2, s, s};
		SDL_SetRenderDrawColor(ui_renderer(a), c.r, c.g, c.b, 255);
		SDL_RenderFillRect(ui_renderer(a), &body);
	}
}

static void kb_key(struct ui_app *a, int row, int col, SDL_Rect r)
{
	const char *ch = kedmanee_label(row, col, st.thai, st.shift);
	char shown[16];
	if (!ch || !*ch)
		return;
	if (is_mark(ch))
		snprintf(shown, sizeof shown, "%s%s", UI_MARK_CARRIER, ch);
	else
		snprintf(shown, sizeof shown, "%s", ch);
	ui_key(a, ID_KEY + row * 16 + col, r, shown, ch, UI_F_BUTTON, UI_BTN_SECONDARY, 0);
	if (is_mark(ch)) {
		/* The dotted circle dictionaries put under a mark, drawn (no glyph for it). */
		int px = ui_font(a, UI_F_BUTTON), rr = px * 27 / 100, cx = r.x + r.w / 2;
		int cy = r.y + r.h / 2 + px * 4 / 100, dr = px / 24 > 1 ? px / 24 : 1;
		static const int8_t ring[12][2] = {{100, 0}, {87, 50}, {50, 87}, {0, 100}, {-50, 87},
						   {-87, 50}, {-100, 0}, {-87, -50}, {-50, -87},
						   {0, -100}, {50, -87}, {87, -50}};
		for (int i = 0; i < 12; i++)
			ui_disc(a, cx + ring[i][0] * rr / 100, cy + ring[i][1] * rr / 100, dr,
				ui_theme(a)->muted);
	}
}

/* Kedmanee in rows of at most 12 keys (80+ px each on a 1080 px screen): the
 * number row without its first key, the top row without its last (ฃ, obsolete)
 * which ends the home row, Shift + bottom row + backspace, then layout, the `
 * key, space and clear. */
static int draw_keyboard(struct ui_app *a, int x, int y, int w, int kh)
{
	const struct ui_theme *t = ui_theme(a);
	int g = ui_sz(a, 6);
	int u = (w + g) / KB_UNITS; /* one unit: key + gap */
	int kw = u - g;
	int x0 = x + (w - (KB_UNITS * u - g)) / 2;
#define KR(i) ((SDL_Rect){x0 + (i) * u, yy, kw, kh})
	int yy = y;
	for (int c = 1; c < kedmanee_row_len[0]; c++)
		kb_key(a, 0, c, KR(c - 1));
	yy += kh + g;
	for (int c = 0; c < 12 && c < kedmanee_row_len[1]; c++)
		kb_key(a, 1, c, KR(c));
	yy += kh + g;
	for (int c = 0; c < kedmanee_row_len[2]; c++)
		kb_key(a, 2, c, KR(c));
	if (kedmanee_row_len[1] > 12)
		kb_key(a, 1, 12, KR(kedmanee_row_len[2]));
	yy += kh + g;
	SDL_Rect sh = KR(0);
	ui_key(a, ID_SHIFT, sh, "", "Shift", UI_F_BUTTON, UI_BTN_SECONDARY, st.shift);
	draw_arrow(a, sh, 1, st.shift ? t->btn_down_text : t->btn2_text);
	for (int c = 0; c < kedmanee_row_len[3]; c++)
		kb_key(a, 3, c, KR(c + 1));
	SDL_Rect bk = KR(kedmanee_row_len[3] + 1);
	bk.w = x0 + KB_UNITS * u - g - bk.x;
	ui_key(a, ID_BKSP, bk, "", "Backspace", UI_F_BUTTON, UI_BTN_SECONDARY, 0);
	draw_arrow(a, bk, 0, t->btn2_text);
	yy += kh + g;
	const char *lay = st.thai ? "ABC" : "กขค";
	ui_key(a, ID_LAYOUT, (SDL_Rect){x0, yy, 2 * u - g, kh}, lay, lay, UI_F_BUTTON, UI_BTN_SECONDARY, 0);
	kb_key(a, 0, 0, KR(2));
	const char *sp = ui_tr(a, "เว้นวรรค", "space");
	ui_key(a, ID_SPACE, (SDL_Rect){x0 + 3 * u, yy, 7 * u - g, kh}, sp, sp, UI_F_BUTTON,
	       UI_BTN_SECONDARY, 0);
	const char *cl = ui_tr(a, "ล้าง", "Clear");
	ui_key(a, ID_KB_CLEAR, (SDL_Rect){x0 + 10 * u, yy, 2 * u - g, kh}, cl, cl, UI_F_BUTTON,
	       UI_BTN_SECONDARY, 0);
	yy += kh;
#undef KR
	return yy - y;
}

/* The comment as typed: three lines, showing the end of a longer text (the
 * part typed last is what the visitor looks at). */
static int draw_comment_box(struct ui_app *a, int x, int y, int w, int h)
{
	const struct ui_theme *t = ui_theme(a);
	int b = ui_sz(a, 3) > 2 ? ui_sz(a, 3) : 2, ip = ui_sz(a, 14);
	int tw = w - 2 * ip;
	const char *s = st.comment[0] ? st.comment
				      : ui_tr(a, "แตะที่แป้นเพื่อพิมพ์", "Tap the keys to type");
	struct text_style ts = ui_style(a, UI_F_BODY, st.comment[0] ? t->panel_text : t->muted, TEXT_LEFT);
	int th = ui_label_height(a, tw, s, UI_F_BODY);
	ui_fill(a, (SDL_Rect){x, y, w, h}, t->btn2_border, 14);
	ui_fill(a, (SDL_Rect){x + b, y + b, w - 2 * b, h - 2 * b}, t->panel, 12);
	SDL_Rect in = {x + b, y + b - ui_yoff(a), w - 2 * b, h - 2 * b}, old, clip = in;
	SDL_Renderer *r = ui_renderer(a);
	int had = SDL_RenderIsClipEnabled(r);
	if (had) {
		SDL_RenderGetClipRect(r, &old);
		if (!SDL_IntersectRect(&in, &old, &clip))
			return h;
	}
	SDL_RenderSetClipRect(r, &clip);
	int ty = th <= h - 2 * ip ? y + ip : y + h - ip - th;
	ui_text(a, (SDL_Rect){x + ip, ty, tw, th}, s, &ts);
	SDL_RenderSetClipRect(r, had ? &old : NULL);
	return h;
}

/* Laid out from the bottom up so Send is always on screen: the buttons at the
 * foot, the keyboard above them, the comment box takes what is left (at least
 * two lines; the keys give up height, down to the 80 px floor, before that).
 * A landscape unit puts the words and buttons on the left, the keyboard right. */
static void draw_comment_step(struct ui_app *a, int top)
{
	const struct ui_theme *t = ui_theme(a);
	int W = ui_w(a), H = ui_h(a), m = ui_sz(a, UI_MARGIN), g = ui_sz(a, 16);
	int wide = W > H * 6 / 5;
	int lw = wide ? (W - 3 * m) * 40 / 100 : W - 2 * m, lx = m;
	int kx = wide ? lx + lw + m : ui_sz(a, 12), kw = wide ? W - kx - m / 2 : W - 2 * kx;
	int kg = ui_sz(a, 6);
	char left[96];
	const char *q = ui_tr(a, "มีข้อเสนอแนะเพิ่มเติมหรือไม่ (ไม่บังคับ)",
			      "Anything else you would like to tell us? (optional)");
	const char *hint = ui_tr(a, "ไม่ต้องใส่ชื่อ เลขบัตรประชาชน หรือเบอร์โทรศัพท์",
				 "Please do not write your name, ID number or phone number");
	const char *skip = ui_tr(a, "ข้าม", "Skip"), *send = ui_tr(a, "ส่ง", "Send");
	const char *skip2 = ui_tr(a, "Skip", "ข้าม"), *send2 = ui_tr(a, "Send", "ส่ง");
	size_t used = strlen(st.comment);
	long room = (long)(RATING_COMMENT_MAX - used) / (st.thai ? 3 : 1);
	if (ui_lang(a) == UI_EN)
		snprintf(left, sizeof left, "%zu characters, room for about %ld more",
			 kedmanee_count(st.comment), room);
	else
		snprintf(left, sizeof left, "%zu ตัวอักษร พิมพ์ได้อีกประมาณ %ld ตัว",
			 kedmanee_count(st.comment), room);

	/* Heights, bottom up. */
	int bw = (lw - g) / 2;
	int bh = ui_button_height(a, bw, skip, skip2), bh2 = ui_button_height(a, bw, send, send2);
	bh = bh > bh2 ? bh : bh2;
	bh = bh < ui_sz(a, 120) ? ui_sz(a, 120) : bh;
	int by = H - m / 2 - bh;
	int kh = ui_sz(a, KB_KEY_H), kh_min = ui_sz(a, 80) > 80 ? ui_sz(a, 80) : 80;
	int kb_h = 5 * kh + 4 * kg;
	int y = top + ui_sz(a, 8);
	int head = draw_progress(a, lx, y, lw, RATING_DIMS + 1) + g; /* drawn now: it is at the top */
	y += head;
	int qh = ui_label_height(a, lw, q, UI_F_HEAD), hh = ui_label_height(a, lw, hint, UI_F_SMALL);
	/* A keyboard message (mark refused, full, not saved) takes the counter's line. */
	const char *note = st.msg_th[0] ? ui_tr(a, st.msg_th, st.msg_en) : left;
	int ch = ui_label_height(a, lw, note, st.msg_th[0] ? UI_F_BODY : UI_F_SMALL);
	int mh = 0;
	int line = ui_label_height(a, lw, "ก", UI_F_BODY);
	int box_min = 2 * line + ui_sz(a, 28), box_max = wide ? 6 * line : 8 * line;
	/* What is left for the box, in portrait between the words and the keyboard. */
	int below = wide ? by - g : by - g - kb_h - g;
	int box = below - (y + qh + hh + ui_sz(a, 10)) - ch - ui_sz(a, 6) - mh;
	while (!wide && box < box_min && kh > kh_min) {
		kh -= 2;
		box += 10; /* five rows gave two pixels each */
	}
	kb_h = 5 * kh + 4 * kg;
	if (box > box_max)
		box = box_max;
	if (box < box_min)
		box = box_min;

	y += ui_label(a, (SDL_Rect){lx, y, lw, 0}, q, UI_F_HEAD, t->text, TEXT_LEFT);
	y += ui_label(a, (SDL_Rect){lx, y, lw, 0}, hint, UI_F_SMALL, t->muted, TEXT_LEFT) + ui_sz(a, 10);
	y += draw_comment_box(a, lx, y, lw, box) + ui_sz(a, 6);
	if (st.msg_th[0])
		ui_label(a, (SDL_Rect){lx, y, lw, 0}, note, UI_F_BODY, st.msg_bad ? t->accent_bg : t->note_text,
			 TEXT_LEFT);
	else
		ui_label(a, (SDL_Rect){lx, y, lw, 0}, note, UI_F_SMALL, t->muted, TEXT_RIGHT);
	if (wide)
		draw_keyboard(a, kx, H - m / 2 - kb_h, kw, kh);
	else
		draw_keyboard(a, kx, by - g - kb_h, kw, kh);
	ui_button_sub(a, ID_SKIP, (SDL_Rect){lx, by, bw, bh}, skip, skip2, UI_BTN_SECONDARY);
	ui_button_sub(a, ID_SEND, (SDL_Rect){lx + bw + g, by, bw, bh}, send, send2,
		      st.comment[0] ? 0 : UI_BTN_DISABLED);
}

/* The question step's answers share the height left under the question, so all
 * five are in view without scrolling (at least 120 px each, at most LEVEL_H). */
static int level_height(struct ui_app *a, int y, int *sub)
{
	int g = ui_sz(a, 20), H = ui_h(a), need = 0, need1 = 0;
	int fit = (H - y - ui_sz(a, 24) - 4 * g) / 5;
	for (int lv = 1; lv <= 5; lv++) {
		int tw = ui_w(a) - 2 * ui_sz(a, UI_MARGIN) - 2 * ui_sz(a, FACE_R) - ui_sz(a, 100);
		int n1 = ui_label_height(a, tw, rating_scale_label(lv, lang(a)), UI_F_TITLE);
		int n = n1 + (ui_lang(a) == UI_EN ? ui_label_height(a, tw, rating_scale_label(lv, "th"), UI_F_BODY) : 0);
		need = n > need ? n : need;
		need1 = n1 > need1 ? n1 : need1;
	}
	/* The Thai words under the English ones go first when space is short. */
	*sub = ui_lang(a) == UI_EN && need + ui_sz(a, 12) <= fit;
	need = (*sub ? need : need1) + ui_sz(a, 12);
	int h = fit < ui_sz(a, LEVEL_H) ? fit : ui_sz(a, LEVEL_H);
	if (h < need)
		h = need;
	return h < 120 ? 120 : h;
}

static void draw(struct ui_app *a)
{
	const char *title = st.step == S_COMMENT ? ui_tr(a, "ความคิดเห็นเพิ่มเติม", "Your comment")
						 : ui_tr(a, "ประเมินความพึงพอใจ", "Rate our service");
	int bar = ui_topbar(a, title, UI_BAR_BACK | UI_BAR_HOME);
	int W = ui_w(a), H = ui_h(a), y = bar + ui_sz(a, 24);

	if (st.step == S_COMMENT) {
		draw_comment_step(a, bar);
		return;
	}
	ui_scroll_begin(a, &st.scroll, (SDL_Rect){0, bar, W, H - bar});
	y = st.step == S_TICKET ? draw_ticket_step(a, y) : draw_question_step(a, y);
	ui_scroll_end(a, &st.scroll, y);
}

const struct ui_screen_ops scr_rating = {
	.name = "rating",
	.enter = enter,
	.leave = leave,
	.draw = draw,
	.event = event,
};
