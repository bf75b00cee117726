/**
 * @file chart.c
 * @brief Bar charts into RGB buffers, written with libpng (see chart.h).
 */
#include "dev/chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev/png_file.h"

chart_text_fn chart_text_hook;
void *chart_text_ctx;

/* The classic 5x8 LCD font, ASCII 0x20..0x7E: five columns a glyph, bit 0 at the top. */
static const uint8_t font5x8[95][5] = {
	{0x00, 0x00, 0x00, 0x00, 0x00}, {0x00, 0x00, 0x5F, 0x00, 0x00}, {0x00, 0x07, 0x00, 0x07, 0x00},
	{0x14, 0x7F, 0x14, 0x7F, 0x14}, {0x24, 0x2A, 0x7F, 0x2A, 0x12}, {0x23, 0x13, 0x08, 0x64, 0x62},
	{0x36, 0x49, 0x56, 0x20, 0x50}, {0x00, 0x08, 0x07, 0x03, 0x00}, {0x00, 0x1C, 0x22, 0x41, 0x00},
	{0x00, 0x41, 0x22, 0x1C, 0x00}, {0x2A, 0x1C, 0x7F, 0x1C, 0x2A}, {0x08, 0x08, 0x3E, 0x08, 0x08},
	{0x00, 0x80, 0x70, 0x30, 0x00}, {0x08, 0x08, 0x08, 0x08, 0x08}, {0x00, 0x00, 0x60, 0x60, 0x00},
	{0x20, 0x10, 0x08, 0x04, 0x02}, {0x3E, 0x51, 0x49, 0x45, 0x3E}, {0x00, 0x42, 0x7F, 0x40, 0x00},
	{0x72, 0x49, 0x49, 0x49, 0x46}, {0x21, 0x41, 0x49, 0x4D, 0x33}, {0x18, 0x14, 0x12, 0x7F, 0x10},
	{0x27, 0x45, 0x45, 0x45, 0x39}, {0x3C, 0x4A, 0x49, 0x49, 0x31}, {0x41, 0x21, 0x11, 0x09, 0x07},
	{0x36, 0x49, 0x49, 0x49, 0x36}, {0x46, 0x49, 0x49, 0x29, 0x1E}, {0x00, 0x00, 0x14, 0x00, 0x00},
	{0x00, 0x40, 0x34, 0x00, 0x00}, {0x00, 0x08, 0x14, 0x22, 0x41}, {0x14, 0x14, 0x14, 0x14, 0x14},
	{0x00, 0x41, 0x22, 0x14, 0x08}, {0x02, 0x01, 0x59, 0x09, 0x06}, {0x3E, 0x41, 0x5D, 0x59, 0x4E},
	{0x7C, 0x12, 0x11, 0x12, 0x7C}, {0x7F, 0x49, 0x49, 0x49, 0x36}, {0x3E, 0x41, 0x41, 0x41, 0x22},
	{0x7F, 0x41, 0x41, 0x41, 0x3E}, {0x7F, 0x49, 0x49, 0x49, 0x41}, {0x7F, 0x09, 0x09, 0x09, 0x01},
	{0x3E, 0x41, 0x41, 0x51, 0x73}, {0x7F, 0x08, 0x08, 0x08, 0x7F}, {0x00, 0x41, 0x7F, 0x41, 0x00},
	{0x20, 0x40, 0x41, 0x3F, 0x01}, {0x7F, 0x08, 0x14, 0x22, 0x41}, {0x7F, 0x40, 0x40, 0x40, 0x40},
	{0x7F, 0x02, 0x1C, 0x02, 0x7F}, {0x7F, 0x04, 0x08, 0x10, 0x7F}, {0x3E, 0x41, 0x41, 0x41, 0x3E},
	{0x7F, 0x09, 0x09, 0x09, 0x06}, {0x3E, 0x41, 0x51, 0x21, 0x5E}, {0x7F, 0x09, 0x19, 0x29, 0x46},
	{0x26, 0x49, 0x49, 0x49, 0x32}, {0x03, 0x01, 0x7F, 0x01, 0x03}, {0x3F, 0x40, 0x40, 0x40, 0x3F},
	{0x1F, 0x20, 0x40, 0x20, 0x1F}, {0x3F, 0x40, 0x38, 0x40, 0x3F}, {0x63, 0x14, 0x08, 0x14, 0x63},
	{0x03, 0x04, 0x78, 0x04, 0x03}, {0x61, 0x59, 0x49, 0x4D, 0x43}, {0x00, 0x7F, 0x41, 0x41, 0x41},
	{0x02, 0x04, 0x08, 0x10, 0x20}, {0x00, 0x41, 0x41, 0x41, 0x7F}, {0x04, 0x02, 0x01, 0x02, 0x04},
	{0x40, 0x40, 0x40, 0x40, 0x40}, {0x00, 0x03, 0x07, 0x08, 0x00}, {0x20, 0x54, 0x54, 0x78, 0x40},
	{0x7F, 0x28, 0x44, 0x44, 0x38}, {0x38, 0x44, 0x44, 0x44, 0x28}, {0x38, 0x44, 0x44, 0x28, 0x7F},
	{0x38, 0x54, 0x54, 0x54, 0x18}, {0x00, 0x08, 0x7E, 0x09, 0x02}, {0x18, 0xA4, 0xA4, 0x9C, 0x78},
	{0x7F, 0x08, 0x04, 0x04, 0x78}, {0x00, 0x44, 0x7D, 0x40, 0x00}, {0x20, 0x40, 0x40, 0x3D, 0x00},
	{0x7F, 0x10, 0x28, 0x44, 0x00}, {0x00, 0x41, 0x7F, 0x40, 0x00}, {0x7C, 0x04, 0x78, 0x04, 0x78},
	{0x7C, 0x08, 0x04, 0x04, 0x78}, {0x38, 0x44, 0x44, 0x44, 0x38}, {0xFC, 0x18, 0x24, 0x24, 0x18},
	{0x18, 0x24, 0x24, 0x18, 0xFC}, {0x7C, 0x08, 0x04, 0x04, 0x08}, {0x48, 0x54, 0x54, 0x54, 0x24},
	{0x04, 0x04, 0x3F, 0x44, 0x24}, {0x3C, 0x40, 0x40, 0x20, 0x7C}, {0x1C, 0x20, 0x40, 0x20, 0x1C},
	{0x3C, 0x40, 0x30, 0x40, 0x3C}, {0x44, 0x28, 0x10, 0x28, 0x44}, {0x4C, 0x90, 0x90, 0x90, 0x7C},
	{0x44, 0x64, 0x54, 0x4C, 0x44}, {0x00, 0x08, 0x36, 0x41, 0x00}, {0x00, 0x00, 0x77, 0x00, 0x00},
	{0x00, 0x41, 0x36, 0x08, 0x00}, {0x02, 0x01, 0x02, 0x04, 0x02},
};

