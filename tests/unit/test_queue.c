/* The queue engine: numbering per Bangkok day, overflow, the priority policy
 * against a reference model over many arrival orders, state transitions,
 * transfers, estimates, and two processes sharing the database.
 *
 * Time: every step sets KIOSK_NOW (frozen wall time, never the real clock). The store
 * commits with synchronous=FULL, an fsync per transaction: the 120 generated scenarios
 * make ~6,000 of them, and each had a fresh file (rm -rf through system(), create,
 * migrate): 7.6 s on an idle disk, 75-90 s when the disk was shared. They test the
 * policy, not durability: they share one file, a day each, on a connection with
 * synchronous=OFF; the two-process test keeps the store's own settings. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/queue.h"
#include "tap.h"


/* kqueue_viewer_each's callback for the policy test: "N before you" by ticket number
 * (A001 -> [1]), -1 for a ticket that is not waiting. */
#define EACH_NUMS 64
struct each_seen {
	int ahead[EACH_NUMS];
	int rows;
};
static void each_collect(void *ctx, const struct kticket_view *v)
{
	struct each_seen *e = ctx;
	int i = atoi(v->t.number + 1);
	e->rows++;
	if (i > 0 && i < EACH_NUMS)
		e->ahead[i] = strcmp(v->t.state, "waiting") ? -1 : v->ahead;
}

static struct kconfig cfg;
static char dir[64];
static int64_t clock_t0;

static void at(int64_t t)
{
	char iso[KCLOCK_ISO_MAX];
	kclock_iso(t, iso);
	setenv("KIOSK_NOW", iso, 1);
}

