/**
 * @file db.c
 * @brief PostgreSQL storage of the collector (see db.h).
 */
#include "collector/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/rating.h"
#include "core/secret.h"

#define CDB_MSG_MAX 200 /* bytes of libpq's message quoted in ours */

static const struct {
	int version;
	const char *name;
	const char *sql;
} migrations[] = {
    {1, "kiosks, batches, ratings",
     /* A kiosk is (office, kiosk): the same names as its kiosk.conf. */
     "CREATE TABLE kiosks ("
     " office text NOT NULL, kiosk text NOT NULL,"
     " token_sha256 bytea NOT NULL UNIQUE,"
     " created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz,"
     " PRIMARY KEY (office, kiosk));"
     /* One row per Idempotency-Key: the body's hash decides replay (same answer)
      * against reuse with another body (409). */
     "CREATE TABLE batches ("
     " key uuid PRIMARY KEY, office text NOT NULL, kiosk text NOT NULL,"
     " body_sha256 bytea NOT NULL, n int NOT NULL, accepted int, duplicates int,"
     " received_at timestamptz NOT NULL DEFAULT now());"
     /* The rating's own UUID is the dedup key; day is its Bangkok date, what
      * reports select on (see docs/collector.md for partitioning by month). */
     "CREATE TABLE ratings ("
     " id uuid PRIMARY KEY, office text NOT NULL, kiosk text NOT NULL,"
     " ticket text NOT NULL, service text NOT NULL,"
     " at timestamptz NOT NULL, day date NOT NULL,"
     " process smallint NOT NULL CHECK (process BETWEEN 1 AND 5),"
     " staff smallint NOT NULL CHECK (staff BETWEEN 1 AND 5),"
     " facility smallint NOT NULL CHECK (facility BETWEEN 1 AND 5),"
     " overall smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),"
     " batch uuid NOT NULL, received_at timestamptz NOT NULL DEFAULT now());"
     "CREATE INDEX ratings_day_office ON ratings (day, office);"},
    {2, "ratings partitioned by month, rating_ids",
     /* Why two tables: PostgreSQL enforces a unique key on a partitioned table only
      * when it contains the partition key, so the id alone cannot be unique across
      * months there. rating_ids holds each id once (its PRIMARY KEY, the dedup) with
      * its day; ratings' (id, day) is unique per partition and must exist in
      * rating_ids (FOREIGN KEY), and an id has one day there, so no id is stored
      * twice, in one month or in two: enforced by the database, not by our code. */
     "ALTER TABLE ratings RENAME TO ratings_v1;"
     "ALTER TABLE ratings_v1 RENAME CONSTRAINT ratings_pkey TO ratings_v1_pkey;"
     "DROP INDEX ratings_day_office;"
     "CREATE TABLE rating_ids ("
     " id uuid PRIMARY KEY, day date NOT NULL, UNIQUE (id, day));"
     "CREATE TABLE ratings ("
     " id uuid NOT NULL, office text NOT NULL, kiosk text NOT NULL,"
     " ticket text NOT NULL, service text NOT NULL,"
     " at timestamptz NOT NULL, day date NOT NULL,"
     " process smallint NOT NULL CHECK (process BETWEEN 1 AND 5),"
     " staff smallint NOT NULL CHECK (staff BETWEEN 1 AND 5),"
     " facility smallint NOT NULL CHECK (facility BETWEEN 1 AND 5),"
     " overall smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),"
     " batch uuid NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),"
     " PRIMARY KEY (id, day), FOREIGN KEY (id, day) REFERENCES rating_ids (id, day))"
     " PARTITION BY RANGE (day);"
     /* A month is one partition: the city-wide report scans exactly it; an office's
      * month is a slice of this index. */
     "CREATE INDEX ratings_office_day ON ratings (office, day);"
     /* The safety net: a day with no partition yet (a kiosk's clock years off, a
      * month nobody created) is stored here, never refused; creating its month's
      * partition later moves those rows over. */
     "CREATE TABLE ratings_default PARTITION OF ratings DEFAULT;"
     /* The month's partition of day m, created when missing (idempotent; two
      * callers at once are serialised by an advisory lock). */
     "CREATE FUNCTION collector_month_partition(m date) RETURNS text"
     " LANGUAGE plpgsql AS $f$"
     " DECLARE lo date := date_trunc('month', m)::date;"
     " hi date := (date_trunc('month', m) + interval '1 month')::date;"
     " part text := 'ratings_' || to_char(date_trunc('month', m), 'YYYY_MM');"
     " BEGIN"
     " IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;"
     " PERFORM pg_advisory_xact_lock(hashtext('kiosk collector partitions'));"
     " IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;"
     /* PostgreSQL refuses a partition while the default holds rows of its range:
      * set them aside, create it, put them back through the parent. */
     " CREATE TEMP TABLE collector_moved (LIKE ratings) ON COMMIT DROP;"
     " WITH d AS (DELETE FROM ratings_default WHERE day >= lo AND day < hi RETURNING *)"
     " INSERT INTO collector_moved SELECT * FROM d;"
     " EXECUTE format('CREATE TABLE %I PARTITION OF ratings FOR VALUES FROM (%L) TO (%L)',"
     " part, lo, hi);"
     " INSERT INTO ratings SELECT * FROM collector_moved;"
     " DROP TABLE collector_moved;"
     " RETURN part;"
     " END $f$;"
     /* The rows of version 1, month by month into their partitions. */
     "SELECT collector_month_partition(m) FROM"
     " (SELECT DISTINCT date_trunc('month', day)::date AS m FROM ratings_v1) s;"
     "INSERT INTO rating_ids (id, day) SELECT id, day FROM ratings_v1;"
     "INSERT INTO ratings (id, office, kiosk, ticket, service, at, day, process, staff,"
     " facility, overall, batch, received_at)"
     " SELECT id, office, kiosk, ticket, service, at, day, process, staff,"
     " facility, overall, batch, received_at FROM ratings_v1;"
     "DROP TABLE ratings_v1;"},
    {3, "queue_snapshots (the ticket page relay)",
     /* The latest queue snapshot of each office (core/qsnap.h), whichever of its kiosks
      * sent it: latest wins, nothing is kept of earlier ones. version changes only when
      * the queue did (a heartbeat renews received_at alone), so phones waiting on the
      * relay wake for a change, not for every heartbeat. received_at is the database's
      * clock: staleness never depends on a kiosk's clock. */
     "CREATE SEQUENCE queue_snapshot_version;"
     "CREATE TABLE queue_snapshots ("
     " office text PRIMARY KEY, kiosk text NOT NULL, day date NOT NULL,"
     " body jsonb NOT NULL, version bigint NOT NULL,"
     " received_at timestamptz NOT NULL DEFAULT now());"},
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

/* libpq's message, first line only, bounded. */
static const char *pq_msg(PGconn *db, char out[CDB_MSG_MAX])
{
	const char *m = db ? PQerrorMessage(db) : "out of memory";
	size_t n = strcspn(m, "\n");
	if (n >= CDB_MSG_MAX)
		n = CDB_MSG_MAX - 1;
	memcpy(out, m, n);
	out[n] = 0;
	return out;
}

/* Runs sql with text parameters; NULL result on any error (cleared). */
static PGresult *run(PGconn *db, const char *sql, int n, const char *const *params, int want)
{
	PGresult *r = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	if (r && PQresultStatus(r) == (ExecStatusType)want)
		return r;
	PQclear(r);
	return NULL;
}

/* A fixed command without parameters (PQexec: a migration may hold several). */
static int cmd(PGconn *db, const char *sql)
{
	PGresult *r = PQexec(db, sql);
	int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

static kst db_fail(PGconn *db, struct kerr *err, const char *what)
{
	char m[CDB_MSG_MAX];
	return kerr_set(err, K_EFAIL, "database: %s: %s", what, pq_msg(db, m));
}

kst cdb_connect(const char *url, PGconn **out, struct kerr *err)
{
	char m[CDB_MSG_MAX];
	char *perr = NULL;
	*out = NULL;
	if (!url || !*url)
		return kerr_set(err, K_EUSAGE,
				"no database: give --db URL or set KIOSK_COLLECTOR_DB");
	/* Parse first, so a typo is a usage error (exit 2) and not "server refused". */
	PQconninfoOption *o = PQconninfoParse(url, &perr);
	if (!o) {
		/* perr quotes the part it could not parse: that may be a password. */
		PQfreemem(perr);
		return kerr_set(err, K_EUSAGE,
				"--db: not a libpq connection string or postgresql:// URL");
	}
	PQconninfoFree(o);
	PGconn *db = PQconnectdb(url);
	if (!db || PQstatus(db) != CONNECTION_OK) {
		kerr_set(err, K_EFAIL, "database: cannot connect: %s", pq_msg(db, m));
		PQfinish(db);
		return K_EFAIL;
	}
	/* Notices ("relation already exists, skipping") are not for the operator. */
	PQsetNoticeProcessor(db, NULL, NULL);
	PQclear(PQexec(db, "SET client_min_messages = warning"));
	/* Operators (and the tests) tell collectors apart in pg_stat_activity by pid. */
	char app[64];
	snprintf(app, sizeof app, "SET application_name = 'kiosk collector %ld'", (long)getpid());
	PQclear(PQexec(db, app));
	*out = db;
	return K_OK;
}

kst cdb_migrate(PGconn *db, int to, int *applied, struct kerr *err)
{
	char v[16];
	const char *p[2];
	*applied = 0;
	if (!cmd(db, "BEGIN"))
		return db_fail(db, err, "BEGIN");
	/* Two `migrate` at once (two deploy scripts): the second waits, then finds
	 * every version applied. */
	PGresult *r = run(db, "SELECT pg_advisory_xact_lock(hashtext('kiosk collector migrate'))",
			  0, NULL, PGRES_TUPLES_OK);
	PQclear(r);
	if (!r || !cmd(db, "CREATE TABLE IF NOT EXISTS collector_migrations ("
			   " version int PRIMARY KEY, name text NOT NULL,"
			   " applied_at timestamptz NOT NULL DEFAULT now())"))
		goto fail;
	for (int i = 0; i < N_MIGRATIONS && (to <= 0 || migrations[i].version <= to); i++) {
		snprintf(v, sizeof v, "%d", migrations[i].version);
		p[0] = v;
		r = run(db, "SELECT 1 FROM collector_migrations WHERE version = $1", 1, p,
			PGRES_TUPLES_OK);
		if (!r)
			goto fail;
		int done = PQntuples(r) > 0;
		PQclear(r);
		if (done)
			continue;
		if (!cmd(db, migrations[i].sql))
			goto fail;
		p[1] = migrations[i].name;
		if (!(r = run(db,
			      "INSERT INTO collector_migrations (version, name) VALUES ($1, $2)", 2,
			      p, PGRES_COMMAND_OK)))
			goto fail;
		PQclear(r);
		(*applied)++;
	}
	if (!cmd(db, "COMMIT"))
		return db_fail(db, err, "COMMIT");
	return K_OK;
fail:
	db_fail(db, err, "migrate");
	PQclear(PQexec(db, "ROLLBACK"));
	return K_EFAIL;
}

int cdb_month_key(const char *day)
{
	int y, m, d;
	char first[16];
	snprintf(first, sizeof first, "%.7s-01", day);
	if (kclock_parse_date(first, &y, &m, &d))
		return -1;
	return y * 12 + (m - 1);
}

kst cdb_partition(PGconn *db, int month_key, struct kerr *err)
{
	char day[16];
	snprintf(day, sizeof day, "%04d-%02d-01", month_key / 12, month_key % 12 + 1);
	const char *p[1] = {day};
	/* Creating a partition locks the parent briefly; behind a long transaction it
	 * gives up rather than stall uploads (the rows go to the default meanwhile). */
	if (!cmd(db, "BEGIN") || !cmd(db, "SET LOCAL lock_timeout = '" CDB_PART_LOCK_WAIT "'"))
		goto fail;
	PGresult *r = run(db, "SELECT collector_month_partition($1::date)", 1, p, PGRES_TUPLES_OK);
	if (!r)
		goto fail;
	PQclear(r);
	if (!cmd(db, "COMMIT"))
		goto fail;
	return K_OK;
fail:
	db_fail(db, err, "creating a month's partition");
	PQclear(PQexec(db, "ROLLBACK"));
	return K_EFAIL;
}

kst cdb_partitions_ahead(PGconn *db, int64_t now, struct kerr *err)
{
	char today[KCLOCK_DATE_MAX];
	kclock_bkk_date(now, today);
	int cur = cdb_month_key(today);
	for (int k = cur - 1; k <= cur + CDB_MONTHS_AHEAD; k++) {
		kst rc = cdb_partition(db, k, err);
		if (rc)
			return rc;
	}
	return K_OK;
}

kst cdb_check_schema(PGconn *db, struct kerr *err)
{
	PGresult *r = run(db,
			  "SELECT COALESCE(MAX(version), 0) FROM collector_migrations"
			  " WHERE to_regclass('collector_migrations') IS NOT NULL",
			  0, NULL, PGRES_TUPLES_OK);
	int v = 0;
	if (r && PQntuples(r) == 1)
		v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (v != CDB_SCHEMA_VERSION)
		return kerr_set(err, K_EUSAGE,
				"database schema is at version %d, this collector needs %d: run"
				" `kiosk collector migrate` first",
				v, CDB_SCHEMA_VERSION);
	return K_OK;
}

kst cdb_add_kiosk(PGconn *db, const char *office, const char *kiosk, char token[CDB_TOKEN_MAX],
		  struct kerr *err)
{
	unsigned char raw[CDB_TOKEN_BYTES];
	char h[SECRET_SHA256_HEX];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0 && errno != EINTR)
			return kerr_set(err, K_EFAIL, "getrandom: %s", strerror(errno));
		if (n > 0)
			got += (size_t)n;
	}
	secret_hex(raw, sizeof raw, token);
	memset(raw, 0, sizeof raw);
	secret_sha256_hex(token, strlen(token), h);
	const char *p[3] = {office, kiosk, h};
	PGresult *r = run(
	    db,
	    "INSERT INTO kiosks (office, kiosk, token_sha256) VALUES ($1, $2, decode($3, 'hex'))"
	    " ON CONFLICT (office, kiosk) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256,"
	    " revoked_at = NULL",
	    3, p, PGRES_COMMAND_OK);
	if (!r) {
		memset(token, 0, CDB_TOKEN_MAX);
		return db_fail(db, err, "add-kiosk");
	}
	PQclear(r);
	return K_OK;
}

