/**
 * @file rating.h
 * @brief Citizen satisfaction ratings: who may rate, the questions and scale,
 * and saving a rating together with its outbox row in one transaction.
 *
 * Rules: only a ticket served today (state done, Bangkok date) can be rated,
 * once (also enforced by a unique index, so two kiosks racing cannot both
 * win). A rating is anonymous: ticket number, service, time and answers; no
 * card data. The optional comment is bounded, must be clean UTF-8 text, and
 * runs of 9 or more digits (citizen IDs, phone numbers) are masked before it is
 * stored: we never ask for personal data and do not keep it when offered.
 *
 * Misuse (after HappyOrNot): a rating answered faster than a person can read
 * the questions, or one of a burst of ratings from this kiosk, is kept but
 * flagged; reports leave flagged ratings out unless asked.
 *
 * The id is a UUID v4 from getrandom(), made once when the rating is created:
 * it travels to the district server as the deduplication key.
 */
#ifndef KIOSK_RATING_H
#define KIOSK_RATING_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/queue.h"

#define RATING_ID_LEN 36       /* UUID text, 8-4-4-4-12 */
#define RATING_COMMENT_MAX 600 /* bytes of UTF-8: 200 Thai characters; the schema checks it too */
#define RATING_DIMS 4
#define RATING_MIN_ANSWER_MS 2000 /* four questions in Thai cannot be read faster */
#define RATING_BURST_SECONDS 60   /* more than RATING_BURST_MAX ratings in this window ... */
#define RATING_BURST_MAX 3        /* ... from one kiosk is not four different citizens */
#define RATING_DIGITS_MASK 9      /* digit runs this long are masked in comments */

/* The questions, in the order asked and sent (contract: scores{}). */
enum rating_dim { RATING_PROCESS, RATING_STAFF, RATING_FACILITY, RATING_OVERALL };

/* Where a rating came from: "qr", "typed", "sim", "phone" in JSON, CSV and the upload.
 * RATING_PHONE (the ticket page on the holder's phone) follows the same rules as the
 * kiosk: served today, once, scores 1..5, comment checks, misuse flags (the burst rule
 * is counted per source: many phones at once are many people). */
enum rating_source { RATING_QR, RATING_TYPED, RATING_SIM, RATING_PHONE };

/* Misuse flags (bits of ratings.misuse). */
#define RATING_MISUSE_FAST 1  /* answered in under RATING_MIN_ANSWER_MS */
#define RATING_MISUSE_BURST 2 /* more than RATING_BURST_MAX in RATING_BURST_SECONDS */

/* Why a ticket cannot be rated. */
enum rating_refusal {
	RATING_OK = 0,
	RATING_NO_TICKET,  /* no such ticket today */
	RATING_NOT_SERVED, /* waiting, called, at the counter or no-show */
	RATING_ALREADY,    /* rated before */
};

struct rating {
	char id[RATING_ID_LEN + 1];   /* set by rating_save (or the caller, for imports) */
	int64_t ticket_id;            /* tickets.id */
	char ticket[KTICKET_NUMBER_MAX];
	char service[KCAT_ID_MAX];
	char day[KCLOCK_DATE_MAX];    /* Bangkok date of the rating */
	int64_t at;                   /* when it was saved */
	int score[RATING_DIMS];       /* 1..5 by enum rating_dim */
	char comment[RATING_COMMENT_MAX + 1]; /* "" = none */
	char lang[3];                 /* language the questions were shown in */
	enum rating_source source;
	int misuse;                   /* RATING_MISUSE_* bits */
	int64_t answer_ms;            /* from the first question to submit; 0 = unknown */
};

/* May ticket `number` (canonical, "A023") be rated now? K_OK with the ticket in
 * out; otherwise K_EFAIL, the reason in *why and a kind bilingual message in err. */
kst rating_can_rate(struct kqueue *q, const char *number, struct kticket *out,
		    enum rating_refusal *why, struct kerr *err);

/* Saves r for ticket number r->ticket: checks rating_can_rate again inside the
 * transaction, validates scores and comment, masks long digit runs, sets id,
 * day, at, service, ticket_id and misuse, and writes the rating and its outbox
 * row in ONE IMMEDIATE transaction. K_EFAIL when the ticket cannot be rated,
 * K_EUSAGE for bad scores or comment. */
kst rating_save(struct kqueue *q, struct rating *r, struct kerr *err);

/* Inserts a complete rating, and its outbox row when queue is set, inside the
 * caller's transaction (kiosk simulate, tests). No rule is checked beyond the
 * schema's. */
kst rating_insert(struct kstore *st, const struct rating *r, int queue, struct kerr *err);

/* A fresh UUID v4 from getrandom(). K_EFAIL when the kernel gives no randomness. */
kst rating_uuid(char out[RATING_ID_LEN + 1], struct kerr *err);
/* 1 when s is a lower-case UUID v4 in text form. */
int rating_uuid_valid(const char *s);

/* Checks comment text: valid UTF-8, no control characters (newline allowed),
 * at most RATING_COMMENT_MAX bytes. */
kst rating_comment_check(const char *s, struct kerr *err);
/* Masks runs of RATING_DIGITS_MASK or more digits (ASCII or Thai, spaces and
 * dashes between them allowed) with '*', in place; returns how many runs. */
int rating_comment_mask(char *s);

/* Question and scale texts for the screen. */
const char *rating_dim_key(enum rating_dim d);        /* "process" ... as in the contract */
const char *rating_question(enum rating_dim d, const char *lang);
const char *rating_scale_label(int score, const char *lang); /* 5 มากที่สุด .. 1 น้อยที่สุด */

/* The Thai survey band of a mean score: the mean is first rounded to two
 * decimals (as printed), then 4.21-5.00 -> 5 (มากที่สุด), 3.41-4.20 -> 4 (มาก),
 * 2.61-3.40 -> 3 (ปานกลาง), 1.81-2.60 -> 2 (น้อย), 1.00-1.80 -> 1 (น้อยที่สุด).
 * Returns 0 for a mean outside 1..5 (no data). */
int rating_band(double mean);
const char *rating_band_label(int band, const char *lang);

/* The message for a refusal. */
const char *rating_refusal_msg(enum rating_refusal why, const char *lang);

#endif
