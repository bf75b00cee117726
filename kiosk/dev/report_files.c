/**
 * @file report_files.c
 * @brief Charts, JSON and the printable one-page summary of a report.
 */
#include "dev/report_files.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/chart.h"

static const uint32_t band_color[6] = {0x9e9e9e, 0xc62828, 0xef6c00, 0xf9a825, 0x7cb342, 0x2e7d32};
static const char *const dim_th[RATING_DIMS + 1] = {
	"ขั้นตอนการให้บริการ", "เจ้าหน้าที่ผู้ให้บริการ", "สิ่งอำนวยความสะดวก", "ภาพรวม", "เฉลี่ยทุกด้าน"};
static const char *const dim_en[RATING_DIMS + 1] = {"process", "staff", "facilities", "overall",
						     "all"};

static kst add(struct report_files *out, const char *dir, const char *name)
{
	if (out->n < REPORT_FILES_MAX)
		snprintf(out->path[out->n++], REPORT_PATH_MAX, "%s/%s", dir, name);
	return K_OK;
}

static void html_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* Copies Sarabun next to the page: the tree's fonts/, or the installed share/kiosk/fonts. */
static void copy_fonts(const char *dir)
{
	static const char *const names[] = {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"};
	char exe[PATH_MAX] = "", base[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *s = strrchr(exe, '/');
		if (s)
			*s = 0;
		s = strrchr(exe, '/');
		if (s)
			*s = 0; /* <prefix>/bin/kiosk or <tree>/build/kiosk -> <prefix> or <tree> */
	}
	const char *cands[] = {"fonts", NULL, "/usr/share/kiosk/fonts", "/usr/local/share/kiosk/fonts"};
	snprintf(base, sizeof base, "%s/share/kiosk/fonts", exe);
	cands[1] = base;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size_t c = 0; c < sizeof cands / sizeof cands[0]; c++) {
			char src[PATH_MAX + 96], dst[PATH_MAX + 96], buf[65536];
			snprintf(src, sizeof src, "%s/%s", cands[c], names[i]);
			FILE *in = fopen(src, "rb");
			if (!in)
				continue;
			snprintf(dst, sizeof dst, "%s/%s", dir, names[i]);
			FILE *o = fopen(dst, "wb");
			size_t k;
			while (o && (k = fread(buf, 1, sizeof buf, in)) > 0)
				if (fwrite(buf, 1, k, o) != k)
					break;
			if (o)
				fclose(o);
			fclose(in);
			break;
		}
	}
}

static void fmt_min(char *out, size_t cap, double v)
{
	if (v < 0)
		snprintf(out, cap, "–");
	else
		snprintf(out, cap, "%.1f", v);
}

