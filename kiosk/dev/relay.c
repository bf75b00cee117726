/**
 * @file relay.c
 * @brief The queue snapshot pusher (see relay.h).
 */
#include "dev/relay.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/clock.h"
#include "core/outbox.h"
#include "core/qrpayload.h"
#include "core/qsnap.h"
#include "core/queue.h"
#include "core/secret.h"
#include "core/store.h"
#include "dev/uploader.h"

#define RELAY_WHY_MAX 240 /* one line for the operator: status and the server's reason */

struct relay {
	const struct kconfig *cfg;
	struct kstore st;
	struct kqueue q;
	struct qrp qrp;
	CURL *curl;
	char url[RELAY_URL_MAX];
	char token_path[KCONF_PATH_MAX * 2], ca_path[KCONF_PATH_MAX * 2];
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int stop;
	char reply[RELAY_WHY_MAX];
	size_t reply_len;
};

kst relay_url(const char *server_url, char out[RELAY_URL_MAX], struct kerr *err)
{
	kst rc = upl_check_url(server_url, err);
	if (rc)
		return rc;
	const char *host = strstr(server_url, "://") + 3;
	const char *slash = strrchr(host, '/');
	size_t keep = slash ? (size_t)(slash - server_url) : strlen(server_url);
	if (keep + 1 + sizeof RELAY_PATH_SEGMENT > RELAY_URL_MAX)
		return kerr_set(err, K_EUSAGE, "server URL too long");
	/* The query (if any) goes with the last segment: a snapshot has none. */
	snprintf(out, RELAY_URL_MAX, "%.*s/%s", (int)keep, server_url, RELAY_PATH_SEGMENT);
	return K_OK;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct relay *r = arg;
	size_t len = size * n, room = sizeof r->reply - 1 - r->reply_len;
	size_t take = len < room ? len : room;
	for (size_t i = 0; i < take; i++) /* one printable line for the log */
		r->reply[r->reply_len++] = (unsigned char)p[i] < 0x20 ? ' ' : p[i];
	r->reply[r->reply_len] = 0;
	return len;
}

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct relay *r = arg;
	return atomic_load(&r->stop) ? 1 : 0; /* nonzero aborts: stopping never waits */
}

/* Builds and sends one snapshot. Returns the HTTP status (0: no reply), why says what
 * went wrong; *event the event id it reflects; *bytes its size. */
