/* The report's figures on hand-made data: users, served, no-shows, waiting and
 * service means (a 5-hour "service" ignored), satisfaction means and bands,
 * misuse left out by default, the month's bounds, the 300-user target, JSON. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/report.h"
#include "tap.h"

static struct kconfig cfg;

static int64_t T(const char *iso)
{
	int64_t t;
	kclock_parse_iso(iso, &t);
	return t;
}

static void ticket(struct kstore *st, const char *day, int seq, const char *svc, const char *state,
		   const char *issued, const char *called, const char *served, const char *done)
{
	struct kerr err;
	char num[8];
	snprintf(num, sizeof num, "A%03d", seq);
	if (kstore_run(st, kstore_prep(st, "INSERT INTO tickets(day, prefix, seq, number, service,"
					   " state, issued_at, queued_at, called_at, served_at, done_at)"
					   " VALUES(?,'A',?,?,?,?,?,?,NULLIF(?,0),NULLIF(?,0),NULLIF(?,0))",
				   "sisssllllll", day, seq, num, svc, state, T(issued), T(issued),
				   called ? T(called) : (int64_t)0, served ? T(served) : (int64_t)0,
				   done ? T(done) : (int64_t)0),
		       &err, "ticket"))
		printf("# %s\n", err.msg);
}

static void rate(struct kstore *st, int64_t tid, const char *day, const char *svc, int p, int s,
		 int f, int o, int misuse)
{
	struct rating r;
	struct kerr err;
	memset(&r, 0, sizeof r);
	rating_uuid(r.id, &err);
	r.ticket_id = tid;
	strcpy(r.ticket, "A001");
	snprintf(r.service, sizeof r.service, "%s", svc);
	snprintf(r.day, sizeof r.day, "%s", day);
	r.at = T("2026-11-02T12:00:00+07:00");
	r.score[0] = p, r.score[1] = s, r.score[2] = f, r.score[3] = o;
	r.misuse = misuse;
	r.source = RATING_TYPED;
	if (rating_insert(st, &r, 1, &err))
		printf("# %s\n", err.msg);
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int main(void)
{
	struct kdiag d = {0};
	struct kstore st;
	struct kerr err;
	static struct report r;
	char dir[64], cmd[96], name[64];

	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	setenv("KIOSK_NOW", "2026-11-30T18:00:00+07:00", 1);
	snprintf(dir, sizeof dir, "/tmp/kiosk-trp.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) || kstore_open(dir, &st, &err))
		return 2;
	kstore_begin(&st, &err);
	ticket(&st, "2026-11-02", 1, "personal-cert", "done", "2026-11-02T09:00:00+07:00",
	       "2026-11-02T09:10:00+07:00", "2026-11-02T09:11:00+07:00", "2026-11-02T09:31:00+07:00");
	ticket(&st, "2026-11-02", 2, "personal-cert", "done", "2026-11-02T09:00:00+07:00",
	       "2026-11-02T09:20:00+07:00", NULL, "2026-11-02T09:50:00+07:00");
	ticket(&st, "2026-11-02", 3, "marital-status", "no_show", "2026-11-02T09:00:00+07:00",
	       "2026-11-02T09:30:00+07:00", NULL, NULL);
	ticket(&st, "2026-11-03", 1, "personal-cert", "done", "2026-11-03T09:00:00+07:00",
	       "2026-11-03T09:00:00+07:00", "2026-11-03T09:00:00+07:00", "2026-11-03T14:00:00+07:00");
	ticket(&st, "2026-10-31", 1, "personal-cert", "done", "2026-10-31T09:00:00+07:00",
	       "2026-10-31T09:50:00+07:00", NULL, "2026-10-31T10:00:00+07:00");
	rate(&st, 1, "2026-11-02", "personal-cert", 5, 5, 5, 5, 0);
	rate(&st, 2, "2026-11-02", "personal-cert", 4, 3, 2, 1, 0);
	rate(&st, 4, "2026-11-03", "personal-cert", 1, 1, 1, 1, RATING_MISUSE_FAST);
	rate(&st, 5, "2026-10-31", "personal-cert", 1, 1, 1, 1, 0);
	kstore_commit(&st, &err);

	IS_INT(report_month(&st, &cfg, 2026, 11, 0, &r, &err), K_OK, "report for 2026-11");
	IS_STR(r.from, "2026-11-01", "from the 1st");
	IS_STR(r.until, "2026-11-30", "to the 30th");
	IS_INT(r.users, 4, "4 users (October's ticket is not counted)");
	IS_INT(r.served, 3, "3 served");
	IS_INT(r.no_show, 1, "1 no-show");
	IS_INT(r.per_day[1], 3, "3 on the 2nd");
	IS_INT(r.per_day[2], 1, "1 on the 3rd");
	OK(near(r.wait_min, 15.0), "mean wait (10+20+30+0)/4 = 15 min (got %.2f)", r.wait_min);
	IS_INT(r.wait_max_min, 30, "longest wait 30 min");
	OK(near(r.service_min, 25.0), "mean service (20+30)/2 = 25 min; the 5 h one is ignored (got %.2f)",
	   r.service_min);
	IS_INT(r.sat.n, 2, "2 ratings counted: the flagged one left out");
	IS_INT(r.flagged, 1, "and reported as left out");
	OK(near(r.sat.mean[RATING_PROCESS], 4.5) && near(r.sat.mean[RATING_STAFF], 4.0) &&
	   near(r.sat.mean[RATING_FACILITY], 3.5) && near(r.sat.mean[RATING_OVERALL], 3.0),
	   "means per question 4.5 4.0 3.5 3.0");
	OK(near(r.sat.all, 3.75), "mean of all answers 3.75");
	IS_INT(r.sat.band[RATING_PROCESS], 5, "4.50: มากที่สุด");
	IS_INT(r.sat.band[RATING_FACILITY], 4, "3.50: มาก");
	IS_INT(r.sat.band[RATING_OVERALL], 3, "3.00: ปานกลาง");
	IS_INT(r.sat.band_all, 4, "3.75: มาก");
	IS_INT(r.dist[RATING_STAFF][3], 1, "distribution: one 3 for staff");
	IS_INT(r.target_met, 0, "4 users: the 300 target is not met");
	OK(near(r.response_rate, 2.0 / 3.0), "response rate 2 of 3 served");
	IS_STR(r.svc[0].id, "personal-cert", "services in catalogue order");
	IS_INT(r.svc[0].users, 3, "personal-cert: 3 users");
	OK(near(r.svc[0].wait_min, 10.0), "personal-cert mean wait (10+20+0)/3 = 10");
	IS_INT(r.svc[1].no_show, 1, "marital-status: the no-show");
	IS_INT(r.svc[1].sat.n, 0, "marital-status: no ratings");
	IS_INT(r.svc[1].sat.band_all, 0, "so no band");

	IS_INT(report_month(&st, &cfg, 2026, 11, 1, &r, &err), K_OK, "again with flagged included");
	IS_INT(r.sat.n, 3, "3 ratings");
	OK(fabs(r.sat.mean[RATING_PROCESS] - 10.0 / 3) < 1e-9, "process mean (5+4+1)/3");
	IS_INT(r.sat.band[RATING_PROCESS], 3, "3.33: ปานกลาง");

	json_t *j = report_json(&r, &cfg);
	OK(json_is_false(json_object_get(j, "target_met")), "JSON: target_met false");
	IS_INT(json_integer_value(json_object_get(j, "target_users")), 300, "JSON: target 300");
	IS_STR(json_string_value(json_object_get(json_object_get(json_object_get(j, "satisfaction"),
								   "process"), "label_th")),
	       "ปานกลาง", "JSON: Thai band label");
	IS_INT(json_array_size(json_object_get(j, "per_day")), 30, "JSON: 30 days");
	IS_STR(json_string_value(json_object_get(j, "month")), "2026-11", "JSON: month");
	json_decref(j);

	/* The target: 299 users not met, 300 met. */
	kstore_begin(&st, &err);
	for (int i = 0; i < 295; i++)
		ticket(&st, "2026-11-10", 100 + i, "signature-cert", "waiting", "2026-11-10T09:00:00+07:00",
		       NULL, NULL, NULL);
	kstore_commit(&st, &err);
	report_month(&st, &cfg, 2026, 11, 0, &r, &err);
	IS_INT(r.users * 10 + r.target_met, 2990, "299 users: not met");
	ticket(&st, "2026-11-10", 999, "signature-cert", "waiting", "2026-11-10T09:00:00+07:00", NULL,
	       NULL, NULL);
	report_month(&st, &cfg, 2026, 11, 0, &r, &err);
	IS_INT(r.users * 10 + r.target_met, 3001, "300 users: met");

	IS_INT(report_month(&st, &cfg, 2026, 13, 0, &r, &err), K_EUSAGE, "month 13 is refused");
	IS_INT(report_range(&st, &cfg, "2026-11-05", "2026-11-01", 0, &r, &err), K_EUSAGE,
	       "a range that ends before it starts is refused");
	report_month_name(2026, 11, "th", name, sizeof name);
	IS_STR(name, "พฤศจิกายน 2569", "Thai month name with the Buddhist Era");
	report_month_name(2026, 11, "en", name, sizeof name);
	IS_STR(name, "November 2026", "English month name");
	kstore_close(&st);
	if (system(cmd))
		return 2;
	return tap_done();
}
