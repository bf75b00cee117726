/**
 * @file uploader.h
 * @brief Sends the ratings outbox (core/outbox.h) to the district server with
 * libcurl, as shared/kiosk-cli.md specifies: POST of a JSON batch with
 * `Authorization: Bearer <token>` and `Idempotency-Key: <batch uuid>`.
 *
 * Safety rules, none of them configurable off:
 * - TLS peer and host verification always on (CURLOPT_SSL_VERIFYPEER = 1,
 *   VERIFYHOST = 2), against the system CA store or [server] ca_file
 *   (relative to the config folder unless absolute).
 * - Plain http:// only to 127.0.0.1, [::1] or localhost (tests); the host is
 *   parsed, not prefix-matched. No redirects are followed.
 * - The token file ([server] token_file, relative to the data folder unless
 *   absolute) must be a regular file not readable by group or others (mode
 *   & 077 == 0), at most UPL_TOKEN_MAX bytes, visible ASCII after trimming
 *   (no CR/LF: it goes into a header). It is read for each pass, so staff can
 *   fix it without a restart, and wiped from memory after use.
 * - Bounded time: connect timeout, total timeout, and a low-speed limit, so a
 *   server that accepts and then stalls cannot hold the uploader.
 *
 * The worker thread (upl_worker_*) is what the kiosk UI uses: it owns its own
 * database connection and curl handle, sleeps until kicked or until the next
 * retry time, and publishes a status the admin screen reads under a mutex.
 * Nothing the UI calls waits for the network: stop aborts a transfer in
 * progress through curl's progress callback.
 */
#ifndef KIOSK_UPLOADER_H
#define KIOSK_UPLOADER_H

#include <stdint.h>

#include "core/config.h"
#include "core/err.h"
#include "core/outbox.h"

#define UPL_TOKEN_MAX 4096            /* bytes of the token file */
#define UPL_REPLY_MAX 4096            /* bytes of a server reply kept (for staff) */
#define UPL_CONNECT_TIMEOUT_MS 10000
#define UPL_TIMEOUT_MS 60000          /* a whole request, 500 ratings ~ 100 KB */
#define UPL_LOW_SPEED_BPS 16          /* slower than this ... */
#define UPL_LOW_SPEED_S 30            /* ... for this long aborts the request */
#define UPL_BASE_MS 2000              /* first retry after 2 s ... */
#define UPL_CAP_MS (10 * 60 * 1000)   /* ... doubling to at most 10 min */
#define UPL_IDLE_POLL_S 30            /* the worker looks for ratings from other processes */
#define UPL_ERROR_POLL_S 5            /* after a token or database error */

struct upl_opts {
	const char *url;         /* NULL: [server] url */
	int batch;               /* 0: [server] batch_size */
	long connect_timeout_ms; /* 0: UPL_CONNECT_TIMEOUT_MS */
	long timeout_ms;         /* 0: UPL_TIMEOUT_MS */
	int64_t base_ms, cap_ms; /* 0: UPL_BASE_MS, UPL_CAP_MS */
	int force;               /* send waiting batches now, ignoring their retry time */
};

/* What one pass did. */
struct upl_report {
	int sent;          /* ratings accepted by the server */
	int batches;       /* requests made */
	int rejected;      /* ratings set aside (other 4xx) */
	int failed;        /* 1 when the pass stopped on a failure to retry */
	long last_status;  /* HTTP status of the last request, 0 = no reply */
	char last_error[OUTBOX_ERROR_MAX + 1];
};

struct upl;

/* Opens the store in data_dir; the curl handle is made by the first pass with something
 * to send (upl_curl_new). K_EUSAGE for a bad URL or CA file. */
kst upl_open(struct upl **out, const struct kconfig *cfg, const char *data_dir,
	     const struct upl_opts *o, struct kerr *err);
/* Sends due batches until none is due or one fails (a rejected batch does not
 * stop the pass). K_OK when nothing due is left, K_EFAIL when a send failed
 * (details in rep and err), K_EUSAGE for a token problem. */
kst upl_pass(struct upl *u, struct upl_report *rep, struct kerr *err);
void upl_close(struct upl *u);

/* The URL rule above. */
kst upl_check_url(const char *url, struct kerr *err);
/* Reads and checks a token file (the rule above) into out (cap bytes). */
kst upl_read_token(const char *path, char *out, size_t cap, struct kerr *err);

/* The one place the safety rules above are set on a curl handle (reset first): URL,
 * http/https only, no redirects, TLS verification on, ca_path ("" = system store),
 * connect/total timeouts and the low-speed limit. The relay (dev/relay.h) sends its
 * snapshots through it too, so both requests obey the same rules. */
typedef void CURL;
void upl_curl_setup(CURL *c, const char *url, const char *ca_path, long connect_ms, long timeout_ms);
/* A curl handle, libcurl's global init done once first (the uploader, the relay and the
 * board's remote feed all make theirs here). Called by the thread that sends,
 * when it first has something to send: the init starts OpenSSL (its config and providers,
 * ~3 MB of pages and ~30 ms), which `kiosk run` did on its main thread before the first
 * frame while it opened the worker and the relay. *c is NULL on failure (err says so). */
kst upl_curl_new(CURL **c, struct kerr *err);
/* [server] token_file (relative to data_dir) and ca_file (relative to the config folder,
 * "" when unset) as paths; cap bytes each. */
void upl_paths(const struct kconfig *cfg, const char *data_dir, char *token_path, char *ca_path,
	       size_t cap);

/* For the admin screen. */
struct upl_status {
	int running;
	int in_flight;            /* a request is under way */
	long long pending, rejected, sent;
	int64_t last_ok_at;       /* last accepted batch (0 = none this run) */
	int64_t last_try_at;
	int64_t next_try_at;      /* when the worker will try again (0 = when kicked) */
	long last_status;
	char last_error[KERR_MSG_MAX];
};

struct upl_worker;
kst upl_worker_start(struct upl_worker **out, const struct kconfig *cfg, const char *data_dir,
		     const struct upl_opts *o, struct kerr *err);
/* Try now (a rating was saved, the network came back). Never blocks. */
void upl_worker_kick(struct upl_worker *w);
/* A copy of the status. Never blocks on the network. */
void upl_worker_status(struct upl_worker *w, struct upl_status *out);
/* Stops the thread (aborting a request under way) and frees it. */
void upl_worker_stop(struct upl_worker *w);

#endif
