/**
 * @file relay.c
 * @brief The ticket page relay on libmicrohttpd (see relay.h).
 */
#include "collector/relay.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <microhttpd.h>

#include "collector/db.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/qrpayload.h"
#include "core/qsnap.h"
#include "net/html.h"
#include "net/httpd.h"
#include "net/public.h"
#include "net/public_assets.h"
#include "net/public_pages.h"

#define CACHE_NONE "no-store"
#define CACHE_PAGES "public, max-age=3600"
#define CACHE_FONT "public, max-age=604800"
#define BANNER_MAX 400 /* the stale banner, with its time */

/* One parsed snapshot, shared by the requests that render it (refs under cache_lock). */
struct snap {
	int refs;
	long long version;
	struct qsnap q;
	struct kconfig cfg; /* just what the renderer reads: office names and the services */
	struct kservice svc[KCAT_SERVICES_MAX];
};

struct entry {
	char office[QRP_ID_MAX + 1];
	struct snap *cur;
	long long age_ms;      /* its age by the database's clock ... */
	int64_t age_mono;      /* ... measured at this monotonic ms */
	long long received_at; /* epoch seconds */
	int64_t checked;       /* monotonic ms of the last look at PostgreSQL */
};

struct crelay {
	struct MHD_Daemon *d;
	char *db_url;
	int port, quiet;
	int64_t stale_ms;

	pthread_mutex_t db_lock; /* one connection: a re-read is one small query */
	PGconn *db;

	pthread_mutex_t cache_lock;
	struct entry *e; /* CRELAY_OFFICES_MAX */
	int n;

	pthread_mutex_t ev_lock; /* waiters, stopping; ev_cond wakes long-polls */
	pthread_cond_t ev_cond;
	int waiters, stopping;

	struct pub_asset fonts[PUB_FONTS];
};

/* What a request asked for, checked. */
struct ask {
	char o[QRP_ID_MAX + 1], d[QRP_DATE_LEN + 1], n[QRP_NUMBER_MAX + 1], s[QRP_SIG_LEN + 1];
	int seen_o, seen_d, seen_n, seen_s, bad;
};

/* ---- the snapshot cache --------------------------------------------------------------- */

static void snap_unref(struct snap *s)
{
	if (s && --s->refs == 0) {
		qsnap_free(&s->q);
		free(s);
	}
}

/* A parsed snapshot and the config the renderer reads, or NULL (logged). */
static struct snap *snap_new(struct crelay *r, const char *office, const struct cdb_snapshot *cs)
{
	char why[QSNAP_WHY_MAX];
	struct snap *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (qsnap_parse(cs->body, cs->len, &s->q, why)) {
		/* Checked when stored: only a newer collector's shape gets here. */
		if (!r->quiet)
			fprintf(stderr, "kiosk collector: relay: snapshot of %s unreadable: %s\n",
				office, why);
		free(s);
		return NULL;
	}
	s->refs = 1;
	s->version = cs->version;
	snprintf(s->cfg.office_code, sizeof s->cfg.office_code, "%s", s->q.office);
	snprintf(s->cfg.office_name_th, sizeof s->cfg.office_name_th, "%s", s->q.office_th);
	snprintf(s->cfg.office_name_en, sizeof s->cfg.office_name_en, "%s", s->q.office_en);
	for (int i = 0; i < s->q.n_svc; i++) {
		s->svc[i].id = s->q.svc[i].id;
		s->svc[i].name.th = s->q.svc[i].name_th;
		s->svc[i].name.en = s->q.svc[i].name_en;
	}
	s->cfg.catalog.svc = s->svc;
	s->cfg.catalog.n = (size_t)s->q.n_svc;
	return s;
}

static struct entry *entry_find(struct crelay *r, const char *office)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->e[i].office, office))
			return &r->e[i];
	return NULL;
}

