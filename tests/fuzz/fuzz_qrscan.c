/* Fuzz target: what a barcode scanner (a keyboard-wedge device) may deliver,
 * through the ticket-QR reader. Junk is answered with a reason, never a crash. */
#include <stdint.h>
#include <string.h>

#include "core/qrpayload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qrp q;
	static int ready;
	struct qrp_scan out;
	struct kerr err;
	char num[QRP_NUMBER_MAX + 1];

	if (!ready) {
		uint8_t key[SECRET_KEY_LEN];
		memset(key, 7, sizeof key);
		if (qrp_init(&q, "https://queue.bangkhae.example/t?o={office}&d={date}&n={number}&s={sig}",
			     key, &err))
			return 0;
		ready = 1;
	}
	struct qrp_expect ex = {"bangkhae", "2026-11-24"};
	qrp_scan(&q, data, size, &ex, &out, &err);
	qrp_scan(&q, data, size, NULL, &out, &err);
	qrp_parse_number((const char *)data, size, num);
	return 0;
}