kst cdb_revoke_kiosk(PGconn *db, const char *office, const char *kiosk, struct kerr *err)
{
	const char *p[2] = {office, kiosk};
	PGresult *r = run(db,
			  "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, now())"
			  " WHERE office = $1 AND kiosk = $2",
			  2, p, PGRES_COMMAND_OK);
	if (!r)
		return db_fail(db, err, "revoke-kiosk");
	int n = atoi(PQcmdTuples(r));
	PQclear(r);
	if (n == 0)
		return kerr_set(err, K_EFAIL, "no kiosk %s of office %s is registered", kiosk,
				office);
	return K_OK;
}

int cdb_auth(PGconn *db, const char *token, char office[CB_ID_MAX + 1], char kiosk[CB_ID_MAX + 1])
{
	char h[SECRET_SHA256_HEX];
	secret_sha256_hex(token, strlen(token), h);
	const char *p[1] = {h};
	PGresult *r = run(db,
			  "SELECT office, kiosk FROM kiosks WHERE token_sha256 = decode($1, 'hex')"
			  " AND revoked_at IS NULL",
			  1, p, PGRES_TUPLES_OK);
	if (!r)
		return 503;
	int st = 401;
	if (PQntuples(r) == 1) {
		snprintf(office, CB_ID_MAX + 1, "%s", PQgetvalue(r, 0, 0));
		snprintf(kiosk, CB_ID_MAX + 1, "%s", PQgetvalue(r, 0, 1));
		st = 0;
	}
	PQclear(r);
	return st;
}

