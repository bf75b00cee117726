/**
 * @file kpi.h
 * @brief Anonymous counting for the study's KPI (docs/kpi.md): look-ups at the kiosk,
 * on the web and on the phone's ticket page.
 *
 * No cookie, no address, no ticket id is stored: only (Bangkok day, kind, service,
 * count), one row per combination, incremented in place. So nobody can be followed
 * from one look-up to the next, and people cannot be de-duplicated across channels
 * either: that is why the combined figure of report.h adds only channels that do not
 * overlap with ticket holders.
 */
#ifndef KIOSK_KPI_H
#define KIOSK_KPI_H

#include "core/catalog.h"
#include "core/err.h"
#include "core/store.h"

enum kpi_kind {
	KPI_KIOSK_LOOKUP,           /* a kiosk visit that opened a checklist (once per visit) */
	KPI_KIOSK_LOOKUP_NO_TICKET, /* ... and ended without taking a ticket */
	KPI_WEB_CHECKLIST,          /* a /services/ID page view */
	KPI_TICKET_PAGE,            /* a /t page view (first load, not long-poll refreshes) */
};
#define KPI_KINDS 4

/* Adds one to today's (Bangkok) count of kind for service ("" or NULL = none). */
kst kpi_count(struct kstore *st, enum kpi_kind kind, const char *service, struct kerr *err);

/* The stored name of a kind ("kiosk_lookup", ...), NULL for an unknown one. */
const char *kpi_kind_name(enum kpi_kind kind);

/* The sum of kind over from..until (Bangkok dates, inclusive), for one service or all
 * (service NULL). -1 on a database error. */
long kpi_sum(struct kstore *st, enum kpi_kind kind, const char *service, const char *from,
	     const char *until);

/* One visit at the kiosk (from leaving the attract screen until back there: Done, Home,
 * the idle time-out, the card pulled). The first checklist opened counts one
 * KPI_KIOSK_LOOKUP for its service; a visit that looked something up and took no
 * ticket counts KPI_KIOSK_LOOKUP_NO_TICKET for the same service when it ends, so per
 * service, users + look-ups without a ticket never counts one visit twice. Held in
 * memory only, and only these flags: nothing about who. */
struct kpi_visit {
	int looked_up;              /* a checklist was opened */
	int ticket;                 /* a ticket was issued */
	char service[KCAT_ID_MAX];  /* of the first checklist */
};
kst kpi_visit_lookup(struct kpi_visit *v, struct kstore *st, const char *service,
		     struct kerr *err);
void kpi_visit_ticket(struct kpi_visit *v);
/* Counts the look-up without a ticket if there was one, and starts a new visit. */
kst kpi_visit_end(struct kpi_visit *v, struct kstore *st, struct kerr *err);

#endif
