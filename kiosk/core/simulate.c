/**
 * @file simulate.c
 * @brief The simulated history (see simulate.h).
 */
#include "core/simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rating.h"

#define OPEN_S (8 * 3600 + 1800)  /* 08:30 */
#define LAST_ARRIVAL_S (7 * 3600) /* arrivals until 15:30 */
#define NO_SHOW_PCT 4
#define PRIORITY_PCT 15
#define RATE_PCT 45
#define COMMENT_PCT 12
#define MISUSE_PCT 2

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r) /* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(struct rng *r)
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int pct(struct rng *r, int p)
{
	return (int)(next(r) % 100) < p;
}

static double gauss(struct rng *r)
{
	double u = unif(r), v = unif(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static void uuid(struct rng *r, char out[RATING_ID_LEN + 1])
{
	unsigned char b[16];
	for (int i = 0; i < 16; i += 8) {
		uint64_t v = next(r);
		memcpy(b + i, &v, 8);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, RATING_ID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
}

/* How often each service is asked for: certificates most, registrations least. */
static int weight(const char *id)
{
	static const struct {
		const char *id;
		int w;
	} t[] = {{"personal-cert", 30}, {"marital-status", 16}, {"signature-cert", 12},
		 {"conduct-cert", 9},   {"will-make", 6},       {"will-collect", 4},
		 {"heir-pension", 10},  {"foundation-reg", 5},  {"association-reg", 4}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].id, id))
			return t[i].w;
	return 6;
}

/* A service's own quality, -0.4..+0.3, fixed by its id. */
static double quality(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return -0.4 + (double)(h % 71) / 100.0;
}

static const char *const comments[] = {
	"เจ้าหน้าที่บริการดีมาก พูดจาสุภาพ",
	"รอนานไปหน่อย อยากให้เพิ่มช่องบริการช่วงเช้า",
	"ที่จอดรถไม่พอ",
	"ขั้นตอนชัดเจน รวดเร็ว ขอบคุณค่ะ",
	"ห้องน้ำควรปรับปรุง",
	"อยากให้มีป้ายบอกเอกสารที่ต้องเตรียมให้ชัดกว่านี้",
	"ประทับใจ บริการรวดเร็วมาก",
	"Staff were very helpful, thank you.",
};

struct sim_ticket {
	int64_t issued, called, served, done; /* done 0 = no-show */
	int svc;                              /* index in the catalogue */
	int priority, counter;
};

static int by_issue(const void *a, const void *b)
{
	const struct sim_ticket *x = a, *y = b;
	return (x->issued > y->issued) - (x->issued < y->issued);
}

static int score(struct rng *r, double mean)
{
	long v = lround(mean + gauss(r) * 0.75);
	return v < 1 ? 1 : v > 5 ? 5 : (int)v;
}

static kst one_day(struct kstore *st, const struct kconfig *cfg, const struct sim_opts *o,
		   struct rng *r, int64_t midnight, int monday, int64_t now, struct sim_result *res,
		   struct kerr *err)
{
	const struct kcatalog *cat = &cfg->catalog;
	int total_w = 0, n, kept = 0;
	int64_t free_at[KCONF_COUNTERS_MAX];
	struct sim_ticket *t;
	char day[KCLOCK_DATE_MAX];
	kst rc = K_OK;

