/**
 * @file text.c
 * @brief The rendering half of the text engine: font lookup and cache, paragraph
 * measuring and rendering line by line, and the texture cache for renderers.
 *
 * Vertical placement: SDL_ttf makes a line's surface taller than the font when
 * stacked Thai marks go above the ascent (ปิ่น) or below the descent (ฎุ), and
 * shifts the baseline down by the overflow without telling us. line_ystart()
 * recovers that shift, so every line sits on a common baseline grid, and each font
 * keeps a measured margin above the first line and below the last one, so marks are
 * never cut by the paragraph's own box.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

#define TEXT_FONTS_MAX 48    /* open (role, px) faces; a kiosk uses about a dozen */
#define TEXT_PX_MIN 4
#define TEXT_PX_MAX 1000
#define MEASURE_SLOTS 1024   /* memoised paragraph sizes (direct-mapped) */
#define CACHE_BUCKETS 1024   /* hash buckets of the texture cache */
#define STACK_STR 512        /* strings shorter than this are copied on the stack */

struct font_slot {
	int role, px;
	TTF_Font *f;
	int pad_top;     /* rows kept above the first line for stacked marks */
	int pad_bottom;  /* rows kept below the last line for deep marks */
	uint64_t used;
};

struct measure_slot {
	uint64_t hash;
	char *str;
	int role, px, wrap_w, max_lines, line_pct;
	int w, h, nlines, truncated;
	/* The line breaks too: a text that is then drawn is not laid out a second time
	 * (every visible string was, a quarter of the checklist's first frame). */
	struct text_lines lines;
};

/* Fonts, their glyph caches and the memo are shared: the ticket printer may lay out
 * text on another thread than the screen's. One recursive lock guards them. */
static pthread_mutex_t g_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static struct {
	int inited;
	int ttf_owned;
	char path[TEXT_ROLES][TEXT_PATH_MAX];
	/* The font files in memory: FreeType reads glyphs from its stream on every
	 * cache miss, and from a file that is a seek and a read each time. */
	void *data[TEXT_ROLES];
	size_t size[TEXT_ROLES];
	struct font_slot slot[TEXT_FONTS_MAX];
	uint64_t clock;
	uint64_t trim_mark; /* g.clock at the last text_trim */
	struct measure_slot measure[MEASURE_SLOTS];
} g;

/* --- font files -------------------------------------------------------------- */

static int readable(const char *p)
{
	return access(p, R_OK) == 0;
}

/* Opens a candidate just to see it has Thai, Latin and digits: Noto Sans Thai lacks
 * Latin and digits (IDs would be boxes), so it must never be picked. */
static int font_usable(const char *path)
{
	TTF_Font *f = TTF_OpenFont(path, 20);
	int ok;
	if (!f)
		return 0;
	ok = TTF_GlyphIsProvided32(f, 0x0E01) && TTF_GlyphIsProvided32(f, 0x0E33) &&
	     TTF_GlyphIsProvided32(f, 'A') && TTF_GlyphIsProvided32(f, '0') &&
	     TTF_GlyphIsProvided32(f, '/');
	TTF_CloseFont(f);
	return ok;
}

static int try_dir(const char *dir, const char *file, char out[TEXT_PATH_MAX])
{
	int n = snprintf(out, TEXT_PATH_MAX, "%s/%s", dir, file);
	if (n <= 0 || n >= TEXT_PATH_MAX)
		return 0;
	return readable(out) && font_usable(out);
}

static int find_font(enum text_role role, char out[TEXT_PATH_MAX])
{
	static const char *const own[TEXT_ROLES] = {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"};
	/* Laksaman is TH Sarabun New's design; Garuda and Loma are the other TLWG
	 * sans faces with Latin and digits. */
	static const char *const tlwg[TEXT_ROLES][3] = {
		{"Laksaman.ttf", "Garuda.ttf", "Loma.ttf"},
		{"Laksaman-Bold.ttf", "Garuda-Bold.ttf", "Loma-Bold.ttf"},
	};
	const char *env = getenv("KIOSK_FONTS");
	char dir[TEXT_PATH_MAX];

	if (env && *env) {
		/* A colon-separated list replaces the tree and installed folders. */
		const char *p = env;
		while (*p) {
			size_t n = strcspn(p, ":");
			if (n && n < sizeof dir) {
				memcpy(dir, p, n);
				dir[n] = 0;
				if (try_dir(dir, own[role], out))
					return 1;
			}
			p += n;
			if (*p == ':')
				p++;
		}
	} else {
		char exe[TEXT_PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = 0;
			char *slash = strrchr(exe, '/');
			if (slash) {
				*slash = 0;
				/* build/kiosk -> ../fonts; build/tests/x -> ../../fonts */
				snprintf(dir, sizeof dir, "%.400s/../fonts", exe);
				if (try_dir(dir, own[role], out))
					return 1;
				snprintf(dir, sizeof dir, "%.400s/../../fonts", exe);
				if (try_dir(dir, own[role], out))
					return 1;
			}
		}
		if (try_dir("fonts", own[role], out) ||
		    try_dir("/usr/share/kiosk/fonts", own[role], out))
			return 1;
	}
	for (int k = 0; k < 3; k++)
		if (try_dir("/usr/share/fonts/truetype/tlwg", tlwg[role][k], out))
			return 1;
	return 0;
}

/* Zeroed before it is freed: any string may be a card holder's name. */
static void str_wipe(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
}

/* --- line metrics ------------------------------------------------------------ */

static int ttf_size(TTF_Font *f, const char *s, size_t len, int *w, int *h)
{
	char stackbuf[STACK_STR];
	char *b = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
	int rc;
	if (!b)
		return -1;
	memcpy(b, s, len);
	b[len] = 0;
	rc = TTF_SizeUTF8(f, b, w, h);
	explicit_bzero(b, len); /* the text may be a card holder's name */
	if (b != stackbuf)
		free(b);
	return rc;
}

static int width_fn(void *ctx, const char *s, size_t len)
{
	int w = 0, h = 0;
	if (len == 0 || ttf_size(ctx, s, len, &w, &h) < 0)
		return 0;
	return w;
}

static int is_upper_mark(uint32_t c)
{
	return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E37) || (c >= 0x0E47 && c <= 0x0E4E) ||
	       (c >= 0x0300 && c <= 0x0314) || (c >= 0x033D && c <= 0x0344) ||
	       (c >= 0x0363 && c <= 0x036F);
}

