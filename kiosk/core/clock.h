/**
 * @file clock.h
 * @brief The two kinds of time, named apart and never mixed.
 *
 * - Wall time (`kclock_now`, epoch seconds): the office's Asia/Bangkok time (UTC+7, no
 *   DST) whatever the machine's TZ; what is stored, shown, printed and compared with dates.
 *   KIOSK_NOW freezes it for tests and demos, and the real one can jump (NTP, an admin
 *   setting the clock), so it never measures a duration or times out a wait.
 * - Monotonic time (`kclock_mono_ms`, milliseconds since an arbitrary start): durations,
 *   deadlines, timeouts, latencies, idle timers. Never stored, never shown as a date, and
 *   never subtracted from (or added to) wall time. KIOSK_NOW does not touch it.
 *
 * Bangkok has had no daylight saving since 1920, so a fixed +7 h offset is exact
 * and needs no tzdata on the appliance.
 */
#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "core/err.h"

#define KCLOCK_BKK_OFFSET (7 * 3600)
#define KCLOCK_DATE_MAX 11 /* "2026-11-24" + NUL */
#define KCLOCK_ISO_MAX 26  /* "2026-11-24T23:59:50+07:00" + NUL */

struct kdate {
	int year, month, day;   /* Gregorian, month 1..12 */
	int hour, min, sec;
	int wday;               /* 0 = Sunday */
};

/* Seconds since the epoch: KIOSK_NOW when set (and valid), else the real time. */
int64_t kclock_now(void);
/* Validates KIOSK_NOW once, so commands can refuse a bad value with exit 2. */
kst kclock_check_env(struct kerr *err);

/* Milliseconds on CLOCK_MONOTONIC: for durations and deadlines only (see above). */
int64_t kclock_mono_ms(void);
/* The CLOCK_MONOTONIC instant ms from now, for pthread_cond_timedwait on a condition
 * variable whose condattr clock is CLOCK_MONOTONIC (a wall-clock jump must neither
 * stretch nor cut a wait short). ms < 0 counts as 0. */
void kclock_mono_deadline(struct timespec *ts, int64_t ms);

void kclock_bkk(int64_t t, struct kdate *out);
/* "YYYY-MM-DD" of the Bangkok day containing t. */
void kclock_bkk_date(int64_t t, char out[KCLOCK_DATE_MAX]);
/* "YYYY-MM-DDTHH:MM:SS+07:00". */
void kclock_iso(int64_t t, char out[KCLOCK_ISO_MAX]);
/* Epoch seconds of 00:00 Bangkok time of the given Bangkok date. */
int64_t kclock_bkk_midnight(int year, int month, int day);

/* Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+HH:MM" or "-HH:MM"
 * (no suffix means Bangkok time). Returns K_EUSAGE on anything else. */
kst kclock_parse_iso(const char *s, int64_t *out);
/* Parses "YYYY-MM-DD" (a Bangkok date); checks the day exists. */
kst kclock_parse_date(const char *s, int *y, int *m, int *d);

int kclock_days_in_month(int year, int month);
/* Days since 1970-01-01 of a Gregorian date (proleptic), and back. */
int64_t kclock_days_from_civil(int y, int m, int d);
void kclock_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
