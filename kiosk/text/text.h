/**
 * @file text.h
 * @brief The Thai text engine: fonts, line breaking, layout, rendering, a texture
 * cache, and Thai dates/digits. Every screen and the ticket printer use it.
 *
 * Why not SDL_ttf's own wrapping: TTF_RenderUTF8_*_Wrapped breaks only at spaces and
 * counts shaped glyphs, so it cuts Thai words and silently drops text. Here libthai
 * (the same dictionary Pango uses) finds the legal break points, lines are fitted with
 * TTF_SizeUTF8 (HarfBuzz-shaped widths) and rendered one by one.
 *
 * Two layers:
 *  - pure (no window, no font needed): text_breaks(), text_layout() with a caller's
 *    width function, text_date(), text_thai_digits(). Testable without SDL rendering.
 *  - rendering: text_init() opens fonts (script "Thai", LTR on every one, or it refuses
 *    to start), text_render() makes an SDL_Surface (ticket printer), text_draw() puts a
 *    paragraph on an SDL_Renderer through a text_cache (LRU, byte budget).
 *
 * Thread safety: fonts and the memo are behind one lock, so the printer may call
 * text_render() from its own thread; a text_cache belongs to its renderer's thread.
 *
 *   struct text_style st = { .role = TEXT_REGULAR, .px = 40, .color = {0,0,0,255} };
 *   text_draw(cache, "หนังสือรับรองความเป็นโสด", &st, (SDL_Rect){40, 100, 600, 300}, NULL);
 */
#ifndef KIOSK_TEXT_H
#define KIOSK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "core/err.h"

/* --- pure layer ------------------------------------------------------------- */

/* Flags per byte offset i of a string (array of len + 1): what may happen before
 * byte i. Offsets inside a UTF-8 sequence get 0. */
#define TEXT_BRK_LINE 0x01      /* a line may start here (soft break opportunity) */
#define TEXT_BRK_MANDATORY 0x02 /* a line must start here (after a newline) */
#define TEXT_BRK_CLUSTER 0x04   /* grapheme boundary: never split a base from its marks */

/* Fills flags[0..len] for s[0..len). Thai runs go through libthai (th_brk_wc_*),
 * everything else follows the Unicode line-breaking rules (UAX #14) for the
 * characters a kiosk shows: spaces, Latin words, digits, punctuation, newlines.
 * flags[0] and flags[len] carry only TEXT_BRK_CLUSTER. Invalid UTF-8 bytes count as
 * one character each. Returns K_OK, or K_EFAIL when out of memory. */
kst text_breaks(const char *s, size_t len, uint8_t *flags);

/* Width in pixels of s[0..len) as it would be drawn (TTF_SizeUTF8 in real use). */
typedef int (*text_width_fn)(void *ctx, const char *s, size_t len);

struct text_line {
	size_t start; /* byte offset of the first character of the line */
	size_t len;   /* bytes shown: trailing spaces and the newline are excluded */
	int width;    /* pixels, from the width function (ellipsis included) */
	int ellipsis; /* 1: the text was cut here; draw "…" after the line */
};

struct text_lines {
	struct text_line *v; /* n lines (malloc'ed; text_lines_free) */
	int n;
	int truncated;       /* 1 when max_lines cut the text (last line has the ellipsis) */
};

/* Breaks s into lines no wider than max_w (max_w <= 0: no wrapping, only newlines).
 * A word wider than a line is split at grapheme boundaries, never inside a cluster.
 * max_lines > 0 limits the count; remaining text is cut with an ellipsis whose width
 * is ellipsis_w (pass 0 when max_lines is 0). An empty string gives one empty line. */
kst text_layout(const char *s, int max_w, text_width_fn width, void *ctx, int max_lines,
		int ellipsis_w, struct text_lines *out);
void text_lines_free(struct text_lines *l);

/* Frees libthai's dictionary (text_quit calls it; the pure layer reloads it on use). */
void text_break_quit(void);
/* Starts loading libthai's dictionary on a thread of its own (about 8 ms and 1.5 MB
 * here), so a program's start-up does its other work meanwhile; the first line break
 * waits for it. Idempotent; text_break_quit() joins it. */
void text_break_preload(void);

/* Next grapheme boundary after byte i (i < len), per TEXT_BRK_CLUSTER rules. */
size_t text_next_cluster(const char *s, size_t len, size_t i);

/* Decodes one UTF-8 character at s[i] (i < len); *cp gets U+FFFD on invalid input.
 * Returns its length in bytes (>= 1). */
size_t text_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp);

/* Dates. y/m/d Gregorian; Thai output uses the Buddhist era (CE + 543). */
enum text_lang { TEXT_TH = 0, TEXT_EN = 1 };
#define TEXT_DATE_FULL 0x01        /* full month name: "24 พฤศจิกายน 2569", "24 November 2026" */
#define TEXT_DATE_WEEKDAY 0x02     /* "วันอังคารที่ 24 ...", "Tuesday 24 ..." */
#define TEXT_DATE_THAI_DIGITS 0x04 /* ๐-๙ instead of 0-9 (Thai only) */
#define TEXT_DATE_MAX 96           /* longest: weekday + full month, Thai digits, NUL */
/* "24 พ.ย. 2569" / "24 Nov 2026" by default. wday 0 = Sunday (needed for WEEKDAY).
 * Returns K_EUSAGE for an impossible month/day or a too-small buffer. */
kst text_date(int y, int m, int d, int wday, enum text_lang lang, unsigned flags, char *out,
	      size_t outsz);
/* Copies in to out replacing ASCII digits 0-9 by Thai digits ๐-๙.
 * Returns K_EUSAGE (and an empty out) when out is too small. */
