/**
 * @file queue.c
 * @brief The queue engine over SQLite (see queue.h for the rules).
 */
#include "core/queue.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICKET_COLS                                                                        \
	"id, day, number, service, priority, state, issued_at, queued_at,"                 \
	" IFNULL(called_at,0), IFNULL(served_at,0), IFNULL(done_at,0), IFNULL(counter,0), calls"

/* History used for the estimate: this many recent services, this far back,
 * ignoring durations that are surely mistakes (a finish pressed late). */
#define EST_SAMPLES 20
#define EST_DAYS 30
#define EST_MIN_SECONDS 30
#define EST_MAX_SECONDS (4 * 3600)
/* The phone's range uses today's services only (the morning's staff, today's papers):
 * the most recent this many. */
#define EST_SAMPLES_TODAY 40

static void row_to_ticket(sqlite3_stmt *s, struct kticket *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(s, 0);
	snprintf(t->day, sizeof t->day, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(t->number, sizeof t->number, "%s", (const char *)sqlite3_column_text(s, 2));
	snprintf(t->service, sizeof t->service, "%s", (const char *)sqlite3_column_text(s, 3));
	t->priority = sqlite3_column_int(s, 4);
	snprintf(t->state, sizeof t->state, "%s", (const char *)sqlite3_column_text(s, 5));
	t->issued_at = sqlite3_column_int64(s, 6);
	t->queued_at = sqlite3_column_int64(s, 7);
	t->called_at = sqlite3_column_int64(s, 8);
	t->served_at = sqlite3_column_int64(s, 9);
	t->done_at = sqlite3_column_int64(s, 10);
	t->counter = sqlite3_column_int(s, 11);
	t->calls = sqlite3_column_int(s, 12);
}

/* Prepares sql and binds the arguments described by fmt: 's' text, 'i' int, 'l' int64. */
static sqlite3_stmt *prep(struct kqueue *q, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	if (sqlite3_prepare_v2(q->st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 's')
			sqlite3_bind_text(s, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		else if (fmt[i] == 'i')
			sqlite3_bind_int(s, i + 1, va_arg(ap, int));
		else
			sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	return s;
}

/* Steps a statement that returns no rows, then finalizes it. */
static kst run(struct kqueue *q, sqlite3_stmt *s, struct kerr *err, const char *doing)
{
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	kst r = rc == SQLITE_DONE ? K_OK : kstore_err(q->st, err, doing);
	sqlite3_finalize(s);
	return r;
}

/* One integer from a single-row query (dflt when no row). */
static int64_t scalar(sqlite3_stmt *s, int64_t dflt)
{
	int64_t v = dflt;
	if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static kst event(struct kqueue *q, const char *kind, const struct kticket *t, const char *detail,
		 struct kerr *err)
{
	return run(q,
		   prep(q, "INSERT INTO events(at, kind, ticket, counter, detail) VALUES(?,?,?,?,?)",
			"lslis", kclock_now(), kind, t->id, t->counter, detail ? detail : ""),
		   err, "logging the event");
}

static kst load(struct kqueue *q, int64_t id, struct kticket *t, struct kerr *err)
{
	sqlite3_stmt *s = prep(q, "SELECT " TICKET_COLS " FROM tickets WHERE id=?", "l", id);
	kst rc = K_OK;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		row_to_ticket(s, t);
	else
		rc = kstore_err(q->st, err, "reading the ticket");
	sqlite3_finalize(s);
	return rc;
}

int kqueue_service_minutes(struct kqueue *q, const char *service)
{
	const struct kservice *svc = kcatalog_find(&q->cfg->catalog, service);
	int64_t since = kclock_now() - (int64_t)EST_DAYS * 86400;
	sqlite3_stmt *s = prep(q,
			       "SELECT AVG(d) FROM (SELECT done_at - IFNULL(served_at, called_at) AS d"
			       " FROM tickets WHERE service=? AND state='done' AND done_at>=?"
			       " AND d BETWEEN ? AND ? ORDER BY done_at DESC LIMIT ?)",
			       "sllli", service, since, (int64_t)EST_MIN_SECONDS,
			       (int64_t)EST_MAX_SECONDS, EST_SAMPLES);
	int64_t avg = scalar(s, -1);
	if (avg > 0)
		return (int)((avg + 59) / 60);
	return svc ? svc->service_minutes : q->cfg->default_service_minutes;
}

static int counters_for(const struct kconfig *cfg, const char *service)
{
	int n = 0;
	for (int k = 1; k <= cfg->counters; k++)
		n += kconfig_counter_serves(cfg, k, service);
	return n ? n : 1;
}

kst kqueue_estimate(struct kqueue *q, const char *service, int priority, int *ahead, int *minutes,
		    struct kerr *err)
{
	char day[KCLOCK_DATE_MAX];
	kclock_bkk_date(kclock_now(), day);
	int64_t np = scalar(prep(q, "SELECT COUNT(*) FROM tickets WHERE day=? AND service=? AND"
				    " state='waiting' AND priority=1", "ss", day, service), 0);
	int64_t nn = scalar(prep(q, "SELECT COUNT(*) FROM tickets WHERE day=? AND service=? AND"
				    " state='waiting' AND priority=0", "ss", day, service), 0);
	int64_t a;
	if (priority) {
		/* Behind the waiting priority tickets, with up to N normal calls before
		 * each of them and before this one. */
		int64_t every = q->cfg->priority_every;
		int64_t normals = (np + 1) * every;
		a = np + (normals < nn ? normals : nn);
	} else {
		a = np + nn;
	}
	*ahead = (int)a;
	int per = kqueue_service_minutes(q, service);
	int c = counters_for(q->cfg, service);
	*minutes = (int)((a * per + c - 1) / c);
	(void)err;
	return K_OK;
}

kst kqueue_issue(struct kqueue *q, const char *service, int priority, struct kissued *out,
		 struct kerr *err)
{
	const struct kservice *svc = kcatalog_find(&q->cfg->catalog, service);
	char day[KCLOCK_DATE_MAX], prefix[2], number[KTICKET_NUMBER_MAX];
	int64_t now = kclock_now(), id;
	kst rc;

	memset(out, 0, sizeof *out);
	if (!svc)
		return kerr_set(err, K_EUSAGE, "unknown service \"%.40s\" (see kiosk services)", service);
	kclock_bkk_date(now, day);
	prefix[0] = svc->prefix;
	prefix[1] = 0;
	if ((rc = kstore_begin(q->st, err)))
		return rc;
	int64_t last = scalar(prep(q, "SELECT last FROM ticket_seq WHERE day=? AND prefix=?", "ss",
				   day, prefix), 0);
	int64_t cycle = scalar(prep(q, "SELECT cycle FROM ticket_seq WHERE day=? AND prefix=?",
				    "ss", day, prefix), 0);
	int64_t seq = last + 1;
	if (seq > q->cfg->number_max) {
		if (q->cfg->on_overflow == KOVERFLOW_REFUSE) {
			kstore_rollback(q->st);
			return kerr_set(err, K_EFAIL,
					"บัตรคิว %s หมดแล้วสำหรับวันนี้ (%d ใบ) / no more %s tickets today (%d issued)",
					prefix, q->cfg->number_max, prefix, q->cfg->number_max);
		}
		seq = 1;
		cycle++;
	}
	snprintf(number, sizeof number, "%c%03d", svc->prefix, (int)seq);
	/* Estimate inside the transaction, before the insert: exactly the queue this
	 * ticket joins, without itself. */
	int ahead, minutes;
	kqueue_estimate(q, service, priority, &ahead, &minutes, err);
	rc = run(q, prep(q, "INSERT INTO ticket_seq(day, prefix, last, cycle) VALUES(?,?,?,?)"
			    " ON CONFLICT(day, prefix) DO UPDATE SET last=excluded.last, cycle=excluded.cycle",
			 "ssll", day, prefix, seq, cycle),
		 err, "numbering");
	if (!rc)
		rc = run(q, prep(q, "INSERT INTO tickets(day, prefix, seq, cycle, number, service,"
				    " priority, issued_at, queued_at) VALUES(?,?,?,?,?,?,?,?,?)",
				 "ssllssill", day, prefix, seq, cycle, number, service, priority ? 1 : 0,
				 now, now),
			 err, "issuing the ticket");
	if (rc)
		goto fail;
	id = sqlite3_last_insert_rowid(q->st->db);
	if ((rc = load(q, id, &out->t, err)) || (rc = event(q, "issue", &out->t, NULL, err)))
		goto fail;
	out->ahead = ahead;
	out->wait_minutes = minutes;
	return kstore_commit(q->st, err);
fail:
	kstore_rollback(q->st);
	return rc;
}

static kst at_counter(struct kqueue *q, int counter, struct kticket *t, int *found)
{
	sqlite3_stmt *s = prep(q, "SELECT " TICKET_COLS " FROM tickets WHERE counter=? AND"
				  " state IN ('called','serving') ORDER BY called_at DESC LIMIT 1",
			       "i", counter);
	*found = 0;
	if (!s)
		return K_EFAIL;
	if (sqlite3_step(s) == SQLITE_ROW) {
		row_to_ticket(s, t);
		*found = 1;
	}
	sqlite3_finalize(s);
	return K_OK;
}

/* The head of one class in one service, or id 0. */
static int64_t head(struct kqueue *q, const char *day, const char *service, int priority,
		    int64_t *queued_at)
{
	sqlite3_stmt *s = prep(q, "SELECT id, queued_at FROM tickets WHERE day=? AND service=? AND"
				  " state='waiting' AND priority=? ORDER BY queued_at, id LIMIT 1",
			       "ssi", day, service, priority);
	int64_t id = 0;
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		*queued_at = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return id;
}

kst kqueue_call(struct kqueue *q, int counter, const char *service, struct kticket *out,
		struct kerr *err)
{
	char day[KCLOCK_DATE_MAX];
	int64_t now = kclock_now(), best = 0, best_at = 0;
	int best_forced = 0, best_prio = 0, found;
	const char *best_svc = NULL;
	struct kticket cur;
	kst rc;

	memset(out, 0, sizeof *out);
	if (counter < 1 || counter > q->cfg->counters)
		return kerr_set(err, K_EUSAGE, "counter %d does not exist (1 to %d)", counter,
				q->cfg->counters);
	if (service && !kcatalog_find(&q->cfg->catalog, service))
		return kerr_set(err, K_EUSAGE, "unknown service \"%.40s\"", service);
	kclock_bkk_date(now, day);
	if ((rc = kstore_begin(q->st, err)))
		return rc;
	if ((rc = at_counter(q, counter, &cur, &found)))
		goto dberr;
	if (found) {
		kstore_rollback(q->st);
		return kerr_set(err, K_EFAIL,
				"ช่อง %d ยังมีคิว %s อยู่ กรุณาเสร็จสิ้น/ไม่มาตามเรียก/โอนก่อน / counter %d still has %s: "
				"finish, no-show or transfer it first",
				counter, cur.number, counter, cur.number);
	}
	for (size_t i = 0; i < q->cfg->catalog.n; i++) {
		const char *sid = q->cfg->catalog.svc[i].id;
		int64_t pat = 0, nat = 0, pick, at;
		int forced = 0, prio;
		if ((service && strcmp(service, sid)) || (!service && !kconfig_counter_serves(q->cfg, counter, sid)))
			continue;
		int64_t p = head(q, day, sid, 1, &pat), n = head(q, day, sid, 0, &nat);
		if (!p && !n)
			continue;
		int64_t run_n = scalar(prep(q, "SELECT normals FROM priority_run WHERE day=? AND service=?",
					    "ss", day, sid), 0);
		if (p && n) {
			forced = run_n >= q->cfg->priority_every;
			prio = forced || pat < nat || (pat == nat && p < n);
		} else {
			prio = p != 0;
		}
		pick = prio ? p : n;
		at = prio ? pat : nat;
		/* Across services: a forced priority first, then whoever waited longest. */
		if (!best || forced > best_forced || (forced == best_forced && at < best_at)) {
			best = pick;
			best_at = at;
			best_forced = forced;
			best_prio = prio;
			best_svc = sid;
		}
	}
	if (!best) {
		kstore_rollback(q->st);
		return kerr_set(err, K_EFAIL, "ไม่มีผู้รอคิว / nobody is waiting%s%s",
				service ? " for " : "", service ? service : "");
	}
	rc = run(q, prep(q, "UPDATE tickets SET state='called', counter=?, called_at=?, calls=1"
			    " WHERE id=? AND state='waiting'", "ill", counter, now, best),
		 err, "calling");
	if (!rc)
		rc = run(q, prep(q, "INSERT INTO priority_run(day, service, normals) VALUES(?,?,?)"
				    " ON CONFLICT(day, service) DO UPDATE SET normals=?3",
				 "ssl", day, best_svc,
				 best_prio ? (int64_t)0
					   : 1 + scalar(prep(q, "SELECT normals FROM priority_run WHERE"
								" day=? AND service=?", "ss", day, best_svc), 0)),
			 err, "recording the policy");
	if (rc || (rc = load(q, best, out, err)) || (rc = event(q, "call", out, NULL, err)))
		goto fail;
	return kstore_commit(q->st, err);
dberr:
	kstore_err(q->st, err, "calling");
fail:
	kstore_rollback(q->st);
	return rc ? rc : K_EFAIL;
}

const char *kqueue_op_name(enum kqueue_op op)
{
	static const char *const names[] = {"recall", "start", "finish", "no-show", "transfer"};
	return names[op];
}

kst kqueue_op(struct kqueue *q, enum kqueue_op op, int counter, const char *to,
	      struct kticket *out, struct kerr *err)
{
	int64_t now = kclock_now();
	int found;
	kst rc;

	memset(out, 0, sizeof *out);
	if (counter < 1 || counter > q->cfg->counters)
		return kerr_set(err, K_EUSAGE, "counter %d does not exist (1 to %d)", counter,
				q->cfg->counters);
	if (op == KQ_TRANSFER && (!to || !kcatalog_find(&q->cfg->catalog, to)))
		return kerr_set(err, K_EUSAGE, "transfer needs --to with a known service");
	if ((rc = kstore_begin(q->st, err)))
		return rc;
	if ((rc = at_counter(q, counter, out, &found))) {
		kstore_err(q->st, err, kqueue_op_name(op));
		goto fail;
	}
	if (!found) {
		kstore_rollback(q->st);
		return kerr_set(err, K_EFAIL, "ช่อง %d ไม่มีคิวที่เรียกอยู่ / counter %d has no called ticket",
				counter, counter);
	}
	switch (op) {
	case KQ_RECALL:
		rc = run(q, prep(q, "UPDATE tickets SET calls=calls+1, called_at=? WHERE id=?", "ll",
				 now, out->id), err, "re-calling");
		break;
	case KQ_START:
		if (strcmp(out->state, "called")) {
			kstore_rollback(q->st);
			return kerr_set(err, K_EFAIL, "%s กำลังรับบริการอยู่แล้ว / %s is already being served",
					out->number, out->number);
		}
		rc = run(q, prep(q, "UPDATE tickets SET state='serving', served_at=? WHERE id=?", "ll",
				 now, out->id), err, "starting");
		break;
	case KQ_FINISH:
		rc = run(q, prep(q, "UPDATE tickets SET state='done', done_at=? WHERE id=?", "ll", now,
				 out->id), err, "finishing");
		break;
	case KQ_NO_SHOW:
		if (strcmp(out->state, "called")) {
			kstore_rollback(q->st);
			return kerr_set(err, K_EFAIL,
					"%s กำลังรับบริการอยู่ กรุณากดเสร็จสิ้นแทน / %s is being served: finish it instead",
					out->number, out->number);
		}
		rc = run(q, prep(q, "UPDATE tickets SET state='no_show', done_at=? WHERE id=?", "ll",
				 now, out->id), err, "marking no-show");
		break;
	case KQ_TRANSFER:
		/* Back to waiting in the new service with its original place in line. */
		rc = run(q, prep(q, "UPDATE tickets SET state='waiting', service=?, counter=NULL,"
				    " called_at=NULL, served_at=NULL, calls=0 WHERE id=?", "sl", to, out->id),
			 err, "transferring");
		break;
	}
	int64_t id = out->id;
	int was_counter = out->counter;
	if (rc || (rc = load(q, id, out, err)))
		goto fail;
	if (op == KQ_TRANSFER)
		out->counter = was_counter; /* so the event names the counter that sent it */
	if ((rc = event(q, kqueue_op_name(op), out, op == KQ_TRANSFER ? to : NULL, err)))
		goto fail;
	if (op == KQ_TRANSFER)
		out->counter = 0;
	return kstore_commit(q->st, err);
fail:
	kstore_rollback(q->st);
	return rc;
}

kst kqueue_find(struct kqueue *q, const char *day, const char *number, struct kticket *out,
		struct kerr *err)
{
	sqlite3_stmt *s = prep(q, "SELECT " TICKET_COLS " FROM tickets WHERE day=? AND number=?"
				  " ORDER BY id DESC LIMIT 1", "ss", day, number);
	kst rc = K_OK;
	if (!s)
		return kstore_err(q->st, err, "finding the ticket");
	if (sqlite3_step(s) == SQLITE_ROW)
		row_to_ticket(s, out);
	else
		rc = kerr_set(err, K_EFAIL, "ไม่พบบัตรคิว %.8s ของวันนี้ / no ticket %.8s today", number,
			      number);
	sqlite3_finalize(s);
	return rc;
}

kst kqueue_status(struct kqueue *q, struct kqueue_status *out, struct kerr *err)
{
	char day[KCLOCK_DATE_MAX];
	sqlite3_stmt *s;
	int opened;

	memset(out, 0, sizeof *out);
	kclock_bkk_date(kclock_now(), day);
	/* One read snapshot: counts and counters from the same instant (or the caller's). */
	if (kstore_read_begin(q->st, &opened, err))
		return K_EFAIL;
	s = prep(q, "SELECT service, priority, COUNT(*) FROM tickets WHERE day=? AND state='waiting'"
		    " GROUP BY service, priority", "s", day);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		const char *sid = (const char *)sqlite3_column_text(s, 0);
		for (size_t i = 0; i < q->cfg->catalog.n; i++)
			if (!strcmp(q->cfg->catalog.svc[i].id, sid)) {
				out->waiting[i] += sqlite3_column_int(s, 2);
				if (sqlite3_column_int(s, 1))
					out->waiting_priority[i] += sqlite3_column_int(s, 2);
			}
	}
	sqlite3_finalize(s);
	s = prep(q, "SELECT service, COUNT(*) FROM tickets WHERE day=? AND state='cancelled'"
		    " GROUP BY service", "s", day);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		const char *sid = (const char *)sqlite3_column_text(s, 0);
		for (size_t i = 0; i < q->cfg->catalog.n; i++)
			if (!strcmp(q->cfg->catalog.svc[i].id, sid))
				out->cancelled[i] += sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	for (int k = 1; k <= q->cfg->counters; k++) {
		int found;
		at_counter(q, k, &out->at_counter[k], &found);
	}
	out->last_event = scalar(prep(q, "SELECT MAX(id) FROM events", ""), 0);
	kstore_read_end(q->st, opened);
	return K_OK;
}

json_t *kticket_json(const struct kticket *t)
{
	char iso[KCLOCK_ISO_MAX];
	kclock_iso(t->issued_at, iso);
	json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:i}", "number", t->number, "service",
			      t->service, "priority", t->priority, "state", t->state, "issued_at", iso,
			      "day", t->day, "calls", t->calls);
	if (t->counter)
		json_object_set_new(o, "counter", json_integer(t->counter));
	else
		json_object_set_new(o, "counter", json_null());
	if (t->called_at) {
		kclock_iso(t->called_at, iso);
		json_object_set_new(o, "called_at", json_string(iso));
	}
	return o;
}

/* --- the ticket on the holder's phone --------------------------------------------- */

/* One waiting ticket as the policy sees it. */
struct wrow {
	int64_t id, queued_at;
};

/* The waiting tickets of one class of a service, in the order kqueue_call's head() takes
 * them. *n is how many; NULL (with *n 0) when there are none or on a database error. */
static struct wrow *waiting_rows(struct kqueue *q, const char *day, const char *service,
				 int priority, int *n)
{
	struct wrow *rows = NULL;
	int cap = 0;
	*n = 0;
	sqlite3_stmt *s = prep(q, "SELECT id, queued_at FROM tickets WHERE day=? AND service=? AND"
				  " state='waiting' AND priority=? ORDER BY queued_at, id",
			       "ssi", day, service, priority);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 64;
			struct wrow *nr = realloc(rows, (size_t)ncap * sizeof *rows);
			if (!nr)
				break; /* counting fewer is the safe side of "N before you" */
			rows = nr;
			cap = ncap;
		}
		rows[*n].id = sqlite3_column_int64(s, 0);
		rows[*n].queued_at = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	return rows;
}

