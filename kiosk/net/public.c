/**
 * @file public.c
 * @brief The public listener on libmicrohttpd (see public.h).
 */
#include "net/public.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/clock.h"
#include "core/kpi.h"
#include "core/opendata.h"
#include "core/qrpayload.h"
#include "core/queue.h"
#include "core/rating.h"
#include "core/report.h"
#include "core/secret.h"
#include "core/store.h"
#include "net/api.h"
#include "net/html.h"
#include "net/httpd.h"
#include "net/public_assets.h"
#include "net/public_pages.h"

#define CSP                                                                                  \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "    \
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "         \
	"frame-ancestors 'none'; object-src 'none'"
#define CACHE_NONE "no-store"
#define CACHE_STATS "public, max-age=30"
#define CACHE_PAGES "public, max-age=3600"
#define CACHE_DATA "public, max-age=300"
#define CACHE_FONT "public, max-age=604800"
#define RATE_PROBE 8        /* table slots looked at per address */
#define ADDR_TEXT_MAX 64    /* an address as text, X-Forwarded-For entry */
#define CONN_NICE 10        /* connection threads' nice: below the touchscreen's UI thread */

struct rate_slot {
	unsigned char addr[16]; /* IPv6, or IPv4-mapped */
	int used;
	double tokens;
	int64_t last_ms; /* monotonic */
	int waits;       /* this address's long-polls held now (PUBLIC_WAITS_PER_ADDR) */
};

struct stats_cache {
	char *body;
	size_t len;
	int64_t at_ms; /* monotonic; 0 = empty */
};

struct kpublic {
	struct MHD_Daemon *d;
	const struct kconfig *cfg;
	int port, timeout_s;

	/* The ticket page: the QR template split into its origin and path. */
	int tickets;                        /* 0: the template is not an http(s) URL */
	struct qrp qrp;
	char tprefix[QRP_TEMPLATE_MAX + 1]; /* "https://queue.example" */
	char tpath[QRP_TEMPLATE_MAX + 1];   /* "/t" */

	pthread_mutex_t db_lock; /* guards st and q: one SQLite connection */
	struct kstore st;
	struct kqueue q;

	pthread_mutex_t ev_lock; /* guards stopping and waiters; ev_cond wakes long-polls */
	pthread_cond_t ev_cond;
	int stopping;
	int waiters;

	pthread_mutex_t rate_lock;
	struct rate_slot *rate; /* PUBLIC_RATE_SLOTS */

	pthread_mutex_t stats_lock;
	struct stats_cache stats[2]; /* th, en */

	struct pub_asset fonts[PUB_FONTS];
};

/* Per request. The body buffer exists for POST only. */
struct req {
	char *body;
	size_t len, seen;
	int too_big;
	unsigned char key[16]; /* the client's address as the rate limit counts it */
};

enum route {
	R_NONE, R_HOME, R_SERVICES, R_SERVICE, R_OD_INDEX, R_OD_FILE, R_STATS, R_CSS, R_JS,
	R_FONT, R_ROBOTS, R_T, R_T_WAIT, R_T_LEAVE, R_T_RATE
};

/* ---- responses ---------------------------------------------------------------------- */

void kpublic_headers(struct MHD_Response *r, const char *ctype, const char *cache)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Sends bytes; mode says who owns them. extra: one more header (name, value) or NULL. */
static enum MHD_Result send_bytes(struct MHD_Connection *con, unsigned status, const char *ctype,
				  const char *cache, const char *data, size_t len,
				  enum MHD_ResponseMemoryMode mode, const char *hname, const char *hval)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free((void *)data);
		return MHD_NO;
	}
	kpublic_headers(r, ctype, cache);
	if (hname)
		MHD_add_response_header(r, hname, hval);
	enum MHD_Result ok = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Sends a rendered page and empties b. An unrenderable page (out of memory) drops the
 * connection: never a half page, never a 500. */
static enum MHD_Result send_page(struct MHD_Connection *con, unsigned status, struct hbuf *b,
				 const char *cache, const char *hname, const char *hval)
{
	size_t len;
	char *body = hb_take(b, &len);
	if (!body)
		return MHD_NO;
	return send_bytes(con, status, "text/html; charset=utf-8", cache, body, len,
			  MHD_RESPMEM_MUST_FREE, hname, hval);
}

static enum MHD_Result send_json(struct MHD_Connection *con, unsigned status, json_t *o,
				 const char *hname, const char *hval)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s)
		return MHD_NO;
	return send_bytes(con, status, "application/json; charset=utf-8", CACHE_NONE, s, strlen(s),
			  MHD_RESPMEM_MUST_FREE, hname, hval);
}

static enum MHD_Result send_msg(struct MHD_Connection *con, const struct pp_ctx *c, unsigned status,
				const char *tth, const char *ten, const char *th, const char *en,
				const char *back, const char *hname, const char *hval)
{
	struct hbuf b;
	hb_init(&b);
	pp_message(&b, c, tth, ten, th, en, back);
	return send_page(con, status, &b, CACHE_NONE, hname, hval);
}

static enum MHD_Result not_found(struct MHD_Connection *con, const struct pp_ctx *c)
{
	return send_msg(con, c, MHD_HTTP_NOT_FOUND, "ไม่พบหน้าที่ต้องการ", "Page not found",
			"ไม่มีหน้านี้ในเว็บไซต์ อาจพิมพ์ที่อยู่ไม่ครบ ลองเริ่มจากรายการบริการด้านล่าง",
			"There is no such page here; the address may be cut or mistyped. The list of "
			"services below is a good place to start.",
			NULL, NULL, NULL);
}

static enum MHD_Result busy(struct MHD_Connection *con, const struct pp_ctx *c)
{
	return send_msg(con, c, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่างชั่วคราว",
			"Busy for a moment", "ขออภัย ระบบกำลังทำงานหนัก กรุณาลองใหม่อีกครั้งในไม่กี่วินาที",
			"Sorry, the system is busy. Please try again in a few seconds.", NULL,
			MHD_HTTP_HEADER_RETRY_AFTER, "2");
}

/* ---- the client's address and the rate limit ------------------------------------------ */

/* The address the rate limit counts: the peer, or the last X-Forwarded-For entry (the one
 * the proxy itself added) when the peer is a trusted proxy. */
