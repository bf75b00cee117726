/**
 * @file report.c
 * @brief Monthly (or any period's) usage and satisfaction figures (report.h).
 */
#include "core/report.h"

#include "core/kpi.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_th[12] = {
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
static const char *const month_en[12] = {"January", "February", "March",     "April",
					 "May",     "June",     "July",      "August",
					 "September", "October", "November", "December"};

void report_month_name(int year, int month, const char *lang, char *out, size_t cap)
{
	if (month < 1 || month > 12) {
		snprintf(out, cap, "%d", year);
		return;
	}
	if (lang && !strcmp(lang, "en"))
		snprintf(out, cap, "%s %d", month_en[month - 1], year);
	else
		snprintf(out, cap, "%s %d", month_th[month - 1], year + 543);
}

static void sat_bands(struct report_sat *s)
{
	for (int d = 0; d < RATING_DIMS; d++)
		s->band[d] = s->n ? rating_band(s->mean[d]) : 0;
	s->band_all = s->n ? rating_band(s->all) : 0;
}

static struct report_service *svc_slot(struct report *r, const char *id)
{
	for (int i = 0; i < r->n_services; i++)
		if (!strcmp(r->svc[i].id, id))
			return &r->svc[i];
	if (r->n_services >= KCAT_SERVICES_MAX)
		return NULL;
	struct report_service *s = &r->svc[r->n_services++];
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s", id);
	s->wait_min = s->service_min = s->wait_median_min = -1;
	return s;
}

static double col_min(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? -1 : sqlite3_column_double(s, col) / 60.0;
}

#define DURATION "done_at-IFNULL(served_at,called_at)"

#define WAIT "called_at-issued_at"

/* The median of sorted v[0..n-1] in minutes, -1 when n is 0: the middle one, or the mean
 * of the middle two. Half the people waited less; unlike the mean, a few who waited all
 * morning do not move it. */
