/**
 * @file api.c
 * @brief The counter API on libmicrohttpd (see api.h).
 */
#include "net/api.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "core/clock.h"
#include "core/ctoken.h"
#include "core/qjson.h"
#include "core/queue.h"
#include "core/secret.h"
#include "core/store.h"
#include "net/httpd.h"

#define API_MSG_MAX KERR_MSG_MAX

/* The counter page (assets/counter.html), linked in by net/counter_page.c. */
extern const char kapi_counter_html[];

struct kapi {
	struct MHD_Daemon *d;
	const struct kconfig *cfg;
	int port, timeout_s;
	uint8_t subkey[SECRET_KEY_LEN]; /* counter-token key */

	pthread_mutex_t db_lock; /* guards st and q: one SQLite connection */
	struct kstore st;
	struct kqueue q;

	pthread_mutex_t ev_lock; /* guards stopping and waiters; ev_cond wakes long-polls */
	pthread_cond_t ev_cond;
	int stopping;
	int waiters;             /* long-polls waiting now */
};

/* Per request: the body collected so far. */
struct req {
	char body[API_BODY_MAX + 1];
	size_t len;
	int too_big;
	size_t seen; /* body bytes received, kept or not */
};

enum route { R_NONE, R_PAGE, R_QUEUE, R_EVENTS, R_COUNTER };

static const struct {
	const char *name;
	int call; /* 1: call, else the kqueue_op */
	enum kqueue_op op;
} OPS[] = {{"call", 1, KQ_RECALL},        {"recall", 0, KQ_RECALL}, {"start", 0, KQ_START},
	   {"finish", 0, KQ_FINISH},      {"no-show", 0, KQ_NO_SHOW},
	   {"transfer", 0, KQ_TRANSFER}};
#define N_OPS (sizeof OPS / sizeof OPS[0])

void kapi_split_msg(const char *msg, char *th, size_t th_size, char *en, size_t en_size)
{
	const char *sep = strstr(msg, " / ");
	if (!sep) {
		snprintf(th, th_size, "%s", msg);
		snprintf(en, en_size, "%s", msg);
		return;
	}
	snprintf(th, th_size, "%.*s", (int)(sep - msg), msg);
	snprintf(en, en_size, "%s", sep + 3);
}

static enum MHD_Result send_body(struct MHD_Connection *con, unsigned status, const char *type,
				 const char *body, size_t len, const char *allow)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"counter\"");
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	enum MHD_Result ok = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Sends obj as JSON and releases it. */
static enum MHD_Result send_json(struct MHD_Connection *con, unsigned status, json_t *obj,
				 const char *allow)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (!s)
		return MHD_NO;
	size_t n = strlen(s);
	s[n] = '\n'; /* overwrite the NUL: the body ends with a newline for curl users */
	enum MHD_Result ok = send_body(con, status, "application/json; charset=utf-8", s, n + 1, allow);
	free(s);
	return ok;
}

static enum MHD_Result send_err(struct MHD_Connection *con, unsigned status, const char *th,
				const char *en, const char *allow)
{
	return send_json(con, status,
			 json_pack("{s:s, s:s, s:i}", "error", en, "error_th", th, "status", (int)status),
			 allow);
}

/* "/api/counters/N/op": counter number and op index, or 0 when not that shape.
 * N is 1 to 3 digits without a leading zero; the range is checked by the caller. */
static int parse_counter_path(const char *url, int *counter, int *op)
{
	const char *p = url + strlen("/api/counters/");
	int n = 0, digits = 0;
	if (strncmp(url, "/api/counters/", strlen("/api/counters/")))
		return 0;
	while (*p >= '0' && *p <= '9') {
		if (++digits > 3 || (digits == 1 && *p == '0'))
			return -1;
		n = n * 10 + (*p++ - '0');
	}
	if (!digits || *p++ != '/')
		return -1;
	for (size_t i = 0; i < N_OPS; i++)
		if (!strcmp(p, OPS[i].name)) {
			*counter = n;
			*op = (int)i;
			return 1;
		}
	return -1;
}

