/**
 * @file bitmap.h
 * @brief A 1-bit image for thermal paper: what the printer head prints, dot for dot.
 *
 * Rows are packed MSB-first (the left dot of each byte is its high bit) and a set
 * bit is a black dot, which is exactly the row format of ESC/POS `GS v 0`, so a
 * bitmap goes to the printer without conversion. Pad bits at the end of a row
 * are always 0 (white), so whole bytes can be copied and compared.
 *
 * The ticket layout draws text with the UI text engine into an SDL surface and
 * thresholds it here (bitmap_from_gray / bitmap_from_argb32); this module itself
 * knows nothing of SDL or PNG (see dev/bitmap_png.h for files).
 */
#ifndef KIOSK_BITMAP_H
#define KIOSK_BITMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Largest side accepted: 8192 dots is > 1 m of 80 mm paper, far beyond a ticket,
 * and keeps w * h well inside int and the allocation under 8 MB. */
#define BITMAP_DIM_MAX 8192

struct bitmap {
	int w;          /* width in dots */
	int h;          /* height in rows */
	int stride;     /* bytes per row: (w + 7) / 8 */
	uint8_t *bits;  /* h * stride bytes, row 0 first; owned, freed by bitmap_free */
};

enum bitmap_op {
	BITMAP_COPY, /* destination dots take the source value (white erases) */
	BITMAP_OR,   /* black source dots are added, white ones leave the destination */
};

/* A white w x h bitmap. K_EUSAGE for a size outside 1..BITMAP_DIM_MAX, K_EFAIL
 * when out of memory. bm is zeroed first, so bitmap_free is always safe after. */
kst bitmap_init(struct bitmap *bm, int w, int h, struct kerr *err);
void bitmap_free(struct bitmap *bm);

/* Dots outside the bitmap are ignored by the setters and read as white. */
void bitmap_set(struct bitmap *bm, int x, int y, int black);
int bitmap_get(const struct bitmap *bm, int x, int y);
/* Fills the rectangle (clipped to the bitmap). */
void bitmap_fill(struct bitmap *bm, int x, int y, int w, int h, int black);
/* Draws src with its top-left dot at (dx, dy), clipped to dst. */
void bitmap_blit(struct bitmap *dst, int dx, int dy, const struct bitmap *src, enum bitmap_op op);
/* 1 when both have the same size and the same dots. */
int bitmap_equal(const struct bitmap *a, const struct bitmap *b);
/* Number of black dots (tests, blank-ticket checks). */
long bitmap_count_black(const struct bitmap *bm);

/* Thresholds an 8-bit grey image (0 = black ink, 255 = paper): a pixel is a
 * black dot when its value is below threshold. pitch is bytes per source row
 * (SDL_Surface.pitch). */
kst bitmap_from_gray(struct bitmap *out, const uint8_t *px, int w, int h, int pitch,
		     int threshold, struct kerr *err);
/* Same for 32-bit pixels 0xAARRGGBB in native byte order (SDL_PIXELFORMAT_ARGB8888,
 * what SDL_ttf's blended text uses): the colour is composed over white paper by its
 * alpha, then its luma (BT.601) is thresholded. */
kst bitmap_from_argb32(struct bitmap *out, const void *px, int w, int h, int pitch,
		       int threshold, struct kerr *err);

#endif
