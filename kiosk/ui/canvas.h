/**
 * @file canvas.h
 * @brief What the widgets draw on: the renderer, the text cache, the theme and the
 * screen's scale, plus the frame's tap targets, the finger's press and the scroll view
 * being drawn. The widgets (widgets.h, face.h) know this and nothing else of the app.
 *
 * Layering: text/ <- canvas, widgets <- app (loop, window, screen stack) <- script,
 * screens. The app (ui/app.c) begins with its canvas, so a screen's `struct ui_app *`
 * is handed to the widgets as it is and ui_cv() finds the canvas without calling up
 * into the app; app.c checks that layout at compile time.
 */
#ifndef KIOSK_CANVAS_H
#define KIOSK_CANVAS_H

#include <stdint.h>

#include <SDL2/SDL.h>

#include "text/text.h"
#include "ui/theme.h"

struct ui_app;

enum ui_lang { UI_TH = TEXT_TH, UI_EN = TEXT_EN };

/* Scroll view state, kept by the screen between frames (see widgets.h). */
struct ui_scroll {
	int offset;    /* pixels scrolled down */
	int content_h; /* height of the content last frame */
	int view_h;
};

/* A tap target of the frame being shown. */
struct ui_hit {
	int id;
	SDL_Rect r;               /* visible part on screen */
	char *label;              /* button text, for the script's tap-text; may be NULL */
	struct ui_scroll *scroll; /* set for a scroll view's area */
	int scroll_max;           /* its largest offset */
};

struct ui_canvas {
	SDL_Renderer *ren;
	struct text_cache *tc;
	const struct ui_theme *theme;
	int w, h;
	double scale;       /* short side / 1080 */
	int large;          /* large-text mode */
	enum ui_lang lang;
	int dirty;          /* the next frame must be drawn (a widget may ask for one) */

	struct ui_hit *hits; /* this frame's tap targets, in drawing order */
	int nhits, caphits;

	int down;           /* a finger is on the screen (the app's input sets these) */
	int pressed_id;     /* the widget under it since it went down; INT32_MIN: none */

	struct ui_scroll *cur_scroll; /* the scroll view being drawn, or NULL */
	SDL_Rect cur_view;
};

static inline struct ui_canvas *ui_cv(struct ui_app *a)
{
	return (struct ui_canvas *)(void *)a;
}

static inline const struct ui_canvas *ui_ccv(const struct ui_app *a)
{
	return (const struct ui_canvas *)(const void *)a;
}

/* State for screens and widgets. */
static inline enum ui_lang ui_lang(const struct ui_app *a) { return ui_ccv(a)->lang; }
static inline int ui_large(const struct ui_app *a) { return ui_ccv(a)->large; }
static inline int ui_w(const struct ui_app *a) { return ui_ccv(a)->w; }
static inline int ui_h(const struct ui_app *a) { return ui_ccv(a)->h; }
static inline const struct ui_theme *ui_theme(const struct ui_app *a) { return ui_ccv(a)->theme; }
static inline SDL_Renderer *ui_renderer(struct ui_app *a) { return ui_cv(a)->ren; }
static inline struct text_cache *ui_text_cache(struct ui_app *a) { return ui_cv(a)->tc; }

static inline const char *ui_tr(const struct ui_app *a, const char *th, const char *en)
{
	return ui_lang(a) == UI_EN && en && *en ? en : th;
}
/* A layout length at scale 1 -> pixels on this screen (short side / 1080). */
int ui_sz(const struct ui_app *a, int base);
/* Font pixel size of a role, with large-text mode applied. */
int ui_font(const struct ui_app *a, enum ui_font f);

/* Tap targets of the frame. A target inside the scroll view being drawn is cut to
 * the view (nothing when scrolled out of sight). */
void ui_canvas_hit_add(struct ui_canvas *c, int id, SDL_Rect r, const char *label,
		       struct ui_scroll *sc, int scroll_max);
/* The topmost target at x,y: a scroll view's area (want_scroll) or a widget. */
struct ui_hit *ui_canvas_hit_at(struct ui_canvas *c, int x, int y, int want_scroll);
/* The topmost target labelled exactly so (the script's tap-text). */
const struct ui_hit *ui_canvas_hit_label(const struct ui_canvas *c, const char *label);
/* Forgets the frame's targets (a new frame, or only the idle question is tappable). */
void ui_canvas_hits_clear(struct ui_canvas *c);
/* The y offset widgets subtract (the active scroll view's; 0 outside one). */
int ui_canvas_yoff(const struct ui_canvas *c);

#endif
