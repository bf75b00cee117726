/**
 * @file outbox.c
 * @brief Batches, verdicts and counts of the ratings outbox (see outbox.h).
 */
#include "core/outbox.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void outbox_batch_free(struct outbox_batch *b)
{
	free(b->body);
	b->body = NULL;
}

enum outbox_verdict outbox_classify(long status)
{
	if (status >= 200 && status <= 299)
		return OUTBOX_SENT;
	if (status == 0 || status == 408 || status == 429 || (status >= 500 && status <= 599))
		return OUTBOX_RETRY;
	if (status == 401 || status == 403 || status < 200 || (status >= 300 && status <= 399))
		return OUTBOX_HOLD;
	if (status >= 400 && status <= 499)
		return OUTBOX_REJECT;
	return OUTBOX_RETRY; /* 6xx and other inventions: not the batch's fault */
}

int64_t outbox_backoff_ms(int attempts, int64_t base_ms, int64_t cap_ms, uint64_t rnd)
{
	int64_t hi = base_ms;
	if (base_ms < 1)
		base_ms = hi = 1;
	if (cap_ms < base_ms)
		cap_ms = base_ms;
	for (int i = 1; i < attempts && hi < cap_ms; i++)
		hi *= 2;
	if (hi > cap_ms)
		hi = cap_ms;
	return base_ms + (int64_t)(rnd % (uint64_t)(hi - base_ms + 1));
}

/* The contract's batch body for the ratings selected by s. */
static json_t *body_json(sqlite3_stmt *s, const char *office, const char *kiosk, int64_t now,
			 int *n)
{
	char iso[KCLOCK_ISO_MAX];
	json_t *arr = json_array();
	*n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *scores = json_object(), *r = json_object();
		for (int d = 0; d < RATING_DIMS; d++)
			json_object_set_new(scores, rating_dim_key((enum rating_dim)d),
					    json_integer(sqlite3_column_int(s, 4 + d)));
		kclock_iso(sqlite3_column_int64(s, 3), iso);
		json_object_set_new(r, "id", json_string((const char *)sqlite3_column_text(s, 0)));
		json_object_set_new(r, "ticket", json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(r, "service", json_string((const char *)sqlite3_column_text(s, 2)));
		json_object_set_new(r, "at", json_string(iso));
		json_object_set_new(r, "scores", scores);
		json_array_append_new(arr, r);
		(*n)++;
	}
	kclock_iso(now, iso);
	return json_pack("{s:s, s:s, s:s, s:o}", "office", office, "kiosk", kiosk, "sent_at", iso,
			 "ratings", arr);
}

static kst take(struct kstore *st, sqlite3_stmt *s, int64_t now, int lease_s,
		struct outbox_batch *b, struct kerr *err)
{
	const char *body = (const char *)sqlite3_column_text(s, 1);
	snprintf(b->id, sizeof b->id, "%s", (const char *)sqlite3_column_text(s, 0));
	b->len = (size_t)sqlite3_column_bytes(s, 1);
	b->body = malloc(b->len + 1);
	b->n = sqlite3_column_int(s, 2);
	b->attempts = sqlite3_column_int(s, 3);
	if (b->body)
		memcpy(b->body, body ? body : "", b->len + 1);
	sqlite3_finalize(s); /* body points into the statement: copied first */
	if (!b->body)
		return kerr_set(err, K_EFAIL, "out of memory for a batch of %d ratings", b->n);
	return kstore_run(st,
			  kstore_prep(st, "UPDATE upload_batches SET lease_until=?, lease_pid=? WHERE"
					  " id=?", "lis", now + lease_s, (int)getpid(), b->id),
			  err, "leasing the batch");
}

/* Is a lease still held? Held until it runs out, unless its process is gone
 * (the uploader was killed: no need to wait out the lease on this machine). */