static void client_key(struct kpublic *p, struct MHD_Connection *con, unsigned char key[16])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char peer[ADDR_TEXT_MAX] = "";

	memset(key, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &s4->sin_addr, 4);
		inet_ntop(AF_INET, &s4->sin_addr, peer, sizeof peer);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		memcpy(key, &s6->sin6_addr, 16);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			inet_ntop(AF_INET, key + 12, peer, sizeof peer); /* as IT write it */
		else
			inet_ntop(AF_INET6, &s6->sin6_addr, peer, sizeof peer);
	}
	if (!p->cfg->public_trusted_proxy[0] || !peer[0] || !kconfig_proxy_trusted(p->cfg, peer))
		return;
	const char *xff = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	size_t n = strcspn(last, " \t");
	char a[ADDR_TEXT_MAX];
	unsigned char bin[16];
	if (!n || n >= sizeof a)
		return;
	memcpy(a, last, n);
	a[n] = 0;
	if (inet_pton(AF_INET, a, bin) == 1) {
		memset(key, 0, 16);
		key[10] = key[11] = 0xff;
		memcpy(key + 12, bin, 4);
	} else if (inet_pton(AF_INET6, a, bin) == 1) {
		memcpy(key, bin, 16);
	}
}

/* FNV-1a of the address: where its slot is looked for. */
static uint32_t addr_hash(const unsigned char key[16])
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

/* The address's slot in the rate table, under rate_lock. A new address takes a free slot
 * or the least recently seen one among those holding no long-poll (forgetting an idle
 * address only gives it a fresh burst); only when all RATE_PROBE candidates hold
 * long-polls is one of them forgotten, and its count with it (see wait_end). */
static struct rate_slot *rate_slot_of(struct kpublic *p, const unsigned char key[16],
				      int64_t now)
{
	uint32_t h = addr_hash(key);
	struct rate_slot *oldest = NULL, *any = NULL;
	for (int i = 0; i < RATE_PROBE; i++) {
		struct rate_slot *c = &p->rate[(h + (uint32_t)i) % PUBLIC_RATE_SLOTS];
		if (c->used && !memcmp(c->addr, key, 16))
			return c;
		if (!any || c->last_ms < any->last_ms)
			any = c;
		if (c->waits > 0)
			continue;
		if (!oldest || !c->used || (oldest->used && c->last_ms < oldest->last_ms))
			oldest = c;
	}
	struct rate_slot *s = oldest ? oldest : any;
	memcpy(s->addr, key, 16);
	s->used = 1;
	s->tokens = PUBLIC_RATE_BURST;
	s->last_ms = now;
	s->waits = 0;
	return s;
}

/* Takes one token for the address: 1 allowed, 0 over the limit (*retry_s until the next). */
static int rate_take(struct kpublic *p, const unsigned char key[16], int *retry_s)
{
	int64_t now = kclock_mono_ms();
	int ok;

	pthread_mutex_lock(&p->rate_lock);
	struct rate_slot *s = rate_slot_of(p, key, now);
	s->tokens += (double)(now - s->last_ms) * PUBLIC_RATE_PER_S / 1000.0;
	if (s->tokens > PUBLIC_RATE_BURST)
		s->tokens = PUBLIC_RATE_BURST;
	s->last_ms = now;
	ok = s->tokens >= 1.0;
	if (ok)
		s->tokens -= 1.0;
	else
		*retry_s = (int)ceil((1.0 - s->tokens) / PUBLIC_RATE_PER_S);
	pthread_mutex_unlock(&p->rate_lock);
	if (!ok && *retry_s < 1)
		*retry_s = 1;
	return ok;
}

/* One more long-poll held for the address: 1 counted, 0 when it already holds
 * PUBLIC_WAITS_PER_ADDR (that request is answered at once instead, so one address, a
 * phone with many tabs or a script, cannot fill the global PUBLIC_WAITERS_MAX). */
static int wait_begin(struct kpublic *p, const unsigned char key[16])
{
	pthread_mutex_lock(&p->rate_lock);
	struct rate_slot *s = rate_slot_of(p, key, kclock_mono_ms());
	int ok = s->waits < PUBLIC_WAITS_PER_ADDR;
	if (ok)
		s->waits++;
	pthread_mutex_unlock(&p->rate_lock);
	return ok;
}

/* The long-poll counted by wait_begin has ended. Its slot may have been given to another
 * address meanwhile (all candidates busy): then there is nothing left to take back. */
static void wait_end(struct kpublic *p, const unsigned char key[16])
{
	uint32_t h = addr_hash(key);
	pthread_mutex_lock(&p->rate_lock);
	for (int i = 0; i < RATE_PROBE; i++) {
		struct rate_slot *c = &p->rate[(h + (uint32_t)i) % PUBLIC_RATE_SLOTS];
		if (c->used && !memcmp(c->addr, key, 16)) {
			if (c->waits > 0)
				c->waits--;
			break;
		}
	}
	pthread_mutex_unlock(&p->rate_lock);
}

/* ---- routes ------------------------------------------------------------------------- */

static enum route route_of(const struct kpublic *p, const char *url, const char **arg)
{
	*arg = NULL;
	if (p->tickets) {
		size_t tl = strlen(p->tpath);
		if (!strncmp(url, p->tpath, tl)) {
			const char *rest = url + tl;
			if (!*rest)
				return R_T;
			if (!strcmp(rest, "/wait"))
				return R_T_WAIT;
			if (!strcmp(rest, "/leave"))
				return R_T_LEAVE;
			if (!strcmp(rest, "/rate"))
				return R_T_RATE;
		}
	}
	if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
		return R_HOME;
	if (!strcmp(url, "/services") || !strcmp(url, "/services/"))
		return R_SERVICES;
	if (!strncmp(url, "/services/", 10) && !strchr(url + 10, '/')) {
		*arg = url + 10;
		return R_SERVICE;
	}
	if (!strcmp(url, "/open-data") || !strcmp(url, "/open-data/"))
		return R_OD_INDEX;
	if (!strncmp(url, "/open-data/", 11) && !strchr(url + 11, '/')) {
		*arg = url + 11;
		return R_OD_FILE;
	}
	if (!strcmp(url, "/stats"))
		return R_STATS;
	if (!strcmp(url, "/assets/public.css"))
		return R_CSS;
	if (!strcmp(url, "/assets/ticket.js"))
		return R_JS;
	if (!strcmp(url, "/fonts/Sarabun-Regular.ttf") || !strcmp(url, "/fonts/Sarabun-Bold.ttf")) {
		*arg = url + 1;
		return R_FONT;
	}
	if (!strcmp(url, "/robots.txt"))
		return R_ROBOTS;
	return R_NONE;
}

static int is_post_route(enum route r)
{
	return r == R_T_LEAVE || r == R_T_RATE;
}

