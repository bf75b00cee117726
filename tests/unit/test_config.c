/* Catalogue and kiosk.conf validation: every malformed case gives a clear
 * `file:line: message` at the right line, and nothing crashes. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "tap.h"

/* A valid one-service catalogue; cases below break one thing each. */
static const char *good_svc =
	"{\n"
	"  \"version\": 1,\n"
	"  \"groups\": [{\"id\": \"cert\", \"name\": {\"th\": \"รับรอง\", \"en\": \"Cert\"}}],\n"
	"  \"services\": [\n"
	"    {\n"
	"      \"id\": \"personal-cert\",\n"
	"      \"prefix\": \"A\",\n"
	"      \"group\": \"cert\",\n"
	"      \"name\": {\"th\": \"สอบสวนรับรองบุคคล\", \"en\": \"Personal certification\"},\n"
	"      \"summary\": {\"th\": \"รับรอง\", \"en\": \"Certify\"},\n"
	"      \"criteria\": [{\"th\": \"มาด้วยตนเอง\", \"en\": \"In person\"}],\n"
	"      \"steps\": [{\"text\": {\"th\": \"ยื่น\", \"en\": \"Apply\"}, \"unit\": {\"th\": \"งานปกครอง\", \"en\": \"Admin\"}, \"minutes\": null}],\n"
	"      \"documents\": [\n"
	"        {\"name\": {\"th\": \"บัตร\", \"en\": \"ID\"}, \"issuer\": {\"th\": \"กรมการปกครอง\", \"en\": \"DOPA\"},\n"
	"         \"originals\": 1, \"copies\": 1, \"unit\": {\"th\": \"ฉบับ\", \"en\": \"copy\"}}\n"
	"      ],\n"
	"      \"fee\": {\"th\": \"สอบถาม\", \"en\": \"Ask\"},\n"
	"      \"fee_baht\": null,\n"
	"      \"total_time\": {\"th\": \"สอบถาม\", \"en\": \"Ask\"},\n"
	"      \"total_minutes\": null,\n"
	"      \"complaints\": [{\"th\": \"1111\", \"en\": \"1111\"}],\n"
	"      \"sources\": [\"services.md\"],\n"
	"      \"verified\": \"2026-11-24\",\n"
	"      \"service_minutes\": 20\n"
	"    }\n"
	"  ]\n"
	"}\n";

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	if (!p)
		return NULL;
	size_t n = strlen(s) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);
	size_t a = (size_t)(p - s);
	memcpy(out, s, a);
	strcpy(out + a, to);
	strcat(out, p + strlen(from));
	return out;
}

/* Parses text; expects failure with a message containing `want` on `line`. */
static void bad_svc(const char *text, int line, const char *want, const char *what)
{
	struct kcatalog cat;
	struct kdiag d;
	char prefix[32];
	memset(&d, 0, sizeof d);
	kst rc = kcatalog_parse("services.json", text, strlen(text), &cat, &d);
	kcatalog_free(&cat);
	snprintf(prefix, sizeof prefix, "services.json:%d:", line);
	int found = 0;
	for (int i = 0; i < d.n; i++)
		found |= strncmp(d.line[i], prefix, strlen(prefix)) == 0 && strstr(d.line[i], want);
	if (!OK(rc == K_EUSAGE && found, "%s -> line %d says \"%s\"", what, line, want))
		for (int i = 0; i < d.n; i++)
			printf("#   %s\n", d.line[i]);
}

static void bad_mut(const char *from, const char *to, int line, const char *want, const char *what)
{
	char *t = replace(good_svc, from, to);
	if (!t) {
		OK(0, "test setup: '%s' not in the sample", from);
		return;
	}
	bad_svc(t, line, want, what);
	free(t);
}

