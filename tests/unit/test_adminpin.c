/* The admin PIN: weak PINs refused, the hash file (format, mode, no PIN in it),
 * right and wrong PINs, the lock after five wrong ones that persists in its file,
 * ends on time, survives a clock set back, and a new PIN clearing it; damaged
 * and over-permissive files refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/adminpin.h"
#include "tap.h"

static char dir[] = "/tmp/kiosk-adminpin-XXXXXX";

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
}

static void put(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, (mode_t)mode);
}

static double ms_since(struct timespec t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

int main(void)
{
	char path[ADMINPIN_PATH_MAX], buf[512];
	struct adminpin_state st;
	struct kerr err = {0};
	const int64_t T = 1795921200; /* any fixed time */

	if (!mkdtemp(dir))
		return 1;

	adminpin_path("/var/lib/kiosk", "admin.pin", path);
	IS_STR(path, "/var/lib/kiosk/admin.pin", "a relative PIN file lives in the data folder");
	adminpin_path("/var/lib/kiosk", "/etc/kiosk/pin", path);
	IS_STR(path, "/etc/kiosk/pin", "an absolute one stays where it is");

	static const char *const weak[] = {"123456", "000000", "999999", "654321", "890123", "121212",
					   "123123", "112233", "159753", "12345", "1234567890123", "12 456",
					   "", "12a456", "1231231231", NULL};
	for (int i = 0; weak[i]; i++)
		OK(adminpin_weak(weak[i]) != NULL, "weak or malformed PIN \"%s\" refused", weak[i]);
	static const char *const fine[] = {"739146", "280415", "90817263", "530291847562", NULL};
	for (int i = 0; fine[i]; i++)
		OK(adminpin_weak(fine[i]) == NULL, "PIN %s accepted", fine[i]);

	adminpin_path(dir, "admin.pin", path);
	IS_INT(adminpin_check(path, "739146", T, &st, &err), K_EABSENT, "no file: K_EABSENT (no default PIN)");
	OK(!adminpin_exists(path), "no file yet");
	IS_INT(adminpin_set(path, "123456", &err), K_EUSAGE, "set refuses a weak PIN");
	OK(!adminpin_exists(path), "... and writes nothing");
	IS_INT(adminpin_set(path, "739146", &err), K_OK, "set 739146");
	struct stat sb;
	stat(path, &sb);
	IS_INT(sb.st_mode & 0777, 0600, "the PIN file is mode 600");
	slurp(path, buf, sizeof buf);
	OK(!strncmp(buf, "pbkdf2-sha256$600000$", 21) && strlen(buf) == 21 + 32 + 1 + 64 + 1,
	   "pbkdf2-sha256$600000$<salt>$<hash>: %s", buf);
	OK(!strstr(buf, "739146"), "the PIN is not in the file");
	char first[512];
	snprintf(first, sizeof first, "%s", buf);
	adminpin_set(path, "739146", &err);
	slurp(path, buf, sizeof buf);
	OK(strcmp(first, buf), "setting the same PIN again gives a new salt and hash");

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	IS_INT(adminpin_check(path, "739146", T, &st, &err), K_OK, "the right PIN");
	printf("# one PIN check (PBKDF2-SHA256, %d rounds): %.0f ms\n", ADMINPIN_ITER, ms_since(t0));
	IS_INT(st.left, ADMINPIN_TRIES, "five tries left");

	for (int i = 1; i <= 4; i++) {
		IS_INT(adminpin_check(path, "739147", T + i, &st, &err), K_EFAIL, "wrong PIN %d", i);
		IS_INT(st.left, ADMINPIN_TRIES - i, "%d tries left", ADMINPIN_TRIES - i);
	}
	IS_INT(adminpin_check(path, "", T + 5, &st, &err), K_EFAIL, "an empty PIN is a wrong one");
	OK(st.locked_until == T + 5 + ADMINPIN_LOCK_S, "the fifth wrong PIN locks for 5 minutes");
	IS_INT(adminpin_check(path, "739146", T + 6, &st, &err), K_EDEVICE, "locked: even the right PIN is not checked");

	/* A fresh read of the file, as after a restart. */
	memset(&st, 0, sizeof st);
	adminpin_state(path, T + 100, &st);
	OK(st.locked_until == T + 5 + ADMINPIN_LOCK_S && st.left == 0, "the lock is in the file (a restart keeps it)");
	adminpin_state(path, T - 86400, &st);
	OK(st.locked_until == T - 86400 + ADMINPIN_LOCK_S, "clock set back a day: the lock is cut to 5 minutes from now");
	adminpin_state(path, T + 5 + ADMINPIN_LOCK_S, &st);
	OK(st.locked_until == 0 && st.left == ADMINPIN_TRIES, "the lock ends on time with five fresh tries");
	IS_INT(adminpin_check(path, "111", T + 5 + ADMINPIN_LOCK_S, &st, &err), K_EFAIL, "after the lock: a wrong PIN counts from one");
	IS_INT(st.left, ADMINPIN_TRIES - 1, "four tries left");
	IS_INT(adminpin_check(path, "739146", T + 400, &st, &err), K_OK, "the right PIN clears the count");
	IS_INT(st.left, ADMINPIN_TRIES, "five again");

	for (int i = 0; i < ADMINPIN_TRIES; i++)
		adminpin_check(path, "000001", T + 500, &st, &err);
	OK(st.locked_until > 0, "locked again");
	adminpin_set(path, "280415", &err);
	IS_INT(adminpin_check(path, "280415", T + 501, &st, &err), K_OK, "a new PIN set by IT clears the lock");

	/* Files that must not be trusted. */
	char bad[ADMINPIN_PATH_MAX];
	snprintf(bad, sizeof bad, "%s/bad.pin", dir);
	put(bad, "garbage\n", 0600);
	IS_INT(adminpin_check(bad, "739146", T, &st, &err), K_EUSAGE, "a damaged file: K_EUSAGE");
	OK(strstr(err.msg, "kiosk admin-pin") != NULL, "... saying how to set it again: %s", err.msg);
	put(bad, "pbkdf2-sha256$1$00112233445566778899aabbccddeeff$"
		 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", 0600);
	IS_INT(adminpin_check(bad, "739146", T, &st, &err), K_EUSAGE, "one PBKDF2 round: refused as tampered");
	slurp(path, buf, sizeof buf);
	put(bad, buf, 0644);
	IS_INT(adminpin_check(bad, "280415", T, &st, &err), K_EUSAGE, "a PIN file readable by others: refused");
	OK(strstr(err.msg, "chmod 600") != NULL, "... saying chmod 600: %s", err.msg);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return tap_done();
}
