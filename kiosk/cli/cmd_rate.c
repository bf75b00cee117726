/**
 * @file cmd_rate.c
 * @brief `kiosk rate --ticket A023 --scores P,S,F,O [--comment TEXT] [--lang th|en]`:
 * rates a ticket served today exactly as the rating screen does (tests, demos,
 * training). --scan TEXT checks a scanned payload (QR or number) instead of
 * --ticket, through the same scanner line discipline as the kiosk.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/queue.h"
#include "core/rating.h"
#include "core/scanner.h"
#include "core/secret.h"

static int parse_scores(const char *s, int out[RATING_DIMS])
{
	int n = sscanf(s, "%d,%d,%d,%d", &out[0], &out[1], &out[2], &out[3]);
	return n == RATING_DIMS ? 0 : -1;
}

int cmd_rate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"ticket", required_argument, 0, 't'}, {"scores", required_argument, 0, 's'},
		{"comment", required_argument, 0, 'c'}, {"lang", required_argument, 0, 'l'},
		{"scan", required_argument, 0, 'q'},    {0, 0, 0, 0}};
	const char *usage = "rate (--ticket NUMBER | --scan PAYLOAD) --scores P,S,F,O [--comment TEXT]"
			    " [--lang th|en]";
	const char *ticket = NULL, *scan = NULL, *comment = "", *lang = NULL;
	struct rating r;
	struct kstore st;
	struct kqueue q;
	int o, have_scores = 0;
	kst rc;

	memset(&r, 0, sizeof r);
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 't': ticket = optarg; break;
		case 'q': scan = optarg; break;
		case 's':
			if (parse_scores(optarg, r.score))
				return cli_usage(usage);
			have_scores = 1;
			break;
		case 'c': comment = optarg; break;
		case 'l': lang = optarg; break;
		default: return cli_usage(usage);
		}
	}
	if (!have_scores || !!ticket == !!scan || optind < argc)
		return cli_usage(usage);
	if ((rc = cli_open_queue(c, &st, &q)))
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	r.source = RATING_TYPED;
	if (scan) {
		uint8_t key[SECRET_KEY_LEN];
		struct qrp qp;
		struct scanner sc;
		struct scanner_result res;
		char day[KCLOCK_DATE_MAX];
		struct qrp_expect ex = {c->cfg->office_code, day};
		kclock_bkk_date(kclock_now(), day);
		rc = secret_load_or_create(c->data_dir, key, &c->err);
		if (!rc)
			rc = qrp_init(&qp, c->cfg->qr_template, key, &c->err);
		secret_wipe(key, sizeof key);
		if (rc)
			goto out;
		scanner_init(&sc, &qp);
		scanner_text(&sc, scan, 0);
		enum scanner_kind k = scanner_enter(&sc, 0, &ex, &res);
		qrp_wipe(&qp);
		if (k != SCANNER_TICKET && k != SCANNER_NUMBER) {
			rc = kerr_set(&c->err, K_EFAIL, "%s / %s", res.msg_th, res.msg_en);
			goto out;
		}
		snprintf(r.ticket, sizeof r.ticket, "%s", res.number);
		r.source = k == SCANNER_TICKET ? RATING_QR : RATING_TYPED;
	} else if (!qrp_parse_number(ticket, strlen(ticket), r.ticket)) {
		rc = kerr_set(&c->err, K_EUSAGE, "\"%.20s\" is not a ticket number (like A023)", ticket);
		goto out;
	}
	snprintf(r.comment, sizeof r.comment, "%s", comment);
	if (strlen(comment) > RATING_COMMENT_MAX) {
		rc = kerr_set(&c->err, K_EUSAGE, "comment longer than %d bytes", RATING_COMMENT_MAX);
		goto out;
	}
	snprintf(r.lang, sizeof r.lang, "%s", lang ? lang : cli_lang(c));
	if ((rc = rating_save(&q, &r, &c->err)))
		goto out;
	if (!c->json)
		printf("%s %s %s\n", r.ticket, r.id,
		       !strcmp(cli_lang(c), "en") ? "rated, thank you" : "ให้คะแนนแล้ว ขอบคุณค่ะ");
	char iso[KCLOCK_ISO_MAX];
	kclock_iso(r.at, iso);
	cli_print_json(c, json_pack("{s:s, s:s, s:s, s:s, s:i, s:{s:i, s:i, s:i, s:i}}", "id", r.id,
				    "ticket", r.ticket, "service", r.service, "at", iso, "misuse",
				    r.misuse, "scores", "process", r.score[0], "staff", r.score[1],
				    "facility", r.score[2], "overall", r.score[3]));
out:
	kstore_close(&st);
	return rc ? cli_fail(c, rc) : K_OK;
}
