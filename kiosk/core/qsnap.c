/**
 * @file qsnap.c
 * @brief The queue snapshot for the district relay (see qsnap.h).
 */
#include "core/qsnap.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/store.h"

/* ---- building (the kiosk) ------------------------------------------------------------- */

static json_t *name_pair(const char *th, const char *en)
{
	return json_pack("{s:s, s:s}", "th", th ? th : "", "en", en ? en : "");
}

/* One ticket of the snapshot: its public figures and the hash of its QR signature. */
struct build_ctx {
	const struct qrp *qr;
	const struct kconfig *cfg;
	const char *day;
	json_t *tickets;
};

static void add_ticket(void *ctx, const struct kticket_view *v)
{
	struct build_ctx *b = ctx;
	char sig[QRP_SIG_LEN + 1], sha[SECRET_SHA256_HEX];

	if (!b->tickets)
		return;
	qrp_sign(b->qr, b->cfg->office_code, b->day, v->t.number, sig);
	secret_sha256_hex(sig, strlen(sig), sha);
	secret_wipe(sig, sizeof sig);
	if (json_array_append_new(
		b->tickets, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:s}", "number",
				      v->t.number, "service", v->t.service, "state", v->t.state,
				      "counter", v->counter, "ahead", v->ahead, "wait_lo",
				      v->wait_lo, "wait_hi", v->wait_hi, "sig_sha256", sha))) {
		json_decref(b->tickets); /* out of memory: say so, never a partial snapshot */
		b->tickets = NULL;
	}
}

kst qsnap_build(struct kqueue *q, const struct qrp *qr, json_t **out, int64_t *event,
		struct kerr *err)
{
	const struct kconfig *cfg = q->cfg;
	char day[KCLOCK_DATE_MAX], iso[KCLOCK_ISO_MAX];
	struct kqueue_viewer *vw = NULL;
	kst rc;
	int64_t now = kclock_now();

	*out = NULL;
	kclock_bkk_date(now, day);
	kclock_iso(now, iso);
	/* One read transaction: the event id and every ticket agree. A change after it
	 * moves MAX(events.id) past *event, so the caller pushes again; nothing is ever
	 * missed, at worst pushed twice. */
	if ((rc = kqueue_viewer_open(q, day, &vw, err)))
		return rc;
	*event = kqueue_last_event(q);
	json_t *svcs = json_array();
	struct build_ctx b = {qr, cfg, day, json_array()};
	for (size_t i = 0; svcs && i < cfg->catalog.n; i++) {
		const struct kservice *sv = &cfg->catalog.svc[i];
		json_array_append_new(svcs, json_pack("{s:s, s:o}", "id", sv->id, "name",
						      name_pair(sv->name.th, sv->name.en)));
	}
	rc = kqueue_viewer_each(vw, QSNAP_TICKETS_MAX, add_ticket, &b, err);
	kqueue_viewer_close(vw);
	json_t *o = NULL;
	if (!rc && svcs && b.tickets)
		o = json_pack("{s:i, s:s, s:s, s:o, s:s, s:s, s:I, s:O, s:O}", "v", QSNAP_VERSION,
			      "office", cfg->office_code, "kiosk", cfg->kiosk_id, "office_name",
			      name_pair(cfg->office_name_th, cfg->office_name_en), "day", day,
			      "generated_at", iso, "event", (json_int_t)*event, "services", svcs,
			      "tickets", b.tickets);
	json_decref(svcs);
	json_decref(b.tickets);
	if (!rc && !o)
		rc = kerr_set(err, K_EFAIL, "out of memory building the queue snapshot");
	*out = o;
	return rc;
}

/* ---- checking (the collector) ---------------------------------------------------------- */

/* Exactly the keys in want[]: a missing key and an unknown one are both refused, so
 * a kiosk and a collector that disagree on the shape say so at once. */
