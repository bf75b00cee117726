/**
 * @file batch.c
 * @brief Checking a ratings batch (see batch.h).
 */
#include "collector/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

const char *const cb_score_keys[CB_SCORES] = {"process", "staff", "facility", "overall"};

static const char *const top_keys[] = {"office", "kiosk", "sent_at", "ratings"};
static const char *const rating_keys[] = {"id", "ticket", "service", "at", "scores"};

int cb_is_uuid(const char *s)
{
	static const char tmpl[] = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < CB_UUID_LEN; i++) {
		char c = s[i], t = tmpl[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
		if (t == '-' || t == '4') {
			if (c != t)
				return 0;
		} else if (t == 'y') {
			if (c != '8' && c != '9' && c != 'a' && c != 'b')
				return 0;
		} else if (!hex) {
			return 0;
		}
	}
	return s[CB_UUID_LEN] == 0;
}

/* Ids, tickets and service ids are short ASCII words: anything else is not what a
 * kiosk sends, and refusing it keeps control bytes and markup out of the reports. */
static int word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int cb_id_ok(const char *s)
{
	return word_ok(s, CB_ID_MAX);
}

/* Exactly the keys in want[]: a missing key and an unknown one are both refused,
 * as the fake server of the kiosk's tests does (the contract has no optional field). */
static int keys_exact(json_t *o, const char *const *want, size_t n, const char *where,
		      char why[CB_WHY_MAX])
{
	const char *k;
	json_t *v;
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(o, want[i])) {
			snprintf(why, CB_WHY_MAX, "%s: \"%s\" is missing", where, want[i]);
			return 0;
		}
	json_object_foreach(o, k, v)
	{
		size_t i;
		for (i = 0; i < n && strcmp(k, want[i]); i++)
			;
		if (i == n) {
			snprintf(why, CB_WHY_MAX, "%s: unknown key \"%.40s\"", where, k);
			return 0;
		}
	}
	return 1;
}

/* A string member that passes ok(); copied into out (cap bytes). */
static int str_member(json_t *o, const char *key, char *out, size_t max, const char *where,
		      char why[CB_WHY_MAX])
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v)) {
		snprintf(why, CB_WHY_MAX, "%s: \"%s\" must be a string", where, key);
		return 0;
	}
	if (!word_ok(json_string_value(v), max)) {
		snprintf(why, CB_WHY_MAX, "%s: \"%s\" must be 1-%zu letters, digits or -_.", where,
			 key, max);
		return 0;
	}
	snprintf(out, max + 1, "%s", json_string_value(v));
	return 1;
}

static int rating_parse(json_t *o, int i, struct cb_rating *r, char why[CB_WHY_MAX])
{
	char where[32];
	snprintf(where, sizeof where, "ratings[%d]", i);
	if (!json_is_object(o)) {
		snprintf(why, CB_WHY_MAX, "%s must be an object", where);
		return 0;
	}
	if (!keys_exact(o, rating_keys, 5, where, why))
		return 0;
	json_t *id = json_object_get(o, "id");
	if (!json_is_string(id) || !cb_is_uuid(json_string_value(id))) {
		snprintf(why, CB_WHY_MAX, "%s: \"id\" must be a lower-case UUID v4", where);
		return 0;
	}
	snprintf(r->id, sizeof r->id, "%s", json_string_value(id));
	if (!str_member(o, "ticket", r->ticket, CB_TICKET_MAX, where, why) ||
	    !str_member(o, "service", r->service, CB_SERVICE_MAX, where, why))
		return 0;
	json_t *at = json_object_get(o, "at");
	if (!json_is_string(at) || kclock_parse_iso(json_string_value(at), &r->at)) {
		snprintf(why, CB_WHY_MAX,
			 "%s: \"at\" must be a time like 2026-11-24T09:41:10+07:00", where);
		return 0;
	}
	kclock_bkk_date(r->at, r->day);
	json_t *sc = json_object_get(o, "scores");
	char sw[48];
	snprintf(sw, sizeof sw, "%s.scores", where);
	if (!json_is_object(sc)) {
		snprintf(why, CB_WHY_MAX, "%s must be an object", sw);
		return 0;
	}
	if (!keys_exact(sc, cb_score_keys, CB_SCORES, sw, why))
		return 0;
	for (int d = 0; d < CB_SCORES; d++) {
		json_t *v = json_object_get(sc, cb_score_keys[d]);
		/* json_is_integer: 4.0 and "4" are not answers on a five-face scale. */
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5) {
			snprintf(why, CB_WHY_MAX, "%s.%s must be a whole number from 1 to 5", sw,
				 cb_score_keys[d]);
			return 0;
		}
		r->score[d] = (int)json_integer_value(v);
	}
	return 1;
}

int cb_parse(const char *body, size_t len, struct cb_batch *b, char why[CB_WHY_MAX])
{
	json_error_t je;
	int status = 422;

	memset(b, 0, sizeof *b);
	why[0] = 0;
	/* Duplicate keys are refused: {"kiosk":"a","kiosk":"b"} has no single meaning. */
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(why, CB_WHY_MAX, "body is not JSON: %s (line %d)", je.text, je.line);
		return 400;
	}
	if (!json_is_object(j)) {
		snprintf(why, CB_WHY_MAX, "body must be a JSON object");
		goto out;
	}
	if (!keys_exact(j, top_keys, 4, "batch", why) ||
	    !str_member(j, "office", b->office, CB_ID_MAX, "batch", why) ||
	    !str_member(j, "kiosk", b->kiosk, CB_ID_MAX, "batch", why))
		goto out;
	int64_t t;
	json_t *sent = json_object_get(j, "sent_at");
	if (!json_is_string(sent) || kclock_parse_iso(json_string_value(sent), &t)) {
		snprintf(why, CB_WHY_MAX,
			 "batch: \"sent_at\" must be a time like 2026-11-24T10:00:00+07:00");
		goto out;
	}
	json_t *arr = json_object_get(j, "ratings");
	if (!json_is_array(arr)) {
		snprintf(why, CB_WHY_MAX, "batch: \"ratings\" must be an array");
		goto out;
	}
	size_t n = json_array_size(arr);
	if (n > CB_RATINGS_MAX) {
		snprintf(why, CB_WHY_MAX, "batch: %zu ratings, at most %d in one batch", n,
			 CB_RATINGS_MAX);
		goto out;
	}
	if (n && !(b->r = calloc(n, sizeof *b->r))) {
		snprintf(why, CB_WHY_MAX, "out of memory");
		status = 503;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!rating_parse(json_array_get(arr, i), (int)i, &b->r[i], why))
			goto out;
	b->n = (int)n;
	status = 0;
out:
	json_decref(j);
	if (status)
		cb_free(b);
	return status;
}

void cb_free(struct cb_batch *b)
{
	free(b->r);
	b->r = NULL;
	b->n = 0;
}

char *cb_rows_json(const struct cb_batch *b)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (int i = 0; i < b->n; i++) {
		const struct cb_rating *r = &b->r[i];
		json_t *o =
		    json_pack("{s:s, s:s, s:s, s:I, s:s}", "id", r->id, "ticket", r->ticket,
			      "service", r->service, "at", (json_int_t)r->at, "day", r->day);
		for (int d = 0; o && d < CB_SCORES; d++)
			json_object_set_new(o, cb_score_keys[d], json_integer(r->score[d]));
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}