kst chart_init(struct chart_img *img, int w, int h, struct kerr *err)
{
	memset(img, 0, sizeof *img);
	if (w < 1 || h < 1 || w > CHART_DIM_MAX || h > CHART_DIM_MAX)
		return kerr_set(err, K_EUSAGE, "chart size %dx%d out of range", w, h);
	img->rgb = malloc((size_t)w * (size_t)h * 3);
	if (!img->rgb)
		return kerr_set(err, K_EFAIL, "out of memory for a chart");
	memset(img->rgb, 0xff, (size_t)w * (size_t)h * 3);
	img->w = w;
	img->h = h;
	return K_OK;
}

void chart_free(struct chart_img *img)
{
	free(img->rgb);
	img->rgb = NULL;
}

void chart_rect(struct chart_img *img, int x, int y, int w, int h, uint32_t c)
{
	int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int x1 = x + w > img->w ? img->w : x + w, y1 = y + h > img->h ? img->h : y + h;
	for (int j = y0; j < y1; j++)
		for (int i = x0; i < x1; i++) {
			uint8_t *p = img->rgb + ((size_t)j * (size_t)img->w + (size_t)i) * 3;
			p[0] = (uint8_t)(c >> 16);
			p[1] = (uint8_t)(c >> 8);
			p[2] = (uint8_t)c;
		}
}

