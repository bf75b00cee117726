/* The compiled catalogue (core/catalog_cache.c): a command that reads it sees exactly
 * what parsing services.json gives; an edit to the file is seen by the next command,
 * even one that keeps its size and modification time; a damaged, truncated, planted or
 * foreign copy is never used and never crashes; a broken services.json is reported as
 * before even while a good copy of the old one lies beside it.
 *
 * White box: the file's header and the walk are private, so the copy is crafted with
 * them (the source is included; the archive's copy of it is then not linked). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/catalog_cache.c"
#include "tap.h"

#define DUMP_MAX (512 * 1024)

static char root[64], cfg[96], cfg2[96], json[128], json2[128], data[96], cache[128];

/* Every field, in order: two catalogues are the same when their dumps are. */
struct dump {
	char *s;
	size_t n;
};

static void put(struct dump *d, const char *k, const char *v)
{
	d->n += (size_t)snprintf(d->s + d->n, DUMP_MAX - d->n, "%s=%s\n", k, v ? v : "(null)");
}

static void puti(struct dump *d, const char *k, long long v)
{
	d->n += (size_t)snprintf(d->s + d->n, DUMP_MAX - d->n, "%s=%lld\n", k, v);
}

static void putt(struct dump *d, const char *k, const struct ktext *t)
{
	put(d, k, t->th);
	put(d, k, t->en);
}

static char *dump(const struct kcatalog *c)
{
	struct dump d = {calloc(1, DUMP_MAX), 0};
	puti(&d, "groups", (long long)c->n_groups);
	for (size_t i = 0; i < c->n_groups; i++) {
		put(&d, "g.id", c->groups[i].id);
		putt(&d, "g.name", &c->groups[i].name);
	}
	puti(&d, "services", (long long)c->n);
	for (size_t i = 0; i < c->n; i++) {
		const struct kservice *s = &c->svc[i];
		put(&d, "id", s->id);
		puti(&d, "prefix", s->prefix);
		put(&d, "group", s->group);
		putt(&d, "name", &s->name);
		putt(&d, "short", &s->short_name);
		putt(&d, "summary", &s->summary);
		for (size_t j = 0; j < s->n_criteria; j++)
			putt(&d, "criterion", &s->criteria[j]);
		for (size_t j = 0; j < s->n_steps; j++) {
			putt(&d, "step", &s->steps[j].text);
			putt(&d, "step.unit", &s->steps[j].unit);
			puti(&d, "step.min", s->steps[j].minutes);
		}
		for (size_t j = 0; j < s->n_docs; j++) {
			const struct kdoc *k = &s->docs[j];
			putt(&d, "doc", &k->name);
			putt(&d, "doc.issuer", &k->issuer);
			puti(&d, "doc.orig", k->originals);
			puti(&d, "doc.copies", k->copies);
			putt(&d, "doc.unit", &k->unit);
			putt(&d, "doc.cond", &k->condition);
			puti(&d, "doc.applies", k->applies);
		}
		for (size_t j = 0; j < s->n_warnings; j++)
			putt(&d, "warning", &s->warnings[j]);
		putt(&d, "fee", &s->fee);
		puti(&d, "fee_baht", s->fee_baht);
		putt(&d, "total", &s->total_time);
		puti(&d, "total_min", s->total_minutes);
		for (size_t j = 0; j < s->n_complaints; j++)
			putt(&d, "complaint", &s->complaints[j]);
		for (size_t j = 0; j < s->n_sources; j++)
			put(&d, "source", s->sources[j]);
		put(&d, "verified", s->verified);
		puti(&d, "svc_min", s->service_minutes);
	}
	return d.s;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	b[*n] = 0;
	fclose(f);
	return b;
}

static void spit(const char *path, const char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n)
		exit(2);
	fclose(f);
}

/* Loads through the copy; returns the dump ("" on failure), sets *hit and *rc. */
static char *load(const char *jp, int *hit, kst *rc, struct kdiag *d)
{
	struct kcatalog c;
	memset(d, 0, sizeof *d);
	*rc = kcatalog_load_cached(jp, cache, &c, d, hit);
	char *s = *rc ? strdup("") : dump(&c);
	kcatalog_free(&c);
	return s;
}

/* Rewrites the copy's header and body through f, with a checksum that holds again: the
 * damage is then only what f did, for the checks after the checksum to find. */
