/**
 * @file catalog.h
 * @brief The service catalogue (config/services.json), shaped like the Thai
 * citizen's manual (คู่มือสำหรับประชาชน): criteria, steps with time and unit,
 * documents (originals/copies/condition), fee, total time, complaint channels,
 * sources and the date the facts were verified.
 *
 * Strings point into the parsed JSON tree, which the catalogue owns: no copies.
 * Every human text is a pair {th, en}; both are required and never empty, so a
 * screen never shows a blank field ("ไม่มีค่าธรรมเนียม" and "สอบถามเจ้าหน้าที่" are
 * written out in the data).
 */
#ifndef KIOSK_CATALOG_H
#define KIOSK_CATALOG_H

#include <stddef.h>

#include "core/diag.h"
#include "core/err.h"

#define KCAT_ID_MAX 32        /* service and group ids: [a-z0-9-] */
#define KCAT_SERVICES_MAX 26  /* one ticket prefix letter A..Z each */
#define KCAT_FILE_MAX (1024 * 1024)

struct ktext {
	const char *th, *en;
};

/* Whom a document or criterion applies to, so the checklist can adapt to the card
 * holder. Without a card everything is shown with its condition. */
enum kapplies { KAPPLY_ALL, KAPPLY_MINOR, KAPPLY_ADULT, KAPPLY_ELDERLY };

struct kdoc {
	struct ktext name;
	struct ktext issuer;    /* issuing agency */
	int originals, copies;  /* how many of each to bring */
	struct ktext unit;      /* ฉบับ / ชุด */
	struct ktext condition; /* "กรณีเปลี่ยนชื่อ", "(ถ้ามี)"; may be empty strings */
	enum kapplies applies;
};

struct kstep {
	struct ktext text;
	struct ktext unit; /* responsible unit */
	int minutes;       /* -1 = not published */
};

struct kservice {
	const char *id;
	char prefix; /* ticket letter 'A'..'Z' */
	const char *group;
	struct ktext name, summary;
	/* The name where a line is short: the board's waiting list, read from across the
	 * lobby. Optional in services.json ("short_name"); the name when not given. */
	struct ktext short_name;
	struct ktext *criteria;
	size_t n_criteria;
	struct kstep *steps;
	size_t n_steps;
	struct kdoc *docs;
	size_t n_docs;
	struct ktext *warnings; /* "bring two witnesses aged 20+" style */
	size_t n_warnings;
	struct ktext fee;       /* what the screen says about the fee */
	int fee_baht;           /* -1 = not published */
	struct ktext total_time;
	int total_minutes;      /* -1 = not published */
	struct ktext *complaints;
	size_t n_complaints;
	const char **sources;
	size_t n_sources;
	const char *verified;   /* YYYY-MM-DD */
	int service_minutes;    /* typical time at the counter, for the first estimates */
};

struct kgroup {
	const char *id;
	struct ktext name;
};

struct kcatalog {
	void *root;             /* json_t*, owner of every string (parsed from the JSON) */
	void *blob;             /* or: the compiled copy's one block, owner of all (catalog_cache.h) */
	struct kgroup *groups;
	size_t n_groups;
	struct kservice *svc;
	size_t n;
};

/* Parses and validates; every problem goes to diag as `file:line: message`. */
kst kcatalog_parse(const char *file, const char *text, size_t len, struct kcatalog *cat,
		   struct kdiag *diag);
kst kcatalog_load(const char *path, struct kcatalog *cat, struct kdiag *diag);
void kcatalog_free(struct kcatalog *cat);
/* When this parser was compiled: a compiled catalogue from another build is not used. */
const char *kcatalog_build_stamp(void);

const struct kservice *kcatalog_find(const struct kcatalog *cat, const char *id);
const struct kservice *kcatalog_by_prefix(const struct kcatalog *cat, char prefix);

/* "ฉบับจริง 1 ฉบับ · สำเนา 2 ฉบับ" / "1 original · 2 copies": how many to bring, written
 * once for the kiosk's checklist and the web's (same texts in both places). */
void kdoc_counts(const struct kdoc *d, const char *lang, char *out, size_t n);

/* th or en by language code ("en" picks English, anything else Thai). */
static inline const char *ktext_get(const struct ktext *t, const char *lang)
{
	return (lang && lang[0] == 'e' && lang[1] == 'n') ? t->en : t->th;
}

#endif
