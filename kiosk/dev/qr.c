/**
 * @file qr.c
 * @brief libqrencode wrapper (see qr.h).
 */
#include "dev/qr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

kst qr_encode(struct qr *q, const void *payload, size_t len, struct kerr *err)
{
	memset(q, 0, sizeof *q);
	if (!payload || len == 0)
		return kerr_set(err, K_EUSAGE, "QR: empty payload");
	if (len > QR_PAYLOAD_MAX)
		return kerr_set(err, K_EUSAGE, "QR: payload of %zu bytes, at most %d", len,
				QR_PAYLOAD_MAX);
	/* encodeData: 8-bit mode for every byte (encodeString would pick modes
	 * itself and stops at a NUL). Version 0 = smallest that fits. */
	QRcode *c = QRcode_encodeData((int)len, payload, 0, QR_ECLEVEL_M);
	if (!c)
		return kerr_set(err, K_EFAIL, "QR: encoding failed: %s", strerror(errno));
	q->mod = malloc((size_t)c->width * (size_t)c->width);
	if (!q->mod) {
		QRcode_free(c);
		return kerr_set(err, K_EFAIL, "QR: out of memory");
	}
	for (int i = 0; i < c->width * c->width; i++)
		q->mod[i] = c->data[i] & 1; /* bit 0 = dark; the others are libqrencode's notes */
	q->version = c->version;
	q->size = c->width;
	QRcode_free(c);
	return K_OK;
}

void qr_free(struct qr *q)
{
	if (!q)
		return;
	free(q->mod);
	memset(q, 0, sizeof *q);
}

int qr_dark(const struct qr *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->size || y >= q->size)
		return 0;
	return q->mod[y * q->size + x];
}

int qr_side(const struct qr *q, int scale, int quiet)
{
	return (q->size + 2 * quiet) * scale;
}

int qr_fit_scale(const struct qr *q, int max_dots, int quiet)
{
	int span = q->size + 2 * quiet;
	return span > 0 ? max_dots / span : 0;
}

kst qr_draw(const struct qr *q, struct bitmap *bm, int x, int y, int scale, int quiet,
	    struct kerr *err)
{
	if (!q->mod || scale < 1 || scale > BITMAP_DIM_MAX || quiet < 0 || quiet > QR_QUIET_MAX)
		return kerr_set(err, K_EUSAGE, "QR: nothing to draw or bad scale %d / quiet %d", scale,
				quiet);
	int side = qr_side(q, scale, quiet);
	if (x < 0 || y < 0 || (long)x + side > bm->w || (long)y + side > bm->h)
		return kerr_set(err, K_EUSAGE, "QR of %d dots at (%d,%d) leaves the %dx%d bitmap", side,
				x, y, bm->w, bm->h);
	bitmap_fill(bm, x, y, side, side, 0);
	int o = quiet * scale;
	for (int my = 0; my < q->size; my++)
		for (int mx = 0; mx < q->size; mx++)
			if (q->mod[my * q->size + mx])
				bitmap_fill(bm, x + o + mx * scale, y + o + my * scale, scale, scale, 1);
	return K_OK;
}

kst qr_to_bitmap(const struct qr *q, int scale, int quiet, struct bitmap *out, struct kerr *err)
{
	memset(out, 0, sizeof *out);
	if (!q->mod || scale < 1 || scale > BITMAP_DIM_MAX || quiet < 0 || quiet > QR_QUIET_MAX)
		return kerr_set(err, K_EUSAGE, "QR: nothing to draw or bad scale %d / quiet %d", scale,
				quiet);
	kst rc = bitmap_init(out, qr_side(q, scale, quiet), qr_side(q, scale, quiet), err);
	if (rc)
		return rc;
	rc = qr_draw(q, out, 0, 0, scale, quiet, err);
	if (rc)
		bitmap_free(out);
	return rc;
}