/* The page's context: language from ?lang=, and the way back to the site root from the
 * depth of the path ("/services/x" -> "../"), so links work under any proxy prefix. */
static void ctx_for(const struct kpublic *p, struct MHD_Connection *con, const char *url,
		    struct pp_ctx *c)
{
	const char *lang = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "lang");
	memset(c, 0, sizeof *c);
	c->cfg = p->cfg;
	c->lang = lang && !strcmp(lang, "en") ? "en" : "th";
	c->live = 1;
	int depth = -1;
	for (const char *s = url; *s; s++)
		depth += *s == '/';
	for (int i = 0; i < depth && strlen(c->root) + 3 < sizeof c->root; i++)
		strcat(c->root, "../");
}

/* ---- the ticket --------------------------------------------------------------------- */

/* Query arguments that are the page's own, never part of a QR payload. */
static int reserved_arg(const char *k)
{
	return !strcmp(k, "lang") || !strcmp(k, "r") || !strcmp(k, "after") || !strcmp(k, "wait");
}

struct payload {
	char s[QRP_PAYLOAD_MAX + 3];
	size_t len;
	int over;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct payload *pl = cls;
	if (reserved_arg(key))
		return MHD_YES;
	size_t kl = strlen(key), vl = value ? strlen(value) : 0;
	size_t need = kl + (value ? 1 + vl : 0) + (pl->s[pl->len - 1] != '?');
	if (pl->len + need >= sizeof pl->s) {
		pl->over = 1;
		return MHD_NO;
	}
	if (pl->s[pl->len - 1] != '?')
		pl->s[pl->len++] = '&';
	memcpy(pl->s + pl->len, key, kl);
	pl->len += kl;
	if (value) {
		pl->s[pl->len++] = '=';
		memcpy(pl->s + pl->len, value, vl);
		pl->len += vl;
	}
	pl->s[pl->len] = 0;
	return MHD_YES;
}

enum verdict { V_OK, V_BAD, V_OLD };

/* The QR payload this request stands for (the template's origin + this path + the query,
 * without the page's own arguments), checked by the scanner's own code. query receives the
 * ticket's query as links carry it. */
static enum verdict ticket_verify(struct kpublic *p, struct MHD_Connection *con,
				  struct qrp_scan *sc, char query[PP_QUERY_MAX])
{
	struct payload pl;
	struct kerr err = {0};
	struct qrp_expect ex = {.office = p->cfg->office_code, .date = NULL};
	char today[KCLOCK_DATE_MAX];

	int n = snprintf(pl.s, sizeof pl.s, "%s%s?", p->tprefix, p->tpath);
	if (n <= 0 || (size_t)n >= sizeof pl.s)
		return V_BAD;
	pl.len = (size_t)n;
	pl.over = 0;
	size_t qstart = pl.len;
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, add_arg, &pl);
	if (pl.over)
		return V_BAD;
	if (qrp_scan(&p->qrp, pl.s, pl.len, &ex, sc, &err) || sc->kind != QRP_TICKET)
		return V_BAD;
	if (pl.len - qstart >= PP_QUERY_MAX)
		return V_BAD;
	memcpy(query, pl.s + qstart, pl.len - qstart + 1);
	kclock_bkk_date(kclock_now(), today);
	/* Genuine, so saying "another day" reveals nothing the holder does not know. */
	return strcmp(sc->t.date, today) ? V_OLD : V_OK;
}

static enum MHD_Result ticket_refused(struct MHD_Connection *con, const struct pp_ctx *c,
				      enum verdict v)
{
	if (v == V_OLD)
		return send_msg(con, c, MHD_HTTP_GONE, "บัตรคิวนี้หมดอายุแล้ว", "This ticket has expired",
				"บัตรคิวใช้ได้เฉพาะวันที่ออกบัตร หากต้องการรับบริการ กรุณารับบัตรคิวใหม่ที่ตู้บริการ",
				"A ticket is valid on the day it was issued only. To be served, please "
				"take a new ticket at the kiosk.",
				NULL, NULL, NULL);
	/* One page for forged, altered, cut, another office's and unknown tickets alike. */
	return send_msg(con, c, MHD_HTTP_NOT_FOUND, "ไม่พบบัตรคิวนี้", "Ticket not found",
			"ลิงก์นี้ไม่ตรงกับบัตรคิวใดของสำนักงาน อาจคัดลอกหรือพิมพ์ไม่ครบ "
			"กรุณาสแกนคิวอาร์โค้ดบนบัตรคิวอีกครั้ง หรือสอบถามเจ้าหน้าที่",
			"This link does not match a ticket of this office; it may have been cut or "
			"mistyped. Please scan the QR code on your ticket again, or ask a member of "
			"staff.",
			NULL, NULL, NULL);
}

int kpublic_ticket_refused(struct MHD_Connection *con, const struct pp_ctx *c, int gone)
{
	return ticket_refused(con, c, gone ? V_OLD : V_BAD);
}

int kpublic_not_found(struct MHD_Connection *con, const struct pp_ctx *c)
{
	return not_found(con, c);
}

int kpublic_busy(struct MHD_Connection *con, const struct pp_ctx *c)
{
	return busy(con, c);
}

static int db_error(const struct kerr *e)
{
	return !strncmp(e->msg, "kiosk.db", 8);
}

/* The ticket as its page shows it. K_OK; K_EFAIL no such ticket; K_EDEVICE database busy. */
static kst ticket_load(struct kpublic *p, const struct qrp_scan *sc, const char *query,
		       struct pp_ticket *t)
{
	struct kerr err = {0}, e2 = {0};
	struct kticket kt;
	enum rating_refusal why = RATING_OK;

	memset(t, 0, sizeof *t);
	snprintf(t->query, sizeof t->query, "%s", query);
	t->path = p->tpath + 1;
	t->form_ms = kclock_mono_ms();
	pthread_mutex_lock(&p->db_lock);
	kst rc = kqueue_view(&p->q, sc->t.date, sc->t.number, &t->v, &err);
	if (!rc) {
		t->v.changed = kqueue_last_event(&p->q);
		if (!strcmp(t->v.t.state, "done")) {
			t->can_rate = rating_can_rate(&p->q, sc->t.number, &kt, &why, &e2) == K_OK;
			t->rated = why == RATING_ALREADY;
		}
	}
	pthread_mutex_unlock(&p->db_lock);
	if (rc && db_error(&err)) {
		fprintf(stderr, "kiosk serve --public: %s\n", err.msg);
		return K_EDEVICE;
	}
	return rc ? K_EFAIL : K_OK;
}