static void craft(void (*f)(struct header *h, char *body))
{
	size_t n;
	char *b = slurp(cache, &n);
	if (!b || n < sizeof(struct header))
		exit(2);
	struct header *h = (struct header *)b;
	f(h, b + sizeof *h);
	h->sum = fnv1a(b + sizeof *h, h->body_len);
	spit(cache, b, n);
	free(b);
}

static void svc_past_end(struct header *h, char *body)
{
	struct kcatalog *c = (struct kcatalog *)body;
	uintptr_t v = h->body_len + 64;
	memcpy(&c->svc, &v, sizeof v);
}

static void svc_misaligned(struct header *h, char *body)
{
	(void)h;
	struct kcatalog *c = (struct kcatalog *)body;
	uintptr_t v;
	memcpy(&v, &c->svc, sizeof v);
	v += 3;
	memcpy(&c->svc, &v, sizeof v);
}

static void too_many_services(struct header *h, char *body)
{
	(void)h;
	((struct kcatalog *)body)->n = (size_t)1 << 40;
}

static void string_runs_off(struct header *h, char *body)
{
	/* The block's last bytes are the last string and its NUL: point a service id at
	 * the final byte after overwriting that NUL. */
	struct kcatalog *c = (struct kcatalog *)body;
	body[h->body_len - 1] = 'x';
	uintptr_t svc;
	memcpy(&svc, &c->svc, sizeof svc);
	struct kservice *s = (struct kservice *)(body + svc - 1);
	uintptr_t v = h->body_len; /* offset body_len - 1, stored + 1 */
	memcpy(&s->id, &v, sizeof v);
}

static void other_build(struct header *h, char *body)
{
	(void)body;
	h->key.stamp[0] ^= 1;
}

static int exists(const char *p)
{
	struct stat st;
	return !lstat(p, &st);
}

