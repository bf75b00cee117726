/* collector/batch.c: the checks the district collector makes on a kiosk's batch before
 * anything reaches PostgreSQL, and the HTTP status each failure maps to. */
#include <stdlib.h>

#include "collector/batch.h"
#include "tap.h"

#define ID "0b6a3c9e-1d2f-4a5b-8c7d-9e0f1a2b3c4d"
#define HEAD                                                                                       \
	"{\"office\":\"bangkhae\",\"kiosk\":\"kiosk-1\",\"sent_at\":\"2026-11-24T10:00:00+07:"     \
	"00\","

/* One rating with the given id, at and process score (as JSON text). */
static char *batch(const char *id, const char *at, const char *process)
{
	static char b[1024];
	snprintf(
	    b, sizeof b,
	    HEAD
	    "\"ratings\":[{\"id\":%s,\"ticket\":\"A001\",\"service\":\"personal-cert\","
	    "\"at\":%s,\"scores\":{\"process\":%s,\"staff\":4,\"facility\":5,\"overall\":5}}]}",
	    id, at, process);
	return b;
}

static int status(const char *body, char why[CB_WHY_MAX])
{
	struct cb_batch b;
	int st = cb_parse(body, strlen(body), &b, why);
	cb_free(&b);
	return st;
}

int main(void)
{
	char why[CB_WHY_MAX];
	struct cb_batch b;

	const char *good = batch("\"" ID "\"", "\"2026-11-24T23:30:00+07:00\"", "5");
	IS_INT(cb_parse(good, strlen(good), &b, why), 0, "a kiosk's batch is accepted");
	IS_INT(b.n, 1, "one rating");
	IS_STR(b.office, "bangkhae", "office");
	IS_STR(b.r[0].day, "2026-11-24", "23:30 Bangkok is that Bangkok day");
	char *rows = cb_rows_json(&b);
	OK(rows && strstr(rows, "\"process\":5") && strstr(rows, "\"day\":\"2026-11-24\""),
	   "the rows for SQL carry the checked values: %s", rows ? rows : "(null)");
	free(rows);
	cb_free(&b);
	const char *utc = batch("\"" ID "\"", "\"2026-11-24T17:30:00Z\"", "5");
	cb_parse(utc, strlen(utc), &b, why);
	IS_STR(b.r[0].day, "2026-11-25", "17:30 UTC is the next Bangkok day");
	cb_free(&b);

	static const struct {
		const char *body;
		int want;
		const char *what;
	} bad[] = {
	    {"", 400, "an empty body"},
	    {"{\"office\":", 400, "cut JSON"},
	    {"[1,2]", 422, "an array"},
	    {HEAD "\"ratings\":[], \"kiosk\":\"kiosk-2\"}", 400, "a duplicate key"},
	    {HEAD "\"ratings\":{}}", 422, "ratings not an array"},
	    {HEAD "\"ratings\":[], \"extra\":1}", 422, "an unknown key"},
	    {"{\"office\":\"bangkhae\",\"kiosk\":\"kiosk-1\",\"ratings\":[]}", 422,
	     "sent_at missing"},
	    {"{\"office\":\"bang "
	     "khae\",\"kiosk\":\"kiosk-1\",\"sent_at\":\"2026-11-24T10:00:00+07:00\","
	     "\"ratings\":[]}",
	     422, "an office with a space"},
	    {"{\"office\":7,\"kiosk\":\"kiosk-1\",\"sent_at\":\"2026-11-24T10:00:00+07:00\","
	     "\"ratings\":[]}",
	     422, "office a number"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		IS_INT(status(bad[i].body, why), bad[i].want, "%s: %d (%s)", bad[i].what,
		       bad[i].want, why);

	static const struct {
		const char *id, *at, *process, *what;
	} rb[] = {
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "6", "score 6"},
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "0", "score 0"},
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "4.0", "score 4.0"},
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "\"4\"", "score \"4\""},
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "true", "score true"},
	    {"\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "null", "score null"},
	    {"\"0B6A3C9E-1D2F-4A5B-8C7D-9E0F1A2B3C4D\"", "\"2026-11-24T09:41:10+07:00\"", "5",
	     "an upper-case id"},
	    {"\"" ID "x\"", "\"2026-11-24T09:41:10+07:00\"", "5", "an id too long"},
	    {"17", "\"2026-11-24T09:41:10+07:00\"", "5", "an id number"},
	    {"\"" ID "\"", "\"2026-02-30T09:41:10+07:00\"", "5", "30 February"},
	    {"\"" ID "\"", "\"yesterday\"", "5", "a time in words"},
	    {"\"" ID "\"", "1764000000", "5", "a time as a number"},
	};
	for (size_t i = 0; i < sizeof rb / sizeof rb[0]; i++)
		IS_INT(status(batch(rb[i].id, rb[i].at, rb[i].process), why), 422, "%s: 422 (%s)",
		       rb[i].what, why);
	IS_INT(status(batch("\"" ID "\"", "\"2026-11-24T09:41:10+07:00\"", "9"), why), 422,
	       "the reason names the field");
	OK(strstr(why, "ratings[0].scores.process"), "  ... %s", why);

	/* Every prefix of a good batch is refused (400), never a crash or a partial batch. */
	int prefixes_ok = 1;
	for (size_t n = 0; n < strlen(good); n++)
		if (cb_parse(good, n, &b, why) != 400)
			prefixes_ok = 0;
	OK(prefixes_ok, "every cut of a good body: 400");

	/* More than a kiosk ever puts in a batch. */
	size_t cap = 64 + (CB_RATINGS_MAX + 1) * 200;
	char *big = malloc(cap), *p = big;
	p += sprintf(p, HEAD "\"ratings\":[");
	for (int i = 0; i <= CB_RATINGS_MAX; i++)
		p += sprintf(p,
			     "%s{\"id\":\"%s\",\"ticket\":\"A001\",\"service\":\"s\",\"at\":"
			     "\"2026-11-24T09:41:10+07:00\",\"scores\":{\"process\":5,\"staff\":4,"
			     "\"facility\":5,\"overall\":5}}",
			     i ? "," : "", ID);
	sprintf(p, "]}");
	IS_INT(status(big, why), 422, "%d ratings in one batch: 422 (%s)", CB_RATINGS_MAX + 1, why);
	free(big);
	return tap_done();
}
