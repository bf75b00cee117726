/**
 * @file public_pages.c
 * @brief See public_pages.h. The texts of the checklist are those of
 * ui/scr_checklist.c, in its order; keep the two together when either changes.
 */
#include "net/public_pages.h"

#include <stdio.h>
#include <string.h>

#include "core/cardrules.h"
#include "core/clock.h"
#include "core/rating.h"

#define LINE_MAX_BYTES 512 /* one composed line of text (counts, a figure with its unit) */

static int is_en(const struct pp_ctx *c)
{
	return c->lang && !strcmp(c->lang, "en");
}

static const char *tr(const struct pp_ctx *c, const char *th, const char *en)
{
	return is_en(c) ? en : th;
}

void pp_link(struct hbuf *b, const struct pp_ctx *c, const char *path, const char *lang)
{
	int en = lang && !strcmp(lang, "en");
	size_t n = strlen(path);
	if (c->static_site) {
		hb_esc(b, c->root);
		hb_esc(b, path);
		if (!n || path[n - 1] == '/')
			hb_puts(b, "index");
		hb_puts(b, en ? ".en.html" : ".html");
		return;
	}
	if (!n && !c->root[0])
		hb_puts(b, "./");
	hb_esc(b, c->root);
	hb_esc(b, path);
	if (en)
		hb_puts(b, "?lang=en");
}

/* The top of every page. self: this page's site path, for the language switch (NULL:
 * the caller writes the ticket's own). head_extra: trusted markup for <head>. */
