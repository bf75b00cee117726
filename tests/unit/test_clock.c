/* The two clocks of core/clock.h. Wall time: Bangkok civil dates across the year's end
 * (the Buddhist-era year changes: 2569 -> 2570), 29 February, Bangkok midnight whatever the
 * machine's TZ, years far ahead (past 2038), KIOSK_NOW parsing and refusal. Monotonic
 * time: never goes back, advances, and a condvar deadline lies ms ahead of it. Nothing here
 * depends on today's date: every instant is written out. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/report.h"
#include "tap.h"
#include "text/text.h"

static int64_t iso(const char *s)
{
	int64_t t = -1;
	if (kclock_parse_iso(s, &t))
		printf("# cannot parse %s\n", s);
	return t;
}

static const char *date_of(int64_t t)
{
	static char d[KCLOCK_DATE_MAX];
	kclock_bkk_date(t, d);
	return d;
}

static const char *iso_of(int64_t t)
{
	static char d[KCLOCK_ISO_MAX];
	kclock_iso(t, d);
	return d;
}

/* "วัน...ที่ D เดือน BE" as the board and the attract screen show it. */
static const char *thai_date(int64_t t)
{
	static char out[TEXT_DATE_MAX];
	struct kdate k;
	kclock_bkk(t, &k);
	if (text_date(k.year, k.month, k.day, k.wday, TEXT_TH, TEXT_DATE_FULL | TEXT_DATE_WEEKDAY,
		      out, sizeof out))
		return "(text_date failed)";
	return out;
}

static void year_end(void)
{
	/* Bangkok 23:59:59 on 31 Dec is 16:59:59 UTC: the UTC date has not changed yet. */
	int64_t last = iso("2026-12-31T23:59:59+07:00");
	IS_INT(last, iso("2026-12-31T16:59:59Z"), "23:59:59 Bangkok = 16:59:59 UTC");
	IS_STR(date_of(last), "2026-12-31", "last second of 2026 in Bangkok");
	IS_STR(date_of(last + 1), "2027-01-01", "one second later: 1 January 2027");
	IS_STR(iso_of(last + 1), "2027-01-01T00:00:00+07:00", "written as Bangkok ISO time");
	IS_INT(kclock_bkk_midnight(2027, 1, 1), last + 1, "Bangkok midnight of 1 Jan 2027");
	IS_STR(thai_date(last), "วันพฤหัสบดีที่ 31 ธันวาคม 2569", "Thai date: Thursday 31 Dec, BE 2569");
	IS_STR(thai_date(last + 1), "วันศุกร์ที่ 1 มกราคม 2570", "the Buddhist-era year changes: 2570");
	char m[64];
	report_month_name(2027, 1, "th", m, sizeof m);
	IS_STR(m, "มกราคม 2570", "the report's month name: มกราคม 2570");
	struct kdate k;
	kclock_bkk(last + 1, &k);
	OK(k.year == 2027 && k.month == 1 && k.day == 1 && k.hour == 0 && k.min == 0 &&
	       k.sec == 0 && k.wday == 5,
	   "kclock_bkk: 2027-01-01 00:00:00, a Friday");
	/* Days counted across the year: the 365 days of 2026 end on the 31st. */
	IS_INT(kclock_days_from_civil(2027, 1, 1) - kclock_days_from_civil(2026, 1, 1), 365,
	       "2026 has 365 days");
}

static void leap_day(void)
{
	IS_INT(kclock_days_in_month(2028, 2), 29, "February 2028 has 29 days");
	IS_INT(kclock_days_in_month(2027, 2), 28, "February 2027 has 28");
	IS_INT(kclock_days_in_month(2100, 2), 28, "2100 is not a leap year (century)");
	IS_INT(kclock_days_in_month(2000, 2), 29, "2000 is (400 years)");
	int y, mo, d;
	IS_INT(kclock_parse_date("2028-02-29", &y, &mo, &d), K_OK, "2028-02-29 is a date");
	IS_INT(kclock_parse_date("2027-02-29", &y, &mo, &d), K_EUSAGE, "2027-02-29 is not");
	int64_t eve = iso("2028-02-28T23:59:50+07:00");
	IS_STR(date_of(eve + 10), "2028-02-29", "28 Feb 23:59:50 + 10 s: 29 February");
	IS_STR(date_of(kclock_bkk_midnight(2028, 2, 29) + 86400), "2028-03-01",
	       "a day later: 1 March");
	IS_STR(thai_date(eve + 10), "วันอังคารที่ 29 กุมภาพันธ์ 2571", "Thai: Tuesday 29 Feb, BE 2571");
	IS_INT(iso("2028-02-29T12:00:00+07:00") - iso("2028-02-28T12:00:00+07:00"), 86400,
	       "28 -> 29 Feb is one day");
	IS_INT(kclock_days_from_civil(2029, 1, 1) - kclock_days_from_civil(2028, 1, 1), 366,
	       "2028 has 366 days");
}