static void catalogue_cases(void)
{
	struct kcatalog cat;
	struct kdiag d = {0};
	kst rc = kcatalog_parse("services.json", good_svc, strlen(good_svc), &cat, &d);
	OK(rc == K_OK && cat.n == 1, "the sample catalogue is valid");
	IS_STR(cat.n ? cat.svc[0].docs[0].name.th : "", "บัตร", "strings point into the tree");
	IS_INT(cat.n ? cat.svc[0].fee_baht : 0, -1, "null fee means 'not published', not 0");
	kcatalog_free(&cat);

	bad_svc("{\n  \"version\": 1,\n  \"groups\": [\n", 4, "", "truncated JSON");
	bad_svc("{\n \"version\": 1,\n \"x\": tru\n}", 3, "", "a bad literal");
	bad_svc("[1, 2]", 1, "one object", "a list instead of an object");
	bad_svc("", 1, "", "an empty file");
	bad_mut("\"สอบสวนรับรองบุคคล\"", "\"\xe0\xb8\"", 9, "", "invalid UTF-8 in a name");
	bad_mut("\"summary\": {\"th\": \"รับรอง\", \"en\": \"Certify\"},",
		"\"summary\": {\"th\": \"รับรอง\", \"en\": \"Certify\"}, \"summary\": {\"th\": \"x\", \"en\": \"y\"},",
		10, "duplicate", "a key given twice");
	bad_mut("\"copies\": 1", "\"copies\": \"1\"", 15, "whole number", "copies as text");
	bad_mut("\"copies\": 1", "\"copies\": -1", 15, "between 0 and 20", "negative copies");
	bad_mut("\"copies\": 1", "\"copeis\": 1", 15, "unknown key \"copeis\"", "a misspelt key");
	bad_mut("\"originals\": 1, \"copies\": 1", "\"originals\": 0, \"copies\": 0", 15,
		"both 0", "a document to bring zero times");
	bad_mut("\"prefix\": \"A\"", "\"prefix\": \"a1\"", 7, "capital letter", "a bad prefix");
	bad_mut("\"id\": \"personal-cert\"", "\"id\": \"Personal Cert\"", 6, "a-z", "a bad id");
	bad_mut("      \"fee\": {\"th\": \"สอบถาม\", \"en\": \"Ask\"},\n", "", 5, "missing required field \"fee\"",
		"a service without a fee statement");
	bad_mut("\"fee\": {\"th\": \"สอบถาม\"", "\"fee\": {\"th\": \"\"", 17, "must not be empty",
		"a blank fee");
	bad_mut("\"group\": \"cert\"", "\"group\": \"nope\"", 8, "unknown group", "an unknown group");
	bad_mut("\"verified\": \"2026-11-24\"", "\"verified\": \"2026-02-30\"", 23, "date",
		"an impossible verified date");
	bad_mut("\"sources\": [\"services.md\"]", "\"sources\": []", 22, "at least one source",
		"no sources");
	bad_mut("\"minutes\": null", "\"minutes\": 1.5", 12, "whole number", "fractional minutes");
	bad_mut("\"name\": {\"th\": \"สอบสวนรับรองบุคคล\", \"en\": \"Personal certification\"}",
		"\"name\": \"สอบสวนรับรองบุคคล\"", 9, "must be an object", "a name without languages");

	/* Two services with the same id and prefix: both reported on the second's lines. */
	const char *svc_start = strstr(good_svc, "    {\n");
	const char *svc_end = strstr(good_svc, "    }\n") + 6;
	size_t sl = (size_t)(svc_end - svc_start);
	char *two = malloc(strlen(good_svc) + sl + 8);
	size_t head = (size_t)(svc_end - good_svc);
	memcpy(two, good_svc, head);
	two[head - 1] = 0;
	strcat(two, ",\n");
	size_t at = strlen(two);
	memcpy(two + at, svc_start, sl);
	two[at + sl] = 0;
	strcat(two, svc_end);
	bad_svc(two, 27, "already used", "a duplicate service id");
	bad_svc(two, 28, "prefix \"A\" is already used", "a duplicate prefix");
	free(two);

	/* short_name: optional; the name stands in for it; when given, a whole {th, en}. */
	const char *nm =
		"\"name\": {\"th\": \"สอบสวนรับรองบุคคล\", \"en\": \"Personal certification\"},";
	char with[512];
	struct kdiag sd;
	memset(&sd, 0, sizeof sd);
	OK(kcatalog_parse("services.json", good_svc, strlen(good_svc), &cat, &sd) == K_OK &&
		   !strcmp(cat.svc[0].short_name.th, "สอบสวนรับรองบุคคล") &&
		   !strcmp(cat.svc[0].short_name.en, "Personal certification"),
	   "no short_name: the board gets the name");
	kcatalog_free(&cat);
	snprintf(with, sizeof with, "%s \"short_name\": {\"th\": \"รับรองบุคคล\", \"en\": \"Personal\"},",
		 nm);
	char *t = replace(good_svc, nm, with);
	OK(t && kcatalog_parse("services.json", t, strlen(t), &cat, &sd) == K_OK &&
		   !strcmp(cat.svc[0].short_name.th, "รับรองบุคคล") &&
		   !strcmp(cat.svc[0].short_name.en, "Personal") &&
		   !strcmp(cat.svc[0].name.th, "สอบสวนรับรองบุคคล"),
	   "a short_name is kept beside the name");
	kcatalog_free(&cat);
	free(t);
	snprintf(with, sizeof with, "%s \"short_name\": \"รับรองบุคคล\",", nm);
	bad_mut(nm, with, 9, "services[0].short_name: must be an object", "a short_name that is a bare text");
	snprintf(with, sizeof with, "%s \"short_name\": {\"th\": \"\", \"en\": \"Personal\"},", nm);
	bad_mut(nm, with, 9, "short_name.th: must not be empty", "an empty Thai short_name");
}

