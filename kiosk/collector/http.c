/**
 * @file http.c
 * @brief POST /api/v1/ratings on libmicrohttpd (see http.h).
 */
#include "collector/http.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "collector/batch.h"
#include "collector/db.h"
#include "collector/relay.h"
#include "core/clock.h"
#include "core/qsnap.h"
#include "core/secret.h"
#include "net/httpd.h"

struct ch_server {
	struct MHD_Daemon *d;
	char *db_url;
	int port, quiet;

	pthread_mutex_t lock;	   /* guards pool[], cancel[], busy[], under_way, draining */
	pthread_cond_t freed;	   /* a pool slot was freed */
	pthread_cond_t idle;	   /* under_way dropped to 0 */
	PGconn *pool[CH_POOL];	   /* NULL: not connected (yet, or dropped) */
	PGcancel *cancel[CH_POOL]; /* made with the connection, for ch_stop's deadline */
	int busy[CH_POOL];
	int months[CH_MONTHS_KNOWN]; /* month keys whose partition exists (cdb_month_key) */
	int n_months;		     /* filled entries of months[], a ring past the end */
	int under_way;		     /* requests between their first callback and completion */
	atomic_int draining;	     /* ch_stop began: new requests are refused */
	struct crelay *relay;	     /* the public ticket page listener, or NULL */
};

/* Per request: who sent it (from the first, headers-only call) and the body so far. */
struct creq {
	char office[CB_ID_MAX + 1], kiosk[CB_ID_MAX + 1];
	char key[CB_UUID_LEN + 1];
	int snapshot; /* PUT CH_SNAPSHOT_PATH, not a ratings batch */
	char *body;
	size_t len, cap, max;
	int too_big;
};

/* --- database connections ------------------------------------------------------------ */

/* A connection for this thread, or NULL (503) when none frees up in time or
 * PostgreSQL cannot be reached. */
static PGconn *pool_get(struct ch_server *s, int *slot)
{
	struct timespec dl;
	kclock_mono_deadline(&dl, CH_POOL_WAIT_MS);
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (int i = 0; i < CH_POOL; i++)
			if (!s->busy[i]) {
				s->busy[i] = 1;
				*slot = i;
				pthread_mutex_unlock(&s->lock);
				goto got;
			}
		if (pthread_cond_timedwait(&s->freed, &s->lock, &dl) == ETIMEDOUT) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
	}
got:
	/* Connecting happens outside the lock: the slot is ours. */
	if (!s->pool[*slot]) {
		struct kerr err;
		PGconn *db;
		if (cdb_connect(s->db_url, &db, &err)) {
			if (!s->quiet)
				fprintf(stderr, "kiosk collector: %s\n", err.msg);
			pthread_mutex_lock(&s->lock);
			s->busy[*slot] = 0;
			pthread_cond_signal(&s->freed);
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		/* The cancel key is made here, by the thread that owns the connection:
		 * ch_stop may use it from another thread while a query runs. */
		PGcancel *c = PQgetCancel(db);
		pthread_mutex_lock(&s->lock);
		s->pool[*slot] = db;
		s->cancel[*slot] = c;
		pthread_mutex_unlock(&s->lock);
	}
	return s->pool[*slot];
}

static void pool_put(struct ch_server *s, int slot)
{
	/* A connection broken under us (PostgreSQL restarted) is dropped; the next
	 * request opens a fresh one. */
	PGconn *dead = NULL;
	PGcancel *dead_c = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->pool[slot] && PQstatus(s->pool[slot]) != CONNECTION_OK) {
		dead = s->pool[slot];
		dead_c = s->cancel[slot];
		s->pool[slot] = NULL;
		s->cancel[slot] = NULL;
	}
	s->busy[slot] = 0;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
	PQfreeCancel(dead_c);
	PQfinish(dead);
}

/* --- partitions ---------------------------------------------------------------------- */

static int month_known(struct ch_server *s, int k)
{
	int hit = 0;
	pthread_mutex_lock(&s->lock);
	int n = s->n_months < CH_MONTHS_KNOWN ? s->n_months : CH_MONTHS_KNOWN;
	for (int i = 0; i < n && !hit; i++)
		hit = s->months[i] == k;
	pthread_mutex_unlock(&s->lock);
	return hit;
}