int main(void)
{
	struct kcatalog direct;
	struct kdiag d;
	int hit = -1;
	kst rc;
	char cmd[256];

	snprintf(root, sizeof root, "/tmp/kcatcache.XXXXXX");
	if (!mkdtemp(root))
		return 2;
	snprintf(cfg, sizeof cfg, "%s/config", root);
	snprintf(cfg2, sizeof cfg2, "%s/config2", root);
	snprintf(data, sizeof data, "%s/data", root);
	snprintf(json, sizeof json, "%s/services.json", cfg);
	snprintf(json2, sizeof json2, "%s/services.json", cfg2);
	snprintf(cache, sizeof cache, "%s/%s", data, KCAT_CACHE_FILE);
	snprintf(cmd, sizeof cmd,
		 "mkdir -p %s %s %s && cp config/services.json %s/ && cp config/services.json %s/",
		 cfg, cfg2, data, cfg, cfg2);
	if (system(cmd))
		return 2;
	/* The second folder's catalogue differs in one name. */
	size_t n;
	char *text = slurp(json2, &n), *p = strstr(text, "\"Personal certification inquiry\"");
	if (!p)
		return 2;
	memcpy(p + 1, "Qersonal", 8);
	spit(json2, text, n);
	free(text);

	memset(&d, 0, sizeof d);
	if (kcatalog_load(json, &direct, &d))
		return 2;
	char *want = dump(&direct);
	kcatalog_free(&direct);

	/* 1. First load parses and leaves the copy; the next reads it; both as parsed. */
	char *got = load(json, &hit, &rc, &d);
	IS_INT(hit, 0, "the first command parses services.json");
	OK(!rc && !strcmp(got, want), "and sees the catalogue as parsed");
	free(got);
	OK(exists(cache), "and leaves the compiled copy in the data folder");
	struct stat st;
	OK(!stat(cache, &st) && (st.st_mode & 0777) == 0600, "readable by the kiosk's user only");
	got = load(json, &hit, &rc, &d);
	IS_INT(hit, 1, "the next command reads the copy");
	OK(!rc && !strcmp(got, want), "every group, service, document, step and source identical");
	OK(strstr(got, "name=สอบสวนรับรองบุคคล") != NULL, "Thai names intact");
	free(got);

	/* 2. An edit that keeps the size and the modification time is still seen. */
	text = slurp(json, &n);
	struct stat before;
	stat(json, &before);
	p = strstr(text, "\"Personal certification inquiry\"");
	memcpy(p + 1, "Xersonal", 8);
	spit(json, text, n);
	struct timespec ts[2] = {before.st_atim, before.st_mtim};
	utimensat(AT_FDCWD, json, ts, 0);
	got = load(json, &hit, &rc, &d);
	IS_INT(hit, 0, "an edited services.json (same size, mtime put back) is parsed again");
	OK(!rc && strstr(got, "name=Xersonal certification inquiry") != NULL,
	   "and the new English name is what the command sees");
	free(got);
	memcpy(p + 1, "Personal", 8);
	spit(json, text, n);
	free(text);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "putting the name back is seen too");
	free(got);

	/* 3. Another config folder with the same data folder: each sees its own. */
	got = load(json2, &hit, &rc, &d);
	OK(!rc && !hit && strstr(got, "name=Qersonal certification inquiry"),
	   "a second config folder's catalogue is not answered from the first's copy");
	free(got);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "and back again: the first folder's own");
	free(got);

	/* 4. Damaged copies: a miss, the right catalogue, a good copy written again. */
	size_t cn;
	char *good = slurp(cache, &cn);
	char *bad = malloc(cn);
	memcpy(bad, good, cn);
	bad[cn - 100] ^= 0x20;
	spit(cache, bad, cn);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "a copy with one byte flipped is not used");
	free(got);
	got = load(json, &hit, &rc, &d);
	OK(!rc && hit && !strcmp(got, want), "and a good copy replaces it");
	free(got);
	spit(cache, good, cn / 2);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want),
	   "a copy cut in half (power lost mid-write) is not used");
	free(got);
	spit(cache, "", 0);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "an empty copy is not used");
	free(got);
	for (size_t i = 0; i < cn; i++)
		bad[i] = (char)(i * 7919 % 251);
	spit(cache, bad, cn);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "junk of the right size is not used");
	free(got);

	/* 5. Copies whose checksum holds but whose insides point astray. */
	void (*crafts[])(struct header *, char *) = {
	    svc_past_end, svc_misaligned, too_many_services, string_runs_off, other_build};
	const char *what[] = {"an array past the block's end", "a misaligned array",
			      "a count of 2^40 services", "a string with no end inside the block",
			      "a copy from another build"};
	for (size_t i = 0; i < sizeof crafts / sizeof *crafts; i++) {
		spit(cache, good, cn);
		craft(crafts[i]);
		got = load(json, &hit, &rc, &d);
		OK(!rc && !hit && !strcmp(got, want), "%s: not used, the JSON is parsed", what[i]);
		free(got);
	}
	free(bad);

	/* 6. A symlink planted at the copy's name is neither read nor written through. */
	char target[160];
	snprintf(target, sizeof target, "%s/target", root);
	spit(target, good, cn);
	unlink(cache);
	if (symlink(target, cache))
		return 2;
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "a symlink at the copy's name is not followed");
	free(got);
	OK(!lstat(cache, &st) && S_ISREG(st.st_mode), "the new copy replaces the link itself");
	size_t tn;
	char *t = slurp(target, &tn);
	OK(t && tn == cn && !memcmp(t, good, cn), "and the link's target is untouched");
	free(t);
	free(good);

	/* 7. A broken services.json is reported, even with a good copy of the old one. */
	got = load(json, &hit, &rc, &d);
	OK(!rc && hit, "(a good copy is in place)");
	free(got);
	text = slurp(json, &n);
	p = strstr(text, "\"prefix\": \"A\"");
	if (!p)
		return 2;
	p[11] = '1';
	spit(json, text, n);
	got = load(json, &hit, &rc, &d);
	IS_INT(rc, K_EUSAGE, "a services.json made invalid is refused, not answered from the copy");
	OK(d.n > 0 && strstr(d.line[0], "services.json:") && strstr(d.line[0], "prefix"),
	   "with the file, line and field as always");
	free(got);
	memcpy(p, "\"prefix\": \"A\"", 13);
	spit(json, text, n);
	free(text);

	/* 8. A data folder that is not there yet: no copy, no failure. */
	snprintf(cache, sizeof cache, "%s/absent/%s", root, KCAT_CACHE_FILE);
	got = load(json, &hit, &rc, &d);
	OK(!rc && !hit && !strcmp(got, want), "no data folder yet: parsed, nothing written");
	free(got);

	/* 9. Parsed or read, a process goes on with the one block, not the JSON tree. */
	struct kcatalog c;
	memset(&d, 0, sizeof d);
	rc = kcatalog_load_cached(json, cache, &c, &d, &hit);
	OK(!rc && !hit && c.blob && !c.root, "a parse hands on the compiled block, as a read does");
	got = rc ? strdup("") : dump(&c);
	OK(!strcmp(got, want), "with the catalogue as parsed");
	free(got);
	kcatalog_free(&c);

	free(want);
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	if (system(cmd))
		return 2;
	return tap_done();
}
