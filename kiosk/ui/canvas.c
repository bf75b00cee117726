/**
 * @file canvas.c
 * @brief Scale, font sizes and the frame's tap targets.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/canvas.h"

int ui_sz(const struct ui_app *a, int base)
{
	return (int)(base * ui_ccv(a)->scale + 0.5);
}

int ui_font(const struct ui_app *a, enum ui_font f)
{
	const struct ui_canvas *c = ui_ccv(a);
	double px = ui_font_px[f] * c->scale * (c->large ? UI_LARGE_FACTOR : 1.0);
	return (int)(px + 0.5);
}

void ui_canvas_hit_add(struct ui_canvas *c, int id, SDL_Rect r, const char *label,
		       struct ui_scroll *sc, int scroll_max)
{
	if (c->cur_scroll) {
		SDL_Rect v;
		if (!SDL_IntersectRect(&r, &c->cur_view, &v))
			return; /* scrolled out of sight: not tappable */
		r = v;
	}
	if (c->nhits == c->caphits) {
		int nc = c->caphits ? c->caphits * 2 : 32;
		struct ui_hit *h = realloc(c->hits, (size_t)nc * sizeof *h);
		if (!h)
			return;
		c->hits = h;
		c->caphits = nc;
	}
	c->hits[c->nhits++] = (struct ui_hit){id, r, label ? strdup(label) : NULL, sc, scroll_max};
}

struct ui_hit *ui_canvas_hit_at(struct ui_canvas *c, int x, int y, int want_scroll)
{
	SDL_Point p = {x, y};
	/* Later entries were drawn on top. */
	for (int i = c->nhits - 1; i >= 0; i--) {
		struct ui_hit *h = &c->hits[i];
		if ((h->scroll != NULL) == want_scroll && SDL_PointInRect(&p, &h->r))
			return h;
	}
	return NULL;
}

const struct ui_hit *ui_canvas_hit_label(const struct ui_canvas *c, const char *label)
{
	for (int i = c->nhits - 1; i >= 0; i--)
		if (c->hits[i].label && !strcmp(c->hits[i].label, label))
			return &c->hits[i];
	return NULL;
}

void ui_canvas_hits_clear(struct ui_canvas *c)
{
	for (int i = 0; i < c->nhits; i++)
		free(c->hits[i].label);
	c->nhits = 0;
}

int ui_canvas_yoff(const struct ui_canvas *c)
{
	return c->cur_scroll ? c->cur_scroll->offset : 0;
}
