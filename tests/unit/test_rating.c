/* Ratings: who may rate (served today, once), the one-transaction save with its
 * outbox row, UUIDs, comment checks and masking, misuse flags, bands. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/export.h"
#include "core/outbox.h"
#include "core/rating.h"
#include "tap.h"

static struct kconfig cfg;
static char dir[64];

static void at(const char *iso)
{
	setenv("KIOSK_NOW", iso, 1);
}

static void fresh(struct kstore *st, struct kqueue *q)
{
	char cmd[128];
	struct kerr err;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		exit(2);
	if (kstore_open(dir, st, &err)) {
		printf("# %s\n", err.msg);
		exit(2);
	}
	q->st = st;
	q->cfg = &cfg;
}

static long long count(struct kstore *st, const char *sql)
{
	return kstore_scalar(kstore_prep(st, sql, ""), -1);
}

/* Issues, calls and finishes one ticket; returns its number. */
static void served(struct kqueue *q, const char *service, char number[KTICKET_NUMBER_MAX])
{
	struct kissued t;
	struct kticket c;
	struct kerr err;
	kqueue_issue(q, service, 0, &t, &err);
	kqueue_call(q, 1, NULL, &c, &err);
	kqueue_op(q, KQ_FINISH, 1, NULL, &c, &err);
	snprintf(number, KTICKET_NUMBER_MAX, "%s", t.t.number);
}

static struct rating answers(const char *number, int p, int s, int f, int o)
{
	struct rating r;
	memset(&r, 0, sizeof r);
	snprintf(r.ticket, sizeof r.ticket, "%s", number);
	r.score[0] = p, r.score[1] = s, r.score[2] = f, r.score[3] = o;
	r.source = RATING_TYPED;
	r.answer_ms = 15000;
	return r;
}