/* The waiting tickets of one service in the order kqueue_call takes them, if nobody new
 * arrives: its choice inside one service, replayed (the forced priority call after
 * priority_every normals, else the longer wait). Exact for the tickets there now; a
 * priority ticket arriving later may still go first, which the page says. Ids, malloc'd;
 * NULL with *n 0 when none (or on a database error: counting fewer is the safe side). */
static int64_t *policy_order(struct kqueue *q, const char *day, const char *service, int *n)
{
	int np, nn, pi = 0, ni = 0;
	struct wrow *p = waiting_rows(q, day, service, 1, &np);
	struct wrow *w = waiting_rows(q, day, service, 0, &nn);
	int64_t run_n = scalar(prep(q, "SELECT normals FROM priority_run WHERE day=? AND service=?",
				    "ss", day, service), 0);
	int64_t *order = np + nn ? malloc((size_t)(np + nn) * sizeof *order) : NULL;
	*n = 0;
	while (order && (pi < np || ni < nn)) {
		int prio;
		if (pi < np && ni < nn)
			prio = run_n >= q->cfg->priority_every || p[pi].queued_at < w[ni].queued_at ||
			       (p[pi].queued_at == w[ni].queued_at && p[pi].id < w[ni].id);
		else
			prio = pi < np;
		order[(*n)++] = prio ? p[pi++].id : w[ni++].id;
		run_n = prio ? 0 : run_n + 1;
	}
	free(p);
	free(w);
	return order;
}