	kclock_bkk_date(midnight + 3600, day);
	for (size_t i = 0; i < cat->n; i++)
		total_w += weight(cat->svc[i].id);
	n = (int)lround(o->per_day * (0.75 + 0.5 * unif(r)) * (monday ? 1.2 : 1.0));
	if (n <= 0 || !cat->n)
		return K_OK;
	t = calloc((size_t)n, sizeof *t);
	if (!t)
		return kerr_set(err, K_EFAIL, "out of memory");
	for (int i = 0; i < n; i++) {
		/* A rush at opening, a busy morning, a quieter afternoon. */
		int part = (int)(next(r) % 100);
		double off = part < 35 ? unif(r) * 3600
			     : part < 70 ? 3600 + unif(r) * 2 * 3600 : 3 * 3600 + unif(r) * 4 * 3600;
		int w = (int)(next(r) % (uint64_t)total_w), k = 0;
		while (k < (int)cat->n - 1 && (w -= weight(cat->svc[k].id)) >= 0)
			k++;
		t[i].issued = midnight + OPEN_S + (int64_t)off;
		t[i].svc = k;
		t[i].priority = pct(r, PRIORITY_PCT);
	}
	qsort(t, (size_t)n, sizeof *t, by_issue);
	/* Two counters in three serve the public at a time; the others do the
	 * back-office work of the same services. */
	int counters = (cfg->counters * 2 + 2) / 3;
	for (int c = 0; c < counters; c++)
		free_at[c] = midnight + OPEN_S;
	for (int i = 0; i < n; i++) {
		int c = 0;
		for (int k = 1; k < counters; k++)
			if (free_at[k] < free_at[c])
				c = k;
		t[i].counter = c + 1;
		t[i].called = t[i].issued + 30 > free_at[c] ? t[i].issued + 30 : free_at[c];
		if (pct(r, NO_SHOW_PCT)) {
			free_at[c] = t[i].called + 180; /* waited for, then the next one */
			continue;
		}
		double mins = cat->svc[t[i].svc].service_minutes > 0 ? cat->svc[t[i].svc].service_minutes
								     : cfg->default_service_minutes;
		double dur = mins * 60.0 * exp(gauss(r) * 0.35);
		if (dur < 180)
			dur = 180;
		if (dur > 3 * 3600)
			dur = 3 * 3600;
		t[i].served = t[i].called + 30 + (int64_t)(unif(r) * 90);
		t[i].done = t[i].served + (int64_t)dur;
		free_at[c] = t[i].done + 30 + (int64_t)(unif(r) * 60);
	}

