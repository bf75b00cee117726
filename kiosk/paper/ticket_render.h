/**
 * @file ticket_render.h
 * @brief The queue ticket as printed: laid out with the kiosk's own Thai text
 * engine (libthai breaks, HarfBuzz shaping, the 1-bit path of text_render) into a
 * 1-bit bitmap as wide as the paper, then the ESC/POS stream for it.
 *
 * Thermal printers' own Thai code pages put marks in the wrong place, so nothing
 * is sent as text: the ticket is a picture. Every text is wrapped by the engine at
 * the paper's width and the picture grows downwards to fit, so nothing is ever cut;
 * ticket_layout lists each text box (like the screens' drawn-text log) so tests can
 * assert it.
 *
 * From top to bottom: office name, "queue number" label, the number (as large as
 * the paper allows), the priority band (white on black) for priority tickets, the
 * service in Thai and small English, people ahead and the estimated wait, the
 * Buddhist-era date and time, the QR code (signed payload from kticket_issue), the
 * "wait for your number on the screen" hint, the first documents to bring, and the
 * complaint channel (the office phone when configured, else the service's first
 * complaint entry).
 *
 * The text helpers (ticket_text_*) are shared with the on-screen ticket
 * (scr_ticket.c) so paper and screen say the same thing.
 *
 *   struct ticket_info ti = {cfg, svc, &out.is, out.qr};
 *   ticket_render(&ti, cfg->paper_dots, &bm, &lay, &err);
 *   ticket_escpos(&bm, cfg->paper_dots, &buf, &len, &err);
 *
 * Needs text_init() first. Thread-safe as text_render() is (one lock inside).
 */
#ifndef KIOSK_TICKET_RENDER_H
#define KIOSK_TICKET_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

#include "core/bitmap.h"
#include "core/catalog.h"
#include "core/config.h"
#include "core/queue.h"
#include "text/text.h"

#define TICKET_TEXT_MAX 768  /* one composed line (a document name with its counts) */
#define TICKET_BOXES_MAX 32  /* text boxes on one ticket */
#define TICKET_WHAT_MAX 16   /* a box's name */
#define TICKET_DOCS_SHOWN 3  /* documents listed on paper; the rest is "and N more" */
#define TICKET_FEED_LINES 4  /* lines fed after the picture, so the cut misses the text */
/* Anti-aliased grey below this is a black dot. Not 128 (text_style.mono): thin Thai
 * marks (mai ek over sara i, ที่ ชื่อ) cover under half a dot at 20 px and vanish. */
#define TICKET_INK_THRESHOLD 176

/* What goes on a ticket. */
struct ticket_info {
	const struct kconfig *cfg;  /* office name and phone */
	const struct kservice *svc; /* names, documents, complaint channels */
	const struct kissued *is;   /* number, priority, issued_at, ahead, wait */
	const char *qr;             /* QR payload; NULL or "" (signing failed): no QR */
};

/* One text on the ticket and where it went. */
struct ticket_box {
	char what[TICKET_WHAT_MAX]; /* "office", "number", "service", "doc" ... */
	SDL_Rect box;               /* the room given: x, y, wrap width, height used */
	SDL_Rect ink;               /* the rendered paragraph */
	int lines;                  /* lines after wrapping */
	int overflow;               /* 1: ink wider than the room or off the paper */
};

struct ticket_layout {
	int w, h;                               /* paper dots, rows */
	struct ticket_box box[TICKET_BOXES_MAX];
	int nbox;
	int dropped;                            /* boxes beyond TICKET_BOXES_MAX (not listed) */
	SDL_Rect qr;                            /* the QR with its quiet zone; w 0 = no QR */
	int qr_scale;                           /* dots per module */
	int number_px;                          /* font size the number got */
	int overflow;                           /* number of boxes that overflowed */
};

/* Lays out and draws the ticket at paper_dots (384, 512 or 576) into out (a new
 * bitmap; bitmap_free it). lay (optional) gets the text boxes. K_EUSAGE for a bad
 * width or missing info, K_EFAIL when rendering fails. */
kst ticket_render(const struct ticket_info *ti, int paper_dots, struct bitmap *out,
		  struct ticket_layout *lay, struct kerr *err);

/* One paragraph as the ticket prints it: the text engine's anti-aliased rendering
 * wrapped at wrap dots, thresholded at TICKET_INK_THRESHOLD. */
kst ticket_text_bitmap(const char *s, enum text_role role, int size, enum text_align al,
		       int wrap, struct bitmap *out, struct kerr *err);

/* The printer byte stream for a rendered ticket: ESC @, the picture in GS v 0
 * slices, feed, partial cut. *buf is malloc'ed (free it). */
kst ticket_escpos(const struct bitmap *bm, int paper_dots, uint8_t **buf, size_t *len,
		  struct kerr *err);

/* --- texts shared with the on-screen ticket ------------------------------- */

/* "คิวพิเศษ" / "Priority ticket". */
const char *ticket_text_priority(enum text_lang l);
/* Who may take one: "ผู้สูงอายุ / ผู้พิการ / สตรีมีครรภ์ / พระภิกษุ". */
const char *ticket_text_priority_who(enum text_lang l);
/* "รออีก 3 คิว · ประมาณ 45 นาที" / "3 ahead of you · about 45 min" ("next" when none). */
void ticket_text_wait(const struct kissued *is, enum text_lang l, char *out, size_t n);
/* "24 พ.ย. 2569 เวลา 09:41 น." / "24 Nov 2026, 09:41" of epoch seconds t (Bangkok). */
void ticket_text_when(int64_t t, enum text_lang l, char *out, size_t n);
/* "กรุณารอเรียกคิวที่หน้าจอ" / "Please wait for your number on the screen". */
const char *ticket_text_hint(enum text_lang l);
/* Document i of the service with its counts, compact: "สำเนาทะเบียนบ้าน (สำเนา 1)". */
void ticket_text_doc(const struct kdoc *d, enum text_lang l, char *out, size_t n);
/* The complaint channel: "ร้องเรียน: โทร 02 xxx" with the office phone when set,
 * else the service's first complaint entry; "" when there is neither. */
void ticket_text_complaint(const struct ticket_info *ti, enum text_lang l, char *out, size_t n);

#endif
