/**
 * @file uploader.c
 * @brief libcurl sender of outbox batches, and the worker thread (see uploader.h).
 */
#include "dev/uploader.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/secret.h"

#define UPL_LEASE_EXTRA_S 30 /* beyond the request timeout, before another uploader may resend */

struct upl {
	const struct kconfig *cfg;
	struct kstore st;
	CURL *curl;
	char url[KCONF_TEXT_MAX];
	char token_path[KCONF_PATH_MAX * 2];
	char ca_path[KCONF_PATH_MAX * 2]; /* "" = system store */
	struct upl_opts o;
	atomic_int *stop;  /* the worker's stop flag, or NULL */
	atomic_int *in_flight;
	int force_next;    /* the worker timed a batch's backoff out: send it, whatever
			    * the wall clock says (see worker_main) */
	/* per request */
	char reply[UPL_REPLY_MAX + 1];
	size_t reply_len;
	long retry_after; /* seconds, -1 = none */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

kst upl_curl_new(CURL **c, struct kerr *err)
{
	pthread_once(&curl_once, curl_init_once);
	if (!(*c = curl_easy_init()))
		return kerr_set(err, K_EFAIL, "libcurl could not start");
	return K_OK;
}

kst upl_check_url(const char *url, struct kerr *err)
{
	if (!url || !*url)
		return kerr_set(err, K_EUSAGE, "no server URL: set [server] url or use --server");
	if (strlen(url) >= KCONF_TEXT_MAX)
		return kerr_set(err, K_EUSAGE, "server URL too long");
	if (!kconfig_server_url_ok(url))
		return kerr_set(err, K_EUSAGE,
				"%.200s: the server URL must be https:// (plain http only to 127.0.0.1"
				" or localhost)", url);
	return K_OK;
}

kst upl_read_token(const char *path, char *out, size_t cap, struct kerr *err)
{
	char buf[UPL_TOKEN_MAX + 1];
	struct stat sb;
	ssize_t n;
	size_t len = 0, a, b;
	kst rc = K_OK;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	out[0] = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			return kerr_set(err, K_EUSAGE,
					"%s: no server token; put the token from district IT in this file"
					" (chmod 600)", path);
		return kerr_set(err, K_EUSAGE, "%s: cannot open the server token: %s", path,
				strerror(errno));
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		rc = kerr_set(err, K_EUSAGE, "%s: the server token must be a regular file", path);
		goto out;
	}
	if (sb.st_mode & 077) {
		rc = kerr_set(err, K_EUSAGE,
			      "%s: the server token is readable by other users (mode %03o); refusing to"
			      " use it. Fix: chmod 600 %s",
			      path, (unsigned)(sb.st_mode & 0777), path);
		goto out;
	}
	while (len < sizeof buf && (n = read(fd, buf + len, sizeof buf - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = kerr_set(err, K_EUSAGE, "%s: %s", path, strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > UPL_TOKEN_MAX) {
		rc = kerr_set(err, K_EUSAGE, "%s: the server token is longer than %d bytes", path,
			      UPL_TOKEN_MAX);
		goto out;
	}
	for (a = 0; a < len && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\r' || buf[a] == '\n'); a++)
		;
	for (b = len; b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t' || buf[b - 1] == '\r' ||
				buf[b - 1] == '\n'); b--)
		;
	if (b == a) {
		rc = kerr_set(err, K_EUSAGE, "%s: the server token file is empty", path);
		goto out;
	}
	/* It goes into a header: one line of visible ASCII, nothing else. */
	for (size_t i = a; i < b; i++)
		if (buf[i] < 0x21 || buf[i] > 0x7e) {
			rc = kerr_set(err, K_EUSAGE,
				      "%s: the server token may only hold visible ASCII on one line", path);
			goto out;
		}
	if (b - a + 1 > cap) {
		rc = kerr_set(err, K_EUSAGE, "%s: the server token is too long", path);
		goto out;
	}
	memcpy(out, buf + a, b - a);
	out[b - a] = 0;
out:
	secret_wipe(buf, sizeof buf);
	close(fd);
	return rc;
}

static void resolve(char *out, size_t cap, const char *base, const char *p)
{
	if (!p[0])
		out[0] = 0;
	else if (p[0] == '/')
		snprintf(out, cap, "%s", p);
	else
		snprintf(out, cap, "%s/%s", base, p);
}

kst upl_open(struct upl **out, const struct kconfig *cfg, const char *data_dir,
	     const struct upl_opts *o, struct kerr *err)
{
	struct upl *u;
	kst rc;

	*out = NULL;
	u = calloc(1, sizeof *u);
	if (!u)
		return kerr_set(err, K_EFAIL, "out of memory");
	u->cfg = cfg;
	if (o)
		u->o = *o;
	snprintf(u->url, sizeof u->url, "%s", u->o.url ? u->o.url : cfg->server_url);
	u->o.url = NULL;
	if (!u->o.batch)
		u->o.batch = cfg->upload_batch;
	if (!u->o.connect_timeout_ms)
		u->o.connect_timeout_ms = UPL_CONNECT_TIMEOUT_MS;
	if (!u->o.timeout_ms)
		u->o.timeout_ms = UPL_TIMEOUT_MS;
	if (!u->o.base_ms)
		u->o.base_ms = UPL_BASE_MS;
	if (!u->o.cap_ms)
		u->o.cap_ms = UPL_CAP_MS;
	if ((rc = upl_check_url(u->url, err)))
		goto fail;
	if (u->o.batch < 1 || u->o.batch > OUTBOX_BATCH_MAX) {
		rc = kerr_set(err, K_EUSAGE, "batch size %d outside 1..%d", u->o.batch, OUTBOX_BATCH_MAX);
		goto fail;
	}
	upl_paths(cfg, data_dir, u->token_path, u->ca_path, sizeof u->token_path);
	if (!u->token_path[0]) {
		rc = kerr_set(err, K_EUSAGE, "[server] token_file is not set");
		goto fail;
	}
	if (u->ca_path[0] && access(u->ca_path, R_OK)) {
		rc = kerr_set(err, K_EUSAGE, "[server] ca_file %s: %s", u->ca_path, strerror(errno));
		goto fail;
	}
	if ((rc = kstore_open(data_dir, &u->st, err)))
		goto fail;
	*out = u;
	return K_OK;
fail:
	upl_close(u);
	return rc;
}

void upl_close(struct upl *u)
{
	if (!u)
		return;
	if (u->curl)
		curl_easy_cleanup(u->curl);
	kstore_close(&u->st);
	free(u);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct upl *u = arg;
	size_t len = size * n, room = UPL_REPLY_MAX - u->reply_len;
	size_t take = len < room ? len : room;
	memcpy(u->reply + u->reply_len, p, take);
	u->reply_len += take;
	u->reply[u->reply_len] = 0;
	return len; /* the rest is read and dropped: replies are bounded in memory */
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct upl *u = arg;
	size_t len = size * n;
	if (len > 12 && !strncasecmp(p, "Retry-After:", 12)) {
		char v[32];
		size_t l = len - 12 < sizeof v - 1 ? len - 12 : sizeof v - 1;
		char *end;
		memcpy(v, p + 12, l);
		v[l] = 0;
		long s = strtol(v, &end, 10);
		/* Only the delay-seconds form; an HTTP date falls back to our backoff. */
		while (*end == ' ' || *end == '\r' || *end == '\n')
			end++;
		if (end != v && !*end && s >= 0)
			u->retry_after = s > OUTBOX_RETRY_AFTER_MAX ? OUTBOX_RETRY_AFTER_MAX : s;
	}
	return len;
}

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	struct upl *u = arg;
	return u->stop && atomic_load(u->stop) ? 1 : 0; /* nonzero aborts the transfer */
}

/* Keeps a one-line, printable excerpt of a reply for staff. */
static void excerpt(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	for (; *s && o + 1 < cap; s++)
		out[o++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
	out[o] = 0;
}

void upl_curl_setup(CURL *c, const char *url, const char *ca_path, long connect_ms, long timeout_ms)
{
	long low_s = UPL_LOW_SPEED_S;
	if (low_s * 1000 > timeout_ms)
		low_s = timeout_ms / 1000 > 0 ? timeout_ms / 1000 : 1;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "bkk-kiosk/1");
	/* Verification is never switched off; ca_file only narrows whom we trust. */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca_path && ca_path[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, ca_path);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)UPL_LOW_SPEED_BPS);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, low_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
}