/* A slot for office: a free one, or the one looked at least recently. */
static struct entry *entry_make(struct crelay *r, const char *office)
{
	struct entry *e;
	if (r->n < CRELAY_OFFICES_MAX) {
		e = &r->e[r->n++];
	} else {
		e = &r->e[0];
		for (int i = 1; i < r->n; i++)
			if (r->e[i].checked < e->checked)
				e = &r->e[i];
		snap_unref(e->cur);
	}
	memset(e, 0, sizeof *e);
	snprintf(e->office, sizeof e->office, "%s", office);
	return e;
}

struct got {
	struct snap *s;	       /* a reference: snap_unref under cache_lock */
	long long age_ms;      /* now */
	long long received_at; /* epoch seconds */
};

static void got_release(struct crelay *r, struct got *g)
{
	pthread_mutex_lock(&r->cache_lock);
	snap_unref(g->s);
	pthread_mutex_unlock(&r->cache_lock);
	g->s = NULL;
}

static void take(struct entry *e, struct got *g, int64_t now)
{
	e->cur->refs++;
	g->s = e->cur;
	g->age_ms = e->age_ms + (now - e->age_mono);
	g->received_at = e->received_at;
}

/* The office's snapshot: 200 (g filled), 404 none, 503 database away and nothing
 * cached. A cached one is re-read at most every CRELAY_POLL_MS (the body only when its
 * version moved), so a crowd of phones costs two small queries a second per office. */
static int snap_get(struct crelay *r, const char *office, struct got *g)
{
	struct cdb_snapshot cs;
	long long have = -1;
	int64_t now = kclock_mono_ms();

	memset(g, 0, sizeof *g);
again:
	pthread_mutex_lock(&r->cache_lock);
	struct entry *e = entry_find(r, office);
	if (e && e->cur && now - e->checked < CRELAY_POLL_MS) {
		take(e, g, now);
		pthread_mutex_unlock(&r->cache_lock);
		return 200;
	}
	if (e && e->cur)
		have = e->cur->version;
	pthread_mutex_unlock(&r->cache_lock);

	pthread_mutex_lock(&r->db_lock);
	int st = 503;
	if (!r->db || PQstatus(r->db) != CONNECTION_OK) {
		struct kerr err = {0};
		PQfinish(r->db);
		r->db = NULL;
		if (cdb_connect(r->db_url, &r->db, &err) && !r->quiet)
			fprintf(stderr, "kiosk collector: relay: %s\n", err.msg);
	}
	if (r->db)
		st = cdb_snapshot_get(r->db, office, have, &cs);
	pthread_mutex_unlock(&r->db_lock);

	now = kclock_mono_ms();
	pthread_mutex_lock(&r->cache_lock);
	e = entry_find(r, office);
	if (st == 404 && e && e->cur) { /* deleted by the operator: forget it */
		snap_unref(e->cur);
		e->cur = NULL;
	}
	if (st != 200) {
		/* PostgreSQL away: what we had is still the best answer (it will show as
		 * stale in time); nothing at all is a 503. */
		if (st == 503 && e && e->cur) {
			take(e, g, now);
			st = 200;
		}
		pthread_mutex_unlock(&r->cache_lock);
		return st;
	}
	struct snap *fresh = cs.body ? snap_new(r, office, &cs) : NULL;
	free(cs.body);
	if (!e)
		e = entry_make(r, office);
	if (fresh) {
		snap_unref(e->cur);
		e->cur = fresh;
	}
	if (!e->cur) {
		pthread_mutex_unlock(&r->cache_lock);
		/* Our slot went to another office while we asked "anything newer than
		 * `have`?" and the answer was no: ask again for the whole snapshot. */
		if (have >= 0) {
			have = -1;
			now = kclock_mono_ms();
			goto again;
		}
		return 404;
	}
	e->age_ms = cs.age_ms;
	e->age_mono = now;
	e->received_at = cs.received_at;
	e->checked = now;
	take(e, g, now);
	pthread_mutex_unlock(&r->cache_lock);
	return 200;
}

