/**
 * @file scanner.c
 * @brief Keyboard-wedge line discipline for the 2D scanner (see scanner.h).
 */
#include "core/scanner.h"

#include <string.h>

#include "core/kedmanee.h"

void scanner_init(struct scanner *s, const struct qrp *q)
{
	memset(s, 0, sizeof *s);
	s->q = q;
	s->repeat_ms = SCANNER_REPEAT_MS;
	s->gap_ms = SCANNER_GAP_MS;
}

void scanner_reset(struct scanner *s)
{
	const struct qrp *q = s->q;
	int r = s->repeat_ms, g = s->gap_ms;
	scanner_init(s, q);
	s->repeat_ms = r;
	s->gap_ms = g;
}

void scanner_message(enum scanner_kind kind, enum qrp_reason r, const char **th, const char **en)
{
	*th = *en = "";
	if (kind == SCANNER_REPEAT) {
		*th = "สแกนแล้ว กรุณารอสักครู่";
		*en = "Already scanned. One moment, please.";
		return;
	}
	if (kind != SCANNER_JUNK)
		return;
	switch (r) {
	case QRP_R_BAD_FIELD:
	case QRP_R_BAD_SIG:
		*th = "อ่านบัตรคิวนี้ไม่ได้ กรุณาพิมพ์เลขคิวที่อยู่บนบัตรแทน";
		*en = "We could not read this ticket. Please type the number printed on it instead.";
		break;
	case QRP_R_WRONG_OFFICE:
		*th = "ขออภัย บัตรคิวนี้เป็นของสำนักงานอื่น";
		*en = "Sorry, this ticket is from another office.";
		break;
	case QRP_R_WRONG_DATE:
		*th = "บัตรคิวนี้ไม่ใช่ของวันนี้ ให้คะแนนได้เฉพาะบริการของวันนี้";
		*en = "This ticket is not from today. Only today's service can be rated.";
		break;
	default:
		*th = "รหัสนี้ไม่ใช่บัตรคิวของสำนักงาน กรุณาสแกน QR บนบัตรคิว หรือพิมพ์เลขคิว";
		*en = "This code is not one of our queue tickets. Please scan the QR code on your "
		      "ticket, or type the ticket number.";
		break;
	}
}

static void push(struct scanner *s, unsigned char c, int64_t now_ms)
{
	/* A scanner never pauses mid-code: an old partial line was a stray key. */
	if (s->gap_ms > 0 && (s->len || s->overflow) && now_ms - s->last_byte_ms > s->gap_ms) {
		s->len = 0;
		s->overflow = 0;
	}
	s->last_byte_ms = now_ms;
	s->after_cr = 0;
	if (s->len < sizeof s->raw)
		s->raw[s->len++] = c;
	else
		s->overflow = 1;
}

void scanner_text(struct scanner *s, const char *utf8, int64_t now_ms)
{
	for (; utf8 && *utf8; utf8++)
		push(s, (unsigned char)*utf8, now_ms);
}

/* Raw bytes -> ASCII payload. A line with Thai letters was typed with the Thai
 * layout: every character goes back through the Kedmanee table. Returns the
 * length, or -1 with the reason. */
static long decode(const struct scanner *s, char *out, enum qrp_reason *why)
{
	size_t i = 0, o = 0;
	int thai = 0;
	while (i < s->len) {
		unsigned cp;
		size_t n = kedmanee_utf8_next((const char *)s->raw + i, s->len - i, &cp);
		if (!n) {
			*why = QRP_R_CONTROL;
			return -1;
		}
		if (cp >= 0x80) {
			if (!kedmanee_to_us(cp)) {
				*why = QRP_R_CONTROL;
				return -1;
			}
			thai = 1;
		}
		i += n;
	}
	for (i = 0; i < s->len;) {
		unsigned cp;
		size_t n = kedmanee_utf8_next((const char *)s->raw + i, s->len - i, &cp);
		int c = (int)cp;
		if (thai && kedmanee_to_us(cp))
			c = kedmanee_to_us(cp);
		if (o >= SCANNER_LINE_MAX) {
			*why = QRP_R_TOO_LONG;
			return -1;
		}
		out[o++] = (char)c;
		i += n;
	}
	out[o] = 0;
	return (long)o;
}

enum scanner_kind scanner_enter(struct scanner *s, int64_t now_ms, const struct qrp_expect *ex,
				struct scanner_result *out)
{
	char line[SCANNER_LINE_MAX + 1];
	enum qrp_reason why = QRP_R_OK;
	long n;

	memset(out, 0, sizeof *out);
	out->msg_th = out->msg_en = "";
	if (s->gap_ms > 0 && (s->len || s->overflow) && now_ms - s->last_byte_ms > s->gap_ms) {
		s->len = 0; /* stale: see push() */
		s->overflow = 0;
	}
	if (!s->len && !s->overflow)
		return SCANNER_NONE; /* a lone Enter: ignore, whoever pressed it */
	n = s->overflow ? (why = QRP_R_TOO_LONG, -1) : decode(s, line, &why);
	/* Repeats compare the raw line, junk included: one message per burst. */
	if (!s->overflow && s->repeat_ms > 0 && s->last_len == s->len &&
	    !memcmp(s->last, s->raw, s->len) && now_ms - s->last_ms <= s->repeat_ms) {
		s->repeats++;
		s->last_ms = now_ms; /* a scanner held over the code keeps repeating */
		s->len = 0;
		out->kind = SCANNER_REPEAT;
		out->repeats = s->repeats;
		scanner_message(SCANNER_REPEAT, QRP_R_OK, &out->msg_th, &out->msg_en);
		return out->kind;
	}
	if (!s->overflow) {
		memcpy(s->last, s->raw, s->len);
		s->last_len = s->len;
	} else {
		s->last_len = 0;
	}
	s->last_ms = now_ms;
	out->repeats = s->repeats;
	s->repeats = 0;
	s->len = 0;
	s->overflow = 0;
	if (n >= 0) {
		struct qrp_scan sc;
		struct kerr err;
		if (qrp_scan(s->q, line, (size_t)n, ex, &sc, &err) == K_OK) {
			out->kind = sc.kind == QRP_TICKET ? SCANNER_TICKET : SCANNER_NUMBER;
			memcpy(out->number, sc.t.number, sizeof out->number);
			memcpy(out->date, sc.t.date, sizeof out->date);
			return out->kind;
		}
		why = sc.reason;
	}
	out->kind = SCANNER_JUNK;
	out->reason = why;
	scanner_message(SCANNER_JUNK, why, &out->msg_th, &out->msg_en);
	return out->kind;
}

enum scanner_kind scanner_byte(struct scanner *s, unsigned char c, int64_t now_ms,
			       const struct qrp_expect *ex, struct scanner_result *out)
{
	if (c == '\r' || c == '\n') {
		/* CR LF is one Enter. */
		if (c == '\n' && s->after_cr && !s->len && !s->overflow) {
			s->after_cr = 0;
			memset(out, 0, sizeof *out);
			out->msg_th = out->msg_en = "";
			return SCANNER_NONE;
		}
		enum scanner_kind k = scanner_enter(s, now_ms, ex, out);
		s->after_cr = c == '\r';
		return k;
	}
	push(s, c, now_ms);
	memset(out, 0, sizeof *out);
	out->msg_th = out->msg_en = "";
	return SCANNER_NONE;
}
