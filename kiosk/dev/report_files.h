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

#endif