static int rollback(PGconn *db, int status)
{
	PQclear(PQexec(db, "ROLLBACK"));
	return status;
}

int cdb_ingest(PGconn *db, const char *key, const char *sha_hex_body, const struct cb_batch *b,
	       int *accepted, int *dups, char why[CB_WHY_MAX])
{
	char n[16], a[16], d[16];
	PGresult *r;
	char *rows = NULL;
	int st = 503;

	*accepted = *dups = 0;
	snprintf(why, CB_WHY_MAX, "database unavailable, try again");
	if (!cmd(db, "BEGIN"))
		return 503;
	/* Claim the key. A concurrent request with the same key waits here until the
	 * first one commits or rolls back, so a batch is never stored twice at once. */
	snprintf(n, sizeof n, "%d", b->n);
	const char *pk[5] = {key, b->office, b->kiosk, sha_hex_body, n};
	if (!(r = run(db,
		      "INSERT INTO batches (key, office, kiosk, body_sha256, n)"
		      " VALUES ($1, $2, $3, decode($4, 'hex'), $5) ON CONFLICT (key) DO NOTHING",
		      5, pk, PGRES_COMMAND_OK)))
		return rollback(db, 503);
	int claimed = atoi(PQcmdTuples(r)) == 1;
	PQclear(r);
	if (!claimed) {
		if (!(r = run(
			  db,
			  "SELECT encode(body_sha256, 'hex') = $2 AND office = $3 AND kiosk = $4,"
			  " accepted, duplicates FROM batches WHERE key = $1",
			  4, (const char *[]){key, sha_hex_body, b->office, b->kiosk},
			  PGRES_TUPLES_OK)) ||
		    PQntuples(r) != 1) {
			PQclear(r);
			return rollback(db, 503);
		}
		if (strcmp(PQgetvalue(r, 0, 0), "t")) {
			snprintf(why, CB_WHY_MAX,
				 "Idempotency-Key %s was used before for a different batch", key);
			st = 409;
		} else {
			/* A replay (the kiosk never heard our reply): the first answer again. */
			*accepted = atoi(PQgetvalue(r, 0, 1));
			*dups = atoi(PQgetvalue(r, 0, 2));
			why[0] = 0;
			st = 200;
		}
		PQclear(r);
		return rollback(db, st);
	}
	if (!(rows = cb_rows_json(b)))
		return rollback(db, 503);
	const char *pr[4] = {rows, b->office, b->kiosk, key};
	/* The id is claimed in rating_ids (the one unique key across months); only the
	 * ids claimed now are stored. DISTINCT ON: an id twice in one batch counts once. */
	r = run(db,
		"WITH x AS (SELECT DISTINCT ON (id) * FROM jsonb_to_recordset($1::jsonb)"
		" AS x(id uuid, ticket text, service text, at bigint, day date, process smallint,"
		" staff smallint, facility smallint, overall smallint)),"
		" n AS (INSERT INTO rating_ids (id, day) SELECT id, day FROM x"
		" ON CONFLICT (id) DO NOTHING RETURNING id)"
		" INSERT INTO ratings (id, office, kiosk, ticket, service, at, day, process, staff,"
		" facility, overall, batch)"
		" SELECT x.id, $2, $3, ticket, service, to_timestamp(at), day, process, staff,"
		" facility, overall, $4::uuid FROM x JOIN n ON n.id = x.id",
		4, pr, PGRES_COMMAND_OK);
	if (!r)
		goto out;
	*accepted = atoi(PQcmdTuples(r));
	*dups = b->n - *accepted;
	PQclear(r);
	/* An id already stored for someone else: a kiosk writes only as itself. */
	if (*dups > 0) {
		r = run(db,
			"SELECT s.id FROM jsonb_to_recordset($1::jsonb) AS x(id uuid)"
			" JOIN rating_ids i ON i.id = x.id JOIN ratings s ON s.id = i.id AND s.day "
			"= i.day"
			" WHERE s.office <> $2 OR s.kiosk <> $3 LIMIT 1",
			3, pr, PGRES_TUPLES_OK);
		if (!r)
			goto out;
		if (PQntuples(r) > 0) {
			snprintf(why, CB_WHY_MAX, "rating %s was sent by another kiosk",
				 PQgetvalue(r, 0, 0));
			PQclear(r);
			st = 422;
			goto out;
		}
		PQclear(r);
	}
	snprintf(a, sizeof a, "%d", *accepted);
	snprintf(d, sizeof d, "%d", *dups);
	if (!(r = run(db, "UPDATE batches SET accepted = $2, duplicates = $3 WHERE key = $1", 3,
		      (const char *[]){key, a, d}, PGRES_COMMAND_OK)))
		goto out;
	PQclear(r);
	/* The reply is sent only after this: 200 means on disk. */
	if (!cmd(db, "COMMIT"))
		goto out_nocommit;
	free(rows);
	why[0] = 0;
	return 200;
out:
	rollback(db, st);
out_nocommit:
	free(rows);
	if (st == 503)
		*accepted = *dups = 0;
	return st;
}

