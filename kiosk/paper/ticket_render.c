/**
 * @file ticket_render.c
 * @brief The paper ticket: texts from the text engine's 1-bit path, the QR, a
 * priority band, stacked top to bottom into a bitmap as tall as they need.
 *
 * Two passes: every block is rendered into its own small bitmap and placed at the
 * running y (so the height is known), then the ticket bitmap is allocated once and
 * the blocks drawn into it in order.
 */
#include "paper/ticket_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "dev/escpos.h"
#include "dev/qr.h"

#define BASE_DOTS 576      /* sizes below are for 80 mm paper, scaled to the width */
#define NUMBER_PX_PCT 44   /* the number starts at this % of the width, shrinks to fit */
#define QR_PCT 46          /* the QR may take this % of the width ... */
#define QR_MIN_DOTS 190    /* ... but at least this: 4 dots a module on 58 mm paper */
#define QR_SCALE_MAX 8     /* dots per module: beyond this the QR only wastes paper */

/* --- texts ------------------------------------------------------------------------ */

const char *ticket_text_priority(enum text_lang l)
{
	return l == TEXT_EN ? "Priority ticket" : "คิวพิเศษ";
}

const char *ticket_text_priority_who(enum text_lang l)
{
	return l == TEXT_EN ? "Elderly / disabled / pregnant / monks"
			    : "ผู้สูงอายุ / ผู้พิการ / สตรีมีครรภ์ / พระภิกษุ";
}

const char *ticket_text_hint(enum text_lang l)
{
	return l == TEXT_EN ? "Please wait for your number on the screen" : "กรุณารอเรียกคิวที่หน้าจอ";
}

void ticket_text_wait(const struct kissued *is, enum text_lang l, char *out, size_t n)
{
	if (is->ahead <= 0)
		snprintf(out, n, "%s", l == TEXT_EN ? "You are next" : "ท่านเป็นคิวถัดไป");
	else if (l == TEXT_EN)
		snprintf(out, n, "%d ahead of you · about %d min", is->ahead, is->wait_minutes);
	else
		snprintf(out, n, "รออีก %d คิว · ประมาณ %d นาที", is->ahead, is->wait_minutes);
}

void ticket_text_when(int64_t t, enum text_lang l, char *out, size_t n)
{
	struct kdate d;
	char date[TEXT_DATE_MAX];
	kclock_bkk(t, &d);
	if (text_date(d.year, d.month, d.day, d.wday, l, 0, date, sizeof date))
		date[0] = 0;
	if (l == TEXT_EN)
		snprintf(out, n, "%s, %02d:%02d", date, d.hour, d.min);
	else
		snprintf(out, n, "%s เวลา %02d:%02d น.", date, d.hour, d.min);
}

void ticket_text_doc(const struct kdoc *d, enum text_lang l, char *out, size_t n)
{
	const char *name = l == TEXT_EN ? d->name.en : d->name.th;
	char cnt[64];
	size_t o = 0;
	cnt[0] = 0;
	if (l == TEXT_EN) {
		if (d->originals > 0)
			o += (size_t)snprintf(cnt + o, sizeof cnt - o, "%d original%s", d->originals,
					      d->originals > 1 ? "s" : "");
		if (d->copies > 0 && o < sizeof cnt)
			snprintf(cnt + o, sizeof cnt - o, "%s%d cop%s", o ? ", " : "", d->copies,
				 d->copies > 1 ? "ies" : "y");
	} else {
		if (d->originals > 0)
			o += (size_t)snprintf(cnt + o, sizeof cnt - o, "ฉบับจริง %d", d->originals);
		if (d->copies > 0 && o < sizeof cnt)
			snprintf(cnt + o, sizeof cnt - o, "%sสำเนา %d", o ? ", " : "", d->copies);
	}
	if (cnt[0])
		snprintf(out, n, "%s (%s)", name, cnt);
	else
		snprintf(out, n, "%s", name);
}