static kst write_html(const struct report *r, const struct kconfig *cfg, const char *path,
		      const struct report_files_opts *o, struct kerr *err)
{
	int ro = o->ratings_only;
	char month[64], w[16], sv[16];
	FILE *f = fopen(path, "w");
	if (!f)
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	if (r->month)
		report_month_name(r->year, r->month, "th", month, sizeof month);
	else
		snprintf(month, sizeof month, "%s ถึง %s", r->from, r->until);
	fmt_min(w, sizeof w, r->wait_min);
	fmt_min(sv, sizeof sv, r->service_min);
	fputs("<!doctype html>\n<html lang=\"th\"><head><meta charset=\"utf-8\">\n<title>", f);
	fprintf(f, "%s%s</title>\n", ro ? "รายงานความพึงพอใจประจำเดือน" : "รายงานประจำเดือน",
		month);
	fputs("<style>\n"
	      "@font-face{font-family:Sarabun;src:local('Sarabun'),url(Sarabun-Regular.ttf)}\n"
	      "@font-face{font-family:Sarabun;font-weight:bold;src:local('Sarabun Bold'),"
	      "url(Sarabun-Bold.ttf)}\n"
	      "@page{size:A4 portrait;margin:10mm 12mm}\n"
	      "*{box-sizing:border-box}\n"
	      "body{font-family:Sarabun,'TH Sarabun New',Laksaman,Loma,sans-serif;font-size:10pt;"
	      "line-height:1.25;color:#222;margin:0;-webkit-print-color-adjust:exact;"
	      "print-color-adjust:exact}\n"
	      ".page{width:186mm;margin:0 auto}\n"
	      "h1{font-size:14pt;margin:0}h2{font-size:10.5pt;margin:2mm 0 1mm}\n"
	      "h2 small,.sub{color:#666;font-weight:normal}.sub{margin:0 0 1.5mm;font-size:9pt}\n"
	      ".kpi{display:flex;gap:2mm;margin:1.5mm 0}\n"
	      ".kpi div{flex:1;border:0.3mm solid #bbb;border-radius:1.5mm;padding:1mm;"
	      "text-align:center;font-size:9pt}\n"
	      ".kpi b{display:block;font-size:14pt}\n"
	      ".ok{color:#2e7d32}.no{color:#c62828}\n"
	      "table{border-collapse:collapse;width:100%;font-size:9pt}\n"
	      "th,td{border-bottom:0.2mm solid #ddd;padding:0.4mm 1mm;text-align:right;"
	      "white-space:nowrap}\n"
	      "th:first-child,td:first-child{text-align:left;white-space:normal}"
	      "th{background:#f2f2f2;font-weight:bold}\n"
	      "img{width:100%;display:block}\n"
	      ".two{display:flex;gap:3mm;align-items:flex-start}.two>section:first-child{flex:0 0 80mm}"
	      ".two>section:last-child{flex:1}\n"
	      ".band{display:inline-block;width:2.6mm;height:2.6mm;border-radius:50%;margin-right:1mm}\n"
	      ".foot{color:#666;font-size:8pt;line-height:1.45;margin:1mm 0 0}\n"
	      "section{break-inside:avoid}\n"
	      "</style></head><body><div class=\"page\">\n", f);
	fputs(ro ? "<h1>รายงานความพึงพอใจ " : "<h1>รายงานการใช้บริการและความพึงพอใจ ", f);
	html_esc(f, cfg->office_name_th);
	fprintf(f, "</h1>\n<p class=\"sub\">ประจำเดือน%s · Monthly %s report, ", month,
		ro ? "satisfaction" : "usage and satisfaction");
	html_esc(f, cfg->office_name_en);
	fprintf(f, " · %s – %s</p>\n", r->from, r->until);
	fputs("<div class=\"kpi\">", f);
	if (ro)
		goto kpi_sat; /* no tickets here: no users, waiting or service times */
	fprintf(f, "<div>ผู้ใช้บริการ<b>%ld</b>", r->users);
	if (r->month)
		fprintf(f, "<span class=\"%s\">เป้าหมาย ≥ %d คน/เดือน: %s</span>", r->target_met ? "ok" : "no",
			r->target, r->target_met ? "บรรลุ ✓" : "ไม่บรรลุ ✗");
	fputs("</div>", f);
	fprintf(f, "<div>รับบริการแล้ว<b>%ld</b>ไม่มาตามเรียก %ld · คิวพิเศษ %ld</div>", r->served,
		r->no_show, r->priority);
	fprintf(f, "<div>เวลารอเฉลี่ย<b>%s นาที</b>นานที่สุด %ld นาที</div>", w, r->wait_max_min);
	fprintf(f, "<div>เวลาให้บริการเฉลี่ย<b>%s นาที</b>ต่อราย</div>", sv);
kpi_sat:
	if (ro)
		fprintf(f, "<div>ผู้ประเมิน<b>%ld</b>คน (ratings)</div>", r->sat.n);
	fprintf(f, "<div>ความพึงพอใจเฉลี่ย<b>%.2f</b>%s (%ld คน)</div>", r->sat.all,
		rating_band_label(r->sat.band_all, "th"), r->sat.n);
	fputs("</div>\n", f);

	if (ro)
		fputs("<section><h2>ผู้ประเมินรายวัน <small>(ratings per day)</small></h2>"
		      "<img src=\"ratings_per_day.png\" alt=\"ratings per day\"></section>\n", f);
	else
		fputs("<section><h2>ผู้ใช้บริการรายวัน <small>(users per day)</small></h2>"
		      "<img src=\"users_per_day.png\" alt=\"users per day\"></section>\n", f);
	fputs("<div class=\"two\"><section><h2>ความพึงพอใจรายด้าน <small>(by question)</small></h2>"
	      "<table><tr><th>ด้าน</th><th>ค่าเฉลี่ย</th><th>ระดับ</th></tr>\n", f);
	for (int d = 0; d <= RATING_DIMS; d++) {
		double m = d < RATING_DIMS ? r->sat.mean[d] : r->sat.all;
		int b = d < RATING_DIMS ? r->sat.band[d] : r->sat.band_all;
		fprintf(f, "<tr><td>%s%s%s</td><td>%.2f</td><td><span class=\"band\" style=\"background:#%06x\">"
			   "</span>%s</td></tr>\n",
			d == RATING_DIMS ? "<b>" : "", dim_th[d], d == RATING_DIMS ? "</b>" : "", m,
			band_color[b], rating_band_label(b, "th"));
	}
	if (ro)
		fprintf(f, "</table><p class=\"foot\">ผู้ตอบ %ld คน", r->sat.n);
	else
		fprintf(f, "</table><p class=\"foot\">ผู้ตอบ %ld คน (%.0f%% ของผู้รับบริการ)", r->sat.n,
			r->response_rate * 100);
	if (r->flagged)
		fprintf(f, r->include_flagged ? " · รวมรายการผิดปกติ %ld รายการ"
					      : " · ไม่นับรายการที่ระบบตรวจพบว่าผิดปกติ %ld รายการ",
			r->flagged);
	fputs("<br>เกณฑ์: 4.21–5.00 มากที่สุด · 3.41–4.20 มาก · 2.61–3.40 ปานกลาง · 1.81–2.60 น้อย ·"
	      " 1.00–1.80 น้อยที่สุด</p></section>\n", f);
	fputs("<section><h2>&nbsp;</h2><img src=\"satisfaction.png\" alt=\"satisfaction\"></section></div>\n",
	      f);
	fputs("<section><h2>รายบริการ <small>(by service)</small></h2><table><tr><th>บริการ</th>", f);
	if (!ro)
		fputs("<th>ผู้ใช้</th><th>รับบริการ</th><th>รอเฉลี่ย (นาที)</th><th>ให้บริการ (นาที)</th>",
		      f);
	fputs("<th>ผู้ประเมิน</th><th>พึงพอใจ</th><th>ระดับ</th></tr>\n", f);
	for (int i = 0; i < r->n_services; i++) {
		const struct report_service *v = &r->svc[i];
		const struct kservice *k = kcatalog_find(&cfg->catalog, v->id);
		fmt_min(w, sizeof w, v->wait_min);
		fmt_min(sv, sizeof sv, v->service_min);
		fputs("<tr><td>", f);
		html_esc(f, k ? k->name.th : v->id);
		if (ro)
			fprintf(f, "</td><td>%ld</td>", v->sat.n);
		else
			fprintf(f, "</td><td>%ld</td><td>%ld</td><td>%s</td><td>%s</td><td>%ld</td>",
				v->users, v->served, w, sv, v->sat.n);
		if (v->sat.n)
			fprintf(f, "<td>%.2f</td><td><span class=\"band\" style=\"background:#%06x\"></span>%s</td>",
				v->sat.all, band_color[v->sat.band_all], rating_band_label(v->sat.band_all, "th"));
		else
			fputs("<td>–</td><td>–</td>", f);
		fputs("</tr>\n", f);
	}
	fputs("</table></section>\n", f);
	char now[KCLOCK_ISO_MAX];
	kclock_iso(kclock_now(), now);
	fputs("<p class=\"foot\">จัดทำโดย", f);
	if (o->made_by)
		html_esc(f, o->made_by);
	else
		fprintf(f, "ตู้บริการ %s", cfg->kiosk_id);
	if (ro)
		fprintf(f, " เมื่อ %.16s · นับจากผลประเมินที่ตู้บริการส่งมา (ไม่มีข้อมูลบัตรคิว"
			   " จึงไม่มีจำนวนผู้ใช้บริการและเวลารอ)", now);
	else
		fprintf(f, " เมื่อ %.16s · ผู้ใช้บริการนับจากบัตรคิวที่ออก ·"
			   " เวลารอนับจากออกบัตรถึงเรียกครั้งแรก", now);
	if (r->simulated)
		fprintf(f, " · <b>มีข้อมูลจำลอง %ld รายการ</b>", r->simulated);
	fputs("</p>\n</div></body></html>\n", f);
	if (fclose(f))
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	return K_OK;
}

