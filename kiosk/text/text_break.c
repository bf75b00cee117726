/**
 * @file text_break.c
 * @brief The pure half of the text engine: UTF-8, grapheme clusters, line-break
 * opportunities (UAX #14 subset + libthai), greedy line fitting, Thai dates/digits.
 *
 * Break opportunities mirror what Pango does, since Pango is the reference a Thai
 * reader trusts: default Unicode rules with Thai letters treated as letters (no
 * break), then every position libthai proposes inside a Thai script run is added.
 * The Thai run includes the spaces, digits and punctuation around Thai words
 * (as Pango's itemizer does), because libthai's dictionary pass looks at them too.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <thai/thbrk.h>
#include <thai/thwbrk.h>

#include "text/text.h"

/* --- UTF-8 ----------------------------------------------------------------- */

size_t text_utf8_decode(const char *str, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[i];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (i + n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	/* Overlong forms, surrogates and out-of-range values are one bad byte each, so
	 * a malformed sequence never swallows the characters after it. */
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return n;
}

/* --- character classes ------------------------------------------------------- */

/* Line-break classes (UAX #14) of the characters a kiosk shows. */
enum lbc {
	LB_AL, LB_SA, LB_CM, LB_SP, LB_BK, LB_CR, LB_LF, LB_GL, LB_WJ, LB_ZW, LB_OP, LB_CL,
	LB_CP, LB_QU, LB_EX, LB_IS, LB_SY, LB_HY, LB_BA, LB_BB, LB_NS, LB_IN, LB_PR, LB_PO,
	LB_NU,
};

/* Thai above/below marks (Mn): they sit on the consonant before them. */
static int is_thai_mark(uint32_t c)
{
	return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E);
}

/* Extends the previous grapheme (UAX #29 Extend/SpacingMark/ZWJ for our scripts).
 * SARA AM (U+0E33) is a SpacingMark: น้ำ is one cluster. */
static int is_extend(uint32_t c)
{
	return is_thai_mark(c) || c == 0x0E33 || (c >= 0x0300 && c <= 0x036F) ||
	       (c >= 0x0EB1 && c <= 0x0EBC && c != 0x0EB2 && c != 0x0EB3) ||
	       (c >= 0x0EC8 && c <= 0x0ECD) || c == 0x200C || c == 0x200D ||
	       (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF);
}

static enum lbc lb_class(uint32_t c)
{
	if (c < 0x80) {
		if (c >= '0' && c <= '9')
			return LB_NU;
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return LB_AL;
		switch (c) {
		case '\n': case '\v': case '\f': return LB_BK;
		case '\r': return LB_CR;
		case ' ': return LB_SP;
		case '\t': case '|': return LB_BA;
		case '(': case '[': case '{': return LB_OP;
		case ')': case ']': return LB_CP;
		case '}': return LB_CL;
		case '"': case '\'': return LB_QU;
		case '!': case '?': return LB_EX;
		case ',': case '.': case ':': case ';': return LB_IS;
		case '/': return LB_SY;
		case '-': return LB_HY;
		case '$': case '+': case '\\': case '#': return LB_PR;
		case '%': return LB_PO;
		default: return c < 0x20 ? LB_CM : LB_AL;
		}
	}
	if (c >= 0x0E00 && c <= 0x0E7F) {
		if (is_thai_mark(c))
			return LB_CM;
		if (c == 0x0E3F)
			return LB_PR; /* ฿ */
		if (c >= 0x0E50 && c <= 0x0E59)
			return LB_NU;
		if (c == 0x0E5A || c == 0x0E5B)
			return LB_BA;
		if (c == 0x0E4F)
			return LB_AL;
		return LB_SA;
	}
	if (is_extend(c))
		return LB_CM;
	switch (c) {
	case 0x0085: case 0x2028: case 0x2029: return LB_BK;
	case 0x00A0: case 0x202F: case 0x2007: case 0x180E: return LB_GL;
	case 0x2060: case 0xFEFF: return LB_WJ;
	case 0x200B: return LB_ZW;
	case 0x2010: case 0x2012: case 0x2013: case 0x2014: return LB_BA;
	case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x00AB: case 0x00BB:
		return LB_QU;
	case 0x2026: case 0x2024: case 0x2025: return LB_IN;
	case 0x20AC: case 0x00A3: case 0x00A5: case 0x00B1: case 0x2116: return LB_PR;
	case 0x00B0: case 0x2030: case 0x2103: case 0x00A2: return LB_PO;
	case 0x3001: case 0x3002: return LB_CL;
	default: return LB_AL;
	}
}