void crelay_notify(struct crelay *r, const char *office)
{
	if (!r)
		return;
	/* The next look re-reads PostgreSQL at once. */
	pthread_mutex_lock(&r->cache_lock);
	struct entry *e = entry_find(r, office);
	if (e)
		e->checked = -CRELAY_POLL_MS * 2;
	pthread_mutex_unlock(&r->cache_lock);
	pthread_mutex_lock(&r->ev_lock);
	pthread_cond_broadcast(&r->ev_cond);
	pthread_mutex_unlock(&r->ev_lock);
}

/* ---- requests ----------------------------------------------------------------------- */

static enum MHD_Result send_bytes(struct MHD_Connection *con, unsigned status, const char *ctype,
				  const char *cache, const char *data, size_t len,
				  enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, mode);
	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free((void *)data);
		return MHD_NO;
	}
	kpublic_headers(resp, ctype, cache);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	enum MHD_Result ok = MHD_queue_response(con, status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result send_page(struct MHD_Connection *con, unsigned status, struct hbuf *b)
{
	size_t len;
	char *body = hb_take(b, &len);
	if (!body)
		return MHD_NO;
	return send_bytes(con, status, "text/html; charset=utf-8", CACHE_NONE, body, len,
			  MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_json(struct MHD_Connection *con, unsigned status, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s)
		return MHD_NO;
	return send_bytes(con, status, "application/json; charset=utf-8", CACHE_NONE, s, strlen(s),
			  MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result json_err(struct MHD_Connection *con, unsigned status, const char *th,
				const char *en)
{
	return send_json(
	    con, status,
	    json_pack("{s:s, s:s, s:i}", "error", en, "error_th", th, "status", (int)status));
}

/* The refusal pages need a config for the top bar; before any snapshot is known the
 * relay names what it does instead of an office. */
static struct kconfig no_office;
static void no_office_init(void)
{
	snprintf(no_office.office_name_th, sizeof no_office.office_name_th, "ติดตามบัตรคิว");
	snprintf(no_office.office_name_en, sizeof no_office.office_name_en, "Follow your ticket");
}

static int b32_sig(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '2' && s[i] <= '7')))
			return 0;
	return i == QRP_SIG_LEN;
}

static void put(char *dst, size_t cap, const char *v, int *seen, int *bad)
{
	if ((*seen)++ || !v || strlen(v) >= cap)
		*bad = 1;
	else
		memcpy(dst, v, strlen(v) + 1);
}

static enum MHD_Result arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct ask *a = cls;
	if (!strcmp(key, "o"))
		put(a->o, sizeof a->o, value, &a->seen_o, &a->bad);
	else if (!strcmp(key, "d"))
		put(a->d, sizeof a->d, value, &a->seen_d, &a->bad);
	else if (!strcmp(key, "n"))
		put(a->n, sizeof a->n, value, &a->seen_n, &a->bad);
	else if (!strcmp(key, "s"))
		put(a->s, sizeof a->s, value, &a->seen_s, &a->bad);
	else if (strcmp(key, "k") && strcmp(key, "lang") && strcmp(key, "r") &&
		 strcmp(key, "after") && strcmp(key, "wait"))
		a->bad = 1; /* the kiosk's scanner refuses a URL it did not print: so do we */
	return MHD_YES;
}

enum verdict { V_OK, V_BAD, V_OLD, V_BUSY };