static double median_min(const int64_t *v, size_t n)
{
	if (!n)
		return -1;
	return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 60.0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The median waits of the period, overall and per service, from one pass over its called
 * tickets ordered by service (one query instead of two per service). */
static void wait_medians(struct kstore *st, const char *from, const char *until,
			 struct report *r)
{
	int64_t *all = NULL, *w;
	size_t n = 0, cap = 0;
	char cur[KCAT_ID_MAX] = "";
	size_t start = 0;
	sqlite3_stmt *s = kstore_prep(st,
				      "SELECT service, " WAIT " AS w FROM tickets WHERE day BETWEEN ? AND ?"
				      " AND called_at IS NOT NULL AND called_at>=issued_at ORDER BY service, w",
				      "ss", from, until);
	for (int more = 1; more;) {
		int row = s && sqlite3_step(s) == SQLITE_ROW;
		const char *sid = row ? (const char *)sqlite3_column_text(s, 0) : NULL;
		if (!row || strcmp(sid ? sid : "", cur)) {
			/* one service's run ends: [start, n) */
			for (int i = 0; cur[0] && i < r->n_services; i++)
				if (!strcmp(r->svc[i].id, cur))
					r->svc[i].wait_median_min = median_min(all + start, n - start);
			if (!row)
				break;
			snprintf(cur, sizeof cur, "%s", sid ? sid : "");
			start = n;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if (!(w = realloc(all, cap * sizeof *all))) {
				more = 0; /* out of memory: medians of what was read */
				continue;
			}
			all = w;
		}
		all[n++] = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (all)
		qsort(all, n, sizeof *all, cmp_i64);
	r->wait_median_min = median_min(all, all ? n : 0);
	free(all);
}

/* The study's KPI for one service or all (service NULL), docs/kpi.md. Counts that cannot
 * be read are 0: the report still shows users and ratings. */
static void kpi_figures(struct kstore *st, const char *from, const char *until,
			const char *service, long *kiosk, long *web, long *pages, long *no_ticket)
{
	long v[4];
	const enum kpi_kind k[4] = {KPI_KIOSK_LOOKUP, KPI_WEB_CHECKLIST, KPI_TICKET_PAGE,
				    KPI_KIOSK_LOOKUP_NO_TICKET};
	for (int i = 0; i < 4; i++) {
		v[i] = kpi_sum(st, k[i], service, from, until);
		if (v[i] < 0)
			v[i] = 0;
	}
	*kiosk = v[0], *web = v[1], *pages = v[2], *no_ticket = v[3];
}

kst report_range(struct kstore *st, const struct kconfig *cfg, const char *from,
		 const char *until, int include_flagged, struct report *r, struct kerr *err)
{
	int y1, m1, d1, y2, m2, d2;
	sqlite3_stmt *s;
	kst rc = K_OK;
	int opened;

	memset(r, 0, sizeof *r);
	if (kclock_parse_date(from, &y1, &m1, &d1) || kclock_parse_date(until, &y2, &m2, &d2))
		return kerr_set(err, K_EUSAGE, "report period %.12s..%.12s: dates are YYYY-MM-DD", from,
				until);
	int64_t z0 = kclock_days_from_civil(y1, m1, d1), z1 = kclock_days_from_civil(y2, m2, d2);
	if (z1 < z0)
		return kerr_set(err, K_EUSAGE, "the period starts after it ends");
	snprintf(r->from, sizeof r->from, "%s", from);
	snprintf(r->until, sizeof r->until, "%s", until);
	r->days = (int)(z1 - z0 + 1);
	r->include_flagged = include_flagged;
	r->wait_min = r->service_min = -1;
	for (size_t i = 0; i < cfg->catalog.n; i++)
		svc_slot(r, cfg->catalog.svc[i].id);

	/* One read snapshot: every figure from the same instant. */
	if ((rc = kstore_read_begin(st, &opened, err)))
		return rc;
	s = kstore_prep(st,
			"SELECT day, COUNT(*), SUM(state='done'), SUM(state='no_show'), SUM(priority),"
			" SUM(simulated), SUM(state='cancelled') FROM tickets WHERE day BETWEEN ? AND ?"
			" GROUP BY day",
			"ss", from, until);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		int y, m, d;
		if (kclock_parse_date((const char *)sqlite3_column_text(s, 0), &y, &m, &d))
			continue;
		int64_t i = kclock_days_from_civil(y, m, d) - z0;
		long n = sqlite3_column_int(s, 1), done = sqlite3_column_int(s, 2);
		if (i >= 0 && i < REPORT_DAYS_MAX) {
			r->per_day[i] = n;
			r->served_per_day[i] = done;
		}
		r->users += n;
		r->served += done;
		r->no_show += sqlite3_column_int(s, 3);
		r->priority += sqlite3_column_int(s, 4);
		r->simulated += sqlite3_column_int(s, 5);
		r->cancelled += sqlite3_column_int(s, 6);
	}
	if (!s)
		goto dberr;
	sqlite3_finalize(s);
	s = kstore_prep(st,
			"SELECT AVG(called_at-issued_at), MAX(called_at-issued_at) FROM tickets WHERE"
			" day BETWEEN ? AND ? AND called_at IS NOT NULL AND called_at>=issued_at",
			"ss", from, until);
	if (!s)
		goto dberr;
	if (sqlite3_step(s) == SQLITE_ROW) {
		r->wait_min = col_min(s, 0);
		r->wait_max_min = (long)(sqlite3_column_int64(s, 1) / 60);
	}
	sqlite3_finalize(s);
	s = kstore_prep(st,
			"SELECT AVG(" DURATION ") FROM tickets WHERE day BETWEEN ? AND ? AND"
			" state='done' AND " DURATION " BETWEEN 0 AND ?",
			"ssi", from, until, REPORT_MAX_DURATION_S);
	if (!s)
		goto dberr;
	if (sqlite3_step(s) == SQLITE_ROW)
		r->service_min = col_min(s, 0);
	sqlite3_finalize(s);
	s = kstore_prep(st,
			"SELECT service, COUNT(*), SUM(state='done'), SUM(state='no_show'),"
			" AVG(CASE WHEN called_at>=issued_at THEN called_at-issued_at END),"
			" AVG(CASE WHEN state='done' AND " DURATION " BETWEEN 0 AND ? THEN " DURATION
			" END), SUM(state='cancelled') FROM tickets WHERE day BETWEEN ? AND ?"
			" GROUP BY service",
			"iss", REPORT_MAX_DURATION_S, from, until);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		struct report_service *v = svc_slot(r, (const char *)sqlite3_column_text(s, 0));
		if (!v)
			continue;
		v->users = sqlite3_column_int(s, 1);
		v->served = sqlite3_column_int(s, 2);
		v->no_show = sqlite3_column_int(s, 3);
		v->wait_min = col_min(s, 4);
		v->service_min = col_min(s, 5);
		v->cancelled = sqlite3_column_int(s, 6);
	}
	if (!s)
		goto dberr;
	sqlite3_finalize(s);

	/* Satisfaction: overall with the distribution, then per service. */
	s = kstore_prep(st,
			"SELECT COUNT(*), AVG(process), AVG(staff), AVG(facility), AVG(overall),"
			" SUM(process=1), SUM(process=2), SUM(process=3), SUM(process=4), SUM(process=5),"
			" SUM(staff=1), SUM(staff=2), SUM(staff=3), SUM(staff=4), SUM(staff=5),"
			" SUM(facility=1), SUM(facility=2), SUM(facility=3), SUM(facility=4),"
			" SUM(facility=5), SUM(overall=1), SUM(overall=2), SUM(overall=3),"
			" SUM(overall=4), SUM(overall=5) FROM ratings WHERE day BETWEEN ? AND ? AND"
			" (misuse=0 OR ?)",
			"ssi", from, until, include_flagged ? 1 : 0);
	if (!s)
		goto dberr;
	if (sqlite3_step(s) == SQLITE_ROW) {
		r->sat.n = sqlite3_column_int(s, 0);
		for (int d = 0; d < RATING_DIMS; d++) {
			r->sat.mean[d] = sqlite3_column_double(s, 1 + d);
			r->sat.all += r->sat.mean[d] / RATING_DIMS;
			for (int v = 1; v <= 5; v++)
				r->dist[d][v] = sqlite3_column_int(s, 5 + d * 5 + v - 1);
		}
	}
	sqlite3_finalize(s);
	sat_bands(&r->sat);
	s = kstore_prep(st,
			"SELECT service, COUNT(*), AVG(process), AVG(staff), AVG(facility), AVG(overall),"
			" SUM(source='phone') FROM ratings WHERE day BETWEEN ? AND ? AND (misuse=0 OR ?)"
			" GROUP BY service",
			"ssi", from, until, include_flagged ? 1 : 0);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		struct report_service *v = svc_slot(r, (const char *)sqlite3_column_text(s, 0));
		if (!v)
			continue;
		v->sat.n = sqlite3_column_int(s, 1);
		for (int d = 0; d < RATING_DIMS; d++) {
			v->sat.mean[d] = sqlite3_column_double(s, 2 + d);
			v->sat.all += v->sat.mean[d] / RATING_DIMS;
		}
		sat_bands(&v->sat);
		v->ratings_phone = sqlite3_column_int(s, 6);
		v->participants = v->sat.n;
		r->ratings_phone += v->ratings_phone;
	}
	if (!s)
		goto dberr;
	sqlite3_finalize(s);
	r->flagged = kstore_scalar(kstore_prep(st, "SELECT COUNT(*) FROM ratings WHERE day BETWEEN"
						   " ? AND ? AND misuse<>0", "ss", from, until), 0);

	/* The study's KPI (docs/kpi.md): people who used a service (users), looked
	 * something up or took part. Counting is anonymous, so people cannot be matched
	 * across channels: combined adds only what cannot be a ticket holder already. */
	r->participants = r->sat.n;
	wait_medians(st, from, until, r);
	kpi_figures(st, from, until, NULL, &r->lookups_kiosk, &r->lookups_web, &r->ticket_pages,
		    &r->lookups_no_ticket);
	r->lookups = r->lookups_kiosk + r->lookups_web + r->ticket_pages;
	r->combined = r->users + r->lookups_no_ticket + r->lookups_web;
	for (int i = 0; i < r->n_services; i++) {
		struct report_service *v = &r->svc[i];
		long no_ticket;
		kpi_figures(st, from, until, v->id, &v->lookups_kiosk, &v->lookups_web,
			    &v->ticket_pages, &no_ticket);
		v->lookups = v->lookups_kiosk + v->lookups_web + v->ticket_pages;
		v->combined = v->users + no_ticket + v->lookups_web;
	}
	kstore_read_end(st, opened);
	r->response_rate = r->served ? (double)r->sat.n / (double)r->served : 0;
	return K_OK;
