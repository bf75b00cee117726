/* The Thai ID card parser on recorded card bytes (Windows-874, space padded). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/idcard.h"
#include "tap.h"

/* A raw field as the card holds it: the text, then spaces to the field's length. */
struct raw {
	uint8_t b[IDCARD_ADDRESS_RAW];
	size_t n;
};

static struct raw field(enum idcard_fid f, const char *lit, size_t litlen)
{
	struct raw r;
	r.n = idcard_fields[f].len;
	memset(r.b, ' ', sizeof r.b);
	memcpy(r.b, lit, litlen < r.n ? litlen : r.n);
	return r;
}
#define FIELD(f, lit) field(f, lit, sizeof(lit) - 1)

static void set(struct idcard *c, enum idcard_fid f, struct raw r)
{
	struct kerr err = {0};
	if (idcard_set_field(c, f, r.b, r.n, &err))
		printf("# set_field %d: %s\n", (int)f, err.msg);
}

/* Recorded from the somchai profile (tests/tools/vcard-profiles.json). */
static void load_somchai(struct idcard *c)
{
	memset(c, 0, sizeof *c);
	set(c, IDCARD_F_CID, FIELD(IDCARD_F_CID, "1101700230708"));
	set(c, IDCARD_F_NAME_TH, FIELD(IDCARD_F_NAME_TH, "\xb9\xd2\xc2#\xca\xc1\xaa\xd2\xc2##\xe3\xa8\xb4\xd5"));
	set(c, IDCARD_F_NAME_EN, FIELD(IDCARD_F_NAME_EN, "Mr.#Somchai##Jaidee"));
	set(c, IDCARD_F_BIRTH, FIELD(IDCARD_F_BIRTH, "25080714"));
	set(c, IDCARD_F_GENDER, FIELD(IDCARD_F_GENDER, "1"));
	set(c, IDCARD_F_ISSUER,
	    FIELD(IDCARD_F_ISSUER, "\xb7\xe9\xcd\xa7\xb6\xd4\xe8\xb9\xe0\xa2\xb5\xba\xd2\xa7\xe1\xa4/"
				   "\xa1\xc3\xd8\xa7\xe0\xb7\xbe\xc1\xcb\xd2\xb9\xa4\xc3"));
	set(c, IDCARD_F_ISSUE, FIELD(IDCARD_F_ISSUE, "25650301"));
	set(c, IDCARD_F_EXPIRY, FIELD(IDCARD_F_EXPIRY, "99999999"));
	set(c, IDCARD_F_ADDRESS,
	    FIELD(IDCARD_F_ADDRESS,
		  "99/1#\xcb\xc1\xd9\xe8\xb7\xd5\xe8 4##\xab\xcd\xc2\xe0\xbe\xaa\xc3\xe0\xa1\xc9\xc1 69#"
		  "\xb6\xb9\xb9\xe0\xbe\xaa\xc3\xe0\xa1\xc9\xc1#\xe1\xa2\xc7\xa7\xcb\xc5\xd1\xa1\xca\xcd\xa7#"
		  "\xe0\xa2\xb5\xba\xd2\xa7\xe1\xa4#\xa1\xc3\xd8\xa7\xe0\xb7\xbe\xc1\xcb\xd2\xb9\xa4\xc3"));
}