/* The ticket this request names, checked against the office's snapshot. */
static enum verdict verify(struct crelay *r, struct MHD_Connection *con, struct ask *a,
			   struct got *g, const struct qsnap_ticket **t)
{
	int y, m, d;
	memset(a, 0, sizeof *a);
	memset(g, 0, sizeof *g);
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, arg, a);
	if (a->bad || !a->seen_o || !a->seen_d || !a->seen_n || !a->seen_s || !qrp_valid_id(a->o) ||
	    strlen(a->d) != QRP_DATE_LEN || kclock_parse_date(a->d, &y, &m, &d) ||
	    !qrp_valid_number(a->n) || !b32_sig(a->s))
		return V_BAD;
	int st = snap_get(r, a->o, g);
	if (st == 503)
		return V_BUSY;
	if (st != 200)
		return V_BAD;
	int cmp = strcmp(a->d, g->s->q.day);
	/* Decided by the date typed alone: it tells a forger nothing about tickets. */
	if (cmp < 0)
		return V_OLD;
	if (cmp > 0 || !(*t = qsnap_find(&g->s->q, a->n)) || !qsnap_sig_ok(*t, a->s))
		return V_BAD;
	return V_OK;
}

static int stale(const struct crelay *r, const struct got *g)
{
	return g->age_ms > r->stale_ms;
}

/* The ticket as the renderer takes it. banner holds the stale line (th, en). */
static void ticket_of(struct crelay *r, const struct ask *a, const struct got *g,
		      const struct qsnap_ticket *qt, struct pp_ticket *t, char bth[BANNER_MAX],
		      char ben[BANNER_MAX])
{
	memset(t, 0, sizeof *t);
	qsnap_view(&g->s->q, qt, &t->v);
	/* The long-poll's token: the version, and whether it is stale, so the banner comes
	 * and goes with a wake-up too. */
	t->v.changed = g->s->version * 2 + stale(r, g);
	snprintf(t->query, sizeof t->query, "o=%s&d=%s&n=%s&s=%s", a->o, a->d, a->n, a->s);
	t->path = "t";
	t->form_ms = kclock_mono_ms();
	if (stale(r, g)) {
		struct kdate k;
		kclock_bkk(g->received_at, &k);
		snprintf(bth, BANNER_MAX,
			 "สำนักงานยังไม่ได้ส่งข้อมูลคิวมาตั้งแต่ %02d:%02d น. ข้อมูลด้านล่างอาจไม่เป็นปัจจุบัน "
			 "หากใกล้ถึงคิวแล้ว กรุณาดูที่จอในสำนักงาน",
			 k.hour, k.min);
		snprintf(
		    ben, BANNER_MAX,
		    "The office has not updated since %02d:%02d, so what you see may be out of "
		    "date. If your turn is near, please check the screen at the office.",
		    k.hour, k.min);
		t->banner_th = bth;
		t->banner_en = ben;
	}
}

static enum MHD_Result refused(struct MHD_Connection *con, const struct pp_ctx *c, enum verdict v,
			       int json)
{
	if (json) {
		if (v == V_BUSY)
			return json_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่าง กรุณาลองใหม่",
					"busy: retry in a few seconds");
		return json_err(con, v == V_OLD ? MHD_HTTP_GONE : MHD_HTTP_NOT_FOUND, "ไม่พบบัตรคิวนี้",
				"no such ticket");
	}
	if (v == V_BUSY)
		return (enum MHD_Result)kpublic_busy(con, c);
	return (enum MHD_Result)kpublic_ticket_refused(con, c, v == V_OLD);
}

static enum MHD_Result do_ticket(struct crelay *r, struct MHD_Connection *con, struct pp_ctx *c)
{
	struct ask a;
	struct got g;
	const struct qsnap_ticket *qt = NULL;
	struct pp_ticket t;
	char bth[BANNER_MAX], ben[BANNER_MAX];
	struct hbuf b;

	enum verdict v = verify(r, con, &a, &g, &qt);
	if (v) {
		if (g.s)
			got_release(r, &g);
		return refused(con, c, v, 0);
	}
	c->cfg = &g.s->cfg;
	ticket_of(r, &a, &g, qt, &t, bth, ben);
	hb_init(&b);
	pp_ticket(&b, c, &t);
	got_release(r, &g);
	return send_page(con, MHD_HTTP_OK, &b);
}