dberr:
	rc = kstore_err(st, err, "computing the report");
	kstore_read_end(st, opened);
	return rc;
}

kst report_month(struct kstore *st, const struct kconfig *cfg, int year, int month,
		 int include_flagged, struct report *out, struct kerr *err)
{
	char from[KCLOCK_DATE_MAX], until[KCLOCK_DATE_MAX];
	if (year < 1970 || year > 9999 || month < 1 || month > 12)
		return kerr_set(err, K_EUSAGE, "month must be YYYY-MM");
	snprintf(from, sizeof from, "%04d-%02d-01", year, month);
	snprintf(until, sizeof until, "%04d-%02d-%02d", year, month,
		 kclock_days_in_month(year, month) % 100);
	kst rc = report_range(st, cfg, from, until, include_flagged, out, err);
	if (rc)
		return rc;
	out->year = year;
	out->month = month;
	out->target = REPORT_TARGET_USERS;
	out->target_met = out->combined >= REPORT_TARGET_USERS;
	return K_OK;
}

static json_t *num_or_null(double v, int ok)
{
	return ok ? json_real(round(v * 100.0) / 100.0) : json_null();
}

static json_t *sat_json(const struct report_sat *s)
{
	json_t *j = json_pack("{s:I}", "n", (json_int_t)s->n);
	for (int d = 0; d <= RATING_DIMS; d++) {
		double m = d < RATING_DIMS ? s->mean[d] : s->all;
		int b = d < RATING_DIMS ? s->band[d] : s->band_all;
		json_object_set_new(j, d < RATING_DIMS ? rating_dim_key((enum rating_dim)d) : "all",
				    json_pack("{s:o, s:i, s:s, s:s}", "mean", num_or_null(m, s->n > 0),
					      "band", b, "label_th", rating_band_label(b, "th"),
					      "label_en", rating_band_label(b, "en")));
	}
	return j;
}