/* report.json of a ratings-only report: the kiosk's shape, with only what exists. */
static json_t *ratings_only_json(const struct report *r, const struct kconfig *cfg)
{
	static const char *const keep[] = {"office", "month", "from", "until", "satisfaction",
					   "distribution", "flagged", "flagged_included"};
	json_t *all = report_json(r, cfg), *j = json_object(), *v;
	size_t i;
	if (!all || !j) {
		json_decref(all);
		json_decref(j);
		return NULL;
	}
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if ((v = json_object_get(all, keep[i])))
			json_object_set(j, keep[i], v);
	json_object_set_new(j, "ratings", json_integer(r->sat.n));
	json_t *days = json_array();
	json_array_foreach(json_object_get(all, "per_day"), i, v)
	{
		json_array_append_new(days, json_pack("{s:O, s:I}", "date", json_object_get(v, "date"),
						      "ratings", (json_int_t)r->per_day[i]));
	}
	json_object_set_new(j, "per_day", days);
	json_t *svcs = json_array();
	json_array_foreach(json_object_get(all, "services"), i, v)
	{
		json_array_append_new(svcs, json_pack("{s:O, s:O, s:O, s:I, s:O}", "id",
						      json_object_get(v, "id"), "name_th",
						      json_object_get(v, "name_th"), "name_en",
						      json_object_get(v, "name_en"), "ratings",
						      (json_int_t)r->svc[i].sat.n, "satisfaction",
						      json_object_get(v, "satisfaction")));
	}
	json_object_set_new(j, "services", svcs);
	json_decref(all);
	return j;
}

