/**
 * @file qr.h
 * @brief QR codes for tickets: payload -> module matrix (libqrencode) -> dots.
 *
 * Always ECC level M (15 % of the symbol may be damaged: creased or smudged
 * thermal paper) and 8-bit mode, version chosen by the length. A module is
 * drawn as scale x scale dots; the quiet zone (4 modules by the standard) is
 * drawn white, so a QR placed next to text still scans.
 */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stddef.h>
#include <stdint.h>

#include "core/bitmap.h"
#include "core/err.h"

#define QR_PAYLOAD_MAX 1024 /* bytes encoded at most; a ticket payload is <= 512 */
#define QR_QUIET 4          /* quiet zone in modules, as ISO/IEC 18004 asks */
#define QR_QUIET_MAX 64     /* bound on a caller-given quiet zone (keeps sizes in int) */

struct qr {
	int version;  /* 1..40 */
	int size;     /* modules per side: 17 + 4 * version */
	uint8_t *mod; /* size * size, row-major, 1 = dark module; owned */
};

/* Encodes len bytes of payload. K_EUSAGE for an empty or too long payload,
 * K_EFAIL when libqrencode fails. q is zeroed first, so qr_free is always safe. */
kst qr_encode(struct qr *q, const void *payload, size_t len, struct kerr *err);
void qr_free(struct qr *q);
int qr_dark(const struct qr *q, int x, int y);

/* Side in dots of the drawn code with its quiet zone. */
int qr_side(const struct qr *q, int scale, int quiet);
/* The largest scale (>= 1) whose drawing fits in max_dots, or 0 if none does. */
int qr_fit_scale(const struct qr *q, int max_dots, int quiet);
/* Draws the code with its quiet zone, top-left of the quiet zone at (x, y).
 * K_EUSAGE when scale < 1, quiet < 0 or the drawing would leave the bitmap. */
kst qr_draw(const struct qr *q, struct bitmap *bm, int x, int y, int scale, int quiet,
	    struct kerr *err);
/* A new bitmap holding only the drawn code. */
kst qr_to_bitmap(const struct qr *q, int scale, int quiet, struct bitmap *out, struct kerr *err);

#endif
