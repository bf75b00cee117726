/**
 * @file qsnap.h
 * @brief The queue snapshot the kiosk pushes to the district collector so that the
 * collector can serve the ticket page (/t) to phones on mobile data without the office
 * LAN accepting any connection from the internet (issue 14 item 4, docs/public.md
 * "The relay"). Plain C over the store and jansson: built here on the kiosk, checked
 * here on the collector, so both ends read the one definition.
 *
 *   {"v": 1, "office": "bangkhae", "kiosk": "kiosk-1",
 *    "office_name": {"th": "...", "en": "..."},
 *    "day": "2026-11-24", "generated_at": "2026-11-24T10:00:00+07:00", "event": 123,
 *    "services": [{"id": "personal-cert", "name": {"th": "...", "en": "..."}}],
 *    "tickets": [{"number": "A001", "service": "personal-cert", "state": "waiting",
 *                 "counter": 0, "ahead": 2, "wait_lo": 5, "wait_hi": 10,
 *                 "sig_sha256": "<64 hex>"}]}
 *
 * No personal data: a ticket has none, and the snapshot leaves out even the priority
 * flag (it would say "elderly, disabled or pregnant" about one number). The ticket's QR
 * signature is not in it either, only its SHA-256: the collector checks a /t URL
 * (sha256(s) == sig_sha256, constant time) without ever holding the office's signing
 * key or a value that would open the kiosk's own /t forms.
 *
 * Bounded: at most QSNAP_TICKETS_MAX tickets (the live ones first, then the latest
 * finished ones), so a body stays well under QSNAP_BODY_MAX (~200 bytes a ticket: 2,000 are ~400 KB).
 */
#ifndef KIOSK_QSNAP_H
#define KIOSK_QSNAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/qrpayload.h"
#include "core/queue.h"
#include "core/secret.h"

#define QSNAP_VERSION 1
#define QSNAP_TICKETS_MAX 2000	     /* tickets in one snapshot (a busy day is ~300) */
#define QSNAP_BODY_MAX (1024 * 1024) /* bytes of a snapshot; the collector answers 413 above */
#define QSNAP_NAME_MAX 256	     /* bytes of an office or service name (= KCONF_TEXT_MAX) */
#define QSNAP_WHY_MAX 200	     /* the reason of a refusal, sent back to the kiosk */
#define QSNAP_WAIT_MAX (24 * 60)     /* minutes: an estimate longer than a day is junk */
#define QSNAP_COUNTER_MAX 32	     /* = KCONF_COUNTERS_MAX */

struct qsnap_service {
	char id[KCAT_ID_MAX + 1];
	char name_th[QSNAP_NAME_MAX + 1], name_en[QSNAP_NAME_MAX + 1];
};

struct qsnap_ticket {
	char number[QRP_NUMBER_MAX + 1];
	char service[KCAT_ID_MAX + 1];
	char state[KSTATE_MAX];		    /* waiting called serving done no_show cancelled */
	int counter;			    /* 1..QSNAP_COUNTER_MAX when called/serving, else 0 */
	int ahead;			    /* waiting: people the policy calls first */
	int wait_lo, wait_hi;		    /* minutes, -1/-1 = no estimate */
	char sig_sha256[SECRET_SHA256_HEX]; /* SHA-256 (hex) of the ticket's QR signature */
};

/* A checked snapshot. */
struct qsnap {
	char office[QRP_ID_MAX + 1], kiosk[QRP_ID_MAX + 1];
	char office_th[QSNAP_NAME_MAX + 1], office_en[QSNAP_NAME_MAX + 1];
	char day[KCLOCK_DATE_MAX];
	int64_t generated_at; /* the kiosk's wall time, epoch seconds (informational) */
	int64_t event;	      /* the kiosk's MAX(events.id) when it was built */
	struct qsnap_service svc[KCAT_SERVICES_MAX];
	int n_svc;
	struct qsnap_ticket *t; /* n tickets, malloc'd; qsnap_free */
	int n;
};

/* The snapshot of today's queue (Bangkok date of kclock_now()) as JSON (a new
 * reference in *out). qr signs the tickets as their QR codes are signed. *event gets
 * the event id it reflects: the caller pushes again when MAX(events.id) moves past it. */
kst qsnap_build(struct kqueue *q, const struct qrp *qr, struct json_t **out, int64_t *event,
		struct kerr *err);

/* Parses and checks a body (len bytes, need not end in NUL). 0 and s filled, or 400
 * with a precise one-line reason in why (s then holds nothing to free). */
int qsnap_parse(const char *body, size_t len, struct qsnap *s, char why[QSNAP_WHY_MAX]);
void qsnap_free(struct qsnap *s);

/* The ticket with this number, or NULL. */
const struct qsnap_ticket *qsnap_find(const struct qsnap *s, const char *number);
/* 1 when sig (as the /t URL carries it) hashes to the ticket's sig_sha256; compared in
 * constant time, so a forger learns nothing from the answer's timing. */
int qsnap_sig_ok(const struct qsnap_ticket *t, const char *sig);
/* The ticket as the phone page (net/public_pages.h) shows it. */
void qsnap_view(const struct qsnap *s, const struct qsnap_ticket *t, struct kticket_view *v);

#endif
