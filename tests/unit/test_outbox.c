/* The outbox: batches keep their id and body across retries, retry times are
 * respected, no new batch while one waits, leases, rejects and requeue,
 * verdicts per HTTP status, backoff bounds; and the worker thread never blocks
 * its caller: status during a stalled request, stop aborts it at once. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/outbox.h"
#include "dev/uploader.h"
#include "tap.h"

static struct kconfig cfg;
static char dir[64];

static long long count(struct kstore *st, const char *sql)
{
	return kstore_scalar(kstore_prep(st, sql, ""), -1);
}

static void add_ratings(struct kstore *st, int n, int64_t at)
{
	struct kerr err;
	kstore_begin(st, &err);
	for (int i = 0; i < n; i++) {
		struct rating r;
		memset(&r, 0, sizeof r);
		kstore_run(st, kstore_prep(st, "INSERT INTO tickets(day, prefix, seq, number, service,"
					       " state, issued_at, queued_at) VALUES('2026-11-24','A',"
					       "(SELECT COUNT(*)+1 FROM tickets),'A001','personal-cert',"
					       "'done',?,?)", "ll", at, at),
			   &err, "t");
		r.ticket_id = sqlite3_last_insert_rowid(st->db);
		rating_uuid(r.id, &err);
		strcpy(r.ticket, "A001");
		strcpy(r.service, "personal-cert");
		strcpy(r.day, "2026-11-24");
		strcpy(r.comment, "ความเห็น ไม่ต้องส่ง");
		r.at = at + i;
		r.score[0] = r.score[1] = r.score[2] = r.score[3] = 4;
		r.source = RATING_TYPED;
		rating_insert(st, &r, 1, &err);
	}
	kstore_commit(st, &err);
}

static void batches(void)
{
	struct kstore st;
	struct kerr err;
	struct outbox_batch b, b2;
	struct outbox_counts c;
	int64_t t = 1795000000;
	char id[RATING_ID_LEN + 1];
	int n;

	kstore_open(dir, &st, &err);
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t, 0, 60, &b, &err), K_EABSENT, "empty: nothing to claim");
	add_ratings(&st, 3, t - 100);
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t, 0, 60, &b, &err), K_OK, "claim a batch");
	IS_INT(b.n, 2, "of at most 2");
	OK(rating_uuid_valid(b.id), "its id is a UUID");
	json_error_t je;
	json_t *j = json_loadb(b.body, b.len, 0, &je);
	OK(j && json_object_size(j) == 4 && json_is_string(json_object_get(j, "office")) &&
	   json_array_size(json_object_get(j, "ratings")) == 2, "the body is the contract's batch");
	json_t *r0 = json_array_get(json_object_get(j, "ratings"), 0);
	OK(json_object_size(r0) == 5 && json_integer_value(json_object_get(json_object_get(r0, "scores"), "staff")) == 4,
	   "each rating: id, ticket, service, at, scores");
	OK(!strstr(b.body, "comment") && !strstr(b.body, "ความเห็น"), "comments are not uploaded");
	json_decref(j);
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t, 0, 60, &b2, &err), K_EABSENT,
	       "while that batch is out, no second one is formed");

	IS_INT(outbox_settle(&st, b.id, OUTBOX_RETRY, 503, "HTTP 503", t, t + 10, &err), K_OK, "settle: retry in 10 s");
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 5, 0, 60, &b2, &err), K_EABSENT, "not before its time");
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 10, 0, 60, &b2, &err), K_OK, "at its time");
	IS_STR(b2.id, b.id, "the same batch id (Idempotency-Key)");
	OK(b2.len == b.len && !memcmp(b2.body, b.body, b.len), "and a byte-identical body");
	IS_INT(b2.attempts, 1, "one attempt recorded");
	strcpy(id, b.id);
	outbox_batch_free(&b);
	outbox_batch_free(&b2);

	/* Leases: a claimed batch is not handed out again until its lease ends. */
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 11, 1, 60, &b, &err), K_OK,
	       "force: another uploader forms a new batch meanwhile");
	OK(strcmp(b.id, id) != 0, "not the leased one");
	outbox_batch_free(&b);
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 71, 0, 60, &b, &err), K_OK,
	       "a sender that died: its lease runs out");
	IS_STR(b.id, id, "and the batch goes again, same id");
	IS_INT(outbox_settle(&st, b.id, OUTBOX_SENT, 200, NULL, t + 72, 0, &err), K_OK, "settle: sent");
	outbox_batch_free(&b);
	outbox_counts(&st, &c, &err);
	IS_INT(c.sent, 2, "two sent");
	IS_INT(c.pending, 1, "one pending (in the other batch)");
	IS_INT(c.last_sent_at, t + 72, "last success time");

	/* Reject: set aside, notice, requeue. */
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 200, 1, 60, &b, &err), K_OK, "claim the other batch");
	IS_INT(outbox_settle(&st, b.id, OUTBOX_REJECT, 422, "HTTP 422 {\"error\":\"x\"}", t + 200, 0, &err),
	       K_OK, "settle: rejected");
	outbox_batch_free(&b);
	outbox_counts(&st, &c, &err);
	IS_INT(c.rejected, 1, "one set aside");
	IS_INT(c.pending, 0, "none pending");
	OK(strstr(c.last_error, "422") != NULL, "the server's reason is kept for staff: %s", c.last_error);
	IS_INT(count(&st, "SELECT COUNT(*) FROM notices WHERE level='error'"), 1, "a staff notice");
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 300, 1, 60, &b, &err), K_EABSENT, "rejected rows are not retried");
	IS_INT(outbox_requeue_rejected(&st, &n, &err), K_OK, "requeue");
	IS_INT(n, 1, "one rating back");
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 300, 0, 60, &b, &err), K_OK, "in a new batch");
	outbox_batch_free(&b);
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings"), 3, "no rating was ever deleted");

	/* Hold (401): no new notice for the same status twice. */
	IS_INT(outbox_claim(&st, "bangkhae", "kiosk-1", 2, t + 400, 1, 60, &b, &err), K_OK, "claim");
	outbox_settle(&st, b.id, OUTBOX_HOLD, 401, "HTTP 401", t + 400, t + 1000, &err);
	outbox_settle(&st, b.id, OUTBOX_HOLD, 401, "HTTP 401", t + 1000, t + 1600, &err);
	/* Not LIKE '%401%': the 422 notice names a random batch UUID, which holds "401" in
	 * about one run in 140 (seen as a rare failure under load, unrelated to load). */
	IS_INT(count(&st, "SELECT COUNT(*) FROM notices WHERE text_en LIKE '%(HTTP 401)%'"), 1,
	       "one token notice, not one per retry");
	outbox_batch_free(&b);
	kstore_close(&st);
}