static void month_add(struct ch_server *s, int k)
{
	pthread_mutex_lock(&s->lock);
	s->months[s->n_months++ % CH_MONTHS_KNOWN] = k;
	if (s->n_months >= 2 * CH_MONTHS_KNOWN)
		s->n_months -= CH_MONTHS_KNOWN; /* stays "full", never overflows */
	pthread_mutex_unlock(&s->lock);
}

/* Makes sure the partitions of the batch's months exist, before its transaction
 * (creating one inside would hold the parent's lock until COMMIT). Only recent
 * months: a kiosk whose clock says 1990 must not make the server create tables;
 * such rows go to the default partition. A failure only means the same. */
static void ensure_months(struct ch_server *s, PGconn *db, const struct cb_batch *b)
{
	char today[KCLOCK_DATE_MAX];
	kclock_bkk_date(kclock_now(), today);
	int cur = cdb_month_key(today), last = -1;
	for (int i = 0; i < b->n; i++) {
		int k = cdb_month_key(b->r[i].day);
		if (k == last || k < cur - CDB_MONTHS_BACK || k > cur + CDB_MONTHS_AHEAD)
			continue;
		last = k;
		if (month_known(s, k))
			continue;
		struct kerr err;
		if (cdb_partition(db, k, &err) == K_OK)
			month_add(s, k);
		else if (!s->quiet)
			fprintf(stderr,
				"kiosk collector: %s (rows of that month kept in the default"
				" partition)\n",
				err.msg);
	}
}

/* --- replies ------------------------------------------------------------------------- */

/* close: the connection ends after this reply (the server is stopping). */
static enum MHD_Result reply(struct MHD_Connection *con, unsigned status, json_t *obj, int close)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (!s)
		return MHD_NO;
	size_t n = strlen(s);
	s[n] = '\n'; /* json_dumps' NUL becomes the final newline */
	struct MHD_Response *r = MHD_create_response_from_buffer(n + 1, s, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"ratings\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	if (close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result refuse(struct ch_server *s, struct MHD_Connection *con, unsigned status,
			      const struct creq *rq, const char *why)
{
	/* One line per refusal for the operator: who, what, why. Never the token. */
	if (!s->quiet)
		fprintf(stderr, "kiosk collector: %u %s/%s: %s\n", status,
			rq && rq->office[0] ? rq->office : "-",
			rq && rq->kiosk[0] ? rq->kiosk : "-", why);
	return reply(con, status, json_pack("{s:s, s:i}", "error", why, "status", (int)status),
		     s->draining);
}

/* --- the request --------------------------------------------------------------------- */

static const char *header(struct MHD_Connection *con, const char *name)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

/* Everything that needs no body, before any of it is read: path, method, token,
 * content type, key, declared length. 0: go on; else the status sent. */
