/* Fuzz target: the Thai ID card parser (core/idcard.h) on whatever a card or a broken
 * reader may hand over. The input is the nine raw fields end to end (498 bytes, the
 * way the reader slices its READ replies), cut short or overlong as the fuzzer likes;
 * its first byte also steers the odd lengths and buffer sizes of the helper calls.
 * Invariants: nothing reads or writes out of bounds (ASan); every text is valid,
 * NUL-terminated UTF-8 within its limit; wrong lengths are refused without changing the
 * card; the JSON always builds and carries the masked ID unless revealed; a valid
 * check digit really is valid; FULL dates exist; no address field holds a '#';
 * idcard_wipe leaves only zeroes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/idcard.h"

/* Aborts unless s[0..cap) holds a NUL-terminated, valid UTF-8 string. */
static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 0;
		if (!len || i + len > n)
			abort();
		for (size_t k = 1; k < len; k++)
			if (((unsigned char)s[i + k] & 0xC0) != 0x80)
				abort();
		i += len;
	}
}

static void check_date(const struct idcard_date *d)
{
	check_text(d->raw, sizeof d->raw);
	if (d->prec == IDCARD_DATE_FULL &&
	    (d->day < 1 || d->day > kclock_days_in_month(d->year, d->month)))
		abort();
	if ((d->prec == IDCARD_DATE_FULL || d->prec == IDCARD_DATE_YM) && (d->month < 1 || d->month > 12))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idcard c;
	uint8_t field[IDCARD_ADDRESS_RAW + 8];
	size_t pos = 0;
	uint8_t steer = size ? data[0] : 0;

	memset(&c, 0, sizeof c);
	for (int f = 0; f < IDCARD_F_COUNT; f++) {
		size_t len = idcard_fields[f].len;
		size_t take = size - pos < len ? size - pos : len;
		memset(field, ' ', sizeof field);
		if (take)
			memcpy(field, data + pos, take);
		pos += take;
		if (idcard_set_field(&c, (enum idcard_fid)f, field, len, NULL))
			abort();
		/* A wrong length must be refused and leave the card as it was. */
		struct idcard before = c;
		size_t wrong = len + 1 + (steer & 7);
		if (idcard_set_field(&c, (enum idcard_fid)f, field, wrong, NULL) != K_EDEVICE ||
		    memcmp(&before, &c, sizeof c))
			abort();
		if (len > 1 && idcard_set_field(&c, (enum idcard_fid)f, field, len - 1, NULL) != K_EDEVICE)
			abort();
		explicit_bzero(&before, sizeof before);
	}
	if (!idcard_complete(&c))
		abort();

	check_text(c.cid, sizeof c.cid);
	if (c.cid_valid != idcard_cid_check(c.cid, strlen(c.cid)))
		abort();
	const struct idcard_name *names[2] = {&c.name_th, &c.name_en};
	for (int i = 0; i < 2; i++) {
		check_text(names[i]->prefix, sizeof names[i]->prefix);
		check_text(names[i]->first, sizeof names[i]->first);
		check_text(names[i]->middle, sizeof names[i]->middle);
		check_text(names[i]->last, sizeof names[i]->last);
	}
	check_text(c.issuer, sizeof c.issuer);
	/* '#' only separates address slots: no address field ever contains one. */
	for (int s = 0; s < IDCARD_ADDR_SLOTS; s++) {
		check_text(c.address.slot[s], sizeof c.address.slot[s]);
		if (strchr(c.address.slot[s], '#'))
			abort();
	}
	check_text(c.address.full, sizeof c.address.full);
	if (strchr(c.address.full, '#'))
		abort();
	check_date(&c.birth);
	check_date(&c.issue);
	check_date(&c.expiry);
	if (c.lifelong != (c.expiry.prec == IDCARD_DATE_LIFELONG))
		abort();

	/* Any day from 1900 to 2100: the age is -1 or sane, the expiry answer is -1/0/1. */
	int64_t now = kclock_bkk_midnight(1900, 1, 1) +
		      (int64_t)(((unsigned)steer * 2654435761u) % (200u * 366u)) * 86400;
	struct kdate t;
	kclock_bkk(now, &t);
	int age = idcard_age(&c.birth, t.year, t.month, t.day);
	int exp = idcard_expired(&c, t.year, t.month, t.day);
	if (age < -1 || age > 1300 || exp < -1 || exp > 1)
		abort();

	char mask[IDCARD_MASK_MAX];
	idcard_cid_mask(c.cid, mask);
	if (strlen(mask) != IDCARD_MASK_MAX - 1)
		abort();
	for (int reveal = 0; reveal < 2; reveal++) {
		json_t *o = idcard_to_json(&c, reveal, now);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (!s)
			abort();
		const char *cid = json_string_value(json_object_get(o, "cid"));
		if (!cid || strcmp(cid, reveal ? c.cid : mask))
			abort();
		free(s);
		json_decref(o);
	}

	/* The helpers with the fuzzer's own sizes. */
	char small[1 + 37];
	size_t cap = 1 + steer % 37;
	size_t n = idcard_cp874_to_utf8(data, size, small, cap);
	if (n >= cap || small[n] != 0)
		abort();
	check_text(small, cap);
	char slots[5][7];
	idcard_split(data, size, &slots[0][0], 1 + steer % 5, sizeof slots[0]);
	for (unsigned i = 0; i < 1 + steer % 5u; i++)
		check_text(slots[i], sizeof slots[i]);
	struct idcard_date d;
	idcard_date_parse(data, size, &d);
	check_date(&d);
	if (size != IDCARD_DATE_RAW && d.prec != IDCARD_DATE_INVALID)
		abort();

	static const struct idcard zero;
	idcard_wipe(&c);
	if (memcmp(&c, &zero, sizeof c))
		abort();
	return 0;
}
