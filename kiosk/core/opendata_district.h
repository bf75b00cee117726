/**
 * @file opendata_district.h
 * @brief The district's open data (`kiosk collector open-data`, docs/collector.md):
 * satisfaction per month, office and service from the ratings the district's kiosks
 * uploaded, in the kiosk's own layout and words (opendata.h, shared through
 * opendata_int.h): stats-YYYY-MM.csv / -bom.csv / .json per month, stats.csv /
 * stats-bom.csv / stats.json for all months, dictionary.csv / .json, metadata.json (the
 * CKAN fields of data.go.th) and dcat.jsonld, written atomically into one folder.
 *
 * Plain C: the collector computes the cells in SQL and hands them over as structs;
 * nothing here knows PostgreSQL. The collector receives ratings only (no tickets, no
 * comments), so the kiosk's users, look-ups and waiting columns are absent, not zero.
 * Cells under OD_SUPPRESS_BELOW ratings have their means and band left empty, with
 * complementary suppression along both published totals (see opendata_district.c).
 */
#ifndef KIOSK_OPENDATA_DISTRICT_H
#define KIOSK_OPENDATA_DISTRICT_H

#include "core/config.h"
#include "core/err.h"
#include "core/opendata.h"
#include "core/rating.h"

#define OD_CODE_MAX 65	 /* office code or service id + NUL (the upload's limit is 64) */
#define OD_PATH_MAX 1024 /* the output folder's path */
#define OD_TEXT_MAX 256	 /* organisation, maintainer, e-mail, district name */

/* One cell: an office's service in a month. */
struct od_sat_cell {
	int year, month;
	char office[OD_CODE_MAX];
	char service[OD_CODE_MAX];
	long n;			  /* ratings */
	double mean[RATING_DIMS]; /* per question, by enum rating_dim */
	/* The cell split by kiosk (each kiosk publishes its own cells, docs/public.md):
	 * ratings in the kiosks' parts under OD_SUPPRESS_BELOW, and how many parts have
	 * at least that many. */
	long small_parts;
	int big_parts;
	int hide; /* set by opendata_district_suppress() */
};

/* The dataset to write. */
struct od_district {
	const struct kconfig *cfg;	/* service names from its catalogue; NULL: ids stand in */
	const char *org;		/* CKAN owner organisation (its id on the portal) */
	const char *maintainer, *email; /* CKAN maintainer and maintainer_email */
	const char *name_th, *name_en;	/* the district, in the title and coverage */
	int only_year, only_month; /* --month: just that month (listed even if empty); 0: all */
	struct od_sat_cell *cells; /* sorted by month, office, service (the SQL's order) */
	int n;
};

/* Marks the cells whose means are left empty: fewer than OD_SUPPRESS_BELOW ratings, or
 * a kiosk's small part next to a large one (the kiosk hides its small cell, but the
 * other kiosk publishes its large one: this cell minus that one would give the small
 * one back); then complementary cells, until nothing changes. Two groups have their total
 * published elsewhere: an office's month (the kiosk's /stats and report, the collector's
 * report) and a service's month over all offices (the collector's report `all`); in
 * each, a lone hidden cell with ratings takes the smallest shown one with it.
 * Returns how many cells are hidden, -1 when memory ran out (then all are hidden). */
int opendata_district_suppress(struct od_sat_cell *c, int n);

/* The file names, in order (as opendata_list: months oldest first). Returns how many
 * (<= cap). */
int opendata_district_list(const struct od_district *d, struct od_file *out, int cap);

/* One file's bytes (malloc'd, caller frees); cells must have been through
 * opendata_district_suppress(). base_url as opendata_render. */
kst opendata_district_render(const struct od_district *d, const char *name, const char *base_url,
			     char **body, size_t *len, struct kerr *err);

struct od_written {
	int files;
	long long bytes;
	int months;
	long rows;  /* cells published (rows of stats.csv) */
	int hidden; /* of them, with means left empty */
};

/* What opendata_district_write() refuses before any work: dir's length, dir existing
 * as anything but a folder of these files, a bad base URL. K_OK or K_EUSAGE/K_EFAIL. */
kst opendata_district_check(const char *dir, const char *base_url, struct kerr *err);

/* Suppresses, renders every file into a new folder beside dir, fsyncs, then puts it
 * in dir's place in one rename (an existing dir is swapped out whole and removed), so
 * a reader sees the old set or the new one, never half. dir may exist only as a folder
 * of these files (nothing else is ever deleted: K_EUSAGE otherwise). K_EFAIL with a
 * Thai / English message naming the path and the cause when it cannot be written;
 * then nothing is left behind. */
kst opendata_district_write(struct od_district *d, const char *dir, const char *base_url,
			    struct od_written *w, struct kerr *err);

#endif