static int keys_exact(json_t *o, const char *const *want, size_t n, const char *where,
		      char why[QSNAP_WHY_MAX])
{
	const char *k;
	json_t *v;
	if (!json_is_object(o)) {
		snprintf(why, QSNAP_WHY_MAX, "%s: must be an object", where);
		return 400;
	}
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(o, want[i])) {
			snprintf(why, QSNAP_WHY_MAX, "%s: missing \"%s\"", where, want[i]);
			return 400;
		}
	json_object_foreach(o, k, v)
	{
		size_t i = 0;
		while (i < n && strcmp(k, want[i]))
			i++;
		if (i == n) {
			snprintf(why, QSNAP_WHY_MAX, "%s: unknown key \"%.40s\"", where, k);
			return 400;
		}
	}
	return 0;
}

/* A string member of at most max bytes, no control characters (it reaches HTML,
 * escaped, and the operator's log). */
static int str_member(json_t *o, const char *key, char *out, size_t max, const char *where,
		      char why[QSNAP_WHY_MAX])
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	if (!json_is_string(v) || json_string_length(v) > max ||
	    strlen(s) != json_string_length(v)) {
		snprintf(why, QSNAP_WHY_MAX, "%s.%s: must be a string of at most %zu bytes", where,
			 key, max);
		return 400;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(why, QSNAP_WHY_MAX, "%s.%s: control character", where, key);
			return 400;
		}
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int int_member(json_t *o, const char *key, long long lo, long long hi, long long *out,
		      const char *where, char why[QSNAP_WHY_MAX])
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(why, QSNAP_WHY_MAX, "%s.%s: must be a whole number from %lld to %lld",
			 where, key, lo, hi);
		return 400;
	}
	*out = json_integer_value(v);
	return 0;
}

static int names(json_t *o, const char *where, char *th, char *en, char why[QSNAP_WHY_MAX])
{
	static const char *const k[] = {"th", "en"};
	char w[64];
	snprintf(w, sizeof w, "%s.name", where);
	int st = keys_exact(o, k, 2, w, why);
	if (!st)
		st = str_member(o, "th", th, QSNAP_NAME_MAX, w, why);
	if (!st)
		st = str_member(o, "en", en, QSNAP_NAME_MAX, w, why);
	return st;
}

static int service_id_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int hex64_ok(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == SECRET_SHA256_HEX - 1;
}

static int state_ok(const char *s)
{
	static const char *const st[] = {"waiting", "called",  "serving",
					 "done",    "no_show", "cancelled"};
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
		if (!strcmp(s, st[i]))
			return 1;
	return 0;
}

static int ticket_parse(json_t *o, int i, const struct qsnap *s, struct qsnap_ticket *t,
			char why[QSNAP_WHY_MAX])
{
	static const char *const keys[] = {"number", "service", "state",   "counter",
					   "ahead",  "wait_lo", "wait_hi", "sig_sha256"};
	char w[32];
	long long v;
	int st;

	snprintf(w, sizeof w, "tickets[%d]", i);
	if ((st = keys_exact(o, keys, sizeof keys / sizeof keys[0], w, why)) ||
	    (st = str_member(o, "number", t->number, QRP_NUMBER_MAX, w, why)) ||
	    (st = str_member(o, "service", t->service, KCAT_ID_MAX, w, why)) ||
	    (st = str_member(o, "state", t->state, KSTATE_MAX - 1, w, why)) ||
	    (st = str_member(o, "sig_sha256", t->sig_sha256, SECRET_SHA256_HEX - 1, w, why)))
		return st;
	if (!qrp_valid_number(t->number)) {
		snprintf(why, QSNAP_WHY_MAX, "%s.number: \"%s\" is not a ticket number (A023)", w,
			 t->number);
		return 400;
	}
	int known = 0;
	for (int k = 0; k < s->n_svc && !known; k++)
		known = !strcmp(s->svc[k].id, t->service);
	if (!known) {
		snprintf(why, QSNAP_WHY_MAX, "%s.service: \"%s\" is not in \"services\"", w,
			 t->service);
		return 400;
	}
	if (!state_ok(t->state)) {
		snprintf(why, QSNAP_WHY_MAX, "%s.state: \"%s\" is not a ticket state", w, t->state);
		return 400;
	}
	if (!hex64_ok(t->sig_sha256)) {
		snprintf(why, QSNAP_WHY_MAX, "%s.sig_sha256: must be 64 lower-case hex digits", w);
		return 400;
	}
	if ((st = int_member(o, "counter", 0, QSNAP_COUNTER_MAX, &v, w, why)))
		return st;
	t->counter = (int)v;
	int at_counter = !strcmp(t->state, "called") || !strcmp(t->state, "serving");
	if (at_counter != (t->counter > 0)) {
		snprintf(why, QSNAP_WHY_MAX, "%s.counter: %s", w,
			 at_counter ? "a called ticket needs its counter (1..32)"
				    : "only a called or serving ticket has a counter");
		return 400;
	}
	if ((st = int_member(o, "ahead", 0, QSNAP_TICKETS_MAX * 13, &v, w, why)))
		return st;
	t->ahead = (int)v;
	if ((st = int_member(o, "wait_lo", -1, QSNAP_WAIT_MAX, &v, w, why)))
		return st;
	t->wait_lo = (int)v;
	if ((st = int_member(o, "wait_hi", -1, QSNAP_WAIT_MAX, &v, w, why)))
		return st;
	t->wait_hi = (int)v;
	if ((t->wait_lo < 0) != (t->wait_hi < 0) || t->wait_hi < t->wait_lo) {
		snprintf(why, QSNAP_WHY_MAX, "%s: wait_lo..wait_hi must be a range (or -1, -1)", w);
		return 400;
	}
	return 0;
}

