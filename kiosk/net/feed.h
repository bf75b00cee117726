/**
 * @file feed.h
 * @brief Where the display board gets the queue from: the local database
 * (same appliance) or a `kiosk serve` elsewhere on the office LAN.
 *
 * A feed runs one background thread and hands every new queue object
 * (core/qjson.h) to a callback:
 *  - local: polls MAX(events.id) every FEED_LOCAL_POLL_MS (one cheap indexed
 *    query; SQLite WAL lets this reader run beside the writers) and reads the
 *    whole queue only when it changed, plus every FEED_REFRESH_MS (the date
 *    changes at midnight even when nothing happens);
 *  - remote: GET /api/queue, then GET /api/events?after=ID long-polls, which
 *    return as soon as something changes; the queue is fetched again each time.
 * When the source fails (server gone, database unreadable) the callback gets
 * NULL once, and the feed retries with capped exponential backoff until the
 * source is back, then delivers the queue again: no restart needed.
 */
#ifndef KIOSK_FEED_H
#define KIOSK_FEED_H

#include "core/config.h"
#include "core/err.h"

#define FEED_LOCAL_POLL_MS 50
#define FEED_REFRESH_MS 15000
#define FEED_BACKOFF_MIN_MS 250
#define FEED_BACKOFF_MAX_MS 2000 /* a LAN server: retrying every 2 s costs nothing */
#define FEED_WAIT_S 20          /* long-poll length asked of the server */
#define FEED_CONNECT_MS 2000
#define FEED_URL_MAX 512
#define FEED_BODY_MAX (1024 * 1024) /* a queue object is a few kB */

struct json_t;
/* queue: a new reference the callback owns (json_decref it), or NULL when the
 * source was lost. Called on the feed's thread. */
typedef void (*feed_cb)(void *ctx, struct json_t *queue);

struct feed;

/* Local: reads <data_dir>/kiosk.db with cfg's catalogue. */
kst feed_start_local(const struct kconfig *cfg, const char *data_dir, feed_cb cb, void *ctx,
		     struct feed **out, struct kerr *err);
/* Remote: base URL "http://host:port" (a trailing slash is fine). */
kst feed_start_remote(const char *url, feed_cb cb, void *ctx, struct feed **out,
		      struct kerr *err);
/* Stops the thread (promptly, even mid long-poll) and frees f. */
void feed_stop(struct feed *f);

#endif