void upl_paths(const struct kconfig *cfg, const char *data_dir, char *token_path, char *ca_path,
	       size_t cap)
{
	resolve(token_path, cap, data_dir, cfg->server_token_file);
	resolve(ca_path, cap, cfg->dir, cfg->server_ca_file);
}

/* One POST. Returns the HTTP status, 0 when there was no reply (err says why). */
static long post(struct upl *u, const struct outbox_batch *b, const char *token, char *why,
		 size_t whycap)
{
	char auth[UPL_TOKEN_MAX + 32], idem[RATING_ID_LEN + 24], errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	long status = 0;
	CURL *c = u->curl;
	CURLcode cc;

	u->reply_len = 0;
	u->reply[0] = 0;
	u->retry_after = -1;
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	snprintf(idem, sizeof idem, "Idempotency-Key: %s", b->id);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, idem);
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
	secret_wipe(auth, sizeof auth);

	upl_curl_setup(c, u->url, u->ca_path, u->o.connect_timeout_ms, u->o.timeout_ms);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, b->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)b->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, u);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, u);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, u);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

	if (u->in_flight)
		atomic_store(u->in_flight, 1);
	cc = curl_easy_perform(c);
	if (u->in_flight)
		atomic_store(u->in_flight, 0);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299) {
			char ex[OUTBOX_ERROR_MAX];
			excerpt(ex, sizeof ex - 16, u->reply);
			snprintf(why, whycap, "HTTP %ld %s", status, ex);
		} else {
			why[0] = 0;
		}
	} else {
		snprintf(why, whycap, "%s%s%s", curl_easy_strerror(cc), errbuf[0] ? ": " : "", errbuf);
		status = 0;
	}
	return status;
}

