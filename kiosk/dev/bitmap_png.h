/**
 * @file bitmap_png.h
 * @brief 1-bit bitmaps to and from PNG files (libpng): `kiosk ticket --png`,
 * test pictures for zbarimg, and reading them back.
 *
 * Kept out of core/bitmap so the domain layer links no image library.
 */
#ifndef KIOSK_BITMAP_PNG_H
#define KIOSK_BITMAP_PNG_H

#include "core/bitmap.h"
#include "core/err.h"

/* Writes a 1-bit greyscale PNG, one pixel per dot (black dot = black pixel).
 * K_EFAIL with the path and reason when it cannot. */
kst bitmap_png_write(const struct bitmap *bm, const char *path, struct kerr *err);
/* Reads any PNG, composes it over white, and thresholds its grey level
 * (pixel < threshold = black dot). */
kst bitmap_png_read(const char *path, int threshold, struct bitmap *out, struct kerr *err);

#endif