json_t *report_json(const struct report *r, const struct kconfig *cfg)
{
	char month[8];
	json_t *days = json_array(), *svcs = json_array(), *dist = json_object();
	int y, m, d;

	kclock_parse_date(r->from, &y, &m, &d);
	int64_t z0 = kclock_days_from_civil(y, m, d);
	for (int i = 0; i < r->days && i < REPORT_DAYS_MAX; i++) {
		char day[KCLOCK_DATE_MAX];
		int yy, mm, dd;
		kclock_civil_from_days(z0 + i, &yy, &mm, &dd);
		snprintf(day, sizeof day, "%04d-%02d-%02d", yy % 10000, mm % 100, dd % 100);
		json_array_append_new(days, json_pack("{s:s, s:I, s:I}", "date", day, "users",
						      (json_int_t)r->per_day[i], "served",
						      (json_int_t)r->served_per_day[i]));
	}
	for (int i = 0; i < r->n_services; i++) {
		const struct report_service *v = &r->svc[i];
		const struct kservice *k = kcatalog_find(&cfg->catalog, v->id);
		json_array_append_new(
			svcs, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o}", "id", v->id,
					"name_th", k ? k->name.th : v->id, "name_en",
					k ? k->name.en : v->id, "users", (json_int_t)v->users, "served",
					(json_int_t)v->served, "no_show", (json_int_t)v->no_show,
					"wait_minutes", num_or_null(v->wait_min, v->wait_min >= 0),
					"service_minutes", num_or_null(v->service_min, v->service_min >= 0),
					"satisfaction", sat_json(&v->sat)));
		json_t *o = json_array_get(svcs, json_array_size(svcs) - 1);
		json_object_update_new(
			o, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "lookups",
				     (json_int_t)v->lookups, "lookups_kiosk",
				     (json_int_t)v->lookups_kiosk, "lookups_web",
				     (json_int_t)v->lookups_web, "ticket_pages",
				     (json_int_t)v->ticket_pages, "participants",
				     (json_int_t)v->participants, "ratings_phone",
				     (json_int_t)v->ratings_phone, "combined", (json_int_t)v->combined,
				     "cancelled", (json_int_t)v->cancelled, "wait_median_minutes",
				     num_or_null(v->wait_median_min, v->wait_median_min >= 0)));
	}
	for (int k = 0; k < RATING_DIMS; k++)
		json_object_set_new(dist, rating_dim_key((enum rating_dim)k),
				    json_pack("[I,I,I,I,I]", (json_int_t)r->dist[k][1],
					      (json_int_t)r->dist[k][2], (json_int_t)r->dist[k][3],
					      (json_int_t)r->dist[k][4], (json_int_t)r->dist[k][5]));
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:I, s:b, s:o,"
		" s:I}",
		"office", cfg->office_code, "from", r->from, "until", r->until, "users",
		(json_int_t)r->users, "served", (json_int_t)r->served, "no_show",
		(json_int_t)r->no_show, "priority", (json_int_t)r->priority, "wait_minutes",
		num_or_null(r->wait_min, r->wait_min >= 0), "service_minutes",
		num_or_null(r->service_min, r->service_min >= 0), "wait_max_minutes",
		(json_int_t)r->wait_max_min, "satisfaction", sat_json(&r->sat), "distribution", dist,
		"response_rate", num_or_null(r->response_rate, r->served > 0), "flagged",
		(json_int_t)r->flagged, "flagged_included", r->include_flagged, "per_day", days,
		"simulated_tickets", (json_int_t)r->simulated);
	json_object_set_new(j, "services", svcs);
	/* The study's KPI, defined in docs/kpi.md. */
	json_object_update_new(
		j, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "lookups",
			     (json_int_t)r->lookups, "lookups_kiosk", (json_int_t)r->lookups_kiosk,
			     "lookups_web", (json_int_t)r->lookups_web, "ticket_pages",
			     (json_int_t)r->ticket_pages, "lookups_no_ticket",
			     (json_int_t)r->lookups_no_ticket, "participants",
			     (json_int_t)r->participants, "ratings_phone", (json_int_t)r->ratings_phone,
			     "combined", (json_int_t)r->combined, "cancelled", (json_int_t)r->cancelled,
			     "wait_median_minutes",
			     num_or_null(r->wait_median_min, r->wait_median_min >= 0)));
	if (r->month) {
		snprintf(month, sizeof month, "%04d-%02d", r->year % 10000, r->month % 100);
		json_object_set_new(j, "month", json_string(month));
		json_object_set_new(j, "target_users", json_integer(r->target));
		json_object_set_new(j, "target_met", json_boolean(r->target_met));
	}
	return j;
}