void ticket_text_complaint(const struct ticket_info *ti, enum text_lang l, char *out, size_t n)
{
	const char *lab = l == TEXT_EN ? "Complaints: " : "ร้องเรียน: ";
	if (ti->cfg && ti->cfg->office_phone[0])
		snprintf(out, n, "%s%s %s", lab, l == TEXT_EN ? "call" : "โทร", ti->cfg->office_phone);
	else if (ti->svc && ti->svc->n_complaints)
		snprintf(out, n, "%s%s", lab,
			 l == TEXT_EN ? ti->svc->complaints[0].en : ti->svc->complaints[0].th);
	else
		out[0] = 0;
}

/* --- layout ------------------------------------------------------------------------- */

enum op { OP_INK, OP_CLEAR, OP_FILL };

struct piece {
	enum op op;
	int x, y;
	struct bitmap bm; /* OP_INK / OP_CLEAR: the mask */
	SDL_Rect r;       /* OP_FILL */
};

struct rctx {
	struct piece *v;
	int n, cap;
	int W, M;  /* paper width, side margin */
	int y;     /* next free row */
	double s;  /* W / BASE_DOTS */
	struct ticket_layout *lay;
	struct kerr *err;
};

kst ticket_text_bitmap(const char *s, enum text_role role, int size, enum text_align al,
		       int wrap, struct bitmap *out, struct kerr *err)
{
	struct text_style st = {.role = role, .px = size, .color = {0, 0, 0, 255}, .align = al};
	SDL_Surface *sf;
	kst rc;

	memset(out, 0, sizeof *out);
	sf = text_render(s, &st, wrap, err);
	if (!sf)
		return err->code ? err->code : kerr_set(err, K_EFAIL, "rendering text for paper");
	SDL_LockSurface(sf);
	rc = bitmap_from_argb32(out, sf->pixels, sf->w, sf->h, sf->pitch, TICKET_INK_THRESHOLD, err);
	SDL_UnlockSurface(sf);
	SDL_FreeSurface(sf);
	return rc;
}

static int px(const struct rctx *c, int base, int floor_px)
{
	int p = (int)(base * c->s + 0.5);
	return p < floor_px ? floor_px : p;
}

static struct piece *add(struct rctx *c)
{
	if (c->n == c->cap) {
		int nc = c->cap ? c->cap * 2 : 32;
		struct piece *v = realloc(c->v, (size_t)nc * sizeof *v);
		if (!v)
			return NULL;
		c->v = v;
		c->cap = nc;
	}
	memset(&c->v[c->n], 0, sizeof c->v[0]);
	return &c->v[c->n++];
}

/* Rows of bm from its first to its last black row (the number's font keeps room
 * for Thai marks it never has). */
static kst trim_rows(struct bitmap *bm, struct kerr *err)
{
	int top = 0, bot = bm->h - 1;
	struct bitmap t;
	while (top < bm->h) {
		const uint8_t *r = bm->bits + (size_t)top * (size_t)bm->stride;
		int any = 0;
		for (int i = 0; i < bm->stride && !any; i++)
			any = r[i] != 0;
		if (any)
			break;
		top++;
	}
	while (bot > top) {
		const uint8_t *r = bm->bits + (size_t)bot * (size_t)bm->stride;
		int any = 0;
		for (int i = 0; i < bm->stride && !any; i++)
			any = r[i] != 0;
		if (any)
			break;
		bot--;
	}
	if (top >= bm->h || (top == 0 && bot == bm->h - 1))
		return K_OK;
	kst rc = bitmap_init(&t, bm->w, bot - top + 1, err);
	if (rc)
		return rc;
	memcpy(t.bits, bm->bits + (size_t)top * (size_t)bm->stride,
	       (size_t)t.h * (size_t)bm->stride);
	bitmap_free(bm);
	*bm = t;
	return K_OK;
}

#define TX_TRIM 0x01    /* drop blank rows above and below */
#define TX_INVERSE 0x02 /* white on the black band already placed */

