/**
 * @file queue.h
 * @brief The queue engine: ticket numbers, states, the priority policy and the
 * waiting estimate. Plain C over the store; every operation is one IMMEDIATE
 * transaction, so the kiosk, the counter API and the CLI can share the database.
 *
 * Numbers: service letter + 3 digits, counted per service per Bangkok date, so
 * the first ticket after local midnight is 001 again without any cron job.
 *
 * States: waiting -> called -> (serving) -> done, or called -> no_show; a called
 * or serving ticket can be re-called or transferred back to waiting in another
 * service, keeping its original place in line (queued_at). A waiting ticket can be
 * cancelled by its holder (from the phone): counters, kqueue_call and the board skip
 * it; reports count it apart (neither served nor no-show).
 *
 * Priority policy (config [queue] priority_every = N, N >= 1): within a service,
 * when both classes wait, a priority ticket is called once N normal tickets have
 * been called since the last priority one; otherwise the ticket that has waited
 * longest goes first. So a priority ticket waits behind at most N normal calls,
 * and a normal ticket is never starved: each class is FIFO and the older head
 * wins whenever the policy does not force priority.
 */
#ifndef KIOSK_QUEUE_H
#define KIOSK_QUEUE_H

#include <stdint.h>

#include "core/catalog.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "core/store.h"

#define KTICKET_NUMBER_MAX 8 /* "A001" + NUL, with room */
#define KSTATE_MAX 10

struct kticket {
	int64_t id;
	char day[KCLOCK_DATE_MAX];       /* Bangkok date of issue */
	char number[KTICKET_NUMBER_MAX]; /* "A001" */
	char service[KCAT_ID_MAX];       /* current service id */
	int priority;                    /* 1 = elderly, disabled, pregnant, monk */
	char state[KSTATE_MAX];          /* waiting called serving done no_show cancelled */
	int64_t issued_at, queued_at, called_at, served_at, done_at; /* 0 = not yet */
	int counter;                     /* 0 = none */
	int calls;                       /* 1 after the call, +1 per re-call */
};

struct kissued {
	struct kticket t;
	int ahead;        /* people called before this ticket, by the policy */
	int wait_minutes; /* estimate for them */
};

struct kqueue {
	struct kstore *st;
	const struct kconfig *cfg;
};

/* Issues a ticket for service (exactly what the touchscreen does). */
kst kqueue_issue(struct kqueue *q, const char *service, int priority, struct kissued *out,
		 struct kerr *err);

/* Calls the next ticket to counter N (from `service` only, when not NULL).
 * K_EFAIL with "nobody waits" when the queue is empty. */
kst kqueue_call(struct kqueue *q, int counter, const char *service, struct kticket *out,
		struct kerr *err);

enum kqueue_op { KQ_RECALL, KQ_START, KQ_FINISH, KQ_NO_SHOW, KQ_TRANSFER };
/* An operation on the ticket at counter N; `to` is the service for KQ_TRANSFER. */
kst kqueue_op(struct kqueue *q, enum kqueue_op op, int counter, const char *to,
	      struct kticket *out, struct kerr *err);

/* How many would be called before a new ticket of this service and class, and
 * the minutes that takes from recent service times. */
kst kqueue_estimate(struct kqueue *q, const char *service, int priority, int *ahead,
		    int *minutes, struct kerr *err);

/* Average minutes at the counter for a service: recent history, else the catalogue's. */
int kqueue_service_minutes(struct kqueue *q, const char *service);

/* Today's ticket with this number (e.g. for rating), any state. */
kst kqueue_find(struct kqueue *q, const char *day, const char *number, struct kticket *out,
		struct kerr *err);

/* Waiting count per service (index as in the catalogue) and the ticket at each
 * counter (number "" when idle). */
struct kqueue_status {
	int waiting[KCAT_SERVICES_MAX];
	int waiting_priority[KCAT_SERVICES_MAX];
	int cancelled[KCAT_SERVICES_MAX]; /* today, left from the phone: shown apart */
	struct kticket at_counter[KCONF_COUNTERS_MAX + 1];
	int64_t last_event; /* grows with every change: the display's cue to redraw */
};
kst kqueue_status(struct kqueue *q, struct kqueue_status *out, struct kerr *err);

const char *kqueue_op_name(enum kqueue_op op);

/* The ticket as its holder follows it on the phone; day is the QR's Bangkok date. */
struct kticket_view {
	struct kticket t;     /* state: waiting called serving done no_show cancelled */
	int ahead;            /* waiting tickets the policy calls before this one (0 unless waiting) */
	int wait_lo, wait_hi; /* estimate in minutes, a range from today's real service times;
	                         -1/-1 = "no estimate" (no counter has served this service today) */
	int counter;          /* counter K when called/serving, else 0 */
	int64_t changed;      /* events id of the last change of this ticket (or last_event), for long-poll */
};
/* K_EFAIL (bilingual, not saying more than "no such ticket") when there is none. */
kst kqueue_view(struct kqueue *q, const char *day, const char *number, struct kticket_view *out,
		struct kerr *err);
/* Many views in one read transaction (the queue snapshot of the ticket page relay):
 * each service's line and service times are read once, not once per ticket. */
#define QUEUE_VIEW_SERVICES_MAX 32 /* services kept per viewer; more are only slower */
struct kqueue_viewer;
kst kqueue_viewer_open(struct kqueue *q, const char *day, struct kqueue_viewer **out,
		       struct kerr *err);
/* As kqueue_view, for the viewer's day. */
kst kqueue_viewer_get(struct kqueue_viewer *vw, const char *number, struct kticket_view *out,
		      struct kerr *err);
/* Every number of the viewer's day (its latest ticket, as kqueue_find), the waiting,
 * called and serving ones first, then the latest finished; at most max. */
typedef void (*kqueue_view_fn)(void *ctx, const struct kticket_view *v);
kst kqueue_viewer_each(struct kqueue_viewer *vw, int max, kqueue_view_fn fn, void *ctx,
		       struct kerr *err);
void kqueue_viewer_close(struct kqueue_viewer *vw);
/* waiting -> cancelled, once. K_EFAIL with a bilingual message when it is no longer
 * waiting. Writes an event ("cancel"). */
kst kqueue_cancel(struct kqueue *q, const char *day, const char *number, struct kticket *out,
		  struct kerr *err);
/* MAX(events.id), for long-polls; 0 on error. */
int64_t kqueue_last_event(struct kqueue *q);

/* The ticket as the CLI and the counter API show it (json_t *, new reference). */
struct json_t;
struct json_t *kticket_json(const struct kticket *t);

#endif