static void rules(void)
{
	struct kstore st;
	struct kqueue q;
	struct kticket t;
	struct kissued is;
	struct kerr err;
	enum rating_refusal why;
	char a[KTICKET_NUMBER_MAX], b[KTICKET_NUMBER_MAX];

	fresh(&st, &q);
	at("2026-11-24T09:00:00+07:00");
	kqueue_issue(&q, "personal-cert", 0, &is, &err);
	OK(rating_can_rate(&q, is.t.number, &t, &why, &err) == K_EFAIL && why == RATING_NOT_SERVED,
	   "a waiting ticket cannot be rated");
	OK(strstr(err.msg, "ยังไม่ได้รับบริการ") && strstr(err.msg, "not been served"),
	   "the message is kind and bilingual: %s", err.msg);
	kqueue_call(&q, 1, NULL, &t, &err);
	OK(rating_can_rate(&q, is.t.number, &t, &why, &err) == K_EFAIL && why == RATING_NOT_SERVED,
	   "nor a called one");
	kqueue_op(&q, KQ_FINISH, 1, NULL, &t, &err);
	OK(rating_can_rate(&q, is.t.number, &t, &why, &err) == K_OK && why == RATING_OK,
	   "a ticket served today can be rated");
	OK(rating_can_rate(&q, "Z999", &t, &why, &err) == K_EFAIL && why == RATING_NO_TICKET,
	   "an unknown number cannot");
	OK(rating_can_rate(&q, "not a number", &t, &why, &err) == K_EFAIL && why == RATING_NO_TICKET,
	   "nor text that is not a ticket number");

	struct rating r = answers(is.t.number, 5, 4, 3, 5);
	OK(rating_save(&q, &r, &err) == K_OK, "save a rating");
	OK(rating_uuid_valid(r.id), "its id is a UUID v4: %s", r.id);
	IS_STR(r.service, "personal-cert", "the service is taken from the ticket");
	IS_STR(r.day, "2026-11-24", "and the Bangkok day");
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings"), 1, "one rating row");
	IS_INT(count(&st, "SELECT COUNT(*) FROM outbox WHERE state='pending' AND rating IN"
			  " (SELECT id FROM ratings)"), 1, "and its outbox row, pending");
	IS_INT(count(&st, "SELECT misuse FROM ratings"), 0, "not flagged");
	IS_INT(count(&st, "SELECT comment IS NULL FROM ratings"), 1, "no comment stored as NULL");

	struct rating again = answers(is.t.number, 1, 1, 1, 1);
	OK(rating_save(&q, &again, &err) == K_EFAIL && strstr(err.msg, "already"),
	   "the same ticket cannot be rated twice");
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings"), 1, "still one rating");
	IS_INT(count(&st, "SELECT COUNT(*) FROM outbox"), 1, "still one outbox row");

	/* The unique index holds even when the check is bypassed. */
	struct rating dup = r;
	rating_uuid(dup.id, &err);
	kstore_begin(&st, &err);
	OK(rating_insert(&st, &dup, 1, &err) != K_OK, "the database refuses a second rating of a ticket");
	kstore_rollback(&st);

	/* Bad input changes nothing. */
	served(&q, "marital-status", a);
	struct rating bad = answers(a, 5, 6, 5, 5);
	OK(rating_save(&q, &bad, &err) == K_EUSAGE, "a score of 6 is refused");
	bad = answers(a, 0, 5, 5, 5);
	OK(rating_save(&q, &bad, &err) == K_EUSAGE, "a score of 0 is refused");
	bad = answers(a, 5, 5, 5, 5);
	strcpy(bad.comment, "ok\x01");
	OK(rating_save(&q, &bad, &err) == K_EUSAGE, "a control character in the comment is refused");
	bad = answers(a, 5, 5, 5, 5);
	strcpy(bad.comment, "\xe0\xb8");
	OK(rating_save(&q, &bad, &err) == K_EUSAGE, "broken UTF-8 is refused");
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings"), 1, "nothing was written by refused saves");

	/* Comments: kept (Thai), personal numbers masked. */
	struct rating c = answers(a, 4, 4, 4, 4);
	strcpy(c.comment, "เจ้าหน้าที่ใจดีมาก โทร 081-234-5678 บัตร 1 1017 00230 70 5 ครับ");
	OK(rating_save(&q, &c, &err) == K_OK, "save with a comment");
	sqlite3_stmt *s = kstore_prep(&st, "SELECT comment FROM ratings WHERE id=?", "s", c.id);
	sqlite3_step(s);
	IS_STR((const char *)sqlite3_column_text(s, 0),
	       "เจ้าหน้าที่ใจดีมาก โทร ********** บัตร ************* ครับ",
	       "phone and ID numbers in a comment are masked before storing");
	sqlite3_finalize(s);

	/* Yesterday's served ticket cannot be rated today. */
	at("2026-11-25T09:00:00+07:00");
	OK(rating_can_rate(&q, a, &t, &why, &err) == K_EFAIL && why == RATING_NO_TICKET,
	   "a ticket served yesterday cannot be rated today");

	/* Misuse: too fast, and bursts. */
	served(&q, "personal-cert", b);
	struct rating f = answers(b, 5, 5, 5, 5);
	f.answer_ms = 600;
	OK(rating_save(&q, &f, &err) == K_OK && f.misuse == RATING_MISUSE_FAST,
	   "four answers in 0.6 s are kept but flagged as misuse");
	at("2026-11-25T09:00:10+07:00");
	for (int i = 0; i < 3; i++) {
		served(&q, "personal-cert", b);
		f = answers(b, 1, 1, 1, 1);
		rating_save(&q, &f, &err);
	}
	OK(f.misuse & RATING_MISUSE_BURST, "the 4th rating within a minute is flagged as a burst");
	at("2026-11-25T09:10:00+07:00");
	served(&q, "personal-cert", b);
	f = answers(b, 3, 3, 3, 3);
	rating_save(&q, &f, &err);
	IS_INT(f.misuse, 0, "a rating ten minutes later is not");
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings WHERE misuse<>0"), 2, "two flagged, all kept");

	/* From the phone (the ticket page): the same rules, its own source and burst count. */
	at("2026-11-25T10:00:00+07:00");
	for (int i = 0; i < 3; i++) { /* three kiosk ratings in this minute */
		served(&q, "personal-cert", b);
		f = answers(b, 4, 4, 4, 4);
		rating_save(&q, &f, &err);
	}
	served(&q, "personal-cert", b);
	f = answers(b, 5, 4, 5, 4);
	f.source = RATING_PHONE;
	OK(rating_save(&q, &f, &err) == K_OK, "a phone rating is saved");
	IS_INT(f.misuse, 0, "the kiosk's busy minute does not flag a phone's rating");
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings WHERE source='phone'"), 1,
	       "stored with source phone");
	IS_INT(count(&st, "SELECT COUNT(*) FROM outbox o JOIN ratings r ON r.id=o.rating WHERE"
			  " r.source='phone' AND o.state='pending'"), 1, "and queued for upload");
	struct rating twice = answers(b, 1, 1, 1, 1);
	twice.source = RATING_PHONE;
	OK(rating_save(&q, &twice, &err) == K_EFAIL && strstr(err.msg, "already"),
	   "a phone cannot rate the same ticket twice");
	served(&q, "personal-cert", b);
	kqueue_issue(&q, "personal-cert", 0, &is, &err);
	twice = answers(is.t.number, 1, 1, 1, 1);
	twice.source = RATING_PHONE;
	OK(rating_save(&q, &twice, &err) == K_EFAIL, "nor a ticket still waiting");
	OK(kqueue_cancel(&q, is.t.day, is.t.number, &t, &err) == K_OK &&
		   rating_save(&q, &twice, &err) == K_EFAIL,
	   "nor one that left the queue");
	twice = answers(b, 1, 9, 1, 1);
	twice.source = RATING_PHONE;
	OK(rating_save(&q, &twice, &err) == K_EUSAGE, "a phone's score of 9 is refused");
	twice = answers(b, 2, 2, 2, 2);
	twice.source = RATING_PHONE;
	twice.answer_ms = 300;
	OK(rating_save(&q, &twice, &err) == K_OK && twice.misuse == RATING_MISUSE_FAST,
	   "a phone's four answers in 0.3 s are flagged like the kiosk's");
	for (int i = 0; i < 2; i++) {
		served(&q, "personal-cert", b);
		f = answers(b, 3, 3, 3, 3);
		f.source = RATING_PHONE;
		rating_save(&q, &f, &err);
	}
	OK(f.misuse & RATING_MISUSE_BURST, "the 4th phone rating within a minute is a burst too");

	/* Staff see where each rating came from in the USB export. */
	char xdir[96], cmd[160];
	struct export_result xr;
	snprintf(xdir, sizeof xdir, "%s/usb", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s", xdir);
	if (system(cmd))
		exit(2);
	OK(export_ratings(&st, &cfg, xdir, "2026-11-25", "2026-11-25", &xr, &err) == K_OK,
	   "export the day");
	FILE *csv = fopen(xr.files[0], "r");
	char line[2048];
	int phone_rows = 0, typed_rows = 0;
	while (csv && fgets(line, sizeof line, csv)) {
		phone_rows += strstr(line, ",phone,") != NULL;
		typed_rows += strstr(line, ",typed,") != NULL;
	}
	if (csv)
		fclose(csv);
	IS_INT(phone_rows, 4, "the CSV says phone for the phone's four ratings");
	OK(typed_rows > 0, "and typed for the kiosk's");
	kstore_close(&st);
}