/* The q-th fraction (0..1) of sorted v[0..n-1], nearest rank. */
static int64_t quantile(const int64_t *v, int n, double frac)
{
	int i = (int)(frac * (n - 1) + 0.5);
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* What a service's estimate is made of, read once per service and view batch. */
struct svc_view {
	char service[KCAT_ID_MAX];
	int64_t *order;              /* policy_order(), n ids */
	int n;
	int64_t v[EST_SAMPLES_TODAY]; /* today's service times, sorted; nv of them */
	int nv;
	int64_t c;                   /* counters serving it, 1..configured */
};

/* Today's real service times of this service and the counters that call it. */
static void wait_samples(struct kqueue *q, struct svc_view *sv)
{
	struct kdate d;

	kclock_bkk(kclock_now(), &d);
	int64_t midnight = kclock_bkk_midnight(d.year, d.month, d.day);
	sqlite3_stmt *s = prep(q,
			       "SELECT d FROM (SELECT done_at - IFNULL(served_at, called_at) AS d"
			       " FROM tickets WHERE service=? AND state='done' AND done_at>=?"
			       " ORDER BY done_at DESC LIMIT ?) WHERE d BETWEEN ? AND ? ORDER BY d",
			       "slill", sv->service, midnight, EST_SAMPLES_TODAY,
			       (int64_t)EST_MIN_SECONDS, (int64_t)EST_MAX_SECONDS);
	sv->nv = 0;
	while (s && sqlite3_step(s) == SQLITE_ROW && sv->nv < EST_SAMPLES_TODAY)
		sv->v[sv->nv++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (!sv->nv)
		return;
	int64_t c = scalar(prep(q, "SELECT COUNT(DISTINCT counter) FROM tickets WHERE service=?"
				   " AND called_at>=? AND counter IS NOT NULL", "sl", sv->service,
				midnight), 0);
	int64_t cfg_c = counters_for(q->cfg, sv->service);
	sv->c = c < 1 ? 1 : c > cfg_c ? cfg_c : c;
}

/* The honest range: today's real service times of this service (the shorter and the
 * longer quarter), spread over the counters that have called it today. lo assumes the
 * people ahead are quick; hi that they are slow and the one at the counter has just
 * started. -1/-1 when no counter has finished one today: no figure beats a made-up one. */
static void wait_range(const struct svc_view *sv, int ahead, int *lo, int *hi)
{
	*lo = *hi = -1;
	if (!sv->nv)
		return;
	int64_t fast = quantile(sv->v, sv->nv, 0.25), slow = quantile(sv->v, sv->nv, 0.75);
	*lo = (int)(ahead * fast / sv->c / 60);
	*hi = (int)(((ahead + 1) * slow + sv->c * 60 - 1) / (sv->c * 60));
	if (*hi < *lo)
		*hi = *lo;
}

/* A read transaction over the queue: every view agrees with the others, and each
 * service's line and service times are read once (a snapshot of a busy day took
 * seconds when each ticket replayed its whole service). */
struct kqueue_viewer {
	struct kqueue *q;
	int opened; /* kstore_read_begin began the snapshot: close ends it */
	char day[KCLOCK_DATE_MAX];
	int64_t last_event;
	int nsvc;
	struct svc_view svc[QUEUE_VIEW_SERVICES_MAX];
};

kst kqueue_viewer_open(struct kqueue *q, const char *day, struct kqueue_viewer **out,
		       struct kerr *err)
{
	kst rc;

	*out = NULL;
	if (!day || strlen(day) >= KCLOCK_DATE_MAX)
		return kerr_set(err, K_EFAIL, "ไม่พบบัตรคิว / no such ticket");
	struct kqueue_viewer *vw = calloc(1, sizeof *vw);
	if (!vw)
		return kerr_set(err, K_EFAIL, "out of memory");
	if ((rc = kstore_read_begin(q->st, &vw->opened, err))) {
		free(vw);
		return rc;
	}
	vw->q = q;
	snprintf(vw->day, sizeof vw->day, "%s", day);
	vw->last_event = kqueue_last_event(q);
	*out = vw;
	return K_OK;
}

void kqueue_viewer_close(struct kqueue_viewer *vw)
{
	if (!vw)
		return;
	kstore_read_end(vw->q->st, vw->opened);
	for (int i = 0; i < vw->nsvc; i++)
		free(vw->svc[i].order);
	free(vw);
}

/* The service's line, read on first use. A catalogue larger than the table reads the
 * extra services each time into the last slot: right, only slower. */
static struct svc_view *viewer_service(struct kqueue_viewer *vw, const char *service)
{
	for (int i = 0; i < vw->nsvc; i++)
		if (!strcmp(vw->svc[i].service, service))
			return &vw->svc[i];
	struct svc_view *sv;
	if (vw->nsvc < QUEUE_VIEW_SERVICES_MAX) {
		sv = &vw->svc[vw->nsvc++];
	} else {
		sv = &vw->svc[QUEUE_VIEW_SERVICES_MAX - 1];
		free(sv->order);
	}
	memset(sv, 0, sizeof *sv);
	snprintf(sv->service, sizeof sv->service, "%s", service);
	sv->order = policy_order(vw->q, vw->day, service, &sv->n);
	wait_samples(vw->q, sv);
	return sv;
}

/* The rest of a view once out->t is read; last: MAX(events.id) of the ticket, or -1 to
 * read it here. */
static void view_fill(struct kqueue_viewer *vw, struct kticket_view *out, int64_t last)
{
	struct kqueue *q = vw->q;

	if (!strcmp(out->t.state, "waiting")) {
		const struct svc_view *sv = viewer_service(vw, out->t.service);
		/* Not in the line read at the start (cannot happen inside one transaction, but
		 * a made-up figure is worse than "at the end"): behind everyone. */
		out->ahead = sv->n;
		for (int i = 0; i < sv->n; i++)
			if (sv->order[i] == out->t.id) {
				out->ahead = i;
				break;
			}
		wait_range(sv, out->ahead, &out->wait_lo, &out->wait_hi);
		/* Any call, cancel or transfer in its service moves it up. */
		out->changed = vw->last_event;
	} else {
		if (!strcmp(out->t.state, "called") || !strcmp(out->t.state, "serving"))
			out->counter = out->t.counter;
		out->changed = last >= 0 ? last
					 : scalar(prep(q, "SELECT MAX(id) FROM events WHERE ticket=?",
						       "l", out->t.id), 0);
	}
}

kst kqueue_viewer_get(struct kqueue_viewer *vw, const char *number, struct kticket_view *out,
		      struct kerr *err)
{
	kst rc;

	memset(out, 0, sizeof *out);
	out->wait_lo = out->wait_hi = -1;
	if (!number || strlen(number) >= KTICKET_NUMBER_MAX)
		return kerr_set(err, K_EFAIL, "ไม่พบบัตรคิว / no such ticket");
	if ((rc = kqueue_find(vw->q, vw->day, number, &out->t, err)))
		return rc;
	view_fill(vw, out, -1);
	return K_OK;
}

kst kqueue_viewer_each(struct kqueue_viewer *vw, int max, kqueue_view_fn fn, void *ctx,
		       struct kerr *err)
{
	/* One statement for the whole day (a find per number cost a statement and a
	 * search each: seconds for a day of 2,000): each number's latest ticket, as
	 * kqueue_find takes it, the live ones first, then the latest finished. */
	sqlite3_stmt *s = prep(vw->q,
			       "SELECT " TICKET_COLS ", (SELECT MAX(e.id) FROM events e WHERE"
			       " e.ticket=tickets.id) FROM tickets WHERE id IN (SELECT MAX(id) FROM"
			       " tickets WHERE day=? GROUP BY number) ORDER BY state IN"
			       " ('waiting','called','serving') DESC, id DESC LIMIT ?",
			       "si", vw->day, max);
	if (!s)
		return kstore_err(vw->q->st, err, "reading today's tickets");
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kticket_view v;
		memset(&v, 0, sizeof v);
		v.wait_lo = v.wait_hi = -1;
		row_to_ticket(s, &v.t);
		view_fill(vw, &v, sqlite3_column_int64(s, 13));
		fn(ctx, &v);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? K_OK : kstore_err(vw->q->st, err, "reading today's tickets");
}

kst kqueue_view(struct kqueue *q, const char *day, const char *number, struct kticket_view *out,
		struct kerr *err)
{
	struct kqueue_viewer *vw;
	kst rc;

	memset(out, 0, sizeof *out);
	out->wait_lo = out->wait_hi = -1;
	if (!day || !number || strlen(day) >= KCLOCK_DATE_MAX || strlen(number) >= KTICKET_NUMBER_MAX)
		return kerr_set(err, K_EFAIL, "ไม่พบบัตรคิว / no such ticket");
	/* One read transaction: the ticket, the line ahead of it and the event id agree. */
	if ((rc = kqueue_viewer_open(q, day, &vw, err)))
		return rc;
	rc = kqueue_viewer_get(vw, number, out, err);
	kqueue_viewer_close(vw);
	return rc;
}

kst kqueue_cancel(struct kqueue *q, const char *day, const char *number, struct kticket *out,
		  struct kerr *err)
{
	kst rc;

	memset(out, 0, sizeof *out);
	if (!day || !number || strlen(day) >= KCLOCK_DATE_MAX || strlen(number) >= KTICKET_NUMBER_MAX)
		return kerr_set(err, K_EFAIL, "ไม่พบบัตรคิว / no such ticket");
	if ((rc = kstore_begin(q->st, err)))
		return rc;
	if ((rc = kqueue_find(q, day, number, out, err)))
		goto fail;
	if (strcmp(out->state, "waiting")) {
		const char *n = out->number;
		if (!strcmp(out->state, "called") || !strcmp(out->state, "serving"))
			rc = kerr_set(err, K_EFAIL,
				      "คิว %s ถูกเรียกแล้ว กรุณาไปที่ช่อง %d / %s has been called: please go to"
				      " counter %d", n, out->counter, n, out->counter);
		else if (!strcmp(out->state, "done"))
			rc = kerr_set(err, K_EFAIL, "คิว %s ได้รับบริการแล้ว / %s has been served", n, n);
		else if (!strcmp(out->state, "no_show"))
			rc = kerr_set(err, K_EFAIL,
				      "คิว %s ถูกเรียกแล้วแต่ไม่มีผู้มาตามเรียก หากยังต้องการรับบริการ กรุณารับบัตรคิวใหม่ที่ตู้"
				      " / %s was called but nobody came: take a new ticket at the kiosk if"
				      " you still need the service", n, n);
		else
			rc = kerr_set(err, K_EFAIL, "คิว %s ยกเลิกไปแล้ว / %s was already cancelled", n, n);
		goto fail;
	}
	rc = run(q, prep(q, "UPDATE tickets SET state='cancelled', done_at=? WHERE id=? AND"
			    " state='waiting'", "ll", kclock_now(), out->id),
		 err, "cancelling");
	if (rc || (rc = load(q, out->id, out, err)) || (rc = event(q, "cancel", out, NULL, err)))
		goto fail;
	return kstore_commit(q->st, err);
fail:
	kstore_rollback(q->st);
	return rc;
}

int64_t kqueue_last_event(struct kqueue *q)
{
	return scalar(prep(q, "SELECT MAX(id) FROM events", ""), 0);
}
