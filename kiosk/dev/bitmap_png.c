/**
 * @file bitmap_png.c
 * @brief PNG in and out for 1-bit bitmaps (see bitmap_png.h).
 */
#include "dev/bitmap_png.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* The libpng part: longjmp lands here, so nothing in this frame changes after setjmp. */
static int write_png(png_structp png, png_infop info, FILE *f, const struct bitmap *bm, uint8_t *row)
{
	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)bm->w, (png_uint_32)bm->h, 1, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < bm->h; y++) {
		/* PNG grey 1-bit: 1 = white; a dot is 1 = black. */
		const uint8_t *src = bm->bits + (size_t)y * (size_t)bm->stride;
		for (int i = 0; i < bm->stride; i++)
			row[i] = (uint8_t)~src[i];
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	return 0;
}

kst bitmap_png_write(const struct bitmap *bm, const char *path, struct kerr *err)
{
	FILE *f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	uint8_t *row = NULL;
	kst rc = K_OK;

	if (!bm->bits)
		return kerr_set(err, K_EUSAGE, "%s: empty bitmap", path);
	row = malloc((size_t)bm->stride);
	f = fopen(path, "wb");
	if (!row || !f) {
		rc = kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
		goto out;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		rc = kerr_set(err, K_EFAIL, "%s: libpng setup failed", path);
		goto out;
	}
	if (write_png(png, info, f, bm, row) < 0)
		rc = kerr_set(err, K_EFAIL, "%s: PNG write failed", path);
out:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	if (f && fclose(f) != 0 && !rc)
		rc = kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	free(row);
	if (rc)
		remove(path);
	return rc;
}

kst bitmap_png_read(const char *path, int threshold, struct bitmap *out, struct kerr *err)
{
	png_image img;
	uint8_t *px = NULL;
	kst rc;

	memset(out, 0, sizeof *out);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path))
		return kerr_set(err, K_EFAIL, "%s: %s", path, img.message);
	if (img.width < 1 || img.height < 1 || img.width > BITMAP_DIM_MAX || img.height > BITMAP_DIM_MAX) {
		png_image_free(&img);
		return kerr_set(err, K_EUSAGE, "%s: %ux%u outside 1..%d", path, img.width, img.height,
				BITMAP_DIM_MAX);
	}
	img.format = PNG_FORMAT_GRAY;
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px) {
		png_image_free(&img);
		return kerr_set(err, K_EFAIL, "%s: out of memory", path);
	}
	/* background white: transparent pixels count as paper */
	png_color white = {255, 255, 255};
	if (!png_image_finish_read(&img, &white, px, 0, NULL)) {
		rc = kerr_set(err, K_EFAIL, "%s: %s", path, img.message);
		goto out;
	}
	rc = bitmap_from_gray(out, px, (int)img.width, (int)img.height, (int)PNG_IMAGE_ROW_STRIDE(img),
			      threshold, err);
out:
	png_image_free(&img);
	free(px);
	return rc;
}