int chart_ascii_width(const char *s, int scale)
{
	return (int)strlen(s) * 6 * scale;
}

int chart_ascii(struct chart_img *img, int x, int y, int scale, uint32_t c, const char *s)
{
	int x0 = x;
	for (; *s; s++, x += 6 * scale) {
		unsigned ch = (unsigned char)*s;
		if (ch < 0x20 || ch > 0x7e)
			ch = '?';
		for (int col = 0; col < 5; col++)
			for (int row = 0; row < 8; row++)
				if (font5x8[ch - 0x20][col] >> row & 1)
					chart_rect(img, x + col * scale, y + row * scale, scale, scale, c);
	}
	return x - x0;
}

int chart_label(struct chart_img *img, int x, int y, int scale, uint32_t c, const char *th,
		const char *ascii, int max_w)
{
	if (chart_text_hook && th && *th) {
		/* The ASCII cell is 8*scale tall; Thai needs a bigger face to match. */
		int w = chart_text_hook(chart_text_ctx, img, x, y + 4 * scale, 12 * scale, c, th,
					max_w);
		if (w >= 0)
			return w;
	}
	return chart_ascii(img, x, y, scale, c, ascii);
}

kst chart_png(const struct chart_img *img, const char *path, struct kerr *err)
{
	struct png_rows r = {.w = img->w,
			     .h = img->h,
			     .px = img->rgb,
			     .pitch = (size_t)img->w * 3,
			     .fmt = PNG_ROWS_RGB,
			     .dpi = 150}; /* prints sharp */
	return png_rows_write(&r, path, err);
}

