/**
 * @file idcard.h
 * @brief The Thai national ID card's personal data: a pure parser (no PC/SC).
 *
 * The card reader (dev/cardreader.h) reads the raw fields of the personal-data
 * applet and hands each one to idcard_set_field(); this module decodes them
 * (Windows-874 -> UTF-8, `#` slots, Buddhist-era dates, citizen-ID check digit)
 * into fixed-size UTF-8 fields, and renders the `kiosk card --json` object.
 *
 * Personal data (PDPA): a struct idcard must be wiped with idcard_wipe() as soon
 * as it is no longer needed, and nothing in it may reach a log or the disk.
 *
 * Field map (offset, length in the applet's data area), see idcard_fields[]:
 * citizen ID 0x0004/13, Thai name 0x0011/100, English name 0x0075/100, birth
 * 0x00D9/8, gender 0x00E1/1, issuer 0x00F6/100, issue 0x0167/8, expiry
 * 0x016F/8, address 0x1579/160.
 */
#ifndef KIOSK_IDCARD_H
#define KIOSK_IDCARD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Raw lengths on the card (bytes of Windows-874). */
#define IDCARD_CID_RAW 13
#define IDCARD_NAME_RAW 100
#define IDCARD_DATE_RAW 8
#define IDCARD_ISSUER_RAW 100
#define IDCARD_ADDRESS_RAW 160

/* A Windows-874 byte becomes at most 3 UTF-8 bytes (U+0E01.., U+20AC, U+FFFD). */
#define IDCARD_UTF8_MAX(raw) ((raw) * 3 + 1)
#define IDCARD_CID_MAX IDCARD_UTF8_MAX(IDCARD_CID_RAW)          /* garbage kept visible */
#define IDCARD_NAME_MAX IDCARD_UTF8_MAX(IDCARD_NAME_RAW)        /* one name slot */
#define IDCARD_ISSUER_MAX IDCARD_UTF8_MAX(IDCARD_ISSUER_RAW)
#define IDCARD_ADDR_SLOT_MAX IDCARD_UTF8_MAX(IDCARD_ADDRESS_RAW) /* one address slot */
#define IDCARD_ADDR_FULL_MAX IDCARD_UTF8_MAX(IDCARD_ADDRESS_RAW) /* slots joined by spaces */
#define IDCARD_DATE_RAW_MAX IDCARD_UTF8_MAX(IDCARD_DATE_RAW)    /* raw date text for *_raw */
#define IDCARD_MASK_MAX 18 /* "1-1017-xxxxx-xx-5" + NUL */

#define IDCARD_NAME_SLOTS 4 /* prefix # first # middle # last */
#define IDCARD_ADDR_SLOTS 8 /* house # moo # trok # soi # road # subdistrict # district # province */

/* The fields read from the card, in the order the reader fetches them. */
enum idcard_fid {
	IDCARD_F_CID,
	IDCARD_F_NAME_TH,
	IDCARD_F_NAME_EN,
	IDCARD_F_BIRTH,
	IDCARD_F_GENDER,
	IDCARD_F_ISSUER,
	IDCARD_F_ISSUE,
	IDCARD_F_EXPIRY,
	IDCARD_F_ADDRESS,
	IDCARD_F_COUNT
};

struct idcard_field_def {
	const char *name; /* for messages: "citizen ID", ... (never with its value) */
	uint16_t offset;  /* in the personal-data applet's area */
	uint16_t len;     /* bytes; idcard_set_field() wants exactly this many */
};
extern const struct idcard_field_def idcard_fields[IDCARD_F_COUNT];

/* How much of a card date is known. */
enum idcard_prec {
	IDCARD_DATE_INVALID = 0, /* not a date that can exist (or not digits) */
	IDCARD_DATE_FULL,        /* YYYYMMDD */
	IDCARD_DATE_YM,          /* day 00: year and month only */
	IDCARD_DATE_Y,           /* month 00: year only (any day is then ignored) */
	IDCARD_DATE_LIFELONG,    /* 99999999: the expiry of a lifelong card */
};

struct idcard_date {
	enum idcard_prec prec;
	int year;  /* Gregorian (BE - 543); 0 unless FULL/YM/Y */
	int month; /* 1..12; 0 unless FULL/YM */
	int day;   /* 1..31; 0 unless FULL */
	char raw[IDCARD_DATE_RAW_MAX]; /* the card's text (UTF-8), for "*_raw" */
};

enum idcard_gender { IDCARD_GENDER_UNKNOWN = 0, IDCARD_GENDER_MALE, IDCARD_GENDER_FEMALE };

struct idcard_name {
	char prefix[IDCARD_NAME_MAX]; /* นาย / Mr. */
	char first[IDCARD_NAME_MAX];
	char middle[IDCARD_NAME_MAX]; /* usually "" */
	char last[IDCARD_NAME_MAX];
};

