/**
 * @file chart_text.c
 * @brief Draws chart labels with the Thai text engine (see chart_text.h).
 */
#include "paper/chart_text.h"

#include "dev/chart.h"
#include "text/text.h"

/* Renders utf8 with the engine and blends it into the RGB chart, vertically
 * centred on y, on one line of at most max_w pixels. */
static int draw(void *ctx, struct chart_img *img, int x, int y, int px, uint32_t rgb,
		const char *utf8, int max_w)
{
	struct text_style st = {.role = TEXT_REGULAR, .px = px,
				.color = {(Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255},
				.max_lines = 1}; /* one line, an ellipsis when max_w cuts it */
	struct kerr err;
	SDL_Surface *s = text_render(utf8, &st, max_w, &err);
	if (!s)
		return -1;
	SDL_Surface *c = s->format->format == SDL_PIXELFORMAT_ARGB8888
				 ? s
				 : SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
	if (!c) {
		SDL_FreeSurface(s);
		return -1;
	}
	if (SDL_MUSTLOCK(c))
		SDL_LockSurface(c);
	int top = y - c->h / 2;
	for (int j = 0; j < c->h; j++) {
		const Uint32 *row = (const Uint32 *)((const Uint8 *)c->pixels + (size_t)j * c->pitch);
		int yy = top + j;
		if (yy < 0 || yy >= img->h)
			continue;
		for (int i = 0; i < c->w; i++) {
			int xx = x + i;
			Uint32 p = row[i];
			unsigned a = p >> 24;
			if (!a || xx < 0 || xx >= img->w)
				continue;
			uint8_t *d = img->rgb + ((size_t)yy * (size_t)img->w + (size_t)xx) * 3;
			unsigned sr = p >> 16 & 0xff, sg = p >> 8 & 0xff, sb = p & 0xff;
			d[0] = (uint8_t)((sr * a + d[0] * (255 - a)) / 255);
			d[1] = (uint8_t)((sg * a + d[1] * (255 - a)) / 255);
			d[2] = (uint8_t)((sb * a + d[2] * (255 - a)) / 255);
		}
	}
	if (SDL_MUSTLOCK(c))
		SDL_UnlockSurface(c);
	int w = c->w;
	if (c != s)
		SDL_FreeSurface(c);
	SDL_FreeSurface(s);
	return w;
}

kst chart_text_enable(struct kerr *err)
{
	kst rc = text_init(err);
	if (rc)
		return rc;
	chart_text_hook = draw;
	chart_text_ctx = NULL;
	return K_OK;
}

void chart_text_disable(void)
{
	if (chart_text_hook == draw) {
		chart_text_hook = NULL;
		text_quit();
	}
}
