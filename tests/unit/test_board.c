/* The display board's model fed by the real queue JSON from a real SQLite
 * store: now serving order, last calls, waiting, new-call detection and
 * flashing, re-calls, restart without replay, announcement clips. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/board.h"
#include "core/qjson.h"
#include "tap.h"

static struct kconfig cfg;
static struct kstore st;
static struct kqueue q;

static void update(struct board *b, int64_t now_ms, struct board_call *ann, int *n)
{
	struct kerr err;
	json_t *o = qjson_status(&q, &err);
	if (!o || board_update(b, o, now_ms, ann, BOARD_ANNOUNCE_MAX, n, &err))
		printf("# update failed: %s\n", err.msg);
	json_decref(o);
}

static void call(int counter, const char *service)
{
	struct kticket t;
	struct kerr err;
	if (kqueue_call(&q, counter, service, &t, &err))
		printf("# call: %s\n", err.msg);
}

static void op(enum kqueue_op o, int counter, const char *to)
{
	struct kticket t;
	struct kerr err;
	if (kqueue_op(&q, o, counter, to, &t, &err))
		printf("# op: %s\n", err.msg);
}

static void issue(const char *service, int n)
{
	struct kissued t;
	struct kerr err;
	for (int i = 0; i < n; i++)
		kqueue_issue(&q, service, 0, &t, &err);
}

static void model(void)
{
	struct board b = {0};
	struct board_call ann[BOARD_ANNOUNCE_MAX];
	int n;

	update(&b, 1000, ann, &n);
	OK(b.loaded, "an empty day loads");
	IS_INT(b.n_serving, 0, "nobody at the counters");
	IS_INT(b.total_waiting, 0, "nobody waiting");
	IS_STR(b.office_th, "สำนักงานเขตบางแค", "office name in Thai");
	IS_INT(b.n_waiting, (int)cfg.catalog.n, "one waiting row per service");

	issue("personal-cert", 3);
	issue("marital-status", 2);
	update(&b, 2000, ann, &n);
	IS_INT(n, 0, "tickets issued: nothing to announce");
	IS_INT(b.total_waiting, 5, "five waiting");
	IS_INT(b.waiting[0].count, 3, "three for A");
	OK(b.waiting[0].prefix == 'A' && strstr(b.waiting[0].name_th, "สอบสวน"), "with its letter and Thai name");
	IS_STR(b.waiting[1].name_th, "รับรองสถานภาพการสมรส",
	       "a service with a short name is shown by it (the name has a long parenthesis)");
	IS_STR(b.waiting[1].name_en, "Marital status certificate", "in English too");

	/* A kiosk from before short names: its queue JSON has only the names. */
	struct kerr e2;
	json_t *old = qjson_status(&q, &e2), *w;
	size_t i;
	json_array_foreach(json_object_get(old, "waiting"), i, w) {
		json_object_del(w, "short_th");
		json_object_del(w, "short_en");
	}
	struct board ob = {0};
	board_update(&ob, old, 2000, ann, BOARD_ANNOUNCE_MAX, &n, &e2);
	IS_STR(ob.waiting[1].name_th, "รับรองสถานภาพการสมรส (หนังสือรับรองความเป็นโสด)",
	       "an older kiosk's queue (no short names): the board shows the names");
	json_decref(old);

	call(3, "personal-cert");
	update(&b, 3000, ann, &n);
	IS_INT(n, 1, "a call: one announcement");
	IS_STR(ann[0].number, "A001", "of A001");
	IS_INT(ann[0].counter, 3, "to counter 3");
	IS_INT(b.n_serving, 1, "one row now serving");
	OK(board_flash_on(&b.serving[0], 3000), "the new row flashes at once");
	OK(!board_flash_on(&b.serving[0], 3000 + BOARD_BLINK_MS), "blinks off after half a second");
	OK(board_flash_on(&b.serving[0], 3000 + 2 * BOARD_BLINK_MS), "and on again");
	OK(!board_flash_on(&b.serving[0], 3000 + BOARD_FLASH_MS), "and stops after the flash time");
	IS_INT(board_next_change(&b, 3000), 3000 + BOARD_BLINK_MS, "the screen knows when to redraw next");
	IS_INT(board_next_change(&b, 3000 + BOARD_FLASH_MS), -1, "and that nothing changes after the flash");

	update(&b, 3200, ann, &n);
	IS_INT(n, 0, "the same state again: no second announcement");
	OK(board_flash_on(&b.serving[0], 3200), "and the flash keeps running");

	call(1, "marital-status");
	call(2, NULL);
	update(&b, 4000, ann, &n);
	IS_INT(n, 2, "two calls between updates: two announcements");
	IS_STR(ann[0].number, "B001", "in the order they were made (B001 first)");
	IS_STR(ann[1].number, "A002", "then A002");
	IS_INT(b.n_serving, 3, "three counters serving");
	IS_STR(b.serving[0].number, "A002", "newest call on top");
	IS_STR(b.serving[2].number, "A001", "oldest at the bottom");
	IS_INT(b.total_waiting, 2, "two left waiting");
	IS_INT(b.n_recent, 3, "three recent calls");

	op(KQ_RECALL, 3, NULL);
	update(&b, 5000, ann, &n);
	IS_INT(n, 1, "a re-call is announced again");
	OK(ann[0].recall && !strcmp(ann[0].number, "A001"), "as a re-call of A001");
	IS_STR(b.serving[0].number, "A001", "and moves to the top");
	IS_INT(b.n_recent, 3, "recent calls list a ticket once");

	op(KQ_FINISH, 3, NULL);
	op(KQ_START, 1, NULL);
	update(&b, 6000, ann, &n);
	IS_INT(n, 0, "finish and start are not announced");
	IS_INT(b.n_serving, 2, "a finished ticket leaves the counters");
	IS_STR(b.recent[0].number, "A001", "but stays in the last calls");

	op(KQ_TRANSFER, 2, "marital-status");
	update(&b, 7000, ann, &n);
	IS_INT(n, 0, "a transfer is not announced");
	IS_INT(b.waiting[1].count, 2, "the transferred ticket waits in its new service");

	/* A board that starts now must not replay the morning's calls. */
	struct board fresh = {0};
	update(&fresh, 8000, ann, &n);
	IS_INT(n, 0, "a board started mid-day announces nothing old");
	IS_INT(fresh.n_serving, b.n_serving, "but shows the same rows");
	OK(!board_flash_on(&fresh.serving[0], 8000), "without flashing");
	call(3, NULL);
	update(&fresh, 9000, ann, &n);
	IS_INT(n, 1, "and announces the next call");

	/* Many calls: never more announcements than asked. */
	issue("personal-cert", 10);
	for (int k = 1; k <= cfg.counters; k++)
		op(KQ_FINISH, k, NULL);
	for (int k = 1; k <= cfg.counters; k++)
		call(k, NULL);
	struct kerr err;
	json_t *o = qjson_status(&q, &err);
	struct board_call two[2];
	board_update(&fresh, o, 10000, two, 2, &n, &err);
	IS_INT(n, 2, "announcements are capped by the caller's array");
	IS_INT(fresh.n_recent, BOARD_RECENT_MAX, "recent calls are capped");
	json_decref(o);

	json_t *junk = json_pack("{s:i}", "waiting", 3);
	struct board before = fresh;
	OK(board_update(&fresh, junk, 11000, ann, 8, &n, &err) == K_EFAIL, "junk is refused");
	OK(!memcmp(&before, &fresh, sizeof before), "and leaves the board as it was");
	json_decref(junk);
}

