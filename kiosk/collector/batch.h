/**
 * @file batch.h
 * @brief A ratings batch as the kiosk sends it (docs/ratings.md), checked before
 * anything touches the database. Plain C: jansson only, no HTTP, no libpq.
 *
 *   {"office": "bangkhae", "kiosk": "kiosk-1", "sent_at": "2026-11-24T10:00:00+07:00",
 *    "ratings": [{"id": "<uuid v4>", "ticket": "A023", "service": "<id>",
 *                 "at": "2026-11-24T09:41:10+07:00",
 *                 "scores": {"process": 5, "staff": 4, "facility": 5, "overall": 5}}]}
 *
 * The verdict is an HTTP status the kiosk already understands (core/outbox.c):
 * 400 not JSON at all, 422 JSON of the wrong shape (missing or unknown keys, wrong
 * types, scores outside 1..5, a bad uuid or time). Both make the kiosk set the
 * batch aside with the reason, which is the right thing: resending the same
 * bytes cannot help.
 */
#ifndef KIOSK_COLLECTOR_BATCH_H
#define KIOSK_COLLECTOR_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

#define CB_ID_MAX 64	    /* office code, kiosk id (= KCONF_ID_MAX on the kiosk) */
#define CB_TICKET_MAX 16    /* "A023"; room for longer prefixes */
#define CB_SERVICE_MAX 64   /* service id of services.json */
#define CB_UUID_LEN 36	    /* 8-4-4-4-12 lower-case hex */
#define CB_RATINGS_MAX 5000 /* = OUTBOX_BATCH_MAX: the most a kiosk ever puts in one batch */
#define CB_WHY_MAX 200	    /* the reason sent back, kept by the kiosk for staff */
#define CB_SCORES 4

/* One rating, checked. */
struct cb_rating {
	char id[CB_UUID_LEN + 1];
	char ticket[CB_TICKET_MAX + 1];
	char service[CB_SERVICE_MAX + 1];
	int64_t at;	      /* epoch seconds */
	char day[11];	      /* its Bangkok date, YYYY-MM-DD (reports group by it) */
	int score[CB_SCORES]; /* process, staff, facility, overall: 1..5 */
};

struct cb_batch {
	char office[CB_ID_MAX + 1];
	char kiosk[CB_ID_MAX + 1];
	int n;
	struct cb_rating *r; /* n ratings, malloc'd; cb_free */
};

/* The score keys in the contract's order. */
extern const char *const cb_score_keys[CB_SCORES];

/* True when s is a lower-case UUID v4 (what rating_uuid() makes). */
int cb_is_uuid(const char *s);

/* True when s is an office code or kiosk id a kiosk can send: 1-CB_ID_MAX of
 * letters, digits, '-', '_', '.' (what add-kiosk accepts too). */
int cb_id_ok(const char *s);

/* Parses and checks body (len bytes, need not be NUL-terminated). Returns 0 and
 * fills b, or the HTTP status (400/422) with a one-line reason in why. */
int cb_parse(const char *body, size_t len, struct cb_batch *b, char why[CB_WHY_MAX]);
void cb_free(struct cb_batch *b);

/* The checked rows as a compact JSON array for the database
 * ([{"id","ticket","service","at","day","process",...}], at in epoch seconds):
 * the SQL reads only values this module produced, never the kiosk's raw text. */
char *cb_rows_json(const struct cb_batch *b);

#endif
