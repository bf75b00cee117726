/**
 * @file simulate.h
 * @brief A realistic history for demos, training, reports and benchmarks:
 * `kiosk simulate --days N [--per-day M] [--seed S]`.
 *
 * For each working day (Monday to Friday) of the N days up to now: about M
 * citizens (varying day to day, more on Mondays) arrive over office hours
 * 08:30-15:30 with a rush at opening, choose services with a plausible mix,
 * 15 % priority; two in three of the counters (the others do back-office
 * work) call them first come first served, about
 * 4 % do not come, service times vary around each service's typical minutes;
 * roughly 45 % of those served rate, mostly high with a spread, facilities a
 * little lower than staff, a few comments in Thai, 2 % flagged as misuse.
 * Today only what has already finished by now is written.
 *
 * Rows are marked as simulated (tickets.simulated = 1, ratings.source =
 * 'sim'). Simulated ratings are not queued for the district server unless
 * asked (queue_upload): a kiosk used for training must never send invented
 * satisfaction figures to the city. A data folder holding real tickets is
 * refused unless forced. Deterministic for a given seed and "now".
 */
#ifndef KIOSK_SIMULATE_H
#define KIOSK_SIMULATE_H

#include <stdint.h>

#include "core/config.h"
#include "core/err.h"
#include "core/store.h"

#define SIM_DAYS_MAX 3660   /* ten years */
#define SIM_PER_DAY_MAX 2000
#define SIM_PER_DAY_DEFAULT 20

struct sim_opts {
	int days;         /* 1..SIM_DAYS_MAX */
	int per_day;      /* mean arrivals per working day */
	uint64_t seed;
	int queue_upload; /* also queue the ratings for upload (demos against a test server) */
	int force;        /* allow a data folder with real tickets */
};

struct sim_result {
	long tickets, ratings;
	long days;        /* working days written */
};

kst sim_run(struct kstore *st, const struct kconfig *cfg, const struct sim_opts *o, int64_t now,
	    struct sim_result *out, struct kerr *err);

#endif
