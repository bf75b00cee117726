/**
 * @file store.c
 * @brief Opening, checking, recovering and migrating kiosk.db.
 */
#include "core/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"

/* Append-only: never edit a shipped migration, add the next one. */
static const struct kmigration migrations[] = {
	/* 1: tickets and the numbering state */
	{"CREATE TABLE tickets("
	 " id INTEGER PRIMARY KEY,"
	 " day TEXT NOT NULL,"              /* Bangkok date of issue, YYYY-MM-DD */
	 " prefix TEXT NOT NULL,"           /* letter of the service it was issued for */
	 " seq INTEGER NOT NULL,"           /* 1..number_max */
	 " cycle INTEGER NOT NULL DEFAULT 0," /* bumped when numbers wrap */
	 " number TEXT NOT NULL,"           /* 'A001' */
	 " service TEXT NOT NULL,"          /* current service (changes on transfer) */
	 " priority INTEGER NOT NULL DEFAULT 0,"
	 " state TEXT NOT NULL DEFAULT 'waiting' CHECK(state IN"
	 "  ('waiting','called','serving','done','no_show')),"
	 " issued_at INTEGER NOT NULL,"
	 " queued_at INTEGER NOT NULL,"     /* place in line; kept on transfer */
	 " called_at INTEGER, served_at INTEGER, done_at INTEGER,"
	 " counter INTEGER,"
	 " calls INTEGER NOT NULL DEFAULT 0,"
	 " UNIQUE(day, prefix, cycle, seq));"
	 "CREATE INDEX tickets_wait ON tickets(state, service, priority, queued_at);"
	 "CREATE INDEX tickets_counter ON tickets(counter, state);"
	 "CREATE TABLE ticket_seq(day TEXT NOT NULL, prefix TEXT NOT NULL,"
	 " last INTEGER NOT NULL, cycle INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(day, prefix));"
	 /* consecutive normal calls per service since its last priority call */
	 "CREATE TABLE priority_run(day TEXT NOT NULL, service TEXT NOT NULL,"
	 " normals INTEGER NOT NULL, PRIMARY KEY(day, service));"},
	/* 2: an event log (the display follows it) and staff notices */
	{"CREATE TABLE events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,"
	 " ticket INTEGER, counter INTEGER, detail TEXT);"
	 "CREATE TABLE notices(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, level TEXT NOT NULL,"
	 " text_th TEXT NOT NULL, text_en TEXT NOT NULL, resolved INTEGER NOT NULL DEFAULT 0);"},
	/* 3: ratings and their transactional outbox (core/rating.h, core/outbox.h) */
	{"ALTER TABLE tickets ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;" /* kiosk simulate */
	 "CREATE TABLE ratings("
	 " id TEXT PRIMARY KEY,"            /* UUID v4 made with the rating: the server's dedup key */
	 " ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	 " ticket TEXT NOT NULL,"           /* 'A023' */
	 " service TEXT NOT NULL,"          /* the service that served it */
	 " day TEXT NOT NULL,"              /* Bangkok date of the rating */
	 " at INTEGER NOT NULL,"
	 " process INTEGER NOT NULL CHECK(process BETWEEN 1 AND 5),"
	 " staff INTEGER NOT NULL CHECK(staff BETWEEN 1 AND 5),"
	 " facility INTEGER NOT NULL CHECK(facility BETWEEN 1 AND 5),"
	 " overall INTEGER NOT NULL CHECK(overall BETWEEN 1 AND 5),"
	 " comment TEXT CHECK(comment IS NULL OR length(CAST(comment AS BLOB)) <= 600),"
	 " lang TEXT NOT NULL DEFAULT 'th',"
	 " misuse INTEGER NOT NULL DEFAULT 0," /* RATING_MISUSE_* bits: kept, left out of results */
	 " source TEXT NOT NULL CHECK(source IN ('qr','typed','sim')),"
	 " answer_ms INTEGER NOT NULL DEFAULT 0);" /* time taken to answer; 0 unknown */
	 "CREATE UNIQUE INDEX ratings_once ON ratings(ticket_id);" /* a ticket is rated once */
	 "CREATE INDEX ratings_day ON ratings(day);"
	 "CREATE INDEX ratings_at ON ratings(at);"
	 "CREATE TABLE upload_batches("
	 " id TEXT PRIMARY KEY,"            /* UUID v4: the Idempotency-Key, kept across retries */
	 " created_at INTEGER NOT NULL,"
	 " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','sent','rejected')),"
	 " n INTEGER NOT NULL,"
	 " body TEXT NOT NULL,"             /* frozen: every retry is byte-identical */
	 " attempts INTEGER NOT NULL DEFAULT 0,"
	 " next_at INTEGER NOT NULL DEFAULT 0,"     /* backoff: not before this time */
	 " lease_until INTEGER NOT NULL DEFAULT 0," /* an uploader is sending it until then ... */
	 " lease_pid INTEGER NOT NULL DEFAULT 0,"   /* ... this process, unless it died */
	 " last_status INTEGER, last_error TEXT, done_at INTEGER);"
	 "CREATE INDEX upload_batches_due ON upload_batches(state, next_at);"
	 "CREATE TABLE outbox("
	 " rating TEXT PRIMARY KEY REFERENCES ratings(id),"
	 " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','sent','rejected')),"
	 " batch TEXT REFERENCES upload_batches(id)," /* NULL until put in a batch */
	 " created_at INTEGER NOT NULL,"
	 " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0,"
	 " last_error TEXT, sent_at INTEGER);"
	 "CREATE INDEX outbox_todo ON outbox(state, batch, created_at);"
	 "CREATE INDEX outbox_batch ON outbox(batch);"},
	/* 4 (issue 13): the state 'cancelled' (the holder left the queue from the phone), the
	 * source 'phone' for ratings, anonymous KPI counts, and indexes for the estimate and
	 * the phone's long-poll. SQLite cannot change a CHECK in place, so tickets and ratings
	 * are rebuilt the documented way (new table, copy, drop, rename; kstore_migrate turns
	 * foreign keys off around it and checks them before COMMIT). Same ids, same rows. */
	{"CREATE TABLE tickets_new("
	 " id INTEGER PRIMARY KEY,"
	 " day TEXT NOT NULL, prefix TEXT NOT NULL, seq INTEGER NOT NULL,"
	 " cycle INTEGER NOT NULL DEFAULT 0, number TEXT NOT NULL, service TEXT NOT NULL,"
	 " priority INTEGER NOT NULL DEFAULT 0,"
	 " state TEXT NOT NULL DEFAULT 'waiting' CHECK(state IN"
	 "  ('waiting','called','serving','done','no_show','cancelled')),"
	 " issued_at INTEGER NOT NULL, queued_at INTEGER NOT NULL,"
	 " called_at INTEGER, served_at INTEGER, done_at INTEGER," /* done_at: also when cancelled */
	 " counter INTEGER, calls INTEGER NOT NULL DEFAULT 0,"
	 " simulated INTEGER NOT NULL DEFAULT 0,"
	 " UNIQUE(day, prefix, cycle, seq));"
	 "INSERT INTO tickets_new(id, day, prefix, seq, cycle, number, service, priority, state,"
	 " issued_at, queued_at, called_at, served_at, done_at, counter, calls, simulated)"
	 " SELECT id, day, prefix, seq, cycle, number, service, priority, state, issued_at,"
	 " queued_at, called_at, served_at, done_at, counter, calls, simulated FROM tickets;"
	 "DROP TABLE tickets;"
	 "ALTER TABLE tickets_new RENAME TO tickets;"
	 "CREATE INDEX tickets_wait ON tickets(state, service, priority, queued_at);"
	 "CREATE INDEX tickets_counter ON tickets(counter, state);"
	 /* kqueue_service_minutes and kqueue_view read a service's recent finished tickets
	  * by done_at: without this, a scan of every done ticket of the service (EXPLAIN
	  * QUERY PLAN in tests/unit/test_queue.c) */
	 "CREATE INDEX tickets_done ON tickets(service, state, done_at);"
	 /* a ticket's last event (the phone's long-poll) */
	 "CREATE INDEX events_ticket ON events(ticket, id);"
	 "CREATE TABLE ratings_new("
	 " id TEXT PRIMARY KEY,"
	 " ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	 " ticket TEXT NOT NULL, service TEXT NOT NULL, day TEXT NOT NULL, at INTEGER NOT NULL,"
	 " process INTEGER NOT NULL CHECK(process BETWEEN 1 AND 5),"
	 " staff INTEGER NOT NULL CHECK(staff BETWEEN 1 AND 5),"
	 " facility INTEGER NOT NULL CHECK(facility BETWEEN 1 AND 5),"
	 " overall INTEGER NOT NULL CHECK(overall BETWEEN 1 AND 5),"
	 " comment TEXT CHECK(comment IS NULL OR length(CAST(comment AS BLOB)) <= 600),"
	 " lang TEXT NOT NULL DEFAULT 'th',"
	 " misuse INTEGER NOT NULL DEFAULT 0,"
	 " source TEXT NOT NULL CHECK(source IN ('qr','typed','sim','phone')),"
	 " answer_ms INTEGER NOT NULL DEFAULT 0);"
	 "INSERT INTO ratings_new SELECT id, ticket_id, ticket, service, day, at, process, staff,"
	 " facility, overall, comment, lang, misuse, source, answer_ms FROM ratings;"
	 "DROP TABLE ratings;"
	 "ALTER TABLE ratings_new RENAME TO ratings;"
	 "CREATE UNIQUE INDEX ratings_once ON ratings(ticket_id);"
	 "CREATE INDEX ratings_day ON ratings(day);"
	 "CREATE INDEX ratings_at ON ratings(at);"
	 /* core/kpi.h: counts only, never who */
	 "CREATE TABLE kpi_counts(day TEXT NOT NULL, kind TEXT NOT NULL, service TEXT NOT NULL,"
	 " n INTEGER NOT NULL, PRIMARY KEY(day, kind, service)) WITHOUT ROWID;"},
	/* 5: a ticket by its number (kqueue_find: every phone's /t request and the relay's
	 * snapshot): UNIQUE(day, prefix, cycle, seq) narrowed it only to the day, so a busy
	 * day's snapshot scanned the day once per ticket (2,100 tickets: seconds) */
	{"CREATE INDEX tickets_number ON tickets(day, number, id);"},
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
#define KSTORE_ASIDE_MAX 99 /* damaged files kept with the same time stamp: -2 .. -99 */

int kstore_schema_version(void)
{
	return N_MIGRATIONS;
}

kst kstore_err(struct kstore *st, struct kerr *err, const char *doing)
{
	return kerr_set(err, K_EFAIL, "kiosk.db: %s: %s", doing,
			st && st->db ? sqlite3_errmsg(st->db) : "not open");
}

kst kstore_exec(struct kstore *st, const char *sql, struct kerr *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kerr_set(err, K_EFAIL, "kiosk.db: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return K_EFAIL;
	}
	return K_OK;
}

kst kstore_begin(struct kstore *st, struct kerr *err)
{
	return kstore_exec(st, "BEGIN IMMEDIATE", err);
}

kst kstore_commit(struct kstore *st, struct kerr *err)
{
	kst rc = kstore_exec(st, "COMMIT", err);
	if (rc)
		kstore_rollback(st);
	return rc;
}

void kstore_rollback(struct kstore *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

kst kstore_read_begin(struct kstore *st, int *opened, struct kerr *err)
{
	*opened = 0;
	if (!sqlite3_get_autocommit(st->db))
		return K_OK;
	if (kstore_exec(st, "BEGIN", err))
		return K_EFAIL;
	*opened = 1;
	return K_OK;
}

void kstore_read_end(struct kstore *st, int opened)
{
	if (opened)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

/* The first column of a one-row statement, -1 on error. */
static int count_pragma(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

kst kstore_migrate(sqlite3 *db, int target, struct kerr *err)
{
	struct kstore tmp = {.db = db};
	int v = user_version(db);

	if (v < 0)
		return kstore_err(&tmp, err, "reading the schema version");
	if (v > N_MIGRATIONS)
		return kerr_set(err, K_EFAIL,
				"kiosk.db: schema version %d is newer than this program (%d); "
				"install the newer kiosk or restore a backup", v, N_MIGRATIONS);
	if (v >= target)
		return K_OK;
	/* A migration that rebuilds a table drops the old one: with foreign keys on, that
	 * drop would delete (or refuse over) the rows that point at it. SQLite's documented
	 * way: keys off outside the transaction, foreign_key_check before COMMIT, keys back. */
	int fk = count_pragma(db, "PRAGMA foreign_keys");
	sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	kst rc = K_OK;
	for (; v < target && v < N_MIGRATIONS; v++) {
		char pragma[48];
		if ((rc = kstore_begin(&tmp, err)))
			break;
		/* Another process may have migrated while we waited for the lock. */
		if (user_version(db) > v) {
			kstore_rollback(&tmp);
			continue;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if ((rc = kstore_exec(&tmp, migrations[v].sql, err)) ||
		    (rc = kstore_exec(&tmp, pragma, err))) {
			kerr_prefix(err, "migration %d: ", v + 1);
			kstore_rollback(&tmp);
			break;
		}
		if (count_pragma(db, "SELECT COUNT(*) FROM pragma_foreign_key_check") != 0) {
			rc = kerr_set(err, K_EFAIL, "kiosk.db: migration %d: foreign keys broken",
				      v + 1);
			kstore_rollback(&tmp);
			break;
		}
		if ((rc = kstore_commit(&tmp, err)))
			break;
	}
	if (fk > 0)
		sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	return rc ? K_EFAIL : K_OK;
}

/* --- opening: one process at a time creates, switches, checks and migrates ----------
 *
 * Every process of the kiosk (the touchscreen, the board, the API, the uploader, each CLI
 * command) opens the store, and at boot they all start at once. SQLite serialises writes,
 * but not the first-use steps of kstore_open():
 *  - `PRAGMA journal_mode=WAL` on a new file writes the header under a read transaction
 *    it then upgrades; SQLite does not call the busy handler for that upgrade (it could
 *    deadlock), so a second process doing the same gets SQLITE_BUSY at once: "database
 *    is locked" on a fresh folder.
 *  - WAL recovery after a crash answers SQLITE_BUSY_RECOVERY to everyone else meanwhile.
 *  - quick_check failing because of a transient error must not get a healthy file moved
 *    aside, and one process must never rename the file another is creating.
 * So kstore_open() takes a flock on <data>/kiosk.db.lock: shared for the common case (a
 * healthy database at the newest schema, nothing written: many processes in parallel),
 * exclusive for anything else (create, WAL switch, migrate, move a damaged file aside),
 * and treats SQLITE_BUSY/LOCKED during the open as "wait and try again", all bounded by
 * KSTORE_OPEN_WAIT_MS. Ordinary writes keep the KSTORE_BUSY_MS busy timeout. */

/* SQLite codes that mean "someone else holds it right now": wait, do not give up. */
static int is_busy(int rc)
{
	rc &= 0xff; /* SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_* ... */
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* Sleeps *ms (1 ms at first, doubling up to 32): short waits stay short, long ones poll
 * gently. Only used while someone else holds the store. */
static void nap(int *ms)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)*ms * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	if (*ms < KSTORE_NAP_MAX_MS)
		*ms *= 2;
}

/* flock(how) on fd, polling until deadline (monotonic ms). 0, or -1 with errno
 * (EWOULDBLOCK: still held by another process at the deadline). */
static int lock_until(int fd, int how, int64_t deadline)
{
	int ms = 1;
	for (;;) {
		if (flock(fd, how | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (kclock_mono_ms() >= deadline) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nap(&ms);
	}
}

/*
 * Replaces SQLite's auto-checkpoint (at KSTORE_WAL_CHECKPOINT_PAGES, store.h, where the
 * threshold is explained: 200, not SQLite's 1,000). A process that opens the store
 * while no other has it open rebuilds the WAL index from the WAL itself, and so forgets
 * how much of it was already copied into the database. SQLite then never starts the WAL
 * over: with no kiosk running (CLI commands only, the bench), each commit appended to it
 * and each auto-checkpoint copied all of it again. It grew for good (11.5 MB after 300
 * `kiosk ticket`s) and every command read all of it on open (11 -> 15 ms a ticket).
 * So the checkpoint truncates the WAL when it has copied every page and nobody reads
 * it. It never waits: a reader or another writer leaves it a passive checkpoint, like
 * SQLite's, and a live process keeps the index, where SQLite's own restart works.
 */
static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
	(void)ctx;
	if (pages < KSTORE_WAL_CHECKPOINT_PAGES)
		return SQLITE_OK;
	sqlite3_busy_timeout(db, 0);
	sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_timeout(db, KSTORE_BUSY_MS);
	return SQLITE_OK; /* the commit is done whatever the checkpoint did */
}

static int g_light_check; /* kstore_light_check() */

void kstore_light_check(int on)
{
	g_light_check = on;
}

/* Opens and proves the file is a healthy database. Returns SQLite's code: SQLITE_CORRUPT
 * or SQLITE_NOTADB only when the file itself is bad, never for a busy or failed read. */
static int try_open(const char *path, int create, sqlite3 **out)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, KSTORE_BUSY_MS);
		/* The last connection to close would checkpoint the WAL into the database and
		 * delete it, and the next open would create it again: 5 fdatasyncs for a CLI
		 * ticket instead of 1 (its commit). The WAL stays (the OS and SQLite recover
		 * it like any crash), and is checkpointed every KSTORE_WAL_CHECKPOINT_PAGES
		 * pages (wal_hook). */
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		sqlite3_wal_hook(db, wal_hook, NULL);
		char sql[160];
		snprintf(sql, sizeof sql,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON; PRAGMA cache_size=-%d;", KSTORE_CACHE_KB);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		sqlite3_stmt *s;
		rc = sqlite3_prepare_v2(db, g_light_check ? "SELECT COUNT(*) FROM sqlite_master"
							  : "PRAGMA quick_check", -1, &s, NULL);
		if (rc == SQLITE_OK) {
			int step = sqlite3_step(s);
			if (step == SQLITE_ROW) {
				const char *verdict = (const char *)sqlite3_column_text(s, 0);
				if (!g_light_check && (!verdict || strcmp(verdict, "ok")))
					rc = SQLITE_CORRUPT;
			} else {
				/* BUSY, IOERR ...: say so; only CORRUPT/NOTADB is damage. */
				rc = step == SQLITE_DONE ? SQLITE_CORRUPT : step;
			}
			sqlite3_finalize(s);
		}
	}
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		db = NULL;
	}
	*out = db;
	return rc;
}

/* rename() that fails with EEXIST instead of replacing `to`. */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without RENAME_NOREPLACE: link() never replaces either. */
	if (link(from, to) < 0)
		return -1;
	return unlink(from);
}

/* Keeps the evidence for IT and makes room for a fresh file. Exclusive lock held. */
static kst move_aside(const char *path, struct kerr *err)
{
	char aside[KSTORE_PATH_MAX + 64], side[KSTORE_PATH_MAX + 80];
	char iso[KCLOCK_ISO_MAX];

	kclock_iso(kclock_now(), iso);
	/* Never over an earlier damaged file (same second, a clock set back or frozen): IT
	 * wants every piece of evidence. */
	for (int n = 1;; n++) {
		if (n == 1)
			snprintf(aside, sizeof aside, "%s.corrupt-%.19s", path, iso);
		else
			snprintf(aside, sizeof aside, "%s.corrupt-%.19s-%d", path, iso, n);
		if (rename_noreplace(path, aside) == 0)
			break;
		if (errno != EEXIST || n >= KSTORE_ASIDE_MAX)
			return kerr_set(err, K_EFAIL, "%s is damaged and cannot be moved aside: %s",
					path, strerror(errno));
	}
	for (const char *sfx = "-wal"; sfx; sfx = strcmp(sfx, "-wal") ? NULL : "-shm") {
		char from[KSTORE_PATH_MAX + 24];
		snprintf(from, sizeof from, "%s%s", path, sfx);
		snprintf(side, sizeof side, "%s%s", aside, sfx);
		rename(from, side);
	}
	fprintf(stderr, "kiosk: %s was damaged; moved to %s and started a new database\n", path,
		aside);
	return K_OK;
}

/* The shared-lock path: an existing healthy database at this build's schema needs no
 * write, so any number of processes open it at once. 1 when st->db is ready. */
static int open_ready(const char *path, struct kstore *st)
{
	if (try_open(path, 0, &st->db) != SQLITE_OK)
		return 0;
	if (user_version(st->db) == N_MIGRATIONS)
		return 1;
	kstore_close(st);
	return 0;
}

/* The exclusive-lock path: create, switch to WAL, move a damaged file aside, migrate,
 * retrying while another process (one that already has the store open) is busy. */
static kst open_exclusive(const char *path, struct kstore *st, int64_t deadline, struct kerr *err)
{
	int ms = 1;
	for (;;) {
		int rc = try_open(path, 1, &st->db);
		if ((rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) && !st->recovered) {
			/* Nobody else can be creating it: we hold the exclusive lock. */
			if (move_aside(path, err))
				return K_EFAIL;
			st->recovered = 1;
			continue;
		}
		if (rc == SQLITE_OK) {
			if (!kstore_migrate(st->db, N_MIGRATIONS, err))
				return K_OK;
			rc = sqlite3_errcode(st->db);
			kstore_close(st);
			if (!is_busy(rc) || kclock_mono_ms() >= deadline)
				return K_EFAIL;
		} else if (!is_busy(rc) || kclock_mono_ms() >= deadline) {
			if (is_busy(rc))
				return kerr_set(
				    err, K_EFAIL,
				    "%s: cannot open the database: %s (still busy after %d s)",
				    path, sqlite3_errstr(rc), KSTORE_OPEN_WAIT_MS / 1000);
			return kerr_set(err, K_EFAIL, "%s: cannot open the database: %s", path,
					sqlite3_errstr(rc));
		}
		nap(&ms);
	}
}

kst kstore_open(const char *dir, struct kstore *st, struct kerr *err)
{
	char path[KSTORE_PATH_MAX + 16], lock[KSTORE_PATH_MAX + 16];
	int64_t deadline = kclock_mono_ms() + KSTORE_OPEN_WAIT_MS;
	kst rc = K_OK;
	int fd;

	memset(st, 0, sizeof *st);
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return kerr_set(err, K_EFAIL, "%s: cannot create the data folder: %s", dir,
				strerror(errno));
	snprintf(path, sizeof path, "%s/kiosk.db", dir);
	snprintf(lock, sizeof lock, "%s/%s", dir, KSTORE_LOCK_FILE);
	/* O_NOFOLLOW: a symlink planted in the data folder must not make us create files. */
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0)
		return kerr_set(err, K_EFAIL, "%s: cannot open the lock file: %s", lock,
				strerror(errno));
	if (lock_until(fd, LOCK_SH, deadline))
		goto lock_failed;
	if (open_ready(path, st))
		goto out;
	/* Not there yet, not WAL, older schema, damaged or busy: redo it all alone. flock
	 * cannot upgrade atomically, so drop the shared lock first. */
	flock(fd, LOCK_UN);
	if (lock_until(fd, LOCK_EX, deadline))
		goto lock_failed;
	rc = open_exclusive(path, st, deadline, err);
	goto out;
lock_failed:
	if (errno == EWOULDBLOCK)
		rc = kerr_set(err, K_EFAIL,
			      "%s: another kiosk process is still opening it after %d s (lock %s); "
			      "if one is hung, stop it",
			      path, KSTORE_OPEN_WAIT_MS / 1000, lock);
	else
		rc = kerr_set(err, K_EFAIL, "%s: cannot lock: %s", lock, strerror(errno));
out:
	close(fd); /* releases the flock */
	if (rc)
		return rc;
	if (st->recovered)
		kstore_notice(st, "error",
			      "ฐานข้อมูลเดิมเสียหาย ระบบย้ายไฟล์ไว้และเริ่มฐานข้อมูลใหม่ โปรดแจ้งฝ่ายไอที",
			      "The old database was damaged; it was moved aside and a new one "
			      "started. Please tell IT.");
	return K_OK;
}