static uint64_t rnd64(void)
{
	uint64_t r = 0;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
		r = (uint64_t)time(NULL) * 6364136223846793005ULL + (uint64_t)clock();
	return r;
}

kst upl_pass(struct upl *u, struct upl_report *rep, struct kerr *err)
{
	char token[UPL_TOKEN_MAX + 1] = "";
	int have_token = 0;
	int lease = (int)(u->o.timeout_ms / 1000) + UPL_LEASE_EXTRA_S;
	kst rc = K_OK;

	memset(rep, 0, sizeof *rep);
	for (;;) {
		struct outbox_batch b;
		char why[OUTBOX_ERROR_MAX + 1];
		int64_t now = kclock_now();

		if (u->stop && atomic_load(u->stop))
			break;
		/* The token is needed only when there is something to send. */
		if (!have_token) {
			long long todo = kstore_scalar(
				kstore_prep(&u->st, "SELECT COUNT(*) FROM outbox WHERE state='pending'", ""),
				0);
			if (!todo)
				break;
			if ((rc = upl_read_token(u->token_path, token, sizeof token, err)) ||
			    (!u->curl && (rc = upl_curl_new(&u->curl, err)))) {
				snprintf(rep->last_error, sizeof rep->last_error, "%s", err->msg);
				rep->failed = 1;
				break;
			}
			have_token = 1;
		}
		int force = u->o.force || u->force_next;
		u->force_next = 0; /* the timed-out batch only, not every batch of the pass */
		rc = outbox_claim(&u->st, u->cfg->office_code, u->cfg->kiosk_id, u->o.batch, now,
				  force, lease, &b, err);
		if (rc == K_EABSENT) {
			rc = K_OK;
			break;
		}
		if (rc)
			break;
		long status = post(u, &b, token, why, sizeof why);
		enum outbox_verdict v = outbox_classify(status);
		int64_t next = 0;
		rep->batches++;
		rep->last_status = status;
		snprintf(rep->last_error, sizeof rep->last_error, "%s", why);
		if (v == OUTBOX_RETRY || v == OUTBOX_HOLD) {
			int64_t ms = v == OUTBOX_HOLD ? u->o.cap_ms
					: outbox_backoff_ms(b.attempts + 1, u->o.base_ms, u->o.cap_ms, rnd64());
			/* Stored, so restarts and `kiosk upload --once` respect it: wall time. */
			int64_t t = kclock_now();
			next = t + (ms + 999) / 1000;
			if (u->retry_after >= 0 && t + u->retry_after > next)
				next = t + u->retry_after;
		}
		kst src = outbox_settle(&u->st, b.id, v, status, why, kclock_now(), next, err);
		outbox_batch_free(&b);
		if (src) {
			rc = src;
			break;
		}
		if (v == OUTBOX_SENT) {
			rep->sent += b.n;
		} else if (v == OUTBOX_REJECT) {
			rep->rejected += b.n;
		} else {
			rep->failed = 1;
			rc = kerr_set(err, K_EFAIL, "upload to %s failed: %s", u->url, why);
			break;
		}
	}
	secret_wipe(token, sizeof token);
	return rc;
}

/* --- the worker thread -------------------------------------------------- */

struct upl_worker {
	struct upl *u;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int stop;
	atomic_int in_flight;
	int kicked;
	struct upl_status st; /* under mu */
};

/* Longest a stored retry time is believed, as a duration from now: a Retry-After is capped
 * at OUTBOX_RETRY_AFTER_MAX and a backoff at the cap, so anything further away comes from a
 * wall clock that was set back after the time was stored. */
static int64_t retry_horizon_ms(const struct upl *u)
{
	int64_t cap = u->o.cap_ms > 0 ? u->o.cap_ms : UPL_CAP_MS;
	int64_t ra = (int64_t)OUTBOX_RETRY_AFTER_MAX * 1000;
	return cap > ra ? cap : ra;
}

/*
 * The retry time of a waiting batch is stored as wall time (outbox next_at: restarts and
 * other uploaders respect it, staff see it), but the worker times its sleep on the
 * monotonic clock: the wait is next_at - now taken at one instant (a duration), and once
 * that much monotonic time has passed the next pass sends the batch even if the wall clock
 * disagrees. Otherwise a wall clock set back (or a frozen KIOSK_NOW, where now never
 * reaches next_at) would leave the ratings waiting for hours, or for ever; and a clock set
 * forward only makes the batch due sooner, which the stored time already handles.
 */