static void page_begin(struct hbuf *b, const struct pp_ctx *c, const char *title_th,
		       const char *title_en, const char *self, const char *switch_href,
		       const char *head_extra)
{
	const struct kconfig *cfg = c->cfg;
	hb_printf(b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		  is_en(c) ? "en" : "th");
	hb_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	hb_esc(b, tr(c, title_th, title_en));
	hb_puts(b, " · ");
	hb_esc(b, tr(c, cfg->office_name_th, cfg->office_name_en));
	hb_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	hb_esc(b, c->root);
	hb_puts(b, "assets/public.css\">\n");
	if (head_extra)
		hb_puts(b, head_extra);
	hb_puts(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	hb_esc(b, tr(c, "ข้ามไปยังเนื้อหา", "Skip to content"));
	hb_puts(b, "</a>\n<header class=\"bar\"><div class=\"wrap\">\n<p class=\"office\">");
	/* The relay has no home page of the office: the name is not a link there. */
	if (!c->relay) {
		hb_puts(b, "<a href=\"");
		pp_link(b, c, "", c->lang);
		hb_puts(b, "\">");
	}
	hb_esc(b, tr(c, cfg->office_name_th, cfg->office_name_en));
	hb_puts(b, c->relay ? "</p>\n" : "</a></p>\n");
	hb_puts(b, "<nav class=\"langs\" aria-label=\"");
	hb_esc(b, tr(c, "ภาษา", "Language"));
	hb_puts(b, "\">");
	/* The other language, named in itself. */
	hb_printf(b, "<a lang=\"%s\" hreflang=\"%s\" href=\"", is_en(c) ? "th" : "en",
		  is_en(c) ? "th" : "en");
	if (switch_href)
		hb_puts(b, switch_href);
	else
		pp_link(b, c, self, is_en(c) ? "th" : "en");
	hb_printf(b, "\">%s</a></nav>\n</div></header>\n<main id=\"main\" class=\"wrap\">\n",
		  is_en(c) ? "ภาษาไทย" : "English");
}

static void page_end(struct hbuf *b, const struct pp_ctx *c)
{
	if (c->relay) {
		hb_printf(b, "</main>\n<footer class=\"wrap foot\">\n<p>%s</p>\n</footer>\n</body>\n"
			     "</html>\n",
			  tr(c, "เว็บไซต์นี้ไม่ใช้คุกกี้ และไม่เก็บข้อมูลส่วนบุคคล",
			     "This site uses no cookies and keeps no personal data"));
		return;
	}
	hb_puts(b, "</main>\n<footer class=\"wrap foot\">\n<nav aria-label=\"");
	hb_esc(b, tr(c, "ส่วนอื่นของเว็บไซต์", "Elsewhere on this site"));
	hb_puts(b, "\"><ul>\n<li><a href=\"");
	pp_link(b, c, "services/", c->lang);
	hb_printf(b, "\">%s</a></li>\n", tr(c, "บริการและเอกสารที่ต้องเตรียม", "Services and documents"));
	if (c->live) {
		hb_puts(b, "<li><a href=\"");
		pp_link(b, c, "stats", c->lang);
		hb_printf(b, "\">%s</a></li>\n", tr(c, "สถิติการใช้บริการ", "Service statistics"));
	}
	hb_puts(b, "<li><a href=\"");
	pp_link(b, c, "open-data/", c->lang);
	hb_printf(b, "\">%s</a></li>\n</ul></nav>\n<p>%s</p>\n</footer>\n</body>\n</html>\n",
		  tr(c, "ข้อมูลเปิดภาครัฐ", "Open government data"),
		  tr(c, "เว็บไซต์นี้ไม่ใช้คุกกี้ และไม่เก็บข้อมูลส่วนบุคคล",
		     "This site uses no cookies and keeps no personal data"));
}

void pp_home(struct hbuf *b, const struct pp_ctx *c)
{
	page_begin(b, c, "บริการงานปกครอง", "Administration services", "", NULL, NULL);
	hb_printf(b, "<h1>%s</h1>\n<p>%s</p>\n<ul class=\"menu\">\n",
		  tr(c, "งานปกครอง", "Administration Section"),
		  tr(c, "ข้อมูลบริการของงานปกครอง เปิดดูได้ทุกที่ทุกเวลา",
		     "The Administration Section's services, anywhere, any time"));
	hb_puts(b, "<li><a href=\"");
	pp_link(b, c, "services/", c->lang);
	hb_printf(b, "\">%s</a> %s</li>\n", tr(c, "บริการและเอกสารที่ต้องเตรียม", "Services and documents"),
		  tr(c, "ก่อนมาที่สำนักงาน ตรวจดูเอกสาร ขั้นตอน ค่าธรรมเนียม และระยะเวลา",
		     "before you come: documents, steps, fee and time"));
	if (c->live) {
		hb_puts(b, "<li><a href=\"");
		pp_link(b, c, "stats", c->lang);
		hb_printf(b, "\">%s</a> %s</li>\n", tr(c, "สถิติการใช้บริการ", "Service statistics"),
			  tr(c, "จำนวนผู้รอ ผู้รับบริการ และความพึงพอใจ ตามเวลาจริง",
			     "waiting, served and satisfaction, live"));
	}
	hb_puts(b, "<li><a href=\"");
	pp_link(b, c, "open-data/", c->lang);
	hb_printf(b, "\">%s</a> %s</li>\n</ul>\n", tr(c, "ข้อมูลเปิดภาครัฐ", "Open government data"),
		  tr(c, "รายการบริการและสถิติรายเดือน ในรูปแบบ CSV และ JSON",
		     "the service list and monthly statistics as CSV and JSON"));
	page_end(b, c);
}

void pp_services(struct hbuf *b, const struct pp_ctx *c)
{
	const struct kcatalog *cat = &c->cfg->catalog;
	page_begin(b, c, "บริการและเอกสารที่ต้องเตรียม", "Services and documents", "services/", NULL,
		   NULL);
	hb_printf(b, "<h1>%s</h1>\n<p>%s</p>\n", tr(c, "เลือกบริการ", "Choose a service"),
		  tr(c, "เลือกบริการเพื่อดูเอกสารที่ต้องเตรียม ขั้นตอน ค่าธรรมเนียม และระยะเวลา",
		     "Choose a service to see the documents to bring, the steps, the fee and the "
		     "time needed"));
	/* The kiosk's services screen: by group, in the catalogue's order. */
	for (size_t g = 0; g < cat->n_groups; g++) {
		const struct kgroup *gr = &cat->groups[g];
		hb_puts(b, "<section>\n<h2>");
		hb_esc(b, ktext_get(&gr->name, c->lang));
		hb_puts(b, "</h2>\n<ul class=\"services\">\n");
		for (size_t i = 0; i < cat->n; i++) {
			const struct kservice *s = &cat->svc[i];
			char path[KCAT_ID_MAX + 16];
			if (strcmp(s->group, gr->id))
				continue;
			snprintf(path, sizeof path, "services/%s", s->id);
			hb_puts(b, "<li><a href=\"");
			pp_link(b, c, path, c->lang);
			hb_puts(b, "\">");
			hb_esc(b, ktext_get(&s->name, c->lang));
			hb_puts(b, "</a><p>");
			hb_esc(b, ktext_get(&s->summary, c->lang));
			hb_puts(b, "</p></li>\n");
		}
		hb_puts(b, "</ul>\n</section>\n");
	}
	page_end(b, c);
}

static void h2(struct hbuf *b, const struct pp_ctx *c, const char *th, const char *en)
{
	hb_puts(b, "<h2>");
	hb_esc(b, tr(c, th, en));
	hb_puts(b, "</h2>\n");
}

static void para(struct hbuf *b, const char *cls, const char *text)
{
	if (cls)
		hb_printf(b, "<p class=\"%s\">", cls);
	else
		hb_puts(b, "<p>");
	hb_esc(b, text);
	hb_puts(b, "</p>\n");
}

void pp_service(struct hbuf *b, const struct pp_ctx *c, const struct kservice *s)
{
	const char *L = c->lang;
	char self[KCAT_ID_MAX + 16], line[LINE_MAX_BYTES];

	snprintf(self, sizeof self, "services/%s", s->id);
	page_begin(b, c, s->name.th, s->name.en, self, NULL, NULL);
	hb_puts(b, "<p class=\"crumbs\"><a href=\"");
	pp_link(b, c, "services/", L);
	hb_printf(b, "\">%s</a></p>\n<h1>", tr(c, "← บริการทั้งหมด", "← All services"));
	hb_esc(b, ktext_get(&s->name, L));
	hb_puts(b, "</h1>\n");
	para(b, "summary", ktext_get(&s->summary, L));

	/* Warnings first: what sends people home (witnesses, originals). */
	for (size_t i = 0; i < s->n_warnings; i++) {
		hb_puts(b, "<div class=\"note\" role=\"note\"><p>");
		hb_esc(b, ktext_get(&s->warnings[i], L));
		hb_puts(b, "</p></div>\n");
	}

	h2(b, c, "เอกสารที่ต้องเตรียม", "Documents to bring");
	hb_puts(b, "<ol class=\"docs\">\n");
	for (size_t i = 0; i < s->n_docs; i++) {
		const struct kdoc *d = &s->docs[i];
		const char *cond = ktext_get(&d->condition, L);
		/* No card holder on the web: a document for one age group says which. */
		if (!cond || !*cond)
			cond = cardrule_applies_text(d->applies, L);
		kdoc_counts(d, is_en(c) ? "en" : "th", line, sizeof line);
		hb_puts(b, "<li><span class=\"doc\">");
		hb_esc(b, ktext_get(&d->name, L));
		hb_puts(b, "</span>");
		if (*line) {
			hb_puts(b, "<span class=\"count\">");
			hb_esc(b, line);
			hb_puts(b, "</span>");
		}
		if (cond && *cond) {
			hb_puts(b, "<span class=\"cond\">");
			hb_esc(b, cond);
			hb_puts(b, "</span>");
		}
		hb_puts(b, "</li>\n");
	}
	hb_puts(b, "</ol>\n");

	if (s->n_criteria) {
		h2(b, c, "หลักเกณฑ์", "Who can apply");
		hb_puts(b, "<ul>\n");
		for (size_t i = 0; i < s->n_criteria; i++) {
			hb_puts(b, "<li>");
			hb_esc(b, ktext_get(&s->criteria[i], L));
			hb_puts(b, "</li>\n");
		}
		hb_puts(b, "</ul>\n");
	}
	if (s->n_steps) {
		h2(b, c, "ขั้นตอน", "Steps");
		hb_puts(b, "<ol class=\"steps\">\n");
		for (size_t i = 0; i < s->n_steps; i++) {
			const struct kstep *p = &s->steps[i];
			if (p->minutes >= 0)
				snprintf(line, sizeof line, "%s · %d %s", ktext_get(&p->unit, L),
					 p->minutes, tr(c, "นาที", "min"));
			else
				snprintf(line, sizeof line, "%s", ktext_get(&p->unit, L));
			hb_puts(b, "<li>");
			hb_esc(b, ktext_get(&p->text, L));
			hb_puts(b, "<span class=\"unit\">");
			hb_esc(b, line);
			hb_puts(b, "</span></li>\n");
		}
		hb_puts(b, "</ol>\n");
	}
	h2(b, c, "ค่าธรรมเนียม", "Fee");
	para(b, NULL, ktext_get(&s->fee, L));
	h2(b, c, "ระยะเวลา", "Time needed");
	para(b, NULL, ktext_get(&s->total_time, L));
	if (s->n_complaints) {
		h2(b, c, "ช่องทางร้องเรียน", "Complaints");
		hb_puts(b, "<ul>\n");
		for (size_t i = 0; i < s->n_complaints; i++) {
			hb_puts(b, "<li>");
			hb_esc(b, ktext_get(&s->complaints[i], L));
			hb_puts(b, "</li>\n");
		}
		hb_puts(b, "</ul>\n");
	}
	if (s->verified) {
		char date[HTML_DATE_MAX];
		html_date(s->verified, L, date, sizeof date);
		snprintf(line, sizeof line, is_en(c) ? "Information as of %s" : "ข้อมูล ณ วันที่ %s", date);
		para(b, "verified", line);
	}
	page_end(b, c);
}

void pp_opendata_desc(const char *name, const char *lang, char *out, size_t cap)
{
	int en = lang && !strcmp(lang, "en"), y, m;
	const char *bom = strstr(name, "-bom.") ? (en ? " (with a BOM for Excel)" : " (มี BOM สำหรับ Excel)") : "";
	char month[64];

	if (!strncmp(name, "catalogue", 9))
		snprintf(out, cap, "%s%s", en ? "The services: documents, steps, fees and times"
					   : "รายการบริการ เอกสาร ขั้นตอน ค่าธรรมเนียม และระยะเวลา", bom);
	else if (sscanf(name, "stats-%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
		report_month_name(y, m, en ? "en" : "th", month, sizeof month);
		snprintf(out, cap, "%s %s%s",
			 en ? "Monthly figures per service for" : "สถิติรายบริการ ประจำเดือน", month, bom);
	} else if (!strncmp(name, "stats.", 6) || !strncmp(name, "stats-bom.", 10))
		snprintf(out, cap, "%s%s", en ? "Monthly figures per service, every month"
					      : "สถิติรายบริการ ทุกเดือน", bom);
	else if (!strncmp(name, "dictionary", 10))
		snprintf(out, cap, "%s", en ? "Data dictionary: each field, its type and meaning"
					    : "พจนานุกรมข้อมูล ชื่อช่อง ชนิด และความหมาย");
	else if (!strcmp(name, "metadata.json"))
		snprintf(out, cap, "%s", en ? "Dataset metadata in the national catalogue's (CKAN) fields"
					    : "คำอธิบายชุดข้อมูลตามแบบของบัญชีข้อมูลภาครัฐ (CKAN)");
	else if (!strcmp(name, "dcat.jsonld"))
		snprintf(out, cap, "%s", en ? "Dataset description in DCAT (JSON-LD)"
					    : "คำอธิบายชุดข้อมูลแบบ DCAT (JSON-LD)");
	else
		snprintf(out, cap, "%s", name);
}

void pp_opendata(struct hbuf *b, const struct pp_ctx *c, const struct pp_file *f, int n)
{
	char desc[LINE_MAX_BYTES];
	int sizes = 0;
	for (int i = 0; i < n; i++)
		sizes |= f[i].size >= 0;
	page_begin(b, c, "ข้อมูลเปิดภาครัฐ", "Open government data", "open-data/", NULL, NULL);
	hb_printf(b, "<h1>%s</h1>\n<p>%s</p>\n", tr(c, "ข้อมูลเปิดภาครัฐ", "Open government data"),
		  tr(c, "รายการบริการและสถิติการใช้บริการรายเดือนของงานปกครอง ไม่มีข้อมูลส่วนบุคคลและไม่มีความคิดเห็นของผู้ประเมิน "
			"ช่องที่มีผู้ประเมินน้อยกว่า 5 คนเว้นว่างไว้ เพื่อไม่ให้ย้อนรู้คำตอบของผู้ใดได้",
		     "The Administration Section's services and monthly usage figures. No personal data "
		     "and no comments; cells with fewer than 5 ratings are left empty so that no single "
		     "answer can be read back."));
	hb_printf(b, "<table class=\"files\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th>",
		  tr(c, "ไฟล์ข้อมูล", "Files"), tr(c, "ไฟล์", "File"), tr(c, "คำอธิบาย", "Description"));
	if (sizes)
		hb_printf(b, "<th scope=\"col\">%s</th>", tr(c, "ขนาด", "Size"));
	hb_puts(b, "</tr></thead>\n<tbody>\n");
	for (int i = 0; i < n; i++) {
		pp_opendata_desc(f[i].name, c->lang, desc, sizeof desc);
		hb_puts(b, "<tr><td><a href=\"");
		hb_url(b, f[i].name);
		hb_puts(b, "\">");
		hb_esc(b, f[i].name);
		hb_puts(b, "</a></td><td>");
		hb_esc(b, desc);
		if (sizes && f[i].size >= 0)
			hb_printf(b, "</td><td>%.1f KB", (double)f[i].size / 1024.0);
		else if (sizes)
			hb_puts(b, "</td><td>");
		hb_puts(b, "</td></tr>\n");
	}
	hb_puts(b, "</tbody>\n</table>\n");
	page_end(b, c);
}

static void minutes(struct hbuf *b, const struct pp_ctx *c, double v)
{
	if (v < 0)
		hb_esc(b, tr(c, "ยังไม่มีข้อมูล", "no data yet"));
	else
		hb_printf(b, "%.0f %s", v, tr(c, "นาที", "min"));
}

/* Users per day as bars: an SVG drawn by attributes (no style: the CSP forbids it), with
 * its figures in a table beside it for screen readers and printing. */
static void day_chart(struct hbuf *b, const struct pp_ctx *c, const struct report *m)
{
	int days = m->days > REPORT_DAYS_MAX ? REPORT_DAYS_MAX : m->days;
	long max = 1;
	const int W = 620, H = 200, base = 180, bw = 20;
	for (int i = 0; i < days; i++)
		if (m->per_day[i] > max)
			max = m->per_day[i];
	hb_printf(b, "<figure>\n<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
		     "aria-labelledby=\"chart-cap\">\n", W, H);
	hb_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", base, W, base);
	for (int i = 0; i < days; i++) {
		int h = (int)((double)m->per_day[i] * (base - 24) / (double)max + 0.5);
		hb_printf(b, "<rect class=\"b\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>%d: %ld</title></rect>\n",
			  i * bw + 2, base - h, bw - 4, h, i + 1, m->per_day[i]);
		if (i == 0 || (i + 1) % 5 == 0)
			hb_printf(b, "<text x=\"%d\" y=\"%d\">%d</text>\n", i * bw + bw / 2, H - 2, i + 1);
	}
	hb_printf(b, "<text x=\"2\" y=\"14\">%ld</text>\n</svg>\n<figcaption id=\"chart-cap\">%s</figcaption>\n</figure>\n",
		  max, tr(c, "ผู้รับบริการรายวันของเดือนนี้ (คน)", "Users per day this month (people)"));
	hb_printf(b, "<details><summary>%s</summary>\n<table class=\"days\"><thead><tr><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		  tr(c, "ตัวเลขรายวัน", "Figures per day"), tr(c, "วันที่", "Day"),
		  tr(c, "ผู้รับบริการ", "Users"));
	for (int i = 0; i < days; i++)
		hb_printf(b, "<tr><td>%d</td><td>%ld</td></tr>\n", i + 1, m->per_day[i]);
	hb_puts(b, "</tbody></table></details>\n");
}

static void figure_row(struct hbuf *b, const struct pp_ctx *c, const char *th, const char *en,
		       const char *value)
{
	hb_puts(b, "<tr><th scope=\"row\">");
	hb_esc(b, tr(c, th, en));
	hb_puts(b, "</th><td>");
	hb_esc(b, value);
	hb_puts(b, "</td></tr>\n");
}

void pp_stats(struct hbuf *b, const struct pp_ctx *c, const struct kqueue_status *now,
	      const struct report *today, const struct report *month)
{
	const struct kcatalog *cat = &c->cfg->catalog;
	char line[LINE_MAX_BYTES], mname[64], date[HTML_DATE_MAX];
	struct kdate d;
	long waiting = 0;

	kclock_bkk(kclock_now(), &d);
	page_begin(b, c, "สถิติการใช้บริการ", "Service statistics", "stats", NULL, NULL);
	html_date(today->from, c->lang, date, sizeof date);
	hb_printf(b, "<h1>%s</h1>\n<p class=\"asof\">", tr(c, "สถิติการใช้บริการ", "Service statistics"));
	hb_printf(b, is_en(c) ? "As of %02d:%02d, %s" : "ข้อมูล ณ เวลา %02d:%02d น. วันที่ %s", d.hour,
		  d.min, date);
	hb_puts(b, "</p>\n<section>\n");
	h2(b, c, "วันนี้", "Today");
	hb_printf(b, "<table class=\"wait\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		  tr(c, "รอรับบริการตอนนี้", "Waiting now"), tr(c, "บริการ", "Service"),
		  tr(c, "รอ (คน)", "Waiting (people)"));
	for (size_t i = 0; i < cat->n && i < KCAT_SERVICES_MAX; i++) {
		hb_puts(b, "<tr><th scope=\"row\">");
		hb_esc(b, ktext_get(&cat->svc[i].name, c->lang));
		hb_printf(b, "</th><td>%d</td></tr>\n", now->waiting[i]);
		waiting += now->waiting[i];
	}
	hb_printf(b, "</tbody><tfoot><tr><th scope=\"row\">%s</th><td>%ld</td></tr></tfoot></table>\n",
		  tr(c, "รวม", "Total"), waiting);
	hb_puts(b, "<table class=\"figs\"><tbody>\n");
	snprintf(line, sizeof line, "%ld", today->served);
	figure_row(b, c, "ให้บริการแล้ววันนี้ (คน)", "Served today (people)", line);
	struct hbuf t;
	hb_init(&t);
	minutes(&t, c, today->wait_median_min);
	figure_row(b, c, "เวลารอ (ค่ามัธยฐาน)", "Waiting time (median)", t.p ? t.p : "");
	hb_free(&t);
	hb_puts(b, "</tbody></table>\n</section>\n<section>\n");

	report_month_name(month->year, month->month, c->lang, mname, sizeof mname);
	snprintf(line, sizeof line, is_en(c) ? "This month (%s)" : "เดือนนี้ (%s)", mname);
	hb_puts(b, "<h2>");
	hb_esc(b, line);
	hb_puts(b, "</h2>\n");
	snprintf(line, sizeof line,
		 is_en(c) ? "%ld of the target of %d people a month" : "%ld จากเป้าหมาย %d คนต่อเดือน",
		 month->combined, month->target);
	hb_printf(b, "<p class=\"target\"><label for=\"target\">%s</label> <meter id=\"target\" min=\"0\" "
		     "max=\"%d\" value=\"%ld\">%ld</meter> <span>",
		  tr(c, "ผู้ใช้บริการรวม", "People served in all ways"), month->target,
		  month->combined > month->target ? (long)month->target : month->combined,
		  month->combined);
	hb_esc(b, line);
	hb_puts(b, "</span></p>\n<table class=\"figs\"><tbody>\n");
	snprintf(line, sizeof line, "%ld", month->users);
	figure_row(b, c, "ผู้รับบริการที่ช่อง (บัตรคิว)", "Served at a counter (tickets)", line);
	snprintf(line, sizeof line, "%ld", month->lookups);
	figure_row(b, c, "การค้นหาข้อมูล (ตู้บริการ เว็บไซต์ หน้าติดตามคิว)",
		   "Look-ups (kiosk, website, ticket page)", line);
	snprintf(line, sizeof line, "%ld", month->participants);
	figure_row(b, c, "ผู้ร่วมประเมินความพึงพอใจ", "People who rated the service", line);
	snprintf(line, sizeof line, "%ld", month->combined);
	figure_row(b, c, "รวมผู้ใช้บริการ (นับเทียบเป้าหมาย)", "All users (counted against the target)",
		   line);
	if (month->sat.n > 0 && month->sat.band_all)
		snprintf(line, sizeof line, "%.2f (%s) · %ld %s", month->sat.all,
			 rating_band_label(month->sat.band_all, c->lang), month->sat.n,
			 tr(c, "คนประเมิน", "ratings"));
	else
		snprintf(line, sizeof line, "%s", tr(c, "ยังไม่มีผู้ประเมิน", "no ratings yet"));
	figure_row(b, c, "ความพึงพอใจ (เต็ม 5)", "Satisfaction (out of 5)", line);
	hb_puts(b, "</tbody></table>\n");
	day_chart(b, c, month);
	hb_printf(b, "<p class=\"hint\">%s</p>\n",
		  tr(c, "ผู้ใช้บริการรวม = ผู้รับบัตรคิว + ผู้ค้นหาข้อมูลที่ตู้โดยไม่รับบัตรคิว + "
			"การเปิดดูรายการเอกสารบนเว็บไซต์ (ผู้เปิดหน้าติดตามคิวและผู้ประเมินนับรวมในผู้รับบัตรคิวแล้ว)",
		     "All users = tickets taken + kiosk look-ups without a ticket + checklist views on "
		     "the web (people who followed their ticket or rated are already counted by their "
		     "ticket)"));
	hb_puts(b, "</section>\n");
	page_end(b, c);
}

void pp_message(struct hbuf *b, const struct pp_ctx *c, const char *title_th, const char *title_en,
		const char *text_th, const char *text_en, const char *back)
{
	page_begin(b, c, title_th, title_en, "", NULL, NULL);
	hb_puts(b, "<h1>");
	hb_esc(b, tr(c, title_th, title_en));
	hb_puts(b, "</h1>\n");
	para(b, "lead", tr(c, text_th, text_en));
	/* Thai first, English second: a tourist with a Thai-set phone still reads it. */
	if (!is_en(c)) {
		hb_puts(b, "<p lang=\"en\" class=\"second\">");
		hb_esc(b, text_en);
		hb_puts(b, "</p>\n");
	}
	hb_puts(b, "<p class=\"next\">");
	if (back) {
		hb_puts(b, "<a class=\"btn\" href=\"");
		hb_puts(b, back);
		hb_printf(b, "\">%s</a> ", tr(c, "กลับไปที่บัตรคิว", "Back to the ticket"));
	}
	if (!c->relay) { /* the relay serves the ticket page only */
		hb_puts(b, "<a class=\"btn2\" href=\"");
		pp_link(b, c, "services/", c->lang);
		hb_printf(b, "\">%s</a>", tr(c, "ดูบริการและเอกสารที่ต้องเตรียม",
					     "See the services and documents"));
	}
	hb_puts(b, "</p>\n");
	page_end(b, c);
}

/* ---- the ticket ------------------------------------------------------------------ */

/* root + the ticket page's path + suffix + "?" + query [+ "&lang=en"], escaped for an
 * attribute. */
static void ticket_href(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t,
			const char *suffix, const char *lang, const char *extra)
{
	hb_esc(b, c->root);
	hb_esc(b, t->path);
	hb_esc(b, suffix);
	hb_puts(b, "?");
	hb_esc(b, t->query);
	if (lang && !strcmp(lang, "en"))
		hb_puts(b, "&amp;lang=en");
	if (extra) {
		hb_puts(b, "&amp;");
		hb_esc(b, extra);
	}
}

static int live_state(const char *st)
{
	return !strcmp(st, "waiting") || !strcmp(st, "called") || !strcmp(st, "serving");
}

void pp_ticket_status(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t)
{
	const struct kticket_view *v = &t->v;
	const struct kservice *s = kcatalog_find(&c->cfg->catalog, v->t.service);
	const char *st = v->t.state;

	if (t->banner_th) {
		hb_puts(b, "<p class=\"lost stale\">");
		hb_esc(b, tr(c, t->banner_th, t->banner_en));
		hb_puts(b, "</p>\n");
	}
	hb_printf(b, "<p class=\"num\" data-state=\"%s\"><span class=\"lbl\">%s</span> ", st,
		  tr(c, "หมายเลข", "Number"));
	hb_esc(b, v->t.number);
	hb_puts(b, "</p>\n<p class=\"svc\">");
	hb_esc(b, s ? ktext_get(&s->name, c->lang) : v->t.service);
	hb_puts(b, "</p>\n");
	if (!strcmp(st, "waiting")) {
		if (v->ahead <= 0)
			hb_printf(b, "<p class=\"ahead\">%s</p>\n", tr(c, "คุณเป็นคิวถัดไป", "You are next"));
		else if (is_en(c))
			hb_printf(b, "<p class=\"ahead\"><strong>%d</strong> %s before you</p>\n",
				  v->ahead, v->ahead == 1 ? "person" : "people");
		else
			hb_printf(b, "<p class=\"ahead\">รออีก <strong>%d</strong> คน</p>\n", v->ahead);
		if (v->wait_lo < 0)
			hb_printf(b, "<p class=\"est\">%s</p>\n",
				  tr(c, "ยังประมาณเวลารอไม่ได้ เพราะวันนี้ยังไม่มีช่องใดให้บริการงานนี้",
				     "No estimate yet: no counter has served this service today"));
		else if (v->wait_hi <= v->wait_lo)
			hb_printf(b, "<p class=\"est\">%s %d %s</p>\n", tr(c, "ประมาณ", "about"),
				  v->wait_lo, tr(c, "นาที", "minutes"));
		else
			hb_printf(b, "<p class=\"est\">%s %d–%d %s</p>\n", tr(c, "ประมาณ", "about"),
				  v->wait_lo, v->wait_hi, tr(c, "นาที", "minutes"));
	} else if (!strcmp(st, "called")) {
		hb_printf(b, "<p class=\"call\">%s <span class=\"k\">%d</span></p>\n",
			  tr(c, "เชิญที่ช่อง", "Please go to counter"), v->counter);
	} else if (!strcmp(st, "serving")) {
		hb_printf(b, "<p class=\"serving\">%s %d</p>\n",
			  tr(c, "กำลังรับบริการที่ช่อง", "Being served at counter"), v->counter);
	} else if (!strcmp(st, "done")) {
		hb_printf(b, "<p class=\"done\">%s</p>\n",
			  tr(c, "รับบริการเรียบร้อยแล้ว ขอบคุณที่มาใช้บริการ", "Served. Thank you for coming."));
	} else if (!strcmp(st, "no_show")) {
		hb_printf(b, "<p class=\"gone\">%s</p>\n",
			  tr(c, "เรียกหมายเลขนี้แล้วแต่ไม่พบผู้รับบริการ กรุณาติดต่อเจ้าหน้าที่",
			     "This number was called but nobody came. Please ask a member of staff."));
	} else if (!strcmp(st, "cancelled")) {
		hb_printf(b, "<p class=\"gone\">%s</p>\n",
			  tr(c, "คุณออกจากคิวแล้ว หมายเลขนี้จะไม่ถูกเรียก",
			     "You left the queue. This number will not be called."));
	}
}

static void hidden_ms(struct hbuf *b, int64_t ms)
{
	hb_printf(b, "<input type=\"hidden\" name=\"f\" value=\"%lld\">\n", (long long)ms);
}

void pp_ticket_actions(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t)
{
	const char *st = t->v.t.state;
	if (t->notice_th) {
		hb_puts(b, "<p class=\"notice\">");
		hb_esc(b, tr(c, t->notice_th, t->notice_en));
		hb_puts(b, "</p>\n");
	}
	if (c->relay) {
		/* The relay has the queue, not the office's database: leaving the queue and
		 * rating happen at the office (docs/public.md "The relay"). Said kindly, where
		 * the kiosk's page has its forms. */
		if (!strcmp(st, "waiting"))
			hb_printf(b, "<p class=\"hint\">%s</p>\n",
				  tr(c, "หากไม่ต้องการรับบริการแล้ว กรุณาแจ้งเจ้าหน้าที่ที่สำนักงาน",
				     "If you no longer need the service, please tell a member of staff "
				     "at the office."));
		else if (!strcmp(st, "done"))
			hb_printf(b, "<p class=\"hint\">%s</p>\n",
				  tr(c, "ประเมินความพึงพอใจได้ที่ตู้บริการของสำนักงาน โดยสแกนคิวอาร์โค้ดบนบัตรคิวนี้",
				     "You can rate our service at the office's kiosk: scan the QR code "
				     "on this ticket there."));
		return;
	}
	if (!strcmp(st, "waiting")) {
		hb_puts(b, "<form method=\"post\" class=\"leave\" action=\"");
		ticket_href(b, c, t, "/leave", c->lang, NULL);
		hb_printf(b, "\">\n<button type=\"submit\" name=\"step\" value=\"ask\" class=\"btn2\">%s</button>\n"
			     "</form>\n",
			  tr(c, "ออกจากคิว", "Leave the queue"));
		return;
	}
	if (t->rated) {
		hb_printf(b, "<p class=\"thanks\">%s</p>\n",
			  tr(c, "ขอบคุณสำหรับการประเมิน ความเห็นของท่านช่วยให้เราปรับปรุงบริการ",
			     "Thank you for rating us: your answers help us improve."));
		return;
	}
	if (!t->can_rate)
		return;
	hb_puts(b, "<form method=\"post\" class=\"rate\" action=\"");
	ticket_href(b, c, t, "/rate", c->lang, NULL);
	hb_printf(b, "\">\n<h2>%s</h2>\n<p>%s</p>\n", tr(c, "ประเมินความพึงพอใจ", "Rate our service"),
		  tr(c, "ไม่ระบุตัวตน ตอบครบ 4 ข้อแล้วกดส่ง ประเมินได้ครั้งเดียว",
		     "Anonymous. Answer the 4 questions and send; once per ticket."));
	for (int d = 0; d < RATING_DIMS; d++) {
		hb_puts(b, "<fieldset>\n<legend>");
		hb_esc(b, rating_question((enum rating_dim)d, c->lang));
		hb_puts(b, "</legend>\n<div class=\"scale\">\n");
		/* Highest first, as the kiosk's rating screen. */
		for (int s = 5; s >= 1; s--)
			hb_printf(b, "<label><input type=\"radio\" name=\"%s\" value=\"%d\" required> "
				     "<span>%s</span></label>\n",
				  rating_dim_key((enum rating_dim)d), s,
				  rating_scale_label(s, c->lang));
		hb_puts(b, "</div>\n</fieldset>\n");
	}
	hb_printf(b, "<label for=\"comment\" class=\"clabel\">%s</label>\n"
		     "<textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"200\" "
		     "aria-describedby=\"comment-hint\"></textarea>\n"
		     "<p id=\"comment-hint\" class=\"hint\">%s</p>\n",
		  tr(c, "ความคิดเห็นเพิ่มเติม (ไม่บังคับ)", "Anything else? (optional)"),
		  tr(c, "กรุณาอย่าใส่ชื่อ เลขประจำตัวประชาชน หรือเบอร์โทรศัพท์",
		     "Please do not write your name, ID number or phone number"));
	hidden_ms(b, t->form_ms);
	hb_printf(b, "<button type=\"submit\" class=\"btn\">%s</button>\n</form>\n",
		  tr(c, "ส่งผลการประเมิน", "Send"));
}

void pp_ticket(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t)
{
	const struct kticket_view *v = &t->v;
	struct hbuf head, sw;
	int live = live_state(v->t.state);
	char title_th[64], title_en[64];

	hb_init(&head);
	hb_init(&sw);
	/* Without JavaScript the page refreshes itself while something can still change;
	 * r=1 marks the refresh so it is not counted as a new visit. Never over a form. */
	if (live) {
		hb_puts(&head, "<noscript><meta http-equiv=\"refresh\" content=\"15; url=");
		ticket_href(&head, c, t, "", c->lang, "r=1");
		hb_puts(&head, "\"></noscript>\n");
	}
	hb_puts(&head, "<script src=\"");
	hb_esc(&head, c->root);
	hb_puts(&head, "assets/ticket.js\" defer></script>\n");
	ticket_href(&sw, c, t, "", is_en(c) ? "th" : "en", NULL);
	snprintf(title_th, sizeof title_th, "คิว %s", v->t.number);
	snprintf(title_en, sizeof title_en, "Ticket %s", v->t.number);
	page_begin(b, c, title_th, title_en, NULL, sw.p ? sw.p : "", head.p ? head.p : "");
	hb_free(&head);
	hb_free(&sw);

	hb_puts(b, "<div id=\"ticket\" data-wait=\"");
	ticket_href(b, c, t, "/wait", c->lang, NULL);
	hb_printf(b, "\" data-after=\"%lld\" data-state=\"%s\">\n<h1>%s</h1>\n", (long long)v->changed,
		  v->t.state, tr(c, "บัตรคิวของคุณ", "Your queue ticket"));
	hb_printf(b, "<p id=\"lost\" class=\"lost\" role=\"alert\" hidden>%s</p>\n",
		  tr(c, "ขาดการเชื่อมต่อ กำลังลองเชื่อมต่อใหม่… ข้อมูลด้านล่างอาจไม่เป็นปัจจุบัน",
		     "Connection lost, trying again… What you see below may be out of date."));
	hb_puts(b, "<div id=\"live\" class=\"live\" role=\"status\" aria-live=\"polite\">\n");
	pp_ticket_status(b, c, t);
	hb_puts(b, "</div>\n");
	if (live) {
		hb_printf(b, "<p class=\"prio\" id=\"prio\">%s</p>\n",
			  tr(c, "คิวพิเศษ (ผู้สูงอายุ ผู้พิการ สตรีมีครรภ์ พระภิกษุ) อาจได้รับเรียกก่อน "
				"จำนวนคิวที่รออาจเพิ่มขึ้นได้",
			     "Priority tickets (elderly, disabled, pregnant, monks) may be called first, so "
			     "the number before you can go up."));
		/* The pause (WCAG 2.2.2) and the update note only mean something with script. */
		hb_printf(b, "<p class=\"auto\" id=\"auto\" hidden><span id=\"auto-text\" data-on=\"%s\" "
			     "data-off=\"%s\">%s</span> <button type=\"button\" id=\"pause\" class=\"btn2\" "
			     "data-pause=\"%s\" data-resume=\"%s\" aria-pressed=\"false\">%s</button></p>\n",
			  tr(c, "หน้านี้อัปเดตเองเมื่อคิวเปลี่ยน", "This page updates by itself"),
			  tr(c, "หยุดอัปเดตไว้", "Updates paused"),
			  tr(c, "หน้านี้อัปเดตเองเมื่อคิวเปลี่ยน", "This page updates by itself"),
			  tr(c, "หยุดอัปเดต", "Pause updates"), tr(c, "อัปเดตต่อ", "Resume updates"),
			  tr(c, "หยุดอัปเดต", "Pause updates"));
	}
	hb_puts(b, "<div id=\"actions\">\n");
	pp_ticket_actions(b, c, t);
	hb_puts(b, "</div>\n</div>\n");
	page_end(b, c);
}

void pp_ticket_leave(struct hbuf *b, const struct pp_ctx *c, const struct pp_ticket *t)
{
	char title_th[96], title_en[96];
	struct hbuf sw;
	hb_init(&sw);
	ticket_href(&sw, c, t, "", is_en(c) ? "th" : "en", NULL);
	snprintf(title_th, sizeof title_th, "ออกจากคิว %s ใช่หรือไม่", t->v.t.number);
	snprintf(title_en, sizeof title_en, "Leave the queue with %s?", t->v.t.number);
	page_begin(b, c, title_th, title_en, NULL, sw.p ? sw.p : "", NULL);
	hb_free(&sw);
	hb_puts(b, "<h1>");
	hb_esc(b, tr(c, title_th, title_en));
	hb_printf(b, "</h1>\n<p class=\"lead\">%s</p>\n<form method=\"post\" action=\"",
		  tr(c, "เมื่อออกจากคิวแล้ว หมายเลขนี้จะไม่ถูกเรียก หากต้องการรับบริการต้องรับบัตรคิวใหม่ที่ตู้",
		     "Your number will not be called. To be served you will need a new ticket from the "
		     "kiosk."));
	ticket_href(b, c, t, "/leave", c->lang, NULL);
	hb_printf(b, "\" class=\"confirm\">\n<button type=\"submit\" name=\"confirm\" value=\"yes\" "
		     "class=\"btn warn\">%s</button>\n<a class=\"btn2\" href=\"",
		  tr(c, "ใช่ ออกจากคิว", "Yes, leave the queue"));
	ticket_href(b, c, t, "", c->lang, NULL);
	hb_printf(b, "\">%s</a>\n</form>\n", tr(c, "ไม่ ฉันจะรอต่อ", "No, I will keep waiting"));
	page_end(b, c);
}