kst cdb_report(PGconn *db, const char *month, const char *office, json_t **out, struct kerr *err)
{
	char first[16];
	*out = NULL;
	snprintf(first, sizeof first, "%s-01", month);
	const char *p[2] = {first, office};
	/* First per kiosk (a hash aggregate over the month's partition: small result),
	 * then ROLLUP over those rows adds the whole-district row cheaply. Counting
	 * kiosks this way also counts (office, kiosk) pairs, not names: kiosk-1 of two
	 * offices is two kiosks. Means as sum / n in float8, as SQLite's AVG on the kiosk. */
	PGresult *r =
	    run(db,
		"WITH k AS (SELECT office, kiosk, COUNT(*) AS n, SUM(process) AS sp,"
		" SUM(staff) AS ss, SUM(facility) AS sf, SUM(overall) AS so FROM ratings"
		" WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date"
		" AND ($2::text IS NULL OR office = $2) GROUP BY office, kiosk)"
		" SELECT office, COALESCE(SUM(n), 0), COUNT(*), SUM(sp)::float8 / SUM(n),"
		" SUM(ss)::float8 / SUM(n), SUM(sf)::float8 / SUM(n), SUM(so)::float8 / SUM(n),"
		" (SUM(sp) + SUM(ss) + SUM(sf) + SUM(so))::float8 / (4 * SUM(n))"
		" FROM k GROUP BY ROLLUP (office) ORDER BY office NULLS LAST",
		2, p, PGRES_TUPLES_OK);
	if (!r)
		return db_fail(db, err, "report");
	json_t *offices = json_array(), *all = NULL;
	for (int i = 0; i < PQntuples(r); i++) {
		long long n = atoll(PQgetvalue(r, i, 1));
		json_t *o = json_pack("{s:I, s:I}", "ratings", (json_int_t)n, "kiosks",
				      (json_int_t)atoll(PQgetvalue(r, i, 2)));
		json_t *means = json_object();
		for (int d = 0; d <= CB_SCORES; d++) {
			const char *k = d < CB_SCORES ? cb_score_keys[d] : "all";
			if (n == 0) {
				json_object_set_new(means, k, json_null());
				continue;
			}
			double m = atof(PQgetvalue(r, i, 3 + d));
			int band = rating_band(m);
			/* Two decimals as `kiosk report` prints them, the band from that figure. */
			json_object_set_new(means, k,
					    json_pack("{s:f, s:i, s:s, s:s}", "mean",
						      (double)(long long)(m * 100.0 + 0.5) / 100.0,
						      "band", band, "label_th",
						      rating_band_label(band, "th"), "label_en",
						      rating_band_label(band, "en")));
		}
		json_object_set_new(o, "satisfaction", means);
		if (PQgetisnull(r, i, 0)) {
			all = o;
		} else {
			json_object_set_new(o, "office", json_string(PQgetvalue(r, i, 0)));
			json_array_append_new(offices, o);
		}
	}
	PQclear(r);
	json_t *j =
	    json_pack("{s:s, s:I, s:o}", "month", month, "ratings",
		      (json_int_t)(all ? json_integer_value(json_object_get(all, "ratings")) : 0),
		      "offices", offices);
	if (office)
		json_object_set_new(j, "office", json_string(office));
	json_object_set_new(j, "all", all ? all : json_null());
	*out = j;
	return K_OK;
}

