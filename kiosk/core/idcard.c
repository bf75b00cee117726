/**
 * @file idcard.c
 * @brief Thai ID card field decoding: Windows-874, `#` slots, BE dates, check digit.
 */
#include "core/idcard.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"

const struct idcard_field_def idcard_fields[IDCARD_F_COUNT] = {
	[IDCARD_F_CID] = {"citizen ID", 0x0004, IDCARD_CID_RAW},
	[IDCARD_F_NAME_TH] = {"Thai name", 0x0011, IDCARD_NAME_RAW},
	[IDCARD_F_NAME_EN] = {"English name", 0x0075, IDCARD_NAME_RAW},
	[IDCARD_F_BIRTH] = {"date of birth", 0x00D9, IDCARD_DATE_RAW},
	[IDCARD_F_GENDER] = {"gender", 0x00E1, 1},
	[IDCARD_F_ISSUER] = {"card issuer", 0x00F6, IDCARD_ISSUER_RAW},
	[IDCARD_F_ISSUE] = {"issue date", 0x0167, IDCARD_DATE_RAW},
	[IDCARD_F_EXPIRY] = {"expiry date", 0x016F, IDCARD_DATE_RAW},
	[IDCARD_F_ADDRESS] = {"address", 0x1579, IDCARD_ADDRESS_RAW},
};

#define REPLACEMENT 0xFFFDu

/* Windows-874 0x80..0x9F: only a few punctuation marks are defined; 0 = undefined.
 * (glibc's TIS-620 rejects 0x80 and 0xA0, which real cards contain, hence this table.) */
static const uint16_t cp874_80[32] = {
	[0x00] = 0x20AC, /* euro sign */
	[0x05] = 0x2026, /* ellipsis */
	[0x11] = 0x2018, [0x12] = 0x2019, [0x13] = 0x201C, [0x14] = 0x201D,
	[0x15] = 0x2022, [0x16] = 0x2013, [0x17] = 0x2014,
};

static unsigned cp874_cp(uint8_t b)
{
	if (b == 0x00 || b < 0x20 || b == 0x7F)
		return REPLACEMENT; /* control bytes have no business in card text */
	if (b < 0x80)
		return b;
	if (b < 0xA0)
		return cp874_80[b - 0x80] ? cp874_80[b - 0x80] : REPLACEMENT;
	if (b == 0xA0)
		return 0x00A0;
	/* 0xA1..0xDA and 0xDF..0xFB map straight onto the Thai block U+0E01..U+0E5B. */
	if (b <= 0xDA || (b >= 0xDF && b <= 0xFB))
		return 0x0E00u + (b - 0xA0u);
	return REPLACEMENT;
}

size_t idcard_cp874_to_utf8(const uint8_t *in, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	if (!out || outsz == 0)
		return 0;
	for (size_t i = 0; in && i < n; i++) {
		unsigned cp = cp874_cp(in[i]);
		size_t need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
		if (o + need >= outsz)
			break;
		if (need == 1) {
			out[o++] = (char)cp;
		} else if (need == 2) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = 0;
	return o;
}

/* Length of in[0..n) without its padding (cards pad with spaces, some with NULs). */
static size_t trimmed(const uint8_t *in, size_t n)
{
	if (!in)
		return 0;
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == 0x00))
		n--;
	return n;
}

void idcard_split(const uint8_t *in, size_t n, char *slots, size_t nslots, size_t slotsz)
{
	size_t start = 0;

	if (!in)
		n = 0;
	for (size_t s = 0; s < nslots; s++) {
		char *dst = slots + s * slotsz;
		if (start > n) {
			dst[0] = 0;
			continue;
		}
		size_t end = start;
		if (s + 1 < nslots)
			while (end < n && in[end] != '#')
				end++;
		else
			end = n;
		idcard_cp874_to_utf8(in + start, trimmed(in + start, end - start), dst, slotsz);
		start = end + 1;
	}
}

