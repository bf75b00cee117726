/**
 * @file catalog_cache.c
 * @brief The compiled catalogue: one block, offsets for pointers, checked on read.
 *
 * One walk over every pointer of a catalogue serves three purposes: measure the block,
 * copy the parsed catalogue into it (pointers become offsets + 1, so NULL stays 0),
 * and, on read, turn offsets back into pointers after checking that each array and
 * string lies inside the block. The file is ours (data folder, 0600), but it is still
 * bytes from the disk: nothing in it is trusted before that check and the checksum.
 */
#include "core/catalog_cache.h"

#include "core/fdio.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "KCATC\0\0\1" /* bump the last byte when the layout of the file changes */
#define ALIGN 16u	    /* every array starts here: any struct's alignment */
#define TMP_PATH_MAX 4096   /* the copy's temporary name beside it */

/* What the copy must match to be used. Compared whole with memcmp: zero it first. */
struct key {
	char magic[8];
	char stamp[32];	   /* kcatalog_build_stamp() */
	uint32_t sizes[6]; /* the structures the block holds */
	uint64_t dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns; /* services.json */
};

struct header {
	struct key key;
	uint64_t body_len; /* the block that follows */
	uint64_t sum;	   /* FNV-1a of the block: a torn or altered file is a miss */
};

enum mode { MEASURE, COPY, RELOCATE };

struct walk {
	enum mode mode;
	char *base;  /* COPY: the block being filled; RELOCATE: the block read */
	size_t used; /* MEASURE, COPY: bytes taken so far */
	size_t len;  /* RELOCATE: the block's length */
	int bad;     /* RELOCATE: something pointed outside the block */
};

static size_t up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* One pointer field at pp (the address of a pointer of any type) to n elements of el
 * bytes, or to a string when el is 0. Returns where the walk goes on: the original
 * (MEASURE), the copy (COPY) or the relocated pointer (RELOCATE); NULL for none. */
static void *field(struct walk *w, void *pp, size_t el, size_t n)
{
	void *p;
	memcpy(&p, pp, sizeof p);
	if (w->mode == RELOCATE) {
		uintptr_t v = (uintptr_t)p;
		void *q = NULL;
		if (v) {
			size_t off = v - 1;
			if (off >= w->len)
				w->bad = 1;
			else if (!el && !memchr(w->base + off, 0, w->len - off))
				w->bad = 1; /* a string must end inside the block */
			else if (el && (off % ALIGN || n > (w->len - off) / el))
				w->bad = 1;
			else
				q = w->base + off;
		} else if (el && n) {
			w->bad = 1; /* n elements, no array */
		}
		memcpy(pp, &q, sizeof q);
		return q;
	}
	if (!p || (el && !n)) { /* an empty array is stored as none */
		if (w->mode == COPY)
			memset(pp, 0, sizeof p);
		return NULL;
	}
	size_t bytes = el ? el * n : strlen(p) + 1;
	if (w->mode == MEASURE) {
		w->used += up(bytes);
		return p;
	}
	char *dst = w->base + w->used;
	uintptr_t v = w->used + 1;
	memcpy(dst, p, bytes);
	w->used += up(bytes);
	memcpy(pp, &v, sizeof v);
	return dst;
}

static void text(struct walk *w, struct ktext *t)
{
	field(w, &t->th, 0, 0);
	field(w, &t->en, 0, 0);
}

static void texts(struct walk *w, struct ktext **a, size_t n)
{
	struct ktext *t = field(w, a, sizeof **a, n);
	for (size_t i = 0; t && i < n; i++)
		text(w, &t[i]);
}

static void service(struct walk *w, struct kservice *s)
{
	field(w, &s->id, 0, 0);
	field(w, &s->group, 0, 0);
	text(w, &s->name);
	text(w, &s->short_name);
	text(w, &s->summary);
	texts(w, &s->criteria, s->n_criteria);
	texts(w, &s->warnings, s->n_warnings);
	texts(w, &s->complaints, s->n_complaints);
	struct kstep *st = field(w, &s->steps, sizeof *s->steps, s->n_steps);
	for (size_t i = 0; st && i < s->n_steps; i++) {
		text(w, &st[i].text);
		text(w, &st[i].unit);
	}
	struct kdoc *d = field(w, &s->docs, sizeof *s->docs, s->n_docs);
	for (size_t i = 0; d && i < s->n_docs; i++) {
		text(w, &d[i].name);
		text(w, &d[i].issuer);
		text(w, &d[i].unit);
		text(w, &d[i].condition);
	}
	text(w, &s->fee);
	text(w, &s->total_time);
	const char **src = field(w, &s->sources, sizeof *s->sources, s->n_sources);
	for (size_t i = 0; src && i < s->n_sources; i++)
		field(w, &src[i], 0, 0);
	field(w, &s->verified, 0, 0);
}