/* Script for itemizing: Thai, another alphabet, or common (takes its neighbours'). */
enum script { SC_COMMON, SC_THAI, SC_OTHER };

static enum script script_of(uint32_t c)
{
	if (c >= 0x0E01 && c <= 0x0E5B && c != 0x0E3F)
		return SC_THAI;
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? SC_OTHER : SC_COMMON;
	if (is_extend(c))
		return SC_COMMON; /* inherited: the run of its base */
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x00A0 && c <= 0x00BF) || c == 0x00D7 ||
	    c == 0x00F7 || c == 0x0E3F || (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF ||
	    (c >= 0xFE00 && c <= 0xFE0F))
		return SC_COMMON;
	return SC_OTHER;
}

/* --- breaks ------------------------------------------------------------------ */

struct chars {
	size_t n;
	size_t *off;      /* byte offset of each character, off[n] = len */
	uint32_t *cp;
	unsigned char *cls; /* enum lbc, CM resolved to its base's class */
	unsigned char *raw; /* enum lbc before CM resolution */
};

static void chars_free(struct chars *ch)
{
	free(ch->off);
	free(ch->cp);
	free(ch->cls);
	free(ch->raw);
}

static kst chars_decode(const char *s, size_t len, struct chars *ch)
{
	memset(ch, 0, sizeof *ch);
	ch->off = malloc((len + 1) * sizeof *ch->off);
	ch->cp = malloc((len + 1) * sizeof *ch->cp);
	ch->cls = malloc(len + 1);
	ch->raw = malloc(len + 1);
	if (!ch->off || !ch->cp || !ch->cls || !ch->raw) {
		chars_free(ch);
		return K_EFAIL;
	}
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t k = text_utf8_decode(s, len, i, &c);
		ch->off[ch->n] = i;
		ch->cp[ch->n] = c;
		ch->raw[ch->n] = (unsigned char)lb_class(c);
		ch->n++;
		i += k;
	}
	ch->off[ch->n] = len;
	/* LB9/LB10: a combining mark takes its base's class; with no base it is a letter. */
	for (size_t i = 0; i < ch->n; i++) {
		enum lbc r = ch->raw[i];
		if (r == LB_CM) {
			enum lbc b = i ? ch->cls[i - 1] : LB_AL;
			if (b == LB_BK || b == LB_CR || b == LB_LF || b == LB_SP || b == LB_ZW)
				b = LB_AL;
			r = b;
		}
		ch->cls[i] = (unsigned char)r;
	}
	return K_OK;
}

static int is_cluster_start(const struct chars *ch, size_t i)
{
	if (i == 0 || i >= ch->n)
		return 1;
	if (ch->cp[i - 1] == '\r' && ch->cp[i] == '\n')
		return 0;
	if (ch->raw[i - 1] == LB_BK || ch->raw[i - 1] == LB_CR)
		return 1;
	return !is_extend(ch->cp[i]);
}

