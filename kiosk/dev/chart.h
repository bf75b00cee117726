/**
 * @file chart.h
 * @brief Small bar charts drawn into an RGB buffer and saved as PNG (libpng),
 * for `kiosk report --out`. No plotting library: three chart shapes are all
 * the report needs, and this way they print the same everywhere.
 *
 * Labels: every label comes as Thai and ASCII. When the UI layer has plugged
 * the Thai text engine into chart_text_hook (paper/chart_text.h; this layer knows
 * no SDL) the Thai one is drawn, else the ASCII one with a built-in 5x8 font,
 * so charts still work on a machine without fonts.
 */
#ifndef KIOSK_CHART_H
#define KIOSK_CHART_H

#include <stdint.h>

#include "core/err.h"

#define CHART_DIM_MAX 4096 /* pixels per side */

struct chart_img {
	int w, h;
	uint8_t *rgb; /* w * h * 3 bytes, row 0 at the top */
};

/* Draws utf8 starting at x, vertically centred on y, with a font of px pixels,
 * in colour rgb (0xRRGGBB), cut with an ellipsis at max_w pixels (0 = no limit);
 * returns the width drawn, or -1 to fall back to the ASCII label. */
typedef int (*chart_text_fn)(void *ctx, struct chart_img *img, int x, int y, int px,
			     uint32_t rgb, const char *utf8, int max_w);
extern chart_text_fn chart_text_hook; /* NULL until the text engine provides one */
extern void *chart_text_ctx;

kst chart_init(struct chart_img *img, int w, int h, struct kerr *err);
void chart_free(struct chart_img *img);
void chart_rect(struct chart_img *img, int x, int y, int w, int h, uint32_t rgb);
/* ASCII text with the built-in font, scale 1 = 6x8 pixels a character. Returns the width. */
int chart_ascii(struct chart_img *img, int x, int y, int scale, uint32_t rgb, const char *s);
int chart_ascii_width(const char *s, int scale);
/* The Thai label through the hook when there is one, else the ASCII one. */
int chart_label(struct chart_img *img, int x, int y, int scale, uint32_t rgb, const char *th,
		const char *ascii, int max_w);
kst chart_png(const struct chart_img *img, const char *path, struct kerr *err);

/* A column chart: n values (e.g. users per day) with x labels, an optional
 * horizontal reference line (ref > 0) and faint columns where dim[i] is set. */
kst chart_columns(const char *path, const char *title_th, const char *title, int n,
		  const double *v, const char *const *xlabels, const int *dim, double ref,
		  const char *ref_label_th, const char *ref_label, struct kerr *err);
/* A horizontal bar chart: n bars with labels, values printed at the bar end
 * (with `decimals` places), colours per bar, on a scale lo..hi; bands (nb edges in
 * band_edges, nb-1 shades) are drawn behind when given. */
kst chart_hbars(const char *path, const char *title_th, const char *title, int n, const double *v,
		const char *const *labels_th, const char *const *labels, const uint32_t *colors,
		double lo, double hi, int decimals, const double *band_edges, int nb,
		struct kerr *err);

#endif