static enum route route_of(const char *url, int *counter, int *op)
{
	if (!strcmp(url, "/") || !strcmp(url, "/counter") || !strcmp(url, "/index.html"))
		return R_PAGE;
	if (!strcmp(url, "/api/queue"))
		return R_QUEUE;
	if (!strcmp(url, "/api/events"))
		return R_EVENTS;
	return parse_counter_path(url, counter, op) == 1 ? R_COUNTER : R_NONE;
}

/* 0 ok; else the HTTP status to refuse with (401 or 403). */
static unsigned check_token(struct kapi *a, struct MHD_Connection *con, int counter)
{
	const char *h = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncasecmp(h, "Bearer ", 7))
		return MHD_HTTP_UNAUTHORIZED;
	h += 7;
	while (*h == ' ')
		h++;
	size_t len = strlen(h);
	while (len && h[len - 1] == ' ')
		len--;
	if (ctoken_check(a->subkey, counter, h, len))
		return 0;
	/* Tell "a real token, wrong counter" (403) from "no token at all" (401):
	 * staff who typed the neighbour's token need a different message. */
	for (int k = 1; k <= a->cfg->counters; k++)
		if (k != counter && ctoken_check(a->subkey, k, h, len))
			return MHD_HTTP_FORBIDDEN;
	return MHD_HTTP_UNAUTHORIZED;
}

static int is_get(const char *method)
{
	return !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
}

/* Refusals that need no body: path, method, token, declared size. */
static enum MHD_Result early_refusal(struct kapi *a, struct MHD_Connection *con, enum route r,
				     int counter, const char *method, int *refused)
{
	char th[128], en[128];
	*refused = 1;
	if (r == R_NONE)
		return send_err(con, MHD_HTTP_NOT_FOUND, "ไม่พบหน้าที่ขอ", "no such path", NULL);
	if (r == R_COUNTER && (counter < 1 || counter > a->cfg->counters)) {
		snprintf(th, sizeof th, "ไม่มีช่องบริการ %d (มีช่อง 1 ถึง %d)", counter, a->cfg->counters);
		snprintf(en, sizeof en, "counter %d does not exist (1 to %d)", counter, a->cfg->counters);
		return send_err(con, MHD_HTTP_NOT_FOUND, th, en, NULL);
	}
	if (r != R_COUNTER && !is_get(method))
		return send_err(con, MHD_HTTP_METHOD_NOT_ALLOWED, "ใช้ได้เฉพาะ GET",
				"only GET is allowed here", "GET, HEAD");
	if (r == R_COUNTER && strcmp(method, MHD_HTTP_METHOD_POST))
		return send_err(con, MHD_HTTP_METHOD_NOT_ALLOWED, "ใช้ได้เฉพาะ POST",
				"only POST is allowed here", "POST");
	if (r == R_COUNTER) {
		unsigned st = check_token(a, con, counter);
		if (st == MHD_HTTP_FORBIDDEN) {
			snprintf(th, sizeof th, "รหัสนี้เป็นของช่องอื่น ไม่ใช่ช่อง %d", counter);
			snprintf(en, sizeof en, "this token belongs to another counter, not counter %d",
				 counter);
			return send_err(con, st, th, en, NULL);
		}
		if (st)
			return send_err(con, st, "ต้องใส่รหัสประจำช่องบริการที่ถูกต้อง",
					"a valid counter token is required (Authorization: Bearer ...)",
					NULL);
		const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && (strlen(cl) > 9 || strtol(cl, NULL, 10) > API_DRAIN_MAX))
			return send_err(con, MHD_HTTP_CONTENT_TOO_LARGE, "ข้อมูลที่ส่งมายาวเกินไป",
					"request body too large (at most 4096 bytes)", NULL);
	}
	*refused = 0;
	return MHD_YES;
}

/* Parses the op's body: {} for most, {"service"} for call, {"to"} for
 * transfer. 0 ok, else fills th/en for a 400. */