static void *worker_main(void *arg)
{
	struct upl_worker *w = arg;
	int64_t due_mono = -1; /* monotonic ms when the waiting batch's backoff is over ... */
	int64_t due_for = 0;   /* ... timed from this stored next_at */
	for (;;) {
		struct upl_report rep;
		struct outbox_counts oc;
		struct kerr err = {0};
		kst rc;

		pthread_mutex_lock(&w->mu);
		w->kicked = 0;
		pthread_mutex_unlock(&w->mu);
		if (atomic_load(&w->stop))
			break;
		w->u->force_next = due_mono >= 0 && kclock_mono_ms() >= due_mono;
		rc = upl_pass(w->u, &rep, &err);
		outbox_counts(&w->u->st, &oc, &err);

		int64_t now = kclock_now(), next, wait_ms;
		if (oc.batches_waiting && oc.next_at > now) {
			/* Timed once per attempt: a long backoff slept in several naps (or woken by
			 * kicks) keeps its monotonic end even when the wall clock stands still. */
			if (due_mono < 0 || rep.batches || due_for != oc.next_at) {
				int64_t d = (oc.next_at - now) * 1000;
				if (d > retry_horizon_ms(w->u))
					d = retry_horizon_ms(w->u);
				due_mono = kclock_mono_ms() + d;
				due_for = oc.next_at;
			}
			wait_ms = due_mono - kclock_mono_ms();
			next = oc.next_at;
		} else if (rc && !rep.batches) {
			due_mono = -1;
			wait_ms = UPL_ERROR_POLL_S * 1000; /* token or database trouble: look again soon */
			next = now + UPL_ERROR_POLL_S;
		} else {
			due_mono = -1;
			wait_ms = UPL_IDLE_POLL_S * 1000;
			next = now + UPL_IDLE_POLL_S;
		}
		/* At least a second (never a busy loop), at most the idle poll (ratings saved by
		 * other processes are picked up; a long backoff is slept in several naps). */
		if (wait_ms < 1000)
			wait_ms = 1000;
		if (wait_ms > UPL_IDLE_POLL_S * 1000)
			wait_ms = UPL_IDLE_POLL_S * 1000;
		pthread_mutex_lock(&w->mu);
		w->st.pending = oc.pending;
		w->st.rejected = oc.rejected;
		w->st.sent = oc.sent;
		if (rep.batches || rc)
			w->st.last_try_at = now;
		if (rep.sent)
			w->st.last_ok_at = now;
		if (rep.batches)
			w->st.last_status = rep.last_status;
		if (rc)
			snprintf(w->st.last_error, sizeof w->st.last_error, "%s", err.msg);
		else if (rep.sent && !rep.rejected)
			w->st.last_error[0] = 0;
		else if (rep.rejected)
			snprintf(w->st.last_error, sizeof w->st.last_error, "%s", rep.last_error);
		w->st.next_try_at = oc.pending ? next : 0;
		/* Sleep until the retry time or a kick, whichever comes first. */
		if (!w->kicked && !atomic_load(&w->stop)) {
			struct timespec ts;
			kclock_mono_deadline(&ts, wait_ms);
			while (!w->kicked && !atomic_load(&w->stop))
				if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT)
					break;
		}
		pthread_mutex_unlock(&w->mu);
	}
	pthread_mutex_lock(&w->mu);
	w->st.running = 0;
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

kst upl_worker_start(struct upl_worker **out, const struct kconfig *cfg, const char *data_dir,
		     const struct upl_opts *o, struct kerr *err)
{
	struct upl_worker *w = calloc(1, sizeof *w);
	pthread_condattr_t ca;
	kst rc;

	*out = NULL;
	if (!w)
		return kerr_set(err, K_EFAIL, "out of memory");
	if ((rc = upl_open(&w->u, cfg, data_dir, o, err))) {
		free(w);
		return rc;
	}
	w->u->stop = &w->stop;
	w->u->in_flight = &w->in_flight;
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	w->st.running = 1;
	if (pthread_create(&w->thread, NULL, worker_main, w)) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		upl_close(w->u);
		free(w);
		return kerr_set(err, K_EFAIL, "cannot start the upload thread");
	}
	*out = w;
	return K_OK;
}

void upl_worker_kick(struct upl_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void upl_worker_status(struct upl_worker *w, struct upl_status *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->st;
	pthread_mutex_unlock(&w->mu);
	out->in_flight = atomic_load(&w->in_flight);
}

void upl_worker_stop(struct upl_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	atomic_store(&w->stop, 1);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	upl_close(w->u);
	free(w);
}
