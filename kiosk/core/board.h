/**
 * @file board.h
 * @brief What the lobby display board shows, worked out from the queue object
 * (core/qjson.h) whether it came from the local database or from a remote
 * `kiosk serve`: the tickets now at counters (newest call first), the last few
 * calls, waiting per service, which rows flash, and what to announce.
 *
 * Plain C with no SDL, so the rules are unit-tested; the screen only draws.
 *
 * A call is "new" when its event id is above the newest one the board has
 * seen. The first queue object a board gets only sets that mark: a board that
 * starts (or reconnects) in the middle of the day does not replay old calls.
 */
#ifndef KIOSK_BOARD_H
#define KIOSK_BOARD_H

#include <stdint.h>

#include "core/catalog.h"
#include "core/config.h"
#include "core/err.h"
#include "core/queue.h"

#define BOARD_RECENT_MAX 6        /* "last calls" rows */
#define BOARD_ANNOUNCE_MAX 8      /* new calls taken from one update */
#define BOARD_FLASH_MS 6000       /* a new call's row flashes this long */
#define BOARD_BLINK_MS 500        /* flash phase length */
#define BOARD_NAME_MAX 192        /* a service name (Thai, 3 bytes a char) */
#define BOARD_CLIPS_MAX 24        /* clips in one announcement */
#define BOARD_CLIP_NAME_MAX 16    /* "letter-w", "digit-0", ... */

struct board_call {
	char number[KTICKET_NUMBER_MAX]; /* "A023" */
	char service[KCAT_ID_MAX];
	int counter;
	int64_t event_id;     /* the call or re-call event */
	int recall;           /* 1: a re-call */
	int64_t flash_until;  /* monotonic ms; 0 = not flashing */
};

struct board_wait {
	char service[KCAT_ID_MAX];
	char prefix;
	/* What the board shows: the service's short name, or its name from a kiosk whose
	 * queue JSON predates short names. */
	char name_th[BOARD_NAME_MAX], name_en[BOARD_NAME_MAX];
	int count;
};

struct board {
	int loaded;            /* at least one queue object seen */
	char office_th[KCONF_TEXT_MAX], office_en[KCONF_TEXT_MAX];
	/* Tickets at counters now (called or serving), newest call first. */
	struct board_call serving[KCONF_COUNTERS_MAX];
	int n_serving;
	/* Today's latest calls, newest first, one per ticket (may repeat serving). */
	struct board_call recent[BOARD_RECENT_MAX];
	int n_recent;
	struct board_wait waiting[KCAT_SERVICES_MAX];
	int n_waiting, total_waiting;
	int64_t last_event;    /* of the queue object */
	int64_t seen_call;     /* newest call event id already announced */
};

struct json_t;
/* Takes in a queue object. New calls (oldest first, at most max) are copied to
 * announce and their rows flash from now_ms; *n_announce is how many. K_EFAIL
 * (board unchanged) when q is not a queue object. */
kst board_update(struct board *b, const struct json_t *q, int64_t now_ms,
		 struct board_call *announce, int max, int *n_announce, struct kerr *err);

/* 1 while the row is in the bright phase of its flash. */
int board_flash_on(const struct board_call *c, int64_t now_ms);
/* The soonest time something flashing changes (ms), or -1 when nothing flashes. */
int64_t board_next_change(const struct board *b, int64_t now_ms);

/* The clip names of the announcement for a call, in order: "chime", "number",
 * the letter ("letter-a"), each digit ("digit-0"), "counter", each digit of
 * the counter. Returns the count (0 when number is not a ticket number). */
int board_clips(const char *number, int counter, char clips[][BOARD_CLIP_NAME_MAX], int max);

/* The Thai words each clip says (for generating clips with espeak-ng, and for
 * captions). NULL for an unknown clip; "" for the chime (not speech). */
const char *board_clip_text(const char *clip);
/* Every clip name (NULL-terminated). */
const char *const *board_clip_names(void);

#endif