/* Default rules (UAX #14, Thai letters as AL). 2 mandatory, 1 allowed, 0 not. */
static int default_break(const struct chars *ch, size_t i)
{
	enum lbc a = ch->cls[i - 1], b = ch->cls[i], araw = ch->raw[i - 1];
	size_t p;

	if (a == LB_SA)
		a = LB_AL;
	if (b == LB_SA)
		b = LB_AL;
	if (a == LB_CR && ch->raw[i] == LB_LF)
		return 0;
	if (araw == LB_BK || araw == LB_CR || araw == LB_LF)
		return 2;
	if (b == LB_BK || b == LB_CR || b == LB_LF)
		return 0;
	if (b == LB_SP || b == LB_ZW)
		return 0;
	/* Last non-space class before i (for the "X SP* ×" rules). */
	p = i;
	while (p > 0 && ch->cls[p - 1] == LB_SP)
		p--;
	enum lbc before = p > 0 ? ch->cls[p - 1] : LB_SP;
	if (before == LB_ZW)
		return 1;
	if (ch->raw[i] == LB_CM)
		return 0; /* marks stay on their base */
	if (a == LB_WJ || b == LB_WJ || a == LB_GL)
		return 0;
	if (b == LB_GL && a != LB_SP && a != LB_BA && a != LB_HY)
		return 0;
	if (b == LB_CL || b == LB_CP || b == LB_EX || b == LB_IS || b == LB_SY)
		return 0;
	if (before == LB_OP)
		return 0;
	if (before == LB_QU && b == LB_OP)
		return 0;
	if ((before == LB_CL || before == LB_CP) && b == LB_NS)
		return 0;
	if (a == LB_SP)
		return 1;
	if (a == LB_QU || b == LB_QU)
		return 0;
	if (b == LB_BA || b == LB_HY || b == LB_NS || b == LB_IN || a == LB_BB)
		return 0;
	if ((a == LB_AL && b == LB_NU) || (a == LB_NU && b == LB_AL))
		return 0;
	if ((a == LB_PR || a == LB_PO) && b == LB_AL)
		return 0;
	if (a == LB_AL && (b == LB_PR || b == LB_PO))
		return 0;
	if ((a == LB_CL || a == LB_CP || a == LB_NU) && (b == LB_PO || b == LB_PR))
		return 0;
	if ((a == LB_PO || a == LB_PR) && (b == LB_OP || b == LB_NU))
		return 0;
	if ((a == LB_HY || a == LB_NU || a == LB_OP) && b == LB_NU)
		return 0;
	/* "14/1", "12.5" stay whole, but "ท.ร.|14" may break: IS and SY hold a digit
	 * only inside a number (LB25: NU (NU|SY|IS)* × NU). */
	if ((a == LB_IS || a == LB_SY) && b == LB_NU) {
		for (size_t k = i - 1; k-- > 0;) {
			enum lbc x = ch->cls[k];
			if (x == LB_NU)
				return 0;
			if (x != LB_IS && x != LB_SY)
				break;
		}
	}
	if (a == LB_AL && b == LB_AL)
		return 0;
	if (a == LB_IS && b == LB_AL)
		return 0;
	if ((a == LB_AL || a == LB_NU) && b == LB_OP)
		return 0;
	if (a == LB_CP && (b == LB_AL || b == LB_NU))
		return 0;
	return 1;
}

/* The process-wide libthai breaker (its dictionary is loaded once); libthai does not
 * promise thread safety, so calls into it are serialised (as Pango does). */
static ThBrk *g_brk;
static pthread_mutex_t g_brk_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_t g_preload;
static int g_preloading; /* g_preload is to be joined; under g_preload_lock */
static pthread_mutex_t g_preload_lock = PTHREAD_MUTEX_INITIALIZER;

static ThBrk *thai_brk(void)
{
	if (!g_brk)
		g_brk = th_brk_new(NULL);
	return g_brk;
}

static void *preload(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g_brk_lock);
	thai_brk();
	pthread_mutex_unlock(&g_brk_lock);
	return NULL;
}

void text_break_preload(void)
{
	pthread_mutex_lock(&g_preload_lock);
	if (!g_preloading && !g_brk && pthread_create(&g_preload, NULL, preload, NULL) == 0)
		g_preloading = 1;
	pthread_mutex_unlock(&g_preload_lock);
}

void text_break_quit(void)
{
	pthread_mutex_lock(&g_preload_lock);
	if (g_preloading)
		pthread_join(g_preload, NULL);
	g_preloading = 0;
	pthread_mutex_unlock(&g_preload_lock);
	pthread_mutex_lock(&g_brk_lock);
	if (g_brk)
		th_brk_delete(g_brk);
	g_brk = NULL;
	pthread_mutex_unlock(&g_brk_lock);
}

