/**
 * @file feed.c
 * @brief The display board's queue feed, local or over HTTP (see feed.h).
 */
#include "net/feed.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "core/qjson.h"
#include "core/queue.h"
#include "core/store.h"
#include "dev/uploader.h"

struct feed {
	feed_cb cb;
	void *ctx;
	/* local */
	const struct kconfig *cfg;
	char data_dir[KSTORE_PATH_MAX];
	/* remote */
	char url[FEED_URL_MAX];
	CURL *curl;
	CURLM *multi; /* so feed_stop can wake a transfer at once (curl_multi_wakeup) */

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled by feed_stop */
	int stop;
};


static int stopping(struct feed *f)
{
	pthread_mutex_lock(&f->lock);
	int s = f->stop;
	pthread_mutex_unlock(&f->lock);
	return s;
}

/* Sleeps ms unless stopped first; returns 1 when stopping. */
static int nap(struct feed *f, int64_t ms)
{
	struct timespec ts;
	kclock_mono_deadline(&ts, ms); /* f->cond waits on CLOCK_MONOTONIC */
	pthread_mutex_lock(&f->lock);
	while (!f->stop && pthread_cond_timedwait(&f->cond, &f->lock, &ts) == 0)
		;
	int s = f->stop;
	pthread_mutex_unlock(&f->lock);
	return s;
}

static int64_t backoff_next(int64_t b)
{
	b *= 2;
	return b > FEED_BACKOFF_MAX_MS ? FEED_BACKOFF_MAX_MS : b;
}

/* --- local ------------------------------------------------------------------ */

static void *local_main(void *arg)
{
	struct feed *f = arg;
	struct kstore st = {0};
	struct kqueue q = {.st = &st, .cfg = f->cfg};
	struct kerr err;
	int64_t backoff = FEED_BACKOFF_MIN_MS, last = -1, refresh_at = 0;
	int open = 0, lost_told = 0;

	while (!stopping(f)) {
		if (!open) {
			if (kstore_open(f->data_dir, &st, &err)) {
				if (!lost_told) {
					fprintf(stderr, "kiosk display: %s\n", err.msg);
					f->cb(f->ctx, NULL);
					lost_told = 1;
				}
				nap(f, backoff);
				backoff = backoff_next(backoff);
				continue;
			}
			open = 1;
			last = -1;
		}
		int64_t m = qjson_last_event(&q), now = kclock_mono_ms();
		if (m >= 0 && (m != last || now >= refresh_at)) {
			json_t *o = qjson_status(&q, &err);
			if (o) {
				last = m;
				refresh_at = now + FEED_REFRESH_MS;
				backoff = FEED_BACKOFF_MIN_MS;
				lost_told = 0;
				f->cb(f->ctx, o);
			} else {
				m = -1;
			}
		}
		if (m < 0) {
			/* Reopen: the file may have been replaced or recovered. */
			kstore_close(&st);
			open = 0;
			if (!lost_told) {
				f->cb(f->ctx, NULL);
				lost_told = 1;
			}
			nap(f, backoff);
			backoff = backoff_next(backoff);
			continue;
		}
		nap(f, FEED_LOCAL_POLL_MS);
	}
	if (open)
		kstore_close(&st);
	return NULL;
}

/* --- remote ------------------------------------------------------------------- */

struct body {
	char *p;
	size_t n;
	int too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct body *b = userdata;
	size_t len = size * nmemb;
	if (b->n + len > FEED_BODY_MAX) {
		b->too_big = 1;
		return 0; /* aborts the transfer */
	}
	char *np = realloc(b->p, b->n + len + 1);
	if (!np)
		return 0;
	memcpy(np + b->n, ptr, len);
	b->p = np;
	b->n += len;
	b->p[b->n] = 0;
	return len;
}