static void test_cp874(void)
{
	char out[64];
	uint8_t b;

	b = 0xA1;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "ก", "0xA1 is ก (U+0E01)");
	b = 0xDA;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "\u0e3a", "0xDA is phinthu (U+0E3A)");
	b = 0xDF;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "฿", "0xDF is the baht sign");
	b = 0xFB;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "\u0e5b", "0xFB is U+0E5B");
	b = 0x80;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "€", "0x80 is the euro sign (glibc TIS-620 rejects it)");
	b = 0xA0;
	idcard_cp874_to_utf8(&b, 1, out, sizeof out);
	IS_STR(out, "\u00a0", "0xA0 is a no-break space (glibc TIS-620 rejects it)");
	idcard_cp874_to_utf8((const uint8_t *)"\x85\x91\x92\x93\x94\x95\x96\x97", 8, out, sizeof out);
	IS_STR(out, "…‘’“”•–—", "0x85 and 0x91..0x97 are punctuation");

	int undefined = 0, thai = 0;
	for (int i = 0x80; i <= 0xFF; i++) {
		b = (uint8_t)i;
		idcard_cp874_to_utf8(&b, 1, out, sizeof out);
		undefined += !strcmp(out, "\ufffd");
		thai += (unsigned char)out[0] == 0xE0 && (unsigned char)out[1] == 0xB8 + (i >= 0xE0);
	}
	IS_INT(undefined, 31, "31 undefined Windows-874 bytes become U+FFFD");
	IS_INT(thai, 87, "87 bytes map into the Thai block");
	idcard_cp874_to_utf8((const uint8_t *)"a\x01" "b\x7f" "c", 5, out, sizeof out);
	IS_STR(out, "a\ufffdb\ufffdc", "control bytes become U+FFFD");
	idcard_cp874_to_utf8((const uint8_t *)"a\0b", 3, out, sizeof out);
	IS_STR(out, "a\ufffdb", "an inner NUL does not cut the text");

	char small[5];
	size_t n = idcard_cp874_to_utf8((const uint8_t *)"\xca\xc1\xaa", 3, small, sizeof small);
	IS_INT(n, 3, "a full buffer keeps whole characters only");
	IS_STR(small, "ส", "... and stays NUL-terminated");
	IS_INT(idcard_cp874_to_utf8((const uint8_t *)"x", 1, small, 0), 0, "size 0: nothing written");
	IS_INT(idcard_cp874_to_utf8(NULL, 5, small, sizeof small), 0, "NULL input: empty text");
	IS_STR(small, "", "... NUL-terminated");
}

static void test_split(void)
{
	char s[4][IDCARD_NAME_MAX];
	const char *th = "\xb9\xd2\xc2#\xca\xc1\xaa\xd2\xc2##\xe3\xa8\xb4\xd5      ";

	idcard_split((const uint8_t *)th, strlen(th), &s[0][0], 4, IDCARD_NAME_MAX);
	IS_STR(s[0], "นาย", "Thai prefix");
	IS_STR(s[1], "สมชาย", "Thai first name");
	IS_STR(s[2], "", "empty middle slot kept");
	IS_STR(s[3], "ใจดี", "Thai last name, trailing spaces trimmed");

	idcard_split((const uint8_t *)"Mr.  #Som chai  #\0\0#Jai#dee\0\0  ", 31, &s[0][0], 4,
		     IDCARD_NAME_MAX);
	IS_STR(s[0], "Mr.", "trailing spaces trimmed per slot");
	IS_STR(s[1], "Som chai", "inner space kept");
	IS_STR(s[2], "", "a NUL-padded slot is empty");
	IS_STR(s[3], "Jai#dee", "surplus # stay in the last slot");

	idcard_split((const uint8_t *)"  Mr.#A", 7, &s[0][0], 4, IDCARD_NAME_MAX);
	IS_STR(s[0], "  Mr.", "leading spaces are not padding");
	IS_STR(s[2], "", "missing slots are empty");
	IS_STR(s[3], "", "... all of them");
	idcard_split((const uint8_t *)"", 0, &s[0][0], 4, IDCARD_NAME_MAX);
	IS_STR(s[0], "", "empty field: empty slots");
	idcard_split((const uint8_t *)"###", 3, &s[0][0], 4, IDCARD_NAME_MAX);
	OK(!s[0][0] && !s[1][0] && !s[2][0] && !s[3][0], "only separators: four empty slots");
}

static void date(const char *raw, struct idcard_date *d)
{
	idcard_date_parse((const uint8_t *)raw, strlen(raw), d);
}

