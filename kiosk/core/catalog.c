/**
 * @file catalog.c
 * @brief Loading and validating config/services.json.
 *
 * jansson parses (and rejects bad UTF-8, duplicate keys and syntax errors with a
 * line); the checks below add the schema: required fields, types, ranges, unknown
 * keys, unique ids and prefixes. Each problem names its line via jsonpos.
 */
#include "core/catalog.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/jsonpos.h"

#define PATH_MAX_ 160 /* a JSON path like services[12].documents[3].condition */

struct vctx {
	const char *file, *text;
	size_t len;
	struct kdiag *d;
};

static __attribute__((format(printf, 3, 4))) void verr(struct vctx *v, const char *path,
							const char *fmt, ...)
{
	char msg[KDIAG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kdiag_add(v->d, v->file, jsonpos_line(v->text, v->len, path), "%s: %s", path, msg);
}

static void sub(char *out, const char *path, const char *key)
{
	snprintf(out, PATH_MAX_, "%s%s%s", path, *path ? "." : "", key);
}

static void idx(char *out, const char *path, size_t i)
{
	snprintf(out, PATH_MAX_, "%s[%zu]", path, i);
}

/* Unknown keys are errors: a misspelt "copeis" must not silently become 0. */
static void only_keys(struct vctx *v, json_t *obj, const char *path, const char *const *keys)
{
	const char *k;
	json_t *val;
	json_object_foreach(obj, k, val) {
		int known = 0;
		for (const char *const *p = keys; *p; p++)
			known |= !strcmp(*p, k);
		if (!known) {
			char p2[PATH_MAX_];
			sub(p2, path, k);
			verr(v, p2, "unknown key \"%s\"", k);
		}
	}
}

static json_t *member(struct vctx *v, json_t *obj, const char *path, const char *key,
		      int required)
{
	json_t *m = json_object_get(obj, key);
	if (!m && required)
		verr(v, path, "missing required field \"%s\"", key);
	return m;
}

static const char *get_str(struct vctx *v, json_t *obj, const char *path, const char *key,
			   int required)
{
	char p[PATH_MAX_];
	json_t *m = member(v, obj, path, key, required);
	if (!m)
		return NULL;
	sub(p, path, key);
	if (!json_is_string(m)) {
		verr(v, p, "must be a text in quotes");
		return NULL;
	}
	return json_string_value(m);
}

static const char *const text_keys[] = {"th", "en", NULL};

/* A {th, en} pair; both non-empty unless allow_empty (conditions may be ""). */
static void get_textv(struct vctx *v, json_t *m, const char *p, struct ktext *out, int allow_empty)
{
	static const char *const empty = "";
	out->th = out->en = empty;
	if (!json_is_object(m)) {
		verr(v, p, "must be an object {\"th\": \"...\", \"en\": \"...\"}");
		return;
	}
	only_keys(v, m, p, text_keys);
	const char *th = get_str(v, m, p, "th", 1), *en = get_str(v, m, p, "en", 1);
	char p2[PATH_MAX_];
	if (th && !allow_empty && !*th) {
		sub(p2, p, "th");
		verr(v, p2, "must not be empty (write what the citizen should know)");
	}
	if (en && !allow_empty && !*en) {
		sub(p2, p, "en");
		verr(v, p2, "must not be empty");
	}
	if (th)
		out->th = th;
	if (en)
		out->en = en;
}

static void get_text(struct vctx *v, json_t *obj, const char *path, const char *key,
		     struct ktext *out, int required, int allow_empty)
{
	static const char *const empty = "";
	char p[PATH_MAX_];
	json_t *m = member(v, obj, path, key, required);
	out->th = out->en = empty;
	if (!m)
		return;
	sub(p, path, key);
	get_textv(v, m, p, out, allow_empty);
}

/* An integer in [min,max]; null allowed (-> -1) when nullable. */
static int get_int(struct vctx *v, json_t *obj, const char *path, const char *key, int required,
		   int nullable, int min, int max, int dflt)
{
	char p[PATH_MAX_];
	json_t *m = member(v, obj, path, key, required);
	if (!m)
		return dflt;
	sub(p, path, key);
	if (json_is_null(m)) {
		if (nullable)
			return -1;
		verr(v, p, "must be a whole number, not null");
		return dflt;
	}
	if (!json_is_integer(m)) {
		verr(v, p, "must be a whole number%s", nullable ? " or null (not published)" : "");
		return dflt;
	}
	json_int_t x = json_integer_value(m);
	if (x < min || x > max) {
		verr(v, p, "must be between %d and %d", min, max);
		return dflt;
	}
	return (int)x;
}

/* An array of {th,en}; returns a calloc'd array (NULL when empty). */
static struct ktext *get_texts(struct vctx *v, json_t *obj, const char *path, const char *key,
			       int required, size_t *n)
{
	char p[PATH_MAX_], pi[PATH_MAX_];
	json_t *a = member(v, obj, path, key, required), *e;
	size_t i;
	*n = 0;
	if (!a)
		return NULL;
	sub(p, path, key);
	if (!json_is_array(a)) {
		verr(v, p, "must be a list [...]");
		return NULL;
	}
	if (json_array_size(a) == 0)
		return NULL;
	struct ktext *out = calloc(json_array_size(a), sizeof *out);
	if (!out)
		return NULL;
	json_array_foreach(a, i, e) {
		idx(pi, p, i);
		get_textv(v, e, pi, &out[i], 0);
	}
	*n = json_array_size(a);
	return out;
}

static int valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= KCAT_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static const char *const doc_keys[] = {"name",   "issuer",    "originals", "copies",
				       "unit",   "condition", "applies",   NULL};
static const char *const step_keys[] = {"text", "unit", "minutes", NULL};
static const char *const svc_keys[] = {"id",        "prefix",     "group",    "name",
				       "summary",   "criteria",   "steps",    "documents",
				       "warnings",  "fee",        "fee_baht", "total_time",
				       "total_minutes", "complaints", "sources", "verified",
				       "service_minutes", "short_name", NULL};

static void parse_doc(struct vctx *v, json_t *d, const char *p, struct kdoc *doc)
{
	if (!json_is_object(d)) {
		verr(v, p, "each document must be an object");
		return;
	}
	only_keys(v, d, p, doc_keys);
	get_text(v, d, p, "name", &doc->name, 1, 0);
	get_text(v, d, p, "issuer", &doc->issuer, 1, 0);
	doc->originals = get_int(v, d, p, "originals", 1, 0, 0, 20, 0);
	doc->copies = get_int(v, d, p, "copies", 1, 0, 0, 20, 0);
	get_text(v, d, p, "unit", &doc->unit, 1, 0);
	get_text(v, d, p, "condition", &doc->condition, 0, 1);
	const char *a = get_str(v, d, p, "applies", 0);
	doc->applies = KAPPLY_ALL;
	if (a) {
		static const char *const names[] = {"all", "minor", "adult", "elderly"};
		int found = 0;
		for (int i = 0; i < 4; i++)
			if (!strcmp(a, names[i])) {
				doc->applies = (enum kapplies)i;
				found = 1;
			}
		if (!found) {
			char p2[PATH_MAX_];
			sub(p2, p, "applies");
			verr(v, p2, "must be one of all, minor, adult, elderly");
		}
	}
	if (doc->originals == 0 && doc->copies == 0) {
		char p2[PATH_MAX_];
		sub(p2, p, "copies");
		verr(v, p2, "originals and copies are both 0: say how many to bring");
	}
}

static void parse_service(struct vctx *v, json_t *s, const char *p, struct kservice *svc,
			  const struct kcatalog *cat)
{
	char p2[PATH_MAX_], pi[PATH_MAX_];
	json_t *a, *e;
	size_t i;
	static const char *const empty = "";

	svc->id = svc->group = svc->verified = empty;
	if (!json_is_object(s)) {
		verr(v, p, "each service must be an object");
		return;
	}
	only_keys(v, s, p, svc_keys);
	const char *id = get_str(v, s, p, "id", 1);
	if (id) {
		svc->id = id;
		if (!valid_id(id)) {
			sub(p2, p, "id");
			verr(v, p2, "\"%.40s\" must be 1-31 characters of a-z, 0-9 and -", id);
		}
	}
	const char *pre = get_str(v, s, p, "prefix", 1);
	if (pre) {
		if (strlen(pre) != 1 || pre[0] < 'A' || pre[0] > 'Z') {
			sub(p2, p, "prefix");
			verr(v, p2, "must be one capital letter A-Z");
		} else {
			svc->prefix = pre[0];
		}
	}
	const char *g = get_str(v, s, p, "group", 1);
	if (g) {
		int found = 0;
		svc->group = g;
		for (size_t k = 0; k < cat->n_groups; k++)
			found |= cat->groups[k].id && !strcmp(cat->groups[k].id, g);
		if (!found) {
			sub(p2, p, "group");
			verr(v, p2, "unknown group \"%.40s\" (see \"groups\")", g);
		}
	}
	get_text(v, s, p, "name", &svc->name, 1, 0);
	svc->short_name = svc->name;
	if (json_object_get(s, "short_name"))
		get_text(v, s, p, "short_name", &svc->short_name, 0, 0);
	get_text(v, s, p, "summary", &svc->summary, 1, 0);
	svc->criteria = get_texts(v, s, p, "criteria", 1, &svc->n_criteria);
	svc->warnings = get_texts(v, s, p, "warnings", 0, &svc->n_warnings);
	svc->complaints = get_texts(v, s, p, "complaints", 1, &svc->n_complaints);
	if (!svc->n_complaints && json_is_array(json_object_get(s, "complaints"))) {
		sub(p2, p, "complaints");
		verr(v, p2, "list at least one complaint channel");
	}

	if ((a = member(v, s, p, "steps", 1))) {
		sub(p2, p, "steps");
		if (!json_is_array(a) || json_array_size(a) == 0) {
			verr(v, p2, "must be a non-empty list of steps");
		} else {
			svc->steps = calloc(json_array_size(a), sizeof *svc->steps);
			svc->n_steps = svc->steps ? json_array_size(a) : 0;
			json_array_foreach(a, i, e) {
				if (!svc->steps)
					break;
				idx(pi, p2, i);
				if (!json_is_object(e)) {
					verr(v, pi, "each step must be an object");
					continue;
				}
				only_keys(v, e, pi, step_keys);
				get_text(v, e, pi, "text", &svc->steps[i].text, 1, 0);
				get_text(v, e, pi, "unit", &svc->steps[i].unit, 1, 0);
				svc->steps[i].minutes = get_int(v, e, pi, "minutes", 1, 1, 0, 100000, -1);
			}
		}
	}
	if ((a = member(v, s, p, "documents", 1))) {
		sub(p2, p, "documents");
		if (!json_is_array(a)) {
			verr(v, p2, "must be a list (write [] and say \"no documents\" in a warning)");
		} else if (json_array_size(a)) {
			svc->docs = calloc(json_array_size(a), sizeof *svc->docs);
			svc->n_docs = svc->docs ? json_array_size(a) : 0;
			json_array_foreach(a, i, e) {
				if (!svc->docs)
					break;
				idx(pi, p2, i);
				parse_doc(v, e, pi, &svc->docs[i]);
			}
		}
	}
	get_text(v, s, p, "fee", &svc->fee, 1, 0);
	svc->fee_baht = get_int(v, s, p, "fee_baht", 1, 1, 0, 1000000, -1);
	get_text(v, s, p, "total_time", &svc->total_time, 1, 0);
	svc->total_minutes = get_int(v, s, p, "total_minutes", 1, 1, 0, 1000000, -1);
	svc->service_minutes = get_int(v, s, p, "service_minutes", 1, 0, 1, 480, 15);

	if ((a = member(v, s, p, "sources", 1))) {
		sub(p2, p, "sources");
		if (!json_is_array(a) || json_array_size(a) == 0) {
			verr(v, p2, "must list at least one source");
		} else {
			svc->sources = calloc(json_array_size(a), sizeof *svc->sources);
			svc->n_sources = svc->sources ? json_array_size(a) : 0;
			json_array_foreach(a, i, e) {
				idx(pi, p2, i);
				if (!json_is_string(e) || !*json_string_value(e))
					verr(v, pi, "must be a non-empty text (a web address or a document)");
				else if (svc->sources)
					svc->sources[i] = json_string_value(e);
			}
		}
	}
	const char *ver = get_str(v, s, p, "verified", 1);
	if (ver) {
		int y, m, d;
		svc->verified = ver;
		if (kclock_parse_date(ver, &y, &m, &d)) {
			sub(p2, p, "verified");
			verr(v, p2, "must be a date like 2026-11-20");
		}
	}
}

static const char *const top_keys[] = {"version", "groups", "services", NULL};
static const char *const group_keys[] = {"id", "name", NULL};

kst kcatalog_parse(const char *file, const char *text, size_t len, struct kcatalog *cat,
		   struct kdiag *diag)
{
	struct vctx v = {file, text, len, diag};
	json_error_t je;
	json_t *root, *a, *e;
	size_t i;
	int before = kdiag_count(diag);

	memset(cat, 0, sizeof *cat);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		kdiag_add(diag, file, je.line > 0 ? je.line : 1, "%s", je.text);
		return K_EUSAGE;
	}
	cat->root = root;
	if (!json_is_object(root)) {
		kdiag_add(diag, file, 1, "the file must hold one object {\"version\", \"groups\", \"services\"}");
		return K_EUSAGE;
	}
	only_keys(&v, root, "", top_keys);
	if (get_int(&v, root, "", "version", 1, 0, 1, 1, 1) != 1)
		return K_EUSAGE;

	if ((a = member(&v, root, "", "groups", 1))) {
		if (!json_is_array(a) || !json_array_size(a)) {
			verr(&v, "groups", "must be a non-empty list");
		} else {
			cat->groups = calloc(json_array_size(a), sizeof *cat->groups);
			cat->n_groups = cat->groups ? json_array_size(a) : 0;
			json_array_foreach(a, i, e) {
				char pi[PATH_MAX_];
				idx(pi, "groups", i);
				if (!cat->groups || !json_is_object(e)) {
					verr(&v, pi, "each group must be an object");
					continue;
				}
				only_keys(&v, e, pi, group_keys);
				cat->groups[i].id = get_str(&v, e, pi, "id", 1);
				get_text(&v, e, pi, "name", &cat->groups[i].name, 1, 0);
			}
		}
	}
	if ((a = member(&v, root, "", "services", 1))) {
		if (!json_is_array(a) || !json_array_size(a)) {
			verr(&v, "services", "must be a non-empty list");
		} else if (json_array_size(a) > KCAT_SERVICES_MAX) {
			verr(&v, "services", "at most %d services (one ticket letter each)",
			     KCAT_SERVICES_MAX);
		} else {
			cat->svc = calloc(json_array_size(a), sizeof *cat->svc);
			cat->n = cat->svc ? json_array_size(a) : 0;
			json_array_foreach(a, i, e) {
				char pi[PATH_MAX_];
				idx(pi, "services", i);
				if (cat->svc)
					parse_service(&v, e, pi, &cat->svc[i], cat);
			}
		}
	}
	/* Duplicates: ids are how counters and ratings name a service, prefixes are
	 * how citizens read their ticket. */
	for (i = 0; i < cat->n; i++) {
		for (size_t j = 0; j < i; j++) {
			char pi[PATH_MAX_], p2[PATH_MAX_];
			idx(pi, "services", i);
			if (*cat->svc[i].id && !strcmp(cat->svc[i].id, cat->svc[j].id)) {
				sub(p2, pi, "id");
				verr(&v, p2, "id \"%s\" is already used by services[%zu]", cat->svc[i].id, j);
			}
			if (cat->svc[i].prefix && cat->svc[i].prefix == cat->svc[j].prefix) {
				sub(p2, pi, "prefix");
				verr(&v, p2, "prefix \"%c\" is already used by services[%zu] (%s)",
				     cat->svc[i].prefix, j, cat->svc[j].id);
			}
		}
	}
	return kdiag_count(diag) > before ? K_EUSAGE : K_OK;
}