/* Renders s wrapped at wrap dots, placed at x (aligned within wrap) at the running
 * y, and records its box. *h gets the rows it takes. Empty s takes nothing. */
static kst put_text(struct rctx *c, const char *what, const char *s, enum text_role role,
		    int size, enum text_align al, int x, int wrap, unsigned fl, int *h)
{
	struct text_style st = {.role = role, .px = size, .color = {0, 0, 0, 255}, .align = al};
	struct piece *p;
	int lines = 0;
	kst rc;

	*h = 0;
	if (!s || !*s)
		return K_OK;
	text_measure(s, &st, wrap, NULL, NULL, &lines);
	if (!(p = add(c)))
		return kerr_set(c->err, K_EFAIL, "out of memory");
	p->op = fl & TX_INVERSE ? OP_CLEAR : OP_INK;
	rc = ticket_text_bitmap(s, role, size, al, wrap, &p->bm, c->err);
	if (!rc && (fl & TX_TRIM))
		rc = trim_rows(&p->bm, c->err);
	if (rc) {
		c->n--;
		return rc;
	}
	int w = p->bm.w;
	p->x = al == TEXT_CENTER ? x + (wrap - w) / 2 : al == TEXT_RIGHT ? x + wrap - w : x;
	p->y = c->y;
	*h = p->bm.h;

	struct ticket_layout *L = c->lay;
	if (L) {
		int over = w > wrap || p->x < 0 || p->x + w > c->W;
		L->overflow += over;
		if (L->nbox < TICKET_BOXES_MAX) {
			struct ticket_box *b = &L->box[L->nbox++];
			snprintf(b->what, sizeof b->what, "%s", what);
			b->box = (SDL_Rect){x, c->y, wrap, p->bm.h};
			b->ink = (SDL_Rect){p->x, p->y, w, p->bm.h};
			b->lines = lines;
			b->overflow = over;
		} else {
			L->dropped++;
		}
	}
	return K_OK;
}

/* A block across the content width: text, then the gap after it. */
static kst line(struct rctx *c, const char *what, const char *s, enum text_role role, int size,
		enum text_align al, int gap)
{
	int h;
	kst rc = put_text(c, what, s, role, size, al, c->M, c->W - 2 * c->M, 0, &h);
	if (!rc && h)
		c->y += h + gap;
	return rc;
}

static kst fill(struct rctx *c, SDL_Rect r)
{
	struct piece *p = add(c);
	if (!p)
		return kerr_set(c->err, K_EFAIL, "out of memory");
	p->op = OP_FILL;
	p->r = r;
	return K_OK;
}

static kst rule(struct rctx *c, int gap)
{
	int t = c->W >= 512 ? 3 : 2;
	kst rc = fill(c, (SDL_Rect){c->M, c->y, c->W - 2 * c->M, t});
	c->y += t + gap;
	return rc;
}

/* The number as large as the width allows. */
static kst number(struct rctx *c, const char *num, int gap)
{
	struct text_style st = {.role = TEXT_BOLD, .mono = 1};
	int cw = c->W - 2 * c->M, w = 0, h;
	st.px = c->W * NUMBER_PX_PCT / 100;
	if (text_measure(num, &st, 0, &w, NULL, NULL))
		return kerr_set(c->err, K_EFAIL, "measuring the number");
	/* The grid the number always used (4 px steps down to 24): tickets print alike. */
	st.px = text_fit_px(num, &st, cw, st.px - (st.px - 24) / 4 * 4, 4, &w, NULL);
	if (c->lay)
		c->lay->number_px = st.px;
	kst rc = put_text(c, "number", num, TEXT_BOLD, st.px, TEXT_CENTER, c->M, cw, TX_TRIM, &h);
	c->y += h + gap;
	return rc;
}

