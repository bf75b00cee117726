/* The store: forward migrations from an older schema keep the data, a newer
 * schema is refused clearly, a damaged file is moved aside and staff are told.
 * Many processes opening one folder at the same instant (fresh, healthy, after a
 * crash, damaged) all succeed, agree on the schema and on one device key, and a
 * damaged file is moved aside exactly once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/store.h"
#include "tap.h"

#define RACE_PROCS 12 /* processes released at once: more than the boot starts */
#define RACE_ROUNDS 3 /* fresh folders raced (store_hammer runs thousands) */
#define CORRUPT_RE "kiosk\\.db\\.corrupt-[0-9T:-]+" /* the moved-aside file, not its -wal/-shm */

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

/* What a racing child reports through its pipe. */
struct race_out {
	int rc;				  /* kst of the step that failed, or K_OK */
	int recovered;			  /* kstore_open moved a damaged file aside */
	int version;			  /* PRAGMA user_version it sees */
	char journal[8];		  /* PRAGMA journal_mode it sees */
	char key[2 * SECRET_KEY_LEN + 1]; /* device key in hex ("" when not asked) */
	char err[KERR_MSG_MAX];
};

enum race_what { RACE_STORE = 1, RACE_KEY = 2, RACE_BOTH = 3 };

static void child_run(enum race_what what, struct race_out *o)
{
	struct kstore st;
	struct kerr err = {0};

	memset(o, 0, sizeof *o);
	if (what & RACE_STORE) {
		if ((o->rc = kstore_open(dir, &st, &err))) {
			snprintf(o->err, sizeof o->err, "%s", err.msg);
			return;
		}
		o->recovered = st.recovered;
		o->version = count(st.db, "PRAGMA user_version");
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(st.db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			snprintf(o->journal, sizeof o->journal, "%s", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
		kstore_close(&st);
	}
	if (what & RACE_KEY) {
		uint8_t key[SECRET_KEY_LEN];
		if ((o->rc = secret_load_or_create(dir, key, &err))) {
			snprintf(o->err, sizeof o->err, "%s", err.msg);
			return;
		}
		for (int i = 0; i < SECRET_KEY_LEN; i++)
			snprintf(o->key + 2 * i, 3, "%02x", key[i]);
	}
}

/* Forks n children that block on one pipe and are released together when the parent
 * closes its end, so they hit the folder at the same instant. out[i]: child i's report
 * (rc -1 when it died or said nothing). */
static void race(int n, enum race_what what, struct race_out *out)
{
	int go[2], res[RACE_PROCS][2];
	pid_t pid[RACE_PROCS];

	fflush(stdout); /* children must not print the parent's buffered TAP lines again */
	if (pipe(go))
		exit(2);
	for (int i = 0; i < n; i++) {
		if (pipe(res[i]))
			exit(2);
		pid[i] = fork();
		if (pid[i] < 0)
			exit(2);
		if (pid[i] == 0) {
			struct race_out o;
			char c;
			close(go[1]);
			close(res[i][0]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			child_run(what, &o);
			_exit(write(res[i][1], &o, sizeof o) == (ssize_t)sizeof o ? 0 : 1);
		}
		close(res[i][1]);
	}
	close(go[0]);
	close(go[1]); /* the start: every child's read() returns 0 now */
	for (int i = 0; i < n; i++) {
		ssize_t got = read(res[i][0], &out[i], sizeof out[i]);
		if (got != (ssize_t)sizeof out[i]) {
			memset(&out[i], 0, sizeof out[i]);
			out[i].rc = -1;
			snprintf(out[i].err, sizeof out[i].err, "child died or said nothing");
		}
		close(res[i][0]);
		waitpid(pid[i], NULL, 0);
	}
}

/* How many entries of dir match the extended regex re (anchored at both ends). */
static int count_files(const char *re)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls -A %s | grep -cE '^(%s)$' >%s.count", dir, re, dir);
	if (system(cmd) < 0)
		return -1;
	char p[128], buf[16] = "";
	snprintf(p, sizeof p, "%s.count", dir);
	FILE *f = fopen(p, "r");
	if (f) {
		if (!fgets(buf, sizeof buf, f))
			buf[0] = 0;
		fclose(f);
	}
	unlink(p);
	return atoi(buf);
}

/* Summary of a race: how many succeeded, moved a file aside, saw the newest schema in
 * WAL mode, and agree with child 0 on the key. Prints the first failure as a comment. */
struct race_sum {
	int ok, recovered, schema_ok, same_key;
};

static struct race_sum summarise(int n, const struct race_out *out)
{
	struct race_sum r = {0};
	int told = 0;
	for (int i = 0; i < n; i++) {
		if (out[i].rc) {
			if (!told++)
				printf("#   child %d: %s\n", i, out[i].err);
			continue;
		}
		r.ok++;
		r.recovered += out[i].recovered;
		r.schema_ok +=
		    out[i].version == kstore_schema_version() && !strcmp(out[i].journal, "wal");
		r.same_key += !strcmp(out[i].key, out[0].key);
	}
	return r;
}

static double ms_since(struct timespec t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

static void races(void)
{
	struct race_out out[RACE_PROCS];
	struct race_sum r;
	struct timespec t0;
	int all_ok = 0, all_schema = 0, all_key = 0, none_aside = 0, one_key_file = 0;

	/* A fresh folder, everyone at once: create, WAL switch, migrations, key. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int round = 0; round < RACE_ROUNDS; round++) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd))
			exit(2);
		race(RACE_PROCS, RACE_BOTH, out);
		r = summarise(RACE_PROCS, out);
		all_ok += r.ok == RACE_PROCS;
		all_schema += r.schema_ok == RACE_PROCS;
		all_key += r.same_key == RACE_PROCS;
		none_aside += r.recovered == 0 && count_files("kiosk\\.db\\.corrupt.*") == 0;
		one_key_file +=
		    count_files("device\\.key") == 1 && count_files("\\.device\\.key.*") == 0;
	}
	printf("# %d rounds of %d processes on a fresh folder: %.0f ms\n", RACE_ROUNDS, RACE_PROCS,
	       ms_since(t0));
	IS_INT(all_ok, RACE_ROUNDS, "%d processes opening a fresh folder at once all succeed",
	       RACE_PROCS);
	IS_INT(all_schema, RACE_ROUNDS, "they all see the newest schema in WAL mode");
	IS_INT(all_key, RACE_ROUNDS, "they all use one device key (tickets verify)");
	IS_INT(one_key_file, RACE_ROUNDS, "one device.key file, no temp file left behind");
	IS_INT(none_aside, RACE_ROUNDS,
	       "a database being created is never taken for a damaged one");
	struct stat sb;
	char lock[128];
	snprintf(lock, sizeof lock, "%s/%s", dir, KSTORE_LOCK_FILE);
	OK(stat(lock, &sb) == 0 && (sb.st_mode & 0777) == 0600, "the lock file is private (0600)");

	/* The device key alone (serve and rate make it without opening the store). */
	reset();
	race(RACE_PROCS, RACE_KEY, out);
	r = summarise(RACE_PROCS, out);
	OK(r.ok == RACE_PROCS && r.same_key == RACE_PROCS && count_files("device\\.key") == 1,
	   "%d processes creating device.key at once end up with one key", RACE_PROCS);

	/* An existing healthy folder: the shared path, everyone in parallel. */
	race(RACE_PROCS, RACE_STORE, out);
	r = summarise(RACE_PROCS, out);
	OK(r.ok == RACE_PROCS && r.schema_ok == RACE_PROCS && r.recovered == 0,
	   "%d processes opening an existing store at once all succeed", RACE_PROCS);

	/* After a crash: a writer dies with its commits only in the WAL. Everyone who opens
	 * next races to recover it (SQLITE_BUSY_RECOVERY for the others: wait). */
	reset();
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		struct kstore st;
		if (kstore_open(dir, &st, NULL))
			_exit(1);
		kstore_exec(&st, "PRAGMA wal_autocheckpoint=0", NULL);
		for (int i = 0; i < 200; i++)
			kstore_exec(&st, "INSERT INTO events(at,kind) VALUES(1,'before-crash')",
				    NULL);
		_exit(0); /* no sqlite3_close: the WAL and its index stay as a crash leaves them */
	}
	int status = -1;
	waitpid(p, &status, 0);
	char wal[128];
	snprintf(wal, sizeof wal, "%s/kiosk.db-wal", dir);
	OK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && access(wal, F_OK) == 0,
	   "a writer died leaving its WAL behind");
	race(RACE_PROCS, RACE_STORE, out);
	r = summarise(RACE_PROCS, out);
	OK(r.ok == RACE_PROCS && r.recovered == 0,
	   "%d processes opening after the crash all succeed, nothing moved aside", RACE_PROCS);
	struct kstore st;
	struct kerr err;
	OK(kstore_open(dir, &st, &err) == K_OK, "open after the race");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM events WHERE kind='before-crash'"), 200,
	       "every commit of the dead writer is there");
	kstore_close(&st);

	/* A damaged file, everyone at once: moved aside once, one fresh database, one notice. */
	reset();
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 4096; i++)
		fputc(i * 7 & 0xff, f);
	fclose(f);
	race(RACE_PROCS, RACE_STORE, out);
	r = summarise(RACE_PROCS, out);
	IS_INT(r.ok, RACE_PROCS, "%d processes opening a damaged file at once all succeed",
	       RACE_PROCS);
	IS_INT(r.recovered, 1, "exactly one of them moved it aside");
	IS_INT(count_files(CORRUPT_RE), 1, "one damaged file kept for IT");
	OK(kstore_open(dir, &st, &err) == K_OK, "open after the race");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM notices WHERE level='error'"), 1,
	       "one notice for staff");
	kstore_close(&st);
}

