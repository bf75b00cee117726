/**
 * @file api.h
 * @brief The counter API and counter page over the office LAN (libmicrohttpd).
 *
 *   GET  /                               the counter page (HTML, Thai first)
 *   GET  /api/queue                      the queue object of core/qjson.h
 *   GET  /api/events?after=ID[&wait=S]   long-poll: answers as soon as an event
 *                                        newer than ID exists, else after S s
 *                                        (default and most API_WAIT_MAX)
 *   POST /api/counters/N/call            body {} or {"service": "id"}
 *   POST /api/counters/N/recall|start|finish|no-show
 *   POST /api/counters/N/transfer        body {"to": "id"}
 *
 * Reads are open to the LAN (the board shows the same numbers to everyone);
 * counter operations need `Authorization: Bearer <counter N's token>`
 * (core/ctoken.h). Replies are JSON; errors are {"error", "error_th", "status"}
 * with 400 junk body, 401 no/bad token, 403 another counter's token,
 * 404 unknown path or counter, 405 wrong method, 409 nothing to act on or
 * counter busy, 413 body over API_BODY_MAX, 503 database busy.
 *
 * One thread per connection with a connection cap; a connection idle longer
 * than the timeout is dropped, so a slow or silent client costs one thread for
 * a few seconds and never delays others. All handlers share one store
 * connection under a mutex (queue operations take milliseconds); waiting
 * long-polls re-check MAX(events.id) every API_POLL_MS (other processes write
 * too) and are woken at once by this server's own writes.
 */
#ifndef KIOSK_API_H
#define KIOSK_API_H

#include "core/config.h"
#include "core/err.h"

#define API_BODY_MAX 4096          /* bytes of request body; more gets 413 */
/* A body declared up to this size is read and thrown away before the 413: a reply sent
 * while the client is still sending makes the kernel reset the connection, and the
 * client may lose the reply. Larger declared bodies are refused before they are read. */
#define API_DRAIN_MAX (2 * 1024 * 1024)
#define API_CONN_MAX 64            /* connections at once */
#define API_CONN_PER_IP 32         /* from one address */
#define API_CONN_MEMORY (32 * 1024) /* per connection: request line + headers */
#define API_TIMEOUT_S 10           /* idle connection dropped after this */
#define API_WAIT_MAX 25            /* seconds a long-poll may wait */
#define API_POLL_MS 50             /* re-check period for other processes' writes */
#define API_WAITERS_MAX 24         /* long-polls at once (boards, counter pages); more get 503 */

struct kapi_conf {
	const struct kconfig *cfg;
	const char *data_dir; /* kiosk.db and device.key */
	const char *bind;     /* "127.0.0.1", "0.0.0.0", "::", ... */
	int port;             /* 0: any free port (see kapi_port) */
	int timeout_s;        /* idle timeout; 0 = API_TIMEOUT_S */
};

struct kapi;

/* Opens the store, derives the token key and starts listening. */
kst kapi_start(const struct kapi_conf *conf, struct kapi **out, struct kerr *err);
/* The port actually bound. */
int kapi_port(const struct kapi *a);
/* Wakes waiting long-polls, stops the threads, closes the store, frees a. */
void kapi_stop(struct kapi *a);

/* Splits a queue message "ไทย / English" into its halves (either may be the
 * whole message when there is no separator). Used for the bilingual errors. */
void kapi_split_msg(const char *msg, char *th, size_t th_size, char *en, size_t en_size);

#endif