/* GET url and parse a JSON object, or NULL. */
static json_t *get_json(struct feed *f, const char *url, long timeout_ms)
{
	struct body b = {0};
	long status = 0;
	json_t *o = NULL;

	curl_easy_setopt(f->curl, CURLOPT_URL, url);
	curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(f->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
	int running = 1;
	curl_multi_add_handle(f->multi, f->curl);
	while (running && !stopping(f)) {
		if (curl_multi_perform(f->multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(f->multi, NULL, 0, 1000, NULL);
	}
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(f->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			rc = m->data.result;
	curl_multi_remove_handle(f->multi, f->curl);
	curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && status == 200 && b.p)
		o = json_loadb(b.p, b.n, 0, NULL);
	if (o && !json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	free(b.p);
	return o;
}

static void *remote_main(void *arg)
{
	struct feed *f = arg;
	char url[FEED_URL_MAX + 64];
	int64_t backoff = FEED_BACKOFF_MIN_MS;
	int lost_told = 0;

	while (!stopping(f)) {
		snprintf(url, sizeof url, "%s/api/queue", f->url);
		json_t *q = get_json(f, url, FEED_CONNECT_MS + 3000);
		if (!q) {
			if (stopping(f))
				break;
			if (!lost_told) {
				f->cb(f->ctx, NULL);
				lost_told = 1;
			}
			nap(f, backoff);
			backoff = backoff_next(backoff);
			continue;
		}
		json_int_t last = json_integer_value(json_object_get(q, "last_event"));
		lost_told = 0;
		backoff = FEED_BACKOFF_MIN_MS;
		f->cb(f->ctx, q);
		/* Wait for the next change; then (or after the wait) read the queue again. */
		snprintf(url, sizeof url, "%s/api/events?after=%lld&wait=%d", f->url, (long long)last,
			 FEED_WAIT_S);
		int64_t t0 = kclock_mono_ms();
		json_t *e = get_json(f, url, (FEED_WAIT_S + 10) * 1000L);
		if (!e && kclock_mono_ms() - t0 < FEED_BACKOFF_MIN_MS)
			nap(f, FEED_BACKOFF_MIN_MS); /* a server that fails fast must not spin us */
		json_decref(e);
	}
	return NULL;
}

/* --- start / stop ------------------------------------------------------------ */

static struct feed *feed_new(feed_cb cb, void *ctx)
{
	struct feed *f = calloc(1, sizeof *f);
	pthread_condattr_t ca;
	if (!f)
		return NULL;
	f->cb = cb;
	f->ctx = ctx;
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cond, &ca);
	pthread_condattr_destroy(&ca);
	return f;
}

static void feed_free(struct feed *f)
{
	if (f->curl)
		curl_easy_cleanup(f->curl);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

kst feed_start_local(const struct kconfig *cfg, const char *data_dir, feed_cb cb, void *ctx,
		     struct feed **out, struct kerr *err)
{
	struct feed *f = feed_new(cb, ctx);
	*out = NULL;
	if (!f)
		return kerr_set(err, K_EFAIL, "out of memory");
	f->cfg = cfg;
	if (snprintf(f->data_dir, sizeof f->data_dir, "%s", data_dir) >= (int)sizeof f->data_dir) {
		feed_free(f);
		return kerr_set(err, K_EUSAGE, "%s: path too long", data_dir);
	}
	if (pthread_create(&f->thread, NULL, local_main, f)) {
		feed_free(f);
		return kerr_set(err, K_EFAIL, "cannot start the feed thread");
	}
	*out = f;
	return K_OK;
}

kst feed_start_remote(const char *url, feed_cb cb, void *ctx, struct feed **out,
		      struct kerr *err)
{
	size_t n = strlen(url);
	*out = NULL;
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return kerr_set(err, K_EUSAGE, "--source %.80s: give http://HOST:PORT", url);
	if (n >= FEED_URL_MAX)
		return kerr_set(err, K_EUSAGE, "--source: URL too long");
	struct feed *f = feed_new(cb, ctx);
	struct kerr e2;
	if (!f || upl_curl_new(&f->curl, &e2) || !(f->multi = curl_multi_init())) {
		if (f)
			feed_free(f);
		return kerr_set(err, K_EFAIL, "cannot set up HTTP");
	}
	while (n && url[n - 1] == '/')
		n--;
	snprintf(f->url, sizeof f->url, "%.*s", (int)n, url);
	curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)FEED_CONNECT_MS);
	curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(f->curl, CURLOPT_USERAGENT, "kiosk-display");
	if (pthread_create(&f->thread, NULL, remote_main, f)) {
		feed_free(f);
		return kerr_set(err, K_EFAIL, "cannot start the feed thread");
	}
	*out = f;
	return K_OK;
}

void feed_stop(struct feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	if (f->multi)
		curl_multi_wakeup(f->multi); /* out of curl_multi_poll: never wait out a long-poll */
	pthread_join(f->thread, NULL);
	feed_free(f);
}
