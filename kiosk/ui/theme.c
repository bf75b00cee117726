/**
 * @file theme.c
 * @brief The default theme (district-office green) and the WCAG contrast formula.
 */
#include <math.h>

#include "ui/theme.h"

#define RGB(h) {(Uint8)((h) >> 16), (Uint8)((h) >> 8 & 0xFF), (Uint8)((h)&0xFF), 255}

const struct ui_theme ui_theme_default = {
	.bg = RGB(0xF7F9FC), .text = RGB(0x14213D), .muted = RGB(0x3A4660),
	.panel = RGB(0xFFFFFF), .panel_text = RGB(0x14213D),
	.bar_bg = RGB(0x0B4F3C), .bar_text = RGB(0xFFFFFF),
	.btn_bg = RGB(0x0B4F3C), .btn_text = RGB(0xFFFFFF),
	.btn_down_bg = RGB(0x073426), .btn_down_text = RGB(0xFFFFFF),
	.btn2_bg = RGB(0xE3EEE9), .btn2_text = RGB(0x0B3B2D), .btn2_border = RGB(0x0B4F3C),
	.accent_bg = RGB(0x8B1A1A), .accent_text = RGB(0xFFFFFF),
	.off_bg = RGB(0xD5D9E0), .off_text = RGB(0x2E3440),
	.note_bg = RGB(0xFFF4D6), .note_text = RGB(0x5A3B00),
	.divider = RGB(0xB8C2D0),
};

const int ui_font_px[UI_F_COUNT] = {
	[UI_F_HUGE] = 168, [UI_F_TITLE] = 64, [UI_F_HEAD] = 48,
	[UI_F_BODY] = 40, [UI_F_BUTTON] = 44, [UI_F_SMALL] = 32,
};

int ui_theme_pairs(const struct ui_theme *t, struct ui_theme_pair out[UI_THEME_PAIRS_MAX])
{
	int n = 0;
#define PAIR(nm, f, b) out[n++] = (struct ui_theme_pair){nm, t->f, t->b}
	PAIR("text on background", text, bg);
	PAIR("secondary text on background", muted, bg);
	PAIR("text on panel", panel_text, panel);
	PAIR("secondary text on panel", muted, panel);
	PAIR("top bar", bar_text, bar_bg);
	PAIR("primary button", btn_text, btn_bg);
	PAIR("pressed button", btn_down_text, btn_down_bg);
	PAIR("secondary button", btn2_text, btn2_bg);
	PAIR("priority", accent_text, accent_bg);
	PAIR("disabled button", off_text, off_bg);
	PAIR("notice", note_text, note_bg);
#undef PAIR
	return n;
}

static double lin(Uint8 c)
{
	double v = c / 255.0;
	return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double lum(SDL_Color c)
{
	return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double ui_contrast(SDL_Color a, SDL_Color b)
{
	double x = lum(a), y = lum(b);
	return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}