static void tz_elsewhere(void)
{
	/* The kiosk never asks the machine's TZ: Bangkok is UTC+7 whatever it says. */
	const char *zones[] = {"America/Los_Angeles", "Europe/London", "Pacific/Kiritimati", "UTC",
			       "Asia/Bangkok"};
	int bad = 0;
	for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		int64_t m = kclock_bkk_midnight(2026, 11, 25);
		bad += strcmp(date_of(m - 1), "2026-11-24") != 0;
		bad += strcmp(date_of(m), "2026-11-25") != 0;
		bad += m != iso("2026-11-24T17:00:00Z");
		bad += iso("2026-11-25T00:00:00") != m; /* no suffix: Bangkok time */
		setenv("KIOSK_NOW", "2026-11-24T17:00:10Z", 1);
		bad += strcmp(date_of(kclock_now()), "2026-11-25") != 0;
		setenv("KIOSK_NOW", "2026-11-24T16:59:50Z", 1);
		bad += strcmp(date_of(kclock_now()), "2026-11-24") != 0;
	}
	unsetenv("TZ");
	tzset();
	unsetenv("KIOSK_NOW");
	IS_INT(bad, 0, "Bangkok midnight is 17:00 UTC with TZ set to five other zones");
	/* 23:59:50 and 00:00:10 Bangkok on either side of midnight. */
	IS_STR(date_of(iso("2026-11-24T16:59:50Z")), "2026-11-24", "16:59:50 UTC: still the 24th");
	IS_STR(date_of(iso("2026-11-24T17:00:10Z")), "2026-11-25", "17:00:10 UTC: the 25th");
	IS_INT(iso("2026-11-24T12:00:00-05:00"), iso("2026-11-25T00:00:00+07:00"),
	       "a negative offset: 12:00-05:00 is Bangkok midnight");
}

static void far_future(void)
{
	/* 2038-01-19 03:14:08 UTC overflows a 32-bit time_t; int64_t carries on. */
	int64_t t = iso("2038-01-19T03:14:08Z");
	IS_INT(t, 2147483648LL, "2038-01-19T03:14:08Z is 2^31");
	IS_STR(iso_of(t), "2038-01-19T10:14:08+07:00", "and is written back in Bangkok time");
	IS_STR(date_of(iso("2039-06-15T09:00:00+07:00")), "2039-06-15", "2039");
	IS_STR(thai_date(iso("2039-12-31T23:59:59+07:00") + 1), "วันอาทิตย์ที่ 1 มกราคม 2583",
	       "1 Jan 2040 is BE 2583, a Sunday");
	IS_STR(iso_of(iso("9999-12-31T23:59:59+07:00")), "9999-12-31T23:59:59+07:00",
	       "the last time KIOSK_NOW can write");
	/* Every day from 1900 to 2400 (leap rules, centuries): civil -> days -> civil. */
	int bad = 0;
	int64_t z0 = kclock_days_from_civil(1900, 1, 1), z1 = kclock_days_from_civil(2400, 12, 31);
	int py = 1899, pm = 12, pd = 31;
	for (int64_t z = z0; z <= z1; z++) {
		int y, m, d;
		kclock_civil_from_days(z, &y, &m, &d);
		bad += kclock_days_from_civil(y, m, d) != z;
		/* the day after (py, pm, pd) */
		int ny = py, nm = pm, nd = pd + 1;
		if (nd > kclock_days_in_month(ny, nm)) {
			nd = 1;
			if (++nm > 12) {
				nm = 1;
				ny++;
			}
		}
		bad += y != ny || m != nm || d != nd;
		py = y, pm = m, pd = d;
	}
	IS_INT(bad, 0, "%lld days from 1900 to 2400 round-trip and follow each other",
	       (long long)(z1 - z0 + 1));
	struct kdate k;
	kclock_bkk(iso("1969-12-31T23:00:00Z"), &k);
	OK(k.year == 1970 && k.month == 1 && k.day == 1 && k.hour == 6 && k.wday == 4,
	   "before the epoch in UTC, 1 Jan 1970 06:00 in Bangkok, a Thursday");
}