kst report_write_files(const struct report *r, const struct kconfig *cfg, const char *dir,
		       struct report_files *out, struct kerr *err)
{
	return report_write_files_opts(r, cfg, dir, NULL, out, err);
}

kst report_write_files_opts(const struct report *r, const struct kconfig *cfg, const char *dir,
			    const struct report_files_opts *o, struct report_files *out,
			    struct kerr *err)
{
	static const struct report_files_opts kiosk_own = {0};
	char path[REPORT_PATH_MAX + 32], title[96];
	kst rc;

	if (!o)
		o = &kiosk_own;
	int ro = o->ratings_only;

	memset(out, 0, sizeof *out);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return kerr_set(err, K_EFAIL, "%s: %s", dir, strerror(errno));

	/* Users per day, weekends faint, the target as a daily line. */
	double v[REPORT_DAYS_MAX];
	int dim[REPORT_DAYS_MAX], n = r->days < REPORT_DAYS_MAX ? r->days : REPORT_DAYS_MAX, work = 0;
	char labels[REPORT_DAYS_MAX][4];
	const char *xl[REPORT_DAYS_MAX];
	int y, m, d;
	kclock_parse_date(r->from, &y, &m, &d);
	int64_t z0 = kclock_days_from_civil(y, m, d);
	for (int i = 0; i < n; i++) {
		int wd = (int)(((z0 + i) % 7 + 11) % 7);
		int yy, mm, dd;
		kclock_civil_from_days(z0 + i, &yy, &mm, &dd);
		v[i] = (double)r->per_day[i];
		dim[i] = wd == 0 || wd == 6;
		work += !dim[i];
		snprintf(labels[i], sizeof labels[i], "%d", dd % 100);
		xl[i] = labels[i];
	}
	double ref = r->target && work && !ro ? (double)r->target / work : 0;
	char ref_label[64], ref_th[160], title_th[256];
	snprintf(ref_label, sizeof ref_label, "target %d/month = %.1f/working day", r->target, ref);
	snprintf(ref_th, sizeof ref_th, "เป้าหมาย %d คน/เดือน = %.1f คน/วันทำการ", r->target, ref);
	const char *per_day = ro ? "ratings_per_day.png" : "users_per_day.png";
	snprintf(title, sizeof title, "%s per day  %s..%s  (total %ld)", ro ? "Ratings" : "Users",
		 r->from, r->until, ro ? r->sat.n : r->users);
	snprintf(title_th, sizeof title_th, "%sรายวัน %s ถึง %s (รวม %ld คน)",
		 ro ? "ผู้ประเมิน" : "ผู้ใช้บริการ", r->from, r->until, ro ? r->sat.n : r->users);
	snprintf(path, sizeof path, "%s/%s", dir, per_day);
	if ((rc = chart_columns(path, title_th, title, n, v, xl, dim, ref, ref_th, ref_label, err)))
		return rc;
	add(out, dir, per_day);