/* A fresh database; durable = 0 switches off the fsyncs (see the top of the file). */
static void fresh_db(struct kstore *st, struct kqueue *q, int durable)
{
	char cmd[128];
	struct kerr err;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		exit(2);
	if (kstore_open(dir, st, &err)) {
		printf("# %s\n", err.msg);
		exit(2);
	}
	if (!durable)
		sqlite3_exec(st->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	q->st = st;
	q->cfg = &cfg;
}

static void fresh(struct kstore *st, struct kqueue *q)
{
	fresh_db(st, q, 0);
}

static void numbering(void)
{
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kerr err;
	int64_t t1;

	fresh(&st, &q);
	/* 23:59:50 Bangkok = 16:59:50 UTC; 00:00:05 Bangkok is still the same UTC date. */
	setenv("TZ", "America/Los_Angeles", 1);
	kclock_parse_iso("2026-11-24T23:59:50+07:00", &t1);
	at(t1);
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	IS_STR(t.t.number, "A001", "first ticket of the day is A001");
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	IS_STR(t.t.number, "A002", "then A002");
	kqueue_issue(&q, "marital-status", 0, &t, &err);
	IS_STR(t.t.number, "B001", "each service counts on its own");
	setenv("KIOSK_NOW", "2026-11-25T00:00:05+07:00", 1);
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	IS_STR(t.t.number, "A001", "after Bangkok midnight (UTC date unchanged) numbers restart");
	IS_STR(t.t.day, "2026-11-25", "and the ticket belongs to the new Bangkok day");
	setenv("KIOSK_NOW", "2026-11-24T17:00:10Z", 1);
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	IS_STR(t.t.number, "A002", "a UTC-written time on the same Bangkok day continues");
	unsetenv("TZ");

	/* Yesterday's leftovers are not called today. */
	struct kticket c;
	kst rc = kqueue_call(&q, 1, "personal-cert", &c, &err);
	IS_STR(rc ? "" : c.day, "2026-11-25", "a call takes today's ticket, not last night's");

	/* Overflow: wrap (default) or refuse. */
	cfg.number_max = 9;
	for (int i = 0; i < 9; i++)
		kqueue_issue(&q, "marital-status", 0, &t, &err);
	IS_STR(t.t.number, "B009", "the ninth ticket is B009");
	rc = kqueue_issue(&q, "marital-status", 0, &t, &err);
	OK(rc == K_OK && !strcmp(t.t.number, "B001"), "wrap: the tenth is B001 again");
	cfg.on_overflow = KOVERFLOW_REFUSE;
	for (int i = 0; i < 8; i++)
		kqueue_issue(&q, "marital-status", 0, &t, &err);
	rc = kqueue_issue(&q, "marital-status", 0, &t, &err);
	OK(rc == K_EFAIL && strstr(err.msg, "หมด") && strstr(err.msg, "no more"),
	   "refuse: a clear Thai and English message (%s)", err.msg);
	cfg.on_overflow = KOVERFLOW_WRAP;
	cfg.number_max = 999;
	rc = kqueue_issue(&q, "nope", 0, &t, &err);
	IS_INT(rc, K_EUSAGE, "an unknown service is a usage error");
	kstore_close(&st);
}

/* Reference model of the policy (queue.h), one service. */
struct model {
	int n;               /* tickets issued */
	int prio[400];       /* class of ticket i (issue order = age order) */
	int called[400];
	int run;             /* normals since the last priority call */
};

static int model_call(struct model *m, int every)
{
	int p = -1, n = -1;
	for (int i = 0; i < m->n; i++) {
		if (m->called[i])
			continue;
		if (m->prio[i] && p < 0)
			p = i;
		if (!m->prio[i] && n < 0)
			n = i;
	}
	int pick;
	if (p >= 0 && n >= 0)
		pick = (m->run >= every || p < n) ? p : n;
	else
		pick = p >= 0 ? p : n;
	if (pick >= 0) {
		m->called[pick] = 1;
		m->run = m->prio[pick] ? 0 : m->run + 1;
	}
	return pick;
}

static void priority_policy(void)
{
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kticket c;
	struct kerr err;
	int64_t now;
	char seq[64] = "";

	/* A hand-worked case first: N=2; arrivals N1 N2 N3 P1 N4 P2. */
	fresh(&st, &q);
	cfg.priority_every = 2;
	now = clock_t0;
	const int arrivals[] = {0, 0, 0, 1, 0, 1};
	for (int i = 0; i < 6; i++) {
		at(now++);
		kqueue_issue(&q, "personal-cert", arrivals[i], &t, &err);
	}
	for (int i = 0; i < 6; i++) {
		at(now++);
		if (kqueue_call(&q, 1, NULL, &c, &err) || kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err))
			break;
		strcat(seq, c.number);
		strcat(seq, " ");
	}
	IS_STR(seq, "A001 A002 A004 A003 A005 A006 ",
	       "N=2: two normals, then the waiting priority, FIFO within each class");
	kstore_close(&st);

	/* Many generated arrival orders against the model, for N = 1, 2, 3, 5. */
	const int everys[] = {1, 2, 3, 5};
	int scenarios = 0, mismatches = 0, fifo_broken = 0, gap_broken = 0;
	srand(20261124);
	/* One database, one Bangkok day per scenario: numbering restarts each day and a
	 * call only takes that day's tickets, so the days are independent scenarios (and a
	 * fresh file each time cost ~170 ms of fsyncs, most of the file's run time). */
	fresh(&st, &q);
	for (int e = 0; e < 4; e++) {
		cfg.priority_every = everys[e];
		for (int sc = 0; sc < 30; sc++) {
			struct model m;
			memset(&m, 0, sizeof m);
			/* Yesterday's rows out: the estimate reads the service history, and a
			 * history growing over 120 days made every issue slower. */
			sqlite3_exec(st.db, "DELETE FROM tickets; DELETE FROM events;", NULL, NULL, NULL);
			now = clock_t0 + (int64_t)(scenarios + 1) * 86400;
			int total = 20 + rand() % 40, issued = 0, normals_in_row = 0;
			int last_p = -1, last_n = -1;
			int pct_prio = 10 + rand() % 60;
			while (issued < total || 1) {
				int r = rand() % 100;
				if (issued < total && r < 55) {
					int pr = rand() % 100 < pct_prio;
					at(now++);
					if (kqueue_issue(&q, "personal-cert", pr, &t, &err))
						break;
					m.prio[m.n++] = pr;
					issued++;
					continue;
				}
				at(now++);
				int want = model_call(&m, cfg.priority_every);
				kst rc = kqueue_call(&q, 1 + rand() % 4, NULL, &c, &err);
				if (want < 0) {
					mismatches += rc != K_EFAIL;
					if (issued >= total)
						break;
					continue;
				}
				char wn[8];
				snprintf(wn, sizeof wn, "A%03d", want + 1);
				if (rc || strcmp(c.number, wn)) {
					mismatches++;
					break;
				}
				/* Invariants the citizens see, checked directly too. */
				if (m.prio[want]) {
					fifo_broken += want < last_p;
					last_p = want;
					normals_in_row = 0;
				} else {
					fifo_broken += want < last_n;
					last_n = want;
					int p_waiting = 0;
					for (int i = 0; i < m.n; i++)
						p_waiting |= m.prio[i] && !m.called[i];
					normals_in_row = p_waiting ? normals_in_row + 1 : 0;
					gap_broken += normals_in_row > cfg.priority_every;
				}
				kqueue_op(&q, KQ_FINISH, c.counter, NULL, &c, &err);
			}
			int left = 0;
			for (int i = 0; i < m.n; i++)
				left += !m.called[i];
			mismatches += left != 0;
			scenarios++;
		}
	}
	kstore_close(&st);
	IS_INT(mismatches, 0, "%d generated arrival orders: the engine calls exactly as the policy says",
	       scenarios);
	IS_INT(fifo_broken, 0, "FIFO within each class in every scenario");
	IS_INT(gap_broken, 0, "never more than N normal calls while a priority ticket waits");
	cfg.priority_every = 2;

	/* Starvation: a stream of priority tickets never blocks an older normal one. */
	fresh(&st, &q);
	now = clock_t0;
	at(now++);
	kqueue_issue(&q, "personal-cert", 0, &t, &err); /* A001 normal */
	int normal_called_after = -1;
	for (int i = 0; i < 20 && normal_called_after < 0; i++) {
		at(now++);
		kqueue_issue(&q, "personal-cert", 1, &t, &err);
		at(now++);
		kqueue_call(&q, 1, NULL, &c, &err);
		kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
		if (!strcmp(c.number, "A001"))
			normal_called_after = i;
	}
	OK(normal_called_after >= 0 && normal_called_after <= 1,
	   "an older normal ticket is called despite a stream of priority tickets (after %d)",
	   normal_called_after);
	kstore_close(&st);
}