/* How far SDL_ttf pushed the baseline down in a line's surface: the line is
 * measured again without its upper marks (SARA AM without its nikhahit), which can
 * only lower the top, never move the bottom. */
static int line_ystart(TTF_Font *f, const char *s, size_t len, int h)
{
	char stackbuf[STACK_STR];
	char *b;
	size_t o = 0;
	int w2 = 0, h2 = 0;

	if (h <= TTF_FontHeight(f))
		return 0;
	b = len * 2 < sizeof stackbuf ? stackbuf : malloc(len * 2 + 1);
	if (!b)
		return 0;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t k = text_utf8_decode(s, len, i, &c);
		if (c == 0x0E33) {
			memcpy(b + o, "\xE0\xB8\xB2", 3); /* ำ -> า */
			o += 3;
		} else if (!is_upper_mark(c)) {
			memcpy(b + o, s + i, k);
			o += k;
		}
		i += k;
	}
	b[o] = 0;
	if (o == 0 || TTF_SizeUTF8(f, b, &w2, &h2) < 0)
		h2 = TTF_FontHeight(f);
	explicit_bzero(b, o);
	if (b != stackbuf)
		free(b);
	return h > h2 ? h - h2 : 0;
}

static void font_pads(struct font_slot *fs)
{
	static const char top_probe[] = "ปิ๊ ฟื้ ฝั่ ป๋ ป้ำ ฬิ์ ÅÉ";
	static const char bottom_probe[] = "ฎุ ฏู ญู ฐุ ฤ ฦ gjpqy Ç";
	int w, h, H = TTF_FontHeight(fs->f);

	fs->pad_top = fs->pad_bottom = 0;
	if (TTF_SizeUTF8(fs->f, top_probe, &w, &h) == 0)
		fs->pad_top = line_ystart(fs->f, top_probe, sizeof top_probe - 1, h);
	if (TTF_SizeUTF8(fs->f, bottom_probe, &w, &h) == 0) {
		int ys = line_ystart(fs->f, bottom_probe, sizeof bottom_probe - 1, h);
		fs->pad_bottom = h - H - ys > 0 ? h - H - ys : 0;
	}
}

/* --- fonts --------------------------------------------------------------------- */

static kst init_unlocked(struct kerr *err)
{
	if (g.inited)
		return K_OK;
	if (!TTF_WasInit()) {
		if (TTF_Init() < 0)
			return kerr_set(err, K_EFAIL, "SDL_ttf: %s", TTF_GetError());
		g.ttf_owned = 1;
	}
	for (int r = 0; r < TEXT_ROLES; r++) {
		if (!find_font(r, g.path[r])) {
			kerr_set(err, K_EUSAGE,
				 "no Thai font found (fonts/Sarabun-%s.ttf: run `make deps`, or "
				 "install fonts-thai-tlwg)",
				 r == TEXT_BOLD ? "Bold" : "Regular");
			goto fail;
		}
	}
	for (int r = 0; r < TEXT_ROLES; r++) {
		g.data[r] = SDL_LoadFile(g.path[r], &g.size[r]);
		if (!g.data[r]) {
			kerr_set(err, K_EUSAGE, "%s: %s", g.path[r], SDL_GetError());
			goto fail;
		}
	}
	/* SDL_ttf without HarfBuzz cannot shape Thai: marks collide. Refuse to start. */
	{
		TTF_Font *f = TTF_OpenFont(g.path[TEXT_REGULAR], 20);
		int rc = f ? TTF_SetFontScriptName(f, "Thai") : -1;
		if (f)
			TTF_CloseFont(f);
		if (rc < 0) {
			kerr_set(err, K_EUSAGE,
				 "SDL_ttf cannot shape Thai (TTF_SetFontScriptName failed: built "
				 "without HarfBuzz?); refusing to start");
			goto fail;
		}
	}
	g.inited = 1;
	return K_OK;
fail:
	for (int r = 0; r < TEXT_ROLES; r++) {
		SDL_free(g.data[r]);
		g.data[r] = NULL;
	}
	if (g.ttf_owned)
		TTF_Quit();
	g.ttf_owned = 0;
	return err ? err->code : K_EUSAGE;
}

