/**
 * @file qjson.c
 * @brief The queue and its event log as JSON (see qjson.h).
 */
#include "core/qjson.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define QJSON_RECENT_WINDOW 20000 /* events looked back for today's calls */

static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? v : "";
}

static json_t *col_int_or_null(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL || !sqlite3_column_int64(s, i)
		       ? json_null()
		       : json_integer(sqlite3_column_int64(s, i));
}

static json_t *event_row(sqlite3_stmt *s, int with_detail)
{
	char iso[KCLOCK_ISO_MAX];
	kclock_iso(sqlite3_column_int64(s, 1), iso);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id",
			      (json_int_t)sqlite3_column_int64(s, 0), "kind", col_text(s, 2),
			      "number", col_text(s, 5), "service", col_text(s, 6), "counter",
			      col_int_or_null(s, 3), "at", iso);
	if (with_detail)
		json_object_set_new(o, "detail", json_string(col_text(s, 4)));
	return o;
}

/* Today's calls, one row per ticket (its latest call or re-call), newest first. */
static json_t *recent_calls(struct kqueue *q)
{
	json_t *a = json_array();
	sqlite3_stmt *s;
	struct kdate d;
	kclock_bkk(kclock_now(), &d);
	int64_t midnight = kclock_bkk_midnight(d.year, d.month, d.day);
	/* MAX(e.id) makes SQLite take the other bare columns from that row. The id
	 * bound keeps this a short rowid range scan however long the history is
	 * (a busy day logs a few thousand events). */
	if (sqlite3_prepare_v2(q->st->db,
			       "SELECT MAX(e.id), e.at, e.kind, e.counter, e.detail, t.number, t.service"
			       " FROM events e JOIN tickets t ON t.id=e.ticket"
			       " WHERE e.id>(SELECT IFNULL(MAX(id),0) FROM events)-?"
			       " AND e.kind IN ('call','recall') AND e.at>=?"
			       /* called, transferred back, then left from the phone: gone */
			       " AND t.state<>'cancelled'"
			       " GROUP BY e.ticket ORDER BY 1 DESC LIMIT ?",
			       -1, &s, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int(s, 1, QJSON_RECENT_WINDOW);
	sqlite3_bind_int64(s, 2, midnight);
	sqlite3_bind_int(s, 3, QJSON_RECENT_MAX);
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, event_row(s, 0));
	sqlite3_finalize(s);
	return a;
}

static json_t *notices(struct kqueue *q)
{
	json_t *a = json_array();
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(q->st->db, "SELECT level, text_th, text_en FROM notices WHERE"
					  " resolved=0 ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return a;
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "level", col_text(s, 0), "th",
						   col_text(s, 1), "en", col_text(s, 2)));
	sqlite3_finalize(s);
	return a;
}

json_t *qjson_status(struct kqueue *q, struct kerr *err)
{
	struct kqueue_status *s = calloc(1, sizeof *s);
	const struct kconfig *cfg = q->cfg;
	if (!s) {
		kerr_set(err, K_EFAIL, "out of memory");
		return NULL;
	}
	/* One snapshot for counters, last calls and notices. Read one by one, a call
	 * committed in between showed in the last calls while its counter was still empty
	 * and last_event was older: the display drew "waiting for the next call" beside
	 * "A002 -> counter 1" (seen in CI as a flash frame with no row). */
	int opened;
	if (kstore_read_begin(q->st, &opened, err)) {
		free(s);
		return NULL;
	}
	if (kqueue_status(q, s, err)) {
		kstore_read_end(q->st, opened);
		free(s);
		return NULL;
	}
	json_t *waiting = json_array(), *serving = json_array();
	for (size_t i = 0; i < cfg->catalog.n; i++) {
		const struct kservice *sv = &cfg->catalog.svc[i];
		char prefix[2] = {sv->prefix, 0};
		json_array_append_new(
			waiting, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i}",
					   "service", sv->id, "prefix", prefix, "name_th", sv->name.th,
					   "name_en", sv->name.en, "short_th", sv->short_name.th,
					   "short_en", sv->short_name.en, "count", s->waiting[i], "priority",
					   s->waiting_priority[i], "cancelled", s->cancelled[i],
					   "minutes_each", kqueue_service_minutes(q, sv->id)));
	}
	for (int k = 1; k <= cfg->counters; k++) {
		const struct kticket *t = &s->at_counter[k];
		json_array_append_new(serving, json_pack("{s:i, s:o}", "counter", k, "ticket",
							 t->number[0] ? kticket_json(t) : json_null()));
	}
	json_t *o = json_pack("{s:{s:s, s:s, s:s}, s:i, s:o, s:o, s:o, s:o, s:I}", "office",
			      "code", cfg->office_code, "name_th", cfg->office_name_th, "name_en",
			      cfg->office_name_en, "counters", cfg->counters, "waiting", waiting,
			      "serving", serving, "recent_calls", recent_calls(q), "notices",
			      notices(q), "last_event", (json_int_t)s->last_event);
	kstore_read_end(q->st, opened);
	free(s);
	if (!o)
		kerr_set(err, K_EFAIL, "building the queue JSON");
	return o;
}

json_t *qjson_events(struct kqueue *q, int64_t after, struct kerr *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(q->st->db,
			       "SELECT e.id, e.at, e.kind, e.counter, e.detail, IFNULL(t.number,''),"
			       " IFNULL(t.service,'') FROM events e LEFT JOIN tickets t ON t.id=e.ticket"
			       " WHERE e.id>? ORDER BY e.id LIMIT ?",
			       -1, &s, NULL) != SQLITE_OK) {
		kstore_err(q->st, err, "reading events");
		return NULL;
	}
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, QJSON_EVENTS_MAX);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, event_row(s, 1));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		kstore_err(q->st, err, "reading events");
		return NULL;
	}
	int64_t last = qjson_last_event(q);
	return json_pack("{s:I, s:o}", "last_event", (json_int_t)(last < 0 ? 0 : last), "events", a);
}

int64_t qjson_last_event(struct kqueue *q)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_prepare_v2(q->st->db, "SELECT IFNULL(MAX(id),0) FROM events", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}
