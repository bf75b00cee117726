/* The queue snapshot of the ticket page relay (core/qsnap.c): what the kiosk builds from
 * its real queue (a real SQLite file), that the collector's check accepts it and reads
 * back the same tickets, that only SHA-256 of each QR signature travels and it opens
 * exactly that ticket, and every kind of bad body gets a 400 (413 for size) with a
 * reason precise enough for the operator's log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/qsnap.h"
#include "core/store.h"
#include "tap.h"

static struct kconfig cfg;

static int status_of(const char *body, char why[QSNAP_WHY_MAX])
{
	struct qsnap s;
	int st = qsnap_parse(body, strlen(body), &s, why);
	qsnap_free(&s);
	return st;
}

/* The built snapshot with one change made by a Python-free edit: replace the first
 * occurrence of from by to. */
static char *edit(const char *body, const char *from, const char *to)
{
	const char *p = strstr(body, from);
	if (!p)
		return NULL;
	size_t a = (size_t)(p - body), fl = strlen(from), tl = strlen(to), n = strlen(body);
	char *o = malloc(n - fl + tl + 1);
	memcpy(o, body, a);
	memcpy(o + a, to, tl);
	memcpy(o + a + tl, p + fl, n - a - fl + 1);
	return o;
}

int main(void)
{
	struct kdiag d = {0};
	struct kerr err = {0};
	struct kstore st;
	struct kqueue q;
	struct kissued t;
	struct kticket called;
	struct qrp qr;
	uint8_t key[SECRET_KEY_LEN];
	char tmpl[] = "https://queue.example/t?o={office}&d={date}&n={number}&s={sig}";
	char dir[256], why[QSNAP_WHY_MAX];

	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/kiosk-snap.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 2;
	setenv("KIOSK_NOW", "2026-11-24T09:00:00+07:00", 1);
	if (kstore_open(dir, &st, &err) || secret_load_or_create(dir, key, &err) ||
	    qrp_init(&qr, tmpl, key, &err)) {
		printf("not ok 1 - store and key: %s\n", err.msg);
		return 1;
	}
	q.st = &st;
	q.cfg = &cfg;
	const char *svc = cfg.catalog.svc[0].id;
	for (int i = 0; i < 3; i++)
		kqueue_issue(&q, svc, 0, &t, &err);
	kqueue_issue(&q, svc, 1, &t, &err); /* a priority ticket: its flag must not travel */
	OK(kqueue_call(&q, 2, svc, &called, &err) == K_OK, "a counter calls %s", called.number);

	json_t *j = NULL;
	int64_t ev = 0;
	IS_INT(qsnap_build(&q, &qr, &j, &ev, &err), K_OK,
	       "the kiosk builds a snapshot of its queue");
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	OK(body && strlen(body) < 4096, "4 tickets make a small body (%zu bytes)",
	   body ? strlen(body) : 0);
	OK(ev > 0 && ev == kqueue_last_event(&q), "it says which event it reflects (%lld)",
	   (long long)ev);
	OK(!strstr(body, "priority"),
	   "no ticket's priority flag (it would say elderly, disabled or pregnant)");

	struct qsnap s;
	IS_INT(qsnap_parse(body, strlen(body), &s, why), 0, "the collector's check accepts it (%s)",
	       why);
	IS_INT(s.n, 4, "4 tickets in it");
	IS_STR(s.office, cfg.office_code, "the office");
	IS_STR(s.day, "2026-11-24", "the office's day");
	IS_STR(s.office_th, cfg.office_name_th, "the office's Thai name, for the page's top bar");
	IS_INT(s.n_svc, (int)cfg.catalog.n, "every service with its names");
	const struct qsnap_ticket *a1 = qsnap_find(&s, called.number);
	OK(a1 && !strcmp(a1->state, "called") && a1->counter == 2, "%s: called to counter 2",
	   called.number);
	const struct qsnap_ticket *a3 = qsnap_find(&s, "A003");
	OK(a3 && !strcmp(a3->state, "waiting") && a3->ahead >= 1,
	   "A003: waiting, with people ahead (%d)", a3 ? a3->ahead : -1);
	OK(s.t[0].state[0] != 'd', "live tickets come first");

	char sig[QRP_SIG_LEN + 1];
	qrp_sign(&qr, cfg.office_code, "2026-11-24", "A003", sig);
	OK(a3 && qsnap_sig_ok(a3, sig), "A003's own QR signature opens it");
	OK(!strstr(body, sig), "the signature itself is not in the snapshot, only its SHA-256");
	char bad[QRP_SIG_LEN + 1];
	memcpy(bad, sig, sizeof bad);
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	OK(a3 && !qsnap_sig_ok(a3, bad), "one character changed: refused");
	OK(a3 && !qsnap_sig_ok(a3, ""), "an empty signature: refused");
	qrp_sign(&qr, cfg.office_code, "2026-11-24", "A002", sig);
	OK(a3 && !qsnap_sig_ok(a3, sig), "another ticket's genuine signature: refused");
	struct kticket_view v;
	qsnap_view(&s, a3, &v);
	OK(!strcmp(v.t.number, "A003") && v.ahead == a3->ahead && v.wait_lo == a3->wait_lo,
	   "the view the page renders carries the snapshot's figures");
	qsnap_free(&s);

	/* Bad bodies: each refused with its reason, nothing kept. */
	static const struct {
		const char *from, *to, *reason;
	} cases[] = {
	    {"{\"v\":1", "{\"v\":2", "snapshot.v"},
	    {"\"state\":\"waiting\"", "\"state\":\"lost\"", "is not a ticket state"},
	    {"\"state\":\"waiting\"", "\"state\":7", "state: must be a string"},
	    {"\"counter\":2", "\"counter\":\"2\"", "counter: must be a whole number"},
	    {"\"counter\":2", "\"counter\":0", "a called ticket needs its counter"},
	    {"\"counter\":2", "\"counter\":99", "counter: must be a whole number from 0 to 32"},
	    {"\"number\":\"A003\"", "\"number\":\"A0<3\"", "is not a ticket number"},
	    {"\"number\":\"A003\"", "\"number\":\"A001\"", "A001 twice"},
	    {"\"day\":\"2026-11-24\"", "\"day\":\"2026-13-45\"", "snapshot.day"},
	    {"\"day\":\"2026-11-24\"", "\"day\":\"2026-11-24\",\"name\":\"x\"",
	     "unknown key \"name\""},
	    {"\"event\":", "\"events\":", "missing \"event\""},
	    {"\"sig_sha256\":\"", "\"sig_sha256\":\"Z", "sig_sha256"},
	    {"\"tickets\":[", "\"tickets\":{}, \"x\":[", "unknown key"},
	    {"\"office\":\"", "\"office\":\"a b", "office and kiosk must be ids"},
	    {"\"wait_lo\":-1", "\"wait_lo\":5", "must be a range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *b = edit(body, cases[i].from, cases[i].to);
		if (!b) {
			OK(0, "case %zu: %s not in the body", i, cases[i].from);
			continue;
		}
		int stt = status_of(b, why);
		OK(stt == 400 && strstr(why, cases[i].reason), "%s -> 400 \"%s\"", cases[i].to,
		   why);
		free(b);
	}
	IS_INT(status_of("", why), 400, "an empty body: 400 (%s)", why);
	IS_INT(status_of("{\"v\":1,", why), 400, "cut JSON: 400 (%s)", why);
	IS_INT(status_of("[1,2]", why), 400, "a list: 400 (%s)", why);
	IS_INT(status_of("{\"v\":1,\"v\":1}", why), 400, "a duplicate key: 400 (%s)", why);
	char *huge = malloc(QSNAP_BODY_MAX + 2);
	memset(huge, ' ', QSNAP_BODY_MAX + 1);
	huge[QSNAP_BODY_MAX + 1] = 0;
	IS_INT(status_of(huge, why), 413, "over %d bytes: 413", QSNAP_BODY_MAX);
	free(huge);

	/* The cap: a day of more tickets than a snapshot holds keeps the live ones. */
	sqlite3_exec(st.db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	int64_t t0 = kclock_mono_ms();
	for (int i = 0; i < 60; i++)
		kqueue_issue(&q, cfg.catalog.svc[1 + i % 3].id, 0, &t, &err);
	IS_INT(qsnap_build(&q, &qr, &j, &ev, &err), K_OK, "64 tickets: built");
	printf("# figure: snapshot of 64 tickets built in %lld ms\n",
	       (long long)(kclock_mono_ms() - t0));
	free(body);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	IS_INT(qsnap_parse(body, strlen(body), &s, why), 0, "and accepted (%zu bytes)",
	       strlen(body));
	IS_INT(s.n, 64, "with all 64");
	qsnap_free(&s);
	free(body);

	/* The cap, on a day busier than any real one: 2,100 tickets, a third of them waiting. */
	for (int i = 0; i < 2036; i++) {
		kqueue_issue(&q, cfg.catalog.svc[i % 4].id, 0, &t, &err);
		if (i % 3 && !kqueue_call(&q, 1 + i % 4, NULL, &called, &err))
			kqueue_op(&q, KQ_FINISH, 1 + i % 4, NULL, &called, &err);
	}
	t0 = kclock_mono_ms();
	IS_INT(qsnap_build(&q, &qr, &j, &ev, &err), K_OK, "2,100 tickets: built");
	printf("# figure: snapshot of 2,100 tickets (capped at %d) built in %lld ms\n",
	       QSNAP_TICKETS_MAX, (long long)(kclock_mono_ms() - t0));
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	IS_INT(qsnap_parse(body, strlen(body), &s, why), 0, "accepted (%zu bytes, under %d)",
	       strlen(body), QSNAP_BODY_MAX);
	IS_INT(s.n, QSNAP_TICKETS_MAX, "capped at %d tickets", QSNAP_TICKETS_MAX);
	int live = 0;
	for (int i = 0; i < s.n; i++)
		live += !strcmp(s.t[i].state, "waiting") || !strcmp(s.t[i].state, "called");
	long long want = kstore_scalar(
	    kstore_prep(&st, "SELECT COUNT(*) FROM tickets WHERE state IN ('waiting','called')",
			""),
	    0);
	IS_INT(live, (int)want, "every live ticket is in it (the finished ones make way)");
	qsnap_free(&s);
	free(body);

	qrp_wipe(&qr);
	kstore_close(&st);
	kconfig_free(&cfg);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		return 2;
	return tap_done();
}