static void quit_unlocked(void)
{
	for (int i = 0; i < TEXT_FONTS_MAX; i++) {
		if (g.slot[i].f)
			TTF_CloseFont(g.slot[i].f);
	}
	for (int i = 0; i < MEASURE_SLOTS; i++) {
		free(g.measure[i].str);
		text_lines_free(&g.measure[i].lines);
	}
	for (int r = 0; r < TEXT_ROLES; r++)
		SDL_free(g.data[r]);
	if (g.ttf_owned)
		TTF_Quit();
	text_break_quit();
	memset(&g, 0, sizeof g);
}

const char *text_font_path(enum text_role role)
{
	return g.inited && role >= 0 && role < TEXT_ROLES ? g.path[role] : NULL;
}

static struct font_slot *font_slot(enum text_role role, int px)
{
	struct font_slot *victim = NULL;

	if (!g.inited || role < 0 || role >= TEXT_ROLES)
		return NULL;
	px = px < TEXT_PX_MIN ? TEXT_PX_MIN : px > TEXT_PX_MAX ? TEXT_PX_MAX : px;
	for (int i = 0; i < TEXT_FONTS_MAX; i++) {
		struct font_slot *s = &g.slot[i];
		if (s->f && s->role == (int)role && s->px == px) {
			s->used = ++g.clock;
			return s;
		}
		if (!victim || !s->f || (victim->f && s->used < victim->used))
			victim = s;
	}
	SDL_RWops *rw = SDL_RWFromConstMem(g.data[role], (int)g.size[role]);
	TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
	if (!f)
		return NULL;
	if (TTF_SetFontScriptName(f, "Thai") < 0 ||
	    TTF_SetFontDirection(f, TTF_DIRECTION_LTR) < 0) {
		TTF_CloseFont(f);
		return NULL;
	}
	TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
	if (victim->f)
		TTF_CloseFont(victim->f);
	*victim = (struct font_slot){.role = role, .px = px, .f = f, .used = ++g.clock};
	font_pads(victim);
	return victim;
}

static TTF_Font *font_unlocked(enum text_role role, int px)
{
	struct font_slot *s = font_slot(role, px);
	return s ? s->f : NULL;
}

/* --- paragraphs -------------------------------------------------------------------- */

struct para {
	struct font_slot *fs;
	struct text_lines lines;
	const char *ell; /* the ellipsis string this font can draw */
	int pitch, w, h;
};

static const char *ellipsis_of(TTF_Font *f)
{
	return TTF_GlyphIsProvided32(f, 0x2026) ? "\xE2\x80\xA6" : "...";
}

static int pitch_of(const struct text_style *st, TTF_Font *f)
{
	int pct = st->line_pct > 0 ? st->line_pct : 100;
	int p = (TTF_FontLineSkip(f) * pct + 50) / 100;
	return p > 0 ? p : 1;
}