/* The service's slot in r (catalogue services were added first), or NULL when full. */
static struct report_service *svc_slot(struct report *r, const char *id)
{
	for (int i = 0; i < r->n_services; i++)
		if (!strcmp(r->svc[i].id, id))
			return &r->svc[i];
	if (r->n_services >= KCAT_SERVICES_MAX)
		return NULL;
	struct report_service *v = &r->svc[r->n_services++];
	snprintf(v->id, sizeof v->id, "%s", id);
	v->wait_min = v->service_min = -1;
	return v;
}

static void report_init(struct report *r, const struct kconfig *cfg, int y, int m)
{
	memset(r, 0, sizeof *r);
	snprintf(r->from, sizeof r->from, "%04d-%02d-01", y, m);
	snprintf(r->until, sizeof r->until, "%04d-%02d-%02d", y, m, kclock_days_in_month(y, m));
	r->year = y;
	r->month = m;
	r->days = kclock_days_in_month(y, m);
	r->wait_min = r->service_min = -1;
	/* Misuse flags stay on the kiosk (not in the upload contract): every rating counts. */
	r->include_flagged = 1;
	for (size_t i = 0; cfg && i < cfg->catalog.n; i++)
		svc_slot(r, cfg->catalog.svc[i].id);
}

/* Count and the four means of row i (columns from 4 on) into s, with bands. */
static void sat_row(PGresult *res, int i, struct report_sat *s)
{
	s->n = atol(PQgetvalue(res, i, 4));
	s->all = 0;
	for (int d = 0; d < RATING_DIMS; d++) {
		s->mean[d] = atof(PQgetvalue(res, i, 5 + d));
		s->all += s->mean[d] / RATING_DIMS; /* as core/report.c: the mean of the means */
		s->band[d] = s->n ? rating_band(s->mean[d]) : 0;
	}
	s->band_all = s->n ? rating_band(s->all) : 0;
}