static void test_dates(void)
{
	struct idcard_date d;
	char iso[11];

	date("25080714", &d);
	IS_INT(d.prec, IDCARD_DATE_FULL, "25080714 is a full date");
	idcard_date_iso(&d, iso);
	IS_STR(iso, "1965-07-14", "BE 2508 is 1965");
	date("24900000", &d);
	IS_INT(d.prec, IDCARD_DATE_Y, "24900000: year only");
	idcard_date_iso(&d, iso);
	IS_STR(iso, "1947", "... as \"1947\", never a calendar day");
	OK(d.month == 0 && d.day == 0, "... month and day stay 0");
	date("24950700", &d);
	idcard_date_iso(&d, iso);
	IS_INT(d.prec, IDCARD_DATE_YM, "24950700: year and month");
	IS_STR(iso, "1952-07", "... as \"1952-07\"");
	date("25470015", &d);
	IS_INT(d.prec, IDCARD_DATE_Y, "unknown month with a day: year only");
	date("99999999", &d);
	IS_INT(d.prec, IDCARD_DATE_LIFELONG, "99999999 is lifelong, not a crash");
	idcard_date_iso(&d, iso);
	IS_STR(iso, "", "... and has no ISO form");
	date("25660229", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "29 Feb 2023 (BE 2566) does not exist");
	IS_STR(d.raw, "25660229", "... its raw text is kept");
	date("25430229", &d);
	IS_INT(d.prec, IDCARD_DATE_FULL, "29 Feb 2000 (BE 2543, divisible by 400) exists");
	date("24430229", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "29 Feb 1900 (BE 2443, century) does not");
	date("25470229", &d);
	IS_INT(d.prec, IDCARD_DATE_FULL, "29 Feb 2004 exists");
	date("25670431", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "31 April");
	date("25671301", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "month 13");
	date("25670132", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "day 32");
	date("2567O101", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "a letter O");
	date("00000000", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "all zero");
	date("19990101", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "a Gregorian year where BE belongs");
	date("        ", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "blank");
	IS_STR(d.raw, "", "... raw trimmed to empty");
	date("2567010", &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "7 bytes");
	idcard_date_parse((const uint8_t *)"\x80\xa0" "670101", 8, &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "garbage bytes");
	IS_STR(d.raw, "€\u00a0670101", "... raw decoded as UTF-8");
	idcard_date_parse(NULL, 8, &d);
	IS_INT(d.prec, IDCARD_DATE_INVALID, "NULL input");
}

static void test_cid(void)
{
	IS_INT(idcard_cid_check("1101700230708", 13), 1, "check digit 8 is right");
	IS_INT(idcard_cid_check("1101700230705", 13), 0, "the contract's example has a wrong check digit");
	IS_INT(idcard_cid_check("3100500123458", 13), 1, "another valid ID");
	IS_INT(idcard_cid_check("110170023070", 12), 0, "12 digits");
	IS_INT(idcard_cid_check("11017002307080", 14), 0, "14 digits");
	IS_INT(idcard_cid_check("110170023070A", 13), 0, "a letter");
	IS_INT(idcard_cid_check(NULL, 13), 0, "NULL");

	/* Exactly one check digit fits each 12-digit stem (a few thousand stems). */
	int bad = 0;
	char id[14] = "0000000000000";
	for (unsigned seed = 1; seed < 3000; seed++) {
		unsigned v = seed * 2654435761u;
		for (int i = 0; i < 12; i++, v = v * 1103515245u + 12345u)
			id[i] = (char)('0' + (v >> 16) % 10);
		int fits = 0;
		for (char c = '0'; c <= '9'; c++) {
			id[12] = c;
			fits += idcard_cid_check(id, 13);
		}
		bad += fits != 1;
	}
	IS_INT(bad, 0, "one check digit per stem");

	char m[IDCARD_MASK_MAX];
	idcard_cid_mask("1101700230708", m);
	IS_STR(m, "1-1017-xxxxx-xx-8", "mask keeps type, office and check digit");
	OK(!strstr(m, "0023070"), "mask hides the person's digits");
	idcard_cid_mask("11017002307", m);
	IS_STR(m, "x-xxxx-xxxxx-xx-x", "a short ID is masked entirely");
	idcard_cid_mask("1101700230\xe0\xb8\x81", m);
	IS_STR(m, "x-xxxx-xxxxx-xx-x", "non-digits are masked entirely");
	idcard_cid_mask(NULL, m);
	IS_STR(m, "x-xxxx-xxxxx-xx-x", "NULL is masked");
}