/* Issue 13's migration rebuilds tickets and ratings (a CHECK cannot be changed in place):
 * a kiosk upgraded in the middle of a month keeps every ticket, rating and outbox row,
 * and the rebuilt tables accept the new state and source. */
static void upgrade_from_3(void)
{
	struct kstore st;
	struct kerr err;
	sqlite3 *db;

	reset();
	sqlite3_open(path, &db);
	OK(kstore_migrate(db, 3, &err) == K_OK, "build a version-3 database (before issue 13)");
	int rc = sqlite3_exec(
		db,
		"INSERT INTO tickets(id,day,prefix,seq,number,service,issued_at,queued_at,state,"
		" called_at,done_at,counter,calls) VALUES"
		" (7,'2026-11-24','A',1,'A001','personal-cert',1,1,'done',2,400,1,1),"
		" (8,'2026-11-24','A',2,'A002','personal-cert',3,3,'waiting',NULL,NULL,NULL,0),"
		" (9,'2026-11-24','B',1,'B001','marital-status',4,4,'no_show',5,60,2,1);"
		"INSERT INTO ratings(id,ticket_id,ticket,service,day,at,process,staff,facility,overall,"
		" comment,source) VALUES('0a6a1c5e-2f43-4d1a-9c1e-2b1f3c4d5e6f',7,'A001','personal-cert',"
		" '2026-11-24',500,5,4,3,5,'ดีมาก','qr');"
		"INSERT INTO outbox(rating,created_at) VALUES('0a6a1c5e-2f43-4d1a-9c1e-2b1f3c4d5e6f',500);"
		"INSERT INTO events(at,kind,ticket,counter) VALUES(2,'call',7,1);",
		NULL, NULL, NULL);
	IS_INT(rc, SQLITE_OK, "three tickets, a rating, its outbox row and an event in it");
	sqlite3_close(db);

	OK(kstore_open(dir, &st, &err) == K_OK, "open upgrades it (%s)", err.msg);
	IS_INT(count(st.db, "PRAGMA user_version"), kstore_schema_version(), "to the newest schema");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM tickets WHERE (id,number,state) IN"
			    " (VALUES(7,'A001','done'),(8,'A002','waiting'),(9,'B001','no_show'))"),
	       3, "every ticket kept with its id, number and state");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM ratings r JOIN tickets t ON t.id=r.ticket_id"
			    " WHERE r.comment='ดีมาก' AND r.overall=5 AND t.number='A001'"),
	       1, "the rating kept, still pointing at its ticket");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM outbox WHERE state='pending'"), 1,
	       "its upload is still pending");
	IS_INT(count(st.db, "PRAGMA foreign_keys"), 1, "foreign keys are on again after the upgrade");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0,
	       "and no reference is broken");
	IS_INT(sqlite3_exec(st.db, "UPDATE tickets SET state='cancelled' WHERE id=8", NULL, NULL,
			    NULL),
	       SQLITE_OK, "a ticket can now be cancelled");
	IS_INT(sqlite3_exec(st.db, "UPDATE tickets SET state='lost' WHERE id=8", NULL, NULL, NULL),
	       SQLITE_CONSTRAINT, "an unknown state is still refused");
	IS_INT(sqlite3_exec(st.db, "UPDATE ratings SET source='phone'", NULL, NULL, NULL), SQLITE_OK,
	       "a rating can now come from a phone");
	IS_INT(sqlite3_exec(st.db, "UPDATE ratings SET source='fax'", NULL, NULL, NULL),
	       SQLITE_CONSTRAINT, "an unknown source is still refused");
	IS_INT(sqlite3_exec(st.db, "DELETE FROM tickets WHERE id=7", NULL, NULL, NULL),
	       SQLITE_CONSTRAINT, "a rated ticket still cannot vanish (the foreign key holds)");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('tickets_wait',"
			    "'tickets_counter','tickets_done','events_ticket','ratings_once',"
			    "'ratings_day','ratings_at','kpi_counts')"),
	       8, "the indexes are back, the new ones and the KPI table exist");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE '%_new'"), 0,
	       "no half-done table is left");
	kstore_close(&st);
}