static void wake_waiters(struct kpublic *p)
{
	pthread_mutex_lock(&p->ev_lock);
	pthread_cond_broadcast(&p->ev_cond);
	pthread_mutex_unlock(&p->ev_lock);
}

static void count_kpi(struct kpublic *p, enum kpi_kind kind, const char *service)
{
	struct kerr err = {0};
	pthread_mutex_lock(&p->db_lock);
	kst rc = kpi_count(&p->st, kind, service, &err);
	pthread_mutex_unlock(&p->db_lock);
	if (rc) /* a look-up not counted is a figure a little low, never a page refused */
		fprintf(stderr, "kiosk serve --public: not counted: %s\n", err.msg);
}

static enum MHD_Result do_ticket(struct kpublic *p, struct MHD_Connection *con,
				 const struct pp_ctx *c, const char *method)
{
	struct qrp_scan sc;
	struct pp_ticket t;
	char query[PP_QUERY_MAX];
	struct hbuf b;

	enum verdict v = ticket_verify(p, con, &sc, query);
	if (v)
		return ticket_refused(con, c, v);
	kst rc = ticket_load(p, &sc, query, &t);
	if (rc == K_EDEVICE)
		return busy(con, c);
	if (rc)
		return ticket_refused(con, c, V_BAD);
	/* A visit, not the page refreshing itself (r=1) nor a HEAD. */
	if (!strcmp(method, MHD_HTTP_METHOD_GET) &&
	    !MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "r"))
		count_kpi(p, KPI_TICKET_PAGE, t.v.t.service);
	hb_init(&b);
	pp_ticket(&b, c, &t);
	return send_page(con, MHD_HTTP_OK, &b, CACHE_NONE, NULL, NULL);
}

/* A non-negative whole number argument, or -1 when absent, -2 when junk. */
static int64_t num_arg(struct MHD_Connection *con, const char *name, int64_t max)
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

static enum MHD_Result json_err(struct MHD_Connection *con, unsigned status, const char *th,
				const char *en, const char *retry)
{
	return send_json(con, status,
			 json_pack("{s:s, s:s, s:i}", "error", en, "error_th", th, "status", (int)status),
			 retry ? MHD_HTTP_HEADER_RETRY_AFTER : NULL, retry);
}

static enum MHD_Result do_wait(struct kpublic *p, struct MHD_Connection *con,
			       const struct pp_ctx *c, const struct req *rq)
{
	struct qrp_scan sc;
	struct pp_ticket t;
	char query[PP_QUERY_MAX];
	int64_t after = num_arg(con, "after", INT64_MAX / 2);
	int64_t wait = num_arg(con, "wait", PUBLIC_WAIT_MAX);

	enum verdict v = ticket_verify(p, con, &sc, query);
	if (v)
		return json_err(con, v == V_OLD ? MHD_HTTP_GONE : MHD_HTTP_NOT_FOUND,
				"ไม่พบบัตรคิวนี้", "no such ticket", NULL);
	if (after == -2 || wait == -2)
		return json_err(con, MHD_HTTP_BAD_REQUEST, "ค่า after/wait ต้องเป็นตัวเลข",
				"after must be an event id and wait 0 to 25 seconds", NULL);
	if (after < 0)
		after = 0;
	if (wait < 0)
		wait = PUBLIC_WAIT_MAX;
	/* An address already holding PUBLIC_WAITS_PER_ADDR long-polls gets the state at once,
	 * with a hint to ask again in PUBLIC_WAIT_OVER_MS: its extra tabs keep working
	 * without taking the places of other phones. */
	int over = wait > 0 && !wait_begin(p, rq->key);
	if (over)
		wait = 0;
	/* Each waiting phone holds a thread: past the cap the answer is "retry soon". */
	pthread_mutex_lock(&p->ev_lock);
	int full = wait > 0 && p->waiters >= PUBLIC_WAITERS_MAX;
	if (!full && wait > 0)
		p->waiters++;
	pthread_mutex_unlock(&p->ev_lock);
	if (full) {
		wait_end(p, rq->key);
		return json_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่าง กรุณาลองใหม่",
				"too many waiting phones: retry in a few seconds", "3");
	}

	MHD_set_connection_option(con, MHD_CONNECTION_OPTION_TIMEOUT,
				  (unsigned)(wait + p->timeout_s));
	int64_t deadline = kclock_mono_ms() + wait * 1000;
	for (;;) {
		pthread_mutex_lock(&p->db_lock);
		int64_t last = kqueue_last_event(&p->q);
		pthread_mutex_unlock(&p->db_lock);
		/* after > last: the database was replaced; answer so the page resyncs. */
		if (last != after)
			break;
		int64_t left = deadline - kclock_mono_ms();
		if (left <= 0)
			break;
		if (left > PUBLIC_POLL_MS)
			left = PUBLIC_POLL_MS;
		struct timespec ts;
		kclock_mono_deadline(&ts, left);
		pthread_mutex_lock(&p->ev_lock);
		if (!p->stopping)
			pthread_cond_timedwait(&p->ev_cond, &p->ev_lock, &ts);
		int stop = p->stopping;
		pthread_mutex_unlock(&p->ev_lock);
		if (stop)
			break;
	}
	if (wait > 0) {
		pthread_mutex_lock(&p->ev_lock);
		p->waiters--;
		pthread_mutex_unlock(&p->ev_lock);
		wait_end(p, rq->key);
	}
	kst rc = ticket_load(p, &sc, query, &t);
	if (rc == K_EDEVICE)
		return json_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่าง กรุณาลองใหม่",
				"the queue database is busy; retry", "2");
	if (rc)
		return json_err(con, MHD_HTTP_NOT_FOUND, "ไม่พบบัตรคิวนี้", "no such ticket", NULL);
	struct hbuf st, ac;
	char title[96];
	hb_init(&st);
	hb_init(&ac);
	pp_ticket_status(&st, c, &t);
	pp_ticket_actions(&ac, c, &t);
	if (!strcmp(t.v.t.state, "called"))
		snprintf(title, sizeof title, "%s %d · %s", strcmp(c->lang, "en") ? "เชิญที่ช่อง" : "Counter",
			 t.v.counter, t.v.t.number);
	else
		snprintf(title, sizeof title, "%s %s", strcmp(c->lang, "en") ? "คิว" : "Ticket",
			 t.v.t.number);
	json_t *o = NULL;
	if (!st.failed && !ac.failed)
		o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "after", (json_int_t)t.v.changed, "state",
			      t.v.t.state, "status", st.p ? st.p : "", "actions", ac.p ? ac.p : "",
			      "title", title);
	if (o && over)
		json_object_set_new(o, "next_ms", json_integer(PUBLIC_WAIT_OVER_MS));
	hb_free(&st);
	hb_free(&ac);
	return send_json(con, MHD_HTTP_OK, o, NULL, NULL);
}

