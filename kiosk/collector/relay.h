/**
 * @file relay.h
 * @brief The ticket page relay: the collector serves the same /t page as the kiosk's
 * public listener (net/public_pages.h pp_ticket), from the latest queue snapshot each
 * office pushed (core/qsnap.h, PUT /api/v1/queue-snapshot), so a phone on mobile data
 * follows its ticket while the office LAN accepts no connection from the internet.
 *
 * Its own listener (`kiosk collector serve --public-port N`), apart from the kiosks'
 * /api: the public address never carries an upload route.
 *
 *   GET  /t?o=&d=&n=&s=[&k=]        the ticket page (Thai first, ?lang=en)
 *   GET  /t/wait?...&after=E&wait=S long-poll (JSON, as the kiosk's)
 *   GET  /assets/public.css, /assets/ticket.js, /fonts/Sarabun-*.ttf, /robots.txt
 *
 * A ticket is shown when o is an office with a snapshot, d is that snapshot's day, n is
 * in it and SHA-256(s) is its sig_sha256 (constant time). Forged, altered, cut, another
 * office's or unknown: one and the same 404 page; a date before the snapshot's day: 410
 * (it depends on the date typed only, so it reveals no ticket). A snapshot received more
 * than stale_s seconds ago (the database's clock) adds "the office has not updated since
 * HH:MM" atop the status. Leaving the queue and rating are not relayed (the page says to
 * ask staff or use the kiosk): the next step, see docs/public.md.
 *
 * Snapshots are cached per office (parsed once per version) and re-read from
 * PostgreSQL at most every CRELAY_POLL_MS while phones ask; a snapshot stored by this
 * collector wakes its waiting phones at once (crelay_notify). `after` of the long-poll
 * is an opaque token: the snapshot's version and whether it is stale.
 */
#ifndef KIOSK_COLLECTOR_RELAY_H
#define KIOSK_COLLECTOR_RELAY_H

#include "core/err.h"

#define CRELAY_STALE_S 120	/* a snapshot older than this gets the banner */
#define CRELAY_POLL_MS 500	/* an office's snapshot is re-read at most this often */
#define CRELAY_OFFICES_MAX 2000 /* offices cached (= CDB_OFFICES_MAX) */
#define CRELAY_CONN_MAX 1200	/* connections at once: 1,000 waiting phones and room */
#define CRELAY_CONN_PER_IP 64	/* from one address; none on loopback (behind nginx) */
#define CRELAY_CONN_MEMORY (16 * 1024)
#define CRELAY_TIMEOUT_S 10	/* an idle connection is dropped after this */
#define CRELAY_WAIT_MAX 25	/* seconds a long-poll may wait */
#define CRELAY_WAITERS_MAX 1000 /* long-polls at once; more get 503 */
#define CRELAY_QUERY_MAX 1024	/* bytes of query arguments; more gets 414 */

struct crelay_conf {
	const char *db_url; /* kept in memory, never logged */
	const char *bind;
	int port;    /* 0: the kernel picks */
	int stale_s; /* 0: CRELAY_STALE_S */
	int quiet;
};

struct crelay;

kst crelay_start(const struct crelay_conf *conf, struct crelay **out, struct kerr *err);
int crelay_port(const struct crelay *r);
/* A snapshot of office was just stored by this process: wake its waiting phones. */
void crelay_notify(struct crelay *r, const char *office);
/* Stops the listener (waking long-polls) and frees r (NULL is fine). */
void crelay_stop(struct crelay *r);

#endif