/* White text on a black band. */
static kst priority_band(struct rctx *c, int gap)
{
	int cw = c->W - 2 * c->M, pad = px(c, 12, 8), inner = cw - 2 * pad;
	int p1 = px(c, 38, 28), p2 = px(c, 24, 20), h1, h2;
	char t1[TICKET_TEXT_MAX];
	struct text_style s1 = {.role = TEXT_BOLD, .px = p1, .mono = 1};
	struct text_style s2 = {.role = TEXT_REGULAR, .px = p2, .mono = 1};
	snprintf(t1, sizeof t1, "%s · %s", ticket_text_priority(TEXT_TH),
		 ticket_text_priority(TEXT_EN));
	/* Measure first: the band goes down before the text that is cut out of it. */
	if (text_measure(t1, &s1, inner, NULL, &h1, NULL) ||
	    text_measure(ticket_text_priority_who(TEXT_TH), &s2, inner, NULL, &h2, NULL))
		return kerr_set(c->err, K_EFAIL, "measuring the priority band");
	kst rc = fill(c, (SDL_Rect){c->M, c->y, cw, h1 + h2 + 2 * pad});
	if (rc)
		return rc;
	int y0 = c->y;
	c->y += pad;
	rc = put_text(c, "priority", t1, TEXT_BOLD, p1, TEXT_CENTER, c->M + pad, inner, TX_INVERSE,
		      &h1);
	c->y += h1;
	if (!rc)
		rc = put_text(c, "priority_who", ticket_text_priority_who(TEXT_TH), TEXT_REGULAR, p2,
			      TEXT_CENTER, c->M + pad, inner, TX_INVERSE, &h2);
	c->y = y0 + h1 + h2 + 2 * pad + gap;
	return rc;
}

/* The QR with its quiet zone at (x, running y); x < 0 centres it. The running y
 * does not move: *side says how tall it is. */
static kst qr_block(struct rctx *c, const char *payload, int x, int *side)
{
	struct qr q;
	struct piece *p;
	kst rc = qr_encode(&q, payload, strlen(payload), c->err);
	if (rc)
		return rc;
	int room = c->W * QR_PCT / 100;
	int scale = qr_fit_scale(&q, room > QR_MIN_DOTS ? room : QR_MIN_DOTS, QR_QUIET);
	if (scale > QR_SCALE_MAX)
		scale = QR_SCALE_MAX;
	if (scale < 1) {
		qr_free(&q);
		return kerr_set(c->err, K_EUSAGE, "QR payload too long for %d-dot paper", c->W);
	}
	if (!(p = add(c))) {
		qr_free(&q);
		return kerr_set(c->err, K_EFAIL, "out of memory");
	}
	p->op = OP_INK;
	rc = qr_to_bitmap(&q, scale, QR_QUIET, &p->bm, c->err);
	qr_free(&q);
	if (rc) {
		c->n--;
		return rc;
	}
	p->x = x < 0 ? (c->W - p->bm.w) / 2 : x;
	p->y = c->y;
	if (c->lay) {
		c->lay->qr = (SDL_Rect){p->x, p->y, p->bm.w, p->bm.h};
		c->lay->qr_scale = scale;
	}
	*side = p->bm.h;
	return K_OK;
}

/* Date and hint, under the QR on narrow paper, beside it on 80 mm paper (the
 * quiet zone is the margin): 3 cm less paper per ticket. */