/* 303 to the ticket page (after a form), so a reload never posts twice. */
static enum MHD_Result to_ticket(struct kpublic *p, struct MHD_Connection *con,
				 const struct pp_ctx *c, const char *query)
{
	struct hbuf b;
	hb_init(&b);
	hb_puts(&b, c->root);
	hb_puts(&b, p->tpath + 1);
	hb_puts(&b, "?");
	hb_puts(&b, query);
	if (!strcmp(c->lang, "en"))
		hb_puts(&b, "&lang=en");
	if (b.failed || !b.p)
		return MHD_NO;
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r) {
		hb_free(&b);
		return MHD_NO;
	}
	kpublic_headers(r, "text/html; charset=utf-8", CACHE_NONE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, b.p);
	hb_free(&b);
	enum MHD_Result ok = MHD_queue_response(con, MHD_HTTP_SEE_OTHER, r);
	MHD_destroy_response(r);
	return ok;
}

/* The ticket page's link, for "back" on a refusal page. */
static void back_link(struct kpublic *p, const struct pp_ctx *c, const char *query, char *out,
		      size_t cap)
{
	struct hbuf b;
	hb_init(&b);
	hb_esc(&b, c->root);
	hb_esc(&b, p->tpath + 1);
	hb_puts(&b, "?");
	hb_esc(&b, query);
	if (!strcmp(c->lang, "en"))
		hb_puts(&b, "&amp;lang=en");
	snprintf(out, cap, "%s", b.p && !b.failed ? b.p : "./");
	hb_free(&b);
}

static enum MHD_Result refused_msg(struct kpublic *p, struct MHD_Connection *con,
				   const struct pp_ctx *c, unsigned status, const char *tth,
				   const char *ten, const struct kerr *err, const char *query)
{
	char th[KERR_MSG_MAX], en[KERR_MSG_MAX], back[PP_QUERY_MAX * 2];
	kapi_split_msg(err->msg, th, sizeof th, en, sizeof en);
	back_link(p, c, query, back, sizeof back);
	return send_msg(con, c, status, tth, ten, th, en, back, NULL, NULL);
}

static enum MHD_Result do_leave(struct kpublic *p, struct MHD_Connection *con,
				const struct pp_ctx *c, const struct req *rq)
{
	struct qrp_scan sc;
	struct pp_ticket t;
	char query[PP_QUERY_MAX], confirm[8];
	struct kerr err = {0};
	struct kticket kt;
	struct hbuf b;

	enum verdict v = ticket_verify(p, con, &sc, query);
	if (v)
		return ticket_refused(con, c, v);
	if (rq->too_big)
		return send_msg(con, c, MHD_HTTP_CONTENT_TOO_LARGE, "ข้อมูลยาวเกินไป", "Too much data",
				"ข้อมูลที่ส่งมายาวเกินกว่าที่แบบฟอร์มนี้รับได้", "The form sent more than it can hold.",
				NULL, NULL, NULL);
	int yes = form_field(rq->body, rq->len, "confirm", confirm, sizeof confirm) == 1 &&
		  !strcmp(confirm, "yes");
	if (!yes) {
		kst rc = ticket_load(p, &sc, query, &t);
		if (rc == K_EDEVICE)
			return busy(con, c);
		if (rc)
			return ticket_refused(con, c, V_BAD);
		if (strcmp(t.v.t.state, "waiting"))
			return to_ticket(p, con, c, query); /* called meanwhile: the page says so */
		hb_init(&b);
		pp_ticket_leave(&b, c, &t);
		return send_page(con, MHD_HTTP_OK, &b, CACHE_NONE, NULL, NULL);
	}
	pthread_mutex_lock(&p->db_lock);
	kst rc = kqueue_cancel(&p->q, sc.t.date, sc.t.number, &kt, &err);
	pthread_mutex_unlock(&p->db_lock);
	if (!rc) {
		wake_waiters(p);
		return to_ticket(p, con, c, query);
	}
	if (db_error(&err))
		return busy(con, c);
	return refused_msg(p, con, c, MHD_HTTP_CONFLICT, "ออกจากคิวไม่ได้", "Cannot leave the queue",
			   &err, query);
}

/* Browsers send a textarea's line ends as CRLF; the comment rules allow LF only. */
static void crlf_to_lf(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = 0;
}

static enum MHD_Result do_rate(struct kpublic *p, struct MHD_Connection *con,
			       const struct pp_ctx *c, const struct req *rq)
{
	struct qrp_scan sc;
	char query[PP_QUERY_MAX], v[16];
	struct kerr err = {0};
	struct rating r;

	enum verdict vd = ticket_verify(p, con, &sc, query);
	if (vd)
		return ticket_refused(con, c, vd);
	char back[PP_QUERY_MAX * 2];
	back_link(p, c, query, back, sizeof back);
	if (rq->too_big)
		return send_msg(con, c, MHD_HTTP_CONTENT_TOO_LARGE, "ข้อมูลยาวเกินไป", "Too much data",
				"ความคิดเห็นยาวเกินไป กรุณาเขียนให้สั้นลง (ไม่เกิน 200 ตัวอักษร)",
				"The comment is too long; please keep it under 200 characters.", back,
				NULL, NULL);
	memset(&r, 0, sizeof r);
	for (int d = 0; d < RATING_DIMS; d++) {
		if (form_field(rq->body, rq->len, rating_dim_key((enum rating_dim)d), v, sizeof v) != 1 ||
		    strlen(v) != 1 || v[0] < '1' || v[0] > '5')
			return send_msg(con, c, MHD_HTTP_BAD_REQUEST, "ยังตอบไม่ครบ", "Not all answered",
					"กรุณาเลือกคำตอบให้ครบทั้ง 4 ข้อ แล้วกดส่งอีกครั้ง",
					"Please choose an answer for each of the 4 questions and send again.",
					back, NULL, NULL);
		r.score[d] = v[0] - '0';
	}
	int cf = form_field(rq->body, rq->len, "comment", r.comment, sizeof r.comment);
	if (cf < 0)
		return send_msg(con, c, MHD_HTTP_BAD_REQUEST, "ความคิดเห็นยาวเกินไป", "Comment too long",
				"กรุณาเขียนความคิดเห็นให้สั้นลง (ไม่เกิน 200 ตัวอักษร)",
				"Please keep the comment under 200 characters.", back, NULL, NULL);
	crlf_to_lf(r.comment);
	if (form_field(rq->body, rq->len, "f", v, sizeof v) == 1) {
		char *end;
		long long f = strtoll(v, &end, 10);
		int64_t ms = kclock_mono_ms() - f;
		/* Monotonic, this process: a form from before a restart gives nonsense; unknown. */
		if (!*end && ms > 0 && ms < 3600 * 1000)
			r.answer_ms = ms;
	}
	snprintf(r.ticket, sizeof r.ticket, "%s", sc.t.number);
	snprintf(r.lang, sizeof r.lang, "%s", c->lang);
	r.source = RATING_PHONE;
	pthread_mutex_lock(&p->db_lock);
	kst rc = rating_save(&p->q, &r, &err);
	pthread_mutex_unlock(&p->db_lock);
	explicit_bzero(r.comment, sizeof r.comment); /* free text: may hold what we never keep */
	if (!rc) {
		wake_waiters(p);
		return to_ticket(p, con, c, query);
	}
	if (db_error(&err))
		return busy(con, c);
	return refused_msg(p, con, c, rc == K_EUSAGE ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_CONFLICT,
			   "ประเมินไม่ได้", "Cannot rate", &err, query);
}

