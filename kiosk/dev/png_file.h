/**
 * @file png_file.h
 * @brief Writing 8-bit RGB or RGBA pixel rows to a PNG file (libpng): the report's
 * charts and the kiosk's screenshots. A file that cannot be written whole is removed.
 */
#ifndef KIOSK_PNG_FILE_H
#define KIOSK_PNG_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum png_rows_fmt {
	PNG_ROWS_RGB,	 /* R,G,B bytes */
	PNG_ROWS_ARGB32, /* one native-endian 0xAARRGGBB word a pixel (SDL's ARGB8888) */
	PNG_ROWS_XRGB32, /* the same words, opaque (a screen's frame): written as RGB */
};

struct png_rows {
	int w, h;
	const uint8_t *px; /* row 0 at the top */
	size_t pitch;	   /* bytes from one row to the next */
	enum png_rows_fmt fmt;
	int dpi;  /* written as the file's resolution; 0: none */
	int fast; /* zlib's fastest level and the one "up" filter (see png_file.c) */
};

/* K_EFAIL with the path and the reason when it cannot. */
kst png_rows_write(const struct png_rows *r, const char *path, struct kerr *err);

#endif