static long push(struct relay *r, int64_t *event, size_t *bytes, int64_t *build_ms,
		 char why[RELAY_WHY_MAX])
{
	char token[UPL_TOKEN_MAX + 1], auth[UPL_TOKEN_MAX + 32], errbuf[CURL_ERROR_SIZE] = "";
	struct kerr err = {0};
	json_t *snap = NULL;
	struct curl_slist *h = NULL;
	long status = 0;

	why[0] = 0;
	*bytes = 0;
	int64_t t0 = kclock_mono_ms();
	kst brc = qsnap_build(&r->q, &r->qrp, &snap, event, &err);
	*build_ms = kclock_mono_ms() - t0;
	if (brc) {
		snprintf(why, RELAY_WHY_MAX, "%s", err.msg);
		return 0;
	}
	char *body = json_dumps(snap, JSON_COMPACT);
	json_decref(snap);
	if (!body) {
		snprintf(why, RELAY_WHY_MAX, "out of memory");
		return 0;
	}
	*bytes = strlen(body);
	/* Read for each push, like the uploader: staff can fix it without a restart. The
	 * curl handle is made here, on the relay's thread, not at start (upl_curl_new). */
	if (upl_read_token(r->token_path, token, sizeof token, &err) ||
	    (!r->curl && upl_curl_new(&r->curl, &err))) {
		snprintf(why, RELAY_WHY_MAX, "%s", err.msg);
		free(body);
		return 0;
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	secret_wipe(token, sizeof token);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Expect:");
	secret_wipe(auth, sizeof auth);
	r->reply_len = 0;
	r->reply[0] = 0;
	upl_curl_setup(r->curl, r->url, r->ca_path, UPL_CONNECT_TIMEOUT_MS, RELAY_TIMEOUT_MS);
	curl_easy_setopt(r->curl, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)*bytes);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(r->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(r->curl, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(r->curl, CURLOPT_NOPROGRESS, 0L);
	CURLcode cc = curl_easy_perform(r->curl);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	free(body);
	if (cc != CURLE_OK) {
		snprintf(why, RELAY_WHY_MAX, "%s%s%s", curl_easy_strerror(cc),
			 errbuf[0] ? ": " : "", errbuf);
		return 0;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		snprintf(why, RELAY_WHY_MAX, "HTTP %ld %.200s", status, r->reply);
	return status;
}

static uint64_t rnd64(void)
{
	uint64_t x = 0;
	if (getrandom(&x, sizeof x, GRND_NONBLOCK) != sizeof x)
		x = (uint64_t)time(NULL) * 6364136223846793005ULL + (uint64_t)clock();
	return x;
}

/* Sleeps ms unless stopped; 1 when stopping. */
static int nap(struct relay *r, int64_t ms)
{
	struct timespec ts;
	kclock_mono_deadline(&ts, ms);
	pthread_mutex_lock(&r->mu);
	while (!atomic_load(&r->stop))
		if (pthread_cond_timedwait(&r->cv, &r->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&r->mu);
	return atomic_load(&r->stop);
}

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	int64_t sent_event = -1; /* the event id the collector has */
	char sent_day[KCLOCK_DATE_MAX] = "";
	int64_t last_ok = 0, next_try = 0; /* monotonic ms */
	int failures = 0;

	while (!atomic_load(&r->stop)) {
		int64_t now = kclock_mono_ms();
		char day[KCLOCK_DATE_MAX];
		kclock_bkk_date(kclock_now(), day);
		int changed = kqueue_last_event(&r->q) != sent_event || strcmp(day, sent_day);
		int due = changed || now - last_ok >= RELAY_HEARTBEAT_MS;
		if (!due || now < next_try) {
			if (nap(r, RELAY_POLL_MS))
				break;
			continue;
		}
		char why[RELAY_WHY_MAX];
		int64_t event, build_ms = 0;
		size_t bytes;
		int64_t t0 = kclock_mono_ms();
		long status = push(r, &event, &bytes, &build_ms, why);
		now = kclock_mono_ms();
		if (status >= 200 && status <= 299) {
			if (failures)
				fprintf(stderr,
					"kiosk: relay: queue snapshot delivered again after %d "
					"failed tries\n",
					failures);
			failures = 0;
			sent_event = event;
			snprintf(sent_day, sizeof sent_day, "%s", day);
			last_ok = now;
			/* At most once a second, and never more than a quarter of a core: a
			 * day far busier than any real one (2,000 tickets, hundreds waiting)
			 * takes seconds to build, and the kiosk's screen comes first. */
			next_try = t0 + (RELAY_MIN_GAP_MS > RELAY_BUILD_SHARE * build_ms
					     ? RELAY_MIN_GAP_MS
					     : RELAY_BUILD_SHARE * build_ms);
			continue;
		}
		if (atomic_load(&r->stop))
			break;
		/* Once per outage: a collector down for an hour is one line, not 60. */
		if (!failures++)
			fprintf(stderr,
				"kiosk: relay: cannot push the queue snapshot to %s: %s "
				"(retrying; ratings are not affected)\n",
				r->url, why);
		next_try = now + outbox_backoff_ms(failures, UPL_BASE_MS, RELAY_CAP_MS, rnd64());
	}
	return NULL;
}

kst relay_start(struct relay **out, const struct kconfig *cfg, const char *data_dir,
		const char *url_override, struct kerr *err)
{
	uint8_t key[SECRET_KEY_LEN];
	kst rc;

	*out = NULL;
	struct relay *r = calloc(1, sizeof *r);
	if (!r)
		return kerr_set(err, K_EFAIL, "out of memory");
	r->cfg = cfg;
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* naps are durations */
	pthread_cond_init(&r->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = relay_url(url_override ? url_override : cfg->server_url, r->url, err)))
		goto fail;
	upl_paths(cfg, data_dir, r->token_path, r->ca_path, sizeof r->token_path);
	if (!r->token_path[0]) {
		rc = kerr_set(err, K_EUSAGE, "[server] token_file is not set");
		goto fail;
	}
	if ((rc = secret_load_or_create(data_dir, key, err)))
		goto fail;
	rc = qrp_init(&r->qrp, cfg->qr_template, key, err);
	secret_wipe(key, sizeof key);
	if (rc)
		goto fail;
	if ((rc = kstore_open(data_dir, &r->st, err)))
		goto fail;
	r->q.st = &r->st;
	r->q.cfg = cfg;
	if (pthread_create(&r->thread, NULL, relay_main, r)) {
		rc = kerr_set(err, K_EFAIL, "cannot start the relay thread");
		goto fail;
	}
	r->started = 1;
	*out = r;
	return K_OK;
fail:
	relay_stop(r);
	return rc;
}

void relay_stop(struct relay *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		atomic_store(&r->stop, 1);
		pthread_cond_signal(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
	}
	if (r->curl)
		curl_easy_cleanup(r->curl);
	if (r->st.db)
		kstore_close(&r->st);
	qrp_wipe(&r->qrp);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