/* Adds libthai's breaks for characters [a, b) of one Thai run. */
static kst thai_run_breaks(const struct chars *ch, size_t a, size_t b, uint8_t *flags)
{
	size_t n = b - a;
	wchar_t *w = malloc((n + 1) * sizeof *w);
	int *pos = malloc((n + 1) * sizeof *pos);
	kst rc = K_OK;
	int np = 0;

	if (!w || !pos) {
		rc = K_EFAIL;
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		w[k] = (wchar_t)ch->cp[a + k];
	w[n] = 0;
	pthread_mutex_lock(&g_brk_lock);
	ThBrk *brk = thai_brk();
	/* Without a dictionary: default rules only (still never cuts a cluster). */
	if (brk)
		np = th_brk_wc_find_breaks(brk, w, pos, n + 1);
	pthread_mutex_unlock(&g_brk_lock);
	for (int k = 0; k < np; k++) {
		if (pos[k] <= 0 || (size_t)pos[k] >= n)
			continue;
		size_t ci = a + (size_t)pos[k];
		/* Only where a line may start: not before a space or closing punctuation,
		 * never inside a cluster (the flag check below). */
		enum lbc cb = ch->cls[ci];
		if (cb == LB_SP || cb == LB_BK || cb == LB_CR || cb == LB_LF)
			continue;
		if (is_cluster_start(ch, ci))
			flags[ch->off[ci]] |= TEXT_BRK_LINE;
	}
out:
	free(w);
	free(pos);
	return rc;
}

kst text_breaks(const char *s, size_t len, uint8_t *flags)
{
	struct chars ch;
	unsigned char *sc = NULL;
	kst rc;

	memset(flags, 0, len + 1);
	rc = chars_decode(s, len, &ch);
	if (rc)
		return rc;
	for (size_t i = 0; i <= ch.n; i++) {
		if (is_cluster_start(&ch, i))
			flags[ch.off[i]] |= TEXT_BRK_CLUSTER;
	}
	for (size_t i = 1; i < ch.n; i++) {
		int r = default_break(&ch, i);
		if (r == 2)
			flags[ch.off[i]] |= TEXT_BRK_MANDATORY | TEXT_BRK_LINE;
		else if (r == 1 && is_cluster_start(&ch, i))
			flags[ch.off[i]] |= TEXT_BRK_LINE;
	}
	/* Itemize: common characters join the run before them (the run after them at
	 * the start); a closing bracket joins its opening bracket's run. Newlines end
	 * runs, as Pango lays out each paragraph apart. */
	sc = malloc(ch.n + 1);
	if (!sc) {
		rc = K_EFAIL;
		goto out;
	}
	{
		enum script cur = SC_COMMON;
		enum script stack[16];
		int depth = 0;
		size_t para = 0;
		for (size_t i = 0; i <= ch.n; i++) {
			int end = i == ch.n || ch.raw[i] == LB_BK || ch.raw[i] == LB_CR ||
				  ch.raw[i] == LB_LF;
			if (end) {
				/* Leading commons of a paragraph take its first real script. */
				enum script first = SC_COMMON;
				for (size_t k = para; k < i && first == SC_COMMON; k++)
					first = (enum script)sc[k];
				for (size_t k = para; k < i && sc[k] == SC_COMMON; k++)
					sc[k] = (unsigned char)first;
				if (i < ch.n)
					sc[i] = SC_COMMON;
				para = i + 1;
				cur = SC_COMMON;
				depth = 0;
				continue;
			}
			enum script s0 = script_of(ch.cp[i]);
			uint32_t c = ch.cp[i];
			if (s0 == SC_COMMON) {
				if (c == '(' || c == '[' || c == '{') {
					if (depth < 16)
						stack[depth++] = cur;
				} else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
					enum script o = stack[--depth];
					if (o != SC_COMMON)
						cur = o;
				}
				sc[i] = (unsigned char)cur;
			} else {
				cur = s0;
				sc[i] = (unsigned char)s0;
			}
		}
	}
	for (size_t i = 0; i < ch.n;) {
		if (sc[i] != SC_THAI) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < ch.n && sc[j] == SC_THAI)
			j++;
		rc = thai_run_breaks(&ch, i, j, flags);
		if (rc)
			goto out;
		i = j;
	}
