/**
 * @file outbox.h
 * @brief The transactional outbox of ratings for the district server: batches,
 * verdicts on replies, backoff, counts for staff. Pure store logic; the HTTP
 * side is dev/uploader.
 *
 * A rating and its outbox row are written in one transaction (rating_save), so
 * a rating exists exactly when it is queued. Rows are grouped into batches of
 * at most N; a batch gets a UUID (its Idempotency-Key) and its JSON body when
 * it is formed, and both stay the same for every retry: a retry is
 * byte-identical, which is what servers that remember idempotency keys expect.
 *
 * Who sends what: claiming a batch takes a lease (lease_until) in the same
 * transaction, so two uploaders (the kiosk's worker and `kiosk upload --once`)
 * do not send the same batch at once; a crashed sender's lease runs out and
 * the batch is sent again, which the server's dedup by rating id makes safe.
 *
 * While a batch waits for its retry time, no new batch is formed: when the
 * server is away for weeks the ratings simply pile up unbatched (nothing is
 * dropped, the table grows by ~200 bytes a rating) and go in full batches when
 * it is back, instead of as thousands of one-rating retries.
 *
 * Replies: 2xx sent; 408, 429, 5xx and no reply at all: retry with capped
 * exponential backoff and jitter, the time persisted so restarts respect it;
 * 401/403 and redirects say the kiosk (token, URL) is wrong, not the batch:
 * held and retried at the cap with a staff notice; any other 4xx: the batch is
 * set aside (rejected), staff are told, and `kiosk upload --requeue-rejected`
 * puts its ratings back once the cause is fixed. Ratings are never deleted.
 *
 * Comments are not uploaded: the contract has no field for them, and free text
 * can carry personal data however carefully it is masked. They stay on the
 * kiosk and reach staff through the USB export.
 */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/rating.h"
#include "core/store.h"

#define OUTBOX_BATCH_MAX 5000        /* [server] batch_size is checked against this too */
#define OUTBOX_ERROR_MAX 200         /* bytes of a server's reply kept for staff */
#define OUTBOX_RETRY_AFTER_MAX 21600 /* a Retry-After beyond 6 h is capped */

struct outbox_batch {
	char id[RATING_ID_LEN + 1]; /* UUID v4: the Idempotency-Key */
	char *body;                 /* JSON, owned (outbox_batch_free) */
	size_t len;
	int n;                      /* ratings in it */
	int attempts;               /* sends tried before this one */
};

enum outbox_verdict {
	OUTBOX_SENT,   /* 2xx */
	OUTBOX_RETRY,  /* no reply, 408, 429, 5xx */
	OUTBOX_HOLD,   /* 401, 403, 1xx/3xx: the kiosk is misconfigured; keep and retry at the cap */
	OUTBOX_REJECT, /* other 4xx: set aside for staff */
};

struct outbox_counts {
	long long pending;      /* not yet accepted by the server */
	long long rejected;     /* set aside */
	long long sent;
	long long batches_waiting; /* formed batches not yet accepted */
	int64_t next_at;        /* earliest retry time of a waiting batch (0 = none) */
	int64_t oldest_pending; /* created_at of the oldest pending rating (0 = none) */
	int64_t last_sent_at;   /* last accepted batch (0 = never) */
	char last_error[OUTBOX_ERROR_MAX + 1]; /* of the latest failed attempt */
};

/* Claims the next batch to send at `now`: the oldest waiting batch that is due
 * (any waiting batch when force), else a new batch of up to max unbatched
 * ratings. Leases it until now + lease_s. K_EABSENT when nothing is due. */
kst outbox_claim(struct kstore *st, const char *office, const char *kiosk, int max, int64_t now,
		 int force, int lease_s, struct outbox_batch *b, struct kerr *err);
void outbox_batch_free(struct outbox_batch *b);

/* What an HTTP status means for a batch (0 = no reply: network, timeout, TLS). */
enum outbox_verdict outbox_classify(long status);

/* Records the outcome of sending batch id. next_at: when to retry (RETRY, HOLD).
 * error: short text for staff (may be NULL). REJECT and HOLD add a staff notice. */
kst outbox_settle(struct kstore *st, const char *id, enum outbox_verdict v, long status,
		  const char *error, int64_t now, int64_t next_at, struct kerr *err);

/* Delay before retry number `attempts` (1 = after the first failure): a random
 * value in [base, min(cap, base * 2^(attempts-1))] from rnd ("full jitter" with
 * a floor, so a retry storm spreads out but never spins). */
int64_t outbox_backoff_ms(int attempts, int64_t base_ms, int64_t cap_ms, uint64_t rnd);

kst outbox_counts(struct kstore *st, struct outbox_counts *c, struct kerr *err);

/* Puts rejected ratings back in the queue (new batches); *n = how many. */
kst outbox_requeue_rejected(struct kstore *st, int *n, struct kerr *err);

#endif