/* A second process (a counter's `kiosk call`) commits while the board's JSON is being
 * read: the hook runs it just as the last-calls query starts, after the counters were
 * read. The JSON must still be one instant: the newest last call is at its counter. */
static struct kstore st2;
static struct kqueue q2;
static int armed;
static char called2[KTICKET_NUMBER_MAX];

static int mid_read(unsigned type, void *ctx, void *p, void *x)
{
	(void)type, (void)ctx, (void)p;
	if (!armed || !strstr((const char *)x, "MAX(e.id)"))
		return 0;
	armed = 0;
	struct kticket t;
	struct kerr err;
	if (kqueue_op(&q2, KQ_FINISH, 1, NULL, &t, &err) || kqueue_call(&q2, 2, NULL, &t, &err))
		printf("# the other process: %s\n", err.msg);
	snprintf(called2, sizeof called2, "%s", t.number);
	return 0;
}

static void snapshot(void)
{
	struct kerr err;
	if (kstore_open("build/tmp-board", &st2, &err)) {
		OK(0, "a second connection opens");
		return;
	}
	q2.st = &st2;
	q2.cfg = &cfg;
	issue("personal-cert", 2);
	struct kticket t;
	for (int k = 1; k <= cfg.counters; k++)
		kqueue_op(&q, KQ_FINISH, k, NULL, &t, &err); /* an idle counter says so: fine */
	call(1, NULL);
	sqlite3_trace_v2(st.db, SQLITE_TRACE_STMT, mid_read, NULL);
	armed = 1;
	json_t *o = qjson_status(&q, &err);
	sqlite3_trace_v2(st.db, 0, NULL, NULL);
	OK(o && !armed && called2[0], "another process called %s while the JSON was read", called2);
	const char *top = NULL;
	json_int_t top_id = 0, last = 0;
	int top_counter = 0, at_counter = 0;
	json_unpack(o, "{s:I, s:[{s:s, s:I, s:i}]}", "last_event", &last, "recent_calls", "number",
		    &top, "id", &top_id, "counter", &top_counter);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "serving"), i, v) {
		json_t *tk = json_object_get(v, "ticket");
		const char *n = json_string_value(json_object_get(tk, "number"));
		if (top && n && !strcmp(n, top))
			at_counter = (int)json_integer_value(json_object_get(v, "counter"));
	}
	OK(top && at_counter == top_counter,
	   "the newest last call (%s at %d) is at its counter in the same JSON (at %d)",
	   top ? top : "-", top_counter, at_counter);
	OK(last >= top_id, "last_event (%lld) is not older than the calls shown (%lld)",
	   (long long)last, (long long)top_id);
	struct board b = {0};
	struct board_call ann[BOARD_ANNOUNCE_MAX];
	int n;
	board_update(&b, o, 20000, ann, BOARD_ANNOUNCE_MAX, &n, &err);
	OK(b.n_serving >= 1 && !strcmp(b.serving[0].number, top ? top : ""),
	   "the board's top row is that call, not an empty counter beside it in the last calls");
	json_decref(o);
	/* And the board catches up with what the other process did. */
	o = qjson_status(&q, &err);
	board_update(&b, o, 21000, ann, BOARD_ANNOUNCE_MAX, &n, &err);
	OK(b.n_serving >= 1 && !strcmp(b.serving[0].number, called2),
	   "the next read shows the other process's call (%s)", called2);
	json_decref(o);
	kstore_close(&st2);
}

