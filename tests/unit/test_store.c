/* The store: forward migrations from an older schema keep the data, a newer
 * schema is refused clearly, a damaged file is moved aside and staff are told. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "tap.h"

static char dir[64], path[96];

static void reset(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
	if (system(cmd))
		exit(2);
}

static int count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

int main(void)
{
	struct kstore st;
	struct kerr err;
	sqlite3 *db;

	snprintf(dir, sizeof dir, "/tmp/kiosk-ts.%d", (int)getpid());
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	setenv("KIOSK_NOW", "2026-11-24T10:00:00+07:00", 1);

	/* A database at schema 1 with a ticket, as an older kiosk left it. */
	reset();
	sqlite3_open(path, &db);
	OK(kstore_migrate(db, 1, &err) == K_OK, "build a version-1 database");
	sqlite3_exec(db, "INSERT INTO tickets(day,prefix,seq,number,service,issued_at,queued_at)"
			 " VALUES('2026-11-23','A',7,'A007','personal-cert',1,1)", NULL, NULL, NULL);
	sqlite3_close(db);
	OK(kstore_open(dir, &st, &err) == K_OK, "open migrates it");
	IS_INT(count(st.db, "PRAGMA user_version"), kstore_schema_version(), "to the newest schema");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM tickets WHERE number='A007'"), 1, "the old ticket is kept");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM events"), 0, "the new tables exist");
	OK(!st.recovered, "nothing was moved aside");
	IS_INT(count(st.db, "PRAGMA journal_mode='wal'") >= 0, 1, "WAL journal");
	sqlite3_stmt *s;
	sqlite3_prepare_v2(st.db, "PRAGMA journal_mode", -1, &s, NULL);
	sqlite3_step(s);
	IS_STR((const char *)sqlite3_column_text(s, 0), "wal", "journal_mode is WAL");
	sqlite3_finalize(s);
	IS_INT(count(st.db, "PRAGMA synchronous"), 2, "synchronous is FULL");
	kstore_close(&st);
	struct stat sb;
	char cmd0[128];
	snprintf(cmd0, sizeof cmd0, "rm -rf %s", dir);
	if (system(cmd0))
		return 2;
	kstore_open(dir, &st, &err);
	kstore_close(&st);
	stat(dir, &sb);
	IS_INT(sb.st_mode & 077, 0, "the data folder is private to the kiosk user");

	/* Opening twice is harmless (the display and the API do). */
	struct kstore st2;
	OK(kstore_open(dir, &st, &err) == K_OK && kstore_open(dir, &st2, &err) == K_OK,
	   "two connections at once");
	kstore_close(&st);
	kstore_close(&st2);

	/* A newer schema than this build knows: refuse, do not touch. */
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL);
	sqlite3_close(db);
	IS_INT(kstore_open(dir, &st, &err), K_EFAIL, "a newer schema is refused");
	OK(strstr(err.msg, "newer") != NULL, "with a message that says why (%s)", err.msg);
	OK(access(path, F_OK) == 0, "and the file is left where it was");

	/* Garbage where the database should be: moved aside, fresh start, staff told. */
	reset();
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 4096; i++)
		fputc(i * 7 & 0xff, f);
	fclose(f);
	OK(kstore_open(dir, &st, &err) == K_OK, "a damaged database does not stop the kiosk");
	OK(st.recovered, "it says it recovered");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM notices WHERE level='error'"), 1,
	       "a notice for staff is recorded");
	kstore_close(&st);
	OK(system("ls /tmp/kiosk-ts.*/kiosk.db.corrupt-* >/dev/null 2>&1") == 0,
	   "the damaged file is kept aside for IT");

	/* A database damaged in the middle (valid header, broken pages). */
	reset();
	OK(kstore_open(dir, &st, &err) == K_OK, "fresh database");
	for (int i = 0; i < 300; i++)
		kstore_exec(&st, "INSERT INTO events(at,kind) VALUES(1,'filler-filler-filler-filler')", NULL);
	kstore_exec(&st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
	kstore_close(&st);
	f = fopen(path, "r+b");
	fseek(f, 4096, SEEK_SET);
	for (int i = 0; i < 3 * 4096; i++)
		fputc(0xA5, f);
	fclose(f);
	OK(kstore_open(dir, &st, &err) == K_OK && st.recovered, "damaged pages are detected at open");
	kstore_close(&st);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	return tap_done();
}