static int parse_body(const struct kapi *a, const struct req *rq, int op, char *svc,
		      char *th, size_t thn, char *en, size_t enn)
{
	const char *want = OPS[op].call ? "service" : OPS[op].op == KQ_TRANSFER ? "to" : NULL;
	json_error_t je;
	const char *key;
	json_t *v, *o;
	size_t i;

	svc[0] = 0;
	for (i = 0; i < rq->len && strchr(" \t\r\n", rq->body[i]); i++)
		;
	if (i == rq->len)
		o = json_object(); /* an empty body is {} */
	else
		o = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		snprintf(th, thn, "ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง");
		snprintf(en, enn, "the body must be a JSON object%s%s", o ? "" : ": ", o ? "" : je.text);
		json_decref(o);
		return -1;
	}
	json_object_foreach(o, key, v) {
		if (!want || strcmp(key, want)) {
			snprintf(th, thn, "ไม่รู้จักช่อง \"%.40s\" ในข้อมูล", key);
			snprintf(en, enn, "unknown field \"%.40s\"%s%s", key, want ? "; expected " : "",
				 want ? want : "");
			json_decref(o);
			return -1;
		}
		const char *s = json_string_value(v);
		if (!s || !kcatalog_find(&a->cfg->catalog, s)) {
			snprintf(th, thn, "ไม่รู้จักงานบริการ \"%.40s\"", s ? s : "?");
			snprintf(en, enn, "\"%s\" must be a known service id (see GET /api/queue)", key);
			json_decref(o);
			return -1;
		}
		snprintf(svc, KCAT_ID_MAX, "%s", s);
	}
	json_decref(o);
	if (OPS[op].op == KQ_TRANSFER && !OPS[op].call && !svc[0]) {
		snprintf(th, thn, "กรุณาเลือกงานบริการที่จะโอนไป");
		snprintf(en, enn, "transfer needs {\"to\": \"service-id\"}");
		return -1;
	}
	return 0;
}

static void wake_waiters(struct kapi *a)
{
	pthread_mutex_lock(&a->ev_lock);
	pthread_cond_broadcast(&a->ev_cond);
	pthread_mutex_unlock(&a->ev_lock);
}

static enum MHD_Result do_counter(struct kapi *a, struct MHD_Connection *con, int counter,
				  int op, const struct req *rq)
{
	char svc[KCAT_ID_MAX], th[API_MSG_MAX], en[API_MSG_MAX];
	struct kerr err = {0};
	struct kticket t;
	kst rc;

	if (rq->too_big)
		return send_err(con, MHD_HTTP_CONTENT_TOO_LARGE, "ข้อมูลที่ส่งมายาวเกินไป",
				"request body too large (at most 4096 bytes)", NULL);
	if (parse_body(a, rq, op, svc, th, sizeof th, en, sizeof en))
		return send_err(con, MHD_HTTP_BAD_REQUEST, th, en, NULL);
	pthread_mutex_lock(&a->db_lock);
	if (OPS[op].call)
		rc = kqueue_call(&a->q, counter, svc[0] ? svc : NULL, &t, &err);
	else
		rc = kqueue_op(&a->q, OPS[op].op, counter, svc, &t, &err);
	pthread_mutex_unlock(&a->db_lock);
	if (rc == K_OK) {
		wake_waiters(a);
		json_t *j = kticket_json(&t);
		json_object_set_new(j, "counter", t.counter ? json_integer(t.counter) : json_null());
		return send_json(con, MHD_HTTP_OK, j, NULL);
	}
	if (!strncmp(err.msg, "kiosk.db:", 9)) {
		fprintf(stderr, "kiosk serve: %s\n", err.msg);
		return send_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบคิวไม่ว่าง กรุณาลองอีกครั้ง",
				"the queue database is busy; try again", NULL);
	}
	kapi_split_msg(err.msg, th, sizeof th, en, sizeof en);
	return send_err(con, rc == K_EUSAGE ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_CONFLICT, th, en, NULL);
}

static enum MHD_Result do_queue(struct kapi *a, struct MHD_Connection *con)
{
	struct kerr err = {0};
	pthread_mutex_lock(&a->db_lock);
	json_t *o = qjson_status(&a->q, &err);
	pthread_mutex_unlock(&a->db_lock);
	if (!o)
		return send_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "อ่านข้อมูลคิวไม่ได้ชั่วคราว",
				"cannot read the queue right now", NULL);
	return send_json(con, MHD_HTTP_OK, o, NULL);
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