static int two(const uint8_t *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

void idcard_date_parse(const uint8_t *in, size_t n, struct idcard_date *out)
{
	memset(out, 0, sizeof *out);
	idcard_cp874_to_utf8(in, trimmed(in, n > IDCARD_DATE_RAW ? IDCARD_DATE_RAW : n), out->raw,
			     sizeof out->raw);
	if (!in || n != IDCARD_DATE_RAW)
		return;
	for (size_t i = 0; i < IDCARD_DATE_RAW; i++)
		if (in[i] < '0' || in[i] > '9')
			return;
	if (memcmp(in, "99999999", IDCARD_DATE_RAW) == 0) {
		out->prec = IDCARD_DATE_LIFELONG;
		return;
	}
	int be = two(in) * 100 + two(in + 2), m = two(in + 4), d = two(in + 6);
	if (be < 2300 || be > 2999 || m > 12)
		return;
	int y = be - 543;
	if (m == 0) {
		out->prec = IDCARD_DATE_Y;
		out->year = y;
		return;
	}
	if (d == 0) {
		out->prec = IDCARD_DATE_YM;
		out->year = y;
		out->month = m;
		return;
	}
	if (d > kclock_days_in_month(y, m))
		return; /* 29 Feb of a common year, 31 Apr, ... */
	out->prec = IDCARD_DATE_FULL;
	out->year = y;
	out->month = m;
	out->day = d;
}

void idcard_date_iso(const struct idcard_date *dt, char out[11])
{
	/* Ranges are clamped so the compiler can prove the text fits. */
	unsigned y = (unsigned)dt->year % 10000u, m = (unsigned)dt->month % 13u,
		 d = (unsigned)dt->day % 32u;
	switch (dt->prec) {
	case IDCARD_DATE_FULL:
		snprintf(out, 11, "%04u-%02u-%02u", y, m, d);
		break;
	case IDCARD_DATE_YM:
		snprintf(out, 11, "%04u-%02u", y, m);
		break;
	case IDCARD_DATE_Y:
		snprintf(out, 11, "%04u", y);
		break;
	default:
		out[0] = 0;
	}
}

int idcard_cid_check(const char *in, size_t n)
{
	int s = 0;

	if (!in || n != IDCARD_CID_RAW)
		return 0;
	for (size_t i = 0; i < IDCARD_CID_RAW; i++)
		if (in[i] < '0' || in[i] > '9')
			return 0;
	for (int i = 0; i < 12; i++)
		s += (in[i] - '0') * (13 - i);
	return (11 - s % 11) % 10 == in[12] - '0';
}

void idcard_cid_mask(const char *cid, char out[IDCARD_MASK_MAX])
{
	size_t n = cid ? strnlen(cid, IDCARD_CID_MAX) : 0;
	int digits = n == IDCARD_CID_RAW;

	for (size_t i = 0; digits && i < n; i++)
		digits = cid[i] >= '0' && cid[i] <= '9';
	if (!digits) {
		memcpy(out, "x-xxxx-xxxxx-xx-x", IDCARD_MASK_MAX);
		return;
	}
	snprintf(out, IDCARD_MASK_MAX, "%c-%.4s-xxxxx-xx-%c", cid[0], cid + 1, cid[12]);
}

/* The earliest day the (partial) date can stand for. */
static int date_first_day(const struct idcard_date *dt, int *y, int *m, int *d)
{
	switch (dt->prec) {
	case IDCARD_DATE_FULL:
		*y = dt->year, *m = dt->month, *d = dt->day;
		return 0;
	case IDCARD_DATE_YM:
		*y = dt->year, *m = dt->month, *d = 1;
		return 0;
	case IDCARD_DATE_Y:
		*y = dt->year, *m = 1, *d = 1;
		return 0;
	default:
		return -1;
	}
}

int idcard_age(const struct idcard_date *birth, int y, int m, int d)
{
	int by, bm, bd;

	if (!birth || date_first_day(birth, &by, &bm, &bd))
		return -1;
	if (y * 10000 + m * 100 + d < by * 10000 + bm * 100 + bd)
		return -1;
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

int idcard_expired(const struct idcard *c, int y, int m, int d)
{
	const struct idcard_date *e = &c->expiry;
	int ey, em, ed;

	switch (e->prec) {
	case IDCARD_DATE_LIFELONG:
		return 0;
	case IDCARD_DATE_FULL:
		ey = e->year, em = e->month, ed = e->day;
		break;
	case IDCARD_DATE_YM:
		ey = e->year, em = e->month, ed = kclock_days_in_month(e->year, e->month);
		break;
	case IDCARD_DATE_Y:
		ey = e->year, em = 12, ed = 31;
		break;
	default:
		return -1;
	}
	return y * 10000 + m * 100 + d > ey * 10000 + em * 100 + ed;
}

/* --- the address ------------------------------------------------------------------- */

/* 160 raw bytes hold at most 161 '#'-separated slots. */
#define ADDR_PIECES_MAX (IDCARD_ADDRESS_RAW + 1)
#define ADDR_NONE (-1) /* a slot without a known prefix */

/* Prefixes that say which field a slot is, as printed on cards (full and abbreviated).
 * Longer ones first where one begins another (หมู่ที่ before หมู่). `num`: only when a
 * number follows (หมู่ 4, ม.4), since หมู่บ้าน (a village) and ม. (its abbreviation) also
 * begin house and road slots. The province of Bangkok carries no จังหวัด. */
static const struct {
	const char *p;
	int field;
	int num;
} addr_prefixes[] = {
	/* clang-format off: one prefix a line */
	{"หมู่ที่", IDCARD_ADDR_MOO, 0},
	{"หมู่", IDCARD_ADDR_MOO, 1},
	{"ม.", IDCARD_ADDR_MOO, 1},
	{"ตรอก", IDCARD_ADDR_TROK, 0},
	{"ตร.", IDCARD_ADDR_TROK, 0},
	{"ซอย", IDCARD_ADDR_SOI, 0},
	{"ซ.", IDCARD_ADDR_SOI, 0},
	{"ถนน", IDCARD_ADDR_ROAD, 0},
	{"ถ.", IDCARD_ADDR_ROAD, 0},
	{"ตำบล", IDCARD_ADDR_SUBDISTRICT, 0},
	{"แขวง", IDCARD_ADDR_SUBDISTRICT, 0},
	{"ต.", IDCARD_ADDR_SUBDISTRICT, 0},
	{"อำเภอ", IDCARD_ADDR_DISTRICT, 0},
	{"เขต", IDCARD_ADDR_DISTRICT, 0},
	{"อ.", IDCARD_ADDR_DISTRICT, 0},
	{"จังหวัด", IDCARD_ADDR_PROVINCE, 0},
	{"จ.", IDCARD_ADDR_PROVINCE, 0},
	{"กรุงเทพมหานคร", IDCARD_ADDR_PROVINCE, 0},
	{"กรุงเทพฯ", IDCARD_ADDR_PROVINCE, 0},
	/* clang-format on */
};

/* 1 when t starts with an ASCII or a Thai digit (๐..๙ are U+0E50..U+0E59). */
static int starts_with_digit(const char *t)
{
	const unsigned char *u = (const unsigned char *)t;
	return (u[0] >= '0' && u[0] <= '9') ||
	       (u[0] == 0xE0 && u[1] == 0xB9 && u[2] >= 0x90 && u[2] <= 0x99);
}

/* The field a slot's prefix names, or ADDR_NONE. */
static int addr_class(const char *t)
{
	for (size_t i = 0; i < sizeof addr_prefixes / sizeof addr_prefixes[0]; i++) {
		size_t l = strlen(addr_prefixes[i].p);
		if (strncmp(t, addr_prefixes[i].p, l))
			continue;
		const char *rest = t + l;
		while (*rest == ' ')
			rest++;
		if (!addr_prefixes[i].num || starts_with_digit(rest))
			return addr_prefixes[i].field;
	}
	return ADDR_NONE;
}

/* Appends text to a field, one space between pieces; cut whole at the limit. */
static void addr_append(char *dst, size_t cap, const char *text)
{
	size_t o = strlen(dst), l = strlen(text);
	if (!l || o + (o > 0) + l >= cap)
		return; /* cannot happen: every piece comes from the same <= 160 bytes */
	if (o > 0)
		dst[o++] = ' ';
	memcpy(dst + o, text, l + 1);
}

void idcard_address_parse(const uint8_t *in, size_t n, struct idcard_address *a)
{
	struct {
		uint16_t off, len; /* the trimmed slot in in[] */
		uint16_t idx;      /* its slot number on the card */
		int8_t cls;        /* addr_class() */
		int8_t field;      /* where it goes */
	} pc[ADDR_PIECES_MAX];
	char text[IDCARD_ADDR_SLOT_MAX];
	int np = 0, lo = 0, hi, used[IDCARD_ADDR_SLOTS] = {0};

	memset(a, 0, sizeof *a);
	if (!in)
		n = 0;
	/* Every '#' separates (never kept in a field); slots lose the padding and spaces
	 * around them; empty slots are skipped (their position matters only below). */
	for (size_t start = 0, idx = 0; start <= n && np < ADDR_PIECES_MAX; idx++) {
		size_t end = start;
		while (end < n && in[end] != '#')
			end++;
		size_t b = start, e = end;
		while (b < e && (in[b] == ' ' || in[b] == 0x00))
			b++;
		while (e > b && (in[e - 1] == ' ' || in[e - 1] == 0x00))
			e--;
		if (e > b) {
			pc[np].off = (uint16_t)b;
			pc[np].len = (uint16_t)(e - b);
			pc[np].idx = (uint16_t)idx;
			idcard_cp874_to_utf8(in + b, e - b, text, sizeof text);
			pc[np].cls = (int8_t)addr_class(text);
			pc[np].field = ADDR_NONE;
			np++;
		}
		start = end + 1;
	}
	hi = np;
	/* The house number is the first slot, unless that slot names another field. An
	 * empty first slot (no house number) leaves it empty, unless what comes first is
	 * a number. */
	if (np > 0 && pc[0].cls == ADDR_NONE) {
		idcard_cp874_to_utf8(in + pc[0].off, pc[0].len, text, sizeof text);
		if (pc[0].idx == 0 || starts_with_digit(text)) {
			pc[0].field = IDCARD_ADDR_HOUSE;
			lo = 1;
		}
	}
	/* Province, district, subdistrict are anchored at the end: cards differ in how many
	 * slots come before them. A slot whose prefix names a lower level means the higher
	 * one is missing; an unprefixed slot takes the place it stands in. */
	static const int tail[] = {IDCARD_ADDR_PROVINCE, IDCARD_ADDR_DISTRICT, IDCARD_ADDR_SUBDISTRICT};
	for (int t = 0; t < 3 && hi > lo; t++) {
		int c = pc[hi - 1].cls;
		if (c == tail[t] || c == ADDR_NONE) {
			pc[--hi].field = (int8_t)tail[t];
			used[tail[t]] = 1;
		} else if (!(c >= IDCARD_ADDR_SUBDISTRICT && c < tail[t])) {
			break;
		}
	}
	/* Between them: by prefix first ... */
	for (int i = lo; i < hi; i++)
		if (pc[i].cls != ADDR_NONE) {
			pc[i].field = pc[i].cls;
			used[pc[i].cls] = 1;
		}
	/* ... then an unprefixed slot by its place when the card has no more than the 8
	 * slots of the usual layout (extra slots shift every place after them) and that
	 * field is still free, else with the field before it (nothing is dropped). */
	int nslots = np > 0 ? pc[np - 1].idx + 1 : 0;
	for (int i = lo; i < hi; i++) {
		if (pc[i].cls != ADDR_NONE)
			continue;
		int idx = pc[i].idx;
		if (nslots <= IDCARD_ADDR_SLOTS && idx >= IDCARD_ADDR_MOO && idx <= IDCARD_ADDR_ROAD &&
		    !used[idx]) {
			pc[i].field = (int8_t)idx;
			used[idx] = 1;
		} else {
			pc[i].field = i > 0 ? pc[i - 1].field : IDCARD_ADDR_HOUSE;
		}
	}
	for (int i = 0; i < np; i++) {
		idcard_cp874_to_utf8(in + pc[i].off, pc[i].len, text, sizeof text);
		addr_append(a->slot[pc[i].field], sizeof a->slot[0], text);
		addr_append(a->full, sizeof a->full, text);
	}
	explicit_bzero(text, sizeof text);
	explicit_bzero(pc, sizeof pc);
}

kst idcard_set_field(struct idcard *c, enum idcard_fid f, const uint8_t *in, size_t n,
		     struct kerr *err)
{
	if ((unsigned)f >= IDCARD_F_COUNT)
		return kerr_set(err, K_EFAIL, "idcard: no field %d", (int)f);
	if (!in || n != idcard_fields[f].len)
		return kerr_set(err, K_EDEVICE, "ID card: %s is %zu bytes, want %u",
				idcard_fields[f].name, in ? n : 0, idcard_fields[f].len);
	switch (f) {
	case IDCARD_F_CID:
		idcard_cp874_to_utf8(in, trimmed(in, n), c->cid, sizeof c->cid);
		c->cid_valid = idcard_cid_check(c->cid, strlen(c->cid));
		break;
	case IDCARD_F_NAME_TH:
	case IDCARD_F_NAME_EN: {
		struct idcard_name *nm = f == IDCARD_F_NAME_TH ? &c->name_th : &c->name_en;
		char slots[IDCARD_NAME_SLOTS][IDCARD_NAME_MAX];
		idcard_split(in, n, &slots[0][0], IDCARD_NAME_SLOTS, IDCARD_NAME_MAX);
		memcpy(nm->prefix, slots[0], sizeof nm->prefix);
		memcpy(nm->first, slots[1], sizeof nm->first);
		memcpy(nm->middle, slots[2], sizeof nm->middle);
		memcpy(nm->last, slots[3], sizeof nm->last);
		explicit_bzero(slots, sizeof slots);
		break;
	}
	case IDCARD_F_BIRTH:
		idcard_date_parse(in, n, &c->birth);
		break;
	case IDCARD_F_GENDER:
		c->gender = in[0] == '1'   ? IDCARD_GENDER_MALE
			    : in[0] == '2' ? IDCARD_GENDER_FEMALE
					   : IDCARD_GENDER_UNKNOWN;
		break;
	case IDCARD_F_ISSUER:
		idcard_cp874_to_utf8(in, trimmed(in, n), c->issuer, sizeof c->issuer);
		break;
	case IDCARD_F_ISSUE:
		idcard_date_parse(in, n, &c->issue);
		break;
	case IDCARD_F_EXPIRY:
		idcard_date_parse(in, n, &c->expiry);
		c->lifelong = c->expiry.prec == IDCARD_DATE_LIFELONG;
		break;
	case IDCARD_F_ADDRESS:
		idcard_address_parse(in, n, &c->address);
		break;
	default:
		break;
	}
	c->fields_set |= 1u << f;
	return K_OK;
}

int idcard_complete(const struct idcard *c)
{
	return c->fields_set == (1u << IDCARD_F_COUNT) - 1;
}

/* Adds a date as ISO text or null, with "<key>_raw" when the card had text that is
 * not a date (a lifelong card's 99999999 expiry is a meaning, not an error). */
static int add_date(json_t *o, const char *key, const struct idcard_date *dt, int is_expiry)
{
	char iso[11], rawkey[32];
	int rc;

	idcard_date_iso(dt, iso);
	rc = json_object_set_new(o, key, iso[0] ? json_string(iso) : json_null());
	if (!iso[0] && dt->raw[0] && !(is_expiry && dt->prec == IDCARD_DATE_LIFELONG)) {
		snprintf(rawkey, sizeof rawkey, "%s_raw", key);
		rc |= json_object_set_new(o, rawkey, json_string(dt->raw));
	}
	return rc;
}

static json_t *name_json(const struct idcard_name *n)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "prefix", n->prefix, "first", n->first, "middle",
			 n->middle, "last", n->last);
}

