/**
 * @file rating.c
 * @brief Ratings: the rules, the texts, and the one-transaction save.
 */
#include "core/rating.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/kedmanee.h"
#include "core/qrpayload.h"

static const char *const dim_key[RATING_DIMS] = {"process", "staff", "facility", "overall"};

static const char *const question_th[RATING_DIMS] = {
	"ความพึงพอใจต่อขั้นตอนการให้บริการ",
	"ความพึงพอใจต่อเจ้าหน้าที่ผู้ให้บริการ",
	"ความพึงพอใจต่อสิ่งอำนวยความสะดวก",
	"ความพึงพอใจต่อการให้บริการโดยรวม",
};
static const char *const question_en[RATING_DIMS] = {
	"How satisfied are you with the steps of the service?",
	"How satisfied are you with the staff who served you?",
	"How satisfied are you with the facilities (seats, signs, toilets)?",
	"Overall, how satisfied are you with the service?",
};
/* Index 1..5. */
static const char *const level_th[6] = {"", "น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"};
static const char *const level_en[6] = {"",          "Very dissatisfied", "Dissatisfied",
					"Neutral",   "Satisfied",         "Very satisfied"};
static const char *const band_en[6] = {"", "lowest", "low", "moderate", "high", "highest"};

static int is_en(const char *lang)
{
	return lang && !strcmp(lang, "en");
}

const char *rating_dim_key(enum rating_dim d)
{
	return (unsigned)d < RATING_DIMS ? dim_key[d] : "";
}

const char *rating_question(enum rating_dim d, const char *lang)
{
	if ((unsigned)d >= RATING_DIMS)
		return "";
	return is_en(lang) ? question_en[d] : question_th[d];
}

const char *rating_scale_label(int score, const char *lang)
{
	if (score < 1 || score > 5)
		return "";
	return is_en(lang) ? level_en[score] : level_th[score];
}

int rating_band(double mean)
{
	/* Compare in hundredths after rounding, so the band always agrees with
	 * the two-decimal figure printed next to it (4.205 prints 4.21: highest). */
	long h = (long)(mean * 100.0 + 0.5);
	if (!(mean >= 1.0) || mean > 5.0 + 1e-9)
		return 0;
	if (h >= 421)
		return 5;
	if (h >= 341)
		return 4;
	if (h >= 261)
		return 3;
	if (h >= 181)
		return 2;
	return 1;
}

const char *rating_band_label(int band, const char *lang)
{
	if (band < 1 || band > 5)
		return is_en(lang) ? "no data" : "ไม่มีข้อมูล";
	return is_en(lang) ? band_en[band] : level_th[band];
}

const char *rating_refusal_msg(enum rating_refusal why, const char *lang)
{
	switch (why) {
	case RATING_OK:
		return "";
	case RATING_NO_TICKET:
		return is_en(lang) ? "We cannot find this ticket for today. Please check the number."
				   : "ไม่พบบัตรคิวนี้ของวันนี้ กรุณาตรวจสอบเลขคิวอีกครั้ง";
	case RATING_NOT_SERVED:
		return is_en(lang) ? "This ticket has not been served yet. You can rate after your service."
				   : "บัตรคิวนี้ยังไม่ได้รับบริการ ให้คะแนนได้หลังรับบริการแล้ว";
	case RATING_ALREADY:
		return is_en(lang) ? "This ticket has already been rated. Thank you!"
				   : "บัตรคิวนี้ให้คะแนนแล้ว ขอบคุณค่ะ";
	}
	return "";
}

kst rating_uuid(char out[RATING_ID_LEN + 1], struct kerr *err)
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return kerr_set(err, K_EFAIL, "getrandom: %s", strerror(errno));
		}
		got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, RATING_ID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
	return K_OK;
}

int rating_uuid_valid(const char *s)
{
	if (!s || strlen(s) != RATING_ID_LEN)
		return 0;
	for (int i = 0; i < RATING_ID_LEN; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

kst rating_comment_check(const char *s, struct kerr *err)
{
	size_t len = strlen(s);
	if (len > RATING_COMMENT_MAX)
		return kerr_set(err, K_EUSAGE,
				"ความคิดเห็นยาวเกินไป (%zu ไบต์ สูงสุด %d) / comment too long (%zu bytes, at most %d)",
				len, RATING_COMMENT_MAX, len, RATING_COMMENT_MAX);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = kedmanee_utf8_next(s + i, len - i, &cp);
		if (!n)
			return kerr_set(err, K_EUSAGE, "comment: not valid UTF-8 at byte %zu", i);
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return kerr_set(err, K_EUSAGE, "comment: control character U+%04X at byte %zu",
					cp, i);
		i += n;
	}
	return K_OK;
}

/* Length of a digit (ASCII or Thai ๐-๙) at s, or 0. */
static size_t digit_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] >= '0' && u[0] <= '9')
		return 1;
	if (u[0] == 0xe0 && u[1] == 0xb9 && u[2] >= 0x90 && u[2] <= 0x99)
		return 3;
	return 0;
}