static kst qr_and_hint(struct rctx *c, const struct ticket_info *ti, int g, int G)
{
	char buf[TICKET_TEXT_MAX];
	int body = px(c, 28, 22), small = px(c, 22, 18), when = px(c, 24, 20), side = 0, h;
	int has_qr = ti->qr && ti->qr[0];
	kst rc;

	ticket_text_when(ti->is->t.issued_at, TEXT_TH, buf, sizeof buf);
	if (!has_qr || c->W < ESCPOS_PAPER_80_NARROW) {
		if ((rc = line(c, "when", buf, TEXT_REGULAR, when, TEXT_CENTER, G)))
			return rc;
		if (has_qr) {
			if ((rc = qr_block(c, ti->qr, -1, &side)))
				return rc;
			c->y += side + g;
		}
		if ((rc = line(c, "hint", ticket_text_hint(TEXT_TH), TEXT_BOLD, body, TEXT_CENTER, 0)))
			return rc;
		return line(c, "hint_en", ticket_text_hint(TEXT_EN), TEXT_REGULAR, small, TEXT_CENTER, G);
	}
	int y0 = c->y, k = c->n, kb = c->lay ? c->lay->nbox : 0;
	if ((rc = qr_block(c, ti->qr, 0, &side)))
		return rc;
	int x = side + g, w = c->W - c->M - x;
	k = c->n; /* the column: everything after the QR */
	struct {
		const char *what, *s;
		enum text_role role;
		int size, gap;
	} col[] = {
		{"hint", ticket_text_hint(TEXT_TH), TEXT_BOLD, body, 0},
		{"hint_en", ticket_text_hint(TEXT_EN), TEXT_REGULAR, small, g},
		{"when", buf, TEXT_REGULAR, when, 0},
	};
	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		if ((rc = put_text(c, col[i].what, col[i].s, col[i].role, col[i].size, TEXT_CENTER, x,
				   w, 0, &h)))
			return rc;
		c->y += h + col[i].gap;
	}
	int colh = c->y - y0;
	if (colh < side) { /* centre the column beside the QR */
		int dy = (side - colh) / 2;
		for (int i = k; i < c->n; i++)
			c->v[i].y += dy;
		for (int i = kb; c->lay && i < c->lay->nbox; i++)
			c->lay->box[i].box.y += dy, c->lay->box[i].ink.y += dy;
	}
	c->y = y0 + (colh > side ? colh : side) + G;
	return K_OK;
}

/* "• name" with the text wrapped beside the bullet. */
static kst item(struct rctx *c, const char *what, const char *s, int size, int gap)
{
	int ind = size, h1, h2;
	kst rc = put_text(c, what, "•", TEXT_REGULAR, size, TEXT_LEFT, c->M, ind, 0, &h1);
	if (!rc)
		rc = put_text(c, what, s, TEXT_REGULAR, size, TEXT_LEFT, c->M + ind,
			      c->W - 2 * c->M - ind, 0, &h2);
	if (!rc)
		c->y += (h2 > h1 ? h2 : h1) + gap;
	return rc;
}

static void draw_clear(struct bitmap *dst, int x0, int y0, const struct bitmap *m)
{
	for (int y = 0; y < m->h; y++)
		for (int x = 0; x < m->w; x++)
			if (bitmap_get(m, x, y))
				bitmap_set(dst, x0 + x, y0 + y, 0);
}

kst ticket_render(const struct ticket_info *ti, int paper_dots, struct bitmap *out,
		  struct ticket_layout *lay, struct kerr *err)
{
	struct rctx c = {.W = paper_dots, .lay = lay, .err = err};
	char buf[TICKET_TEXT_MAX];
	const struct kservice *sv = ti ? ti->svc : NULL;
	kst rc = K_OK;

	memset(out, 0, sizeof *out);
	if (lay)
		memset(lay, 0, sizeof *lay);
	if (!escpos_paper_valid(paper_dots))
		return kerr_set(err, K_EUSAGE, "paper width %d dots: must be 384, 512 or 576",
				paper_dots);
	if (!ti || !ti->cfg || !sv || !ti->is)
		return kerr_set(err, K_EUSAGE, "ticket: nothing to print");
	c.s = (double)paper_dots / BASE_DOTS;
	c.M = paper_dots / 48;
	c.y = px(&c, 16, 10);
	int g = px(&c, 10, 6), G = px(&c, 22, 14);
	int small = px(&c, 22, 18), body = px(&c, 28, 22);