json_t *idcard_to_json(const struct idcard *c, int reveal, int64_t now)
{
	static const char *const addr_keys[IDCARD_ADDR_SLOTS] = {
		"house_no", "moo", "trok", "soi", "road", "subdistrict", "district", "province"};
	struct kdate today;
	char mask[IDCARD_MASK_MAX];
	json_t *o = json_object(), *addr = json_object();
	int rc = !o || !addr;

	kclock_bkk(now, &today);
	idcard_cid_mask(c->cid, mask);
	int age = idcard_age(&c->birth, today.year, today.month, today.day);
	int expired = idcard_expired(c, today.year, today.month, today.day);

	rc = rc || json_object_set_new(o, "cid", json_string(reveal ? c->cid : mask));
	rc = rc || json_object_set_new(o, "cid_valid", json_boolean(c->cid_valid));
	rc = rc || json_object_set_new(o, "name_th", name_json(&c->name_th));
	rc = rc || json_object_set_new(o, "name_en", name_json(&c->name_en));
	rc = rc || add_date(o, "birth_date", &c->birth, 0);
	rc = rc || json_object_set_new(o, "age", age >= 0 ? json_integer(age) : json_null());
	rc = rc || json_object_set_new(o, "gender",
				       json_string(c->gender == IDCARD_GENDER_MALE     ? "male"
						   : c->gender == IDCARD_GENDER_FEMALE ? "female"
										: "unknown"));
	rc = rc || json_object_set_new(o, "issuer", json_string(c->issuer));
	rc = rc || add_date(o, "issue_date", &c->issue, 0);
	rc = rc || add_date(o, "expire_date", &c->expiry, 1);
	rc = rc || json_object_set_new(o, "lifelong", json_boolean(c->lifelong));
	rc = rc || json_object_set_new(o, "expired",
				       expired < 0 ? json_null() : json_boolean(expired));
	for (int s = 0; !rc && s < IDCARD_ADDR_SLOTS; s++)
		rc = json_object_set_new(addr, addr_keys[s], json_string(c->address.slot[s]));
	rc = rc || json_object_set_new(addr, "full", json_string(c->address.full));
	if (!rc) {
		rc = json_object_set_new(o, "address", addr);
		addr = NULL;
	}
	json_decref(addr);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void idcard_wipe(struct idcard *c)
{
	if (c)
		explicit_bzero(c, sizeof *c);
}
