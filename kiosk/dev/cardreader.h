/**
 * @file cardreader.h
 * @brief The Thai ID card reader over PC/SC (pcsc-lite): a watcher thread for the
 * touchscreen and a one-shot read for the CLI.
 *
 * The watcher follows readers being plugged and unplugged (the \\?PnP?\Notification
 * pseudo-reader) and cards being inserted and removed (SCardGetStatusChange), reads
 * a card in whichever reader it appears (never blindly readers[0]), and queues
 * events. The UI never blocks on it: it calls rdr_poll() from its loop, and the
 * notify callback (called on the reader thread right after an event is queued)
 * can wake that loop, e.g. by pushing an SDL user event:
 *
 *   static void wake(void *ctx) { SDL_Event e = {.type = *(Uint32 *)ctx}; SDL_PushEvent(&e); }
 *   struct rdr_opts o = {.notify = wake, .notify_ctx = &card_event_type};
 *   rdr_start(&r, &o, &err);
 *   ... on that SDL event (or any time): while (rdr_poll(r, &ev)) { ...; rdr_event_wipe(&ev); }
 *   rdr_stop(r);
 *
 * One read: SCardConnect (shared, T=0|T=1), SCardBeginTransaction, SELECT the
 * personal-data applet, then READ (80 B0) + GET RESPONSE (00 C0, which pcsc-lite does
 * not send by itself) of the text fields, neighbours together: 9 APDUs (19 on a retry,
 * field by field), no photo, no fixed sleeps
 * (transient failures are retried on events/reconnects). A card pulled at any moment
 * gives a K_EDEVICE "please insert the card again" and never a half-read card.
 */
#ifndef KIOSK_CARDREADER_H
#define KIOSK_CARDREADER_H

#include <stdint.h>

#include "core/err.h"
#include "core/idcard.h"

#define RDR_NAME_MAX 128   /* pcsc-lite's MAX_READERNAME */
#define RDR_MSG_MAX 256    /* one message line, Thai is 3 bytes a character */
#define RDR_QUEUE_MAX 8    /* events kept for a UI that has not polled yet */
#define RDR_MAX_READERS 16 /* pcsc-lite's PCSCLITE_MAX_READERS_CONTEXTS */

/* Why a read failed; each has a Thai and an English sentence (rdr_fail_msg). */
enum rdr_fail {
	RDR_FAIL_NONE = 0,
	RDR_FAIL_PULLED,     /* the card left the reader during the read */
	RDR_FAIL_UNREADABLE, /* mute card, wrong lengths, bad status words */
	RDR_FAIL_NOT_THAI,   /* the personal-data applet is not there */
	RDR_FAIL_BUSY,       /* another program holds the card */
};

/* Measured on one read. */
struct rdr_stats {
	int apdus;    /* APDUs sent, all attempts counted */
	int attempts; /* 1 unless a transient failure was retried */
	int64_t ms;   /* card seen present -> every field decoded */
};

enum rdr_ev_type {
	RDR_EV_READERS,  /* the number of usable readers changed (nreaders) */
	RDR_EV_INSERTED, /* a card appeared in `reader`; a READ or ERROR follows */
	RDR_EV_READ,     /* `card` holds the complete card */
	RDR_EV_ERROR,    /* the card could not be read (fail, code, msg_*) */
	RDR_EV_REMOVED,  /* the card left `reader` */
};

struct rdr_event {
	enum rdr_ev_type type;
	char reader[RDR_NAME_MAX]; /* the reader concerned; "" for READERS */
	int nreaders;              /* READERS: matching readers present (0: none/no pcscd) */
	struct idcard card;        /* READ only: personal data, rdr_event_wipe() it */
	struct rdr_stats stats;    /* READ/ERROR */
	enum rdr_fail fail;        /* ERROR */
	kst code;                  /* ERROR: K_EDEVICE */
	char msg_th[RDR_MSG_MAX];  /* ERROR: for the person at the kiosk */
	char msg_en[RDR_MSG_MAX];
};

struct rdr_opts {
	const char *reader;         /* NULL or "": any reader; else its exact name or a part of it */
	void (*notify)(void *ctx);  /* may be NULL; runs on the reader thread, must not block */
	void *notify_ctx;
};

struct rdr;

/* Starts the watcher thread. It copes by itself with pcscd being absent or
 * restarted (RDR_EV_READERS 0, then retries every second). */
kst rdr_start(struct rdr **out, const struct rdr_opts *opts, struct kerr *err);
/* Takes the oldest queued event; 1 when *ev was filled, 0 when none. Never blocks
 * beyond a mutex held for a copy. */
int rdr_poll(struct rdr *r, struct rdr_event *ev);
/* Stops and joins the thread, wipes queued events, frees r. NULL is fine. Returns
 * within milliseconds, or (a read stuck in a driver that stopped answering) after 2 s,
 * leaving that thread behind. */
void rdr_stop(struct rdr *r);
/* Wipes an event (the card's personal data in it). */
void rdr_event_wipe(struct rdr_event *ev);

/* The sentence for a failure, "th" or "en". */
const char *rdr_fail_msg(enum rdr_fail f, const char *lang);

/* Waits up to wait_ms (0: look once) for a card in the named reader (NULL: any) and
 * reads it. K_EABSENT: no pcscd, no (such) reader or no card in time; K_EDEVICE:
 * the read failed or the card was pulled (out is wiped then). On success out holds
 * the card and, when not NULL, reader_used its reader and st the figures. */
kst rdr_read_once(const char *reader, int64_t wait_ms, struct idcard *out,
		  char reader_used[RDR_NAME_MAX], struct rdr_stats *st, struct kerr *err);

#endif
