/**
 * @file scanner.h
 * @brief The kiosk's 2D scanner as a keyboard wedge: it "types" the QR payload
 * and presses Enter. This turns that keystroke stream into one decision per
 * line, as a careful terminal would.
 *
 * - Bounded: a line longer than SCANNER_LINE_MAX is discarded up to the next
 *   Enter and reported once as junk (no buffer grows with what a device sends).
 * - Control bytes and characters outside the payload alphabet make the line junk.
 * - A scanner typing on a machine left in the Thai layout delivers Thai letters
 *   ('ฟ' for 'a'); a line with Thai characters is decoded back through the
 *   Kedmanee table before it is checked.
 * - The line is checked with qrp_scan(): a ticket QR whose signature verifies
 *   (for this office and today), or a ticket number typed like "A023".
 * - Repeats: the same line again within SCANNER_REPEAT_MS (a scanner in
 *   continuous mode, a citizen holding the ticket under it, a double Enter) is
 *   reported as SCANNER_REPEAT and counted, never acted on twice. We chose to
 *   absorb repeats politely rather than save them: a rating is only created by
 *   the questions that follow a scan, and a ticket can be rated once anyway.
 * - Empty lines (Enter pressed on its own, the LF of a CR LF) are ignored.
 * - A line left unfinished for SCANNER_GAP_MS is dropped when the next byte
 *   comes: a scanner never pauses mid-code, so it was a stray key.
 *
 * Every outcome carries a kind message in Thai and English for the screen.
 */
#ifndef KIOSK_SCANNER_H
#define KIOSK_SCANNER_H

#include <stddef.h>
#include <stdint.h>

#include "core/qrpayload.h"

#define SCANNER_LINE_MAX QRP_PAYLOAD_MAX       /* decoded payload bytes */
#define SCANNER_RAW_MAX (3 * SCANNER_LINE_MAX) /* raw bytes: Thai letters take 3 each */
#define SCANNER_REPEAT_MS 3000
#define SCANNER_GAP_MS 5000

enum scanner_kind {
	SCANNER_NONE = 0, /* nothing complete yet (or an empty line) */
	SCANNER_TICKET,   /* a verified ticket QR: number and date */
	SCANNER_NUMBER,   /* a ticket number typed or scanned as text */
	SCANNER_REPEAT,   /* the same line again within SCANNER_REPEAT_MS: ignore it */
	SCANNER_JUNK,     /* not usable: reason and message say why */
};

struct scanner_result {
	enum scanner_kind kind;
	enum qrp_reason reason;           /* for SCANNER_JUNK */
	char number[QRP_NUMBER_MAX + 1];  /* "A023" for TICKET and NUMBER */
	char date[QRP_DATE_LEN + 1];      /* for TICKET */
	int repeats;                      /* repeats absorbed since the last new line */
	const char *msg_th, *msg_en;      /* what to show; "" for TICKET and NUMBER */
};

struct scanner {
	const struct qrp *q;          /* template and key, owned by the caller */
	unsigned char raw[SCANNER_RAW_MAX];
	size_t len;
	int overflow;                 /* the line went past SCANNER_RAW_MAX: junk it */
	int after_cr;                 /* a CR ended the last line: swallow one LF */
	int64_t last_byte_ms;
	unsigned char last[SCANNER_RAW_MAX]; /* the previous complete line */
	size_t last_len;
	int64_t last_ms;
	int repeats;
	int repeat_ms, gap_ms;        /* SCANNER_REPEAT_MS, SCANNER_GAP_MS; 0 turns off */
};

void scanner_init(struct scanner *s, const struct qrp *q);
/* Forgets the partial line and the repeat memory (a new citizen). */
void scanner_reset(struct scanner *s);

/* One byte from a raw source (evdev/hidraw translation, serial, tests). CR or
 * LF ends the line; the result is SCANNER_NONE until then. */
enum scanner_kind scanner_byte(struct scanner *s, unsigned char c, int64_t now_ms,
			       const struct qrp_expect *ex, struct scanner_result *out);
/* A text event (SDL_TEXTINPUT): UTF-8 characters without Enter. */
void scanner_text(struct scanner *s, const char *utf8, int64_t now_ms);
/* The Enter key (SDL_KEYDOWN of Return / keypad Enter). */
enum scanner_kind scanner_enter(struct scanner *s, int64_t now_ms, const struct qrp_expect *ex,
				struct scanner_result *out);

/* The message for a junk reason (and for SCANNER_REPEAT with reason QRP_R_OK). */
void scanner_message(enum scanner_kind kind, enum qrp_reason r, const char **th, const char **en);

#endif
