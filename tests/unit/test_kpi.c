/* The study's KPI counters (core/kpi.h): counts per Bangkok day, kind and service, a
 * visit counted once, a visit without a ticket counted at its end, bad input refused,
 * nothing but counts stored, and no count lost when processes count at once. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/kpi.h"
#include "tap.h"

static char dir[64];

static long long q1(struct kstore *st, const char *sql)
{
	return kstore_scalar(kstore_prep(st, sql, ""), -1);
}

int main(void)
{
	struct kstore st;
	struct kerr err;
	char cmd[128];

	snprintf(dir, sizeof dir, "/tmp/kiosk-tk.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	setenv("KIOSK_NOW", "2026-11-24T23:59:58+07:00", 1);
	if (kstore_open(dir, &st, &err)) {
		printf("not ok 1 - store opens: %s\n", err.msg);
		return 1;
	}

	/* Counting. */
	OK(kpi_count(&st, KPI_WEB_CHECKLIST, "personal-cert", &err) == K_OK, "a web checklist view is counted");
	kpi_count(&st, KPI_WEB_CHECKLIST, "personal-cert", &err);
	kpi_count(&st, KPI_WEB_CHECKLIST, "marital-status", &err);
	kpi_count(&st, KPI_TICKET_PAGE, NULL, &err);
	IS_INT(kpi_sum(&st, KPI_WEB_CHECKLIST, "personal-cert", "2026-11-24", "2026-11-24"), 2,
	       "two views of personal-cert today");
	IS_INT(kpi_sum(&st, KPI_WEB_CHECKLIST, NULL, "2026-11-24", "2026-11-24"), 3,
	       "three web views of any service");
	IS_INT(kpi_sum(&st, KPI_TICKET_PAGE, "", "2026-11-24", "2026-11-24"), 1,
	       "a ticket page view without a service");
	IS_INT(q1(&st, "SELECT COUNT(*) FROM kpi_counts"), 3, "one row per day, kind and service");
	setenv("KIOSK_NOW", "2026-11-25T00:00:01+07:00", 1);
	kpi_count(&st, KPI_WEB_CHECKLIST, "personal-cert", &err);
	IS_INT(kpi_sum(&st, KPI_WEB_CHECKLIST, "personal-cert", "2026-11-25", "2026-11-25"), 1,
	       "after Bangkok midnight the count starts on the new day");
	IS_INT(kpi_sum(&st, KPI_WEB_CHECKLIST, "personal-cert", "2026-11-01", "2026-11-30"), 3,
	       "a month sums its days");
	IS_INT(kpi_sum(&st, KPI_WEB_CHECKLIST, "personal-cert", "2026-12-01", "2026-12-31"), 0,
	       "a month without views is 0, not an error");

	/* Bad input: refused, nothing written. */
	long long rows = q1(&st, "SELECT COUNT(*) FROM kpi_counts");
	IS_INT(kpi_count(&st, (enum kpi_kind)99, "x", &err), K_EUSAGE, "an unknown kind is refused");
	IS_INT(kpi_count(&st, KPI_WEB_CHECKLIST, "../../etc/passwd", &err), K_EUSAGE,
	       "a path as a service id is refused");
	IS_INT(kpi_count(&st, KPI_WEB_CHECKLIST, "<script>", &err), K_EUSAGE, "markup is refused");
	IS_INT(kpi_count(&st, KPI_WEB_CHECKLIST, "a-very-long-service-id-that-does-not-fit-at-all",
			 &err), K_EUSAGE, "an over-long id is refused, not cut");
	IS_INT(q1(&st, "SELECT COUNT(*) FROM kpi_counts"), rows, "and nothing was written");
	IS_INT(kpi_sum(&st, (enum kpi_kind)-1, NULL, "2026-11-01", "2026-11-30"), -1,
	       "summing an unknown kind says so");

	/* Only counts: the table has no column that could hold who. */
	IS_INT(q1(&st, "SELECT COUNT(*) FROM pragma_table_info('kpi_counts')"), 4,
	       "four columns: day, kind, service, n");
	IS_INT(q1(&st, "SELECT COUNT(*) FROM pragma_table_info('kpi_counts') WHERE name IN"
		       " ('day','kind','service','n')"), 4, "and they are exactly those");

	/* A kiosk visit. */
	struct kpi_visit v = {0};
	kpi_visit_lookup(&v, &st, "personal-cert", &err);
	kpi_visit_lookup(&v, &st, "marital-status", &err); /* compares two services */
	kpi_visit_lookup(&v, &st, "personal-cert", &err);
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP, NULL, "2026-11-25", "2026-11-25"), 1,
	       "three checklists in one visit are one look-up");
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP, "personal-cert", "2026-11-25", "2026-11-25"), 1,
	       "counted for the first service opened");
	kpi_visit_ticket(&v);
	kpi_visit_end(&v, &st, &err);
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP_NO_TICKET, NULL, "2026-11-25", "2026-11-25"), 0,
	       "a visit that took a ticket is not a look-up without one");
	kpi_visit_lookup(&v, &st, "marital-status", &err);
	kpi_visit_end(&v, &st, &err);
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP, NULL, "2026-11-25", "2026-11-25"), 2,
	       "the next visit is a new look-up");
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP_NO_TICKET, "marital-status", "2026-11-25", "2026-11-25"),
	       1, "and, leaving without a ticket, a look-up without a ticket");
	kpi_visit_end(&v, &st, &err);
	kpi_visit_ticket(&v);
	kpi_visit_end(&v, &st, &err);
	IS_INT(kpi_sum(&st, KPI_KIOSK_LOOKUP_NO_TICKET, NULL, "2026-11-25", "2026-11-25"), 1,
	       "visits that opened no checklist count nothing");
	kstore_close(&st);

	/* Four processes counting at once lose nothing (the web listener's threads and the
	 * kiosk's UI share the file). */
	enum { PROCS = 4, EACH = 100 };
	for (int p = 0; p < PROCS; p++) {
		if (fork() == 0) {
			struct kstore cs;
			struct kerr ce;
			int bad = 0;
			if (kstore_open(dir, &cs, &ce))
				_exit(3);
			for (int i = 0; i < EACH; i++)
				bad |= kpi_count(&cs, KPI_TICKET_PAGE, "personal-cert", &ce) != K_OK;
			kstore_close(&cs);
			_exit(bad);
		}
	}
	int ok = 1, status;
	while (wait(&status) > 0)
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	OK(ok, "%d processes counted without an error", PROCS);
	kstore_open(dir, &st, &err);
	IS_INT(kpi_sum(&st, KPI_TICKET_PAGE, "personal-cert", "2026-11-25", "2026-11-25"),
	       PROCS * EACH, "every one of the %d page views is counted", PROCS * EACH);
	kstore_close(&st);
	if (system(cmd))
		return 2;
	return tap_done();
}