	/* Satisfaction per question on the 1..5 scale with the Thai bands behind. */
	double sv[RATING_DIMS + 1];
	uint32_t col[RATING_DIMS + 1];
	for (int k = 0; k <= RATING_DIMS; k++) {
		sv[k] = k < RATING_DIMS ? r->sat.mean[k] : r->sat.all;
		col[k] = band_color[k < RATING_DIMS ? r->sat.band[k] : r->sat.band_all];
	}
	static const double edges[6] = {1.0, 1.80, 2.60, 3.40, 4.20, 5.0};
	snprintf(title, sizeof title, "Satisfaction (n=%ld)", r->sat.n);
	snprintf(title_th, sizeof title_th, "ความพึงพอใจรายด้าน (ผู้ตอบ %ld คน)", r->sat.n);
	snprintf(path, sizeof path, "%s/satisfaction.png", dir);
	if ((rc = chart_hbars(path, title_th, title, RATING_DIMS + 1, sv, dim_th, dim_en, col, 1.0, 5.0, 2,
			      edges, 6, err)))
		return rc;
	add(out, dir, "satisfaction.png");

	/* Users per service. */
	double uv[KCAT_SERVICES_MAX], umax = 1;
	const char *ul[KCAT_SERVICES_MAX], *ut[KCAT_SERVICES_MAX];
	uint32_t uc[KCAT_SERVICES_MAX];
	for (int i = 0; i < r->n_services; i++) {
		const struct kservice *k = kcatalog_find(&cfg->catalog, r->svc[i].id);
		uv[i] = (double)(ro ? r->svc[i].sat.n : r->svc[i].users);
		ul[i] = r->svc[i].id;
		ut[i] = k ? k->name.th : NULL;
		uc[i] = band_color[r->svc[i].sat.band_all];
		if (uv[i] > umax)
			umax = uv[i];
	}
	snprintf(title, sizeof title, "%s per service (colour: satisfaction band)",
		 ro ? "Ratings" : "Users");
	snprintf(title_th, sizeof title_th, "%sรายบริการ (สีแสดงระดับความพึงพอใจ)",
		 ro ? "ผู้ประเมิน" : "ผู้ใช้บริการ");
	snprintf(path, sizeof path, "%s/services.png", dir);
	if ((rc = chart_hbars(path, title_th, title, r->n_services, uv, ut, ul, uc, 0, umax * 1.15, 0, NULL, 0,
			      err)))
		return rc;
	add(out, dir, "services.png");

	json_t *j = ro ? ratings_only_json(r, cfg) : report_json(r, cfg);
	snprintf(path, sizeof path, "%s/report.json", dir);
	if (!j || json_dump_file(j, path, JSON_INDENT(1))) {
		json_decref(j);
		return kerr_set(err, K_EFAIL, "%s: cannot write", path);
	}
	json_decref(j);
	add(out, dir, "report.json");

	snprintf(path, sizeof path, "%s/summary.html", dir);
	if ((rc = write_html(r, cfg, path, o, err)))
		return rc;
	add(out, dir, "summary.html");
	copy_fonts(dir);
	return K_OK;
}
