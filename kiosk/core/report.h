/**
 * @file report.h
 * @brief The monthly usage and satisfaction report (`kiosk report --month`),
 * and the same figures for any period (the admin screen's today / this month).
 *
 * Users are tickets issued (one visit each); served and no-show are counted
 * apart. Waiting time is issue -> first call; service time is start (or call)
 * -> finish, for served tickets, ignoring durations over 4 h (a finish pressed
 * the next morning). Satisfaction: the mean of each question (process, staff,
 * facility, overall) and of all four together, each with its Thai band
 * (4.21-5.00 มากที่สุด ... 1.00-1.80 น้อยที่สุด, core/rating.h), overall and per
 * service. Ratings flagged as misuse are left out unless include_flagged, and
 * how many were left out is reported. The district's target is at least
 * REPORT_TARGET_USERS users a month, measured by the combined figure (users, plus
 * look-ups by people who took no ticket: docs/kpi.md).
 */
#ifndef KIOSK_REPORT_H
#define KIOSK_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "core/catalog.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "core/rating.h"
#include "core/store.h"

#define REPORT_TARGET_USERS 300
#define REPORT_DAYS_MAX 31
#define REPORT_MAX_DURATION_S (4 * 3600)

struct report_sat {
	long n;                         /* ratings counted */
	double mean[RATING_DIMS];       /* per question; 0 when n == 0 */
	double all;                     /* mean of all answers */
	int band[RATING_DIMS], band_all; /* rating_band() of each; 0 = no data */
};

struct report_service {
	char id[KCAT_ID_MAX];
	long users, served, no_show;
	double wait_min, service_min;   /* means in minutes; -1 = no data */
	struct report_sat sat;
	/* issue 13, defined in docs/kpi.md */
	long lookups;                   /* lookups_kiosk + lookups_web + ticket_pages */
	long lookups_kiosk, lookups_web, ticket_pages;
	long participants;              /* ratings counted (kiosk + phone) ... */
	long ratings_phone;             /* ... this many of them from phones */
	long combined;                  /* users + kiosk look-ups without a ticket + web views */
	long cancelled;                 /* left the queue from the phone: not served, not no-show */
	double wait_median_min;         /* -1 = no data */
};

struct report {
	char from[KCLOCK_DATE_MAX], until[KCLOCK_DATE_MAX];
	int year, month;                /* 0 when not a calendar month */
	int days;                       /* days in the period (<= REPORT_DAYS_MAX for per_day) */
	long users, served, no_show, priority, simulated;
	long per_day[REPORT_DAYS_MAX];  /* users per day of the period */
	long served_per_day[REPORT_DAYS_MAX];
	double wait_min, service_min;   /* -1 = no data */
	long wait_max_min;
	struct report_sat sat;
	long dist[RATING_DIMS][6];      /* answers per score 1..5 */
	long flagged;                   /* ratings flagged as misuse in the period */
	int include_flagged;
	double response_rate;           /* ratings / served */
	int target, target_met;
	int n_services;
	struct report_service svc[KCAT_SERVICES_MAX];
	/* issue 13, defined in docs/kpi.md */
	long lookups;                   /* KPI_KIOSK_LOOKUP + KPI_WEB_CHECKLIST + KPI_TICKET_PAGE */
	long lookups_kiosk, lookups_web, ticket_pages;
	long lookups_no_ticket;         /* kiosk look-ups that ended without a ticket */
	long participants;              /* ratings counted (kiosk + phone), ratings_phone of them */
	long ratings_phone;             /* from phones */
	long combined;                  /* users + kiosk look-ups without a ticket + web checklist
	                                   views (ticket pages and ratings are by people already
	                                   counted as users): the figure against the target */
	long cancelled;
	double wait_median_min;         /* -1 = no data */
};

/* The report for one Bangkok calendar month. */
kst report_month(struct kstore *st, const struct kconfig *cfg, int year, int month,
		 int include_flagged, struct report *out, struct kerr *err);
/* The same figures for from..until (per_day only for the first 31 days). */
kst report_range(struct kstore *st, const struct kconfig *cfg, const char *from,
		 const char *until, int include_flagged, struct report *out, struct kerr *err);

/* All figures as JSON (new reference). */
struct json_t;
struct json_t *report_json(const struct report *r, const struct kconfig *cfg);
/* A plain-text summary in "th" or "en". */
void report_text(const struct report *r, const struct kconfig *cfg, const char *lang, FILE *f);
/* "พฤศจิกายน 2569" / "November 2026" (Thai uses the Buddhist Era). */
void report_month_name(int year, int month, const char *lang, char *out, size_t cap);

#endif
