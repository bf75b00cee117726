/**
 * @file report_files.h
 * @brief `kiosk report --out DIR`: the month's charts as PNG, its figures as
 * JSON, and a one-page summary (summary.html, Thai, A4 print CSS, Sarabun
 * copied next to it so it prints the same on any PC).
 */
#ifndef KIOSK_REPORT_FILES_H
#define KIOSK_REPORT_FILES_H

#include "core/report.h"

#define REPORT_FILES_MAX 8
#define REPORT_PATH_MAX 1024

struct report_files {
	int n;
	char path[REPORT_FILES_MAX][REPORT_PATH_MAX];
};

/* Writes users_per_day.png, satisfaction.png, services.png, report.json and
 * summary.html into dir (created if missing). */
kst report_write_files(const struct report *r, const struct kconfig *cfg, const char *dir,
		       struct report_files *out, struct kerr *err);

/* What the figures cover. A kiosk knows its tickets and its ratings. The district
 * collector (`kiosk collector report --out`) receives ratings only: the upload
 * contract carries no tickets. With ratings_only, per_day[] and each service's
 * sat.n are counts of ratings, and the files say so: ratings_per_day.png instead of
 * users_per_day.png, no target line, no users / waiting / service-time figures
 * (rather than zeros that would read as "nobody came"), report.json with only the
 * figures that exist. made_by names the maker in the page's footer. */
struct report_files_opts {
	int ratings_only;
	const char *made_by; /* NULL: "ตู้บริการ <kiosk id>" */
};
/* report_write_files with options; o NULL = the kiosk's own report. */
kst report_write_files_opts(const struct report *r, const struct kconfig *cfg, const char *dir,
			    const struct report_files_opts *o, struct report_files *out,
			    struct kerr *err);

#endif
