/**
 * @file board.c
 * @brief The display board's model (see board.h).
 */
#include "core/board.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Clip names and what they say. Letters as Thai speakers read Latin letters. */
static const struct {
	const char *name, *text;
} CLIPS[] = {
	{"chime", ""},
	{"number", "หมายเลข"},
	{"counter", "เชิญที่ช่อง"},
	{"digit-0", "ศูนย์"}, {"digit-1", "หนึ่ง"}, {"digit-2", "สอง"}, {"digit-3", "สาม"},
	{"digit-4", "สี่"}, {"digit-5", "ห้า"}, {"digit-6", "หก"}, {"digit-7", "เจ็ด"},
	{"digit-8", "แปด"}, {"digit-9", "เก้า"},
	{"letter-a", "เอ"}, {"letter-b", "บี"}, {"letter-c", "ซี"}, {"letter-d", "ดี"},
	{"letter-e", "อี"}, {"letter-f", "เอฟ"}, {"letter-g", "จี"}, {"letter-h", "เอช"},
	{"letter-i", "ไอ"}, {"letter-j", "เจ"}, {"letter-k", "เค"}, {"letter-l", "แอล"},
	{"letter-m", "เอ็ม"}, {"letter-n", "เอ็น"}, {"letter-o", "โอ"}, {"letter-p", "พี"},
	{"letter-q", "คิว"}, {"letter-r", "อาร์"}, {"letter-s", "เอส"}, {"letter-t", "ที"},
	{"letter-u", "ยู"}, {"letter-v", "วี"}, {"letter-w", "ดับเบิลยู"}, {"letter-x", "เอ็กซ์"},
	{"letter-y", "วาย"}, {"letter-z", "แซด"},
};
#define N_CLIPS (sizeof CLIPS / sizeof CLIPS[0])

const char *board_clip_text(const char *clip)
{
	for (size_t i = 0; i < N_CLIPS; i++)
		if (!strcmp(CLIPS[i].name, clip))
			return CLIPS[i].text;
	return NULL;
}

const char *const *board_clip_names(void)
{
	static const char *names[N_CLIPS + 1];
	for (size_t i = 0; i < N_CLIPS; i++)
		names[i] = CLIPS[i].name;
	return names;
}

