/**
 * @file cardrules.h
 * @brief What the kiosk does with a card holder's ID card: the few facts it keeps
 * (age, whether the card has expired) and the rules built on them, shared by the
 * touchscreen (ui/card_glue.h) and `kiosk ticket --with-card`.
 *
 * Rules:
 * - Priority ticket: age >= [queue] priority_age (config, 60 by default).
 * - Documents: a document marked minor is shown to holders under 20, adult to
 *   holders 20 or over, elderly to holders 60 or over; "all" always. Without a card
 *   (or without a usable birth date) every document is shown with its condition.
 * - Expired card: said kindly; it never blocks a ticket.
 *
 * Age: completed years on the Bangkok date, by Civil and Commercial Code s.16: a
 * birth date without the day counts from the 1st of that month, one without the
 * month from 1 January of that year (idcard_age()). That is the age the law gives
 * the person, the one counter staff apply too, so nothing is guessed. A birth date
 * that cannot be used gives no age (-1): no automatic priority, no filtering.
 */
#ifndef KIOSK_CARDRULES_H
#define KIOSK_CARDRULES_H

#include <stdint.h>

#include "core/catalog.h"
#include "core/idcard.h"

#define CARDRULE_ADULT_AGE 20   /* sui juris (Civil and Commercial Code s.19) */
#define CARDRULE_ELDERLY_AGE 60 /* Older Persons Act B.E. 2546: over 60 complete years */

/* The facts the rules need, none of them identifying. */
struct cardrule_facts {
	int age;                   /* completed years, -1 unknown */
	enum idcard_prec birth_prec; /* how much of the birth date the card gives */
	int expired;               /* 1 expired, 0 valid or lifelong, -1 unusable expiry */
};

/* Age and expiry of a card on the Bangkok day containing now (epoch seconds). */
void cardrule_facts(const struct idcard *c, int64_t now, struct cardrule_facts *out);

/* 1 when a holder of this age gets a priority ticket (age >= priority_age). */
int cardrule_priority(int age, int priority_age);

/* 1 when a document marked `applies` is for a holder of this age (-1: no card or
 * unknown age: every document is shown). */
int cardrule_doc_shown(enum kapplies applies, int age);

/* The condition to show for a document whose own condition text is empty, when
 * every document is shown ("กรณีผู้เยาว์ (อายุต่ำกว่า 20 ปี)"); "" for KAPPLY_ALL.
 * lang "en" or "th". */
const char *cardrule_applies_text(enum kapplies applies, const char *lang);

#endif
