/* The keyboard-wedge scanner: verified QR, typed numbers, junk, bounds,
 * control bytes, repeats, stray keys, CR LF, and a scanner typing through the
 * Thai keyboard layout. */
#include <string.h>

#include "core/kedmanee.h"
#include "core/scanner.h"
#include "tap.h"

static struct qrp q;
static const struct qrp_expect today = {"bangkhae", "2026-11-24"};

static enum scanner_kind feed(struct scanner *s, const char *bytes, int64_t t,
			      struct scanner_result *r)
{
	enum scanner_kind k = SCANNER_NONE;
	for (; *bytes; bytes++) {
		k = scanner_byte(s, (unsigned char)*bytes, t, &today, r);
		if (k != SCANNER_NONE)
			return k;
	}
	return k;
}

/* What a wedge on a Thai-layout machine delivers for ASCII text. */
static void thai_typed(const char *ascii, char *out, size_t cap)
{
	size_t o = 0;
	for (; *ascii; ascii++) {
		const char *t = NULL;
		for (int r = 0; r < KEDMANEE_ROWS && !t; r++)
			for (int c = 0; c < kedmanee_row_len[r] && !t; c++) {
				if (kedmanee_keys[r][c].us[0] == *ascii)
					t = kedmanee_keys[r][c].th;
				else if (kedmanee_keys[r][c].us_shift[0] == *ascii)
					t = kedmanee_keys[r][c].th_shift;
			}
		if (!t) {
			static char same[2];
			same[0] = *ascii;
			t = same;
		}
		size_t l = strlen(t);
		if (o + l + 1 > cap)
			break;
		memcpy(out + o, t, l);
		o += l;
	}
	out[o] = 0;
}

