/**
 * @file store.h
 * @brief The SQLite store at <data>/kiosk.db shared by the kiosk, the display and
 * the counter API (several processes): WAL, synchronous=FULL, a busy timeout,
 * and forward-only migrations counted by PRAGMA user_version.
 *
 * Any number of processes may open it at the same instant, on a fresh folder or an
 * existing one: creation, the WAL switch, the health check, migrations and moving a
 * damaged file aside happen under a flock on <data>/kiosk.db.lock (mode 0600), and
 * "busy" while opening means "wait", up to KSTORE_OPEN_WAIT_MS (see store.c).
 *
 * Nothing personal is stored here: no citizen ID, name or address.
 */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <sqlite3.h>

#include "core/err.h"

#define KSTORE_PATH_MAX 512
#define KSTORE_BUSY_MS 5000 /* a writer holds the lock for a few ms; 5 s means something is stuck */
/* Page cache per connection. SQLite's default (2 MB) fills on open (the quick_check
 * reads every page) and stays full: the kiosk holds three connections, so a year's
 * database cost it ~6 MB of RSS for pages the OS caches anyway. The hot queries read a
 * few index pages (test_queue, make bench: estimate 1-7 ms either way). */
#define KSTORE_CACHE_KB 512
/* Opening waits this long for other processes (their creation, migration, WAL recovery):
 * at boot everything starts at once on a slow CPU, and a big quick_check takes a while. */
#define KSTORE_OPEN_WAIT_MS 30000
#define KSTORE_NAP_MAX_MS 32		 /* longest pause between two tries while waiting */
#define KSTORE_LOCK_FILE "kiosk.db.lock" /* under the data folder; holds no data */
/* WAL pages after which a commit checkpoints. A command that opens the store with no kiosk
 * running reads the whole WAL to rebuild its index (~4 us a page). CLI tickets run
 * interleaved, 600 each: 10.8 ms on average at SQLite's default of 1,000, 9.6 ms at 200
 * (the extra checkpoints, one every ~20 tickets, included), 9.5 ms at 100. */
#define KSTORE_WAL_CHECKPOINT_PAGES 200

struct kstore {
	sqlite3 *db;
	char dir[KSTORE_PATH_MAX];
	int recovered; /* 1: the old database was corrupt and moved aside this start */
};

/* One migration: SQL run in a transaction to go from version i to i+1. */
struct kmigration {
	const char *sql;
};

/* Opens (creating dir and database) and migrates to the newest schema. A corrupt
 * or unreadable database is renamed kiosk.db.corrupt-<time> and a fresh one is
 * created; st->recovered says so and a staff notice is recorded. Safe to call from
 * many processes at once; fails only after KSTORE_OPEN_WAIT_MS of "busy". */
kst kstore_open(const char *dir, struct kstore *st, struct kerr *err);
void kstore_close(struct kstore *st);

/* The schema version this build writes. */
int kstore_schema_version(void);
/* on: kstore_open proves only the header and the schema, not every page. PRAGMA
 * quick_check reads the whole file (80 ms for a year of one office, 8 MB): right once
 * when the kiosk starts, too dear for each short command (`kiosk call` at a counter).
 * Damage a short command meets later is still an error, never silent; the kiosk's next
 * start finds it and moves the file aside. Set once, before any open. */
void kstore_light_check(int on);
/* Migrates an open database up to `target` (tests migrate an old file step by step). */
kst kstore_migrate(sqlite3 *db, int target, struct kerr *err);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK with the busy timeout. */
kst kstore_begin(struct kstore *st, struct kerr *err);
kst kstore_commit(struct kstore *st, struct kerr *err);
void kstore_rollback(struct kstore *st);
/* A read snapshot across several statements: BEGIN (deferred) unless a transaction is
 * already open, so every SELECT after it sees one instant of the database even while
 * another process commits. *opened says whether this call began it; hand it back to
 * kstore_read_end, which ends only what it began (snapshots nest). */
kst kstore_read_begin(struct kstore *st, int *opened, struct kerr *err);
void kstore_read_end(struct kstore *st, int opened);
/* Runs SQL with no result rows. */
kst kstore_exec(struct kstore *st, const char *sql, struct kerr *err);

/* A message for staff (admin screen, `kiosk queue --json`), kept until resolved. */
kst kstore_notice(struct kstore *st, const char *level, const char *text_th, const char *text_en);

/* Sets err from the database's last error, prefixed with what we were doing. */
kst kstore_err(struct kstore *st, struct kerr *err, const char *doing);

/* Prepares sql and binds the arguments described by fmt, one letter each:
 * 's' text (NULL binds NULL), 'i' int, 'l' int64_t, 'd' double. NULL on error. */
sqlite3_stmt *kstore_prep(struct kstore *st, const char *sql, const char *fmt, ...);
/* Steps a statement that returns no rows and finalizes it (s may be NULL). */
kst kstore_run(struct kstore *st, sqlite3_stmt *s, struct kerr *err, const char *doing);
/* The first column of the first row as an integer (dflt when no row or NULL),
 * and finalizes s (which may be NULL). */
long long kstore_scalar(sqlite3_stmt *s, long long dflt);

#endif
