/* Fuzz target: the scanner's line discipline (core/scanner.h) fed what a
 * keyboard-wedge device or SDL text events may deliver, with arbitrary timing.
 * Invariants: the buffer stays bounded, every result is a known kind, and a
 * ticket or number result carries a canonical ticket number. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/scanner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qrp q;
	static int ready;
	struct scanner s;
	struct scanner_result r;
	struct qrp_expect ex = {"bangkhae", "2026-11-24"};
	struct kerr err;
	int64_t t = 0;

	if (!ready) {
		uint8_t key[SECRET_KEY_LEN];
		memset(key, 7, sizeof key);
		if (qrp_init(&q, "https://queue.bangkhae.example/t?o={office}&d={date}&n={number}&s={sig}",
			     key, &err))
			return 0;
		ready = 1;
	}
	scanner_init(&s, &q);
	for (size_t i = 0; i < size; i++) {
		enum scanner_kind k;
		/* 0x01 switches to a text event of the next bytes up to 0x02; 0x03 is Enter;
		 * 0x04 lets time pass; anything else is a raw byte 0.5 ms later. */
		if (data[i] == 0x01) {
			char text[64];
			size_t n = 0;
			for (i++; i < size && data[i] != 0x02 && n < sizeof text - 1; i++)
				text[n++] = (char)data[i];
			text[n] = 0;
			scanner_text(&s, text, t);
			continue;
		}
		if (data[i] == 0x04) {
			t += 1000 * (i + 1 < size ? data[++i] : 1);
			continue;
		}
		k = data[i] == 0x03 ? scanner_enter(&s, t, &ex, &r) : scanner_byte(&s, data[i], t, &ex, &r);
		if (s.len > SCANNER_RAW_MAX || s.last_len > SCANNER_RAW_MAX)
			abort();
		if (k < SCANNER_NONE || k > SCANNER_JUNK)
			abort();
		if ((k == SCANNER_TICKET || k == SCANNER_NUMBER) && !qrp_valid_number(r.number))
			abort();
		if ((k == SCANNER_JUNK || k == SCANNER_REPEAT) && (!r.msg_th[0] || !r.msg_en[0]))
			abort();
		t += 1;
	}
	return 0;
}
