/**
 * @file test_public_html.c
 * @brief The public pages' building blocks (net/html.h, net/public_pages.h): escaping,
 * the bounded page buffer, form fields as browsers and attackers send them, dates, and
 * pages rendered from the shipped catalogue.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "net/html.h"
#include "net/public_pages.h"
#include "tap.h"

static char *render_esc(const char *s)
{
	static char out[256];
	struct hbuf b;
	size_t n;
	hb_init(&b);
	hb_esc(&b, s);
	char *p = hb_take(&b, &n);
	snprintf(out, sizeof out, "%s", p ? p : "(null)");
	free(p);
	return out;
}

static void escaping(void)
{
	IS_STR(render_esc("<a href=\"x\">Tom & Jerry's</a>"),
	       "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
	       "HTML escaping covers < > & \" '");
	IS_STR(render_esc("สอบสวนรับรองบุคคล"), "สอบสวนรับรองบุคคล", "Thai text passes unchanged");
	IS_STR(render_esc(""), "", "an empty text is an empty text");

	struct hbuf b;
	size_t n;
	hb_init(&b);
	hb_url(&b, "A023 ก/?&=");
	char *p = hb_take(&b, &n);
	IS_STR(p, "A023%20%E0%B8%81%2F%3F%26%3D", "URL escaping leaves only unreserved bytes");
	free(p);
}

static void buffer_cap(void)
{
	struct hbuf b;
	size_t n;
	char *chunk = malloc(1024 * 1024);
	memset(chunk, 'x', 1024 * 1024);
	hb_init(&b);
	for (int i = 0; i < 5; i++)
		hb_put(&b, chunk, 1024 * 1024);
	OK(b.failed, "a page past HB_LIMIT (4 MB) marks the buffer failed");
	OK(b.len <= HB_LIMIT, "and it never grew past the limit (%zu bytes)", b.len);
	OK(hb_take(&b, &n) == NULL, "a failed page is never handed out");
	hb_init(&b);
	hb_printf(&b, "%s-%d", "long", 5);
	char big[2000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	hb_printf(&b, "%s", big);
	char *p = hb_take(&b, &n);
	IS_INT(n, 6 + 1999, "hb_printf writes texts longer than its small buffer");
	free(p);
	free(chunk);
}

static void forms(void)
{
	char v[16];
	const char *body = "process=5&staff=4&comment=%E0%B8%94%E0%B8%B5+%E0%B8%A1%E0%B8%B2%E0%B8%81&f=12";
	size_t n = strlen(body);
	char c[64];

	IS_INT(form_field(body, n, "process", v, sizeof v), 1, "a field is found");
	IS_STR(v, "5", "with its value");
	IS_INT(form_field(body, n, "comment", c, sizeof c), 1, "a percent-encoded Thai comment");
	IS_STR(c, "ดี มาก", "is decoded, '+' as a space");
	IS_INT(form_field(body, n, "overall", v, sizeof v), 0, "a missing field is absent");
	IS_INT(form_field("processx=1", 10, "process", v, sizeof v), 0,
	       "a longer name is not the field (processx != process)");
	IS_INT(form_field("xprocess=1", 10, "process", v, sizeof v), 0, "nor is a name ending in it");
	IS_INT(form_field("a=1&a=2", 7, "a", v, sizeof v), 1, "a repeated field");
	IS_STR(v, "1", "counts its first value");
	IS_INT(form_field("confirm", 7, "confirm", v, sizeof v), 1, "a field without '='");
	IS_STR(v, "", "has an empty value");
	IS_INT(form_field("a=%4", 4, "a", v, sizeof v), -1, "a cut escape (%%4) is refused");
	IS_INT(form_field("a=%zz", 5, "a", v, sizeof v), -1, "a bad escape (%%zz) is refused");
	IS_INT(form_field("a=x%00y", 7, "a", v, sizeof v), -1, "a NUL byte (%%00) is refused");
	IS_INT(form_field("a=0123456789abcdef", 18, "a", v, sizeof v), -1,
	       "a value longer than the room is refused, not cut");
	IS_STR(v, "", "and leaves nothing behind");
	IS_INT(form_field("a=1", 2, "a", v, sizeof v), 1, "only len bytes are read");
	IS_STR(v, "", "(the value past len is not seen)");
	IS_INT(form_field("", 0, "a", v, sizeof v), 0, "an empty body has no field");
}

static void dates(void)
{
	char d[HTML_DATE_MAX];
	html_date("2026-11-24", "th", d, sizeof d);
	IS_STR(d, "24 พ.ย. 2569", "Thai dates in the Buddhist Era, as the kiosk writes them");
	html_date("2026-11-24", "en", d, sizeof d);
	IS_STR(d, "24 Nov 2026", "English dates");
	html_date("2026-02-30", "th", d, sizeof d);
	IS_STR(d, "2026-02-30", "a date that does not exist is shown as written");
}

static void pages(void)
{
	struct kconfig cfg;
	struct kdiag diag = {0};
	struct pp_ctx c = {0};
	struct hbuf b;
	size_t n;

	if (!OK(kconfig_load("config", &cfg, &diag) == K_OK, "the shipped config loads"))
		return;
	c.cfg = &cfg;
	c.lang = "th";
	snprintf(c.root, sizeof c.root, "../");
	/* services.json is edited by district IT: its texts are escaped like anyone's. */
	struct kservice *s = &cfg.catalog.svc[0];
	s->name.th = "<script>alert(1)</script> & co";
	hb_init(&b);
	pp_service(&b, &c, s);
	char *p = hb_take(&b, &n);
	OK(p && strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
	   "a service name with markup is shown as text");
	OK(p && !strstr(p, "<script>alert"), "and never becomes a script");
	OK(p && strstr(p, "<html lang=\"th\">"), "the page says it is Thai");
	OK(p && strstr(p, "href=\"../assets/public.css\""), "links are relative to the page");
	OK(p && strstr(p, "ข้อมูล ณ วันที่"), "the verified-on date is shown");
	IS_INT(p ? strstr(p, "<h1>") != NULL : 0, 1, "it has one main heading");
	free(p);

	c.static_site = 1;
	hb_init(&b);
	pp_services(&b, &c);
	p = hb_take(&b, &n);
	OK(p && strstr(p, "href=\"../services/personal-cert.html\""),
	   "the static site links files (personal-cert.html)");
	OK(p && strstr(p, "href=\"../services/index.en.html\""), "and the English twin");
	free(p);
	kconfig_free(&cfg);
}

int main(void)
{
	escaping();
	buffer_cap();
	forms();
	dates();
	pages();
	return tap_done();
}
