/**
 * @file opendata_int.h
 * @brief What the kiosk's open data (opendata.c) and the district's (opendata_district.c)
 * share, so both publish one layout: the column definitions and dictionary texts, the
 * CSV/JSON table writer, small-cell suppression, file naming, and the CKAN metadata.json
 * and DCAT JSON-LD builders. Internal to those two files (like SQLite's *Int.h).
 */
#ifndef KIOSK_OPENDATA_INT_H
#define KIOSK_OPENDATA_INT_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"
#include "core/export.h"

struct od_file; /* core/opendata.h (not included: it is the module this header serves) */

#define OD_BASE_URL_MAX 512 /* base_url bytes accepted */
#define OD_BOM "\xEF\xBB\xBF"
#define OD_LICENSE "Open Data Common" /* data.go.th's licence for open government data */

/* A column: its snake_case name, type, and the dictionary's Thai and English texts. */
struct od_field {
	const char *name, *type, *th, *en;
};

/* The kiosk's monthly stats column of that name (its dictionary texts), or NULL. */
const struct od_field *od_stats_field(const char *name);
/* The data dictionary's own columns (dataset, field, type, description_th/_en). */
extern const struct od_field od_dictionary_fields[];
#define OD_DICT_COLS 5

/* One cell: text, a number with its decimals, or empty (no data or suppressed). */
struct od_cell {
	enum { OD_C_EMPTY, OD_C_TEXT, OD_C_INT, OD_C_NUM } kind;
	const char *s;
	long long i;
	double d;
	int decimals;
};
struct od_cell od_text(const char *s);
struct od_cell od_int(long long i);
struct od_cell od_num(double d, int decimals, int ok); /* empty unless ok */
struct od_cell od_empty(void);

/* A table being written: CSV bytes (RFC 4180, CRLF, optional BOM) or a JSON array of
 * row objects keyed by the column names. */
struct od_table {
	const struct od_field *f;
	int nf;
	int json;
	struct export_buf csv;
	json_t *rows;
};
void od_table_init(struct od_table *t, const struct od_field *f, int nf, int json, int bom);
void od_table_row(struct od_table *t, const struct od_cell *c);
/* The finished bytes (malloc'd) and their length. JSON: the rows go under `key` of
 * `wrap` (consumed). K_EFAIL when memory ran out (everything freed). */
kst od_table_done(struct od_table *t, json_t *wrap, const char *key, char **body, size_t *len,
		  struct kerr *err);
void od_table_free(struct od_table *t);

/* Small-cell suppression over one group of cells whose total is published elsewhere
 * (an office's month: /stats and the report give its mean; the district's service
 * month across offices). n[i] ratings per cell; hide[i] in/out. Cells under
 * OD_SUPPRESS_BELOW are hidden; when exactly one hidden cell of the group has ratings,
 * the total minus the shown cells would give it back, so the smallest shown cell with
 * ratings is hidden too ("complementary suppression"). Returns how many it hid now. */
int od_suppress_group(const long *n, int *hide, int count);

/* "text/csv; charset=utf-8" etc. from the file name; "CSV"/"JSON"/"JSON-LD"; the
 * media type without charset. */
const char *od_ctype_of(const char *name);
const char *od_format_of(const char *name);
const char *od_media_of(const char *name);
/* " (CSV มี BOM สำหรับ Excel)" / " (CSV with a BOM for Excel)" for a -bom file, else "". */
const char *od_bom_note(const char *name, const char *lang);

/* "" or an http(s) URL without control bytes, quotes or spaces, into out with a '/'
 * added at the end; K_EUSAGE otherwise. */
kst od_base_ok(const char *in, char *out, size_t cap, struct kerr *err);

/* A dataset's description: what metadata.json (CKAN) and dcat.jsonld are built from. */
struct od_meta {
	const char *name; /* CKAN slug */
	const char *title_th, *title_en, *notes_th, *notes_en;
	const char *owner_org, *maintainer, *email;
	const char *publisher_th, *publisher_en; /* DCAT publisher and spatial coverage */
	const char *geo_coverage; /* CKAN's level: "อำเภอ" (a district) ... */
	const char *data_source;  /* who produced the data, in CKAN's words */
	const char *const *tags;
	int n_tags;
	const struct od_file *files; /* every file of the dataset, itself included */
	int n_files;
	void (*describe)(const char *name, char *th, char *en, size_t cap);
	const char *base; /* checked base URL ("" = relative links) */
	int first_year, first_month, last_year, last_month; /* 0: no data yet */
};
json_t *od_ckan_json(const struct od_meta *m);
json_t *od_dcat_json(const struct od_meta *m);

#endif