int main(void)
{
	uint8_t key[SECRET_KEY_LEN];
	struct kerr err;
	struct scanner s;
	struct scanner_result r;
	char payload[QRP_PAYLOAD_MAX + 1], line[QRP_PAYLOAD_MAX + 4];
	struct qrp_ticket t = {"bangkhae", "kiosk-1", "2026-11-24", "A023"};

	memset(key, 7, sizeof key);
	if (qrp_init(&q, "https://q.bangkhae.go.th/t?o={office}&d={date}&n={number}&s={sig}", key,
		     &err) || qrp_make(&q, &t, payload, &err)) {
		printf("not ok 1 - setup: %s\n", err.msg);
		return 1;
	}
	scanner_init(&s, &q);
	snprintf(line, sizeof line, "%s\r\n", payload);
	IS_INT(feed(&s, line, 1000, &r), SCANNER_TICKET, "a ticket QR followed by Enter");
	IS_STR(r.number, "A023", "its number");
	IS_STR(r.date, "2026-11-24", "its date");
	/* the LF of CR LF */
	IS_INT(scanner_byte(&s, '\n', 1001, &today, &r), SCANNER_NONE, "the LF after CR is no second line");
	IS_INT(feed(&s, line, 2000, &r), SCANNER_REPEAT, "the same code again within 3 s is a repeat");
	OK(strstr(r.msg_th, "สแกนแล้ว") && strstr(r.msg_en, "Already scanned"), "with a polite message");
	IS_INT(feed(&s, line, 4500, &r), SCANNER_REPEAT, "held under the scanner: still a repeat (window slides)");
	IS_INT(r.repeats, 2, "repeats are counted");
	IS_INT(feed(&s, line, 9000, &r), SCANNER_TICKET, "after a pause, the same code counts again");
	IS_INT(r.repeats, 2, "and reports the repeats it absorbed");

	scanner_reset(&s);
	IS_INT(feed(&s, "a23\r", 100, &r), SCANNER_NUMBER, "a typed number");
	IS_STR(r.number, "A023", "made canonical");
	IS_INT(feed(&s, "\r\r\r", 200, &r), SCANNER_NONE, "Enter pressed repeatedly on its own is ignored");

	IS_INT(feed(&s, "https://example.com/\r", 300, &r), SCANNER_JUNK, "some other QR code is junk");
	IS_INT(r.reason, QRP_R_NOT_TICKET, "not a ticket");
	OK(strstr(r.msg_th, "ไม่ใช่บัตรคิว") && strstr(r.msg_en, "not one of our queue tickets"),
	   "kind bilingual message");

	/* Altered signature. */
	char forged[QRP_PAYLOAD_MAX + 4];
	snprintf(forged, sizeof forged, "%s", payload);
	size_t pl = strlen(forged);
	forged[pl - 1] = forged[pl - 1] == 'A' ? 'B' : 'A';
	strcat(forged, "\r");
	IS_INT(feed(&s, forged, 400, &r), SCANNER_JUNK, "an altered signature is junk");
	IS_INT(r.reason, QRP_R_BAD_SIG, "bad signature");
	OK(strstr(r.msg_en, "type the number"), "suggests typing the number");

	struct qrp_ticket old = {"bangkhae", "kiosk-1", "2026-11-23", "A023"};
	qrp_make(&q, &old, payload, &err);
	snprintf(line, sizeof line, "%s\r", payload);
	IS_INT(feed(&s, line, 500, &r), SCANNER_JUNK, "yesterday's ticket is junk for rating");
	IS_INT(r.reason, QRP_R_WRONG_DATE, "wrong date");
	OK(strstr(r.msg_en, "not from today"), "says so");

	/* Control bytes. */
	IS_INT(feed(&s, "A0\x1b" "23\r", 600, &r), SCANNER_JUNK, "an ESC inside is junk");
	IS_INT(r.reason, QRP_R_CONTROL, "control");
	IS_INT(feed(&s, "A023\t\r", 700, &r), SCANNER_JUNK, "a TAB inside is junk");
	IS_INT(feed(&s, "A\xff" "23\r", 800, &r), SCANNER_JUNK, "a non-UTF-8 byte is junk");

	/* Overflow: 5000 bytes then Enter -> one junk, then normal again. */
	int none = 1;
	for (int i = 0; i < 5000; i++)
		none &= scanner_byte(&s, 'x', 900, &today, &r) == SCANNER_NONE;
	OK(none, "a flood of bytes without Enter produces nothing");
	OK(s.len <= SCANNER_RAW_MAX, "and the buffer stays bounded (%zu bytes)", s.len);
	IS_INT(scanner_byte(&s, '\r', 900, &today, &r), SCANNER_JUNK, "Enter after it: one junk result");
	IS_INT(r.reason, QRP_R_TOO_LONG, "too long");
	IS_INT(feed(&s, "B001\r", 950, &r), SCANNER_NUMBER, "the next line works normally");

	/* A stray key long before a scan does not spoil it. */
	scanner_byte(&s, 'q', 10000, &today, &r);
	IS_INT(feed(&s, "C002\r", 20000, &r), SCANNER_NUMBER, "a stale partial line is dropped");
	IS_STR(r.number, "C002", "the scan is read alone");

	/* Thai layout: the wedge types Thai letters for the US keys. */
	char thai[QRP_PAYLOAD_MAX * 3 + 4];
	qrp_make(&q, &t, payload, &err);
	thai_typed(payload, thai, sizeof thai);
	OK(strcmp(thai, payload) != 0, "the Thai-layout text differs from the payload");
	scanner_reset(&s);
	scanner_text(&s, thai, 30000);
	IS_INT(scanner_enter(&s, 30000, &today, &r), SCANNER_TICKET,
	       "a QR typed through the Thai layout (SDL text events) is decoded and verified");
	IS_STR(r.number, "A023", "right number");
	thai_typed("a023", thai, sizeof thai);
	scanner_text(&s, thai, 31000);
	IS_INT(scanner_enter(&s, 31000, &today, &r), SCANNER_NUMBER, "a number typed in Thai layout (ฟจ/-)");
	scanner_text(&s, "สวัสดีA023", 32000);
	IS_INT(scanner_enter(&s, 32000, &today, &r), SCANNER_JUNK, "Thai text that decodes to nonsense is junk");
	scanner_text(&s, "A023€", 33000);
	IS_INT(scanner_enter(&s, 33000, &today, &r), SCANNER_JUNK, "a character of no layout is junk");
	IS_INT(r.reason, QRP_R_CONTROL, "reported as a foreign character");
	qrp_wipe(&q);
	return tap_done();
}