static long wal_bytes(void)
{
	char wal[128];
	struct stat sb;
	snprintf(wal, sizeof wal, "%s-wal", path);
	return stat(wal, &sb) ? 0 : (long)sb.st_size;
}

/* CLI commands with no kiosk running: each opens the store alone, writes and closes.
 * The WAL must stay about one checkpoint's worth, not grow by every command. `live`: a
 * long-lived connection (the kiosk) is open beside them all the while. */
static void wal_bounded(int live)
{
	/* a WAL frame is a page and its 24-byte header; a little slack past the threshold */
	const long bound = (KSTORE_WAL_CHECKPOINT_PAGES + 100) * (4096L + 24) + 32;
	struct kstore kiosk = {0}, st;
	struct kerr err;
	long most = 0;
	int opened = 0, rows = 0;

	reset();
	kstore_light_check(1); /* as the CLI does */
	if (live && kstore_open(dir, &kiosk, &err))
		printf("# the live connection: %s\n", err.msg);
	for (int i = 0; i < 700; i++) {
		if (kstore_open(dir, &st, &err))
			continue;
		opened++;
		rows += kstore_exec(&st,
				    "INSERT INTO events(at,kind,detail) VALUES(1,'filler',"
				    " printf('%.600c', 'x'))",
				    NULL) == K_OK;
		kstore_close(&st);
		if (wal_bytes() > most)
			most = wal_bytes();
	}
	kstore_light_check(0);
	OK(opened == 700 && rows == 700, "%s: 700 commands opened, wrote and closed (%d, %d)",
	   live ? "beside a live kiosk" : "no kiosk running", opened, rows);
	OK(most <= bound, "%s: the WAL stays within one checkpoint (largest %ld bytes, bound %ld)",
	   live ? "beside a live kiosk" : "no kiosk running", most, bound);
	if (live)
		kstore_close(&kiosk);
	OK(kstore_open(dir, &st, &err) == K_OK, "opens again");
	IS_INT(count(st.db, "SELECT COUNT(*) FROM events WHERE kind='filler'"), 700,
	       "every row is there");
	sqlite3_stmt *q;
	sqlite3_prepare_v2(st.db, "PRAGMA quick_check", -1, &q, NULL);
	sqlite3_step(q);
	IS_STR((const char *)sqlite3_column_text(q, 0), "ok", "quick_check says ok");
	sqlite3_finalize(q);
	kstore_close(&st);
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
	IS_INT(count_files(CORRUPT_RE), 1, "the damaged file is kept aside for IT");

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
	/* A short command proves only the header and schema (store.h): it opens the file
	 * as it is, and the kiosk's own start, checking every page, moves it aside. */
	kstore_light_check(1);
	OK(kstore_open(dir, &st, &err) == K_OK && !st.recovered,
	   "a short command's open reads no page beyond the schema: nothing moved aside");
	kstore_close(&st);
	IS_INT(count_files(CORRUPT_RE), 0, "and nothing was renamed");
	kstore_light_check(0);
	OK(kstore_open(dir, &st, &err) == K_OK && st.recovered, "damaged pages are detected at open");
	/* Closing keeps the WAL (no checkpoint on close): put the new database's pages in
	 * the file, where the damage below lands, as a day of checkpoints would. */
	kstore_exec(&st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
	kstore_close(&st);
	/* Damaged again in the same second (the clock is frozen here): both files are kept. */
	f = fopen(path, "r+b");
	fseek(f, 0, SEEK_SET);
	for (int i = 0; i < 4096; i++)
		fputc(0x5A, f);
	fclose(f);
	OK(kstore_open(dir, &st, &err) == K_OK && st.recovered, "damaged again: recovered again");
	kstore_close(&st);
	IS_INT(count_files(CORRUPT_RE), 2, "the earlier damaged file is not overwritten");

	upgrade_from_3();
	wal_bounded(0);
	wal_bounded(1);
	races();

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	return tap_done();
}
