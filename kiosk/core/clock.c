#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t kclock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kclock_mono_deadline(struct timespec *ts, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int kclock_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/* Howard Hinnant's civil-date algorithms: exact for any proleptic Gregorian date. */
int64_t kclock_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void kclock_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

kst kclock_parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, y) ||
	    digits(s + 5, 2, m) || digits(s + 8, 2, d) || *m < 1 || *m > 12 || *d < 1 ||
	    *d > kclock_days_in_month(*y, *m))
		return K_EUSAGE;
	return K_OK;
}

kst kclock_parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se, oh = 7, om = 0, sign = 1;
	char date[11];

	if (!s || strlen(s) < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return K_EUSAGE;
	memcpy(date, s, 10);
	date[10] = 0;
	if (kclock_parse_date(date, &y, &mo, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) || h > 23 || mi > 59 || se > 59)
		return K_EUSAGE;
	const char *z = s + 19;
	if (*z == 'Z' && z[1] == 0) {
		oh = 0;
	} else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':' &&
		   !digits(z + 1, 2, &oh) && !digits(z + 4, 2, &om) && oh <= 14 && om <= 59) {
		sign = *z == '-' ? -1 : 1;
	} else if (*z != 0) {
		return K_EUSAGE;
	}
	*out = kclock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	       sign * (oh * 3600 + om * 60);
	return K_OK;
}

kst kclock_check_env(struct kerr *err)
{
	const char *v = getenv("KIOSK_NOW");
	int64_t t;
	if (v && *v && kclock_parse_iso(v, &t))
		return kerr_set(err, K_EUSAGE,
				"KIOSK_NOW: '%.60s' is not a time like 2026-11-24T23:59:50+07:00", v);
	return K_OK;
}

int64_t kclock_now(void)
{
	const char *v = getenv("KIOSK_NOW");
	int64_t t;
	if (v && *v && kclock_parse_iso(v, &t) == K_OK)
		return t;
	return (int64_t)time(NULL);
}

void kclock_bkk(int64_t t, struct kdate *o)
{
	int64_t l = t + KCLOCK_BKK_OFFSET;
	int64_t days = l >= 0 ? l / 86400 : (l - 86399) / 86400;
	int64_t secs = l - days * 86400;
	kclock_civil_from_days(days, &o->year, &o->month, &o->day);
	o->hour = (int)(secs / 3600);
	o->min = (int)(secs / 60 % 60);
	o->sec = (int)(secs % 60);
	o->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
}

void kclock_bkk_date(int64_t t, char out[KCLOCK_DATE_MAX])
{
	struct kdate k;
	kclock_bkk(t, &k);
	/* Ranges are clamped so the compiler can prove the text fits. */
	snprintf(out, KCLOCK_DATE_MAX, "%04u-%02u-%02u", (unsigned)k.year % 10000u,
		 (unsigned)k.month % 13u, (unsigned)k.day % 32u);
}

void kclock_iso(int64_t t, char out[KCLOCK_ISO_MAX])
{
	struct kdate k;
	kclock_bkk(t, &k);
	snprintf(out, KCLOCK_ISO_MAX, "%04u-%02u-%02uT%02u:%02u:%02u+07:00",
		 (unsigned)k.year % 10000u, (unsigned)k.month % 13u, (unsigned)k.day % 32u,
		 (unsigned)k.hour % 24u, (unsigned)k.min % 60u, (unsigned)k.sec % 60u);
}

int64_t kclock_bkk_midnight(int y, int m, int d)
{
	return kclock_days_from_civil(y, m, d) * 86400 - KCLOCK_BKK_OFFSET;
}
