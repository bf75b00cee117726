/**
 * @file opendata.h
 * @brief The open government data files (/open-data/, `kiosk site`), generated from
 * the store: the service catalogue and monthly statistics per service as CSV (UTF-8,
 * snake_case English column names; a variant with a BOM for Excel) and JSON, a data
 * dictionary, the CKAN metadata of data.go.th and DCAT in JSON-LD.
 *
 * Nothing personal and no free text (comments are never published); satisfaction cells
 * from fewer than OD_SUPPRESS_BELOW ratings are left empty so no single answer can be
 * read back.
 */
#ifndef KIOSK_OPENDATA_H
#define KIOSK_OPENDATA_H

#include <stddef.h>

#include "core/config.h"
#include "core/err.h"
#include "core/store.h"

#define OD_NAME_MAX 64
#define OD_SUPPRESS_BELOW 5 /* cells with fewer ratings than this are left empty */
#define OD_FILES_MAX 512    /* enough for 40 years of monthly files */

struct od_file {
	char name[OD_NAME_MAX];
	const char *ctype;
};

/* The files available: catalogue.csv, catalogue-bom.csv, catalogue.json,
 * stats-YYYY-MM.csv, stats-YYYY-MM-bom.csv, stats-YYYY-MM.json (one set per month with
 * data, months in order), stats.csv/stats.json (all months), dictionary.csv,
 * dictionary.json, metadata.json (the CKAN fields), dcat.jsonld. Returns how many
 * (<= cap). */
int opendata_list(struct kstore *st, const struct kconfig *cfg, struct od_file *out, int cap);

/* One file's bytes (malloc'd, caller frees). base_url ("https://…/open-data/" or "" for
 * relative links) is used in metadata.json and dcat.jsonld downloadURLs. K_EFAIL when
 * there is no such file. */
kst opendata_render(struct kstore *st, const struct kconfig *cfg, const char *name,
		    const char *base_url, char **body, size_t *len, const char **ctype,
		    struct kerr *err);

#endif