/* A round step for about four grid lines up to max: 1, 2 or 5 times a power of ten. */
static double nice_step(double max)
{
	double raw = max / 4.0, p = 1;
	if (raw <= 0)
		return 1;
	while (p * 10 <= raw)
		p *= 10;
	while (p > raw)
		p /= 10;
	double f = raw / p;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

#define INK 0x222222
#define GRID 0xdddddd
#define BAR 0x2f6db5
#define FAINT 0xb8c8dc
#define REF 0xc0392b

kst chart_columns(const char *path, const char *title_th, const char *title, int n,
		  const double *v, const char *const *xlabels, const int *dim, double ref,
		  const char *ref_label_th, const char *ref_label, struct kerr *err)
{
	struct chart_img img;
	int W = 1200, H = 440, L = 70, R = 20, T = 100, B = 40;
	double max = ref > 0 ? ref : 1;
	char buf[32];
	kst rc;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	double step = nice_step(max * 1.1);
	int ticks = (int)((max * 1.1) / step) + 1;
	max = step * ticks;
	if ((rc = chart_init(&img, W, H, err)))
		return rc;
	chart_label(&img, L, 24, 3, INK, title_th, title, 0);
	int ph = H - T - B, pw = W - L - R;
	for (int k = 0; k <= ticks; k++) {
		int y = T + ph - (int)(ph * (double)k / ticks);
		chart_rect(&img, L, y, pw, 1, GRID);
		snprintf(buf, sizeof buf, "%.0f", step * k);
		chart_ascii(&img, L - 8 - chart_ascii_width(buf, 2), y - 8, 2, INK, buf);
	}
	int slot = n ? pw / n : pw, bw = slot * 7 / 10;
	for (int i = 0; i < n; i++) {
		int h = (int)(ph * v[i] / max), x = L + i * slot + (slot - bw) / 2;
		chart_rect(&img, x, T + ph - h, bw, h, dim && dim[i] ? FAINT : BAR);
		if (v[i] > 0) {
			snprintf(buf, sizeof buf, "%.0f", v[i]);
			chart_ascii(&img, x + bw / 2 - chart_ascii_width(buf, 1) / 2, T + ph - h - 11, 1,
				    INK, buf);
		}
		if (xlabels && xlabels[i])
			chart_ascii(&img, x + bw / 2 - chart_ascii_width(xlabels[i], 2) / 2, T + ph + 8, 2,
				    INK, xlabels[i]);
	}
	chart_rect(&img, L, T + ph, pw, 2, INK);
	if (ref > 0) {
		int y = T + ph - (int)(ph * ref / max);
		for (int x = L; x < L + pw; x += 12)
			chart_rect(&img, x, y, 7, 2, REF);
		if (ref_label) {
			/* A legend at the top left, clear of the columns. */
			chart_rect(&img, L + 4, T - 23, 20, 2, REF);
			chart_label(&img, L + 30, T - 30, 2, REF, ref_label_th, ref_label, 0);
		}
	}
	rc = chart_png(&img, path, err);
	chart_free(&img);
	return rc;
}

kst chart_hbars(const char *path, const char *title_th, const char *title, int n, const double *v,
		const char *const *labels_th, const char *const *labels, const uint32_t *colors,
		double lo, double hi, int decimals, const double *band_edges, int nb,
		struct kerr *err)
{
	struct chart_img img;
	int L = 400, R = 90, T = 80, row = 44, W = 1200, H = T + n * row + 50;
	char buf[32];
	kst rc;

	if (hi <= lo)
		hi = lo + 1;
	if ((rc = chart_init(&img, W, H, err)))
		return rc;
	chart_label(&img, 20, 24, 3, INK, title_th, title, 0);
	int pw = W - L - R, ph = n * row;
	static const uint32_t shades[5] = {0xfbe9e7, 0xfff3e0, 0xfffde7, 0xf1f8e9, 0xe8f5e9};
	for (int b = 0; b + 1 < nb; b++) {
		int x0 = L + (int)(pw * (band_edges[b] - lo) / (hi - lo));
		int x1 = L + (int)(pw * (band_edges[b + 1] - lo) / (hi - lo));
		chart_rect(&img, x0, T, x1 - x0, ph, shades[b % 5]);
		snprintf(buf, sizeof buf, "%.2f", band_edges[b + 1]);
		chart_ascii(&img, x1 - chart_ascii_width(buf, 1) / 2, T + ph + 24, 1, INK, buf);
	}
	int ticks = 4;
	double step = (hi - lo) / 4.0;
	if (!nb) { /* a count from zero: round steps */
		step = nice_step(hi - lo);
		ticks = (int)((hi - lo) / step + 0.999);
		if (ticks < 1)
			ticks = 1;
		hi = lo + step * ticks;
	}
	for (int k = 0; k <= ticks; k++) {
		double tv = lo + step * k;
		int x = L + (int)(pw * (double)k / ticks);
		chart_rect(&img, x, T, 1, ph, GRID);
		snprintf(buf, sizeof buf, "%.0f", tv);
		chart_ascii(&img, x - chart_ascii_width(buf, 2) / 2, T + ph + 6, 2, INK, buf);
	}
	for (int i = 0; i < n; i++) {
		int y = T + i * row + 8, bh = row - 16;
		double val = v[i] < lo ? lo : v[i] > hi ? hi : v[i];
		int w = (int)(pw * (val - lo) / (hi - lo));
		chart_label(&img, 12, y + bh / 2 - 8, 2, INK, labels_th ? labels_th[i] : NULL, labels[i],
			    L - 24);
		chart_rect(&img, L, y, w, bh, colors ? colors[i] : BAR);
		snprintf(buf, sizeof buf, "%.*f", decimals, v[i]);
		chart_ascii(&img, L + w + 8, y + bh / 2 - 8, 2, INK, buf);
	}
	chart_rect(&img, L, T, 2, ph, INK);
	rc = chart_png(&img, path, err);
	chart_free(&img);
	return rc;
}