out:
	free(sc);
	chars_free(&ch);
	return rc;
}

size_t text_next_cluster(const char *s, size_t len, size_t i)
{
	uint32_t c, prev;
	size_t k = text_utf8_decode(s, len, i, &prev);
	i += k;
	while (i < len) {
		k = text_utf8_decode(s, len, i, &c);
		if (!(is_extend(c) && prev != '\n' && prev != '\r') && !(prev == '\r' && c == '\n'))
			break;
		prev = c;
		i += k;
	}
	return i;
}

/* --- layout -------------------------------------------------------------------- */

static int is_space_at(const char *s, size_t len, size_t i, size_t *clen)
{
	uint32_t c;
	*clen = text_utf8_decode(s, len, i, &c);
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       c == 0x2028 || c == 0x2029 || c == 0x0085 || c == 0x200B;
}

/* Length of s[a..b) without trailing spaces and newlines. */
static size_t trim_end(const char *s, size_t len, size_t a, size_t b)
{
	size_t last = a;
	for (size_t i = a; i < b;) {
		size_t k;
		if (!is_space_at(s, len, i, &k))
			last = i + k;
		i += k;
	}
	return last - a;
}

static kst push_line(struct text_lines *out, size_t *cap, struct text_line ln)
{
	if ((size_t)out->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct text_line *v = realloc(out->v, nc * sizeof *v);
		if (!v)
			return K_EFAIL;
		out->v = v;
		*cap = nc;
	}
	out->v[out->n++] = ln;
	return K_OK;
}

/* Largest cluster boundary c in (a, lim] with width(a..c) <= max_w (binary search
 * over boundaries; at least one cluster so layout always progresses). */
static size_t fit_clusters(const char *s, size_t len, const uint8_t *fl, size_t a, size_t lim,
			   int max_w, int extra_w, text_width_fn width, void *ctx)
{
	size_t *b = NULL, nb = 0, best;
	for (size_t i = a + 1; i <= lim; i++)
		nb += (fl[i] & TEXT_BRK_CLUSTER) != 0;
	b = malloc((nb + 1) * sizeof *b);
	if (!b)
		return text_next_cluster(s, len, a);
	nb = 0;
	for (size_t i = a + 1; i <= lim; i++)
		if (fl[i] & TEXT_BRK_CLUSTER)
			b[nb++] = i;
	size_t lo = 0, hi = nb; /* answer index in [0, nb): first boundary always taken */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		size_t e = a + trim_end(s, len, a, b[mid]);
		if (width(ctx, s + a, e - a) + extra_w <= max_w)
			lo = mid;
		else
			hi = mid;
	}
	best = nb ? b[lo] : text_next_cluster(s, len, a);
	free(b);
	return best;
}