/* A whole number argument: -1 absent, -2 junk. */
static long long num_arg(struct MHD_Connection *con, const char *name, long long max)
{
	const char *v = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, name);
	char *end;
	if (!v)
		return -1;
	if (!*v || *v < '0' || *v > '9' || strlen(v) > 18)
		return -2;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	return *end || errno || n > max ? -2 : n;
}

static enum MHD_Result do_wait(struct crelay *r, struct MHD_Connection *con, struct pp_ctx *c)
{
	struct ask a;
	struct got g;
	const struct qsnap_ticket *qt = NULL;
	long long after = num_arg(con, "after", INT64_MAX / 4);
	long long wait = num_arg(con, "wait", CRELAY_WAIT_MAX);

	enum verdict v = verify(r, con, &a, &g, &qt);
	if (v) {
		if (g.s)
			got_release(r, &g);
		return refused(con, c, v, 1);
	}
	if (after == -2 || wait == -2) {
		got_release(r, &g);
		return json_err(con, MHD_HTTP_BAD_REQUEST, "ค่า after/wait ต้องเป็นตัวเลข",
				"after must be a number and wait 0 to 25 seconds");
	}
	if (wait < 0)
		wait = CRELAY_WAIT_MAX;
	pthread_mutex_lock(&r->ev_lock);
	int full = wait > 0 && r->waiters >= CRELAY_WAITERS_MAX;
	if (!full && wait > 0)
		r->waiters++;
	pthread_mutex_unlock(&r->ev_lock);
	if (full) {
		got_release(r, &g);
		return json_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่าง กรุณาลองใหม่",
				"too many waiting phones: retry in a few seconds");
	}
	MHD_set_connection_option(con, MHD_CONNECTION_OPTION_TIMEOUT,
				  (unsigned)(wait + CRELAY_TIMEOUT_S));
	int64_t deadline = kclock_mono_ms() + wait * 1000;
	for (;;) {
		long long token = g.s->version * 2 + stale(r, &g);
		if (token != after)
			break;
		int64_t left = deadline - kclock_mono_ms();
		/* Also wake when the snapshot turns stale: the banner shows without a change. */
		if (!stale(r, &g) && r->stale_ms - g.age_ms + 1 < left)
			left = r->stale_ms - g.age_ms + 1;
		if (left <= 0)
			break;
		if (left > CRELAY_POLL_MS)
			left = CRELAY_POLL_MS;
		struct timespec ts;
		kclock_mono_deadline(&ts, left);
		pthread_mutex_lock(&r->ev_lock);
		if (!r->stopping)
			pthread_cond_timedwait(&r->ev_cond, &r->ev_lock, &ts);
		int stop = r->stopping;
		pthread_mutex_unlock(&r->ev_lock);
		if (stop)
			break;
		struct got g2;
		int st = snap_get(r, a.o, &g2);
		if (st != 200)
			break; /* gone or away: answer with what we have */
		got_release(r, &g);
		g = g2;
		if (strcmp(g.s->q.day, a.d) || !(qt = qsnap_find(&g.s->q, a.n)) ||
		    !qsnap_sig_ok(qt, a.s)) {
			/* A new day (or a replaced database): the page reloads and says so. */
			if (wait > 0) {
				pthread_mutex_lock(&r->ev_lock);
				r->waiters--;
				pthread_mutex_unlock(&r->ev_lock);
			}
			got_release(r, &g);
			return refused(con, c, V_BAD, 1);
		}
	}
	if (wait > 0) {
		pthread_mutex_lock(&r->ev_lock);
		r->waiters--;
		pthread_mutex_unlock(&r->ev_lock);
	}
	struct pp_ticket t;
	char bth[BANNER_MAX], ben[BANNER_MAX], title[96];
	struct hbuf st, ac;
	c->cfg = &g.s->cfg;
	ticket_of(r, &a, &g, qt, &t, bth, ben);
	hb_init(&st);
	hb_init(&ac);
	pp_ticket_status(&st, c, &t);
	pp_ticket_actions(&ac, c, &t);
	if (!strcmp(t.v.t.state, "called"))
		snprintf(title, sizeof title, "%s %d · %s",
			 strcmp(c->lang, "en") ? "เชิญที่ช่อง" : "Counter", t.v.counter, t.v.t.number);
	else
		snprintf(title, sizeof title, "%s %s", strcmp(c->lang, "en") ? "คิว" : "Ticket",
			 t.v.t.number);
	json_t *o = NULL;
	if (!st.failed && !ac.failed)
		o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "after", (json_int_t)t.v.changed,
			      "state", t.v.t.state, "status", st.p ? st.p : "", "actions",
			      ac.p ? ac.p : "", "title", title);
	hb_free(&st);
	hb_free(&ac);
	got_release(r, &g);
	return send_json(con, MHD_HTTP_OK, o);
}