static void transitions(void)
{
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kticket c;
	struct kerr err;
	int64_t now = clock_t0;

	fresh(&st, &q);
	at(now++);
	IS_INT(kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err), K_EFAIL, "finish with nothing called fails");
	IS_INT(kqueue_call(&q, 1, NULL, &c, &err), K_EFAIL, "call with nobody waiting fails");
	OK(strstr(err.msg, "nobody is waiting") != NULL, "and says nobody is waiting");
	IS_INT(kqueue_call(&q, 0, NULL, &c, &err), K_EUSAGE, "counter 0 does not exist");
	IS_INT(kqueue_call(&q, 5, NULL, &c, &err), K_EUSAGE, "counter 5 does not exist (4 configured)");
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	at(now++);
	kqueue_issue(&q, "personal-cert", 0, &t, &err);
	at(now++);
	kqueue_issue(&q, "marital-status", 0, &t, &err); /* B001, later than A001/A002 */
	at(now++);
	OK(!kqueue_call(&q, 1, NULL, &c, &err) && !strcmp(c.number, "A001") && c.counter == 1 &&
		   !strcmp(c.state, "called"),
	   "call: A001 to counter 1, state called");
	IS_INT(kqueue_call(&q, 1, NULL, &c, &err), K_EFAIL, "a second call while counter 1 is busy is refused");
	OK(strstr(err.msg, "A001") != NULL, "and names the ticket still at the counter");
	OK(!kqueue_op(&q, KQ_RECALL, 1, NULL, &c, &err) && c.calls == 2, "re-call counts the calls");
	OK(!kqueue_op(&q, KQ_START, 1, NULL, &c, &err) && !strcmp(c.state, "serving"), "start: serving");
	IS_INT(kqueue_op(&q, KQ_START, 1, NULL, &c, &err), K_EFAIL, "start twice is refused");
	IS_INT(kqueue_op(&q, KQ_NO_SHOW, 1, NULL, &c, &err), K_EFAIL, "a served citizen cannot be a no-show");
	IS_INT(kqueue_op(&q, KQ_TRANSFER, 1, "nope", &c, &err), K_EUSAGE, "transfer to an unknown service");
	/* Transfer A001 to marital-status: it is older than B001, so it goes first there. */
	OK(!kqueue_op(&q, KQ_TRANSFER, 1, "marital-status", &c, &err) && !strcmp(c.state, "waiting") &&
		   !strcmp(c.service, "marital-status"),
	   "transfer: back to waiting in the new service");
	at(now++);
	OK(!kqueue_call(&q, 2, "marital-status", &c, &err) && !strcmp(c.number, "A001"),
	   "the transferred ticket keeps its place (called before the later B001)");
	OK(!kqueue_op(&q, KQ_NO_SHOW, 2, NULL, &c, &err) && !strcmp(c.state, "no_show"), "no-show");
	IS_INT(kqueue_op(&q, KQ_FINISH, 2, NULL, &c, &err), K_EFAIL, "a no-show cannot be finished");
	struct kqueue_status s;
	kqueue_status(&q, &s, &err);
	IS_INT(s.waiting[0] + s.waiting[1], 2, "two still wait (A002, B001)");

	/* Counters limited to services. */
	strcpy(cfg.counter_services[3], "marital-status");
	at(now++);
	OK(!kqueue_call(&q, 3, NULL, &c, &err) && !strcmp(c.number, "B001"),
	   "counter 3 (marital-status only) skips the older A002");
	cfg.counter_services[3][0] = 0;
	kstore_close(&st);
}

