/**
 * @file export.h
 * @brief Ratings for staff to take away on a USB stick: a CSV that opens
 * correctly in Excel with Thai (UTF-8 with BOM), a JSON copy, and a SHA-256
 * manifest that `sha256sum -c SHA256SUMS` verifies.
 *
 * Files go into a folder named for the office and period,
 *   <DIR>/kiosk-ratings_<office>_<from>_<until>/{ratings.csv, ratings.json, SHA256SUMS}
 *
 * Atomic: every file is first written under a temporary name, fsynced, and only
 * when all three are on the stick are they renamed into place (the manifest
 * last) and the folder fsynced. A stick pulled or full mid-write leaves only
 * temporary files (removed when we still can) and never a file with its final
 * name that is cut short. Re-exporting a period over an earlier export keeps
 * the earlier one intact until the new files are all written, then removes
 * its manifest before the renames: an export is complete exactly when
 * SHA256SUMS exists and verifies.
 *
 * CSV (RFC 4180): CRLF line ends, fields quoted when they contain a comma,
 * quote, CR or LF, quotes doubled. Text cells starting with = + - @ TAB or CR
 * are prefixed with an apostrophe so Excel never runs a comment as a formula.
 * Flagged (misuse) ratings are included, with the flag, so staff see all.
 */
#ifndef KIOSK_EXPORT_H
#define KIOSK_EXPORT_H

#include <stdint.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/err.h"
#include "core/store.h"

#define EXPORT_PATH_MAX 1024
#define EXPORT_FILES 3 /* ratings.csv, ratings.json, SHA256SUMS */

/* The periods the admin screen offers. */
enum export_period { EXPORT_TODAY, EXPORT_THIS_MONTH, EXPORT_LAST_MONTH, EXPORT_ALL };

struct export_result {
	char folder[EXPORT_PATH_MAX];               /* the export folder */
	char files[EXPORT_FILES][EXPORT_PATH_MAX];  /* full paths, manifest last */
	long rows;                                  /* ratings written */
	long long bytes;                            /* total size of the files */
	char from[KCLOCK_DATE_MAX], until[KCLOCK_DATE_MAX];
};

/* from/until for a period at time now ("" from = since the first rating). */
void export_period(enum export_period p, int64_t now, char from[KCLOCK_DATE_MAX],
		   char until[KCLOCK_DATE_MAX]);

/* Writes the export of ratings rated from..until (Bangkok dates, inclusive;
 * NULL or "" from = from the first one, NULL until = today) into dir. K_EUSAGE
 * for bad dates; K_EFAIL with a Thai / English message naming the cause (drive
 * full, read-only, removed, no permission) when the files cannot be written. */
kst export_ratings(struct kstore *st, const struct kconfig *cfg, const char *dir,
		   const char *from, const char *until, struct export_result *out,
		   struct kerr *err);

/* One CSV field, quoted and guarded as above, appended to buf (tests, core/opendata). */
struct export_buf {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed: the buffer is incomplete */
};
void export_csv_field(struct export_buf *b, const char *s);
/* Appends n raw bytes (NUL-terminated after them); sets oom instead of failing. */
void export_buf_add(struct export_buf *b, const char *s, size_t n);
void export_buf_free(struct export_buf *b);

#endif