kst cdb_report_full(PGconn *db, const char *month, const char *office, const struct kconfig *cfg,
		    struct cdb_office_report **out, int *n, struct kerr *err)
{
	char first[16];
	int y, m, d;
	*out = NULL;
	*n = 0;
	snprintf(first, sizeof first, "%.7s-01", month);
	if (kclock_parse_date(first, &y, &m, &d))
		return kerr_set(err, K_EUSAGE, "--month YYYY-MM");
	const char *p[2] = {first, office};
	/* One scan of the month's partition, aggregated by (office, day, service) in a
	 * hash table (a few thousand rows for a city), then GROUPING SETS over that.
	 * GROUPING() bits, office 4, day 2, service 1: set = summed over. */
	PGresult *r =
	    run(db,
		"WITH b AS (SELECT office, day, service, COUNT(*) AS n, SUM(process) AS sp,"
		" SUM(staff) AS ss, SUM(facility) AS sf, SUM(overall) AS so,"
		" SUM((process = 1)::int) AS p1, SUM((process = 2)::int) AS p2,"
		" SUM((process = 3)::int) AS p3, SUM((process = 4)::int) AS p4,"
		" SUM((process = 5)::int) AS p5, SUM((staff = 1)::int) AS s1,"
		" SUM((staff = 2)::int) AS s2, SUM((staff = 3)::int) AS s3, SUM((staff = 4)::int) "
		"AS s4,"
		" SUM((staff = 5)::int) AS s5, SUM((facility = 1)::int) AS f1,"
		" SUM((facility = 2)::int) AS f2, SUM((facility = 3)::int) AS f3,"
		" SUM((facility = 4)::int) AS f4, SUM((facility = 5)::int) AS f5,"
		" SUM((overall = 1)::int) AS o1, SUM((overall = 2)::int) AS o2,"
		" SUM((overall = 3)::int) AS o3, SUM((overall = 4)::int) AS o4,"
		" SUM((overall = 5)::int) AS o5 FROM ratings"
		" WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date"
		" AND ($2::text IS NULL OR office = $2) GROUP BY office, day, service)"
		" SELECT office, day - $1::date, service, GROUPING(office, day, service)::int,"
		" SUM(n), SUM(sp)::float8 / SUM(n), SUM(ss)::float8 / SUM(n),"
		" SUM(sf)::float8 / SUM(n), SUM(so)::float8 / SUM(n),"
		" SUM(p1), SUM(p2), SUM(p3), SUM(p4), SUM(p5), SUM(s1), SUM(s2), SUM(s3), SUM(s4),"
		" SUM(s5), SUM(f1), SUM(f2), SUM(f3), SUM(f4), SUM(f5), SUM(o1), SUM(o2), SUM(o3),"
		" SUM(o4), SUM(o5) FROM b"
		" GROUP BY GROUPING SETS ((), (day), (service), (office), (office, day), (office, "
		"service))"
		" ORDER BY office NULLS FIRST",
		2, p, PGRES_TUPLES_OK);
	if (!r)
		return db_fail(db, err, "report");
	/* --office with no rating this month still gets its (empty) report: cap >= 2. */
	int rows = PQntuples(r), cap = office ? 2 : 1, cur = 0;
	for (int i = 0; i < rows; i++)
		if (!office && PQgetvalue(r, i, 3)[0] == '3') /* (office) */
			cap++;
	if (cap > CDB_OFFICES_MAX + 1) {
		PQclear(r);
		return kerr_set(err, K_EFAIL,
				"report: %d offices, at most %d in one report (use --office)",
				cap - 1, CDB_OFFICES_MAX);
	}
	struct cdb_office_report *o = calloc((size_t)cap, sizeof *o);
	if (!o) {
		PQclear(r);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	for (int k = 0; k < cap; k++)
		report_init(&o[k].r, cfg, y, m);
	int used = 1;
	for (int i = 0; i < rows; i++) {
		int g = atoi(PQgetvalue(r, i, 3));
		struct cdb_office_report *e = &o[0];
		if (!(g & 4)) {
			/* Rows come ordered by office: a new name starts the next entry. */
			const char *name = PQgetvalue(r, i, 0);
			if (cur == 0 || strcmp(o[cur].office, name)) {
				if (used >= cap)
					continue;
				cur = used++;
				snprintf(o[cur].office, sizeof o[cur].office, "%s", name);
			}
			e = &o[cur];
		}
		struct report *rp = &e->r;
		if ((g & 3) == 3) { /* the office's (or everyone's) whole month */
			sat_row(r, i, &rp->sat);
			for (int q = 0; q < RATING_DIMS; q++)
				for (int v = 1; v <= 5; v++)
					rp->dist[q][v] = atol(PQgetvalue(r, i, 9 + q * 5 + v - 1));
		} else if (!(g & 2)) { /* per day */
			int day = atoi(PQgetvalue(r, i, 1));
			if (day >= 0 && day < REPORT_DAYS_MAX)
				rp->per_day[day] = atol(PQgetvalue(r, i, 4));
		} else { /* per service */
			struct report_service *v = svc_slot(rp, PQgetvalue(r, i, 2));
			if (v)
				sat_row(r, i, &v->sat);
		}
	}
	PQclear(r);
	if (office && used == 1)
		snprintf(o[used++].office, sizeof o[0].office, "%s", office);
	*out = o;
	*n = used;
	return K_OK;
}

int cdb_snapshot_put(PGconn *db, const char *office, const char *kiosk, const char *day,
		     const char *body, long long *version)
{
	const char *p[4] = {office, kiosk, day, body};
	PGresult *r = run(
	    db,
	    "INSERT INTO queue_snapshots AS q (office, kiosk, day, body, version)"
	    " VALUES ($1, $2, $3::date, $4::jsonb, nextval('queue_snapshot_version'))"
	    " ON CONFLICT (office) DO UPDATE SET kiosk = EXCLUDED.kiosk, day = EXCLUDED.day,"
	    " body = EXCLUDED.body, received_at = now(),"
	    " version = CASE WHEN (q.body - 'generated_at') IS DISTINCT FROM"
	    " (EXCLUDED.body - 'generated_at') THEN EXCLUDED.version ELSE q.version END"
	    " RETURNING version",
	    4, p, PGRES_TUPLES_OK);
	if (!r)
		return 503;
	*version = PQntuples(r) == 1 ? atoll(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return 200;
}

int cdb_snapshot_get(PGconn *db, const char *office, long long have, struct cdb_snapshot *out)
{
	char hv[24];
	snprintf(hv, sizeof hv, "%lld", have);
	const char *p[2] = {office, hv};
	memset(out, 0, sizeof *out);
	PGresult *r = run(db,
			  "SELECT version, (extract(epoch FROM now() - received_at) * 1000)::bigint,"
			  " extract(epoch FROM received_at)::bigint,"
			  " CASE WHEN version <> $2::bigint THEN body::text END"
			  " FROM queue_snapshots WHERE office = $1",
			  2, p, PGRES_TUPLES_OK);
	if (!r)
		return 503;
	int st = 404;
	if (PQntuples(r) == 1) {
		out->version = atoll(PQgetvalue(r, 0, 0));
		out->age_ms = atoll(PQgetvalue(r, 0, 1));
		out->received_at = atoll(PQgetvalue(r, 0, 2));
		if (!PQgetisnull(r, 0, 3)) {
			out->len = (size_t)PQgetlength(r, 0, 3);
			out->body = malloc(out->len + 1);
			if (!out->body) {
				PQclear(r);
				return 503;
			}
			memcpy(out->body, PQgetvalue(r, 0, 3), out->len + 1);
		}
		st = 200;
	}
	PQclear(r);
	return st;
}
