/**
 * @file db.h
 * @brief The collector's PostgreSQL side (libpq): schema migrations, kiosk
 * credentials, storing a batch in one transaction, the monthly figures.
 * Plain C: no HTTP here (collector/http.h is on top).
 *
 * Nothing here prints or keeps the connection string: it may carry a password.
 * Errors name the operation and libpq's first line (host/user, never password).
 */
#ifndef KIOSK_COLLECTOR_DB_H
#define KIOSK_COLLECTOR_DB_H

#include <jansson.h>
#include <libpq-fe.h>

#include "collector/batch.h"
#include "core/err.h"
#include "core/report.h"

#define CDB_SCHEMA_VERSION 3	/* the newest migration; serve refuses an older schema */
#define CDB_MONTHS_AHEAD 2	/* partitions made ahead: this month and the next two */
#define CDB_MONTHS_BACK 24	/* a batch's month older than this gets no partition made */
#define CDB_PART_LOCK_WAIT "2s" /* creating a partition waits this long for its lock */
#define CDB_TOKEN_BYTES 32	/* random bytes of a kiosk token ... */
#define CDB_TOKEN_MAX (2 * CDB_TOKEN_BYTES + 1) /* ... written as hex, + NUL */

/* Connects; K_EUSAGE for a URL libpq cannot parse, K_EFAIL when the server refuses. */
kst cdb_connect(const char *url, PGconn **out, struct kerr *err);
/* Creates or upgrades the schema up to version `to` (0: the newest); *applied =
 * migrations run now (0: up to date). Safe to run twice at once (an advisory lock
 * serialises it). */
kst cdb_migrate(PGconn *db, int to, int *applied, struct kerr *err);
/* Months as one number (year * 12 + month - 1) from "YYYY-MM[-DD]"; -1 if not a date. */
int cdb_month_key(const char *day);
/* The ratings partition of that month, created when missing (rows of that month
 * waiting in the default partition move into it). Its own transaction. */
kst cdb_partition(PGconn *db, int month_key, struct kerr *err);
/* Last month's, this month's and the next CDB_MONTHS_AHEAD months' partitions
 * (Bangkok months of now): what migrate and serve make sure of. */
kst cdb_partitions_ahead(PGconn *db, int64_t now, struct kerr *err);
/* K_OK when the schema is at CDB_SCHEMA_VERSION, else K_EUSAGE naming `migrate`. */
kst cdb_check_schema(PGconn *db, struct kerr *err);

/* Registers (or re-registers: a new token replaces the old, a revoked kiosk comes
 * back) office/kiosk; token gets the new bearer token, shown once. Only its
 * SHA-256 is stored. */
kst cdb_add_kiosk(PGconn *db, const char *office, const char *kiosk, char token[CDB_TOKEN_MAX],
		  struct kerr *err);
/* Takes the token back: its next request gets 401. K_EFAIL when no such kiosk. */
kst cdb_revoke_kiosk(PGconn *db, const char *office, const char *kiosk, struct kerr *err);

/* Whose token is this? 0 and office/kiosk filled; 401 unknown or revoked; 503 database. */
int cdb_auth(PGconn *db, const char *token, char office[CB_ID_MAX + 1], char kiosk[CB_ID_MAX + 1]);

/* Stores a checked batch sent by office/kiosk under Idempotency-Key key, whose body
 * hashes to sha_hex, in one transaction (ratings ON CONFLICT (id) DO NOTHING).
 * Returns the HTTP status: 200 (stored and committed, or the same key and body seen
 * before: the first answer again), 409 the key came before with another body,
 * 422 a rating id already stored for another kiosk, 503 database trouble (the kiosk
 * retries). accepted/dups are the reply's figures; why gets a reason otherwise. */
int cdb_ingest(PGconn *db, const char *key, const char *sha_hex, const struct cb_batch *b,
	       int *accepted, int *dups, char why[CB_WHY_MAX]);

/* The monthly figures ("YYYY-MM", Bangkok dates), per office and for all, computed
 * in SQL; office NULL for every office. */
kst cdb_report(PGconn *db, const char *month, const char *office, json_t **out, struct kerr *err);

/* One office's month (office "" = every office together) in the kiosk's own report
 * struct, so `report --out` draws it with the kiosk's writer (dev/report_files.h).
 * Ratings only: the collector receives no tickets, so users, waiting and service
 * times stay unknown (0 / -1) and per_day[] counts ratings. */
struct cdb_office_report {
	char office[CB_ID_MAX + 1];
	struct report r;
};

#define CDB_OFFICES_MAX 2000 /* offices in one report (Bangkok: 50 districts, a few each) */

/* The month's figures for every office (or only `office`) and for all of them,
 * from one SQL scan (GROUPING SETS). (*out)[0] is the whole; the offices follow
 * in name order. Services of cfg's catalogue come first, as in `kiosk report`.
 * Free *out with free(). */
kst cdb_report_full(PGconn *db, const char *month, const char *office, const struct kconfig *cfg,
		    struct cdb_office_report **out, int *n, struct kerr *err);

/* The ticket page relay: an office's latest queue snapshot (a body qsnap_parse accepted),
 * sent by office/kiosk. 200 and *version (the same as before when only generated_at
 * changed), 503 database trouble. */
int cdb_snapshot_put(PGconn *db, const char *office, const char *kiosk, const char *day,
		     const char *body, long long *version);

struct cdb_snapshot {
	long long version;
	long long age_ms;      /* how old it is, by the database's clock */
	long long received_at; /* epoch seconds */
	char *body;            /* malloc'd; NULL when version == have (unchanged) */
	size_t len;
};
/* The office's snapshot: 200 (body only when its version is not `have`), 404 none,
 * 503 database trouble. */
int cdb_snapshot_get(PGconn *db, const char *office, long long have, struct cdb_snapshot *out);

#endif