static void test_age_expiry(void)
{
	struct idcard_date d;
	struct idcard c = {0};

	date("25080714", &d);
	IS_INT(idcard_age(&d, 2026, 7, 13), 60, "the day before the 61st birthday: 60");
	IS_INT(idcard_age(&d, 2026, 7, 14), 61, "on the birthday: 61");
	IS_INT(idcard_age(&d, 1965, 7, 14), 0, "born today: 0");
	IS_INT(idcard_age(&d, 1965, 7, 13), -1, "not born yet: -1");
	date("25430229", &d);
	IS_INT(idcard_age(&d, 2026, 2, 28), 25, "leap-day birthday, common year, 28 Feb: 25");
	IS_INT(idcard_age(&d, 2026, 3, 1), 26, "... 1 March: 26");
	IS_INT(idcard_age(&d, 2028, 2, 29), 28, "... leap year, 29 Feb: 28");
	date("24900000", &d);
	IS_INT(idcard_age(&d, 2026, 1, 1), 79, "year only counts from 1 January");
	IS_INT(idcard_age(&d, 2025, 12, 31), 78, "... the day before: 78");
	date("24950700", &d);
	IS_INT(idcard_age(&d, 2026, 6, 30), 73, "year-month counts from the 1st");
	IS_INT(idcard_age(&d, 2026, 7, 1), 74, "... on 1 July: 74");
	date("25660229", &d);
	IS_INT(idcard_age(&d, 2026, 7, 1), -1, "impossible birth date: no age");
	date("99999999", &d);
	IS_INT(idcard_age(&d, 2026, 7, 1), -1, "99999999 birth: no age");

	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"25730228", 8, NULL);
	IS_INT(idcard_expired(&c, 2030, 2, 28), 0, "valid on its last day");
	IS_INT(idcard_expired(&c, 2030, 3, 1), 1, "expired the day after");
	IS_INT(c.lifelong, 0, "a dated card is not lifelong");
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"99999999", 8, NULL);
	IS_INT(idcard_expired(&c, 2199, 1, 1), 0, "lifelong never expires");
	IS_INT(c.lifelong, 1, "99999999 sets lifelong");
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"25750431", 8, NULL);
	IS_INT(idcard_expired(&c, 2026, 1, 1), -1, "impossible expiry: unknown");
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"25730200", 8, NULL);
	IS_INT(idcard_expired(&c, 2030, 2, 28), 0, "year-month expiry: valid to the month's end");
	IS_INT(idcard_expired(&c, 2030, 3, 1), 1, "... then expired");
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"25730000", 8, NULL);
	IS_INT(idcard_expired(&c, 2030, 12, 31), 0, "year expiry: valid to 31 December");
	IS_INT(idcard_expired(&c, 2031, 1, 1), 1, "... then expired");
}

