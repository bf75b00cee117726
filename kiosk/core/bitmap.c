/**
 * @file bitmap.c
 * @brief 1-bit image, MSB-first rows (see bitmap.h).
 */
#include "core/bitmap.h"

#include <stdlib.h>
#include <string.h>

kst bitmap_init(struct bitmap *bm, int w, int h, struct kerr *err)
{
	memset(bm, 0, sizeof *bm);
	if (w < 1 || h < 1 || w > BITMAP_DIM_MAX || h > BITMAP_DIM_MAX)
		return kerr_set(err, K_EUSAGE, "bitmap size %dx%d outside 1..%d", w, h,
				BITMAP_DIM_MAX);
	bm->stride = (w + 7) / 8;
	bm->bits = calloc((size_t)h, (size_t)bm->stride);
	if (!bm->bits)
		return kerr_set(err, K_EFAIL, "out of memory for a %dx%d bitmap", w, h);
	bm->w = w;
	bm->h = h;
	return K_OK;
}

void bitmap_free(struct bitmap *bm)
{
	if (!bm)
		return;
	free(bm->bits);
	memset(bm, 0, sizeof *bm);
}

void bitmap_set(struct bitmap *bm, int x, int y, int black)
{
	if (x < 0 || y < 0 || x >= bm->w || y >= bm->h)
		return;
	uint8_t *p = bm->bits + (size_t)y * (size_t)bm->stride + (size_t)(x >> 3);
	uint8_t m = (uint8_t)(0x80u >> (x & 7));
	*p = black ? (uint8_t)(*p | m) : (uint8_t)(*p & ~m);
}

int bitmap_get(const struct bitmap *bm, int x, int y)
{
	if (x < 0 || y < 0 || x >= bm->w || y >= bm->h)
		return 0;
	return (bm->bits[(size_t)y * (size_t)bm->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

void bitmap_fill(struct bitmap *bm, int x, int y, int w, int h, int black)
{
	int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	/* long: x + w may overflow int for hostile arguments */
	long x1 = (long)x + w, y1 = (long)y + h;
	if (x1 > bm->w)
		x1 = bm->w;
	if (y1 > bm->h)
		y1 = bm->h;
	for (int yy = y0; yy < y1; yy++)
		for (int xx = x0; xx < x1; xx++)
			bitmap_set(bm, xx, yy, black);
}

void bitmap_blit(struct bitmap *dst, int dx, int dy, const struct bitmap *src, enum bitmap_op op)
{
	for (int y = 0; y < src->h; y++) {
		long ty = (long)dy + y;
		if (ty < 0)
			continue;
		if (ty >= dst->h)
			break;
		for (int x = 0; x < src->w; x++) {
			long tx = (long)dx + x;
			if (tx < 0)
				continue;
			if (tx >= dst->w)
				break;
			int v = bitmap_get(src, x, y);
			if (op == BITMAP_COPY || v)
				bitmap_set(dst, (int)tx, (int)ty, v);
		}
	}
}

int bitmap_equal(const struct bitmap *a, const struct bitmap *b)
{
	if (a->w != b->w || a->h != b->h)
		return 0;
	return memcmp(a->bits, b->bits, (size_t)a->h * (size_t)a->stride) == 0;
}

long bitmap_count_black(const struct bitmap *bm)
{
	long n = 0;
	size_t len = (size_t)bm->h * (size_t)bm->stride;
	for (size_t i = 0; i < len; i++)
		n += __builtin_popcount(bm->bits[i]);
	return n;
}

static kst check_src(const void *px, int w, int h, int pitch, int bpp, struct kerr *err)
{
	if (!px)
		return kerr_set(err, K_EUSAGE, "no pixels to threshold");
	if (w < 1 || h < 1 || w > BITMAP_DIM_MAX || h > BITMAP_DIM_MAX)
		return kerr_set(err, K_EUSAGE, "image size %dx%d outside 1..%d", w, h,
				BITMAP_DIM_MAX);
	if (pitch < w * bpp)
		return kerr_set(err, K_EUSAGE, "pitch %d shorter than a row of %d pixels", pitch, w);
	return K_OK;
}

kst bitmap_from_gray(struct bitmap *out, const uint8_t *px, int w, int h, int pitch,
		     int threshold, struct kerr *err)
{
	kst rc = check_src(px, w, h, pitch, 1, err);
	if (rc)
		return rc;
	rc = bitmap_init(out, w, h, err);
	if (rc)
		return rc;
	for (int y = 0; y < h; y++) {
		const uint8_t *row = px + (size_t)y * (size_t)pitch;
		uint8_t *dst = out->bits + (size_t)y * (size_t)out->stride;
		for (int x = 0; x < w; x++)
			if (row[x] < threshold)
				dst[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
	}
	return K_OK;
}

kst bitmap_from_argb32(struct bitmap *out, const void *px, int w, int h, int pitch,
		       int threshold, struct kerr *err)
{
	kst rc = check_src(px, w, h, pitch, 4, err);
	if (rc)
		return rc;
	rc = bitmap_init(out, w, h, err);
	if (rc)
		return rc;
	for (int y = 0; y < h; y++) {
		const uint8_t *row = (const uint8_t *)px + (size_t)y * (size_t)pitch;
		uint8_t *dst = out->bits + (size_t)y * (size_t)out->stride;
		for (int x = 0; x < w; x++) {
			uint32_t v;
			memcpy(&v, row + 4 * x, 4); /* rows need not be 4-aligned */
			uint32_t a = v >> 24, r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
			/* BT.601 luma in 1/1000, then over white: l*a + 255*(255-a) */
			uint32_t l = (299 * r + 587 * g + 114 * b) / 1000;
			uint32_t over = (l * a + 255 * (255 - a)) / 255;
			if ((int)over < threshold)
				dst[x >> 3] |= (uint8_t)(0x80u >> (x & 7));
		}
	}
	return K_OK;
}