static void estimates(void)
{
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kticket c;
	struct kerr err;
	int64_t now = clock_t0;

	fresh(&st, &q);
	at(now);
	int per = kcatalog_find(&cfg.catalog, "personal-cert")->service_minutes;
	IS_INT(kqueue_service_minutes(&q, "personal-cert"), per, "before history: the catalogue's minutes");
	for (int i = 0; i < 4; i++)
		kqueue_issue(&q, "personal-cert", 0, &t, &err);
	IS_INT(t.ahead, 3, "the fourth ticket has three ahead");
	IS_INT(t.wait_minutes, (3 * per + 3) / 4, "and waits 3 x minutes / 4 counters");
	/* History: each service takes 6 minutes. */
	for (int i = 0; i < 4; i++) {
		at(now += 10);
		kqueue_call(&q, 1, NULL, &c, &err);
		at(now += 360);
		kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
	}
	IS_INT(kqueue_service_minutes(&q, "personal-cert"), 6, "after history: the recent average");
	at(now += 10);
	kqueue_call(&q, 1, NULL, &c, &err);
	at(now += 2);
	kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err); /* a 2-second mistake: ignored */
	IS_INT(kqueue_service_minutes(&q, "personal-cert"), 6, "an absurd 2-second service is ignored");
	kstore_close(&st);
}

/* Calls every waiting ticket of personal-cert in turn and records, per ticket number
 * (A001 = 1), how many were called before it. */
static void drain(struct kqueue *q, int64_t *now, int *order, int max)
{
	struct kticket c;
	struct kerr err;
	for (int pos = 0;; pos++) {
		at((*now)++);
		if (kqueue_call(q, 1, "personal-cert", &c, &err))
			break;
		int n = atoi(c.number + 1);
		if (n < max)
			order[n] = pos;
		kqueue_op(q, KQ_FINISH, 1, NULL, &c, &err);
	}
}