/* c is the catalogue itself (MEASURE) or its copy at the block's start. */
static void catalog(struct walk *w, struct kcatalog *c)
{
	struct kgroup *g = field(w, &c->groups, sizeof *c->groups, c->n_groups);
	for (size_t i = 0; g && i < c->n_groups; i++) {
		field(w, &g[i].id, 0, 0);
		text(w, &g[i].name);
	}
	struct kservice *s = field(w, &c->svc, sizeof *c->svc, c->n);
	for (size_t i = 0; s && i < c->n; i++)
		service(w, &s[i]);
}

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static void make_key(const struct stat *js, struct key *k)
{
	memset(k, 0, sizeof *k);
	memcpy(k->magic, MAGIC, sizeof k->magic);
	snprintf(k->stamp, sizeof k->stamp, "%s", kcatalog_build_stamp());
	k->sizes[0] = sizeof(struct ktext);
	k->sizes[1] = sizeof(struct kdoc);
	k->sizes[2] = sizeof(struct kstep);
	k->sizes[3] = sizeof(struct kservice);
	k->sizes[4] = sizeof(struct kgroup);
	k->sizes[5] = sizeof(struct kcatalog);
	k->dev = (uint64_t)js->st_dev;
	k->ino = (uint64_t)js->st_ino;
	k->size = (uint64_t)js->st_size;
	k->mtime_s = (uint64_t)js->st_mtim.tv_sec;
	k->mtime_ns = (uint64_t)js->st_mtim.tv_nsec;
	k->ctime_s = (uint64_t)js->st_ctim.tv_sec;
	k->ctime_ns = (uint64_t)js->st_ctim.tv_nsec;
}

/* Turns a block's offsets into pointers and takes it as the catalogue: 0, or -1 when
 * anything points outside it (cat untouched; the block is still the caller's). */
static int relocate(char *body, size_t len, struct kcatalog *cat)
{
	struct walk w = {.mode = RELOCATE, .base = body, .len = len};
	struct kcatalog *c = (struct kcatalog *)body;
	if (len < sizeof *c)
		return -1;
	catalog(&w, c);
	if (w.bad)
		return -1;
	*cat = *c;
	cat->root = NULL;
	cat->blob = body;
	return 0;
}

/* The parsed catalogue flattened into one block, offsets for pointers; NULL when it
 * cannot be had (no memory, implausibly large). */
static char *compile(const struct kcatalog *cat, size_t *len)
{
	struct kcatalog c = *cat;
	struct walk w = {.mode = MEASURE, .used = up(sizeof c)};
	catalog(&w, &c);
	if (w.used > KCAT_CACHE_MAX)
		return NULL;
	char *body = calloc(1, w.used);
	if (!body)
		return NULL;
	c.root = c.blob = NULL;
	memcpy(body, &c, sizeof c);
	w = (struct walk){.mode = COPY, .base = body, .used = up(sizeof c)};
	catalog(&w, (struct kcatalog *)body);
	*len = w.used;
	return body;
}

/* 0 and a usable catalogue in cat, or -1 (a miss: cat untouched). */
static int read_copy(const char *cache_path, const struct key *want, struct kcatalog *cat)
{
	struct header h;
	struct stat st;
	char *body = NULL;
	int fd = open(cache_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof h ||
	    st.st_size > (off_t)(sizeof h + KCAT_CACHE_MAX) || fd_read_all(fd, &h, sizeof h) ||
	    memcmp(&h.key, want, sizeof *want) || h.body_len != (uint64_t)st.st_size - sizeof h)
		goto miss;
	if (!(body = malloc(h.body_len)) || fd_read_all(fd, body, h.body_len) ||
	    fnv1a(body, h.body_len) != h.sum || relocate(body, h.body_len, cat))
		goto miss;
	close(fd);
	return 0;
miss:
	free(body);
	close(fd);
	return -1;
}

/* Best effort: a copy that cannot be written only means the next command parses. */
static void write_copy(const char *cache_path, const struct key *k, const char *body, size_t len)
{
	char tmp[TMP_PATH_MAX];
	struct header h = {.key = *k, .body_len = len, .sum = fnv1a(body, len)};
	int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", cache_path), fd;
	if (n <= 0 || (size_t)n >= sizeof tmp || (fd = mkstemp(tmp)) < 0)
		return;
	/* rename: a reader sees the old copy or the whole new one, never half. */
	if (fd_write_all(fd, &h, sizeof h) || fd_write_all(fd, body, len) || close(fd) ||
	    rename(tmp, cache_path))
		unlink(tmp);
}

kst kcatalog_load_cached(const char *json_path, const char *cache_path, struct kcatalog *cat,
			 struct kdiag *diag, int *hit)
{
	struct stat js;
	struct key k;
	if (hit)
		*hit = 0;
	/* The key is taken before the parse: an edit during it gives the next command a
	 * different key, so it parses again. */
	if (!cache_path || stat(json_path, &js))
		return kcatalog_load(json_path, cat, diag);
	make_key(&js, &k);
	memset(cat, 0, sizeof *cat);
	if (!read_copy(cache_path, &k, cat)) {
		if (hit)
			*hit = 1;
		return K_OK;
	}
	kst rc = kcatalog_load(json_path, cat, diag);
	size_t len;
	char *body = rc ? NULL : compile(cat, &len);
	if (!body)
		return rc;
	write_copy(cache_path, &k, body, len);
	/* Go on with the block rather than the JSON tree, as the next command will: one
	 * shape of catalogue for every process, and the tree's thousands of small
	 * allocations given back to a kiosk that runs all day (308 KB in use against the
	 * block's 68 KB, shipped services.json). */
	struct kcatalog block;
	if (relocate(body, len, &block)) {
		free(body);
		return rc;
	}
	kcatalog_free(cat);
	*cat = block;
	return K_OK;
}