static void ini_bad(const char *text, int line, const char *want, const char *what)
{
	struct kconfig c;
	struct kdiag d;
	char prefix[32];
	memset(&d, 0, sizeof d);
	kst rc = kconfig_parse_ini("kiosk.conf", text, strlen(text), &c, &d);
	snprintf(prefix, sizeof prefix, "kiosk.conf:%d:", line);
	int found = 0;
	for (int i = 0; i < d.n; i++)
		found |= strncmp(d.line[i], prefix, strlen(prefix)) == 0 && strstr(d.line[i], want);
	if (!OK(rc == K_EUSAGE && found, "kiosk.conf: %s -> line %d \"%s\"", what, line, want))
		for (int i = 0; i < d.n; i++)
			printf("#   %s\n", d.line[i]);
}

static const char *good_ini = "[office]\ncode = bangkhae\nname_th = สำนักงานเขตบางแค\n"
			      "name_en = Bang Khae\n[kiosk]\nid = k1\n[counters]\ncount = 3\n"
			      "[ticket]\nqr_template = https://x/t?o={office}&d={date}&n={number}&s={sig}\n";

static void ini_cases(void)
{
	struct kconfig c;
	struct kdiag d = {0};
	char buf[2048];

	kst rc = kconfig_parse_ini("kiosk.conf", good_ini, strlen(good_ini), &c, &d);
	OK(rc == K_OK && c.counters == 3 && !strcmp(c.office_name_th, "สำนักงานเขตบางแค"),
	   "a minimal kiosk.conf is valid");
	IS_INT(c.priority_every, 2, "priority_every defaults to 2");
	snprintf(buf, sizeof buf, "%s[queue]\npriority_every = 0\n", good_ini);
	ini_bad(buf, 12, "from 1 to 50", "priority_every 0 would starve normal tickets");
	snprintf(buf, sizeof buf, "%s[queue]\npriority_every = two\n", good_ini);
	ini_bad(buf, 12, "whole number", "a word for a number");
	snprintf(buf, sizeof buf, "%s[qeueu]\n", good_ini);
	ini_bad(buf, 11, "unknown section", "a misspelt section");
	snprintf(buf, sizeof buf, "%s[queue]\npriorty_every = 3\n", good_ini);
	ini_bad(buf, 12, "unknown setting", "a misspelt key");
	snprintf(buf, sizeof buf, "%s[printer]\npaper_dots = 600\n", good_ini);
	ini_bad(buf, 12, "384", "an unsupported paper width");
	snprintf(buf, sizeof buf, "%s[kiosk]\nlanguage = fr\n", good_ini);
	ini_bad(buf, 12, "th or en", "an unknown language");
	snprintf(buf, sizeof buf, "%sjunk line\n", good_ini);
	ini_bad(buf, 11, "key = value", "a line without =");
	snprintf(buf, sizeof buf, "[office]\ncode = x\n");
	ini_bad(buf, 2, "missing required setting [office] name_th", "missing required settings");
	snprintf(buf, sizeof buf, "%s[office]\ncode = again\n", good_ini);
	ini_bad(buf, 12, "set twice", "a setting given twice");
	snprintf(buf, sizeof buf, "[office]\ncode = bangkhae\nname_th = \xe0\xb8\n");
	ini_bad(buf, 3, "UTF-8", "a file saved as TIS-620");
	snprintf(buf, sizeof buf, "%s[server]\nurl = http://example.org/r\n", good_ini);
	ini_bad(buf, 1, "https", "plain http to another host");
	snprintf(buf, sizeof buf, "[office]\ncode = b\nname_th = x\nname_en = x\n[kiosk]\nid = k\n"
		 "[counters]\ncount = 1\n[ticket]\nqr_template = https://x/t?n={number}\n");
	ini_bad(buf, 1, "qr_template", "a QR template without a signature (numbers could be forged)");
	snprintf(buf, sizeof buf, "%s[counters]\nservices.9 = a\n", good_ini);
	ini_bad(buf, 1, "only 3 counters", "services for a counter that does not exist");

	struct kconfig cc;
	memset(&cc, 0, sizeof cc);
	cc.counters = 3;
	strcpy(cc.counter_services[2], "personal-cert, marital-status");
	OK(kconfig_counter_serves(&cc, 1, "anything"), "a counter without a list serves all");
	OK(kconfig_counter_serves(&cc, 2, "marital-status"), "a listed service is served");
	OK(!kconfig_counter_serves(&cc, 2, "personal"), "a prefix of an id is not a match");
	OK(!kconfig_counter_serves(&cc, 4, "personal-cert"), "counter 4 does not exist");
}