	if ((rc = line(&c, "office", ti->cfg->office_name_th, TEXT_BOLD, px(&c, 32, 24), TEXT_CENTER, g)))
		goto out;
	if ((rc = rule(&c, G)))
		goto out;
	if ((rc = line(&c, "label", "หมายเลขคิว · Queue number", TEXT_REGULAR, small, TEXT_CENTER, g)))
		goto out;
	if ((rc = number(&c, ti->is->t.number, G)))
		goto out;
	if (ti->is->t.priority && (rc = priority_band(&c, G)))
		goto out;
	if ((rc = line(&c, "service", sv->name.th, TEXT_BOLD, px(&c, 36, 26), TEXT_CENTER, 0)))
		goto out;
	if ((rc = line(&c, "service_en", sv->name.en, TEXT_REGULAR, small, TEXT_CENTER, G)))
		goto out;
	ticket_text_wait(ti->is, TEXT_TH, buf, sizeof buf);
	if ((rc = line(&c, "wait", buf, TEXT_BOLD, body, TEXT_CENTER, 0)))
		goto out;
	ticket_text_wait(ti->is, TEXT_EN, buf, sizeof buf);
	if ((rc = line(&c, "wait_en", buf, TEXT_REGULAR, small, TEXT_CENTER, g)))
		goto out;
	if ((rc = qr_and_hint(&c, ti, g, G)))
		goto out;

	if (sv->n_docs) {
		if ((rc = rule(&c, g)))
			goto out;
		if ((rc = line(&c, "docs", "เอกสารที่ต้องนำมา · Documents to bring", TEXT_BOLD,
			       px(&c, 24, 20), TEXT_LEFT, g / 2)))
			goto out;
		size_t shown = sv->n_docs < TICKET_DOCS_SHOWN ? sv->n_docs : TICKET_DOCS_SHOWN;
		for (size_t i = 0; i < shown; i++) {
			ticket_text_doc(&sv->docs[i], TEXT_TH, buf, sizeof buf);
			if ((rc = item(&c, "doc", buf, small, g / 2)))
				goto out;
		}
		if (sv->n_docs > shown) {
			snprintf(buf, sizeof buf, "และอีก %zu รายการ ดูรายละเอียดที่ตู้หรือสอบถามเจ้าหน้าที่",
				 sv->n_docs - shown);
			if ((rc = item(&c, "doc_more", buf, small, g / 2)))
				goto out;
		}
		c.y += g;
	}
	ticket_text_complaint(ti, TEXT_TH, buf, sizeof buf);
	if (buf[0]) {
		if ((rc = rule(&c, g)))
			goto out;
		if ((rc = line(&c, "complaint", buf, TEXT_REGULAR, small, TEXT_LEFT, g)))
			goto out;
	}
	c.y += px(&c, 16, 10);

	if ((rc = bitmap_init(out, c.W, c.y, err)))
		goto out;
	for (int i = 0; i < c.n; i++) {
		struct piece *p = &c.v[i];
		if (p->op == OP_FILL)
			bitmap_fill(out, p->r.x, p->r.y, p->r.w, p->r.h, 1);
		else if (p->op == OP_CLEAR)
			draw_clear(out, p->x, p->y, &p->bm);
		else
			bitmap_blit(out, p->x, p->y, &p->bm, BITMAP_OR);
	}
	if (lay) {
		lay->w = out->w;
		lay->h = out->h;
	}
out:
	for (int i = 0; i < c.n; i++)
		bitmap_free(&c.v[i].bm);
	free(c.v);
	if (rc)
		bitmap_free(out);
	return rc;
}

kst ticket_escpos(const struct bitmap *bm, int paper_dots, uint8_t **buf, size_t *len,
		  struct kerr *err)
{
	struct escpos_opts o = {.paper_dots = paper_dots, .slice_rows = 0,
				.feed_lines = TICKET_FEED_LINES, .cut = ESCPOS_CUT_PARTIAL};
	return escpos_ticket_alloc(bm, &o, buf, len, err);
}