static void kiosk_now(void)
{
	struct kerr err = {0};
	const char *good[] = {"2026-11-24T23:59:50+07:00", "2026-11-24T16:59:50Z",
			      "2026-11-24T23:59:50", "2026-11-24T11:29:50-05:30"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		setenv("KIOSK_NOW", good[i], 1);
		OK(kclock_check_env(&err) == K_OK &&
		       kclock_now() == iso("2026-11-24T23:59:50+07:00"),
		   "KIOSK_NOW=%s is 23:59:50 Bangkok", good[i]);
	}
	const char *badv[] = {"yesterday",
			      "2026-11-24",
			      "2026-11-24 23:59:50",
			      "2026-13-01T00:00:00",
			      "2026-02-30T00:00:00",
			      "2026-11-24T24:00:00",
			      "2026-11-24T23:60:00",
			      "2026-11-24T23:59:50+7",
			      "2026-11-24T23:59:50+07:00x",
			      "2026-11-24T23:59:50Zulu",
			      "+2026-11-24T23:59:50",
			      "2026-11-24T23:59:50+15:00"};
	int refused = 0;
	for (size_t i = 0; i < sizeof badv / sizeof *badv; i++) {
		int64_t t;
		setenv("KIOSK_NOW", badv[i], 1);
		if (kclock_check_env(&err) == K_EUSAGE && kclock_parse_iso(badv[i], &t) == K_EUSAGE)
			refused++;
		else
			printf("# accepted: %s\n", badv[i]);
	}
	IS_INT(refused, (int)(sizeof badv / sizeof *badv),
	       "malformed KIOSK_NOW values are refused");
	setenv("KIOSK_NOW", "yesterday", 1);
	kclock_check_env(&err);
	OK(strstr(err.msg, "KIOSK_NOW") && strstr(err.msg, "yesterday"), "and named (%s)", err.msg);
	/* Frozen means frozen: the wall clock stands still under KIOSK_NOW ... */
	setenv("KIOSK_NOW", "2026-11-24T09:00:00+07:00", 1);
	int64_t a = kclock_now();
	int64_t m0 = kclock_mono_ms();
	while (kclock_mono_ms() - m0 < 20)
		; /* spin 20 ms of monotonic time: no fixed sleep */
	IS_INT(kclock_now(), a, "KIOSK_NOW freezes wall time");
	/* ... and empty or unset means the real clock. */
	setenv("KIOSK_NOW", "", 1);
	int64_t r = kclock_now(), sys = (int64_t)time(NULL);
	OK(r >= sys - 1 && r <= sys + 1, "empty KIOSK_NOW: the real clock");
	unsetenv("KIOSK_NOW");
	r = kclock_now(), sys = (int64_t)time(NULL);
	OK(r >= sys - 1 && r <= sys + 1, "unset: the real clock");
	IS_INT(kclock_check_env(&err), K_OK, "unset KIOSK_NOW is valid");
}

static void monotonic(void)
{
	/* Non-decreasing over many reads, and it moves: wait for it to pass +5 ms (polling,
	 * with a generous deadline on the same clock a stuck one would fail). */
	int64_t prev = kclock_mono_ms(), first = prev;
	long backwards = 0, reads = 0;
	while (prev - first < 5 && reads < 100000000L) {
		int64_t now = kclock_mono_ms();
		backwards += now < prev;
		prev = now;
		reads++;
	}
	IS_INT(backwards, 0, "kclock_mono_ms never goes back (%ld reads)", reads);
	OK(prev - first >= 5, "and advances (%lld ms over %ld reads)", (long long)(prev - first),
	   reads);
	/* KIOSK_NOW does not touch it. */
	setenv("KIOSK_NOW", "2000-01-01T00:00:00Z", 1);
	int64_t m1 = kclock_mono_ms();
	unsetenv("KIOSK_NOW");
	OK(m1 >= prev, "KIOSK_NOW does not move the monotonic clock");
	/* A condvar deadline lies ms ahead on CLOCK_MONOTONIC. */
	struct timespec ts;
	int64_t before = kclock_mono_ms();
	kclock_mono_deadline(&ts, 1500);
	int64_t at = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, after = kclock_mono_ms();
	OK(at >= before + 1500 && at <= after + 1500 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L,
	   "kclock_mono_deadline(1500) is 1.5 s ahead of kclock_mono_ms, nsec normalised");
	kclock_mono_deadline(&ts, -5);
	at = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	OK(at >= after && at <= kclock_mono_ms(), "a negative wait is now");
}

int main(void)
{
	year_end();
	leap_day();
	tz_elsewhere();
	far_future();
	kiosk_now();
	monotonic();
	return tap_done();
}