static void fmt_min(char *out, size_t cap, double v)
{
	if (v < 0)
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, "%.1f", v);
}

void report_text(const struct report *r, const struct kconfig *cfg, const char *lang, FILE *f)
{
	int en = lang && !strcmp(lang, "en");
	char name[64], w[16], sv[16], md[16];
	static const char *const dim_th[RATING_DIMS] = {"ขั้นตอนการให้บริการ", "เจ้าหน้าที่",
							  "สิ่งอำนวยความสะดวก", "ภาพรวม"};

	if (r->month)
		report_month_name(r->year, r->month, lang, name, sizeof name);
	else
		snprintf(name, sizeof name, "%s - %s", r->from, r->until);
	fmt_min(w, sizeof w, r->wait_min);
	fmt_min(sv, sizeof sv, r->service_min);
	fmt_min(md, sizeof md, r->wait_median_min);
	if (en) {
		fprintf(f, "Usage and satisfaction, %s, %s\n", cfg->office_name_en, name);
		fprintf(f, "Users: %ld (tickets); served %ld, no-show %ld, left the queue %ld, priority %ld\n",
			r->users, r->served, r->no_show, r->cancelled, r->priority);
		fprintf(f, "Look-ups: %ld (kiosk %ld, %ld of them without a ticket; web checklists %ld;"
			   " ticket pages %ld)\n", r->lookups, r->lookups_kiosk, r->lookups_no_ticket,
			r->lookups_web, r->ticket_pages);
		fprintf(f, "Participants: %ld (ratings; %ld from phones)\n", r->participants,
			r->ratings_phone);
		fprintf(f, "Combined: %ld (users + kiosk look-ups without a ticket + web checklists)",
			r->combined);
		if (r->month)
			fprintf(f, " (target >= %d a month: %s)", r->target, r->target_met ? "met" : "NOT met");
		fprintf(f, "\n");
		fprintf(f, "Mean wait %s min (median %s, longest %ld), mean service %s min\n", w, md,
			r->wait_max_min, sv);
		fprintf(f, "Satisfaction: %ld ratings (%.0f%% of those served)", r->sat.n,
			r->response_rate * 100);
		if (r->flagged)
			fprintf(f, r->include_flagged ? "; %ld flagged included" : "; %ld flagged left out",
				r->flagged);
		fprintf(f, "\n");
		for (int d = 0; d < RATING_DIMS; d++)
			fprintf(f, "  %-10s %.2f  %s\n", rating_dim_key((enum rating_dim)d), r->sat.mean[d],
				rating_band_label(r->sat.band[d], "en"));
		fprintf(f, "  %-10s %.2f  %s\n", "all", r->sat.all, rating_band_label(r->sat.band_all, "en"));
	} else {
		fprintf(f, "รายงานการใช้บริการและความพึงพอใจ %s เดือน%s\n", cfg->office_name_th, name);
		fprintf(f, "ผู้รับบัตรคิว %ld คน รับบริการแล้ว %ld ไม่มาตามเรียก %ld ยกเลิกคิว %ld คิวพิเศษ %ld\n",
			r->users, r->served, r->no_show, r->cancelled, r->priority);
		fprintf(f, "การค้นหาข้อมูล %ld ครั้ง (ที่ตู้ %ld ในจำนวนนี้ไม่รับบัตรคิว %ld, รายการเอกสารบนเว็บ %ld,"
			   " หน้าติดตามคิว %ld)\n", r->lookups, r->lookups_kiosk, r->lookups_no_ticket,
			r->lookups_web, r->ticket_pages);
		fprintf(f, "ผู้ร่วมประเมิน %ld คน (จากโทรศัพท์ %ld)\n", r->participants, r->ratings_phone);
		fprintf(f, "ผู้ใช้บริการรวม %ld คน (ผู้รับบัตรคิว + ผู้ค้นหาที่ตู้โดยไม่รับบัตรคิว + รายการเอกสารบนเว็บ)",
			r->combined);
		if (r->month)
			fprintf(f, " (เป้าหมายอย่างน้อย %d คนต่อเดือน: %s)", r->target,
				r->target_met ? "บรรลุ" : "ไม่บรรลุ");
		fprintf(f, "\n");
		fprintf(f, "เวลารอเฉลี่ย %s นาที (มัธยฐาน %s นาที นานที่สุด %ld นาที) เวลาให้บริการเฉลี่ย %s นาที\n",
			w, md, r->wait_max_min, sv);
		fprintf(f, "ความพึงพอใจ: ผู้ตอบ %ld คน (%.0f%% ของผู้รับบริการ)", r->sat.n,
			r->response_rate * 100);
		if (r->flagged)
			fprintf(f, r->include_flagged ? " รวมรายการผิดปกติ %ld รายการ"
						      : " ไม่นับรายการผิดปกติ %ld รายการ",
				r->flagged);
		fprintf(f, "\n");
		for (int d = 0; d < RATING_DIMS; d++)
			fprintf(f, "  %s  %.2f  %s\n", dim_th[d], r->sat.mean[d],
				rating_band_label(r->sat.band[d], "th"));
		fprintf(f, "  รวมทุกด้าน  %.2f  %s\n", r->sat.all, rating_band_label(r->sat.band_all, "th"));
	}
	for (int i = 0; i < r->n_services; i++) {
		const struct report_service *v = &r->svc[i];
		const struct kservice *k = kcatalog_find(&cfg->catalog, v->id);
		if (!v->users && !v->sat.n)
			continue;
		fmt_min(w, sizeof w, v->wait_min);
		fmt_min(sv, sizeof sv, v->service_min);
		fprintf(f, en ? "  %s: %ld users, wait %s min, service %s min, %ld ratings, mean %.2f %s\n"
			      : "  %s: %ld คน รอ %s นาที ให้บริการ %s นาที ประเมิน %ld คน เฉลี่ย %.2f %s\n",
			k ? (en ? k->name.en : k->name.th) : v->id, v->users, w, sv, v->sat.n, v->sat.all,
			rating_band_label(v->sat.band_all, lang));
	}
	if (r->simulated)
		fprintf(f, en ? "Note: %ld of these tickets are simulated (kiosk simulate).\n"
			      : "หมายเหตุ: มีข้อมูลจำลอง %ld รายการ (kiosk simulate)\n",
			r->simulated);
}