static enum MHD_Result do_static(struct crelay *r, struct MHD_Connection *con,
				 const struct pp_ctx *c, const char *url)
{
	const struct pub_asset *a = NULL;
	if (!strcmp(url, "/assets/public.css"))
		a = pub_asset_css();
	else if (!strcmp(url, "/assets/ticket.js"))
		a = pub_asset_js();
	for (int i = 0; !a && i < PUB_FONTS; i++)
		if (r->fonts[i].data && url[0] == '/' && !strcmp(r->fonts[i].name, url + 1))
			a = &r->fonts[i];
	if (!strcmp(url, "/robots.txt")) {
		static const char robots[] = "User-agent: *\nDisallow: /t\n";
		return send_bytes(con, MHD_HTTP_OK, "text/plain; charset=utf-8",
				  "public, max-age=86400", robots, sizeof robots - 1,
				  MHD_RESPMEM_PERSISTENT);
	}
	if (!a)
		return (enum MHD_Result)kpublic_not_found(con, c);
	return send_bytes(con, MHD_HTTP_OK, a->ctype,
			  !strncmp(url, "/fonts/", 7) ? CACHE_FONT : CACHE_PAGES, a->data, a->len,
			  MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result sum_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	size_t *n = cls;
	*n += strlen(key) + (value ? strlen(value) + 1 : 0) + 1;
	return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct crelay *r = cls;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct pp_ctx c;
	size_t qlen = 0;

	pthread_once(&once, no_office_init);
	if (*upload_size)
		return MHD_NO; /* a body where none belongs */
	const char *lang = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "lang");
	memset(&c, 0, sizeof c);
	c.cfg = &no_office;
	c.lang = lang && !strcmp(lang, "en") ? "en" : "th";
	c.live = 1;
	c.relay = 1;
	/* Only these paths exist here (an /api path is a 404 whatever the method). */
	int known = !strcmp(url, "/t") || !strcmp(url, "/t/wait") ||
		    !strcmp(url, "/assets/public.css") || !strcmp(url, "/assets/ticket.js") ||
		    !strcmp(url, "/robots.txt") || !strncmp(url, "/fonts/Sarabun-", 15);
	if (!known)
		return (enum MHD_Result)kpublic_not_found(con, &c);
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct hbuf b;
		hb_init(&b);
		pp_message(&b, &c, "ใช้วิธีนี้ไม่ได้", "Not allowed here", "หน้านี้เปิดดูได้อย่างเดียว",
			   "This page can only be viewed.", NULL);
		return send_page(con, MHD_HTTP_METHOD_NOT_ALLOWED, &b);
	}
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, sum_arg, &qlen);
	if (qlen > CRELAY_QUERY_MAX) {
		struct hbuf b;
		hb_init(&b);
		pp_message(
		    &b, &c, "ที่อยู่ยาวเกินไป", "Address too long",
		    "ที่อยู่ของหน้านี้ยาวผิดปกติ กรุณาสแกนคิวอาร์โค้ดหรือเปิดลิงก์อีกครั้ง",
		    "This address is unusually long. Please scan the QR code or open the link "
		    "again.",
		    NULL);
		return send_page(con, MHD_HTTP_URI_TOO_LONG, &b);
	}
	if (!strcmp(url, "/t"))
		return do_ticket(r, con, &c);
	if (!strcmp(url, "/t/wait")) {
		strcpy(c.root, "../");
		return do_wait(r, con, &c);
	}
	int depth = -1;
	for (const char *s = url; *s; s++)
		depth += *s == '/';
	for (int i = 0; i < depth && strlen(c.root) + 3 < sizeof c.root; i++)
		strcat(c.root, "../");
	return do_static(r, con, &c, url);
}

