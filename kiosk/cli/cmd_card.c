/**
 * @file cmd_card.c
 * @brief `kiosk card [--reader NAME] [--wait SEC] [--reveal]`: read the Thai ID card once.
 *
 * Exit 3: no reader or no card within SEC (default 10); exit 4: the read failed or the
 * card was pulled, and then nothing of the card is printed. The citizen ID is masked
 * unless --reveal. --stats adds one stderr line with the APDU count and the time.
 *
 * SCardTransmit has no timeout: a reader driver that stops answering would hang the
 * command for ever, so an alarm ends it with exit 4 (--hang-limit SEC after the wait).
 */
#include <malloc.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/idcard.h"
#include "dev/cardreader.h"

#define CARD_WAIT_DEFAULT_S 10
#define CARD_WAIT_MAX_S 3600
#define CARD_HANG_DEFAULT_S 15 /* a whole read takes well under a second */

static void hang_alarm(int sig)
{
	static const char msg[] = "kiosk: the card reader stopped answering: please insert the card "
				  "again (เครื่องอ่านบัตรไม่ตอบสนอง กรุณาเสียบบัตรใหม่อีกครั้ง)\n";
	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0) {
		/* nothing more to do on the way out */
	}
	_exit(K_EDEVICE);
}

/* jansson's copies of the card's strings are wiped before their memory goes back. */
static void *card_json_malloc(size_t n)
{
	return malloc(n);
}

static void card_json_free(void *p)
{
	if (p)
		explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

static void print_text(const struct idcard *card, const char *reader, int reveal, int64_t now)
{
	struct kdate t;
	char mask[IDCARD_MASK_MAX], born[11], issued[11], expires[11];

	kclock_bkk(now, &t);
	idcard_cid_mask(card->cid, mask);
	idcard_date_iso(&card->birth, born);
	idcard_date_iso(&card->issue, issued);
	idcard_date_iso(&card->expiry, expires);
	int age = idcard_age(&card->birth, t.year, t.month, t.day);
	int expired = idcard_expired(card, t.year, t.month, t.day);
	printf("reader:      %s\n", reader);
	printf("citizen ID:  %s%s\n", reveal ? card->cid : mask,
	       card->cid_valid ? "" : "  (check digit does not match)");
	printf("name (th):   %s %s%s%s %s\n", card->name_th.prefix, card->name_th.first,
	       card->name_th.middle[0] ? " " : "", card->name_th.middle, card->name_th.last);
	printf("name (en):   %s %s%s%s %s\n", card->name_en.prefix, card->name_en.first,
	       card->name_en.middle[0] ? " " : "", card->name_en.middle, card->name_en.last);
	if (age >= 0)
		printf("born:        %s (age %d)\n", born, age);
	else
		printf("born:        unknown (card says '%s')\n", card->birth.raw);
	printf("gender:      %s\n", card->gender == IDCARD_GENDER_MALE     ? "male"
				    : card->gender == IDCARD_GENDER_FEMALE ? "female"
									   : "unknown");
	printf("issued:      %s by %s\n", issued[0] ? issued : "unknown", card->issuer);
	printf("expires:     %s%s\n", card->lifelong ? "never (lifelong card)" : expires[0] ? expires : "unknown",
	       expired > 0 ? "  EXPIRED" : "");
	printf("address:     %s\n", card->address.full);
}

kst cli_card_read(struct cli *c, const char *reader, double wait_s, struct idcard *out,
		  char *reader_used, struct rdr_stats *st)
{
	struct rdr_stats st0;
	char used0[RDR_NAME_MAX];
	signal(SIGALRM, hang_alarm);
	alarm((unsigned)(wait_s + CARD_HANG_DEFAULT_S + 0.999));
	kst rc = rdr_read_once(reader, (int64_t)(wait_s * 1000), out, reader_used ? reader_used : used0,
			       st ? st : &st0, &c->err);
	alarm(0);
	if (rc)
		idcard_wipe(out);
	return rc;
}

int cmd_card(struct cli *c, int argc, char **argv)
{
	static const char *synopsis =
		"card [--reader NAME] [--wait SEC] [--reveal] [--stats] [--hang-limit SEC]";
	const char *reader = NULL;
	double wait_s = CARD_WAIT_DEFAULT_S, hang_s = CARD_HANG_DEFAULT_S;
	int reveal = 0, stats = 0;
	struct idcard card;
	struct rdr_stats st;
	char used[RDR_NAME_MAX];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--reader") && i + 1 < argc) {
			reader = argv[++i];
		} else if (!strcmp(a, "--wait") && i + 1 < argc) {
			char *end;
			wait_s = strtod(argv[++i], &end);
			if (*end || end == argv[i] || !(wait_s >= 0 && wait_s <= CARD_WAIT_MAX_S)) {
				fprintf(stderr, "kiosk card: --wait wants seconds from 0 to %d\n",
					CARD_WAIT_MAX_S);
				return cli_usage(synopsis);
			}
		} else if (!strcmp(a, "--hang-limit") && i + 1 < argc) {
			char *end;
			hang_s = strtod(argv[++i], &end);
			if (*end || end == argv[i] || !(hang_s >= 1 && hang_s <= CARD_WAIT_MAX_S)) {
				fprintf(stderr, "kiosk card: --hang-limit wants seconds from 1 to %d\n",
					CARD_WAIT_MAX_S);
				return cli_usage(synopsis);
			}
		} else if (!strcmp(a, "--reveal")) {
			reveal = 1;
		} else if (!strcmp(a, "--stats")) {
			stats = 1;
		} else {
			fprintf(stderr, "kiosk card: unknown option '%s'\n", a);
			return cli_usage(synopsis);
		}
	}
	if (reader && strlen(reader) >= RDR_NAME_MAX) {
		fprintf(stderr, "kiosk card: --reader name too long\n");
		return cli_usage(synopsis);
	}

	signal(SIGALRM, hang_alarm);
	alarm((unsigned)(wait_s + hang_s + 0.999));
	kst rc = rdr_read_once(reader, (int64_t)(wait_s * 1000), &card, used, &st, &c->err);
	alarm(0);
	if (stats)
		fprintf(stderr, "card: %d APDUs, %d attempt(s), %lld ms\n", st.apdus, st.attempts,
			(long long)st.ms);
	if (rc) {
		idcard_wipe(&card);
		return cli_fail(c, rc);
	}
	int64_t now = kclock_now();
	if (c->json) {
		json_set_alloc_funcs(card_json_malloc, card_json_free);
		json_t *o = idcard_to_json(&card, reveal, now);
		char *s = NULL;
		if (o && !json_object_set_new(o, "reader", json_string(used)))
			s = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (!s) {
			idcard_wipe(&card);
			kerr_set(&c->err, K_EFAIL, "card: out of memory");
			return cli_fail(c, K_EFAIL);
		}
		puts(s);
		card_json_free(s);
	} else {
		print_text(&card, used, reveal, now);
	}
	fflush(stdout);
	idcard_wipe(&card);
	return K_OK;
}