kst kcatalog_load(const char *path, struct kcatalog *cat, struct kdiag *diag)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;
	kst rc = K_EUSAGE;

	memset(cat, 0, sizeof *cat);
	if (!f) {
		kdiag_add(diag, path, 0, "cannot open: %m");
		return K_EUSAGE;
	}
	buf = malloc(KCAT_FILE_MAX + 1);
	if (!buf)
		goto out;
	n = fread(buf, 1, KCAT_FILE_MAX + 1, f);
	if (ferror(f)) {
		kdiag_add(diag, path, 0, "cannot read: %m");
		goto out;
	}
	if (n > KCAT_FILE_MAX) {
		kdiag_add(diag, path, 0, "larger than %d bytes", KCAT_FILE_MAX);
		goto out;
	}
	rc = kcatalog_parse(path, buf, n, cat, diag);
out:
	free(buf);
	fclose(f);
	return rc;
}

void kcatalog_free(struct kcatalog *cat)
{
	if (cat->blob) { /* compiled copy: every array and string is inside it */
		free(cat->blob);
		memset(cat, 0, sizeof *cat);
		return;
	}
	for (size_t i = 0; i < cat->n; i++) {
		struct kservice *s = &cat->svc[i];
		free(s->criteria);
		free(s->steps);
		free(s->docs);
		free(s->warnings);
		free(s->complaints);
		free(s->sources);
	}
	free(cat->svc);
	free(cat->groups);
	json_decref(cat->root);
	memset(cat, 0, sizeof *cat);
}

