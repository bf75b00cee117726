/**
 * @file tap.h
 * @brief A tiny TAP producer for the C unit tests; tests/run.sh sums the lines.
 *
 *   OK(q.waiting == 3, "three tickets wait");
 *   return tap_done();
 */
#ifndef KIOSK_TAP_H
#define KIOSK_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 4, 5))) int
tap_ok(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf("  # at %s:%d", file, line);
		tap_failed++;
	}
	printf("\n");
	fflush(stdout);
	return ok;
}

#define OK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define IS_INT(got, want, ...)                                                             \
	do {                                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);                   \
		if (!OK(g_ == w_, __VA_ARGS__))                                            \
			printf("#   got %lld, want %lld\n", g_, w_);                         \
	} while (0)
#define IS_STR(got, want, ...)                                                             \
	do {                                                                               \
		const char *g_ = (got), *w_ = (want);                                      \
		if (!OK(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                     \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_);         \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
