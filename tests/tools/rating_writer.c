/* Writes ratings the way the kiosk does, for the crash test and the bench.
 *
 *   rating_writer DATA N [--log FILE] [--upload URL] [--pause-ms M] [--bulk]
 *
 * Default: N times (0 = until killed) issue a ticket, call it, finish it and
 * rate it through rating_save(); after each commit the rating id is appended
 * to --log (so a killed writer leaves the list of ratings that must survive).
 * --pause-ms waits between ratings (a kiosk rates at human pace; without a
 * pause the writer holds the database lock nearly all the time).
 * --upload runs the kiosk's upload worker thread against URL meanwhile,
 * kicked after every rating. --bulk writes N served tickets and their ratings
 * in one transaction (bench set-up: 10,000 queued ratings in a second).
 * Config: $KIOSK_CONFIG or config/. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/outbox.h"
#include "core/rating.h"
#include "dev/uploader.h"

static const char *services[] = {"personal-cert", "marital-status", "signature-cert"};

static int bulk(struct kstore *st, int n)
{
	struct kerr err;
	int64_t now = kclock_now();
	char day[KCLOCK_DATE_MAX];
	kclock_bkk_date(now, day);
	if (kstore_begin(st, &err))
		return 1;
	int64_t base = kstore_scalar(kstore_prep(st, "SELECT IFNULL(MAX(cycle),0)+1 FROM tickets", ""), 1);
	for (int i = 0; i < n; i++) {
		struct rating r;
		memset(&r, 0, sizeof r);
		int seq = i % 999 + 1;
		snprintf(r.ticket, sizeof r.ticket, "A%03d", seq);
		if (kstore_run(st, kstore_prep(st, "INSERT INTO tickets(day, prefix, seq, cycle, number,"
						   " service, state, issued_at, queued_at, called_at,"
						   " done_at, counter, calls) VALUES(?,?,?,?,?,?,'done',"
						   "?,?,?,?,1,1)",
					       "ssllssllll", day, "A", (int64_t)seq, base + i / 999,
					       r.ticket, "personal-cert", now - 600, now - 600,
					       now - 300, now - 60),
			       &err, "ticket"))
			goto fail;
		r.ticket_id = sqlite3_last_insert_rowid(st->db);
		rating_uuid(r.id, &err);
		snprintf(r.service, sizeof r.service, "personal-cert");
		snprintf(r.day, sizeof r.day, "%s", day);
		r.at = now;
		for (int d = 0; d < RATING_DIMS; d++)
			r.score[d] = 1 + (i * 7 + d) % 5;
		r.source = RATING_TYPED;
		if (rating_insert(st, &r, 1, &err))
			goto fail;
	}
	return kstore_commit(st, &err) ? 1 : 0;
fail:
	fprintf(stderr, "rating_writer: %s\n", err.msg);
	kstore_rollback(st);
	return 1;
}

int main(int argc, char **argv)
{
	struct kconfig cfg;
	struct kdiag d = {0};
	struct kstore st;
	struct kqueue q;
	struct kerr err;
	struct upl_worker *w = NULL;
	const char *logpath = NULL, *url = NULL, *cdir = getenv("KIOSK_CONFIG");
	int do_bulk = 0, logfd = -1, pause_ms = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: rating_writer DATA N [--log FILE] [--upload URL] [--bulk]\n");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--log") && i + 1 < argc)
			logpath = argv[++i];
		else if (!strcmp(argv[i], "--upload") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--pause-ms") && i + 1 < argc)
			pause_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bulk"))
			do_bulk = 1;
		else
			return 2;
	}
	int n = atoi(argv[2]);
	if (kconfig_load(cdir && *cdir ? cdir : "config", &cfg, &d)) {
		for (int i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.line[i]);
		return 2;
	}
	if (kstore_open(argv[1], &st, &err)) {
		fprintf(stderr, "rating_writer: %s\n", err.msg);
		return 1;
	}
	if (do_bulk)
		return bulk(&st, n);
	q.st = &st;
	q.cfg = &cfg;
	if (logpath && (logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
		return 1;
	if (url) {
		struct upl_opts o = {.url = url, .timeout_ms = 5000, .base_ms = 100, .cap_ms = 1000};
		if (upl_worker_start(&w, &cfg, argv[1], &o, &err)) {
			fprintf(stderr, "rating_writer: %s\n", err.msg);
			return 1;
		}
	}
	for (int i = 0; n == 0 || i < n; i++) {
		struct kissued is;
		struct kticket t;
		struct rating r;
		struct kerr ignore;
		/* A killed earlier run may have left a ticket at the counter. */
		kqueue_op(&q, KQ_FINISH, 1 + i % cfg.counters, NULL, &t, &ignore);
		if (kqueue_issue(&q, services[i % 3], i % 5 == 0, &is, &err) ||
		    kqueue_call(&q, 1 + i % cfg.counters, NULL, &t, &err) ||
		    kqueue_op(&q, KQ_FINISH, 1 + i % cfg.counters, NULL, &t, &err)) {
			fprintf(stderr, "rating_writer: %s\n", err.msg);
			return 1;
		}
		memset(&r, 0, sizeof r);
		snprintf(r.ticket, sizeof r.ticket, "%s", t.number);
		for (int k = 0; k < RATING_DIMS; k++)
			r.score[k] = 1 + (i + k) % 5;
		r.source = RATING_TYPED;
		if (rating_save(&q, &r, &err)) {
			fprintf(stderr, "rating_writer: %s\n", err.msg);
			return 1;
		}
		/* Logged only after the commit returned: these must survive anything. */
		if (logfd >= 0) {
			char line[RATING_ID_LEN + 2];
			snprintf(line, sizeof line, "%s\n", r.id);
			if (write(logfd, line, strlen(line)) < 0)
				return 1;
		}
		if (w)
			upl_worker_kick(w);
		if (pause_ms)
			usleep((useconds_t)pause_ms * 1000);
	}
	if (w)
		upl_worker_stop(w);
	kstore_close(&st);
	return 0;
}
