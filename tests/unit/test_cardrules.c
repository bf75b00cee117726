/* The card holder's rules (core/cardrules.h) and the holder the touchscreen keeps
 * (ui/card_glue.h): what is copied, what is not, and that wiping leaves only zeros. */
#include <stdint.h>
#include <string.h>

#include "core/cardrules.h"
#include "core/clock.h"
#include "core/idcard.h"
#include "tap.h"
#include "ui/card_glue.h"

/* A raw card field: text then spaces to the field's length. */
static void set(struct idcard *c, enum idcard_fid f, const char *cp874)
{
	uint8_t b[IDCARD_ADDRESS_RAW];
	struct kerr err = {0};
	size_t n = idcard_fields[f].len, k = strlen(cp874);
	memset(b, ' ', sizeof b);
	memcpy(b, cp874, k < n ? k : n);
	if (idcard_set_field(c, f, b, n, &err))
		printf("# set_field: %s\n", err.msg);
}

/* "สมชาย" etc. in Windows-874 (the card's encoding). */
#define TH_NAME "\xb9\xd2\xc2#\xca\xc1\xaa\xd2\xc2##\xe3\xa8\xb4\xd5" /* นาย#สมชาย##ใจดี */

static void card(struct idcard *c, const char *birth, const char *expiry)
{
	memset(c, 0, sizeof *c);
	set(c, IDCARD_F_CID, "1101700230708");
	set(c, IDCARD_F_NAME_TH, TH_NAME);
	set(c, IDCARD_F_NAME_EN, "Mr.#Somchai##Jaidee");
	set(c, IDCARD_F_BIRTH, birth);
	set(c, IDCARD_F_GENDER, "1");
	set(c, IDCARD_F_ISSUER, "x");
	set(c, IDCARD_F_ISSUE, "25650301");
	set(c, IDCARD_F_EXPIRY, expiry);
	set(c, IDCARD_F_ADDRESS, "99/1#####x#y#z");
}

int main(void)
{
	int64_t now = kclock_bkk_midnight(2026, 11, 24) + 9 * 3600;
	struct idcard c;
	struct cardrule_facts f;

	/* Priority by age (priority_age from the config). */
	OK(!cardrule_priority(59, 60), "59: no priority");
	OK(cardrule_priority(60, 60), "60: priority");
	OK(cardrule_priority(75, 70), "75 with priority_age 70: priority");
	OK(!cardrule_priority(65, 70), "65 with priority_age 70: none");
	OK(!cardrule_priority(-1, 60), "unknown age: no automatic priority");

	/* Documents by age. */
	OK(cardrule_doc_shown(KAPPLY_MINOR, 15) && !cardrule_doc_shown(KAPPLY_ADULT, 15) &&
		   !cardrule_doc_shown(KAPPLY_ELDERLY, 15) && cardrule_doc_shown(KAPPLY_ALL, 15),
	   "15: minor and all documents only");
	OK(!cardrule_doc_shown(KAPPLY_MINOR, 19 + 1) && cardrule_doc_shown(KAPPLY_ADULT, 20),
	   "20: an adult (Civil and Commercial Code s.19)");
	OK(cardrule_doc_shown(KAPPLY_MINOR, 19), "19: still a minor");
	OK(cardrule_doc_shown(KAPPLY_ELDERLY, 60) && cardrule_doc_shown(KAPPLY_ADULT, 60) &&
		   !cardrule_doc_shown(KAPPLY_ELDERLY, 59),
	   "60: elderly (and adult) documents; 59: not elderly");
	OK(cardrule_doc_shown(KAPPLY_MINOR, -1) && cardrule_doc_shown(KAPPLY_ADULT, -1) &&
		   cardrule_doc_shown(KAPPLY_ELDERLY, -1),
	   "no card / unknown age: every document shown");
	IS_STR(cardrule_applies_text(KAPPLY_MINOR, "th"), "กรณีผู้เยาว์ (อายุต่ำกว่า 20 ปี)",
	       "a minor's document without a card says so");
	IS_STR(cardrule_applies_text(KAPPLY_ALL, "en"), "", "documents for all: no added condition");

	/* Facts from a card: age by CCC s.16, expiry. */
	card(&c, "25080714", "99999999"); /* 14 Jul 1965, lifelong */
	cardrule_facts(&c, now, &f);
	IS_INT(f.age, 61, "born 14 Jul 1965: 61 on 24 Nov 2026");
	IS_INT(f.expired, 0, "lifelong card: not expired");
	IS_INT(f.birth_prec, IDCARD_DATE_FULL, "full birth date");
	card(&c, "25091125", "25600101"); /* turns 60 tomorrow; expired 2017 */
	cardrule_facts(&c, now, &f);
	IS_INT(f.age, 59, "60 tomorrow: 59 today (no priority yet)");
	IS_INT(f.expired, 1, "expiry 1 Jan 2017: expired");
	card(&c, "25090000", "25700101"); /* year only: 1966 */
	cardrule_facts(&c, now, &f);
	IS_INT(f.age, 60, "year only (1966): counted from 1 January (CCC s.16): 60");
	IS_INT(f.birth_prec, IDCARD_DATE_Y, "year-only precision kept");
	OK(cardrule_priority(f.age, 60), "... so priority");
	card(&c, "25091200", "25700101"); /* year and month: December 1966 */
	cardrule_facts(&c, now, &f);
	IS_INT(f.age, 59, "December 1966 (no day): counted from 1 December: 59 on 24 Nov 2026");
	card(&c, "2509XX01", "25700101");
	cardrule_facts(&c, now, &f);
	IS_INT(f.age, -1, "unusable birth date: no age");

	/* The holder: only what the screens need. */
	struct card_holder h;
	card(&c, "25080714", "25600101");
	card_holder_fill(&h, &c, now);
	IS_STR(h.first_th, "สมชาย", "holder: Thai first name");
	IS_STR(h.prefix_en, "Mr.", "holder: English prefix");
	IS_STR(h.first_en, "Somchai", "holder: English first name");
	IS_INT(h.f.age, 61, "holder: age");
	IS_INT(h.f.expired, 1, "holder: expired flag");
	{
		const char *p = (const char *)&h;
		int leak = 0;
		for (size_t i = 0; i + 6 <= sizeof h; i++)
			leak |= !memcmp(p + i, "Jaidee", 6) || !memcmp(p + i, "110170", 6) ||
				!memcmp(p + i, "99/1", 4);
		OK(!leak, "holder: no last name, citizen ID or address anywhere in it");
	}
	idcard_wipe(&c);
	card_holder_wipe(&h);
	OK(card_holder_is_zero(&h), "holder wiped: every byte zero");
	OK(card_holder() == NULL, "no watcher running: no holder for the screens");
	return tap_done();
}
