/**
 * @file http.h
 * @brief The collector's HTTP side on libmicrohttpd: POST /api/v1/ratings exactly as
 * the kiosk's uploader sends it (docs/ratings.md, docs/collector.md).
 *
 * Verdicts, all JSON ({"accepted","duplicates"} or {"error","status"}):
 *   200 stored and committed (or a replay of a batch already stored: same answer)
 *   400 not JSON, or no/bad Idempotency-Key     401 no, unknown or revoked token
 *   403 the batch names another office/kiosk than the token's
 *   404 other paths    405 not POST    409 Idempotency-Key reused with another body
 *   413 body over CH_BODY_MAX (refused from Content-Length before reading it)
 *   415 not application/json    422 wrong shape, types, scores, or a rating id
 *   already stored for another kiosk    503 database unavailable (the kiosk retries)
 *
 * PUT /api/v1/queue-snapshot (core/qsnap.h): the office's latest queue for the ticket
 * page relay (collector/relay.h). 200 {"version"}; 400 with the precise reason (not
 * JSON, wrong shape, types, lengths, counts); 401 as above; 403 a snapshot of another
 * office or kiosk than the token's; 413 over QSNAP_BODY_MAX (from Content-Length before
 * reading, or while reading); 415; 503. No Idempotency-Key: latest wins.
 *
 * One thread per connection, a connection cap, an idle timeout (a slow client is
 * dropped), and a small pool of database connections shared by the threads; a
 * connection PostgreSQL dropped (restart) is reopened on next use.
 *
 * Stopping (ch_stop) drains: a request that arrives from then on gets 503 "shutting
 * down" at once (the kiosk retries, against the next collector); the ones already
 * under way run to their COMMIT and reply. What is still running at the drain
 * deadline has its query cancelled: rolled back and answered 503, so a batch is
 * either stored and answered 200, or not stored and retried. Never stored and
 * answered as a failure; and if a reply is lost anyway (kill -9, network), the
 * kiosk's replay under the same Idempotency-Key gets the first answer again.
 */
#ifndef KIOSK_COLLECTOR_HTTP_H
#define KIOSK_COLLECTOR_HTTP_H

#include "core/err.h"

#define CH_PATH "/api/v1/ratings"
#define CH_SNAPSHOT_PATH "/api/v1/queue-snapshot" /* PUT: the ticket page relay (relay.h) */
#define CH_BODY_MAX (4 * 1024 * 1024) /* a full 5000-rating batch is ~1.3 MB */
#define CH_TOKEN_MAX 256	      /* bytes of a bearer token we even look at */
#define CH_CONN_MAX 64		      /* connections at once */
#define CH_CONN_PER_IP 16	      /* from one address (a kiosk uses one) */
#define CH_CONN_MEMORY (32 * 1024)    /* per connection: request line + headers */
#define CH_TIMEOUT_S 30		      /* idle connection dropped after this */
#define CH_POOL 4		      /* database connections */
#define CH_POOL_WAIT_MS 10000	      /* waiting for one longer than this: 503 */
#define CH_MONTHS_KNOWN 32	      /* months whose partition serve knows exists */
#define CH_DRAIN_S 20		      /* default bound on finishing uploads at stop */
#define CH_DRAIN_MAX_S 600	      /* --drain at most this */
#define CH_CANCEL_GRACE_MS 5000	      /* after cancelling: for the 503s to go out */

struct ch_conf {
	const char *db_url; /* libpq connection string: kept in memory, never logged */
	const char *bind;   /* "127.0.0.1", "::", ... */
	int port;	    /* 0: the kernel picks one (ch_port) */
	int timeout_s;	    /* 0: CH_TIMEOUT_S */
	int quiet;	    /* no stderr line per refused request */
	/* The public ticket page relay (collector/relay.h): its own listener, so /api is
	 * never on the public address. public_port -1: none; 0: the kernel picks. */
	const char *public_bind; /* NULL: bind */
	int public_port;
	int stale_s; /* 0: CRELAY_STALE_S */
};

/* What a stop did with the requests under way when it began. */
struct ch_drained {
	int under_way; /* requests in progress when the stop began */
	int cancelled; /* still in the database at the deadline: cancelled, answered 503 */
	int abandoned; /* not even finished after the cancel (database unreachable) */
};

struct ch_server;

/* Checks the database (reachable, schema current) and starts listening. */
kst ch_start(const struct ch_conf *conf, struct ch_server **out, struct kerr *err);
int ch_port(const struct ch_server *s);
/* The relay's port, -1 when it was not asked for. */
int ch_public_port(const struct ch_server *s);
/* Stops: new requests get 503 at once, requests under way get up to drain_s seconds
 * to COMMIT and reply (then their queries are cancelled), and s is freed. drained
 * (may be NULL) says what happened. When even the cancel did not bring every thread
 * back (PostgreSQL unreachable), s is left for process exit to reclaim: the
 * outcome is then a lost reply, which the kiosk's replay resolves. */
void ch_stop(struct ch_server *s, int drain_s, struct ch_drained *drained);

#endif
