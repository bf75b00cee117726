/**
 * @file qrpayload.h
 * @brief What the QR code on a ticket says, and checking a scanned one.
 *
 * The payload comes from a configured template such as
 *   https://q.bangkhae.go.th/t?o={office}&d={date}&n={number}&s={sig}
 * with the placeholders {office} {kiosk} {date} {number} {sig}. {sig} is
 *   base32(HMAC-SHA256(K, "office|date|number"))[0..10)
 * where K = secret_derive(device key, "ticket-qr-v1"): 10 base32 characters,
 * 50 bits. Why 50 bits is enough: the key never leaves the kiosk, so a forger
 * cannot test guesses offline; every guess must be printed and shown to the
 * kiosk's scanner, a few seconds each. At one guess a second, 2^49 tries on
 * average take 17 million years. More bits would only grow the QR code (and
 * fewer, 40, would still be safe; 50 costs two characters more for margin).
 * {kiosk} is informational and not signed.
 *
 * The signing key is per device: a ticket verifies on the kiosk that printed
 * it (or on kiosks given the same device.key).
 *
 * Scanning: qrp_scan() takes whatever a barcode scanner delivers (any bytes,
 * any length) and returns a verified ticket, a bare typed ticket number
 * ("A023", "a23"), or junk with a reason. Fields are matched strictly against
 * the template, the signature is compared in constant time (CRYPTO_memcmp).
 */
#ifndef KIOSK_QRPAYLOAD_H
#define KIOSK_QRPAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/secret.h"

#define QRP_TEMPLATE_MAX 256 /* configured template, bytes */
#define QRP_PAYLOAD_MAX 512  /* expanded payload, and the longest scan looked at */
#define QRP_ID_MAX 32        /* office / kiosk id: [A-Za-z0-9_-]{1,32} */
#define QRP_DATE_LEN 10      /* "YYYY-MM-DD", Bangkok date of issue */
#define QRP_NUMBER_MAX 7     /* ticket number: 1-3 letters A-Z + 1-4 digits ("A023") */
#define QRP_SIG_LEN 10       /* base32 characters = 50 bits of HMAC */
#define QRP_TOKENS_MAX 12    /* template pieces: 5 placeholders + literals around them */
#define QRP_KEY_LABEL "ticket-qr-v1" /* secret_derive label of the signing key */

/* The signed facts of one ticket. */
struct qrp_ticket {
	char office[QRP_ID_MAX + 1];     /* office id, e.g. "bangkhae" */
	char kiosk[QRP_ID_MAX + 1];      /* kiosk id; "" when unknown / not in template */
	char date[QRP_DATE_LEN + 1];     /* "2026-11-24" */
	char number[QRP_NUMBER_MAX + 1]; /* "A023" */
};

enum qrp_kind {
	QRP_JUNK = 0, /* not usable; see reason */
	QRP_TICKET,   /* a ticket QR whose signature verified */
	QRP_NUMBER,   /* a bare ticket number (typed): number only, nothing verified */
};

enum qrp_reason {
	QRP_R_OK = 0,
	QRP_R_EMPTY,        /* nothing (or only a line end) */
	QRP_R_TOO_LONG,     /* more than QRP_PAYLOAD_MAX bytes */
	QRP_R_CONTROL,      /* control character or non-ASCII byte inside */
	QRP_R_NOT_TICKET,   /* does not follow the template: some other QR code */
	QRP_R_BAD_FIELD,    /* follows the template, but a field is malformed */
	QRP_R_BAD_SIG,      /* signature does not match: forged, altered or another kiosk */
	QRP_R_WRONG_OFFICE, /* genuine, but for another office than expected */
	QRP_R_WRONG_DATE,   /* genuine, but issued on another day than expected */
};

struct qrp_scan {
	enum qrp_kind kind;
	enum qrp_reason reason;
	struct qrp_ticket t; /* QRP_TICKET: all fields; QRP_NUMBER: number only */
};

/* What the caller requires of a ticket; NULL members are not checked. */
struct qrp_expect {
	const char *office;
	const char *date;
};

enum qrp_tok { QRP_LIT, QRP_OFFICE, QRP_KIOSK, QRP_DATE, QRP_NUMBER_PH, QRP_SIG };

/* A checked template and the signing key. Wipe with qrp_wipe. */
struct qrp {
	char tmpl[QRP_TEMPLATE_MAX + 1];
	struct {
		enum qrp_tok kind;
		unsigned short off, len; /* literal text in tmpl */
	} tok[QRP_TOKENS_MAX];
	int ntok;
	uint8_t key[SECRET_KEY_LEN]; /* derived: QRP_KEY_LABEL */
};

/* Checks a template: printable ASCII without spaces, known placeholders each at
 * most once, {office} {date} {number} {sig} present, and every placeholder
 * followed by the end or by a character its value cannot contain (so a scan can
 * be split back unambiguously). K_EUSAGE with the reason. */
kst qrp_check_template(const char *tmpl, struct kerr *err);
kst qrp_init(struct qrp *q, const char *tmpl, const uint8_t device_key[SECRET_KEY_LEN],
	     struct kerr *err);
void qrp_wipe(struct qrp *q);

/* The signature of a ticket; fields must be valid (see qrp_make). */
void qrp_sign(const struct qrp *q, const char *office, const char *date, const char *number,
	      char sig[QRP_SIG_LEN + 1]);
/* Expands the template for t. K_EUSAGE when a field is malformed or the result
 * would exceed QRP_PAYLOAD_MAX. */
kst qrp_make(const struct qrp *q, const struct qrp_ticket *t, char out[QRP_PAYLOAD_MAX + 1],
	     struct kerr *err);

/* Reads one scan. One trailing CR, LF or CRLF (the scanner's Enter) is
 * ignored; any other byte below 0x20, DEL or a byte >= 0x80 makes it junk.
 * K_OK with kind QRP_TICKET or QRP_NUMBER, else K_EFAIL with kind QRP_JUNK,
 * the reason in out->reason and a message in err. expect may be NULL. */
kst qrp_scan(const struct qrp *q, const void *buf, size_t len, const struct qrp_expect *expect,
	     struct qrp_scan *out, struct kerr *err);

/* A ticket number as typed: optional spaces around, 1-3 letters (either case),
 * 1-4 digits. Writes the canonical form (upper case, at least 3 digits:
 * "a23" -> "A023") and returns 1, or returns 0. */
int qrp_parse_number(const char *s, size_t len, char out[QRP_NUMBER_MAX + 1]);
/* 1 when s is a canonical ticket number ("A023"). */
int qrp_valid_number(const char *s);
/* 1 when s is a valid office/kiosk id. */
int qrp_valid_id(const char *s);

const char *qrp_reason_str(enum qrp_reason r);

#endif
