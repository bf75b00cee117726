/**
 * @file diag.h
 * @brief A list of configuration problems, each one line `file:line: message`.
 *
 * Validation collects every problem instead of stopping at the first, so district
 * IT can fix a file in one pass.
 */
#ifndef KIOSK_DIAG_H
#define KIOSK_DIAG_H

#define KDIAG_MAX 64       /* problems kept; the rest are counted */
#define KDIAG_LINE_MAX 400 /* one message line */

struct kdiag {
	int n;       /* problems kept in line[] */
	int dropped; /* problems past KDIAG_MAX */
	char line[KDIAG_MAX][KDIAG_LINE_MAX];
};

void kdiag_add(struct kdiag *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int kdiag_count(const struct kdiag *d) { return d->n + d->dropped; }

#endif