static void shipped_config(void)
{
	struct kconfig c;
	struct kdiag d = {0};
	kst rc = kconfig_load("config", &c, &d);
	for (int i = 0; i < d.n; i++)
		printf("#   %s\n", d.line[i]);
	OK(rc == K_OK, "the shipped config/ is valid");
	if (rc)
		return;
	OK(c.catalog.n >= 2, "the shipped catalogue has services (%zu)", c.catalog.n);
	int blank = 0;
	for (size_t i = 0; i < c.catalog.n; i++) {
		const struct kservice *s = &c.catalog.svc[i];
		blank += !*s->fee.th || !*s->total_time.th || !s->n_sources || !*s->verified;
	}
	IS_INT(blank, 0, "every shipped service states its fee, time, sources and verified date");
	kconfig_free(&c);
}

/* The one "how many to bring" line the kiosk's checklist and the web page both show. */
static void doc_counts(void)
{
	char b[96];
	struct kdoc d = {.originals = 1, .copies = 2, .unit = {"ฉบับ", "copy"}};
	kdoc_counts(&d, "th", b, sizeof b);
	IS_STR(b, "ฉบับจริง 1 ฉบับ · สำเนา 2 ฉบับ", "Thai: originals and copies with the unit");
	kdoc_counts(&d, "en", b, sizeof b);
	IS_STR(b, "1 original · 2 copies", "English: singular original, plural copies");
	d = (struct kdoc){.originals = 2, .copies = 1, .unit = {"ชุด", "set"}};
	kdoc_counts(&d, "en", b, sizeof b);
	IS_STR(b, "2 originals · 1 copy", "English: plural originals, singular copy");
	d.originals = 0;
	kdoc_counts(&d, "th", b, sizeof b);
	IS_STR(b, "สำเนา 1 ชุด", "no originals: only the copies, no leading separator");
	d.copies = 0;
	kdoc_counts(&d, NULL, b, sizeof b);
	IS_STR(b, "", "nothing to bring: an empty line (no language falls back to Thai)");
	d = (struct kdoc){.originals = 1, .copies = 3, .unit = {"ฉบับ", "copy"}};
	char small[14]; /* 4 Thai letters and a third of one */
	kdoc_counts(&d, "th", small, sizeof small);
	OK(strlen(small) < sizeof small, "a short buffer is cut, never overrun");
	IS_STR(small, "ฉบับ", "and cut between letters, never inside one (%zu bytes)", strlen(small));
}

int main(void)
{
	doc_counts();
	catalogue_cases();
	ini_cases();
	shipped_config();
	return tap_done();
}