/* ---- the other pages -------------------------------------------------------------- */

static enum MHD_Result do_service(struct kpublic *p, struct MHD_Connection *con,
				  const struct pp_ctx *c, const char *id, const char *method)
{
	const struct kservice *s = kcatalog_find(&p->cfg->catalog, id);
	struct hbuf b;
	if (!s)
		return not_found(con, c);
	if (!strcmp(method, MHD_HTTP_METHOD_GET))
		count_kpi(p, KPI_WEB_CHECKLIST, s->id);
	hb_init(&b);
	pp_service(&b, c, s);
	return send_page(con, MHD_HTTP_OK, &b, CACHE_PAGES, NULL, NULL);
}

/* The open data links: [public] base_url + "open-data/", or relative. */
static void od_base(const struct kpublic *p, char *out, size_t cap)
{
	if (p->cfg->public_base_url[0])
		snprintf(out, cap, "%sopen-data/", p->cfg->public_base_url);
	else
		out[0] = 0;
}

static enum MHD_Result do_opendata(struct kpublic *p, struct MHD_Connection *con,
				   const struct pp_ctx *c, const char *name)
{
	struct od_file *files = calloc(OD_FILES_MAX, sizeof *files);
	struct pp_file pf[OD_FILES_MAX];
	char base[KCONF_TEXT_MAX + 16];
	struct kerr err = {0};
	enum MHD_Result res;

	if (!files)
		return MHD_NO;
	pthread_mutex_lock(&p->db_lock);
	int n = opendata_list(&p->st, p->cfg, files, OD_FILES_MAX);
	pthread_mutex_unlock(&p->db_lock);
	if (!name) {
		struct hbuf b;
		for (int i = 0; i < n; i++)
			pf[i] = (struct pp_file){files[i].name, files[i].ctype, -1};
		hb_init(&b);
		pp_opendata(&b, c, pf, n);
		free(files);
		return send_page(con, MHD_HTTP_OK, &b, CACHE_DATA, NULL, NULL);
	}
	int known = 0;
	for (int i = 0; i < n && !known; i++)
		known = !strcmp(files[i].name, name);
	free(files);
	if (!known)
		return not_found(con, c);
	char *body = NULL;
	size_t len = 0;
	const char *ctype = NULL;
	od_base(p, base, sizeof base);
	pthread_mutex_lock(&p->db_lock);
	kst rc = opendata_render(&p->st, p->cfg, name, base, &body, &len, &ctype, &err);
	pthread_mutex_unlock(&p->db_lock);
	if (rc) {
		free(body);
		if (db_error(&err) || rc != K_EFAIL)
			return busy(con, c);
		return not_found(con, c);
	}
	res = send_bytes(con, MHD_HTTP_OK, ctype ? ctype : "application/octet-stream", CACHE_DATA,
			 body, len, MHD_RESPMEM_MUST_FREE, NULL, NULL);
	return res;
}

/* /stats is the dearest page (two reports): computed at most every PUBLIC_STATS_TTL_MS per
 * language, so a crowd refreshing it costs one computation. */
static enum MHD_Result do_stats(struct kpublic *p, struct MHD_Connection *con,
				const struct pp_ctx *c)
{
	int li = !strcmp(c->lang, "en");
	int64_t now = kclock_mono_ms();
	char *copy = NULL;
	size_t len = 0;

	pthread_mutex_lock(&p->stats_lock);
	struct stats_cache *sc = &p->stats[li];
	if (sc->body && now - sc->at_ms < PUBLIC_STATS_TTL_MS && (copy = malloc(sc->len)))
		memcpy(copy, sc->body, len = sc->len);
	pthread_mutex_unlock(&p->stats_lock);
	if (copy)
		return send_bytes(con, MHD_HTTP_OK, "text/html; charset=utf-8", CACHE_STATS, copy,
				  len, MHD_RESPMEM_MUST_FREE, NULL, NULL);

	struct report *today = calloc(1, sizeof *today), *month = calloc(1, sizeof *month);
	struct kqueue_status qs;
	struct kerr err = {0};
	char day[KCLOCK_DATE_MAX];
	struct kdate d;
	kst rc = K_EFAIL;
	if (today && month) {
		kclock_bkk(kclock_now(), &d);
		kclock_bkk_date(kclock_now(), day);
		pthread_mutex_lock(&p->db_lock);
		rc = kqueue_status(&p->q, &qs, &err);
		if (!rc)
			rc = report_range(&p->st, p->cfg, day, day, 0, today, &err);
		if (!rc)
			rc = report_month(&p->st, p->cfg, d.year, d.month, 0, month, &err);
		pthread_mutex_unlock(&p->db_lock);
	}
	if (rc) {
		free(today);
		free(month);
		if (err.msg[0])
			fprintf(stderr, "kiosk serve --public: /stats: %s\n", err.msg);
		return busy(con, c);
	}
	struct hbuf b;
	hb_init(&b);
	pp_stats(&b, c, &qs, today, month);
	free(today);
	free(month);
	if (!b.failed && b.p) {
		pthread_mutex_lock(&p->stats_lock);
		char *keep = malloc(b.len);
		if (keep) {
			memcpy(keep, b.p, b.len);
			free(sc->body);
			sc->body = keep;
			sc->len = b.len;
			sc->at_ms = now;
		}
		pthread_mutex_unlock(&p->stats_lock);
	}
	return send_page(con, MHD_HTTP_OK, &b, CACHE_STATS, NULL, NULL);
}