int board_clips(const char *number, int counter, char clips[][BOARD_CLIP_NAME_MAX], int max)
{
	char cnt[12];
	int n = 0, len = number ? (int)strlen(number) : 0;

	if (len < 2 || len > KTICKET_NUMBER_MAX - 1 || number[0] < 'A' || number[0] > 'Z' ||
	    counter < 1 || counter > 999)
		return 0;
	for (int i = 1; i < len; i++)
		if (number[i] < '0' || number[i] > '9')
			return 0;
	snprintf(cnt, sizeof cnt, "%d", counter);
	if (3 + len + (int)strlen(cnt) > max)
		return 0;
	snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "chime");
	snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "number");
	snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "letter-%c", number[0] - 'A' + 'a');
	for (int i = 1; i < len; i++)
		snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "digit-%c", number[i]);
	snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "counter");
	for (const char *p = cnt; *p; p++)
		snprintf(clips[n++], BOARD_CLIP_NAME_MAX, "digit-%c", *p);
	return n;
}

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static int64_t num(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* The flash deadline a row had before this update (0 when it is new). */
static int64_t old_flash(const struct board *b, const struct board_call *c)
{
	for (int i = 0; i < b->n_serving; i++)
		if (b->serving[i].event_id == c->event_id)
			return b->serving[i].flash_until;
	for (int i = 0; i < b->n_recent; i++)
		if (b->recent[i].event_id == c->event_id)
			return b->recent[i].flash_until;
	return 0;
}

kst board_update(struct board *b, const json_t *q, int64_t now_ms, struct board_call *announce,
		 int max, int *n_announce, struct kerr *err)
{
	const json_t *serving = json_object_get(q, "serving"), *recent = json_object_get(q, "recent_calls"),
		     *waiting = json_object_get(q, "waiting"), *v;
	struct board nb;
	size_t i;

	*n_announce = 0;
	if (!json_is_object(q) || !json_is_array(serving) || !json_is_array(recent) ||
	    !json_is_array(waiting))
		return kerr_set(err, K_EFAIL, "not a queue object");
	memset(&nb, 0, sizeof nb);
	nb.loaded = 1;
	nb.seen_call = b->seen_call;
	nb.last_event = num(q, "last_event");
	const json_t *office = json_object_get(q, "office");
	snprintf(nb.office_th, sizeof nb.office_th, "%s", str(office, "name_th"));
	snprintf(nb.office_en, sizeof nb.office_en, "%s", str(office, "name_en"));

	/* Recent calls first: they carry the event ids the serving rows need. */
	int64_t newest = 0;
	json_array_foreach(recent, i, v) {
		if (nb.n_recent >= BOARD_RECENT_MAX)
			break;
		struct board_call *c = &nb.recent[nb.n_recent++];
		snprintf(c->number, sizeof c->number, "%s", str(v, "number"));
		snprintf(c->service, sizeof c->service, "%s", str(v, "service"));
		c->counter = (int)num(v, "counter");
		c->event_id = num(v, "id");
		c->recall = !strcmp(str(v, "kind"), "recall");
		if (c->event_id > newest)
			newest = c->event_id;
	}
	json_array_foreach(serving, i, v) {
		const json_t *t = json_object_get(v, "ticket");
		if (!json_is_object(t) || nb.n_serving >= KCONF_COUNTERS_MAX)
			continue;
		struct board_call *c = &nb.serving[nb.n_serving++];
		snprintf(c->number, sizeof c->number, "%s", str(t, "number"));
		snprintf(c->service, sizeof c->service, "%s", str(t, "service"));
		c->counter = (int)num(v, "counter");
		for (int k = 0; k < nb.n_recent; k++)
			if (!strcmp(nb.recent[k].number, c->number) && nb.recent[k].counter == c->counter) {
				c->event_id = nb.recent[k].event_id;
				c->recall = nb.recent[k].recall;
			}
	}
	/* Newest call first; a ticket without a call event today sorts last. */
	for (int x = 1; x < nb.n_serving; x++)
		for (int y = x; y > 0 && nb.serving[y].event_id > nb.serving[y - 1].event_id; y--) {
			struct board_call tmp = nb.serving[y];
			nb.serving[y] = nb.serving[y - 1];
			nb.serving[y - 1] = tmp;
		}
	json_array_foreach(waiting, i, v) {
		if (nb.n_waiting >= KCAT_SERVICES_MAX)
			break;
		struct board_wait *w = &nb.waiting[nb.n_waiting++];
		snprintf(w->service, sizeof w->service, "%s", str(v, "service"));
		w->prefix = str(v, "prefix")[0];
		snprintf(w->name_th, sizeof w->name_th, "%s",
			 *str(v, "short_th") ? str(v, "short_th") : str(v, "name_th"));
		snprintf(w->name_en, sizeof w->name_en, "%s",
			 *str(v, "short_en") ? str(v, "short_en") : str(v, "name_en"));
		w->count = (int)num(v, "count");
		nb.total_waiting += w->count;
	}
	/* Keep flashes that are running; start them for new calls. */
	for (int k = 0; k < nb.n_serving; k++)
		nb.serving[k].flash_until = old_flash(b, &nb.serving[k]);
	for (int k = 0; k < nb.n_recent; k++)
		nb.recent[k].flash_until = old_flash(b, &nb.recent[k]);
	if (b->loaded) {
		/* Oldest new call first: announced in the order they were made. */
		for (int k = nb.n_recent - 1; k >= 0; k--) {
			struct board_call *c = &nb.recent[k];
			if (c->event_id <= b->seen_call)
				continue;
			c->flash_until = now_ms + BOARD_FLASH_MS;
			for (int s = 0; s < nb.n_serving; s++)
				if (nb.serving[s].event_id == c->event_id)
					nb.serving[s].flash_until = c->flash_until;
			if (*n_announce < max)
				announce[(*n_announce)++] = *c;
		}
	}
	if (newest > nb.seen_call)
		nb.seen_call = newest;
	*b = nb;
	return K_OK;
}

int board_flash_on(const struct board_call *c, int64_t now_ms)
{
	if (!c->flash_until || now_ms >= c->flash_until)
		return 0;
	int64_t elapsed = BOARD_FLASH_MS - (c->flash_until - now_ms);
	return elapsed < 0 || (elapsed / BOARD_BLINK_MS) % 2 == 0; /* bright first */
}

int64_t board_next_change(const struct board *b, int64_t now_ms)
{
	int64_t best = -1;
	const struct board_call *rows[2] = {b->serving, b->recent};
	int counts[2] = {b->n_serving, b->n_recent};
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < counts[r]; i++) {
			const struct board_call *c = &rows[r][i];
			if (!c->flash_until || now_ms >= c->flash_until)
				continue;
			int64_t left = c->flash_until - now_ms;
			int64_t step = left % BOARD_BLINK_MS;
			int64_t at = now_ms + (step ? step : BOARD_BLINK_MS);
			if (best < 0 || at < best)
				best = at;
		}
	return best;
}