static void phone_view(void)
{
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kticket c;
	struct kticket_view v;
	struct kerr err;
	int64_t now = clock_t0;
	enum { NUMS = 64 };

	/* "N people before you" is exactly how many the counters call first. One file, a
	 * day per scenario (as priority_policy does). */
	int scenarios = 0, wrong = 0, checked = 0, batch_wrong = 0, batch_rows = 0;
	srand(13);
	fresh(&st, &q);
	for (int sc = 0; sc < 40; sc++) {
		int ahead[NUMS], order[NUMS];
		char day[KCLOCK_DATE_MAX];
		sqlite3_exec(st.db, "DELETE FROM tickets; DELETE FROM events;", NULL, NULL, NULL);
		cfg.priority_every = 1 + sc % 3;
		now = clock_t0 + (int64_t)(sc + 1) * 86400;
		kclock_bkk_date(now, day);
		int n = 8 + rand() % 20, calls_first = rand() % 4;
		for (int i = 0; i < n; i++) {
			at(now++);
			kqueue_issue(&q, "personal-cert", rand() % 3 == 0, &t, &err);
		}
		for (int i = 0; i < calls_first; i++) { /* the policy's run is under way */
			at(now++);
			if (!kqueue_call(&q, 1, NULL, &c, &err))
				kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
		}
		for (int i = 0; i < NUMS; i++)
			ahead[i] = order[i] = -1;
		for (int i = 1; i <= n; i++) {
			char num[8];
			snprintf(num, sizeof num, "A%03d", i);
			if (!kqueue_view(&q, day, num, &v, &err) && !strcmp(v.t.state, "waiting"))
				ahead[i] = v.ahead;
		}
		/* The relay's batch (one read of the day) says the same as each ticket's view. */
		struct each_seen seen = {.rows = 0};
		struct kqueue_viewer *vw;
		for (int k = 0; k < EACH_NUMS; k++)
			seen.ahead[k] = -1;
		if (!kqueue_viewer_open(&q, day, &vw, &err)) {
			kqueue_viewer_each(vw, NUMS, each_collect, &seen, &err);
			kqueue_viewer_close(vw);
		}
		for (int i = 1; i <= n && i < NUMS; i++)
			batch_wrong += seen.ahead[i] != (ahead[i] >= 0 ? ahead[i] : -1);
		batch_rows += seen.rows;
		drain(&q, &now, order, NUMS);
		for (int i = 0; i < NUMS; i++) {
			wrong += ahead[i] >= 0 && ahead[i] != order[i];
			checked += ahead[i] >= 0;
		}
		scenarios++;
	}
	kstore_close(&st);
	IS_INT(wrong, 0,
	       "%d generated queues, %d tickets: \"N before you\" is exactly how many are called first",
	       scenarios, checked);
	IS_INT(batch_wrong, 0, "the batch view of each day (%d tickets) gives every ticket the same"
			       " \"N before you\" as its own view", batch_rows);
	cfg.priority_every = 2;

	/* The range: none before any service today, then from today's services only. */
	fresh(&st, &q);
	now = clock_t0 - 86400; /* yesterday: 10-minute services */
	for (int i = 0; i < 3; i++) {
		at(now += 10);
		kqueue_issue(&q, "personal-cert", 0, &t, &err);
		kqueue_call(&q, 1, NULL, &c, &err);
		at(now += 600);
		kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
	}
	now = clock_t0;
	for (int i = 0; i < 6; i++) {
		at(now++);
		kqueue_issue(&q, "personal-cert", 0, &t, &err); /* A001..A006 */
	}
	OK(!kqueue_view(&q, "2026-11-24", "A004", &v, &err), "view a waiting ticket");
	IS_STR(v.t.state, "waiting", "its state is waiting");
	IS_INT(v.ahead, 3, "three before A004");
	OK(v.wait_lo == -1 && v.wait_hi == -1,
	   "no estimate while no counter has served this service today (yesterday does not count)");
	IS_INT(v.counter, 0, "no counter yet");
	/* Counter 1 serves A001 in 4 minutes and A002 in 8. */
	at(now += 10);
	kqueue_call(&q, 1, NULL, &c, &err);
	at(now += 240);
	kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
	at(now += 10);
	kqueue_call(&q, 1, NULL, &c, &err);
	at(now += 480);
	kqueue_op(&q, KQ_FINISH, 1, NULL, &c, &err);
	kqueue_view(&q, "2026-11-24", "A004", &v, &err);
	IS_INT(v.ahead, 1, "after two calls, one before A004");
	OK(v.wait_lo >= 0 && v.wait_lo <= v.wait_hi, "a range now (%d-%d min)", v.wait_lo, v.wait_hi);
	IS_INT(v.wait_lo, 4, "from the quick service: 1 ahead x 4 min");
	IS_INT(v.wait_hi, 16, "to the slow one, the person at the counter included: 2 x 8 min");
	kqueue_view(&q, "2026-11-24", "A003", &v, &err);
	IS_INT(v.wait_lo, 0, "the next in line: from now ...");
	IS_INT(v.wait_hi, 8, "... to one slow service");
	int64_t before = kqueue_last_event(&q);
	OK(before > 0 && v.changed == before, "a waiting ticket changes with any event (%lld)",
	   (long long)v.changed);

	/* Called: go to counter K. */
	at(now += 10);
	kqueue_call(&q, 2, NULL, &c, &err); /* A003 to counter 2 */
	kqueue_view(&q, "2026-11-24", "A003", &v, &err);
	OK(!strcmp(v.t.state, "called") && v.counter == 2 && v.ahead == 0,
	   "called: the view says counter 2");
	IS_INT(v.changed, kqueue_last_event(&q), "and its change is the call event");
	OK(v.changed > before, "the event id grew with the call");
	at(now += 5);
	kqueue_issue(&q, "marital-status", 0, &t, &err);
	kqueue_view(&q, "2026-11-24", "A003", &v, &err);
	OK(v.changed < kqueue_last_event(&q), "another ticket's event does not change a called ticket");

	/* Leaving the queue. */
	struct kticket x;
	at(now += 5);
	OK(!kqueue_cancel(&q, "2026-11-24", "A004", &x, &err) && !strcmp(x.state, "cancelled"),
	   "a waiting ticket can leave the queue: cancelled");
	IS_INT(kqueue_cancel(&q, "2026-11-24", "A004", &x, &err), K_EFAIL, "only once");
	OK(strstr(err.msg, "already cancelled") && strstr(err.msg, "ยกเลิกไปแล้ว"),
	   "with a bilingual reason (%s)", err.msg);
	IS_INT(kqueue_cancel(&q, "2026-11-24", "A003", &x, &err), K_EFAIL,
	       "a called ticket cannot leave");
	OK(strstr(err.msg, "counter 2") != NULL, "the reason names its counter (%s)", err.msg);
	IS_INT(kqueue_cancel(&q, "2026-11-24", "A099", &x, &err), K_EFAIL, "an unknown ticket");
	IS_INT(kqueue_cancel(&q, "2026-11-24", "A0000000000000004", &x, &err), K_EFAIL,
	       "an over-long number is refused, not cut to a real one");
	IS_INT(kqueue_view(&q, "2026-11-24-and-more", "A004", &v, &err), K_EFAIL,
	       "an over-long day is refused");
	IS_INT(kqueue_view(&q, "2026-11-23", "A005", &v, &err), K_EFAIL,
	       "a ticket of another day is not today's ticket");
	kqueue_view(&q, "2026-11-24", "A005", &v, &err);
	IS_INT(v.ahead, 0, "the cancelled A004 no longer counts before A005");
	struct kqueue_status s;
	kqueue_status(&q, &s, &err);
	IS_INT(s.waiting[0], 2, "waiting: A005, A006 (the cancelled one is not waiting)");
	IS_INT(s.cancelled[0], 1, "and it is counted apart as cancelled");
	at(now += 10);
	kqueue_op(&q, KQ_FINISH, 2, NULL, &c, &err);
	OK(!kqueue_call(&q, 2, NULL, &c, &err) && !strcmp(c.number, "A005"),
	   "the counter skips the cancelled A004 and calls A005");
	sqlite3_stmt *ev;
	sqlite3_prepare_v2(st.db, "SELECT COUNT(*) FROM events WHERE kind='cancel'", -1, &ev, NULL);
	sqlite3_step(ev);
	IS_INT(sqlite3_column_int(ev, 0), 1, "one cancel event was logged (the board and phones see it)");
	sqlite3_finalize(ev);

	/* A transferred-back ticket is waiting again and may leave; the board forgets its call. */
	at(now += 10);
	kqueue_op(&q, KQ_TRANSFER, 2, "personal-cert", &c, &err);
	OK(!kqueue_cancel(&q, "2026-11-24", "A005", &x, &err), "a ticket sent back to waiting may leave");
	IS_INT(kqueue_call(&q, 2, "personal-cert", &c, &err), K_OK, "the next is called");
	IS_STR(c.number, "A006", "and it is A006, not the cancelled A005");

	/* The estimate's history query reads an index, not every ticket ever served. */
	char plan[512] = "";
	sqlite3_prepare_v2(st.db,
			   "EXPLAIN QUERY PLAN SELECT done_at - IFNULL(served_at, called_at) AS d"
			   " FROM tickets WHERE service='personal-cert' AND state='done' AND done_at>=0"
			   " ORDER BY done_at DESC LIMIT 20", -1, &ev, NULL);
	while (sqlite3_step(ev) == SQLITE_ROW) {
		strncat(plan, (const char *)sqlite3_column_text(ev, 3), sizeof plan - strlen(plan) - 2);
		strcat(plan, "; ");
	}
	sqlite3_finalize(ev);
	OK(strstr(plan, "tickets_done") && !strstr(plan, "TEMP B-TREE"),
	   "the service-time history is read through tickets_done, already in order (%s)", plan);
	/* Every phone's /t request finds its ticket by number: not by scanning the day. */
	plan[0] = 0;
	sqlite3_prepare_v2(st.db,
			   "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE day='2026-11-24' AND"
			   " number='A005' ORDER BY id DESC LIMIT 1", -1, &ev, NULL);
	while (sqlite3_step(ev) == SQLITE_ROW) {
		strncat(plan, (const char *)sqlite3_column_text(ev, 3), sizeof plan - strlen(plan) - 2);
		strcat(plan, "; ");
	}
	sqlite3_finalize(ev);
	OK(strstr(plan, "tickets_number (day=? AND number=?)") && !strstr(plan, "TEMP B-TREE"),
	   "a ticket is found by its number through tickets_number (%s)", plan);
	kstore_close(&st);
}