static const char *jstr(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void test_card(void)
{
	struct idcard c;
	struct kerr err = {0};
	int64_t now;

	load_somchai(&c);
	OK(idcard_complete(&c), "all nine fields set");
	IS_STR(c.cid, "1101700230708", "citizen ID");
	IS_INT(c.cid_valid, 1, "... valid");
	IS_STR(c.name_th.first, "สมชาย", "Thai first name");
	IS_STR(c.name_en.last, "Jaidee", "English last name");
	IS_STR(c.name_en.middle, "", "no middle name");
	IS_INT(c.gender, IDCARD_GENDER_MALE, "male");
	IS_STR(c.issuer, "ท้องถิ่นเขตบางแค/กรุงเทพมหานคร", "issuer");
	IS_STR(c.address.slot[IDCARD_ADDR_MOO], "หมู่ที่ 4", "moo");
	IS_STR(c.address.slot[IDCARD_ADDR_TROK], "", "empty trok kept");
	IS_STR(c.address.slot[IDCARD_ADDR_PROVINCE], "กรุงเทพมหานคร", "province");
	IS_STR(c.address.full,
	       "99/1 หมู่ที่ 4 ซอยเพชรเกษม 69 ถนนเพชรเกษม แขวงหลักสอง เขตบางแค กรุงเทพมหานคร",
	       "full address joins the non-empty slots");

	uint8_t shortbuf[12] = "110170023070";
	struct idcard before = c;
	IS_INT(idcard_set_field(&c, IDCARD_F_CID, shortbuf, sizeof shortbuf, &err), K_EDEVICE,
	       "a 12-byte citizen ID is refused");
	OK(strstr(err.msg, "citizen ID") && !strstr(err.msg, "1101700"),
	   "... the message names the field, not the value");
	OK(!memcmp(&before, &c, sizeof c), "... and changes nothing");
	uint8_t big[IDCARD_ADDRESS_RAW + 1] = {0};
	IS_INT(idcard_set_field(&c, IDCARD_F_ADDRESS, big, sizeof big, &err), K_EDEVICE,
	       "161-byte address refused");
	IS_INT(idcard_set_field(&c, IDCARD_F_COUNT, shortbuf, 1, &err), K_EFAIL, "no such field");
	IS_INT(idcard_set_field(&c, IDCARD_F_GENDER, NULL, 1, &err), K_EDEVICE, "NULL bytes refused");

	struct idcard part = {0};
	idcard_set_field(&part, IDCARD_F_CID, (const uint8_t *)"1101700230708", 13, NULL);
	OK(!idcard_complete(&part), "one field is not a complete card");

	/* 2026-07-13 17:30 UTC is already 14 July in Bangkok: the birthday. */
	kclock_parse_iso("2026-07-13T17:30:00Z", &now);
	json_t *o = idcard_to_json(&c, 0, now);
	IS_STR(jstr(o, "cid", NULL), "1-1017-xxxxx-xx-8", "JSON: masked citizen ID by default");
	char *s = json_dumps(o, 0);
	OK(s && !strstr(s, "1101700230708"), "JSON: the full ID appears nowhere");
	free(s);
	IS_INT(json_integer_value(json_object_get(o, "age")), 61, "JSON: age on the Bangkok date");
	IS_STR(jstr(o, "birth_date", NULL), "1965-07-14", "JSON: Gregorian ISO birth date");
	OK(json_is_null(json_object_get(o, "expire_date")), "JSON: lifelong expiry is null");
	OK(!json_object_get(o, "expire_date_raw"), "JSON: ... without a raw text");
	OK(json_is_true(json_object_get(o, "lifelong")), "JSON: lifelong true");
	OK(json_is_false(json_object_get(o, "expired")), "JSON: not expired");
	IS_STR(jstr(o, "gender", NULL), "male", "JSON: gender");
	IS_STR(jstr(o, "name_th", "prefix"), "นาย", "JSON: Thai prefix");
	IS_STR(jstr(o, "name_en", "middle"), "", "JSON: empty middle name is \"\"");
	IS_STR(jstr(o, "address", "soi"), "ซอยเพชรเกษม 69", "JSON: soi");
	IS_STR(jstr(o, "address", "house_no"), "99/1", "JSON: house number");
	IS_STR(jstr(o, "issue_date", NULL), "2022-03-01", "JSON: issue date");
	json_decref(o);
	o = idcard_to_json(&c, 1, now);
	IS_STR(jstr(o, "cid", NULL), "1101700230708", "JSON --reveal: the full ID");
	json_decref(o);

	/* A card with the faults the contract names. */
	idcard_set_field(&c, IDCARD_F_BIRTH, (const uint8_t *)"25660229", 8, NULL);
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"25600101", 8, NULL);
	idcard_set_field(&c, IDCARD_F_GENDER, (const uint8_t *)"9", 1, NULL);
	idcard_set_field(&c, IDCARD_F_ISSUE, (const uint8_t *)"24900000", 8, NULL);
	o = idcard_to_json(&c, 0, now);
	OK(json_is_null(json_object_get(o, "birth_date")), "JSON: impossible birth date is null");
	IS_STR(jstr(o, "birth_date_raw", NULL), "25660229", "JSON: ... with birth_date_raw");
	OK(json_is_null(json_object_get(o, "age")), "JSON: no age then");
	IS_STR(jstr(o, "gender", NULL), "unknown", "JSON: gender 9 is unknown");
	IS_STR(jstr(o, "issue_date", NULL), "1947", "JSON: year-only date is \"YYYY\"");
	IS_STR(jstr(o, "expire_date", NULL), "2017-01-01", "JSON: expiry date");
	OK(json_is_true(json_object_get(o, "expired")), "JSON: expired");
	OK(json_is_false(json_object_get(o, "lifelong")), "JSON: not lifelong");
	json_decref(o);
	idcard_set_field(&c, IDCARD_F_EXPIRY, (const uint8_t *)"2560XX01", 8, NULL);
	o = idcard_to_json(&c, 0, now);
	OK(json_is_null(json_object_get(o, "expired")), "JSON: unreadable expiry: expired is null");
	IS_STR(jstr(o, "expire_date_raw", NULL), "2560XX01", "JSON: ... expire_date_raw");
	json_decref(o);

	/* Wiping leaves nothing behind. */
	static const struct idcard zero;
	load_somchai(&c);
	idcard_wipe(&c);
	OK(!memcmp(&c, &zero, sizeof c), "idcard_wipe zeroes every byte");
	idcard_wipe(NULL);
	OK(1, "idcard_wipe(NULL) is harmless");
}

/* UTF-8 (ASCII and the Thai block) -> Windows-874, as the card holds it: lets the
 * address table below be written in Thai. */
static struct raw cp874_field(enum idcard_fid f, const char *utf8)
{
	struct raw r;
	const unsigned char *u = (const unsigned char *)utf8;
	size_t o = 0;

	r.n = idcard_fields[f].len;
	memset(r.b, ' ', sizeof r.b);
	while (*u && o < r.n) {
		if (u[0] == 0xE0 && (u[1] == 0xB8 || u[1] == 0xB9) && u[2]) {
			unsigned cp = ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu) | 0x0E00u;
			r.b[o++] = (uint8_t)(cp - 0x0E00u + 0xA0u);
			u += 3;
		} else if (u[0] == 0xC2 && u[1] == 0xA0) {
			r.b[o++] = 0xA0;
			u += 2;
		} else {
			r.b[o++] = *u++;
		}
	}
	return r;
}