kst text_thai_digits(const char *in, char *out, size_t outsz);

/* --- fonts ------------------------------------------------------------------ */

enum text_role { TEXT_REGULAR = 0, TEXT_BOLD = 1, TEXT_ROLES };

#define TEXT_PATH_MAX 512 /* a font file path */

/* Opens the font library and the line breaker. Font files are looked up in order:
 * $KIOSK_FONTS, fonts/ of the source tree (next to the binary's ../fonts or the
 * working directory's fonts/), /usr/share/kiosk/fonts, then TLWG Laksaman. Refuses
 * (K_EUSAGE, clear message) when no font is found, or when SDL_ttf lacks HarfBuzz
 * (TTF_SetFontScriptName returns -1: Thai would render wrong). Idempotent. */
kst text_init(struct kerr *err);
void text_quit(void);
/* When a visit ends: closes the font sizes not asked for since the last call and
 * drops the glyph bitmaps of the others (drawn again on first use). */
void text_trim(void);
/* Path of the face chosen for a role (after text_init), for logs and tests. */
const char *text_font_path(enum text_role role);
/* The cached font of role at px pixels (script Thai, LTR). NULL on failure. */
TTF_Font *text_font(enum text_role role, int px);

/* --- rendering -------------------------------------------------------------- */

enum text_align { TEXT_LEFT = 0, TEXT_CENTER = 1, TEXT_RIGHT = 2 };
enum text_valign { TEXT_TOP = 0, TEXT_MIDDLE = 1, TEXT_BOTTOM = 2 };

struct text_style {
	enum text_role role;
	int px;                 /* font size in pixels (callers apply large-text scaling) */
	SDL_Color color;        /* alpha 0 is taken as opaque */
	enum text_align align;
	enum text_valign valign; /* inside the box given to text_draw */
	int max_lines;          /* 0: unlimited; else cut with an ellipsis */
	int line_pct;           /* line pitch in % of the font's line skip; 0 = 100 */
	int mono;               /* 1: no anti-aliasing (1-bit printer output) */
};

/* The largest size of st->px, st->px - step, st->px - 2*step ... (not below min_px) at
 * which s on one line is at most max_w wide; w and h (optional) get its size there.
 * A few sizes measured, not the whole walk down. */
int text_fit_px(const char *s, const struct text_style *st, int max_w, int min_px, int step,
		int *w, int *h);

/* Size of the paragraph s wrapped at wrap_w (<= 0: no wrapping): width of the widest
 * line and total height, including the room kept for stacked Thai marks above the
 * first line and below the last. Results are memoised (cheap to call every frame). */
kst text_measure(const char *s, const struct text_style *st, int wrap_w, int *w, int *h,
		 int *nlines);
/* Renders a paragraph into a new ARGB8888 surface with a transparent background,
 * wrap_w wide (natural width when wrap_w <= 0). The caller frees it. */
SDL_Surface *text_render(const char *s, const struct text_style *st, int wrap_w,
			 struct kerr *err);

/* --- texture cache ------------------------------------------------------------ */

struct text_cache;

/* One string drawn in the current frame (for tests, --script assert-text). */
struct text_drawn {
	char *text;      /* the string as passed to text_draw */
	SDL_Rect box;    /* where the caller wanted it */
	SDL_Rect ink;    /* the paragraph's rectangle as placed (may exceed box) */
	SDL_Rect clip;   /* the visible area at the time (box ∩ clip ∩ window) */
	int overflow;    /* 1: ink did not fit in box (it was clipped to box) */
	int truncated;   /* 1: an ellipsis cut the text */
	int hidden;      /* 1: nothing of it was visible (scrolled out) */
};

/* Bytes of textures kept beyond the frame on show (whose texts are always kept).
 * Measured on 1080x1920 (text cache statistics of `kiosk shot`): one screen's texts
 * take 1.4-3.6 MB, up to 4.7 MB in large text (the ticket in English). A visit never
 * goes back a screen it left but the attract screen, so more buys little: 60 visits
 * cost the same CPU with 3 MB as with 6 MB (8.0-8.5 s either way, headless), and
 * 3 MB keeps a kiosk 3.5-4 MB smaller (peak 41 MB against 44.5 MB; make soak). The
 * old 24 MB held 64 MB of RSS. */
#define TEXT_CACHE_DEFAULT_BUDGET (3u << 20)

struct text_cache *text_cache_new(SDL_Renderer *r, size_t budget_bytes);
void text_cache_free(struct text_cache *c);
/* Starts a frame: clears the drawn-string log; entries used from now are kept even
 * over budget until the next frame. */
void text_cache_frame(struct text_cache *c);
/* Draws s inside box (wrapping at box.w). Never draws outside box. info (optional)
 * gets the log entry. Returns the paragraph height (even when clipped). */
int text_draw(struct text_cache *c, const char *s, const struct text_style *st, SDL_Rect box,
	      struct text_drawn *info);
/* The log of this frame. */
const struct text_drawn *text_cache_drawn(const struct text_cache *c, int *n);
/* Personal data (a card holder's name) left the screen: every cached paragraph,
 * memoised size and logged string of this frame that contains needle is zeroed
 * (explicit_bzero; the texture's pixels overwritten) and dropped. Returns how many
 * were dropped. Strings drawn without the needle are kept. */
int text_cache_forget(struct text_cache *c, const char *needle);
struct text_cache_stats {
	size_t bytes, entries, hits, misses, evictions;
};
void text_cache_stats(const struct text_cache *c, struct text_cache_stats *out);

#endif
