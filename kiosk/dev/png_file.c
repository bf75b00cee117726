/**
 * @file png_file.c
 * @brief See png_file.h.
 */
#include "dev/png_file.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

/* Screenshots are written with zlib's fastest level and the one "up" filter: libpng's
 * defaults (level 6, every filter tried on every row) were about a quarter of
 * `kiosk shot`'s time. Flat UI colours still compress well (checklist 1080x1920: 239 KB
 * as RGB). A screen's frame is opaque, so it is written as RGB (PNG_ROWS_XRGB32): a
 * quarter fewer bytes through libpng and zlib, 17.5 against 20.5 ms here. zlib's
 * run-length strategy was tried: no faster, 50 % larger. The pixels are the same. */
#define PNG_FAST_ZLIB_LEVEL 1

kst png_rows_write(const struct png_rows *r, const char *path, struct kerr *err)
{
	FILE *f = fopen(path, "wb");
	png_structp png = NULL;
	png_infop info = NULL;

	if (!f)
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		remove(path);
		return kerr_set(err, K_EFAIL, "%s: cannot write the PNG", path);
	}
	png_init_io(png, f);
	if (r->fast) {
		png_set_compression_level(png, PNG_FAST_ZLIB_LEVEL);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	}
	png_set_IHDR(png, info, (png_uint_32)r->w, (png_uint_32)r->h, 8,
		     r->fmt == PNG_ROWS_ARGB32 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (r->dpi > 0) {
		png_uint_32 ppm = (png_uint_32)(r->dpi / 0.0254 + 0.5);
		png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	}
	png_write_info(png, info);
	if (r->fmt == PNG_ROWS_ARGB32) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		png_set_bgr(png); /* B,G,R,A bytes -> R,G,B,A */
#else
		png_set_swap_alpha(png); /* A,R,G,B bytes -> R,G,B,A */
#endif
	} else if (r->fmt == PNG_ROWS_XRGB32) {
		/* The alpha byte is dropped on the way: a quarter less to compress. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		png_set_bgr(png);			 /* B,G,R,x bytes -> R,G,B */
		png_set_filler(png, 0, PNG_FILLER_AFTER);
#else
		png_set_filler(png, 0, PNG_FILLER_BEFORE); /* x,R,G,B bytes -> R,G,B */
#endif
	}
	for (int y = 0; y < r->h; y++)
		png_write_row(png, r->px + (size_t)y * r->pitch);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	if (fflush(f) || ferror(f)) {
		fclose(f);
		remove(path);
		return kerr_set(err, K_EFAIL, "%s: write failed", path);
	}
	if (fclose(f))
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	return K_OK;
}