	if ((rc = kstore_begin(st, err)))
		goto out;
	for (int i = 0; i < n; i++) {
		const struct kservice *svc = &cat->svc[t[i].svc];
		int64_t end = t[i].done ? t[i].done : t[i].called + 180;
		char prefix[2] = {svc->prefix, 0}, number[KTICKET_NUMBER_MAX];
		if (end > now)
			continue; /* still in progress at "now": not history yet */
		/* Numbering continues from whatever the day already has. */
		int64_t last = kstore_scalar(kstore_prep(st, "SELECT last FROM ticket_seq WHERE day=?"
							     " AND prefix=?", "ss", day, prefix), 0);
		int64_t cycle = kstore_scalar(kstore_prep(st, "SELECT cycle FROM ticket_seq WHERE"
							      " day=? AND prefix=?", "ss", day, prefix), 0);
		int64_t seq = last + 1;
		if (seq > cfg->number_max) {
			seq = 1;
			cycle++;
		}
		snprintf(number, sizeof number, "%c%03d", svc->prefix, (int)seq);
		rc = kstore_run(st,
				kstore_prep(st, "INSERT INTO ticket_seq(day, prefix, last, cycle)"
						" VALUES(?,?,?,?) ON CONFLICT(day, prefix) DO UPDATE SET"
						" last=excluded.last, cycle=excluded.cycle",
					    "ssll", day, prefix, seq, cycle),
				err, "numbering");
		if (!rc)
			rc = kstore_run(
				st,
				kstore_prep(st,
					    "INSERT INTO tickets(day, prefix, seq, cycle, number, service,"
					    " priority, state, issued_at, queued_at, called_at, served_at,"
					    " done_at, counter, calls, simulated) VALUES(?,?,?,?,?,?,?,?,?,?,"
					    "?,?,?,?,1,1)",
					    "ssllssisllllli", day, prefix, seq, cycle, number, svc->id,
					    t[i].priority, t[i].done ? "done" : "no_show", t[i].issued,
					    t[i].issued, t[i].called, t[i].done ? t[i].served : (int64_t)0,
					    t[i].done, t[i].counter),
				err, "writing a ticket");
		if (rc)
			goto fail;
		int64_t tid = sqlite3_last_insert_rowid(st->db);
		kept++;
		if (!t[i].done) {
			/* No-shows have no served/done time: NULL, as the queue writes them. */
			rc = kstore_run(st, kstore_prep(st, "UPDATE tickets SET served_at=NULL,"
							    " done_at=NULL WHERE id=?", "l", tid),
					err, "writing a ticket");
			if (rc)
				goto fail;
			continue;
		}
		if (!pct(r, RATE_PCT))
			continue;
		struct rating rt;
		memset(&rt, 0, sizeof rt);
		rt.at = t[i].done + 30 + (int64_t)(unif(r) * 270);
		if (rt.at > now)
			continue;
		uuid(r, rt.id);
		rt.ticket_id = tid;
		snprintf(rt.ticket, sizeof rt.ticket, "%s", number);
		snprintf(rt.service, sizeof rt.service, "%s", svc->id);
		kclock_bkk_date(rt.at, rt.day);
		double q = 4.2 + quality(svc->id) + gauss(r) * 0.45; /* this citizen's mood */
		static const double dim[RATING_DIMS] = {-0.1, 0.15, -0.35, 0.0};
		for (int d = 0; d < RATING_DIMS; d++)
			rt.score[d] = score(r, q + dim[d]);
		if (pct(r, COMMENT_PCT))
			snprintf(rt.comment, sizeof rt.comment, "%s",
				 comments[next(r) % (sizeof comments / sizeof comments[0])]);
		snprintf(rt.lang, sizeof rt.lang, "%s", pct(r, 90) ? "th" : "en");
		rt.source = RATING_SIM;
		if (pct(r, MISUSE_PCT)) {
			rt.misuse = RATING_MISUSE_FAST;
			rt.answer_ms = 400 + (int64_t)(unif(r) * 1000);
		} else {
			rt.answer_ms = 8000 + (int64_t)(unif(r) * 30000);
		}
		if ((rc = rating_insert(st, &rt, o->queue_upload, err)))
			goto fail;
		res->ratings++;
	}
	if ((rc = kstore_commit(st, err)))
		goto out;
	res->tickets += kept;
	res->days++;
	goto out;
fail:
	kstore_rollback(st);
out:
	free(t);
	return rc;
}

kst sim_run(struct kstore *st, const struct kconfig *cfg, const struct sim_opts *o, int64_t now,
	    struct sim_result *out, struct kerr *err)
{
	struct rng r = {o->seed};
	struct kdate today;

	memset(out, 0, sizeof *out);
	if (o->days < 1 || o->days > SIM_DAYS_MAX)
		return kerr_set(err, K_EUSAGE, "--days must be 1..%d", SIM_DAYS_MAX);
	if (o->per_day < 1 || o->per_day > SIM_PER_DAY_MAX)
		return kerr_set(err, K_EUSAGE, "--per-day must be 1..%d", SIM_PER_DAY_MAX);
	long long real = kstore_scalar(
		kstore_prep(st, "SELECT COUNT(*) FROM tickets WHERE simulated=0", ""), -1);
	if (real < 0)
		return kstore_err(st, err, "counting tickets");
	if (real > 0 && !o->force)
		return kerr_set(err, K_EFAIL,
				"this data folder holds %lld real tickets: simulate into another --data"
				" folder (or add --force)", real);
	kclock_bkk(now, &today);
	int64_t d0 = kclock_days_from_civil(today.year, today.month, today.day);
	for (int k = o->days - 1; k >= 0; k--) {
		int y, m, d;
		kclock_civil_from_days(d0 - k, &y, &m, &d);
		int wday = (int)(((d0 - k) % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
		if (wday == 0 || wday == 6)
			continue; /* the office is closed at weekends */
		kst rc = one_day(st, cfg, o, &r, kclock_bkk_midnight(y, m, d), wday == 1, now, out, err);
		if (rc)
			return rc;
	}
	return K_OK;
}