int qsnap_parse(const char *body, size_t len, struct qsnap *s, char why[QSNAP_WHY_MAX])
{
	static const char *const keys[] = {"v",		  "office",   "kiosk",
					   "office_name", "day",      "generated_at",
					   "event",	  "services", "tickets"};
	static const char *const skeys[] = {"id", "name"};
	json_error_t je;
	char buf[KCLOCK_ISO_MAX + 8];
	long long v;
	int st, y, m, d;

	memset(s, 0, sizeof *s);
	why[0] = 0;
	if (len > QSNAP_BODY_MAX) {
		snprintf(why, QSNAP_WHY_MAX, "snapshot over %d bytes", QSNAP_BODY_MAX);
		return 413;
	}
	/* Duplicate keys refused: two "state"s would leave the reader guessing. */
	json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		snprintf(why, QSNAP_WHY_MAX, "not JSON: %.80s (line %d)", je.text, je.line);
		return 400;
	}
	if ((st = keys_exact(o, keys, sizeof keys / sizeof keys[0], "snapshot", why)))
		goto fail;
	if ((st = int_member(o, "v", QSNAP_VERSION, QSNAP_VERSION, &v, "snapshot", why)) ||
	    (st = str_member(o, "office", s->office, QRP_ID_MAX, "snapshot", why)) ||
	    (st = str_member(o, "kiosk", s->kiosk, QRP_ID_MAX, "snapshot", why)) ||
	    (st = names(json_object_get(o, "office_name"), "snapshot.office", s->office_th,
			s->office_en, why)) ||
	    (st = str_member(o, "day", s->day, KCLOCK_DATE_MAX - 1, "snapshot", why)) ||
	    (st = str_member(o, "generated_at", buf, KCLOCK_ISO_MAX - 1, "snapshot", why)) ||
	    (st = int_member(o, "event", 0, INT64_MAX / 2, &v, "snapshot", why)))
		goto fail;
	s->event = v;
	st = 400;
	if (!qrp_valid_id(s->office) || !qrp_valid_id(s->kiosk)) {
		snprintf(why, QSNAP_WHY_MAX,
			 "snapshot: office and kiosk must be ids ([A-Za-z0-9_-])");
		goto fail;
	}
	if (strlen(s->day) != QRP_DATE_LEN || kclock_parse_date(s->day, &y, &m, &d)) {
		snprintf(why, QSNAP_WHY_MAX, "snapshot.day: must be a date YYYY-MM-DD");
		goto fail;
	}
	if (kclock_parse_iso(buf, &s->generated_at)) {
		snprintf(why, QSNAP_WHY_MAX,
			 "snapshot.generated_at: must be a time like "
			 "2026-11-24T10:00:00+07:00");
		goto fail;
	}
	json_t *svcs = json_object_get(o, "services"), *tk = json_object_get(o, "tickets");
	if (!json_is_array(svcs) || json_array_size(svcs) > KCAT_SERVICES_MAX) {
		snprintf(why, QSNAP_WHY_MAX, "snapshot.services: must be a list of at most %d",
			 KCAT_SERVICES_MAX);
		goto fail;
	}
	for (size_t i = 0; i < json_array_size(svcs); i++) {
		struct qsnap_service *sv = &s->svc[i];
		json_t *e = json_array_get(svcs, i);
		char w[32];
		snprintf(w, sizeof w, "services[%zu]", i);
		if ((st = keys_exact(e, skeys, 2, w, why)) ||
		    (st = str_member(e, "id", sv->id, KCAT_ID_MAX, w, why)) ||
		    (st = names(json_object_get(e, "name"), w, sv->name_th, sv->name_en, why)))
			goto fail;
		st = 400;
		if (!service_id_ok(sv->id)) {
			snprintf(why, QSNAP_WHY_MAX, "%s.id: must be [a-z0-9-]", w);
			goto fail;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(s->svc[k].id, sv->id)) {
				snprintf(why, QSNAP_WHY_MAX, "%s.id: \"%s\" twice", w, sv->id);
				goto fail;
			}
		s->n_svc = (int)i + 1;
	}
	if (!json_is_array(tk) || json_array_size(tk) > QSNAP_TICKETS_MAX) {
		snprintf(why, QSNAP_WHY_MAX, "snapshot.tickets: must be a list of at most %d",
			 QSNAP_TICKETS_MAX);
		goto fail;
	}
	size_t nt = json_array_size(tk);
	if (nt && !(s->t = calloc(nt, sizeof *s->t))) {
		snprintf(why, QSNAP_WHY_MAX, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nt; i++) {
		if ((st = ticket_parse(json_array_get(tk, i), (int)i, s, &s->t[i], why)))
			goto fail;
		/* Numbers are few (a day holds at most 26 x 999) and the check is once per
		 * snapshot; a sorted copy would cost more code than this loop costs time. */
		for (size_t k = 0; k < i; k++)
			if (!strcmp(s->t[k].number, s->t[i].number)) {
				snprintf(why, QSNAP_WHY_MAX, "tickets[%zu].number: %s twice", i,
					 s->t[i].number);
				st = 400;
				goto fail;
			}
		s->n = (int)i + 1;
	}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	qsnap_free(s);
	return st;
}