static enum MHD_Result do_static(struct kpublic *p, struct MHD_Connection *con,
				 const struct pp_ctx *c, enum route r, const char *arg)
{
	const struct pub_asset *a = r == R_CSS ? pub_asset_css() : r == R_JS ? pub_asset_js() : NULL;
	if (r == R_FONT)
		for (int i = 0; i < PUB_FONTS; i++)
			if (p->fonts[i].data && !strcmp(p->fonts[i].name, arg))
				a = &p->fonts[i];
	if (!a)
		return not_found(con, c);
	return send_bytes(con, MHD_HTTP_OK, a->ctype, r == R_FONT ? CACHE_FONT : CACHE_PAGES,
			  a->data, a->len, MHD_RESPMEM_PERSISTENT, NULL, NULL);
}

static enum MHD_Result do_robots(struct kpublic *p, struct MHD_Connection *con)
{
	struct hbuf b;
	size_t len;
	hb_init(&b);
	/* Ticket pages are private to their holder: keep them out of search engines. */
	hb_puts(&b, "User-agent: *\n");
	if (p->tickets)
		hb_printf(&b, "Disallow: %s\n", p->tpath);
	char *body = hb_take(&b, &len);
	if (!body)
		return MHD_NO;
	return send_bytes(con, MHD_HTTP_OK, "text/plain; charset=utf-8", "public, max-age=86400",
			  body, len, MHD_RESPMEM_MUST_FREE, NULL, NULL);
}

/* ---- the handler ---------------------------------------------------------------- */

static enum MHD_Result sum_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	size_t *n = cls;
	*n += strlen(key) + (value ? strlen(value) + 1 : 0) + 1;
	return MHD_YES;
}

static int is_get(const char *m)
{
	return !strcmp(m, MHD_HTTP_METHOD_GET) || !strcmp(m, MHD_HTTP_METHOD_HEAD);
}

/* Refusals decided from the request line and headers, before any body is read. */
static enum MHD_Result early_refusal(struct kpublic *p, struct MHD_Connection *con,
				     const struct pp_ctx *c, enum route r, const char *method,
				     unsigned char key[16], int *refused)
{
	char retry[16];
	int retry_s = 1;
	size_t qlen = 0;

	*refused = 1;
	client_key(p, con, key);
	if (!rate_take(p, key, &retry_s)) {
		char th[256], en[256];
		snprintf(retry, sizeof retry, "%d", retry_s);
		snprintf(th, sizeof th, "ขออภัย มีการเปิดหน้าจากเครื่องของท่านถี่เกินไป กรุณารอประมาณ %d "
			 "วินาทีแล้วลองใหม่", retry_s);
		snprintf(en, sizeof en, "Sorry, too many requests came from your connection. Please "
			 "wait about %d seconds and try again.", retry_s);
		return send_msg(con, c, MHD_HTTP_TOO_MANY_REQUESTS, "ขอให้รอสักครู่", "Please wait a moment",
				th, en, NULL, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, sum_arg, &qlen);
	if (qlen > PUBLIC_QUERY_MAX)
		return send_msg(con, c, MHD_HTTP_URI_TOO_LONG, "ที่อยู่ยาวเกินไป", "Address too long",
				"ที่อยู่ของหน้านี้ยาวผิดปกติ กรุณาสแกนคิวอาร์โค้ดหรือเปิดลิงก์อีกครั้ง",
				"This address is unusually long. Please scan the QR code or open the "
				"link again.",
				NULL, NULL, NULL);
	if (r == R_NONE)
		return not_found(con, c);
	if (is_post_route(r) ? strcmp(method, MHD_HTTP_METHOD_POST) : !is_get(method))
		return send_msg(con, c, MHD_HTTP_METHOD_NOT_ALLOWED, "ใช้วิธีนี้ไม่ได้", "Not allowed here",
				is_post_route(r) ? "หน้านี้รับเฉพาะการส่งแบบฟอร์ม กรุณากลับไปที่บัตรคิว"
						 : "หน้านี้เปิดดูได้อย่างเดียว",
				is_post_route(r) ? "This address only takes a form; please go back to the ticket."
						 : "This page can only be viewed.",
				NULL, MHD_HTTP_HEADER_ALLOW, is_post_route(r) ? "POST" : "GET, HEAD");
	if (is_post_route(r)) {
		const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && (strlen(cl) > 9 || strtol(cl, NULL, 10) > PUBLIC_DRAIN_MAX))
			return send_msg(con, c, MHD_HTTP_CONTENT_TOO_LARGE, "ข้อมูลยาวเกินไป",
					"Too much data", "ข้อมูลที่ส่งมายาวเกินกว่าที่แบบฟอร์มนี้รับได้",
					"The form sent more than it can hold.", NULL, NULL, NULL);
	}
	*refused = 0;
	return MHD_YES;
}

/* Each connection has its own thread (httpd.c): the first request on it lowers that thread
 * (and only it) to CONN_NICE, so a crowd or a flood on this listener, which `kiosk run`
 * hosts in its own process, takes CPU from the touchscreen's frames last. Raising a
 * thread's nice needs no privilege; a failure changes nothing but that. */
