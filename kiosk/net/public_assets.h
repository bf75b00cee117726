/**
 * @file public_assets.h
 * @brief The files the public pages use besides HTML: the stylesheet and the ticket
 * page's script (assets/public/, linked into the binary so the appliance serves them
 * with nothing installed beside it) and the Sarabun font (read from fonts/ as the
 * kiosk's screens find it: no third-party font host).
 */
#ifndef KIOSK_PUBLIC_ASSETS_H
#define KIOSK_PUBLIC_ASSETS_H

#include <stddef.h>

#include "core/err.h"

#define PUB_FONT_MAX (2 * 1024 * 1024) /* a TTF larger than this is not ours */
#define PUB_FONTS 2

struct pub_asset {
	const char *name;  /* site path: "assets/public.css", "fonts/Sarabun-Regular.ttf" */
	const char *ctype;
	const char *data;
	size_t len;
};

/* The stylesheet and the script (static data, never freed). */
const struct pub_asset *pub_asset_css(void);
const struct pub_asset *pub_asset_js(void);

/* Reads Sarabun Regular and Bold (KIOSK_FONTS, the tree's fonts/ beside the binary, the
 * working directory's fonts/, /usr/share/kiosk/fonts). out[i].data is malloc'd (free
 * with pub_fonts_free); a font not found is left empty (len 0): the pages fall back to
 * the phone's own Thai font. Returns how many were found. */
int pub_fonts_load(struct pub_asset out[PUB_FONTS]);
void pub_fonts_free(struct pub_asset out[PUB_FONTS]);

#endif
