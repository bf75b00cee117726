/**
 * @file card_glue.h
 * @brief The Thai ID card on the touchscreen: the reader watcher (dev/cardreader.h)
 * turned into what the visitor sees, and the one in-memory card holder the screens
 * read (greeting, priority by age, documents by age, expired card notice).
 *
 * Events (the watcher's notify posts to the app, so the loop wakes at once and the
 * screen never waits for the card):
 * - INSERTED: a "กำลังอ่านบัตร..." banner over whatever screen is up.
 * - READ: the few facts the screens need are copied into the holder (the Thai and
 *   English first name and English prefix, age, birth-date precision, expired flag:
 *   never the citizen ID, last name or address) and the event is wiped at once. The
 *   attract screen moves on to the services, which greet the holder by name; on a
 *   deeper screen the visitor stays and a greeting banner shows for a few seconds.
 * - ERROR: a kind banner in both languages ("กรุณาเสียบบัตรใหม่อีกครั้ง").
 * - REMOVED: the holder is zeroed (explicit_bzero), every cached rendering of the
 *   name is zeroed and dropped (text_cache_forget), and the kiosk returns to the
 *   attract screen. Exception: a freshly issued ticket stays on screen (its number
 *   is not personal data) until Done or the idle time-out; only the personal data
 *   goes at once.
 * The idle time-out wipes the holder the same way (ui_app_set_wipe_hook).
 *
 * No reader or no pcscd: the kiosk works by touch alone; nothing is shown to the
 * visitor, and card_readers() gives staff the count for a status line.
 *
 * The script's `card insert PROFILE [VCARD OPTIONS]` / `card remove` (ui/app.h) start
 * and stop the virtual card program tests/tools/vcard.py on the private vpcd
 * (VPCD_PORT, tests/tools/pcsc-env.sh), so scripted runs go through pcscd and the
 * watcher exactly as a real card does; `card remove` returns once the removal has been
 * handled (deadline 30 s). KIOSK_VCARD names another card program.
 * Without VPCD_PORT the hook is not set and those lines stay plain UI_EV_CARD events
 * for the screen (screen tests without pcscd).
 *
 * With CARD_GLUE_TRACE each event is one stderr line without personal data
 * ("card: read", "card: wiped holder_zero=1"): tests and field diagnosis.
 */
#ifndef KIOSK_CARD_GLUE_H
#define KIOSK_CARD_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/cardrules.h"
#include "core/err.h"
#include "core/idcard.h"
#include "ui/app.h"

struct kconfig;

/* The card holder as the screens know them. Nothing here identifies the person on
 * its own: no citizen ID, no last name, no address, no birth date. */
struct card_holder {
	char first_th[IDCARD_NAME_MAX];  /* "สมชาย": the greeting says "คุณ" + this */
	char prefix_en[IDCARD_NAME_MAX]; /* "Mr." */
	char first_en[IDCARD_NAME_MAX];  /* "Somchai" */
	struct cardrule_facts f;         /* age (-1 unknown), birth precision, expired */
};

/* What the holder half (card_holder.c) keeps for the screens; written only by the
 * reader's glue (card_glue.c), on the UI thread. */
struct card_state {
	struct card_holder holder;
	int present;      /* a card was read and not pulled */
	int readers;      /* readers seen; -1 = not watching */
	int priority_age; /* [queue] priority_age */
};
extern struct card_state card_state;
#define GREETING_MAX (IDCARD_NAME_MAX * 2 + 64) /* "สวัสดี คุณ" + a first name */
/* The greeting in a given language (card_greeting: the app's). */
void card_greeting_lang(enum ui_lang l, char *out, size_t n);

#define CARD_GLUE_TRACE 0x01 /* event lines on stderr */

/* UI_EV_USER codes the glue posts to itself (its hook consumes them). */
#define CARD_GLUE_EV_WAKE 0x7501  /* the watcher queued events */
#define CARD_GLUE_EV_TIMER 0x7502 /* a banner's time is up */

#define CARD_BANNER_HELLO_MS 5000  /* the greeting over a deeper screen */
#define CARD_BANNER_ERROR_MS 8000  /* long enough to read both languages */
#define CARD_BANNER_READ_MS 15000  /* "reading" never stays longer than this */

struct card_glue;

/* Starts the watcher and hooks the app (user events, overlay, wipe, script card).
 * Never fails for want of a reader or pcscd (touch only then). Call
 * kiosk_card_stop() before ui_app_free(): the watcher posts to the app. */
kst kiosk_card_start(struct ui_app *a, const struct kconfig *cfg, unsigned flags,
		     struct card_glue **out, struct kerr *err);
void kiosk_card_stop(struct card_glue *g);

/* For screens (UI thread). NULL when no card holder is known. */
const struct card_holder *card_holder(void);
/* 1 when the holder is old enough for a priority ticket ([queue] priority_age). */
int card_holder_priority(const struct ui_app *a);
/* "สวัสดี คุณสมชาย" / "Hello, Mr. Somchai" in the app's language (no gendered
 * particle); "" when there is no holder. */
void card_greeting(const struct ui_app *a, char *out, size_t n);
/* The holder's block for a screen at (x, y), width w: the greeting and, when the
 * holder gets one, the priority line (CARD_PANEL_GREETING); the kind expired-card
 * notice (CARD_PANEL_EXPIRED). Returns the height drawn (gap below included), 0
 * without a holder. */
#define CARD_PANEL_GREETING 0x01
#define CARD_PANEL_EXPIRED 0x02
int card_panel(struct ui_app *a, int x, int y, int w, unsigned what);
/* "คิวพิเศษสำหรับผู้สูงอายุ" / "Priority ticket for older persons". */
const char *card_text_priority_age(const struct ui_app *a);
/* "บัตรประจำตัวประชาชนของท่านหมดอายุแล้ว ..." in the app's language. */
const char *card_text_expired(const struct ui_app *a);

/* Usable readers seen by the watcher; -1 when it is not running. */
int card_readers(void);

/* The holder's parts, exposed for tests. fill copies from a card read on the day of
 * `now` (the caller wipes the card); wipe zeroes with explicit_bzero. */
void card_holder_fill(struct card_holder *h, const struct idcard *c, int64_t now);
void card_holder_wipe(struct card_holder *h);
/* 1 when every byte of h is zero. */
int card_holder_is_zero(const struct card_holder *h);

#endif