static unsigned early(struct ch_server *s, struct MHD_Connection *con, const char *url,
		      const char *method, struct creq *rq, enum MHD_Result *res)
{
	char why[CB_WHY_MAX];
	unsigned st = 0;

	rq->snapshot = !strcmp(url, CH_SNAPSHOT_PATH);
	rq->max = rq->snapshot ? QSNAP_BODY_MAX : CH_BODY_MAX;
	if (strcmp(url, CH_PATH) && !rq->snapshot) {
		st = MHD_HTTP_NOT_FOUND;
		snprintf(why, sizeof why, "no such path (ratings go to %s)", CH_PATH);
	} else if (strcmp(method, rq->snapshot ? MHD_HTTP_METHOD_PUT : MHD_HTTP_METHOD_POST)) {
		st = MHD_HTTP_METHOD_NOT_ALLOWED;
		snprintf(why, sizeof why, rq->snapshot ? "PUT only" : "POST only");
	}
	if (st)
		goto out;
	const char *auth = header(con, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || strncasecmp(auth, "Bearer ", 7) || !auth[7] || strlen(auth) > CH_TOKEN_MAX) {
		st = MHD_HTTP_UNAUTHORIZED;
		snprintf(why, sizeof why, "Authorization: Bearer <kiosk token> required");
		goto out;
	}
	int slot;
	PGconn *db = pool_get(s, &slot);
	int a = db ? cdb_auth(db, auth + 7, rq->office, rq->kiosk) : 503;
	if (db)
		pool_put(s, slot);
	if (a) {
		st = (unsigned)a;
		snprintf(why, sizeof why,
			 a == 401 ? "unknown or revoked kiosk token"
				  : "database unavailable, try again");
		goto out;
	}
	const char *ct = header(con, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t ctl = strlen("application/json");
	if (!ct || strncasecmp(ct, "application/json", ctl) || (ct[ctl] && ct[ctl] != ';')) {
		st = MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
		snprintf(why, sizeof why, "Content-Type must be application/json");
		goto out;
	}
	const char *key = header(con, "Idempotency-Key");
	if (rq->snapshot) {
		/* Latest wins: a snapshot needs no key, a replay only says the same again. */
	} else if (!key || strlen(key) != CB_UUID_LEN || !cb_is_uuid(key)) {
		st = MHD_HTTP_BAD_REQUEST;
		snprintf(why, sizeof why, "Idempotency-Key must be the batch's UUID");
		goto out;
	}
	if (!rq->snapshot)
		memcpy(rq->key, key, CB_UUID_LEN + 1);
	/* Refused from the declared length: a 10 MB body is never read at all. */
	const char *cl = header(con, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > rq->max) {
		st = MHD_HTTP_CONTENT_TOO_LARGE;
		snprintf(why, sizeof why, "body over %zu bytes", rq->max);
	}
out:
	if (st)
		*res = refuse(s, con, st, rq, why);
	return st;
}

/* Appends a piece of body; past CH_BODY_MAX only notes it (413 at the end, memory
 * stays bounded for a chunked upload that declared no length). */
static int body_add(struct creq *rq, const char *data, size_t n)
{
	if (rq->too_big || rq->len + n > rq->max) {
		rq->too_big = 1;
		return 0;
	}
	if (rq->len + n > rq->cap) {
		size_t cap = rq->cap ? rq->cap : 16 * 1024;
		while (cap < rq->len + n)
			cap *= 2;
		if (cap > rq->max)
			cap = rq->max;
		char *b = realloc(rq->body, cap);
		if (!b)
			return -1;
		rq->body = b;
		rq->cap = cap;
	}
	memcpy(rq->body + rq->len, data, n);
	rq->len += n;
	return 0;
}

/* PUT /api/v1/queue-snapshot: checked (core/qsnap.h), this kiosk's own office only,
 * stored as the office's latest; phones waiting on the relay are woken. */
static enum MHD_Result store_snapshot(struct ch_server *s, struct MHD_Connection *con,
				      struct creq *rq)
{
	char why[CB_WHY_MAX];
	struct qsnap q;
	long long version = 0;
	int slot;

	if (rq->too_big) {
		snprintf(why, sizeof why, "snapshot over %zu bytes", rq->max);
		return refuse(s, con, MHD_HTTP_CONTENT_TOO_LARGE, rq, why);
	}
	int st = qsnap_parse(rq->body ? rq->body : "", rq->len, &q, why);
	if (st)
		return refuse(s, con, (unsigned)st, rq, why);
	qsnap_free(&q); /* checked; PostgreSQL keeps the body, the relay parses it again */
	if (strcmp(q.office, rq->office) || strcmp(q.kiosk, rq->kiosk)) {
		snprintf(why, sizeof why,
			 "this token is kiosk %s of office %s; the snapshot says %s/%s", rq->kiosk,
			 rq->office, q.kiosk, q.office);
		return refuse(s, con, MHD_HTTP_FORBIDDEN, rq, why);
	}
	PGconn *db = pool_get(s, &slot);
	if (!db)
		return refuse(s, con, MHD_HTTP_SERVICE_UNAVAILABLE, rq,
			      "database unavailable, try again");
	/* body_add keeps the bytes without a NUL; libpq wants one. */
	char *body = malloc(rq->len + 1);
	if (body) {
		memcpy(body, rq->body, rq->len);
		body[rq->len] = 0;
		st = cdb_snapshot_put(db, q.office, q.kiosk, q.day, body, &version);
		free(body);
	} else {
		st = 503;
	}
	pool_put(s, slot);
	if (st != 200)
		return refuse(s, con, (unsigned)st, rq, "database unavailable, try again");
	crelay_notify(s->relay, q.office);
	return reply(con, MHD_HTTP_OK, json_pack("{s:I}", "version", (json_int_t)version),
		     s->draining);
}

static enum MHD_Result store(struct ch_server *s, struct MHD_Connection *con, struct creq *rq)
{
	if (rq->snapshot)
		return store_snapshot(s, con, rq);

	char why[CB_WHY_MAX], sha[SECRET_SHA256_HEX];
	struct cb_batch b;
	int accepted, dups, slot;

	if (rq->too_big) {
		snprintf(why, sizeof why, "body over %d bytes", CH_BODY_MAX);
		return refuse(s, con, MHD_HTTP_CONTENT_TOO_LARGE, rq, why);
	}
	int st = cb_parse(rq->body ? rq->body : "", rq->len, &b, why);
	if (st)
		return refuse(s, con, (unsigned)st, rq, why);
	if (strcmp(b.office, rq->office) || strcmp(b.kiosk, rq->kiosk)) {
		snprintf(why, sizeof why,
			 "this token is kiosk %s of office %s; the batch says %s/%s", rq->kiosk,
			 rq->office, b.kiosk, b.office);
		cb_free(&b);
		return refuse(s, con, MHD_HTTP_FORBIDDEN, rq, why);
	}
	/* The body's hash tells a replay (same bytes: same answer) from a reused key. */
	secret_sha256_hex(rq->body, rq->len, sha);
	PGconn *db = pool_get(s, &slot);
	if (!db) {
		cb_free(&b);
		return refuse(s, con, MHD_HTTP_SERVICE_UNAVAILABLE, rq,
			      "database unavailable, try again");
	}
	ensure_months(s, db, &b);
	st = cdb_ingest(db, rq->key, sha, &b, &accepted, &dups, why);
	pool_put(s, slot);
	cb_free(&b);
	if (st == 503 && s->draining) /* most likely ch_stop's cancel: say so */
		snprintf(why, sizeof why, "the collector is shutting down, try again");
	if (st != 200)
		return refuse(s, con, (unsigned)st, rq, why);
	return reply(con, MHD_HTTP_OK,
		     json_pack("{s:i, s:i}", "accepted", accepted, "duplicates", dups),
		     s->draining);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct ch_server *s = cls;
	struct creq *rq = *con_cls;
	enum MHD_Result res = MHD_NO;

	if (!rq) {
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		*con_cls = rq;
		/* Counted until completed(): ch_stop waits for the reply to go out. */
		pthread_mutex_lock(&s->lock);
		s->under_way++;
		pthread_mutex_unlock(&s->lock);
		if (s->draining)
			return refuse(s, con, MHD_HTTP_SERVICE_UNAVAILABLE, rq,
				      "the collector is shutting down, try again");
		if (early(s, con, url, method, rq, &res))
			return res;
		return MHD_YES;
	}
	if (*upload_size) {
		if (body_add(rq, upload, *upload_size) < 0)
			return MHD_NO; /* out of memory: drop the connection, the kiosk retries */
		*upload_size = 0;
		return MHD_YES;
	}
	return store(s, con, rq);
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct ch_server *s = cls;
	struct creq *rq = *con_cls;
	if (!rq)
		return;
	free(rq->body);
	free(rq);
	*con_cls = NULL;
	pthread_mutex_lock(&s->lock);
	if (--s->under_way == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

kst ch_start(const struct ch_conf *conf, struct ch_server **out, struct kerr *err)
{
	PGconn *db = NULL;
	kst rc;

	*out = NULL;
	/* Fail at start, not at the first upload: the database must answer and be migrated. */
	if ((rc = cdb_connect(conf->db_url, &db, err)))
		return rc;
	rc = cdb_check_schema(db, err);
	if (!rc)
		rc = cdb_partitions_ahead(db, kclock_now(), err);
	if (rc) {
		PQfinish(db);
		return rc;
	}
	struct ch_server *s = calloc(1, sizeof *s);
	if (!s || !(s->db_url = strdup(conf->db_url))) {
		free(s);
		PQfinish(db);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	s->pool[0] = db;
	s->quiet = conf->quiet;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* pool waits are durations */
	pthread_cond_init(&s->freed, &ca);
	pthread_cond_init(&s->idle, &ca);
	pthread_condattr_destroy(&ca);
	s->cancel[0] = PQgetCancel(db);

	struct khttpd_conf hc = {
	    .bind = conf->bind,
	    .bind_name = "--bind",
	    .port = conf->port,
	    .conn_max = CH_CONN_MAX,
	    .conn_per_ip = CH_CONN_PER_IP,
	    .timeout_s = (unsigned)(conf->timeout_s > 0 ? conf->timeout_s : CH_TIMEOUT_S),
	    .conn_memory = CH_CONN_MEMORY,
	    .log_name = "kiosk collector",
	    .handler = handle,
	    .completed = completed,
	    .cls = s};
	if ((rc = khttpd_start(&hc, &s->d, &s->port, err)))
		goto fail;
	if (conf->public_port >= 0) {
		struct crelay_conf rc_conf = {.db_url = conf->db_url,
					      .bind = conf->public_bind ? conf->public_bind : conf->bind,
					      .port = conf->public_port,
					      .stale_s = conf->stale_s,
					      .quiet = conf->quiet};
		if ((rc = crelay_start(&rc_conf, &s->relay, err)))
			goto fail;
	}
	*out = s;
	return K_OK;
fail:
	ch_stop(s, 0, NULL);
	return rc;
}

int ch_port(const struct ch_server *s)
{
	return s->port;
}

int ch_public_port(const struct ch_server *s)
{
	return s->relay ? crelay_port(s->relay) : -1;
}

/* Waits until no request is under way or ms pass; returns how many still are. */
static int wait_idle(struct ch_server *s, int64_t ms)
{
	struct timespec dl;
	kclock_mono_deadline(&dl, ms);
	pthread_mutex_lock(&s->lock);
	while (s->under_way > 0 && pthread_cond_timedwait(&s->idle, &s->lock, &dl) != ETIMEDOUT)
		;
	int n = s->under_way;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void ch_stop(struct ch_server *s, int drain_s, struct ch_drained *drained)
{
	struct ch_drained dr = {0};
	char why[CB_WHY_MAX];

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->draining = 1;
	dr.under_way = s->under_way;
	pthread_mutex_unlock(&s->lock);
	if (s->d && dr.under_way > 0 && wait_idle(s, (int64_t)drain_s * 1000) > 0) {
		/* Past the deadline: roll back what is still in the database. PQcancel
		 * is made for this (another thread, its own socket); a COMMIT that
		 * already reached the server completes regardless, and is answered 200. */
		pthread_mutex_lock(&s->lock);
		for (int i = 0; i < CH_POOL; i++)
			if (s->busy[i] && s->cancel[i] && PQcancel(s->cancel[i], why, sizeof why))
				dr.cancelled++;
		pthread_mutex_unlock(&s->lock);
		dr.abandoned = wait_idle(s, CH_CANCEL_GRACE_MS);
	}
	if (drained)
		*drained = dr;
	if (dr.abandoned > 0)
		return; /* a thread is stuck in libpq: joining it could hang the stop */
	if (s->d)
		MHD_stop_daemon(s->d); /* joins every connection thread */
	crelay_stop(s->relay);   /* phones only read: nothing to drain */
	for (int i = 0; i < CH_POOL; i++) {
		PQfreeCancel(s->cancel[i]);
		PQfinish(s->pool[i]);
	}
	if (s->db_url) {
		/* It may hold a password. */
		memset(s->db_url, 0, strlen(s->db_url));
		free(s->db_url);
	}
	pthread_cond_destroy(&s->freed);
	pthread_cond_destroy(&s->idle);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
