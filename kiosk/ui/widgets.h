/**
 * @file widgets.h
 * @brief Immediate-mode widgets for screens' draw(): buttons, paragraphs, a
 * touch-drag scroll view and the top bar. Each call draws and (for buttons)
 * registers a hit box for the next input; taps come back as UI_EV_CLICK {id}.
 *
 * They draw on the app's canvas (ui/canvas.h) and know nothing else of the app.
 *
 * Heights follow the text: a button grows to fit its wrapped label (large-text mode
 * included) and is never lower than UI_BUTTON_MIN_H, so layouts stack widgets with
 * the heights these functions return.
 */
#ifndef KIOSK_WIDGETS_H
#define KIOSK_WIDGETS_H

#include "ui/canvas.h"

/* Ids the top bar uses; negative so screens can number their widgets from 0. */
#define UI_ID_BACK (-1)
#define UI_ID_HOME (-2)
#define UI_ID_LANG (-3)
#define UI_ID_LARGE (-4)

#define UI_BTN_SECONDARY 0x01 /* light button with a border (default: primary) */
#define UI_BTN_ACCENT 0x02    /* priority red */
#define UI_BTN_DISABLED 0x04  /* drawn grey, not tappable */
#define UI_BTN_LEFT 0x08      /* label aligned left (list rows) */

/* Draws a button at r (r.h is a minimum) and returns the height it took. */
int ui_button(struct ui_app *a, int id, SDL_Rect r, const char *label, unsigned flags);
/* With a second, smaller line under the label (sub may be NULL). */
int ui_button_sub(struct ui_app *a, int id, SDL_Rect r, const char *label, const char *sub,
		  unsigned flags);
/* Height ui_button_sub() would take at width w. */
int ui_button_height(struct ui_app *a, int w, const char *label, const char *sub);

/* A keyboard key: a light key with a border (UI_BTN_SECONDARY look; 0 flags =
 * primary colours for Shift/OK-like keys when UI_BTN_ACCENT or `on`), its text
 * centred on one line with little padding so narrow keys (80 px) still fit a
 * large glyph. `shown` is drawn, `name` is what the script's tap-text matches
 * (the character itself, while a Thai mark is shown on a carrier). */
void ui_key(struct ui_app *a, int id, SDL_Rect r, const char *shown, const char *name,
	    enum ui_font f, unsigned flags, int on);

/* A paragraph wrapped in box.w; box.h <= 0 means as tall as needed. Returns height. */
int ui_label(struct ui_app *a, SDL_Rect box, const char *s, enum ui_font f, SDL_Color c,
	     enum text_align al);
int ui_label_height(struct ui_app *a, int w, const char *s, enum ui_font f);
/* Any style (max_lines with ellipsis, line spacing ...): the style for a font role, to
 * adjust, then draw it in box (box.h <= 0: as tall as needed). Returns height. */
struct text_style ui_style(struct ui_app *a, enum ui_font f, SDL_Color c, enum text_align al);
int ui_text(struct ui_app *a, SDL_Rect box, const char *s, const struct text_style *st);
/* An outline (1 px at scale 1) - boxes in the gallery, focus rings. */
void ui_frame(struct ui_app *a, SDL_Rect r, SDL_Color c);

/* A filled rectangle; radius (at scale 1) rounds the corners. Like every widget it
 * follows the scroll view it is drawn in. */
void ui_fill(struct ui_app *a, SDL_Rect r, SDL_Color c, int radius);
/* An invisible tap target (the attract screen's "touch anywhere"); label names it
 * for the script's tap-text. */
void ui_hotspot(struct ui_app *a, int id, SDL_Rect r, const char *label);

/* Scroll view: widgets between begin and end use unscrolled coordinates (as if the
 * view were infinitely tall, starting at view.y); end() takes the y where the content
 * stopped, clamps the offset and draws a position bar. Drag with a finger or wheel. */
/* The active scroll view's offset (0 outside one): subtract it from y when
 * drawing with SDL directly inside a scroll view. */
int ui_yoff(const struct ui_app *a);
void ui_scroll_begin(struct ui_app *a, struct ui_scroll *sc, SDL_Rect view);
void ui_scroll_end(struct ui_app *a, struct ui_scroll *sc, int content_bottom);

#define UI_BAR_BACK 0x01
#define UI_BAR_HOME 0x02
/* Top bar: [back] [home] title ... [A+] [EN|ไทย]. Returns its height. */
int ui_topbar(struct ui_app *a, const char *title, unsigned flags);

#endif