void qsnap_free(struct qsnap *s)
{
	free(s->t);
	s->t = NULL;
	s->n = 0;
}

const struct qsnap_ticket *qsnap_find(const struct qsnap *s, const char *number)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].number, number))
			return &s->t[i];
	return NULL;
}

int qsnap_sig_ok(const struct qsnap_ticket *t, const char *sig)
{
	char sha[SECRET_SHA256_HEX];
	size_t n = strlen(sig);
	if (n != QRP_SIG_LEN)
		return 0;
	secret_sha256_hex(sig, n, sha);
	return secret_equal(sha, t->sig_sha256, SECRET_SHA256_HEX - 1);
}

void qsnap_view(const struct qsnap *s, const struct qsnap_ticket *t, struct kticket_view *v)
{
	memset(v, 0, sizeof *v);
	snprintf(v->t.day, sizeof v->t.day, "%s", s->day);
	snprintf(v->t.number, sizeof v->t.number, "%s", t->number);
	snprintf(v->t.service, sizeof v->t.service, "%s", t->service);
	snprintf(v->t.state, sizeof v->t.state, "%s", t->state);
	v->t.counter = t->counter;
	v->counter = t->counter;
	v->ahead = t->ahead;
	v->wait_lo = t->wait_lo;
	v->wait_hi = t->wait_hi;
}
