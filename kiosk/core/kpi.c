/**
 * @file kpi.c
 * @brief The anonymous KPI counters (see kpi.h).
 */
#include "core/kpi.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/clock.h"

static const char *const kind_names[KPI_KINDS] = {
	[KPI_KIOSK_LOOKUP] = "kiosk_lookup",
	[KPI_KIOSK_LOOKUP_NO_TICKET] = "kiosk_lookup_no_ticket",
	[KPI_WEB_CHECKLIST] = "web_checklist",
	[KPI_TICKET_PAGE] = "ticket_page",
};

const char *kpi_kind_name(enum kpi_kind kind)
{
	return (unsigned)kind < KPI_KINDS ? kind_names[kind] : NULL;
}

/* Service ids are catalogue words (catalog.c); a caller passing a web path segment
 * must not get anything else into the table. */
static int service_ok(const char *s)
{
	size_t n = strlen(s);
	if (n >= KCAT_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

kst kpi_count(struct kstore *st, enum kpi_kind kind, const char *service, struct kerr *err)
{
	char day[KCLOCK_DATE_MAX];
	const char *name = kpi_kind_name(kind);

	if (!service)
		service = "";
	if (!name)
		return kerr_set(err, K_EUSAGE, "kpi: unknown kind %d", (int)kind);
	if (!service_ok(service))
		return kerr_set(err, K_EUSAGE, "kpi: not a service id");
	kclock_bkk_date(kclock_now(), day);
	/* One statement, so one implicit transaction: safe from the UI thread, the web
	 * listener's threads and other processes at once. */
	return kstore_run(st,
			  kstore_prep(st,
				      "INSERT INTO kpi_counts(day, kind, service, n) VALUES(?,?,?,1)"
				      " ON CONFLICT(day, kind, service) DO UPDATE SET n=n+1",
				      "sss", day, name, service),
			  err, "counting a look-up");
}

long kpi_sum(struct kstore *st, enum kpi_kind kind, const char *service, const char *from,
	     const char *until)
{
	const char *name = kpi_kind_name(kind);
	if (!name || !from || !until)
		return -1;
	if (service)
		return (long)kstore_scalar(
			kstore_prep(st,
				    "SELECT IFNULL(SUM(n),0) FROM kpi_counts WHERE kind=? AND service=?"
				    " AND day BETWEEN ? AND ?", "ssss", name, service, from, until),
			-1);
	return (long)kstore_scalar(kstore_prep(st,
					       "SELECT IFNULL(SUM(n),0) FROM kpi_counts WHERE kind=?"
					       " AND day BETWEEN ? AND ?", "sss", name, from, until),
				   -1);
}

kst kpi_visit_lookup(struct kpi_visit *v, struct kstore *st, const char *service,
		     struct kerr *err)
{
	if (v->looked_up)
		return K_OK; /* a visitor comparing two services is one look-up */
	kst rc = kpi_count(st, KPI_KIOSK_LOOKUP, service, err);
	if (!rc) {
		v->looked_up = 1;
		snprintf(v->service, sizeof v->service, "%s", service ? service : "");
	}
	return rc;
}

void kpi_visit_ticket(struct kpi_visit *v)
{
	v->ticket = 1;
}

kst kpi_visit_end(struct kpi_visit *v, struct kstore *st, struct kerr *err)
{
	kst rc = K_OK;
	if (v->looked_up && !v->ticket)
		rc = kpi_count(st, KPI_KIOSK_LOOKUP_NO_TICKET, v->service, err);
	memset(v, 0, sizeof *v);
	return rc;
}