int rating_comment_mask(char *s)
{
	char out[RATING_COMMENT_MAX * 4 + 1];
	size_t o = 0, i = 0, len = strlen(s);
	int runs = 0;

	if (len > RATING_COMMENT_MAX * 4)
		len = RATING_COMMENT_MAX * 4;
	while (i < len) {
		size_t d = digit_at(s + i);
		if (!d) {
			out[o++] = s[i++];
			continue;
		}
		/* A run: digits with single spaces or dashes between them, as people
		 * write ID and phone numbers (1-2345-67890-12-3, 081 234 5678). */
		size_t j = i, end = i;
		int digits = 0;
		while (j < len) {
			size_t dj = digit_at(s + j);
			if (dj) {
				j += dj;
				end = j;
				digits++;
			} else if ((s[j] == ' ' || s[j] == '-') && j + 1 < len && digit_at(s + j + 1)) {
				j++;
			} else {
				break;
			}
		}
		if (digits >= RATING_DIGITS_MASK) {
			for (int k = 0; k < digits; k++)
				out[o++] = '*';
			runs++;
		} else {
			memcpy(out + o, s + i, end - i);
			o += end - i;
		}
		i = end;
	}
	out[o] = 0;
	memcpy(s, out, o + 1); /* never longer: each digit became one byte */
	return runs;
}

static const char *source_name(enum rating_source s)
{
	switch (s) {
	case RATING_QR: return "qr";
	case RATING_TYPED: return "typed";
	case RATING_PHONE: return "phone";
	case RATING_SIM: break;
	}
	return "sim";
}

/* The check, for use inside or outside a transaction. */
static kst can_rate(struct kqueue *q, const char *number, struct kticket *out,
		    enum rating_refusal *why, struct kerr *err)
{
	char day[KCLOCK_DATE_MAX];
	struct kerr e2;
	kclock_bkk_date(kclock_now(), day);
	*why = RATING_OK;
	if (!qrp_valid_number(number) || kqueue_find(q, day, number, out, &e2)) {
		*why = RATING_NO_TICKET;
	} else if (strcmp(out->state, "done")) {
		*why = RATING_NOT_SERVED;
	} else {
		long long n = kstore_scalar(
			kstore_prep(q->st, "SELECT COUNT(*) FROM ratings WHERE ticket_id=?", "l",
				    (int64_t)out->id), -1);
		if (n < 0)
			return kstore_err(q->st, err, "checking earlier ratings");
		if (n > 0)
			*why = RATING_ALREADY;
	}
	if (*why)
		return kerr_set(err, K_EFAIL, "%s / %s", rating_refusal_msg(*why, "th"),
				rating_refusal_msg(*why, "en"));
	return K_OK;
}

kst rating_can_rate(struct kqueue *q, const char *number, struct kticket *out,
		    enum rating_refusal *why, struct kerr *err)
{
	return can_rate(q, number, out, why, err);
}

kst rating_insert(struct kstore *st, const struct rating *r, int queue, struct kerr *err)
{
	kst rc = kstore_run(
		st,
		kstore_prep(st,
			    "INSERT INTO ratings(id, ticket_id, ticket, service, day, at, process, staff,"
			    " facility, overall, comment, lang, misuse, source, answer_ms)"
			    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			    "slsssliiiissisl", r->id, r->ticket_id, r->ticket, r->service, r->day, r->at,
			    r->score[0], r->score[1], r->score[2], r->score[3],
			    r->comment[0] ? r->comment : NULL, r->lang[0] ? r->lang : "th", r->misuse,
			    source_name(r->source), r->answer_ms),
		err, "saving the rating");
	if (!rc && queue)
		rc = kstore_run(st,
				kstore_prep(st, "INSERT INTO outbox(rating, created_at) VALUES(?,?)",
					    "sl", r->id, r->at),
				err, "queueing the rating for upload");
	return rc;
}

kst rating_save(struct kqueue *q, struct rating *r, struct kerr *err)
{
	struct kticket t;
	enum rating_refusal why;
	kst rc;

	for (int d = 0; d < RATING_DIMS; d++)
		if (r->score[d] < 1 || r->score[d] > 5)
			return kerr_set(err, K_EUSAGE, "score %s must be 1..5 (got %d)", dim_key[d],
					r->score[d]);
	r->comment[RATING_COMMENT_MAX] = 0;
	if ((rc = rating_comment_check(r->comment, err)))
		return rc;
	rating_comment_mask(r->comment);
	if (!r->lang[0] || (strcmp(r->lang, "th") && strcmp(r->lang, "en")))
		snprintf(r->lang, sizeof r->lang, "th");
	if ((rc = rating_uuid(r->id, err)))
		return rc;

	if ((rc = kstore_begin(q->st, err)))
		return rc;
	/* Again inside the lock: another kiosk may have rated it a moment ago. */
	if ((rc = can_rate(q, r->ticket, &t, &why, err)))
		goto fail;
	r->at = kclock_now();
	kclock_bkk_date(r->at, r->day);
	r->ticket_id = t.id;
	snprintf(r->service, sizeof r->service, "%s", t.service);
	snprintf(r->ticket, sizeof r->ticket, "%s", t.number);
	r->misuse &= RATING_MISUSE_FAST | RATING_MISUSE_BURST;
	if (r->answer_ms > 0 && r->answer_ms < RATING_MIN_ANSWER_MS)
		r->misuse |= RATING_MISUSE_FAST;
	/* The burst rule is per channel: the kiosk's one screen (scanned or typed) cannot
	 * take four citizens' ratings in a minute, but four phones at once are four people,
	 * and neither channel's rush may flag the other's ratings. */
	long long recent = kstore_scalar(
		kstore_prep(q->st,
			    r->source == RATING_PHONE
				    ? "SELECT COUNT(*) FROM ratings WHERE at>? AND source='phone'"
				    : "SELECT COUNT(*) FROM ratings WHERE at>? AND source IN ('qr','typed')",
			    "l", r->at - RATING_BURST_SECONDS), 0);
	if (recent >= RATING_BURST_MAX)
		r->misuse |= RATING_MISUSE_BURST;
	if ((rc = rating_insert(q->st, r, 1, err)))
		goto fail;
	return kstore_commit(q->st, err);
fail:
	kstore_rollback(q->st);
	return rc;
}