static enum MHD_Result events_wait(struct kapi *a, struct MHD_Connection *con, int64_t after,
				   int64_t wait);

static enum MHD_Result do_events(struct kapi *a, struct MHD_Connection *con)
{
	int64_t after = num_arg(con, "after", INT64_MAX / 2);
	int64_t wait = num_arg(con, "wait", API_WAIT_MAX);

	if (after == -2 || wait == -2)
		return send_err(con, MHD_HTTP_BAD_REQUEST, "ค่า after/wait ต้องเป็นตัวเลข",
				"after must be an event id and wait 0 to 25 seconds", NULL);
	if (after < 0)
		after = 0;
	if (wait < 0)
		wait = API_WAIT_MAX;
	/* Long-polls hold a connection each: a client that opens many (a bug, or
	 * someone on the LAN) must not use up the connections counters need. Past
	 * the cap the answer is an immediate "busy, retry", never a wait. */
	pthread_mutex_lock(&a->ev_lock);
	int busy = wait > 0 && a->waiters >= API_WAITERS_MAX;
	if (!busy && wait > 0)
		a->waiters++;
	pthread_mutex_unlock(&a->ev_lock);
	if (busy)
		return send_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "ระบบไม่ว่าง กรุณาลองใหม่",
				"too many waiting clients: retry in a second", NULL);
	enum MHD_Result res = events_wait(a, con, after, wait);
	if (wait > 0) {
		pthread_mutex_lock(&a->ev_lock);
		a->waiters--;
		pthread_mutex_unlock(&a->ev_lock);
	}
	return res;
}

static enum MHD_Result events_wait(struct kapi *a, struct MHD_Connection *con, int64_t after,
				   int64_t wait)
{
	struct kerr err = {0};
	int64_t last;

	/* The connection is quiet while we wait: give it room past the wait. */
	MHD_set_connection_option(con, MHD_CONNECTION_OPTION_TIMEOUT,
				  (unsigned)(wait + a->timeout_s));
	int64_t deadline = kclock_mono_ms() + wait * 1000;
	for (;;) {
		pthread_mutex_lock(&a->db_lock);
		last = qjson_last_event(&a->q);
		pthread_mutex_unlock(&a->db_lock);
		if (last < 0)
			return send_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "อ่านข้อมูลคิวไม่ได้ชั่วคราว",
					"cannot read the queue right now", NULL);
		/* after > last: the database was replaced; answer so the client resyncs. */
		if (last != after)
			break;
		int64_t left = deadline - kclock_mono_ms();
		if (left <= 0)
			break;
		if (left > API_POLL_MS)
			left = API_POLL_MS;
		struct timespec ts;
		kclock_mono_deadline(&ts, left); /* ev_cond waits on CLOCK_MONOTONIC */
		pthread_mutex_lock(&a->ev_lock);
		int stop = a->stopping;
		if (!stop)
			pthread_cond_timedwait(&a->ev_cond, &a->ev_lock, &ts);
		stop = a->stopping;
		pthread_mutex_unlock(&a->ev_lock);
		if (stop)
			break;
	}
	pthread_mutex_lock(&a->db_lock);
	json_t *o = last < after ? json_pack("{s:I, s:[], s:b}", "last_event", (json_int_t)last,
					      "events", "reset", 1)
				 : qjson_events(&a->q, after, &err);
	pthread_mutex_unlock(&a->db_lock);
	if (!o)
		return send_err(con, MHD_HTTP_SERVICE_UNAVAILABLE, "อ่านข้อมูลคิวไม่ได้ชั่วคราว",
				"cannot read the queue right now", NULL);
	return send_json(con, MHD_HTTP_OK, o, NULL);
}

