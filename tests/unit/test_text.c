/* The text engine: dates, digits, layout (pure, with a fake width), then the real
 * fonts: no character lost at any width, clusters kept whole, Thai shaping applied,
 * marks never cut, nothing drawn outside its box, the texture cache. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bitmap.h"
#include "tap.h"
#include "text/text.h"

#define CORPUS "tests/data/thai_breaks.txt"
#define CORPUS_MAX 128
#define LINE_BYTES 4096

/* --- helpers ---------------------------------------------------------------- */

/* Fake width: 10 px per character that is not a combining mark. */
static int fake_width(void *ctx, const char *s, size_t len)
{
	int w = 0;
	(void)ctx;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		i += text_utf8_decode(s, len, i, &c);
		if (!(c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E)))
			w += 10;
	}
	return w;
}

static int ttf_width(void *ctx, const char *s, size_t len)
{
	char b[LINE_BYTES];
	int w = 0, h = 0;
	if (len >= sizeof b)
		return 1 << 20;
	memcpy(b, s, len);
	b[len] = 0;
	if (len)
		TTF_SizeUTF8(ctx, b, &w, &h);
	return w;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Every character is on some line, in order; only whitespace is dropped at the
 * line ends; every line starts on a grapheme boundary. Returns "" or a reason. */
static const char *check_lossless(const char *s, const struct text_lines *L, const uint8_t *fl)
{
	size_t pos = 0, len = strlen(s);
	for (int k = 0; k < L->n; k++) {
		const struct text_line *ln = &L->v[k];
		if (ln->start < pos)
			return "lines overlap";
		for (size_t i = pos; i < ln->start; i++)
			if (!is_ws(s[i]))
				return "a character between lines was dropped";
		if (ln->start < len && !(fl[ln->start] & TEXT_BRK_CLUSTER))
			return "a line starts inside a cluster";
		if (ln->start + ln->len < len && !(fl[ln->start + ln->len] & TEXT_BRK_CLUSTER))
			return "a line ends inside a cluster";
		pos = ln->start + ln->len;
	}
	for (size_t i = pos; i < len; i++)
		if (!is_ws(s[i]))
			return "text after the last line was dropped";
	return "";
}

static int corpus(char lines[CORPUS_MAX][LINE_BYTES])
{
	FILE *f = fopen(CORPUS, "r");
	char buf[LINE_BYTES];
	int n = 0;
	if (!f)
		return 0;
	while (n < CORPUS_MAX && fgets(buf, sizeof buf, f)) {
		size_t o = 0;
		for (char *p = buf; *p && *p != '\n'; p++)
			if (*p != '|')
				lines[n][o++] = *p;
		lines[n][o] = 0;
		if (o)
			n++;
	}
	fclose(f);
	return n;
}

static uint32_t px_at(SDL_Surface *s, int x, int y)
{
	return ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
}

static long alpha_sum(SDL_Surface *s)
{
	long sum = 0;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			sum += px_at(s, x, y) >> 24;
	return sum;
}

/* Lowest row with ink at or above the alpha threshold. */
static int ink_bottom(SDL_Surface *s)
{
	for (int y = s->h - 1; y >= 0; y--)
		for (int x = 0; x < s->w; x++)
			if ((px_at(s, x, y) >> 24) > 128)
				return y;
	return -1;
}

/* Runs of inked rows above row `limit` (separated by blank rows). */
static int ink_bands_above(SDL_Surface *s, int limit)
{
	int bands = 0, in = 0;
	for (int y = 0; y < limit && y < s->h; y++) {
		int row = 0;
		for (int x = 0; x < s->w; x++)
			row |= (px_at(s, x, y) >> 24) > 100;
		if (row && !in)
			bands++;
		in = row;
	}
	return bands;
}

static int ink_top(SDL_Surface *s)
{
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			if ((px_at(s, x, y) >> 24) > 100)
				return y;
	return -1;
}

/* --- pure layer ---------------------------------------------------------------- */

static void test_dates(void)
{
	char b[TEXT_DATE_MAX];
	OK(text_date(2026, 11, 24, 2, TEXT_TH, 0, b, sizeof b) == K_OK, "Thai date");
	IS_STR(b, "24 พ.ย. 2569", "short Thai date in the Buddhist era");
	text_date(2026, 11, 24, 2, TEXT_TH, TEXT_DATE_FULL, b, sizeof b);
	IS_STR(b, "24 พฤศจิกายน 2569", "full Thai month");
	text_date(2026, 11, 24, 2, TEXT_TH, TEXT_DATE_FULL | TEXT_DATE_WEEKDAY, b, sizeof b);
	IS_STR(b, "วันอังคารที่ 24 พฤศจิกายน 2569", "Thai weekday and full month");
	text_date(2026, 11, 24, 2, TEXT_TH, TEXT_DATE_THAI_DIGITS, b, sizeof b);
	IS_STR(b, "๒๔ พ.ย. ๒๕๖๙", "Thai digits");
	text_date(2026, 11, 24, 2, TEXT_EN, 0, b, sizeof b);
	IS_STR(b, "24 Nov 2026", "English short date keeps the Gregorian year");
	text_date(2027, 1, 1, 5, TEXT_EN, TEXT_DATE_FULL | TEXT_DATE_WEEKDAY, b, sizeof b);
	IS_STR(b, "Friday 1 January 2027", "English weekday and full month");
	text_date(2026, 2, 28, 6, TEXT_TH, 0, b, sizeof b);
	IS_STR(b, "28 ก.พ. 2569", "February abbreviation");
	IS_INT(text_date(2026, 13, 1, 0, TEXT_TH, 0, b, sizeof b), K_EUSAGE, "month 13 refused");
	IS_INT(text_date(2026, 2, 30, 0, TEXT_TH, 0, b, sizeof b), K_EUSAGE, "30 February refused");
	IS_INT(text_date(2026, 11, 24, 2, TEXT_TH, 0, b, 8), K_EUSAGE, "small buffer refused");
	IS_STR(b, "", "and left empty");
	text_thai_digits("A023 15:30", b, sizeof b);
	IS_STR(b, "A๐๒๓ ๑๕:๓๐", "digits converted, letters and punctuation kept");
	IS_INT(text_thai_digits("12345", b, 10), K_EUSAGE, "Thai digits: small buffer refused");
}

static void test_layout_pure(void)
{
	struct text_lines L;
	const char *s;

	OK(text_layout("", 100, fake_width, NULL, 0, 0, &L) == K_OK && L.n == 1 && L.v[0].len == 0,
	   "empty string: one empty line");
	text_lines_free(&L);

	s = "หนังสือรับรองความเป็นโสด";
	text_layout(s, 80, fake_width, NULL, 0, 0, &L);
	int okw = 1;
	for (int i = 0; i < L.n; i++)
		okw &= L.v[i].width <= 80;
	OK(okw && L.n >= 2, "Thai wraps at word breaks within the width (%d lines)", L.n);
	IS_INT(L.v[0].len, strlen("หนังสือ"), "first line is the word หนังสือ");
	text_lines_free(&L);

	s = "ก\nข\n\nค";
	text_layout(s, 0, fake_width, NULL, 0, 0, &L);
	IS_INT(L.n, 4, "explicit newlines make lines, an empty one included");
	text_lines_free(&L);

	s = "ABCDEFGHIJ";
	text_layout(s, 35, fake_width, NULL, 0, 0, &L);
	IS_INT(L.n, 4, "a word longer than the line is split by characters");
	IS_INT(L.v[0].len, 3, "three letters fit in 35 px");
	text_lines_free(&L);

	s = "น้ำน้ำน้ำ";
	text_layout(s, 15, fake_width, NULL, 0, 0, &L);
	int whole = L.n == 3;
	for (int i = 0; i < L.n; i++)
		whole &= L.v[i].len == strlen("น้ำ");
	OK(whole, "a cluster is never split: น้ำ stays whole even on a too-narrow line");
	text_lines_free(&L);

	s = "พยานบุคคลอายุ 20 ปีขึ้นไป 2 คน พร้อมสำเนาบัตรประจำตัวประชาชน";
	text_layout(s, 120, fake_width, NULL, 2, 10, &L);
	OK(L.n == 2 && L.truncated && L.v[1].ellipsis && L.v[1].width <= 120,
	   "max 2 lines: cut with an ellipsis that fits (%d lines, last %d px)", L.n,
	   L.n > 1 ? L.v[1].width : -1);
	text_lines_free(&L);
	text_layout("สั้น", 120, fake_width, NULL, 2, 10, &L);
	OK(L.n == 1 && !L.truncated, "short text: no ellipsis");
	text_lines_free(&L);

	s = "ขอบคุณ   ที่ใช้บริการ";
	text_layout(s, 85, fake_width, NULL, 0, 0, &L);
	OK(L.n == 2 && L.v[0].len == strlen("ขอบคุณ") && !strncmp(s + L.v[1].start, "ที่", 3),
	   "spaces at a break are dropped, not carried to the next line");
	text_lines_free(&L);

	/* Invalid UTF-8 is kept byte for byte, never read past the end. */
	char bad[] = {'A', (char)0xE0, (char)0xB8, 'B', (char)0xFF, 0};
	uint8_t fl[8];
	text_breaks(bad, 5, fl);
	text_layout(bad, 1000, fake_width, NULL, 0, 0, &L);
	OK(L.n == 1 && L.v[0].len == 5, "invalid UTF-8 survives layout");
	text_lines_free(&L);
}

/* --- real fonts ------------------------------------------------------------------ */

static void test_lossless(char lines[CORPUS_MAX][LINE_BYTES], int n)
{
	TTF_Font *f = text_font(TEXT_REGULAR, 32);
	static const int widths[] = {24, 40, 57, 80, 99, 130, 177, 230, 301, 388, 480, 640, 1000};
	for (int k = 0; k < n; k++) {
		const char *s = lines[k];
		size_t len = strlen(s);
		uint8_t *fl = malloc(len + 1);
		const char *why = "";
		int wide = 0;
		text_breaks(s, len, fl);
		for (size_t w = 0; w < sizeof widths / sizeof widths[0] && !*why; w++) {
			struct text_lines L;
			if (text_layout(s, widths[w], ttf_width, f, 0, 0, &L)) {
				why = "layout failed";
				break;
			}
			why = check_lossless(s, &L, fl);
			for (int i = 0; i < L.n && !*why; i++) {
				const struct text_line *ln = &L.v[i];
				/* Only a single cluster may be wider than the line. */
				if (ln->width > widths[w] &&
				    text_next_cluster(s, len, ln->start) < ln->start + ln->len) {
					why = "a line is wider than the box";
					wide = widths[w];
				}
			}
			text_lines_free(&L);
		}
		OK(!*why, "corpus %d: nothing lost at 13 widths%s%s (%d)", k + 1, *why ? ": " : "", why,
		   wide);
		free(fl);
	}
}

static void test_fonts_and_shaping(void)
{
	const char *p = text_font_path(TEXT_REGULAR);
	OK(p && (strstr(p, "Sarabun-Regular.ttf") || strstr(p, "/tlwg/")),
	   "regular face is Sarabun or TLWG (%s)", p ? p : "none");
	OK(!p || !strstr(p, "Noto"), "never Noto Sans Thai");
	OK(text_font(TEXT_BOLD, 40) && text_font(TEXT_BOLD, 40) == text_font(TEXT_BOLD, 40),
	   "bold font at 40 px is cached");

	/* น้ำ: shaped, the tone mark sits above the nikhahit with a gap; without the
	 * script they collide into one blob. */
	SDL_Color k = {0, 0, 0, 255};
	TTF_Font *shaped = text_font(TEXT_REGULAR, 64);
	TTF_Font *plain = TTF_OpenFont(p, 64);
	SDL_Surface *base = TTF_RenderUTF8_Blended(shaped, "น", k);
	SDL_Surface *a = TTF_RenderUTF8_Blended(shaped, "น้ำ", k);
	SDL_Surface *b = TTF_RenderUTF8_Blended(plain, "น้ำ", k);
	/* The consonant's top, on the same baseline grid as the mark renders. */
	int base_top = ink_top(base) + (a->h - base->h);
	int plain_base_top = ink_top(base) + (b->h - base->h);
	int na = ink_bands_above(a, base_top), nb = ink_bands_above(b, plain_base_top);
	OK(na == 2, "น้ำ shaped: tone and nikhahit are separate (%d bands above น)", na);
	OK(nb == 1, "control: without script Thai they collide (%d band)", nb);
	SDL_FreeSurface(base);
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	TTF_CloseFont(plain);
}

static void test_render(void)
{
	struct text_style st = {.role = TEXT_REGULAR, .px = 48, .color = {0, 0, 0, 255}};
	const char *marks = "น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น";
	struct kerr err = {0};

	/* Nothing cut: the paragraph holds exactly the ink of the line SDL_ttf makes. */
	SDL_Surface *para = text_render(marks, &st, 0, &err);
	SDL_Surface *line = TTF_RenderUTF8_Blended(text_font(TEXT_REGULAR, 48), marks,
						   (SDL_Color){0, 0, 0, 255});
	OK(para && line && alpha_sum(para) == alpha_sum(line),
	   "marks above and below are not cut (ink %ld vs %ld)", para ? alpha_sum(para) : -1,
	   line ? alpha_sum(line) : -1);
	SDL_FreeSurface(para);
	SDL_FreeSurface(line);

	/* Wrapped in a narrow box: every line's ink is there, nothing wider than the box. */
	const char *long_s = "พยานบุคคลอายุ 20 ปีขึ้นไป 2 คน พร้อมสำเนาบัตรประจำตัวประชาชน น้ำ ป้ำ ฝั่ง";
	para = text_render(long_s, &st, 300, &err);
	struct text_lines L;
	TTF_Font *f = text_font(TEXT_REGULAR, 48);
	text_layout(long_s, 300, ttf_width, f, 0, 0, &L);
	long want = 0;
	for (int i = 0; i < L.n; i++) {
		char b[LINE_BYTES];
		memcpy(b, long_s + L.v[i].start, L.v[i].len);
		b[L.v[i].len] = 0;
		SDL_Surface *ls = TTF_RenderUTF8_Blended(f, b, (SDL_Color){0, 0, 0, 255});
		want += alpha_sum(ls);
		SDL_FreeSurface(ls);
	}
	long got = para ? alpha_sum(para) : -1;
	/* Lines merge by max coverage, so overlap could only lower the sum slightly. */
	OK(para && para->w <= 300 && got <= want && got > want * 98 / 100,
	   "wrapped paragraph keeps all lines' ink (%ld of %ld), width %d <= 300", got, want,
	   para ? para->w : -1);
	int h = 0, nl = 0;
	text_measure(long_s, &st, 300, NULL, &h, &nl);
	OK(para && h == para->h && nl == L.n, "text_measure agrees with the render (%d px, %d lines)",
	   h, nl);
	text_lines_free(&L);
	SDL_FreeSurface(para);

	/* Baselines: a line with stacked marks sits on the same baseline as one without. */
	SDL_Surface *p1 = text_render("ปน", &st, 0, &err), *p2 = text_render("ปิ่น", &st, 0, &err);
	OK(p1 && p2 && p1->h == p2->h && ink_bottom(p1) == ink_bottom(p2),
	   "ปิ่น and ปน share a baseline (bottom ink %d vs %d)", p1 ? ink_bottom(p1) : -1,
	   p2 ? ink_bottom(p2) : -1);
	SDL_FreeSurface(p1);
	SDL_FreeSurface(p2);

	/* Mono (printer) output is strictly 0 or 255 alpha. */
	st.mono = 1;
	para = text_render("บัตรคิว A023", &st, 0, &err);
	int two = para != NULL;
	for (int y = 0; para && y < para->h; y++)
		for (int x = 0; x < para->w; x++) {
			uint32_t a8 = px_at(para, x, y) >> 24;
			two &= a8 == 0 || a8 == 255;
		}
	OK(two, "mono render is 1-bit");
	SDL_FreeSurface(para);

	/* The printer path: a 58 mm ticket (384 dots) line wraps inside the paper and
	 * thresholds to black dots. */
	st.mono = 0;
	st.px = 40;
	para = text_render("หนังสือรับรองความเป็นโสด สำนักงานเขตบางแค กรุณารอเรียกคิว", &st, 384, &err);
	struct bitmap bm = {0};
	kst brc = para ? bitmap_from_argb32(&bm, para->pixels, para->w, para->h, para->pitch, 128,
					    &err)
		       : K_EFAIL;
	long black = brc ? 0 : bitmap_count_black(&bm);
	OK(para && para->w <= 384 && black > 1000,
	   "ticket text fits 384 dots and prints black dots (%ld)", black);
	bitmap_free(&bm);
	SDL_FreeSurface(para);
}

static void test_cache(char lines[CORPUS_MAX][LINE_BYTES], int n)
{
	SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 800, 600, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(target);
	struct text_cache *c = text_cache_new(r, 400 * 1024);
	struct text_style st = {.role = TEXT_REGULAR, .px = 36, .color = {0, 0, 0, 255}};
	struct text_cache_stats s;
	struct text_drawn d;

	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	SDL_RenderClear(r);
	text_cache_frame(c);
	SDL_Rect boxes[3] = {{20, 20, 360, 200}, {420, 20, 360, 200}, {20, 300, 760, 120}};
	st.align = TEXT_LEFT;
	text_draw(c, lines[3], &st, boxes[0], &d);
	OK(!d.overflow && !d.hidden, "paragraph fits its box");
	st.align = TEXT_RIGHT;
	text_draw(c, "สำนักงานเขตบางแค", &st, boxes[1], NULL);
	st.align = TEXT_CENTER;
	st.valign = TEXT_MIDDLE;
	text_draw(c, "น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น", &st, boxes[2], NULL);
	/* A box too small: the text is clipped to it and the log says so. */
	st.valign = TEXT_TOP;
	SDL_Rect tiny = {20, 460, 200, 40};
	text_draw(c, lines[3], &st, tiny, &d);
	OK(d.overflow, "too-small box is reported as overflow");
	SDL_RenderPresent(r);
	int outside = 0;
	for (int y = 0; y < target->h; y++)
		for (int x = 0; x < target->w; x++) {
			if ((px_at(target, x, y) & 0xFFFFFF) == 0xFFFFFF)
				continue;
			SDL_Point pt = {x, y};
			int in = SDL_PointInRect(&pt, &tiny);
			for (int b = 0; b < 3; b++)
				in |= SDL_PointInRect(&pt, &boxes[b]);
			outside += !in;
		}
	IS_INT(outside, 0, "no pixel drawn outside the boxes");
	int nd;
	const struct text_drawn *log = text_cache_drawn(c, &nd);
	OK(nd == 4 && !strcmp(log[1].text, "สำนักงานเขตบางแค") &&
	   log[1].ink.x + log[1].ink.w == boxes[1].x + boxes[1].w,
	   "drawn log lists the strings; right alignment touches the box's right edge");
	OK(log[2].ink.x - boxes[2].x == boxes[2].x + boxes[2].w - (log[2].ink.x + log[2].ink.w) ||
	   log[2].ink.x - boxes[2].x == boxes[2].x + boxes[2].w - (log[2].ink.x + log[2].ink.w) - 1,
	   "centered text has equal margins");

	/* Same text again: a hit, no new texture. */
	text_cache_stats(c, &s);
	size_t misses = s.misses;
	text_cache_frame(c);
	st.align = TEXT_LEFT;
	text_draw(c, lines[3], &st, boxes[0], NULL);
	text_cache_stats(c, &s);
	IS_INT(s.misses, misses, "redrawing the same text is a cache hit");
	/* Many strings over several frames: the byte budget holds. */
	for (int i = 0; i < n; i++) {
		text_cache_frame(c);
		text_draw(c, lines[i], &st, (SDL_Rect){0, 0, 700, 400}, NULL);
	}
	text_cache_stats(c, &s);
	OK(s.bytes <= 400 * 1024 + 700 * 400 * 4 && s.evictions > 0,
	   "LRU keeps the budget (%zu bytes, %zu evictions)", s.bytes, s.evictions);
	text_cache_free(c);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(target);
}

/* A text outside the viewport (below the fold of a scroll view) is logged with the size
 * it would have, and hidden, but nothing is rendered or cached for it; scrolled into
 * view it is drawn at that very size. */
static void test_hidden_not_rendered(char lines[CORPUS_MAX][LINE_BYTES])
{
	SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 400, 300, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(target);
	struct text_cache *c = text_cache_new(r, 0);
	struct text_style st = {.role = TEXT_REGULAR, .px = 30, .color = {0, 0, 0, 255}};
	struct text_cache_stats s;
	struct text_drawn below, shown;

	text_cache_frame(c);
	int h = text_draw(c, lines[3], &st, (SDL_Rect){10, 900, 380, 400}, &below);
	text_cache_stats(c, &s);
	OK(below.hidden && h > 0 && below.ink.w > 0 && below.ink.h == h,
	   "below the viewport: hidden, with its size (%dx%d)", below.ink.w, below.ink.h);
	IS_INT((int)s.entries, 0, "and nothing rendered or cached for it");
	text_cache_frame(c);
	text_draw(c, lines[3], &st, (SDL_Rect){10, 0, 380, 400}, &shown);
	text_cache_stats(c, &s);
	OK(!shown.hidden && s.entries == 1 && shown.ink.w == below.ink.w &&
	       shown.ink.h == below.ink.h,
	   "scrolled into view: drawn at the same size (%dx%d)", shown.ink.w, shown.ink.h);
	text_cache_free(c);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(target);
}

/* The printer thread and the screen share fonts: renders on two threads at once must
 * give exactly what one thread gives. */
struct job {
	int px;
	long want, bad;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	struct text_style st = {.role = TEXT_BOLD, .px = j->px, .color = {0, 0, 0, 255}};
	for (int i = 0; i < 30; i++) {
		struct kerr err = {0};
		SDL_Surface *s = text_render("บัตรคิว A023 สำนักงานเขตบางแค น้ำ ป้ำ", &st, 300, &err);
		if (!s || alpha_sum(s) != j->want)
			j->bad++;
		SDL_FreeSurface(s);
	}
	return NULL;
}

static void test_threads(void)
{
	struct job jobs[2] = {{.px = 30}, {.px = 37}};
	pthread_t th[2];
	for (int k = 0; k < 2; k++) {
		struct text_style st = {.role = TEXT_BOLD, .px = jobs[k].px, .color = {0, 0, 0, 255}};
		struct kerr err = {0};
		SDL_Surface *s = text_render("บัตรคิว A023 สำนักงานเขตบางแค น้ำ ป้ำ", &st, 300, &err);
		jobs[k].want = s ? alpha_sum(s) : -1;
		SDL_FreeSurface(s);
	}
	for (int k = 0; k < 2; k++)
		pthread_create(&th[k], NULL, render_many, &jobs[k]);
	for (int k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	OK(jobs[0].bad == 0 && jobs[1].bad == 0, "two threads render the same as one (%ld, %ld differ)",
	   jobs[0].bad, jobs[1].bad);
}

/* text_fit_px jumps instead of walking down the sizes (each size a font opened); it
 * must land where the walk did, or tickets would print their numbers another size. */
static void test_fit(void)
{
	const char *nums[] = {"A001", "B123", "I999", "WWWW", "1111", "D042", "ฝั่ง"};
	int checked = 0, wrong = 0;
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		for (int max_w = 60; max_w <= 1000; max_w += 37) {
			struct text_style st = {.role = TEXT_BOLD, .px = 270, .mono = 1};
			int walk = 270, w = 0;
			for (; walk - 4 >= 22; walk -= 4) {
				st.px = walk;
				text_measure(nums[i], &st, 0, &w, NULL, NULL);
				if (w <= max_w)
					break;
			}
			st.px = 270;
			int got = text_fit_px(nums[i], &st, max_w, 22, 4, &w, NULL);
			wrong += got != walk || (w > max_w && got > 22);
			checked++;
		}
	IS_INT(wrong, 0, "the fitted size is the one walking down the sizes gives (%d cases)",
	       checked);
}

int main(void)
{
	static char lines[CORPUS_MAX][LINE_BYTES];
	struct kerr err = {0};
	int n = corpus(lines);

	test_dates();
	test_layout_pure();
	OK(n >= 40, "corpus loaded (%d strings)", n);
	if (!OK(text_init(&err) == K_OK, "text_init: %s", err.msg))
		return tap_done();
	test_lossless(lines, n);
	test_fonts_and_shaping();
	test_render();
	test_cache(lines, n);
	test_hidden_not_rendered(lines);
	test_threads();
	test_fit();
	text_quit();
	return tap_done();
}
