/**
 * @file public.h
 * @brief The public listener: what citizens reach from their phones and home, apart from
 * the counter API (its own port, no counter route, token or admin data here).
 *
 *   GET  /                      home
 *   GET  /services[/]           the catalogue;  /services/ID  one checklist
 *   GET  /open-data/            the open data files;  /open-data/NAME  one file
 *   GET  /stats                 today and this month, live
 *   GET  <T>?o=&d=&n=&s=        the ticket on the phone, <T> the path of [ticket]
 *                               qr_template ("/t"): the QR's own URL opens it
 *   GET  <T>/wait?...&after=E   long-poll: JSON as soon as the queue moves past event E
 *   POST <T>/leave?...          "leave the queue" (step=ask, then confirm=yes)
 *   POST <T>/rate?...           the rating form (once, through rating_save)
 *   GET  /assets/public.css, /assets/ticket.js, /fonts/Sarabun-*.ttf, /robots.txt
 *
 * Every page is HTML (Thai first, ?lang=en for English), every refusal a kind bilingual
 * page with its status: 404 unknown path or a ticket that does not verify (forged,
 * altered, another office: never saying whether such a ticket exists), 410 a ticket of
 * another day, 405 a wrong method, 413 a body over PUBLIC_BODY_MAX, 414 a query over
 * PUBLIC_QUERY_MAX, 429 over the rate limit (with Retry-After), 503 the database busy
 * or too many waiting phones. Never a 500 for bad input.
 *
 * The rate limit is a token bucket per client address (PUBLIC_RATE_BURST requests, then
 * PUBLIC_RATE_PER_S a second) in a fixed table of PUBLIC_RATE_SLOTS addresses; behind a
 * reverse proxy the address is the last X-Forwarded-For entry, believed only when the
 * peer is one of [public] trusted_proxy. Nothing of it is stored.
 *
 * Headers: a Content-Security-Policy allowing only this site's own files (no inline
 * script or style), nosniff, Referrer-Policy no-referrer (a ticket URL carries its
 * signature), Cache-Control per page: no-store for the ticket, short for /stats, longer
 * for /services, the open data and the font.
 *
 * Threads as in the counter API: one per connection, all sharing one store connection
 * under a mutex; long-polls re-check MAX(events.id) every PUBLIC_POLL_MS and are woken at
 * once by this listener's own writes. At most PUBLIC_WAITERS_MAX long-polls wait at once,
 * and at most PUBLIC_WAITS_PER_ADDR of one address (counted in the rate limit's table):
 * beyond that an address's long-poll is answered at once with the ticket's state and
 * "next_ms", so one address cannot take every waiting place from the other phones.
 */
#ifndef KIOSK_PUBLIC_H
#define KIOSK_PUBLIC_H

#include "core/config.h"
#include "core/err.h"

#define PUBLIC_DEFAULT_PORT 8089
#define PUBLIC_BODY_MAX 4096        /* a form body; more gets 413 */
#define PUBLIC_DRAIN_MAX (64 * 1024) /* declared bodies up to this are read before the 413 */
#define PUBLIC_QUERY_MAX 1024       /* bytes of query arguments; more gets 414 */
#define PUBLIC_CONN_MAX 1200        /* connections at once: 1,000 waiting phones and room */
#define PUBLIC_CONN_PER_IP 64       /* from one address, unless a trusted proxy is set */
#define PUBLIC_CONN_MEMORY (16 * 1024) /* per connection: request line + headers */
#define PUBLIC_TIMEOUT_S 10         /* an idle (or slow) connection is dropped after this */
#define PUBLIC_WAIT_MAX 25          /* seconds a long-poll may wait */
#define PUBLIC_POLL_MS 50           /* re-check period for other processes' writes */
#define PUBLIC_WAITERS_MAX 1000     /* long-polls at once; more get 503 */
#define PUBLIC_WAITS_PER_ADDR 8     /* long-polls held at once for one address; more are
				     * answered at once (a phone's many tabs, never 1,000) */
#define PUBLIC_WAIT_OVER_MS 3000    /* those answers' "next_ms": when the tab asks again */
#define PUBLIC_RATE_SLOTS 4096      /* addresses remembered by the rate limit */
#define PUBLIC_RATE_BURST 60        /* requests an address may make at once ... */
#define PUBLIC_RATE_PER_S 10        /* ... and then per second */
#define PUBLIC_STATS_TTL_MS 5000    /* /stats is computed at most this often per language */

struct kpublic_conf {
	const struct kconfig *cfg;
	const char *data_dir; /* kiosk.db and device.key */
	const char *bind;     /* numeric address */
	const char *bind_name; /* where it was set, for the error: "--bind", "[public] bind =" */
	int port;             /* 0: any free port (see kpublic_port) */
	int timeout_s;        /* idle timeout; 0 = PUBLIC_TIMEOUT_S */
};

struct kpublic;

/* Opens the store, loads the QR key and the font, and starts listening. A QR template
 * that is not an http(s) URL leaves the ticket page out (one line on stderr), never the
 * rest. */
kst kpublic_start(const struct kpublic_conf *conf, struct kpublic **out, struct kerr *err);
int kpublic_port(const struct kpublic *p);
/* Wakes waiting long-polls, stops the threads, closes the store, frees p. */
void kpublic_stop(struct kpublic *p);

/* Shared with the district relay (collector/relay.h), which serves the ticket page too:
 * the content type, Cache-Control and the security headers above; and libmicrohttpd's
 * unescape callback that decodes %XX except %00 (a NUL would cut a value short and hide
 * what follows it, so a cut ticket URL could pass for a whole one). */
struct MHD_Response;
struct MHD_Connection;
void kpublic_headers(struct MHD_Response *r, const char *ctype, const char *cache);
size_t kpublic_unescape(void *cls, struct MHD_Connection *con, char *s);
/* The kind refusal pages, one text wherever the ticket page is served (an MHD_Result):
 * the ticket's 404 (forged, altered, cut, unknown) or, gone = 1, 410 (another day); an
 * unknown path's 404; 503 busy with Retry-After. */
struct pp_ctx;
int kpublic_ticket_refused(struct MHD_Connection *con, const struct pp_ctx *c, int gone);
int kpublic_not_found(struct MHD_Connection *con, const struct pp_ctx *c);
int kpublic_busy(struct MHD_Connection *con, const struct pp_ctx *c);

#endif