static void yield_to_ui(void)
{
	static __thread int done;
	if (!done) {
		setpriority(PRIO_PROCESS, (id_t)gettid(), CONN_NICE);
		done = 1;
	}
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct kpublic *p = cls;
	struct req *rq = *con_cls;
	const char *arg;
	struct pp_ctx c;
	enum route r = route_of(p, url, &arg);

	ctx_for(p, con, url, &c);
	yield_to_ui();
	if (!rq) {
		int refused;
		unsigned char key[16];
		enum MHD_Result res = early_refusal(p, con, &c, r, method, key, &refused);
		if (refused)
			return res;
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		memcpy(rq->key, key, sizeof rq->key);
		if (is_post_route(r) && !(rq->body = malloc(PUBLIC_BODY_MAX + 1))) {
			free(rq);
			return MHD_NO;
		}
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size) {
		rq->seen += *upload_size;
		if (!rq->body || rq->seen > PUBLIC_DRAIN_MAX)
			return MHD_NO; /* a body where none belongs, or one without end */
		if (rq->len + *upload_size > PUBLIC_BODY_MAX) {
			rq->too_big = 1; /* keep draining; answer 413 at the end */
		} else {
			memcpy(rq->body + rq->len, upload, *upload_size);
			rq->len += *upload_size;
			rq->body[rq->len] = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->body)
		rq->body[rq->len] = 0;
	switch (r) {
	case R_HOME: {
		struct hbuf b;
		hb_init(&b);
		pp_home(&b, &c);
		return send_page(con, MHD_HTTP_OK, &b, CACHE_PAGES, NULL, NULL);
	}
	case R_SERVICES: {
		struct hbuf b;
		hb_init(&b);
		pp_services(&b, &c);
		return send_page(con, MHD_HTTP_OK, &b, CACHE_PAGES, NULL, NULL);
	}
	case R_SERVICE: return do_service(p, con, &c, arg, method);
	case R_OD_INDEX: return do_opendata(p, con, &c, NULL);
	case R_OD_FILE: return do_opendata(p, con, &c, arg);
	case R_STATS: return do_stats(p, con, &c);
	case R_CSS:
	case R_JS:
	case R_FONT: return do_static(p, con, &c, r, arg);
	case R_ROBOTS: return do_robots(p, con);
	case R_T: return do_ticket(p, con, &c, method);
	case R_T_WAIT: return do_wait(p, con, &c, rq);
	case R_T_LEAVE: return do_leave(p, con, &c, rq);
	case R_T_RATE: return do_rate(p, con, &c, rq);
	default: return not_found(con, &c);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoding except %00, which stays as it is: a NUL would cut a path or value
 * short and hide what follows it. */
size_t kpublic_unescape(void *cls, struct MHD_Connection *con, char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 && (hi | lo)) {
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
	return (size_t)(w - s);
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;
	if (rq) {
		if (rq->body)
			explicit_bzero(rq->body, rq->len); /* a comment may hold what we never keep */
		free(rq->body);
		free(rq);
	}
	*con_cls = NULL;
}

/* "https://host[:port]/path?query..." -> prefix "https://host[:port]", path "/path". 0 when
 * the template is not an http(s) URL with a fixed origin and path. */
static int split_template(const char *tmpl, char *prefix, char *path, size_t cap)
{
	const char *scheme = strstr(tmpl, "://");
	if (!scheme || (strncmp(tmpl, "https://", 8) && strncmp(tmpl, "http://", 7)))
		return 0;
	const char *slash = strchr(scheme + 3, '/');
	if (!slash)
		return 0;
	size_t pl = (size_t)(slash - tmpl), ql = strcspn(slash, "?");
	if (pl >= cap || ql >= cap || ql < 2 || slash[ql] != '?')
		return 0;
	memcpy(prefix, tmpl, pl);
	prefix[pl] = 0;
	memcpy(path, slash, ql);
	path[ql] = 0;
	/* A placeholder in the origin or the path: a request could not be matched back. */
	return !strchr(prefix, '{') && !strchr(path, '{');
}

kst kpublic_start(const struct kpublic_conf *conf, struct kpublic **out, struct kerr *err)
{
	uint8_t key[SECRET_KEY_LEN];
	kst rc;

	*out = NULL;
	struct kpublic *p = calloc(1, sizeof *p);
	if (!p || !(p->rate = calloc(PUBLIC_RATE_SLOTS, sizeof *p->rate))) {
		free(p);
		return kerr_set(err, K_EFAIL, "out of memory");
	}
	p->cfg = conf->cfg;
	p->timeout_s = conf->timeout_s > 0 ? conf->timeout_s : PUBLIC_TIMEOUT_S;
	pthread_mutex_init(&p->db_lock, NULL);
	pthread_mutex_init(&p->ev_lock, NULL);
	pthread_mutex_init(&p->rate_lock, NULL);
	pthread_mutex_init(&p->stats_lock, NULL);
	/* Long-poll waits are durations: on CLOCK_MONOTONIC (see net/api.c). */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->ev_cond, &ca);
	pthread_condattr_destroy(&ca);

	if (split_template(p->cfg->qr_template, p->tprefix, p->tpath, sizeof p->tpath)) {
		if ((rc = secret_load_or_create(conf->data_dir, key, err)))
			goto fail;
		rc = qrp_init(&p->qrp, p->cfg->qr_template, key, err);
		secret_wipe(key, sizeof key);
		if (rc)
			goto fail;
		p->tickets = 1;
	} else {
		fprintf(stderr, "kiosk serve --public: [ticket] qr_template is not an http(s) URL "
				"with a fixed path: no ticket page (the other pages are served)\n");
	}
	if ((rc = kstore_open(conf->data_dir, &p->st, err)))
		goto fail;
	p->q.st = &p->st;
	p->q.cfg = p->cfg;
	if (pub_fonts_load(p->fonts) < PUB_FONTS)
		fprintf(stderr, "kiosk serve --public: Sarabun not found in fonts/: pages use the "
				"phone's own Thai font\n");

	struct khttpd_conf hc = {.bind = conf->bind,
				 .bind_name = conf->bind_name ? conf->bind_name : "[public] bind =",
				 .port = conf->port,
				 .conn_max = PUBLIC_CONN_MAX,
				 /* Behind a proxy every phone comes from the proxy's address. */
				 .conn_per_ip = p->cfg->public_trusted_proxy[0] ? 0 : PUBLIC_CONN_PER_IP,
				 .timeout_s = (unsigned)p->timeout_s,
				 .conn_memory = PUBLIC_CONN_MEMORY,
				 .log_name = "kiosk serve --public",
				 .handler = handle,
				 .completed = completed,
				 .unescape = kpublic_unescape,
				 .cls = p};
	if ((rc = khttpd_start(&hc, &p->d, &p->port, err)))
		goto fail;
	*out = p;
	return K_OK;
fail:
	kpublic_stop(p);
	return rc;
}

int kpublic_port(const struct kpublic *p)
{
	return p->port;
}

void kpublic_stop(struct kpublic *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->ev_lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->ev_cond);
	pthread_mutex_unlock(&p->ev_lock);
	if (p->d)
		MHD_stop_daemon(p->d); /* joins every connection thread */
	if (p->st.db)
		kstore_close(&p->st);
	qrp_wipe(&p->qrp);
	pub_fonts_free(p->fonts);
	for (int i = 0; i < 2; i++)
		free(p->stats[i].body);
	free(p->rate);
	pthread_cond_destroy(&p->ev_cond);
	pthread_mutex_destroy(&p->stats_lock);
	pthread_mutex_destroy(&p->rate_lock);
	pthread_mutex_destroy(&p->ev_lock);
	pthread_mutex_destroy(&p->db_lock);
	free(p);
}