struct idcard_address {
	/* The 8 fields (enum below), found by idcard_address_parse(); "" when the card has
	 * none. Never contains a '#'. */
	char slot[IDCARD_ADDR_SLOTS][IDCARD_ADDR_SLOT_MAX];
	char full[IDCARD_ADDR_FULL_MAX]; /* non-empty slots joined by one space, card order */
};
/* Slot indexes of struct idcard_address. */
enum { IDCARD_ADDR_HOUSE, IDCARD_ADDR_MOO, IDCARD_ADDR_TROK, IDCARD_ADDR_SOI, IDCARD_ADDR_ROAD,
       IDCARD_ADDR_SUBDISTRICT, IDCARD_ADDR_DISTRICT, IDCARD_ADDR_PROVINCE };

struct idcard {
	char cid[IDCARD_CID_MAX]; /* as on the card (13 ASCII digits when sane) */
	int cid_valid;            /* 13 digits and the check digit agrees */
	struct idcard_name name_th;
	struct idcard_name name_en;
	struct idcard_date birth;
	enum idcard_gender gender;
	char issuer[IDCARD_ISSUER_MAX];
	struct idcard_date issue;
	struct idcard_date expiry;
	int lifelong; /* expiry is 99999999 */
	struct idcard_address address;
	unsigned fields_set; /* bit (1 << enum idcard_fid) per field given */
};

/* Decodes n bytes of Windows-874 into NUL-terminated UTF-8 (out of outsz bytes).
 * Undefined bytes and control bytes become U+FFFD; 0x00 is kept out of the text
 * (also U+FFFD). Stops (whole characters only) when out is full. Returns the
 * length written. */
size_t idcard_cp874_to_utf8(const uint8_t *in, size_t n, char *out, size_t outsz);

/* Splits n raw bytes at '#' into nslots UTF-8 slots of slotsz bytes each
 * (slots[i * slotsz]). Trailing spaces and NULs of each slot are trimmed; empty
 * slots stay ""; missing slots are ""; surplus '#' stay in the last slot. */
void idcard_split(const uint8_t *in, size_t n, char *slots, size_t nslots, size_t slotsz);

/* Decodes the address field (n raw bytes of Windows-874) into *a. Cards in the field
 * have more or fewer than the 8 `#` slots of the usual layout, so a slot's place is not
 * trusted alone: subdistrict, district and province are anchored at the end, the house
 * number at the start, the others classified by their prefixes (หมู่ที่, ตรอก, ซอย,
 * ถนน; ตำบล/แขวง, อำเภอ/เขต, จังหวัด; abbreviations ม. ซ. ถ. ต. อ. จ.), which stay in
 * the text as on the card. Empty slots are skipped, spaces around a slot trimmed; an
 * unprefixed slot between them goes by its place on a card of at most 8 slots, else
 * with the field before it. Every '#' separates: no field contains one. */
void idcard_address_parse(const uint8_t *in, size_t n, struct idcard_address *a);

/* Parses a Buddhist-era YYYYMMDD (exactly 8 bytes) into *out. Never fails:
 * a bad date gets prec IDCARD_DATE_INVALID (raw kept). Years outside BE
 * 2300..2999 are invalid; 00 day/month mean unknown; 99999999 is LIFELONG. */
void idcard_date_parse(const uint8_t *in, size_t n, struct idcard_date *out);
/* "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" for INVALID and LIFELONG. */
void idcard_date_iso(const struct idcard_date *d, char out[11]);

/* 1 when in[0..n) is 13 ASCII digits whose last one is the check digit:
 * S = sum d[i]*(13-i), i=0..11; check = (11 - S mod 11) mod 10. */
int idcard_cid_check(const char *in, size_t n);
/* The masked citizen ID "1-1017-xxxxx-xx-5": person type, registering office
 * and check digit kept (enough to tell cards apart at the counter), the 7 digits
 * that identify the person hidden. Anything not 13 digits: "x-xxxx-xxxxx-xx-x". */
void idcard_cid_mask(const char *cid, char out[IDCARD_MASK_MAX]);

/* Age in completed years on the Bangkok date y-m-d, or -1 when the birth date is
 * unusable or after that day. An unknown day or month counts as the first of the
 * month / 1 January, the Thai civil-registration convention for people whose
 * birth day is not recorded (so a year-only person turns 60 on 1 January). */
int idcard_age(const struct idcard_date *birth, int y, int m, int d);
/* 1 when the card's last valid day is before y-m-d, 0 when still valid or
 * lifelong, -1 when the expiry date is unusable. A year-only/year-month expiry
 * is valid to the end of that year/month. */
int idcard_expired(const struct idcard *c, int y, int m, int d);

/* Decodes one raw field (exactly idcard_fields[f].len bytes) into c.
 * K_EDEVICE when the length is wrong (nothing of c changes then). */
kst idcard_set_field(struct idcard *c, enum idcard_fid f, const uint8_t *in, size_t n,
		     struct kerr *err);
/* 1 when every field has been set. */
int idcard_complete(const struct idcard *c);

/* The `kiosk card --json` object for the Bangkok day containing `now` (epoch
 * seconds: age and expired). The citizen ID is masked unless reveal. NULL on
 * allocation failure. The caller json_decref()s it. */
json_t *idcard_to_json(const struct idcard *c, int reveal, int64_t now);

/* Zeroes the whole struct in a way the compiler cannot drop (explicit_bzero). */
void idcard_wipe(struct idcard *c);

#endif