static void verdicts(void)
{
	struct { long s; enum outbox_verdict v; } t[] = {
		{200, OUTBOX_SENT},   {201, OUTBOX_SENT},   {204, OUTBOX_SENT},   {0, OUTBOX_RETRY},
		{408, OUTBOX_RETRY},  {429, OUTBOX_RETRY},  {500, OUTBOX_RETRY},  {502, OUTBOX_RETRY},
		{503, OUTBOX_RETRY},  {504, OUTBOX_RETRY},  {400, OUTBOX_REJECT}, {404, OUTBOX_REJECT},
		{409, OUTBOX_REJECT}, {413, OUTBOX_REJECT}, {422, OUTBOX_REJECT}, {401, OUTBOX_HOLD},
		{403, OUTBOX_HOLD},   {301, OUTBOX_HOLD},   {302, OUTBOX_HOLD},   {100, OUTBOX_HOLD},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (outbox_classify(t[i].s) != t[i].v) {
			printf("# status %ld -> %d\n", t[i].s, outbox_classify(t[i].s));
			bad++;
		}
	IS_INT(bad, 0, "verdicts: 2xx sent; 408/429/5xx/no reply retry; 401/403/3xx hold; other 4xx set aside");

	int out = 0;
	for (int a = 1; a <= 40; a++)
		for (uint64_t r = 0; r < 2000; r += 97) {
			int64_t ms = outbox_backoff_ms(a, 2000, 600000, r * 0x9e3779b97f4a7c15ULL);
			int64_t hi = 2000LL << (a - 1 < 20 ? a - 1 : 20);
			if (hi > 600000)
				hi = 600000;
			out += ms < 2000 || ms > hi;
		}
	IS_INT(out, 0, "backoff stays within [base, min(cap, base*2^(n-1))] for 40 attempts");
	IS_INT(outbox_backoff_ms(1, 2000, 600000, 0), 2000, "first retry: 2 s at the least");
	IS_INT(outbox_backoff_ms(30, 2000, 600000, 598000), 600000, "capped at 10 min");
	IS_INT(outbox_backoff_ms(3, 2000, 600000, 6000), 8000, "third retry up to 8 s");
}

static void urls(void)
{
	static const struct { const char *u; int ok; } t[] = {
		{"https://ratings.bangkok.example/api/v1/ratings", 1}, {"https://10.0.0.5:8443/r", 1},
		{"http://127.0.0.1:8080/r", 1}, {"http://127.0.0.1/r", 1}, {"http://localhost:9/x?y", 1},
		{"http://[::1]:9/r", 1}, {"http://127.0.0.1", 1},
		{"http://example.com/r", 0}, {"http://127.0.0.1.example.com/r", 0},
		{"http://localhost@example.com/r", 0}, {"http://127.0.0.1:80a/r", 0},
		{"http://127.0.0.1:/r", 0}, {"http://[::2]/r", 0}, {"https://", 0}, {"https:///x", 0},
		{"https://a b/", 0}, {"HTTP://127.0.0.1/", 0}, {"ftp://127.0.0.1/", 0}, {"", 0},
		{"http://127.0.0.2/r", 0},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (kconfig_server_url_ok(t[i].u) != t[i].ok) {
			printf("# %s -> %d\n", t[i].u, !t[i].ok);
			bad++;
		}
	IS_INT(bad, 0, "server URL rule: https anywhere, http only to this machine (host parsed)");
	OK(!kconfig_server_url_ok("https://x/\r\nInjected: 1"), "no control characters in a URL");
}

static double now_s(void)
{
	return kclock_mono_ms() / 1e3;
}

/* Polls cond(arg) every 10 ms until it holds or `limit` seconds pass: a busy machine is
 * slower, never wrong. Returns the last value of cond. */
#define WAIT_LIMIT_S 30.0
static int wait_until(int (*cond)(void *), void *arg, double limit, double *took)
{
	double t0 = now_s();
	int ok;
	while (!(ok = cond(arg)) && now_s() - t0 < limit)
		usleep(10000); /* the poll interval, not a correctness wait */
	*took = now_s() - t0;
	return ok;
}

struct watch {
	struct upl_worker *w;
	double worst; /* longest upl_worker_status call, s */
	struct upl_status s;
};

static int in_flight(void *arg)
{
	struct watch *wa = arg;
	double t0 = now_s();
	upl_worker_status(wa->w, &wa->s);
	if (now_s() - t0 > wa->worst)
		wa->worst = now_s() - t0;
	return wa->s.in_flight;
}

static void make_token(void)
{
	char tok[128];
	snprintf(tok, sizeof tok, "%s/server.token", dir);
	FILE *f = fopen(tok, "w");
	fputs("t0ken\n", f);
	fclose(f);
	chmod(tok, 0600);
}

static int listen_any(struct sockaddr_in *a)
{
	socklen_t al = sizeof *a;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(ls, (struct sockaddr *)a, sizeof *a);
	listen(ls, 8);
	getsockname(ls, (struct sockaddr *)a, &al);
	return ls;
}

static void worker(void)
{
	/* A server that accepts connections (the kernel's backlog) and never answers. */
	struct sockaddr_in a;
	int ls = listen_any(&a);
	char url[64];
	struct kstore st;
	struct kerr err;
	struct watch wa = {0};
	double took;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/r", ntohs(a.sin_port));
	make_token();
	kstore_open(dir, &st, &err);
	add_ratings(&st, 2, kclock_now());
	long long pending = count(&st, "SELECT COUNT(*) FROM outbox WHERE state='pending'");
	kstore_close(&st);

	struct upl_opts o = {.url = url, .timeout_ms = 60000};
	IS_INT(upl_worker_start(&wa.w, &cfg, dir, &o, &err), K_OK, "worker starts");
	upl_worker_kick(wa.w);
	int flying = wait_until(in_flight, &wa, WAIT_LIMIT_S, &took);
	OK(flying, "a request to the silent server is under way (after %.0f ms)", took * 1000);
	/* Bounds at half the 60 s request: they tell "waits for the request" from "does not"
	 * on any machine; the figures themselves are only printed. */
	OK(wa.worst < 30, "status never waits for the 60 s request (worst %.1f ms)", wa.worst * 1000);
	OK(wa.s.running, "running");
	double t0 = now_s();
	upl_worker_stop(wa.w);
	took = now_s() - t0;
	OK(took < 30, "stop aborts the 60 s request (%.0f ms)", took * 1000);
	close(ls);
	kstore_open(dir, &st, &err);
	IS_INT(count(&st, "SELECT COUNT(*) FROM outbox WHERE state='pending'"), pending, "the ratings are still pending");
	kstore_close(&st);
}

/* A server that answers 503 to its first request and 200 after: counts requests. */
struct flaky {
	int ls;
	atomic_int requests;
	atomic_int stop;
};

static void *flaky_main(void *arg)
{
	struct flaky *f = arg;
	while (!atomic_load(&f->stop)) {
		int c = accept(f->ls, NULL, NULL);
		if (c < 0)
			break;
		char buf[8192];
		size_t got = 0;
		/* Read the headers and the body (Content-Length) before answering. */
		for (;;) {
			ssize_t r = recv(c, buf + got, sizeof buf - 1 - got, 0);
			if (r <= 0)
				break;
			got += (size_t)r;
			buf[got] = 0;
			char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "content-length:");
			if (end && (!cl || got >= (size_t)(end + 4 - buf) + strtoul(cl + 15, NULL, 10)))
				break;
			if (got >= sizeof buf - 1)
				break;
		}
		int n = atomic_fetch_add(&f->requests, 1) + 1;
		const char *reply = n == 1 ? "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
					   : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
		send(c, reply, strlen(reply), MSG_NOSIGNAL);
		close(c);
	}
	return NULL;
}

struct sent_check {
	struct upl_worker *w;
	struct flaky *f;
};

static int all_sent(void *arg)
{
	struct sent_check *sc = arg;
	struct upl_status s;
	upl_worker_status(sc->w, &s);
	return atomic_load(&sc->f->requests) >= 2 && s.pending == 0;
}

/* The retry time is stored as wall time, but the worker times the backoff on the
 * monotonic clock: with the wall clock standing still (KIOSK_NOW frozen here; a clock
 * set back is the same case) the retry still comes after the backoff, not never. */
static void worker_frozen_clock(void)
{
	struct flaky f = {0};
	struct sockaddr_in a;
	char url[64];
	struct kstore st;
	struct kerr err;
	struct upl_worker *w;
	pthread_t th;
	double took;

	char top[sizeof dir];
	snprintf(top, sizeof top, "%s", dir);
	snprintf(dir, sizeof dir, "%.50s/w2", top); /* a fresh data folder inside the first */
	f.ls = listen_any(&a);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/r", ntohs(a.sin_port));
	pthread_create(&th, NULL, flaky_main, &f);
	kstore_open(dir, &st, &err); /* creates the folder */
	make_token();
	add_ratings(&st, 3, kclock_now());
	kstore_close(&st);

	struct upl_opts o = {.url = url, .timeout_ms = 30000, .base_ms = 200, .cap_ms = 400};
	IS_INT(upl_worker_start(&w, &cfg, dir, &o, &err), K_OK, "worker starts (KIOSK_NOW frozen)");
	upl_worker_kick(w);
	struct sent_check sc = {w, &f};
	int ok = wait_until(all_sent, &sc, WAIT_LIMIT_S, &took);
	OK(ok, "503, then the retry after the backoff sends the batch though the wall clock stands"
	       " still (%d requests, %.0f ms)", atomic_load(&f.requests), took * 1000);
	upl_worker_stop(w);
	atomic_store(&f.stop, 1);
	shutdown(f.ls, SHUT_RDWR);
	close(f.ls);
	pthread_join(th, NULL);
	kstore_open(dir, &st, &err);
	IS_INT(count(&st, "SELECT COUNT(*) FROM outbox WHERE state='pending'"), 0, "nothing left pending");
	kstore_close(&st);
	snprintf(dir, sizeof dir, "%s", top);
}

int main(void)
{
	struct kdiag d = {0};
	char cmd[128];
	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	setenv("KIOSK_NOW", "2026-11-24T10:00:00+07:00", 1);
	snprintf(dir, sizeof dir, "/tmp/kiosk-to.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	verdicts();
	urls();
	batches();
	worker();
	worker_frozen_clock();
	if (system(cmd))
		return 2;
	return tap_done();
}