static void clips(void)
{
	char c[BOARD_CLIPS_MAX][BOARD_CLIP_NAME_MAX];
	int n = board_clips("A023", 3, c, BOARD_CLIPS_MAX);
	IS_INT(n, 8, "A023 at counter 3: eight clips");
	char joined[256] = "";
	for (int i = 0; i < n; i++) {
		strcat(joined, c[i]);
		strcat(joined, i + 1 < n ? " " : "");
	}
	IS_STR(joined, "chime number letter-a digit-0 digit-2 digit-3 counter digit-3",
	       "chime, หมายเลข, letter, each digit, เชิญที่ช่อง, counter");
	n = board_clips("Z999", 12, c, BOARD_CLIPS_MAX);
	IS_STR(c[n - 2], "digit-1", "counter 12 read digit by digit");
	IS_STR(c[2], "letter-z", "Z");
	IS_INT(board_clips("a023", 1, c, BOARD_CLIPS_MAX), 0, "lower-case letter refused");
	IS_INT(board_clips("A0x3", 1, c, BOARD_CLIPS_MAX), 0, "non-digit refused");
	IS_INT(board_clips("A023", 0, c, BOARD_CLIPS_MAX), 0, "counter 0 refused");
	IS_INT(board_clips("", 1, c, BOARD_CLIPS_MAX), 0, "empty refused");
	IS_INT(board_clips("A023", 3, c, 4), 0, "too small an array refused");
	IS_STR(board_clip_text("number"), "หมายเลข", "หมายเลข");
	IS_STR(board_clip_text("counter"), "เชิญที่ช่อง", "เชิญที่ช่อง");
	IS_STR(board_clip_text("digit-0"), "ศูนย์", "ศูนย์");
	OK(board_clip_text("nope") == NULL, "unknown clip: NULL");
	int every = 1, count = 0;
	for (const char *const *p = board_clip_names(); *p; p++, count++)
		every &= board_clip_text(*p) != NULL;
	OK(every && count == 39, "39 clips, each with its words");
}

int main(void)
{
	struct kdiag d = {0};
	struct kerr err;
	if (kconfig_load("config", &cfg, &d)) {
		printf("# config: %s\n", d.n ? d.line[0] : "?");
		return 2;
	}
	setenv("KIOSK_NOW", "2026-11-24T09:00:00+07:00", 1);
	if (system("rm -rf build/tmp-board") || kstore_open("build/tmp-board", &st, &err)) {
		printf("# store\n");
		return 2;
	}
	q.st = &st;
	q.cfg = &cfg;
	model();
	snapshot();
	clips();
	kstore_close(&st);
	kconfig_free(&cfg);
	return tap_done();
}
