/**
 * @file theme.h
 * @brief Colors and sizes of the kiosk screens. Every text/background pair the
 * widgets use reaches WCAG contrast 7:1 (AAA), checked by tests/unit/test_theme.c:
 * the lobby has older visitors, glare and people without their glasses.
 */
#ifndef KIOSK_THEME_H
#define KIOSK_THEME_H

#include <SDL2/SDL.h>

struct ui_theme {
	SDL_Color bg, text, muted;            /* screen background, body text, secondary text */
	SDL_Color panel, panel_text;          /* cards/panels on the background */
	SDL_Color bar_bg, bar_text;           /* top bar */
	SDL_Color btn_bg, btn_text;           /* primary button */
	SDL_Color btn_down_bg, btn_down_text; /* primary button while pressed */
	SDL_Color btn2_bg, btn2_text, btn2_border; /* secondary button */
	SDL_Color accent_bg, accent_text;     /* priority / attention */
	SDL_Color off_bg, off_text;           /* disabled button */
	SDL_Color note_bg, note_text;         /* notice box (warnings, hints) */
	SDL_Color divider;                    /* lines (not text) */
};

extern const struct ui_theme ui_theme_default;

/* A text color on a background color, named for reports. */
struct ui_theme_pair {
	const char *name;
	SDL_Color fg, bg;
};
#define UI_THEME_PAIRS_MAX 16
/* Every text/background pair a widget draws; returns the count. */
int ui_theme_pairs(const struct ui_theme *t, struct ui_theme_pair out[UI_THEME_PAIRS_MAX]);
/* WCAG 2 contrast ratio (1..21) of two opaque colors. */
double ui_contrast(SDL_Color a, SDL_Color b);

/* Base sizes in pixels for a screen whose short side is 1080 px; the app scales them
 * by short side / 1080 and by the large-text factor. */
enum ui_font { UI_F_HUGE, UI_F_TITLE, UI_F_HEAD, UI_F_BODY, UI_F_BUTTON, UI_F_SMALL, UI_F_COUNT };
extern const int ui_font_px[UI_F_COUNT];
#define UI_BUTTON_MIN_H 80   /* touch target height floor (px at scale 1; never scaled down) */
#define UI_BAR_H 120         /* top bar height at scale 1 */
#define UI_MARGIN 48         /* screen side margin at scale 1 */
#define UI_LARGE_FACTOR 1.3  /* large-text mode multiplies text sizes by this */

#endif
