/**
 * @file cardrules.c
 * @brief The card holder's rules: priority by age, documents by age, expiry.
 */
#include "core/cardrules.h"
#include "core/clock.h"

void cardrule_facts(const struct idcard *c, int64_t now, struct cardrule_facts *out)
{
	struct kdate t;
	kclock_bkk(now, &t);
	out->age = idcard_age(&c->birth, t.year, t.month, t.day);
	out->birth_prec = c->birth.prec;
	out->expired = idcard_expired(c, t.year, t.month, t.day);
}

int cardrule_priority(int age, int priority_age)
{
	return age >= 0 && priority_age > 0 && age >= priority_age;
}

int cardrule_doc_shown(enum kapplies applies, int age)
{
	if (age < 0)
		return 1;
	switch (applies) {
	case KAPPLY_MINOR:
		return age < CARDRULE_ADULT_AGE;
	case KAPPLY_ADULT:
		return age >= CARDRULE_ADULT_AGE;
	case KAPPLY_ELDERLY:
		return age >= CARDRULE_ELDERLY_AGE;
	case KAPPLY_ALL:
	default:
		return 1;
	}
}

const char *cardrule_applies_text(enum kapplies applies, const char *lang)
{
	int en = lang && lang[0] == 'e' && lang[1] == 'n';
	switch (applies) {
	case KAPPLY_MINOR:
		return en ? "If you are under 20" : "กรณีผู้เยาว์ (อายุต่ำกว่า 20 ปี)";
	case KAPPLY_ADULT:
		return en ? "If you are 20 or over" : "กรณีอายุ 20 ปีขึ้นไป";
	case KAPPLY_ELDERLY:
		return en ? "If you are 60 or over" : "กรณีผู้สูงอายุ (60 ปีขึ้นไป)";
	case KAPPLY_ALL:
	default:
		return "";
	}
}