void kstore_close(struct kstore *st)
{
	if (st->db)
		sqlite3_close(st->db);
	st->db = NULL;
}

kst kstore_notice(struct kstore *st, const char *level, const char *th, const char *en)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db,
				    "INSERT INTO notices(at, level, text_th, text_en) VALUES(?,?,?,?)",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return K_EFAIL;
	sqlite3_bind_int64(s, 1, kclock_now());
	sqlite3_bind_text(s, 2, level, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, th, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, en, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? K_OK : K_EFAIL;
}

sqlite3_stmt *kstore_prep(struct kstore *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 's') {
			const char *v = va_arg(ap, const char *);
			if (v)
				sqlite3_bind_text(s, i + 1, v, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(s, i + 1);
		} else if (fmt[i] == 'i') {
			sqlite3_bind_int(s, i + 1, va_arg(ap, int));
		} else if (fmt[i] == 'd') {
			sqlite3_bind_double(s, i + 1, va_arg(ap, double));
		} else {
			sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
		}
	}
	va_end(ap);
	return s;
}

kst kstore_run(struct kstore *st, sqlite3_stmt *s, struct kerr *err, const char *doing)
{
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	kst r = rc == SQLITE_DONE ? K_OK : kstore_err(st, err, doing);
	sqlite3_finalize(s);
	return r;
}

long long kstore_scalar(sqlite3_stmt *s, long long dflt)
{
	long long v = dflt;
	if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}