static enum MHD_Result do_page(struct MHD_Connection *con)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(kapi_counter_html), (void *)kapi_counter_html, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; script-src 'unsafe-inline'; style-src "
				"'unsafe-inline'; connect-src 'self'; img-src data:");
	enum MHD_Result ok = MHD_queue_response(con, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct kapi *a = cls;
	struct req *rq = *con_cls;
	int counter = 0, op = 0, refused;
	enum route r = route_of(url, &counter, &op);

	if (!rq) {
		/* First call: headers only. Refuse now whatever needs no body, so a
		 * huge or unauthorised upload is never read. */
		enum MHD_Result res = early_refusal(a, con, r, counter, method, &refused);
		if (refused)
			return res;
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size) {
		rq->seen += *upload_size;
		if (rq->seen > API_DRAIN_MAX)
			return MHD_NO; /* a body without end (chunked): drop the connection */
		if (rq->len + *upload_size > API_BODY_MAX)
			rq->too_big = 1; /* keep draining; answer 413 at the end */
		else {
			memcpy(rq->body + rq->len, upload, *upload_size);
			rq->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	switch (r) {
	case R_PAGE: return do_page(con);
	case R_QUEUE: return do_queue(a, con);
	case R_EVENTS: return do_events(a, con);
	case R_COUNTER: return do_counter(a, con, counter, op, rq);
	default: return send_err(con, MHD_HTTP_NOT_FOUND, "ไม่พบหน้าที่ขอ", "no such path", NULL);
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

/* Percent-decoding as libmicrohttpd does it, except that %00 stays as it is:
 * a NUL would cut "/api/queue%00junk" to "/api/queue" and hide the junk. */
static size_t unescape(void *cls, struct MHD_Connection *con, char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
		    (hi | lo)) {
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
	free(*con_cls);
	*con_cls = NULL;
}

kst kapi_start(const struct kapi_conf *conf, struct kapi **out, struct kerr *err)
{
	uint8_t key[SECRET_KEY_LEN];
	kst rc;

	*out = NULL;
	struct kapi *a = calloc(1, sizeof *a);
	if (!a)
		return kerr_set(err, K_EFAIL, "out of memory");
	a->cfg = conf->cfg;
	a->timeout_s = conf->timeout_s > 0 ? conf->timeout_s : API_TIMEOUT_S;
	pthread_mutex_init(&a->db_lock, NULL);
	pthread_mutex_init(&a->ev_lock, NULL);
	/* Long-poll waits are durations: on CLOCK_MONOTONIC, so the wall clock set back an
	 * hour (NTP, staff) cannot hold a board's request for an hour. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&a->ev_cond, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = secret_load_or_create(conf->data_dir, key, err)))
		goto fail;
	ctoken_subkey(key, a->subkey);
	secret_wipe(key, sizeof key);
	if ((rc = kstore_open(conf->data_dir, &a->st, err)))
		goto fail;
	a->q.st = &a->st;
	a->q.cfg = a->cfg;

	struct khttpd_conf hc = {.bind = conf->bind,
				 .bind_name = "[api] bind =",
				 .port = conf->port,
				 .conn_max = API_CONN_MAX,
				 .conn_per_ip = API_CONN_PER_IP,
				 .timeout_s = (unsigned)a->timeout_s,
				 .conn_memory = API_CONN_MEMORY,
				 .log_name = "kiosk serve",
				 .handler = handle,
				 .completed = completed,
				 .unescape = unescape,
				 .cls = a};
	if ((rc = khttpd_start(&hc, &a->d, &a->port, err)))
		goto fail;
	*out = a;
	return K_OK;
fail:
	kapi_stop(a);
	return rc;
}

int kapi_port(const struct kapi *a)
{
	return a->port;
}

void kapi_stop(struct kapi *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->ev_lock);
	a->stopping = 1;
	pthread_cond_broadcast(&a->ev_cond);
	pthread_mutex_unlock(&a->ev_lock);
	if (a->d)
		MHD_stop_daemon(a->d); /* joins every connection thread */
	if (a->st.db)
		kstore_close(&a->st);
	secret_wipe(a->subkey, sizeof a->subkey);
	pthread_cond_destroy(&a->ev_cond);
	pthread_mutex_destroy(&a->ev_lock);
	pthread_mutex_destroy(&a->db_lock);
	free(a);
}