static kst para_layout(const char *s, const struct text_style *st, int wrap_w, struct para *p,
		       struct kerr *err)
{
	memset(p, 0, sizeof *p);
	p->fs = font_slot(st->role, st->px);
	if (!p->fs)
		return kerr_set(err, K_EFAIL, "font %s at %d px: %s", text_font_path(st->role),
				st->px, TTF_GetError());
	p->ell = ellipsis_of(p->fs->f);
	int ell_w = st->max_lines > 0 ? width_fn(p->fs->f, p->ell, strlen(p->ell)) : 0;
	if (text_layout(s, wrap_w, width_fn, p->fs->f, st->max_lines, ell_w, &p->lines))
		return kerr_set(err, K_EFAIL, "out of memory laying out text");
	p->pitch = pitch_of(st, p->fs->f);
	for (int i = 0; i < p->lines.n; i++)
		if (p->lines.v[i].width > p->w)
			p->w = p->lines.v[i].width;
	p->h = p->fs->pad_top + (p->lines.n - 1) * p->pitch + TTF_FontHeight(p->fs->f) +
	       p->fs->pad_bottom;
	return K_OK;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *d = data;
	for (size_t i = 0; i < n; i++) {
		h ^= d[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t style_hash(const char *s, const struct text_style *st, int wrap_w, int with_look)
{
	uint32_t rgba = with_look ? ((uint32_t)st->color.r << 24 | (uint32_t)st->color.g << 16 |
				     (uint32_t)st->color.b << 8 | st->color.a)
				  : 0;
	int k[8] = {st->role, st->px, wrap_w, st->max_lines, st->line_pct > 0 ? st->line_pct : 100,
		    with_look ? (int)st->align : 0, with_look ? st->mono : 0, (int)rgba};
	uint64_t h = fnv(1469598103934665603ull, k, sizeof k);
	return fnv(h, s, strlen(s));
}

static kst measure_slot_get(const char *s, const struct text_style *st, int wrap_w,
			    const struct measure_slot **out);

static kst measure_unlocked(const char *s, const struct text_style *st, int wrap_w, int *w,
			     int *h, int *nlines)
{
	const struct measure_slot *m;
	kst rc = measure_slot_get(s, st, wrap_w, &m);
	if (rc)
		return rc;
	if (w)
		*w = m->w;
	if (h)
		*h = m->h;
	if (nlines)
		*nlines = m->nlines;
	return K_OK;
}

/* The memoised layout size of s (laid out on a miss). */
static kst measure_slot_get(const char *s, const struct text_style *st, int wrap_w,
			    const struct measure_slot **out)
{
	struct kerr err = {0};
	struct para p;
	int pct = st->line_pct > 0 ? st->line_pct : 100;
	uint64_t hash = style_hash(s, st, wrap_w, 0);
	struct measure_slot *m = &g.measure[hash % MEASURE_SLOTS];

	if (m->str && m->hash == hash && m->role == (int)st->role && m->px == st->px &&
	    m->wrap_w == wrap_w && m->max_lines == st->max_lines && m->line_pct == pct &&
	    strcmp(m->str, s) == 0)
		goto done;
	if (para_layout(s, st, wrap_w, &p, &err))
		return err.code;
	str_wipe(m->str);
	free(m->str);
	text_lines_free(&m->lines);
	*m = (struct measure_slot){.hash = hash, .str = strdup(s), .role = st->role,
				   .px = st->px, .wrap_w = wrap_w, .max_lines = st->max_lines,
				   .line_pct = pct, .w = p.w, .h = p.h, .nlines = p.lines.n,
				   .truncated = p.lines.truncated, .lines = p.lines};
	/* Without a copy of the key the slot cannot match later; the values stand. */
done:
	*out = m;
	return K_OK;
}

/* The paragraph a slot memoised, as para_layout() would lay it out again: the lines
 * are a copy (the caller frees them). */
static kst para_of_slot(const struct measure_slot *m, const struct text_style *st,
			struct para *p, struct kerr *err)
{
	memset(p, 0, sizeof *p);
	p->fs = font_slot(st->role, st->px);
	if (!p->fs)
		return kerr_set(err, K_EFAIL, "font %s at %d px: %s", text_font_path(st->role),
				st->px, TTF_GetError());
	p->ell = ellipsis_of(p->fs->f);
	p->lines.v = malloc((size_t)(m->lines.n > 0 ? m->lines.n : 1) * sizeof *p->lines.v);
	if (!p->lines.v)
		return kerr_set(err, K_EFAIL, "out of memory laying out text");
	memcpy(p->lines.v, m->lines.v, (size_t)m->lines.n * sizeof *p->lines.v);
	p->lines.n = m->lines.n;
	p->lines.truncated = m->lines.truncated;
	p->pitch = pitch_of(st, p->fs->f);
	p->w = m->w;
	p->h = m->h;
	return K_OK;
}

/* A laid-out paragraph's lines, rendered by SDL_ttf (white, anti-aliased), and the
 * width of the widest: what para_paint() puts together. */
struct para_lines {
	SDL_Surface **ls;
	int *ys; /* each line's baseline shift (line_ystart) */
	int n, w;
};

static void para_lines_free(struct para_lines *pl)
{
	if (pl->ls)
		for (int i = 0; i < pl->n; i++)
			SDL_FreeSurface(pl->ls[i]);
	free(pl->ls);
	free(pl->ys);
	memset(pl, 0, sizeof *pl);
}

static kst para_lines_render(const char *s, struct para *p, struct para_lines *pl,
			     struct kerr *err)
{
	int n = p->lines.n;
	SDL_Color white = {255, 255, 255, 255};
	TTF_Font *f = p->fs->f;

	*pl = (struct para_lines){.ls = calloc((size_t)n, sizeof *pl->ls),
				  .ys = calloc((size_t)n, sizeof *pl->ys), .n = n, .w = 1};
	if (!pl->ls || !pl->ys) {
		para_lines_free(pl);
		return kerr_set(err, K_EFAIL, "out of memory rendering text");
	}
	for (int i = 0; i < n; i++) {
		const struct text_line *ln = &p->lines.v[i];
		size_t el = ln->ellipsis ? strlen(p->ell) : 0;
		char stackbuf[STACK_STR];
		char *b;
		if (ln->len == 0 && !el)
			continue;
		b = ln->len + el < sizeof stackbuf ? stackbuf : malloc(ln->len + el + 1);
		if (!b) {
			para_lines_free(pl);
			return kerr_set(err, K_EFAIL, "out of memory rendering text");
		}
		memcpy(b, s + ln->start, ln->len);
		memcpy(b + ln->len, p->ell, el);
		b[ln->len + el] = 0;
		pl->ls[i] = TTF_RenderUTF8_Blended(f, b, white);
		if (pl->ls[i])
			pl->ys[i] = line_ystart(f, b, ln->len + el, pl->ls[i]->h);
		explicit_bzero(b, ln->len + el);
		if (b != stackbuf)
			free(b);
		if (!pl->ls[i]) {
			kerr_set(err, K_EFAIL, "rendering text: %s", TTF_GetError());
			para_lines_free(pl);
			return K_EFAIL;
		}
		if (pl->ls[i]->w > pl->w)
			pl->w = pl->ls[i]->w;
	}
	return K_OK;
}

/* Puts the rendered lines in one color onto px (ARGB8888, pl->w x p->h, zeroed, pitch
 * bytes a row). Lines are merged by taking the larger coverage, so marks reaching
 * into the next line's space never darken or cut it. */
static void para_paint(const struct text_style *st, const struct para *p,
		       const struct para_lines *pl, SDL_Color color, void *px, int pitch)
{
	int W = pl->w;
	uint32_t rgb = ((uint32_t)color.r << 16) | ((uint32_t)color.g << 8) | color.b;
	for (int i = 0; i < pl->n; i++) {
		SDL_Surface *l = pl->ls[i];
		if (!l)
			continue;
		int x0 = st->align == TEXT_CENTER ? (W - l->w) / 2 : st->align == TEXT_RIGHT ? W - l->w : 0;
		int y0 = p->fs->pad_top + i * p->pitch - pl->ys[i];
		SDL_LockSurface(l);
		for (int y = 0; y < l->h; y++) {
			int dy = y0 + y;
			if (dy < 0 || dy >= p->h)
				continue;
			const uint32_t *src = (const uint32_t *)((const uint8_t *)l->pixels + y * l->pitch);
			uint32_t *row = (uint32_t *)((uint8_t *)px + (size_t)dy * (size_t)pitch);
			for (int x = 0; x < l->w; x++) {
				int dx = x0 + x;
				uint32_t a = src[x] >> 24;
				if (!a || dx < 0 || dx >= W)
					continue;
				if (st->mono)
					a = a >= 128 ? 255 : 0;
				if (a > row[dx] >> 24)
					row[dx] = (a << 24) | rgb;
			}
		}
		SDL_UnlockSurface(l);
	}
}

/* Renders a laid-out paragraph in one color onto a new transparent surface. */
static SDL_Surface *para_render(const char *s, const struct text_style *st, struct para *p,
				SDL_Color color, struct kerr *err)
{
	struct para_lines pl;
	SDL_Surface *dst;

	if (para_lines_render(s, p, &pl, err))
		return NULL;
	dst = SDL_CreateRGBSurfaceWithFormat(0, pl.w, p->h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!dst) {
		kerr_set(err, K_EFAIL, "out of memory rendering text: %s", SDL_GetError());
	} else {
		SDL_FillRect(dst, NULL, 0);
		para_paint(st, p, &pl, color, dst->pixels, dst->pitch);
	}
	para_lines_free(&pl);
	return dst;
}

static SDL_Surface *render_unlocked(const char *s, const struct text_style *st, int wrap_w,
				    struct kerr *err)
{
	struct para p;
	SDL_Color c = st->color;
	SDL_Surface *out;

	if (para_layout(s, st, wrap_w, &p, err))
		return NULL;
	out = para_render(s, st, &p, c, err);
	text_lines_free(&p.lines);
	return out;
}

/* --- texture cache -------------------------------------------------------------------- */

struct centry {
	uint64_t hash;
	char *str;
	int role, px, wrap_w, max_lines, line_pct, align, mono;
	SDL_Color color;
	SDL_Texture *tex; /* the text in its color: a plain alpha blit, the software
			   * renderer's fast path (color modulation is several times slower) */
	int w, h, nlines, truncated;
	size_t bytes;
	uint64_t frame;   /* last frame it was drawn in */
	struct centry *hnext, *prev, *next;
};

struct text_cache {
	SDL_Renderer *r;
	int zeroed; /* new textures come cleared: the software renderer's streaming
		     * texture is a surface, which SDL clears when it makes it; others
		     * lock a staging buffer holding whatever was there */
	size_t budget;
	struct text_cache_stats st;
	uint64_t frame;
	struct centry *bucket[CACHE_BUCKETS];
	struct centry *head, *tail; /* most recently used first */
	struct text_drawn *log;
	int nlog, caplog;
};

struct text_cache *text_cache_new(SDL_Renderer *r, size_t budget_bytes)
{
	struct text_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	SDL_RendererInfo ri;
	c->r = r;
	c->zeroed = SDL_GetRendererInfo(r, &ri) == 0 && (ri.flags & SDL_RENDERER_SOFTWARE);
	c->budget = budget_bytes ? budget_bytes : TEXT_CACHE_DEFAULT_BUDGET;
	c->frame = 1;
	return c;
}

static void log_clear(struct text_cache *c)
{
	/* Zeroed, not just freed: a card holder's name may have been on screen. */
	for (int i = 0; i < c->nlog; i++) {
		if (c->log[i].text)
			explicit_bzero(c->log[i].text, strlen(c->log[i].text));
		free(c->log[i].text);
	}
	c->nlog = 0;
}

static void lru_unlink(struct text_cache *c, struct centry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_front(struct text_cache *c, struct centry *e)
{
	e->next = c->head;
	e->prev = NULL;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

static void entry_free(struct text_cache *c, struct centry *e)
{
	struct centry **pp = &c->bucket[e->hash % CACHE_BUCKETS];
	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	c->st.bytes -= e->bytes;
	c->st.entries--;
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	str_wipe(e->str);
	free(e->str);
	free(e);
}

void text_cache_free(struct text_cache *c)
{
	if (!c)
		return;
	while (c->head)
		entry_free(c, c->head);
	log_clear(c);
	free(c->log);
	free(c);
}

void text_cache_frame(struct text_cache *c)
{
	c->frame++;
	log_clear(c);
}

const struct text_drawn *text_cache_drawn(const struct text_cache *c, int *n)
{
	*n = c->nlog;
	return c->log;
}

void text_cache_stats(const struct text_cache *c, struct text_cache_stats *out)
{
	*out = c->st;
}

/* Overwrites a texture's pixels before SDL frees them (the software renderer keeps
 * them in plain heap memory). */
static void texture_zero(SDL_Texture *t)
{
	int w, h;
	if (!t || SDL_QueryTexture(t, NULL, NULL, &w, &h) || w <= 0 || h <= 0)
		return;
	void *z = calloc((size_t)w * (size_t)h, 4);
	if (z) {
		SDL_UpdateTexture(t, NULL, z, w * 4);
		free(z);
	}
}

int text_cache_forget(struct text_cache *c, const char *needle)
{
	int n = 0;
	if (!needle || !*needle)
		return 0;
	for (struct centry *e = c ? c->head : NULL, *next; e; e = next) {
		next = e->next;
		if (!e->str || !strstr(e->str, needle))
			continue;
		texture_zero(e->tex);
		str_wipe(e->str);
		entry_free(c, e);
		n++;
	}
	for (int i = 0; c && i < c->nlog; i++)
		if (c->log[i].text && strstr(c->log[i].text, needle)) {
			str_wipe(c->log[i].text);
			n++;
		}
	pthread_mutex_lock(&g_lock);
	for (int i = 0; i < MEASURE_SLOTS; i++) {
		struct measure_slot *m = &g.measure[i];
		if (m->str && strstr(m->str, needle)) {
			str_wipe(m->str);
			free(m->str);
			text_lines_free(&m->lines);
			explicit_bzero(m, sizeof *m);
			n++;
		}
	}
	pthread_mutex_unlock(&g_lock);
	return n;
}

/* Makes room for incoming bytes more, oldest first. */
static void evict(struct text_cache *c, size_t incoming)
{
	/* Never evict what this frame drew: its textures may still be queued. */
	while (c->st.bytes + incoming > c->budget && c->tail && c->tail->frame != c->frame) {
		entry_free(c, c->tail);
		c->st.evictions++;
	}
}

/* The cached texture of s in style st at wrap_w, or NULL (nothing is counted then). */
static struct centry *cache_find(struct text_cache *c, const char *s, const struct text_style *st,
				 int wrap_w)
{
	uint64_t h = style_hash(s, st, wrap_w, 1);
	int pct = st->line_pct > 0 ? st->line_pct : 100;
	struct centry *e;

	for (e = c->bucket[h % CACHE_BUCKETS]; e; e = e->hnext) {
		if (e->hash == h && e->role == (int)st->role && e->px == st->px &&
		    e->wrap_w == wrap_w && e->max_lines == st->max_lines && e->line_pct == pct &&
		    e->align == (int)st->align && e->mono == st->mono && e->color.r == st->color.r &&
		    e->color.g == st->color.g && e->color.b == st->color.b &&
		    e->color.a == st->color.a && !strcmp(e->str, s)) {
			c->st.hits++;
			lru_unlink(c, e);
			lru_front(c, e);
			e->frame = c->frame;
			return e;
		}
	}
	return NULL;
}

/* Renders the laid-out p (freed here) into a new cache entry: a miss. */
static struct centry *cache_add(struct text_cache *c, const char *s, const struct text_style *st,
				int wrap_w, struct para *pp)
{
	uint64_t h = style_hash(s, st, wrap_w, 1);
	int pct = st->line_pct > 0 ? st->line_pct : 100;
	struct centry *e;
	struct kerr err = {0};
	struct para p = *pp;
	struct para_lines pl = {0};
	void *px;
	int pitch;

	c->st.misses++;
	/* Room first: an evicted texture's memory is then what the new one is made of
	 * (sdl_mem's pool), and the process never holds both. The layout's size is the
	 * texture's (para_render). */
	evict(c, (size_t)(p.w > 1 ? p.w : 1) * (size_t)p.h * 4);
	/* Painted straight into the texture: a surface first and a copy into the
	 * texture after touched every byte three times more (new pages cost the most
	 * at start-up). */
	e = calloc(1, sizeof *e);
	if (!e || para_lines_render(s, &p, &pl, &err))
		goto fail;
	e->str = strdup(s);
	e->tex = SDL_CreateTexture(c->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
				   pl.w, p.h);
	if (!e->str || !e->tex || SDL_LockTexture(e->tex, NULL, &px, &pitch))
		goto fail;
	if (!c->zeroed)
		memset(px, 0, (size_t)pitch * (size_t)p.h);
	para_paint(st, &p, &pl, st->color, px, pitch);
	SDL_UnlockTexture(e->tex);
	SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
	e->hash = h;
	e->role = st->role, e->px = st->px, e->wrap_w = wrap_w, e->max_lines = st->max_lines;
	e->line_pct = pct, e->align = st->align, e->mono = st->mono, e->color = st->color;
	e->w = pl.w, e->h = p.h, e->nlines = p.lines.n, e->truncated = p.lines.truncated;
	e->bytes = (size_t)pl.w * (size_t)p.h * 4;
	e->frame = c->frame;
	e->hnext = c->bucket[h % CACHE_BUCKETS];
	c->bucket[h % CACHE_BUCKETS] = e;
	lru_front(c, e);
	c->st.bytes += e->bytes;
	c->st.entries++;
	para_lines_free(&pl);
	text_lines_free(&p.lines);
	evict(c, 0);
	return e;
fail:
	if (e) {
		if (e->tex)
			SDL_DestroyTexture(e->tex);
		free(e->str);
		free(e);
	}
	para_lines_free(&pl);
	text_lines_free(&p.lines);
	return NULL;
}

static SDL_Rect rect_and(SDL_Rect a, SDL_Rect b)
{
	SDL_Rect r;
	if (!SDL_IntersectRect(&a, &b, &r))
		r = (SDL_Rect){a.x, a.y, 0, 0};
	return r;
}

static int rect_in(SDL_Rect in, SDL_Rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	       in.y + in.h <= out.y + out.h;
}

/* Where text of w x h goes in box, by the style's alignment. */
static SDL_Rect place(SDL_Rect box, const struct text_style *st, int w, int h)
{
	SDL_Rect ink = {box.x, box.y, w, h};
	if (st->align == TEXT_CENTER)
		ink.x = box.x + (box.w - w) / 2;
	else if (st->align == TEXT_RIGHT)
		ink.x = box.x + box.w - w;
	if (h <= box.h) {
		if (st->valign == TEXT_MIDDLE)
			ink.y = box.y + (box.h - h) / 2;
		else if (st->valign == TEXT_BOTTOM)
			ink.y = box.y + box.h - h;
	}
	return ink;
}

static int draw_unlocked(struct text_cache *c, const char *s, const struct text_style *st,
			 SDL_Rect box, struct text_drawn *info)
{
	struct text_drawn d = {0};
	struct centry *e;
	int ow = 0, oh = 0;

	if (!s || !*s)
		return 0;
	SDL_GetRendererOutputSize(c->r, &ow, &oh);
	SDL_Rect vis = rect_and(box, (SDL_Rect){0, 0, ow, oh});
	if (SDL_RenderIsClipEnabled(c->r)) {
		SDL_Rect clip;
		SDL_RenderGetClipRect(c->r, &clip);
		vis = rect_and(vis, clip);
	}
	/* A text the viewport does not show (below the fold of a scroll view: 60 of the
	 * checklist's 82 strings) is laid out for its size and logged, but not rendered
	 * or cached: rendering them was most of the screen's start-up time and heap. Its
	 * size is the layout's, which is what rendering gives (para_render: the widest
	 * line, p.h rows). */
	int ew, eh, truncated;
	struct para p;
	struct kerr err = {0};
	const struct measure_slot *m = NULL;
	e = cache_find(c, s, st, box.w);
	if (e) {
		ew = e->w, eh = e->h, truncated = e->truncated;
	} else {
		/* Memoised: a scroll view lays out its hidden rows on every frame. */
		if (measure_slot_get(s, st, box.w, &m))
			return 0;
		ew = m->w > 1 ? m->w : 1, eh = m->h, truncated = m->truncated;
	}
	SDL_Rect ink = place(box, st, ew, eh);
	SDL_Rect part = rect_and(ink, vis);
	d.hidden = part.w <= 0 || part.h <= 0;
	if (!e && !d.hidden) {
		if (para_of_slot(m, st, &p, &err))
			return 0;
		e = cache_add(c, s, st, box.w, &p);
		if (!e)
			return 0;
		/* Rendering is the authority for what is shown: place by what was drawn. */
		ew = e->w, eh = e->h, truncated = e->truncated;
		ink = place(box, st, ew, eh);
		part = rect_and(ink, vis);
		d.hidden = part.w <= 0 || part.h <= 0;
	}
	d.box = box;
	d.ink = ink;
	d.clip = vis;
	d.overflow = !rect_in(ink, box);
	d.truncated = truncated;
	if (!d.hidden) {
		SDL_Rect src = {part.x - ink.x, part.y - ink.y, part.w, part.h};
		if (st->color.a && st->color.a != 255)
			SDL_SetTextureAlphaMod(e->tex, st->color.a);
		SDL_RenderCopy(c->r, e->tex, &src, &part);
	}
	if (c->nlog == c->caplog) {
		int nc = c->caplog ? c->caplog * 2 : 32;
		struct text_drawn *v = realloc(c->log, (size_t)nc * sizeof *v);
		if (v) {
			c->log = v;
			c->caplog = nc;
		}
	}
	if (c->nlog < c->caplog) {
		c->log[c->nlog] = d;
		c->log[c->nlog].text = strdup(s);
		if (c->log[c->nlog].text)
			c->nlog++;
	}
	if (info) {
		*info = d;
		info->text = NULL;
	}
	return eh;
}

/* --- locked entry points --------------------------------------------------------- */

kst text_init(struct kerr *err)
{
	pthread_mutex_lock(&g_lock);
	kst rc = init_unlocked(err);
	pthread_mutex_unlock(&g_lock);
	return rc;
}

void text_quit(void)
{
	pthread_mutex_lock(&g_lock);
	quit_unlocked();
	pthread_mutex_unlock(&g_lock);
}

void text_trim(void)
{
	pthread_mutex_lock(&g_lock);
	for (int i = 0; i < TEXT_FONTS_MAX; i++) {
		struct font_slot *s = &g.slot[i];
		if (!s->f)
			continue;
		if (s->used <= g.trim_mark) {
			/* Not asked for since the last trim: a size one ticket number needed
			 * (the number is fitted to its box, so nearly every number has its own).
			 * Kept open, 3,000 visits filled all TEXT_FONTS_MAX slots with faces
			 * and shaping tables nobody used again. */
			TTF_CloseFont(s->f);
			memset(s, 0, sizeof *s);
		} else {
			/* Setting a font's own size again makes SDL_ttf drop its glyph cache
			 * (bitmaps of every glyph drawn in that size, 60 KB each at 250 px). */
			TTF_SetFontSize(s->f, s->px);
		}
	}
	g.trim_mark = g.clock;
	pthread_mutex_unlock(&g_lock);
}

TTF_Font *text_font(enum text_role role, int px)
{
	pthread_mutex_lock(&g_lock);
	TTF_Font *f = font_unlocked(role, px);
	pthread_mutex_unlock(&g_lock);
	return f;
}

kst text_measure(const char *s, const struct text_style *st, int wrap_w, int *w, int *h,
		 int *nlines)
{
	pthread_mutex_lock(&g_lock);
	kst rc = measure_unlocked(s, st, wrap_w, w, h, nlines);
	pthread_mutex_unlock(&g_lock);
	return rc;
}

int text_fit_px(const char *s, const struct text_style *st, int max_w, int min_px, int step,
		int *w, int *h)
{
	struct text_style t = *st;
	int tw = 0, th = 0;

	step = step > 0 ? step : 1;
	if (text_measure(s, &t, 0, &tw, &th, NULL) || tw <= max_w || t.px <= min_px)
		goto out;
	/* Width grows about in proportion to the size: jump to the grid size at or below
	 * the proportional one, then settle by single steps. The same size as walking
	 * down the grid, but two or three sizes measured instead of every one on the way,
	 * and each size measured is a font opened (face, shaping tables, glyph cache). */
	int start = t.px, est = (int)((int64_t)t.px * max_w / (tw > 0 ? tw : 1));
	int k = (start - est + step - 1) / step;
	t.px = start - k * step;
	if (t.px < min_px)
		t.px = min_px;
	text_measure(s, &t, 0, &tw, &th, NULL);
	while (tw > max_w && t.px - step >= min_px) {
		t.px -= step;
		text_measure(s, &t, 0, &tw, &th, NULL);
	}
	while (tw <= max_w && t.px + step < start) {
		struct text_style u = t;
		int uw = 0, uh = 0;
		u.px += step;
		if (text_measure(s, &u, 0, &uw, &uh, NULL) || uw > max_w)
			break;
		t = u, tw = uw, th = uh;
	}
out:
	if (w)
		*w = tw;
	if (h)
		*h = th;
	return t.px;
}

SDL_Surface *text_render(const char *s, const struct text_style *st, int wrap_w, struct kerr *err)
{
	pthread_mutex_lock(&g_lock);
	SDL_Surface *out = render_unlocked(s, st, wrap_w, err);
	pthread_mutex_unlock(&g_lock);
	return out;
}

int text_draw(struct text_cache *c, const char *s, const struct text_style *st, SDL_Rect box,
	      struct text_drawn *info)
{
	pthread_mutex_lock(&g_lock);
	int h = draw_unlocked(c, s, st, box, info);
	pthread_mutex_unlock(&g_lock);
	return h;
}
