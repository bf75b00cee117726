/* Theme: every text/background pair a widget draws reaches WCAG 7:1 (AAA). */
#include "tap.h"
#include "ui/theme.h"

int main(void)
{
	struct ui_theme_pair p[UI_THEME_PAIRS_MAX];
	int n = ui_theme_pairs(&ui_theme_default, p);
	SDL_Color black = {0, 0, 0, 255}, white = {255, 255, 255, 255}, grey = {0x76, 0x76, 0x76, 255};

	/* The formula itself, on known values. */
	OK(ui_contrast(black, white) > 20.99 && ui_contrast(black, white) < 21.01, "black/white = 21:1");
	OK(ui_contrast(white, white) == 1.0, "same color = 1:1");
	OK(ui_contrast(grey, white) > 4.5 && ui_contrast(grey, white) < 4.6, "#767676 on white = 4.54:1");
	OK(n >= 10, "theme lists its pairs (%d)", n);
	for (int i = 0; i < n; i++) {
		double c = ui_contrast(p[i].fg, p[i].bg);
		OK(c >= 7.0, "%s: %.2f:1 >= 7:1", p[i].name, c);
	}
	/* Button text sizes never fall under a readable floor on the smallest screen. */
	OK(ui_font_px[UI_F_SMALL] * 600 / 1080 >= 16, "smallest text at 600 px short side >= 16 px");
	return tap_done();
}
