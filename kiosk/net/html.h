/**
 * @file html.h
 * @brief Writing web pages safely: a growing byte buffer with a hard cap, HTML and URL
 * escaping, and reading the fields of a form body or query (application/
 * x-www-form-urlencoded). Plain C: the public pages (net/public_pages.h) are rendered
 * with it for the listener and for `kiosk site` alike.
 *
 * Every text that did not come from our own source code goes through hb_esc (or hb_url
 * inside a link): service names from services.json are ours but edited by district IT,
 * so they are escaped too.
 */
#ifndef KIOSK_HTML_H
#define KIOSK_HTML_H

#include <stddef.h>

/* A page larger than this is a bug (the biggest real one is ~40 KB): the buffer stops
 * growing and the page is refused rather than the process eating memory. */
#define HB_LIMIT (4 * 1024 * 1024)

struct hbuf {
	char *p;     /* NUL-terminated whenever len > 0 */
	size_t len, cap;
	int failed;  /* out of memory or over HB_LIMIT: the page must not be sent */
};

void hb_init(struct hbuf *b);
void hb_free(struct hbuf *b);
void hb_put(struct hbuf *b, const char *s, size_t n);
void hb_puts(struct hbuf *b, const char *s);
void hb_printf(struct hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text or attribute value: & < > " ' escaped. */
void hb_esc(struct hbuf *b, const char *s);
/* A query or path component: everything but A-Z a-z 0-9 - . _ ~ percent-encoded. */
void hb_url(struct hbuf *b, const char *s);
/* The bytes (caller frees) and their length, or NULL when the buffer failed. The
 * buffer is empty afterwards. */
char *hb_take(struct hbuf *b, size_t *len);

#define FORM_VALUE_MAX 2048 /* one decoded field of a form or query */

/* Finds field `name` in an urlencoded body of len bytes ("a=1&b=x+y") and decodes it
 * ('+' is a space, %XX a byte) into out. Returns 1 found, 0 absent, -1 when the value
 * does not fit in cap, has a bad escape or decodes to a NUL byte (an attacker's, never
 * a browser's). The first occurrence counts. */
int form_field(const char *body, size_t len, const char *name, char *out, size_t cap);

#define HTML_DATE_MAX 64
/* "2026-11-24" as the kiosk writes dates: "24 พ.ย. 2569" (Buddhist Era) or "24 Nov 2026".
 * Copies the input when it is not a valid date. */
void html_date(const char *ymd, const char *lang, char *out, size_t cap);

#endif