/* Two processes issuing and calling at once: no duplicate number, no lost ticket. */
static void concurrency(void)
{
	struct kstore st;
	struct kqueue q;
	enum { PER_CHILD = 150 };
	fresh_db(&st, &q, 1);
	kstore_close(&st);
	at(clock_t0);
	for (int child = 0; child < 2; child++) {
		if (fork() == 0) {
			struct kstore cs;
			struct kqueue cq = {&cs, &cfg};
			struct kissued t;
			struct kticket c;
			struct kerr err;
			int bad = 0;
			if (kstore_open(dir, &cs, &err))
				_exit(3);
			for (int i = 0; i < PER_CHILD; i++) {
				bad |= kqueue_issue(&cq, i % 2 ? "personal-cert" : "marital-status", i % 5 == 0,
						    &t, &err) != K_OK;
				if (i % 3 == 0 && !kqueue_call(&cq, 1 + child, NULL, &c, &err))
					bad |= kqueue_op(&cq, KQ_FINISH, 1 + child, NULL, &c, &err) != K_OK;
			}
			kstore_close(&cs);
			_exit(bad ? 1 : 0);
		}
	}
	int ok = 1, status;
	while (wait(&status) > 0)
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	OK(ok, "two processes issued and called without an error (busy waits, not failures)");
	struct kerr err;
	kstore_open(dir, &st, &err);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(st.db, "SELECT COUNT(*), COUNT(DISTINCT number) FROM tickets", -1, &s, NULL);
	sqlite3_step(s);
	IS_INT(sqlite3_column_int(s, 0), 2 * PER_CHILD, "every ticket is there");
	IS_INT(sqlite3_column_int(s, 1), 2 * PER_CHILD, "no number was issued twice");
	sqlite3_finalize(s);
	sqlite3_prepare_v2(st.db, "SELECT COUNT(*) FROM tickets WHERE state='called'", -1, &s, NULL);
	sqlite3_step(s);
	IS_INT(sqlite3_column_int(s, 0), 0, "no ticket was left half-called");
	sqlite3_finalize(s);
	kstore_close(&st);
}

int main(void)
{
	struct kdiag d = {0};
	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	snprintf(dir, sizeof dir, "/tmp/kiosk-tq.%d", (int)getpid());
	kclock_parse_iso("2026-11-24T09:00:00+07:00", &clock_t0);
	numbering();
	priority_policy();
	transitions();
	estimates();
	phone_view();
	concurrency();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	kconfig_free(&cfg);
	return tap_done();
}