static int loopback(const char *a)
{
	return !strncmp(a, "127.", 4) || !strcmp(a, "::1");
}

kst crelay_start(const struct crelay_conf *conf, struct crelay **out, struct kerr *err)
{
	kst rc;
	*out = NULL;
	struct crelay *r = calloc(1, sizeof *r);
	if (!r || !(r->e = calloc(CRELAY_OFFICES_MAX, sizeof *r->e)) ||
	    !(r->db_url = strdup(conf->db_url))) {
		if (r)
			free(r->e);
		free(r);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	r->quiet = conf->quiet;
	r->stale_ms = (int64_t)(conf->stale_s > 0 ? conf->stale_s : CRELAY_STALE_S) * 1000;
	pthread_mutex_init(&r->db_lock, NULL);
	pthread_mutex_init(&r->cache_lock, NULL);
	pthread_mutex_init(&r->ev_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* long-poll waits are durations */
	pthread_cond_init(&r->ev_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pub_fonts_load(r->fonts) < PUB_FONTS && !r->quiet)
		fprintf(stderr,
			"kiosk collector: relay: Sarabun not found in fonts/: pages use the "
			"phone's own Thai font\n");
	struct khttpd_conf hc = {.bind = conf->bind,
				 .bind_name = "--public-bind",
				 .port = conf->port,
				 .conn_max = CRELAY_CONN_MAX,
				 /* On loopback only a proxy on this machine reaches it, and then
				  * every phone comes from the proxy's one address: no per-address
				  * cap there (nginx's limit_req counts phones, docs/public.md). */
				 .conn_per_ip = loopback(conf->bind) ? 0 : CRELAY_CONN_PER_IP,
				 .timeout_s = CRELAY_TIMEOUT_S,
				 .conn_memory = CRELAY_CONN_MEMORY,
				 .log_name = "kiosk collector relay",
				 .handler = handle,
				 .completed = NULL,
				 .unescape = kpublic_unescape,
				 .cls = r};
	if ((rc = khttpd_start(&hc, &r->d, &r->port, err))) {
		crelay_stop(r);
		return rc;
	}
	*out = r;
	return K_OK;
}

int crelay_port(const struct crelay *r)
{
	return r->port;
}

void crelay_stop(struct crelay *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->ev_lock);
	r->stopping = 1;
	pthread_cond_broadcast(&r->ev_cond);
	pthread_mutex_unlock(&r->ev_lock);
	if (r->d)
		MHD_stop_daemon(r->d); /* joins every connection thread */
	for (int i = 0; i < r->n; i++)
		snap_unref(r->e[i].cur);
	free(r->e);
	PQfinish(r->db);
	if (r->db_url) {
		memset(r->db_url, 0, strlen(r->db_url)); /* it may hold a password */
		free(r->db_url);
	}
	pub_fonts_free(r->fonts);
	pthread_cond_destroy(&r->ev_cond);
	pthread_mutex_destroy(&r->ev_lock);
	pthread_mutex_destroy(&r->cache_lock);
	pthread_mutex_destroy(&r->db_lock);
	free(r);
}
