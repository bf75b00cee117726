/**
 * @file html.c
 * @brief See html.h.
 */
#include "net/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

void hb_init(struct hbuf *b)
{
	memset(b, 0, sizeof *b);
}

void hb_free(struct hbuf *b)
{
	free(b->p);
	hb_init(b);
}

/* Room for n more bytes and a NUL; 0 when the buffer has failed. */
static int grow(struct hbuf *b, size_t n)
{
	if (b->failed)
		return 0;
	if (n > HB_LIMIT || b->len + n + 1 > HB_LIMIT) {
		b->failed = 1;
		return 0;
	}
	if (b->len + n + 1 <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

void hb_put(struct hbuf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void hb_puts(struct hbuf *b, const char *s)
{
	hb_put(b, s, strlen(s));
}

void hb_printf(struct hbuf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		hb_put(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void hb_esc(struct hbuf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = *s == '&'   ? "&amp;"
				  : *s == '<' ? "&lt;"
				  : *s == '>' ? "&gt;"
				  : *s == '"' ? "&quot;"
				  : *s == '\'' ? "&#39;"
					       : NULL;
		if (!rep)
			continue;
		hb_put(b, run, (size_t)(s - run));
		hb_puts(b, rep);
		run = s + 1;
	}
	hb_put(b, run, (size_t)(s - run));
}

void hb_url(struct hbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			hb_put(b, (const char *)&c, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			hb_put(b, e, 3);
		}
	}
}

char *hb_take(struct hbuf *b, size_t *len)
{
	if (b->failed || !grow(b, 0)) {
		hb_free(b);
		return NULL;
	}
	char *p = b->p;
	*len = b->len;
	hb_init(b);
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int form_field(const char *body, size_t len, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name), pos = 0;
	if (!cap)
		return -1;
	out[0] = 0;
	while (pos < len) {
		const char *amp = memchr(body + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - body) : len;
		const char *f = body + pos;
		size_t fl = end - pos;
		pos = end + 1;
		if (fl < nl || memcmp(f, name, nl) || (fl > nl && f[nl] != '='))
			continue;
		/* Found: decode the value, bounded by cap. */
		size_t o = 0;
		for (size_t i = nl + 1; i < fl; i++) {
			int c = (unsigned char)f[i];
			if (c == '+') {
				c = ' ';
			} else if (c == '%') {
				int hi = i + 2 < fl ? hexval(f[i + 1]) : -1;
				int lo = i + 2 < fl ? hexval(f[i + 2]) : -1;
				if (hi < 0 || lo < 0)
					return -1;
				c = hi << 4 | lo;
				i += 2;
			}
			if (c == 0 || o + 1 >= cap) {
				out[0] = 0;
				return -1;
			}
			out[o++] = (char)c;
		}
		out[o] = 0;
		return 1;
	}
	return 0;
}

void html_date(const char *ymd, const char *lang, char *out, size_t cap)
{
	static const char *const th[12] = {"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
					   "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."};
	static const char *const en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int y, m, d;
	if (!ymd || kclock_parse_date(ymd, &y, &m, &d) != K_OK) {
		snprintf(out, cap, "%s", ymd ? ymd : "");
		return;
	}
	if (lang && !strcmp(lang, "en"))
		snprintf(out, cap, "%d %s %d", d, en[m - 1], y);
	else
		snprintf(out, cap, "%d %s %d", d, th[m - 1], y + 543);
}