kst text_layout(const char *s, int max_w, text_width_fn width, void *ctx, int max_lines,
		int ellipsis_w, struct text_lines *out)
{
	size_t len = strlen(s), cap = 0, pos = 0;
	uint8_t *fl = malloc(len + 1);
	kst rc = K_OK;

	memset(out, 0, sizeof *out);
	if (!fl)
		return K_EFAIL;
	rc = text_breaks(s, len, fl);
	if (rc)
		goto out;
	if (len == 0) {
		rc = push_line(out, &cap, (struct text_line){0, 0, 0, 0});
		goto out;
	}
	while (pos < len) {
		size_t best = 0, forced = 0;
		int best_w = 0;
		int last_allowed = max_lines > 0 && out->n == max_lines - 1;

		/* Candidates: every opportunity after pos; stop at the first that
		 * overflows or at a mandatory break. */
		for (size_t j = pos + 1; j <= len; j++) {
			if (j < len && !(fl[j] & (TEXT_BRK_LINE | TEXT_BRK_MANDATORY)))
				continue;
			size_t e = trim_end(s, len, pos, j);
			int w = e ? width(ctx, s + pos, e) : 0;
			if (max_w > 0 && w > max_w && best)
				break;
			if (max_w > 0 && w > max_w) {
				forced = j; /* the first word alone is too wide */
				break;
			}
			best = j;
			best_w = w;
			if (j == len || (fl[j] & TEXT_BRK_MANDATORY))
				break;
		}
		if (!best) {
			best = fit_clusters(s, len, fl, pos, forced, max_w, 0, width, ctx);
			size_t e = trim_end(s, len, pos, best);
			best_w = e ? width(ctx, s + pos, e) : 0;
		}
		struct text_line ln = {pos, trim_end(s, len, pos, best), best_w, 0};
		if (last_allowed && best < len) {
			/* More text would follow the last allowed line: cut with "…". */
			int rest_w = 0;
			/* Only spaces and newlines after it: nothing is lost, no ellipsis. */
			if (trim_end(s, len, pos, len) != ln.len) {
				size_t cut = best;
				if (max_w > 0 && best_w + ellipsis_w > max_w)
					cut = fit_clusters(s, len, fl, pos, best, max_w, ellipsis_w,
							   width, ctx);
				ln.len = trim_end(s, len, pos, cut);
				rest_w = ln.len ? width(ctx, s + pos, ln.len) : 0;
				ln.width = rest_w + ellipsis_w;
				ln.ellipsis = 1;
				out->truncated = 1;
			}
			rc = push_line(out, &cap, ln);
			goto out;
		}
		rc = push_line(out, &cap, ln);
		if (rc)
			goto out;
		pos = best;
	}
out:
	free(fl);
	if (rc) {
		free(out->v);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

void text_lines_free(struct text_lines *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* --- dates and digits ---------------------------------------------------------- */

static const char *const th_mon_short[12] = {
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
};
static const char *const th_mon_full[12] = {
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
};
static const char *const th_wday[7] = {
	"อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์",
};
static const char *const en_mon_short[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const en_mon_full[12] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
};
static const char *const en_wday[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

kst text_date(int y, int m, int d, int wday, enum text_lang lang, unsigned flags, char *out,
	      size_t outsz)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	char buf[TEXT_DATE_MAX];
	int n;

	if (outsz)
		out[0] = 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || y < 1 || y > 9999 ||
	    ((flags & TEXT_DATE_WEEKDAY) && (wday < 0 || wday > 6)))
		return K_EUSAGE;
	if (lang == TEXT_TH) {
		const char *mon = (flags & TEXT_DATE_FULL) ? th_mon_full[m - 1] : th_mon_short[m - 1];
		if (flags & TEXT_DATE_WEEKDAY)
			n = snprintf(buf, sizeof buf, "วัน%sที่ %d %s %d", th_wday[wday], d, mon,
				     y + 543);
		else
			n = snprintf(buf, sizeof buf, "%d %s %d", d, mon, y + 543);
	} else {
		const char *mon = (flags & TEXT_DATE_FULL) ? en_mon_full[m - 1] : en_mon_short[m - 1];
		if (flags & TEXT_DATE_WEEKDAY)
			n = snprintf(buf, sizeof buf, "%s %d %s %d", en_wday[wday], d, mon, y);
		else
			n = snprintf(buf, sizeof buf, "%d %s %d", d, mon, y);
	}
	if (n < 0 || (size_t)n >= sizeof buf)
		return K_EUSAGE;
	if (lang == TEXT_TH && (flags & TEXT_DATE_THAI_DIGITS))
		return text_thai_digits(buf, out, outsz);
	if ((size_t)n >= outsz)
		return K_EUSAGE;
	memcpy(out, buf, (size_t)n + 1);
	return K_OK;
}

kst text_thai_digits(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	if (!outsz)
		return K_EUSAGE;
	for (const char *p = in; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			/* U+0E50 + digit: E0 B9 90..99 */
			if (o + 3 >= outsz)
				goto small;
			out[o++] = (char)0xE0;
			out[o++] = (char)0xB9;
			out[o++] = (char)(0x90 + (*p - '0'));
		} else {
			if (o + 1 >= outsz)
				goto small;
			out[o++] = *p;
		}
	}
	out[o] = 0;
	return K_OK;
small:
	out[0] = 0;
	return K_EUSAGE;
}