/* Addresses shaped like the ones cards in the field carry: the usual 8 slots, fewer
 * (no moo/trok slots at all), more (a village or building slot, a trailing '#'), empty
 * slots, spaces around slots, abbreviated prefixes. Prefixes stay as on the card. */
static const struct addr_case {
	const char *about, *raw;
	const char *f[IDCARD_ADDR_SLOTS]; /* house moo trok soi road sub district province */
} addr_cases[] = {
	{"8 slots, Bangkok",
	 "99/1#หมู่ที่ 4##ซอยเพชรเกษม 69#ถนนเพชรเกษม#แขวงหลักสอง#เขตบางแค#กรุงเทพมหานคร",
	 {"99/1", "หมู่ที่ 4", "", "ซอยเพชรเกษม 69", "ถนนเพชรเกษม", "แขวงหลักสอง", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"8 slots, a province with ตำบล/อำเภอ/จังหวัด",
	 "12#หมู่ที่ 7#ตรอกวัดใหม่#ซอยสุขใจ#ถนนพระราม 2#ตำบลบางน้ำจืด#อำเภอเมืองสมุทรสาคร#จังหวัดสมุทรสาคร",
	 {"12", "หมู่ที่ 7", "ตรอกวัดใหม่", "ซอยสุขใจ", "ถนนพระราม 2", "ตำบลบางน้ำจืด", "อำเภอเมืองสมุทรสาคร", "จังหวัดสมุทรสาคร"}},
	{"8 slots, moo/trok/soi empty",
	 "88/8####ถนนบางแวก#แขวงบางไผ่#เขตบางแค#กรุงเทพมหานคร",
	 {"88/8", "", "", "", "ถนนบางแวก", "แขวงบางไผ่", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"7 slots: no trok slot",
	 "5#หมู่ที่ 2#ซอยร่มไทร#ถนนสุวรรณศร#ตำบลหน้าเมือง#อำเภอเมืองปราจีนบุรี#จังหวัดปราจีนบุรี",
	 {"5", "หมู่ที่ 2", "", "ซอยร่มไทร", "ถนนสุวรรณศร", "ตำบลหน้าเมือง", "อำเภอเมืองปราจีนบุรี", "จังหวัดปราจีนบุรี"}},
	{"7 slots: no moo (Bangkok)",
	 "45/12##ซอยกาญจนาภิเษก 8#ถนนกาญจนาภิเษก#แขวงบางแคเหนือ#เขตบางแค#กรุงเทพมหานคร",
	 {"45/12", "", "", "ซอยกาญจนาภิเษก 8", "ถนนกาญจนาภิเษก", "แขวงบางแคเหนือ", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"5 slots: house, road, the three at the end",
	 "7#ถนนอู่ทอง#ตำบลประตูชัย#อำเภอพระนครศรีอยุธยา#จังหวัดพระนครศรีอยุธยา",
	 {"7", "", "", "", "ถนนอู่ทอง", "ตำบลประตูชัย", "อำเภอพระนครศรีอยุธยา", "จังหวัดพระนครศรีอยุธยา"}},
	{"4 slots: house and the three at the end, unprefixed",
	 "3#บางปลาสร้อย#เมืองชลบุรี#ชลบุรี",
	 {"3", "", "", "", "", "บางปลาสร้อย", "เมืองชลบุรี", "ชลบุรี"}},
	{"9 slots: a village slot after the moo (kept with it)",
	 "19/9#หมู่ที่ 3#หมู่บ้านสุขสันต์##ซอยบางแวก 5#ถนนบางแวก#แขวงบางไผ่#เขตบางแค#กรุงเทพมหานคร",
	 {"19/9", "หมู่ที่ 3 หมู่บ้านสุขสันต์", "", "ซอยบางแวก 5", "ถนนบางแวก", "แขวงบางไผ่", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"9 slots: a trailing '#' (empty 9th slot)",
	 "1#หมู่ที่ 1###ถนนอินทยงยศ#ตำบลในเมือง#อำเภอเมืองลำพูน#จังหวัดลำพูน#",
	 {"1", "หมู่ที่ 1", "", "", "ถนนอินทยงยศ", "ตำบลในเมือง", "อำเภอเมืองลำพูน", "จังหวัดลำพูน"}},
	{"10 slots: a building and a floor after the house number",
	 "301#อาคารสุขใจ#ชั้น 5#หมู่ที่ 1##ซอยเพชรเกษม 81#ถนนเพชรเกษม#แขวงหนองค้างพลู#เขตหนองแขม#กรุงเทพมหานคร",
	 {"301 อาคารสุขใจ ชั้น 5", "หมู่ที่ 1", "", "ซอยเพชรเกษม 81", "ถนนเพชรเกษม", "แขวงหนองค้างพลู", "เขตหนองแขม", "กรุงเทพมหานคร"}},
	{"10 slots: two trailing empty slots",
	 "7#หมู่ที่ 9###ถนนกาญจนาภิเษก#แขวงหลักสอง#เขตบางแค#กรุงเทพมหานคร##",
	 {"7", "หมู่ที่ 9", "", "", "ถนนกาญจนาภิเษก", "แขวงหลักสอง", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"spaces around slots and padding",
	 "  99/1 # หมู่ที่ 4 #  # ซอยเพชรเกษม 69 # ถนนเพชรเกษม # แขวงหลักสอง # เขตบางแค # กรุงเทพมหานคร   ",
	 {"99/1", "หมู่ที่ 4", "", "ซอยเพชรเกษม 69", "ถนนเพชรเกษม", "แขวงหลักสอง", "เขตบางแค", "กรุงเทพมหานคร"}},
	{"abbreviated prefixes",
	 "5/3#ม.2#ตร.ข้าวสาร#ซ.1#ถ.สุขุมวิท#ต.บางพระ#อ.ศรีราชา#จ.ชลบุรี",
	 {"5/3", "ม.2", "ตร.ข้าวสาร", "ซ.1", "ถ.สุขุมวิท", "ต.บางพระ", "อ.ศรีราชา", "จ.ชลบุรี"}},
	{"no house number (empty first slot)",
	 "#หมู่ที่ 6###ถนนมิตรภาพ#ตำบลในเมือง#อำเภอเมืองนครราชสีมา#จังหวัดนครราชสีมา",
	 {"", "หมู่ที่ 6", "", "", "ถนนมิตรภาพ", "ตำบลในเมือง", "อำเภอเมืองนครราชสีมา", "จังหวัดนครราชสีมา"}},
	{"no province slot: district and subdistrict still found by prefix",
	 "9#หมู่ที่ 1###ถนนสายเอเชีย#ตำบลบางปะหัน#อำเภอบางปะหัน",
	 {"9", "หมู่ที่ 1", "", "", "ถนนสายเอเชีย", "ตำบลบางปะหัน", "อำเภอบางปะหัน", ""}},
	{"หมู่ 4 without ที่",
	 "11#หมู่ 4#ซอยวัดใหม่#ถนนเศรษฐกิจ#ตำบลท่าทราย#อำเภอเมืองสมุทรสาคร#จังหวัดสมุทรสาคร",
	 {"11", "หมู่ 4", "", "ซอยวัดใหม่", "ถนนเศรษฐกิจ", "ตำบลท่าทราย", "อำเภอเมืองสมุทรสาคร", "จังหวัดสมุทรสาคร"}},
	{"every slot empty", "#######", {"", "", "", "", "", "", "", ""}},
	{"nothing at all", "", {"", "", "", "", "", "", "", ""}},
	{"many '#'", "1#############################################ตำบลA#อำเภอB#จังหวัดC#####",
	 {"1", "", "", "", "", "ตำบลA", "อำเภอB", "จังหวัดC"}},
};

static void test_address(void)
{
	static const char *const names[IDCARD_ADDR_SLOTS] = {"house", "moo", "trok", "soi", "road",
							     "subdistrict", "district", "province"};
	struct idcard c = {0};

	for (size_t k = 0; k < sizeof addr_cases / sizeof addr_cases[0]; k++) {
		const struct addr_case *t = &addr_cases[k];
		set(&c, IDCARD_F_ADDRESS, cp874_field(IDCARD_F_ADDRESS, t->raw));
		for (int f = 0; f < IDCARD_ADDR_SLOTS; f++)
			IS_STR(c.address.slot[f], t->f[f], "%s: %s", t->about, names[f]);
		/* full: the card's non-empty slots, trimmed, in card order, one space apart */
		char want[IDCARD_ADDR_FULL_MAX] = "";
		size_t o = 0;
		for (const char *p = t->raw; *p;) {
			const char *e = strchr(p, '#');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			while (l && *p == ' ')
				p++, l--;
			while (l && p[l - 1] == ' ')
				l--;
			if (l) {
				if (o)
					want[o++] = ' ';
				memcpy(want + o, p, l);
				o += l;
				want[o] = 0;
			}
			p = e ? e + 1 : p + l;
			if (!e)
				break;
		}
		IS_STR(c.address.full, want, "%s: the full line", t->about);
	}
	/* Every field of every table row and of all-'#' / all-byte inputs: never a '#'. */
	uint8_t b[IDCARD_ADDRESS_RAW];
	int hash = 0;
	for (int round = 0; round < 256; round++) {
		for (int i = 0; i < IDCARD_ADDRESS_RAW; i++)
			b[i] = (uint8_t)((i * 7 + round * 13) % 5 == 0 ? '#' : 0xA1 + (i + round) % 60);
		idcard_set_field(&c, IDCARD_F_ADDRESS, b, sizeof b, NULL);
		for (int f = 0; f < IDCARD_ADDR_SLOTS; f++)
			hash += !!strchr(c.address.slot[f], '#');
		hash += !!strchr(c.address.full, '#');
	}
	IS_INT(hash, 0, "256 generated addresses: no field ever contains '#'");
	idcard_wipe(&c);
}

static void test_edge_profile(void)
{
	struct idcard c = {0};

	set(&c, IDCARD_F_NAME_EN, FIELD(IDCARD_F_NAME_EN, "Mr.#Som\x80" "chai\xa0##Jai\xdb" "dee\xff"));
	IS_STR(c.name_en.first, "Som€chai\u00a0", "0x80 and a trailing 0xA0 survive (0xA0 is not padding)");
	IS_STR(c.name_en.last, "Jai\ufffddee\ufffd", "undefined 0xDB/0xFF become U+FFFD");
	set(&c, IDCARD_F_NAME_TH, FIELD(IDCARD_F_NAME_TH, "\xb9\xd2\xc2#\xca\xc1\x85\xa0\xaa\xd2\xc2##\xe3\xa8\xdf\xb4\xd5"));
	IS_STR(c.name_th.first, "สม…\u00a0ชาย", "Thai with 0x85 and 0xA0 inside");
	IS_STR(c.name_th.last, "ใจ฿ดี", "baht sign 0xDF");
	set(&c, IDCARD_F_ADDRESS,
	    FIELD(IDCARD_F_ADDRESS, "99/1#\xa0#\xab\xcd\xc2###\xe0\xa2\xb5\xba\xd2\xa7\xe1\xa4#"
				    "\xa1\xc3\xd8\xa7\xe0\xb7\xbe\xc1\xcb\xd2\xb9\xa4\xc3\0\0\0\0\0\0\0\0"));
	IS_STR(c.address.slot[IDCARD_ADDR_MOO], "\u00a0", "an NBSP-only slot is kept (in moo's place)");
	IS_STR(c.address.slot[IDCARD_ADDR_SOI], "ซอย", "a bare ซอย is the soi");
	IS_STR(c.address.slot[IDCARD_ADDR_SUBDISTRICT], "", "7 slots, no subdistrict: empty");
	IS_STR(c.address.slot[IDCARD_ADDR_DISTRICT], "เขตบางแค", "7 slots: district anchored at the end");
	IS_STR(c.address.slot[IDCARD_ADDR_PROVINCE], "กรุงเทพมหานคร",
	       "7 slots: province is the last slot (NUL then space padding trimmed)");

	/* Every byte value in every text field: valid UTF-8 out, never longer than the limit. */
	uint8_t all[IDCARD_ADDRESS_RAW];
	int bad = 0;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < IDCARD_ADDRESS_RAW; i++)
			all[i] = (uint8_t)(round ? 0xFF - i : 0x60 + i);
		idcard_set_field(&c, IDCARD_F_ADDRESS, all, sizeof all, NULL);
		idcard_set_field(&c, IDCARD_F_ISSUER, all, IDCARD_ISSUER_RAW, NULL);
		json_t *o = idcard_to_json(&c, 1, 0);
		bad += !o;
		json_decref(o);
	}
	IS_INT(bad, 0, "JSON builds from all-bytes text (jansson accepts the UTF-8)");
	idcard_wipe(&c);
}

int main(void)
{
	test_cp874();
	test_split();
	test_dates();
	test_cid();
	test_age_expiry();
	test_card();
	test_edge_profile();
	test_address();
	return tap_done();
}