/* Any change to this file (what is parsed, the defaults) gives a new stamp. */
const char *kcatalog_build_stamp(void)
{
	return __DATE__ " " __TIME__;
}

const struct kservice *kcatalog_find(const struct kcatalog *cat, const char *id)
{
	for (size_t i = 0; id && i < cat->n; i++)
		if (!strcmp(cat->svc[i].id, id))
			return &cat->svc[i];
	return NULL;
}

const struct kservice *kcatalog_by_prefix(const struct kcatalog *cat, char prefix)
{
	for (size_t i = 0; i < cat->n; i++)
		if (cat->svc[i].prefix == prefix)
			return &cat->svc[i];
	return NULL;
}

/* snprintf cuts by bytes; a Thai letter is 3, so drop a half letter left at the end. */
static void cut_utf8_tail(char *s)
{
	size_t len = strlen(s), i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		s[i - 1] = 0;
}

void kdoc_counts(const struct kdoc *d, const char *lang, char *out, size_t n)
{
	size_t o = 0;
	out[0] = 0;
	if (!(lang && lang[0] == 'e' && lang[1] == 'n')) {
		if (d->originals > 0)
			o += (size_t)snprintf(out + o, n - o, "ฉบับจริง %d %s", d->originals, d->unit.th);
		if (d->copies > 0 && o < n)
			snprintf(out + o, n - o, "%sสำเนา %d %s", o ? " · " : "", d->copies, d->unit.th);
	} else {
		if (d->originals > 0)
			o += (size_t)snprintf(out + o, n - o, "%d original%s", d->originals,
					      d->originals > 1 ? "s" : "");
		if (d->copies > 0 && o < n)
			snprintf(out + o, n - o, "%s%d cop%s", o ? " · " : "", d->copies,
				 d->copies > 1 ? "ies" : "y");
	}
	cut_utf8_tail(out);
}
