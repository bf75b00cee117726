/**
 * @file relay.h
 * @brief Pushes the queue snapshot (core/qsnap.h) to the district collector, which
 * serves the ticket page from it to phones on mobile data (docs/public.md "The relay"):
 * the office LAN only ever connects out, as for the ratings.
 *
 * `PUT <[server] url with its last segment replaced by queue-snapshot>`, for instance
 * https://ratings.bangkok.example/api/v1/queue-snapshot, with the ratings upload's bearer
 * token, CA file and TLS rules (dev/uploader.h upl_curl_setup: verification always on,
 * plain http to loopback only, no redirects, bounded time).
 *
 * Latest wins: a snapshot is never queued or stored. The thread looks at MAX(events.id)
 * every RELAY_POLL_MS and pushes when it moved past the last snapshot delivered, at
 * most once every RELAY_MIN_GAP_MS (and RELAY_BUILD_SHARE x the last build time); with
 * nothing new it pushes again every
 * RELAY_HEARTBEAT_MS, so the collector can tell a quiet office from a cut-off one. A
 * failure is retried with the uploader's backoff (outbox_backoff_ms, capped at
 * RELAY_CAP_MS: freshness is the point, and a snapshot is small) and told once per
 * outage on stderr, with one line when it is over. It has its own thread, database
 * connection and curl handle: a stalled collector never delays a rating upload.
 */
#ifndef KIOSK_RELAY_H
#define KIOSK_RELAY_H

#include <stdint.h>

#include "core/config.h"
#include "core/err.h"

#define RELAY_PATH_SEGMENT "queue-snapshot" /* replaces "ratings" in [server] url */
#define RELAY_POLL_MS 100		    /* how often MAX(events.id) is looked at (one indexed read) */
#define RELAY_MIN_GAP_MS 1000		    /* at most one push a second */
#define RELAY_BUILD_SHARE 4		    /* ... and after at least 4x the last build time */
#define RELAY_HEARTBEAT_MS 30000	    /* a push with nothing new: "still here" */
#define RELAY_CAP_MS 60000		    /* longest wait between two failed pushes */
#define RELAY_TIMEOUT_MS 15000		    /* one push, whole request */
#define RELAY_URL_MAX 512

/* The snapshot URL from the ratings URL: "https://h/api/v1/ratings" ->
 * "https://h/api/v1/queue-snapshot". K_EUSAGE when url breaks the uploader's rule. */
kst relay_url(const char *server_url, char out[RELAY_URL_MAX], struct kerr *err);

struct relay;

/* Starts the pushing thread (url_override: the --server of `kiosk upload`, else
 * [server] url). K_EUSAGE for a bad URL or CA file, K_EFAIL when the store or key
 * cannot be opened. */
kst relay_start(struct relay **out, const struct kconfig *cfg, const char *data_dir,
		const char *url_override, struct kerr *err);
/* Stops the thread (aborting a push under way) and frees r (NULL is fine). */
void relay_stop(struct relay *r);

#endif