static int leased(int64_t until, int pid, int64_t now)
{
	if (until <= now)
		return 0;
	if (pid <= 0 || pid == (int)getpid())
		return 1;
	return !(kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

kst outbox_claim(struct kstore *st, const char *office, const char *kiosk, int max, int64_t now,
		 int force, int lease_s, struct outbox_batch *b, struct kerr *err)
{
	sqlite3_stmt *s;
	json_t *j = NULL;
	char *text = NULL;
	int n = 0;
	kst rc;

	memset(b, 0, sizeof *b);
	if (max < 1 || max > OUTBOX_BATCH_MAX)
		return kerr_set(err, K_EUSAGE, "batch size %d outside 1..%d", max, OUTBOX_BATCH_MAX);
	if ((rc = kstore_begin(st, err)))
		return rc;
	/* Waiting batches are few (none is formed while one waits), so the
	 * lease check can be done here rather than in SQL. */
	s = kstore_prep(st,
			"SELECT id, body, n, attempts, lease_until, lease_pid FROM upload_batches"
			" WHERE state='pending' AND (? OR next_at<=?) ORDER BY created_at, rowid",
			"il", force ? 1 : 0, now);
	if (!s) {
		rc = kstore_err(st, err, "finding a batch to send");
		goto fail;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (leased(sqlite3_column_int64(s, 4), sqlite3_column_int(s, 5), now))
			continue;
		if ((rc = take(st, s, now, lease_s, b, err)))
			goto fail;
		goto commit;
	}
	sqlite3_finalize(s);
	/* A batch waiting for its retry time means the server is away: let the
	 * ratings pile up unbatched rather than probing with each new one. */
	if (!force && kstore_scalar(kstore_prep(st, "SELECT COUNT(*) FROM upload_batches WHERE"
						    " state='pending'", ""), 0) > 0) {
		rc = K_EABSENT;
		goto fail;
	}
	s = kstore_prep(st,
			"SELECT r.id, r.ticket, r.service, r.at, r.process, r.staff, r.facility,"
			" r.overall FROM outbox o JOIN ratings r ON r.id=o.rating"
			" WHERE o.state='pending' AND o.batch IS NULL ORDER BY o.created_at, o.rowid"
			" LIMIT ?", "i", max);
	if (!s) {
		rc = kstore_err(st, err, "reading the outbox");
		goto fail;
	}
	j = body_json(s, office, kiosk, now, &n);
	sqlite3_finalize(s);
	if (n == 0) {
		rc = K_EABSENT;
		goto fail;
	}
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (!text) {
		rc = kerr_set(err, K_EFAIL, "out of memory building a batch");
		goto fail;
	}
	if ((rc = rating_uuid(b->id, err)))
		goto fail;
	rc = kstore_run(st,
			kstore_prep(st, "INSERT INTO upload_batches(id, created_at, n, body,"
					" lease_until, lease_pid) VALUES(?,?,?,?,?,?)",
				    "slisli", b->id, now, n, text, now + lease_s, (int)getpid()),
			err, "recording the batch");
	if (!rc)
		rc = kstore_run(st,
				kstore_prep(st, "UPDATE outbox SET batch=? WHERE rowid IN (SELECT rowid"
						" FROM outbox WHERE state='pending' AND batch IS NULL"
						" ORDER BY created_at, rowid LIMIT ?)",
					    "si", b->id, n),
				err, "assigning ratings to the batch");
	if (rc)
		goto fail;
	if (sqlite3_changes(st->db) != n) {
		rc = kerr_set(err, K_EFAIL, "outbox changed while forming a batch");
		goto fail;
	}
	b->body = text;
	b->len = strlen(text);
	b->n = n;
	text = NULL;
commit:
	json_decref(j);
	if ((rc = kstore_commit(st, err)))
		outbox_batch_free(b);
	return rc;
fail:
	json_decref(j);
	free(text);
	outbox_batch_free(b);
	kstore_rollback(st);
	return rc;
}

kst outbox_settle(struct kstore *st, const char *id, enum outbox_verdict v, long status,
		  const char *error, int64_t now, int64_t next_at, struct kerr *err)
{
	char msg[OUTBOX_ERROR_MAX + 1];
	kst rc;

	snprintf(msg, sizeof msg, "%s", error ? error : "");
	if ((rc = kstore_begin(st, err)))
		return rc;
	long long prev_status =
		kstore_scalar(kstore_prep(st, "SELECT IFNULL(last_status,-1) FROM upload_batches"
					      " WHERE id=?", "s", id), -2);
	if (prev_status == -2) {
		rc = kerr_set(err, K_EFAIL, "batch %s is not in the outbox", id);
		goto fail;
	}
	if (v == OUTBOX_SENT) {
		/* The body is no longer needed: keep the table small over years. */
		rc = kstore_run(st,
				kstore_prep(st, "UPDATE upload_batches SET state='sent', body='',"
						" attempts=attempts+1, last_status=?, last_error=NULL,"
						" done_at=?, lease_until=0 WHERE id=? AND state='pending'",
					    "lls", (int64_t)status, now, id),
				err, "recording the accepted batch");
		if (!rc && sqlite3_changes(st->db) == 0)
			goto done; /* another uploader settled it first */
		if (!rc)
			rc = kstore_run(st,
					kstore_prep(st, "UPDATE outbox SET state='sent', sent_at=?,"
							" attempts=attempts+1, last_error=NULL WHERE batch=? AND"
							" state='pending'",
						    "ls", now, id),
					err, "marking ratings sent");
	} else {
		const char *state = v == OUTBOX_REJECT ? "rejected" : "pending";
		rc = kstore_run(st,
				kstore_prep(st, "UPDATE upload_batches SET state=?, attempts=attempts+1,"
						" next_at=?, lease_until=0, last_status=?, last_error=?,"
						" done_at=CASE WHEN ?='rejected' THEN ? END WHERE id=? AND"
						" state='pending'",
					    "sllssls", state, next_at, (int64_t)status, msg, state, now,
					    id),
				err, "recording the failed attempt");
		if (!rc && sqlite3_changes(st->db) == 0)
			goto done;
		if (!rc)
			rc = kstore_run(st,
					kstore_prep(st, "UPDATE outbox SET state=?, attempts=attempts+1,"
							" next_at=?, last_error=? WHERE batch=? AND state='pending'",
						    "slss", state, next_at, msg, id),
					err, "recording the failed attempt");
		if (!rc && v == OUTBOX_REJECT) {
			char th[KERR_MSG_MAX], en[KERR_MSG_MAX];
			snprintf(th, sizeof th,
				 "เซิร์ฟเวอร์เขตไม่รับชุดผลประเมิน %s (HTTP %ld: %s) เก็บแยกไว้แล้ว"
				 " เมื่อแก้ไขแล้วสั่ง kiosk upload --requeue-rejected",
				 id, status, msg);
			snprintf(en, sizeof en,
				 "The district server refused rating batch %s (HTTP %ld: %s); it is set"
				 " aside. Once fixed, run kiosk upload --requeue-rejected",
				 id, status, msg);
			kstore_notice(st, "error", th, en);
		} else if (!rc && v == OUTBOX_HOLD && prev_status != status) {
			char th[KERR_MSG_MAX], en[KERR_MSG_MAX];
			snprintf(th, sizeof th,
				 "เซิร์ฟเวอร์เขตปฏิเสธตู้นี้ (HTTP %ld) ตรวจสอบ token และ url ใน [server]"
				 " ผลประเมินยังเก็บไว้ครบและจะส่งใหม่",
				 status);
			snprintf(en, sizeof en,
				 "The district server refuses this kiosk (HTTP %ld): check [server] token"
				 " and url. Ratings are kept and will be sent again.",
				 status);
			kstore_notice(st, "warning", th, en);
		}
	}
	if (rc)
		goto fail;
done:
	return kstore_commit(st, err);
fail:
	kstore_rollback(st);
	return rc;
}

kst outbox_counts(struct kstore *st, struct outbox_counts *c, struct kerr *err)
{
	sqlite3_stmt *s;
	int opened;
	memset(c, 0, sizeof *c);
	if (kstore_read_begin(st, &opened, err)) /* every count from one instant */
		return K_EFAIL;
	s = kstore_prep(st, "SELECT state, COUNT(*), MIN(created_at) FROM outbox GROUP BY state", "");
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(s, 0);
		long long n = sqlite3_column_int64(s, 1);
		if (!strcmp(state, "pending")) {
			c->pending = n;
			c->oldest_pending = sqlite3_column_int64(s, 2);
		} else if (!strcmp(state, "sent")) {
			c->sent = n;
		} else {
			c->rejected = n;
		}
	}
	sqlite3_finalize(s);
	c->batches_waiting = kstore_scalar(
		kstore_prep(st, "SELECT COUNT(*) FROM upload_batches WHERE state='pending'", ""), 0);
	c->next_at = kstore_scalar(kstore_prep(st, "SELECT MIN(next_at) FROM upload_batches WHERE"
						   " state='pending'", ""), 0);
	c->last_sent_at = kstore_scalar(
		kstore_prep(st, "SELECT MAX(done_at) FROM upload_batches WHERE state='sent'", ""), 0);
	s = kstore_prep(st, "SELECT last_error FROM upload_batches WHERE last_error IS NOT NULL AND"
			    " last_error<>'' AND state<>'sent' ORDER BY rowid DESC LIMIT 1", "");
	if (s && sqlite3_step(s) == SQLITE_ROW)
		snprintf(c->last_error, sizeof c->last_error, "%s",
			 (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	kstore_read_end(st, opened);
	return K_OK;
}

kst outbox_requeue_rejected(struct kstore *st, int *n, struct kerr *err)
{
	kst rc;
	*n = 0;
	if ((rc = kstore_begin(st, err)))
		return rc;
	rc = kstore_run(st,
			kstore_prep(st, "UPDATE outbox SET state='pending', batch=NULL, attempts=0,"
					" next_at=0 WHERE state='rejected'", ""),
			err, "requeueing rejected ratings");
	if (rc) {
		kstore_rollback(st);
		return rc;
	}
	*n = sqlite3_changes(st->db);
	return kstore_commit(st, err);
}