static void racing(void)
{
	/* Two processes rate the same ticket at once: exactly one wins. */
	struct kstore st;
	struct kqueue q;
	struct kerr err;
	char a[KTICKET_NUMBER_MAX];
	int wins = 0;

	fresh(&st, &q);
	at("2026-11-24T10:00:00+07:00");
	served(&q, "personal-cert", a);
	kstore_close(&st);
	for (int i = 0; i < 4; i++) {
		if (fork() == 0) {
			struct kstore s2;
			struct kqueue q2 = {&s2, &cfg};
			struct rating r = answers(a, 5, 5, 5, 5);
			if (kstore_open(dir, &s2, &err))
				_exit(3);
			_exit(rating_save(&q2, &r, &err) == K_OK ? 0 : 1);
		}
	}
	for (int i = 0; i < 4; i++) {
		int stt;
		wait(&stt);
		wins += WIFEXITED(stt) && WEXITSTATUS(stt) == 0;
	}
	IS_INT(wins, 1, "four kiosks rating one ticket at once: one succeeds");
	kstore_open(dir, &st, &err);
	IS_INT(count(&st, "SELECT COUNT(*) FROM ratings"), 1, "one rating stored");
	kstore_close(&st);
}

static void texts(void)
{
	char id[RATING_ID_LEN + 1], id2[RATING_ID_LEN + 1];
	struct kerr err;
	rating_uuid(id, &err);
	rating_uuid(id2, &err);
	OK(rating_uuid_valid(id) && strcmp(id, id2), "UUIDs are v4 and differ");
	OK(!rating_uuid_valid("00000000-0000-0000-0000-000000000000"), "a nil UUID is not v4");
	IS_INT(rating_band(5.0), 5, "5.00 highest");
	IS_INT(rating_band(4.21), 5, "4.21 highest");
	IS_INT(rating_band(4.205), 5, "4.205 prints 4.21: highest");
	IS_INT(rating_band(4.2049), 4, "4.2049 prints 4.20: high");
	IS_INT(rating_band(4.20), 4, "4.20 high");
	IS_INT(rating_band(3.41), 4, "3.41 high");
	IS_INT(rating_band(3.40), 3, "3.40 moderate");
	IS_INT(rating_band(2.61), 3, "2.61 moderate");
	IS_INT(rating_band(2.60), 2, "2.60 low");
	IS_INT(rating_band(1.81), 2, "1.81 low");
	IS_INT(rating_band(1.80), 1, "1.80 lowest");
	IS_INT(rating_band(1.0), 1, "1.00 lowest");
	IS_INT(rating_band(0.0), 0, "no data");
	IS_STR(rating_band_label(5, "th"), "มากที่สุด", "band 5 label");
	IS_STR(rating_band_label(3, "th"), "ปานกลาง", "band 3 label");
	IS_STR(rating_scale_label(1, "th"), "น้อยที่สุด", "scale 1");
	IS_STR(rating_dim_key(RATING_FACILITY), "facility", "contract key");
	OK(strlen(rating_question(RATING_STAFF, "th")) > 0 && strlen(rating_question(RATING_STAFF, "en")) > 0,
	   "questions in both languages");
	char m[RATING_COMMENT_MAX + 1] = "เลข ๑๒๓๔๕๖๗๘๙ กับ 12345678 และ 1234";
	IS_INT(rating_comment_mask(m), 1, "one long run");
	IS_STR(m, "เลข ********* กับ 12345678 และ 1234", "Thai digits masked; 8 digits kept");
	char big[RATING_COMMENT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	OK(rating_comment_check(big, &err) == K_EUSAGE, "a comment over %d bytes is refused",
	   RATING_COMMENT_MAX);
}

int main(void)
{
	struct kdiag d = {0};
	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	snprintf(dir, sizeof dir, "/tmp/kiosk-tr.%d", (int)getpid());
	texts();
	rules();
	racing();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd))
		return 2;
	return tap_done();
}
