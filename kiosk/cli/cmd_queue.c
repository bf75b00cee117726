/**
 * @file cmd_queue.c
 * @brief Queue commands: ticket, call, recall/finish/no-show/transfer/start, queue.
 *
 * `ticket --png F --escpos F --print` renders the same ticket the kiosk prints
 * (ui/ticket_render.h). Exit 3/4 for a printer absent/faulty, but the ticket is
 * issued first and its JSON printed anyway ("printed": false, "printer_error").
 *
 * `ticket --with-card [--reader NAME] [--wait SEC]` reads the inserted ID card once and
 * applies the touchscreen's rules (core/cardrules.h): a holder aged [queue]
 * priority_age or more gets a priority ticket ("priority_reason": "age"). No reader or
 * no card within SEC (default 10): exit 3; read failed or card pulled: exit 4; in both
 * cases nothing is issued (a citizen without a readable card takes a normal ticket
 * without --with-card). Nothing of the card is printed; the card is wiped as soon as
 * its age and expiry are known.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cardrules.h"
#include "core/clock.h"
#include "core/idcard.h"
#include "core/qjson.h"
#include "core/queue.h"
#include "core/ticket.h"
#include "dev/cardreader.h"
#include "dev/printer.h"
#include "ui/ticket_render.h"

#define TICKET_CARD_WAIT_S 10 /* as `kiosk card` */
#define TICKET_CARD_WAIT_MAX_S 3600

int cmd_ticket(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"service", required_argument, 0, 's'}, {"priority", no_argument, 0, 'p'},
		{"with-card", no_argument, 0, 'c'},     {"png", required_argument, 0, 'g'},
		{"escpos", required_argument, 0, 'e'},  {"print", no_argument, 0, 'P'},
		{"reader", required_argument, 0, 'r'},  {"wait", required_argument, 0, 'w'},
		{0, 0, 0, 0}};
	const char *usage = "ticket --service ID [--priority] [--with-card [--reader NAME] [--wait SEC]] "
			    "[--png F] [--escpos F] [--print]";
	const char *service = NULL, *reader = NULL;
	int priority = 0, o, with_card = 0, by_age = 0, card_opts = 0;
	double wait_s = TICKET_CARD_WAIT_S;
	struct ticket_outputs to = {0};
	struct printer_target pt;
	struct kstore st;
	struct kqueue q;
	struct kticket_out out;
	struct kissued *tp = &out.is;
	kst print_rc = K_OK;
	enum printer_status print_st = PRINTER_UNKNOWN;
	struct kerr perr = {0};
	struct ticket_layout lay = {0};
	int issued = 0;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': service = optarg; break;
		case 'p': priority = 1; break;
		case 'g': to.png = optarg; break;
		case 'e': to.escpos = optarg; break;
		case 'P': to.print = 1; break;
		case 'c': with_card = 1; break;
		case 'r': reader = optarg, card_opts = 1; break;
		case 'w': {
			char *end;
			wait_s = strtod(optarg, &end);
			if (*end || end == optarg || !(wait_s >= 0 && wait_s <= TICKET_CARD_WAIT_MAX_S)) {
				fprintf(stderr, "kiosk ticket: --wait wants seconds from 0 to %d\n",
					TICKET_CARD_WAIT_MAX_S);
				return cli_usage(usage);
			}
			card_opts = 1;
			break;
		}
		default: return cli_usage(usage);
		}
	}
	if (!service || optind < argc || (card_opts && !with_card))
		return cli_usage(usage);
	/* Paper needs the text engine: kiosk-ui issues and draws, in one process. */
	if ((to.png || to.escpos || to.print) && !c->draws)
		return cli_handover(c);
	if (reader && strlen(reader) >= RDR_NAME_MAX) {
		fprintf(stderr, "kiosk ticket: --reader name too long\n");
		return cli_usage(usage);
	}
	kst rc = cli_open_queue(c, &st, &q);
	if (rc)
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	if (with_card && !kcatalog_find(&c->cfg->catalog, service)) {
		/* Before the card is read: a typo must not make the citizen wait. */
		rc = kerr_set(&c->err, K_EUSAGE, "unknown service \"%.40s\" (see kiosk services)", service);
		goto out;
	}
	if (with_card) {
		struct idcard card;
		struct cardrule_facts f;
		rc = cli_card_read(c, reader, wait_s, &card, NULL, NULL);
		if (rc) {
			kerr_prefix(&c->err, "no ticket issued: ");
			goto out;
		}
		cardrule_facts(&card, kclock_now(), &f);
		idcard_wipe(&card);
		by_age = cardrule_priority(f.age, c->cfg->priority_age);
		priority |= by_age;
		if (f.expired > 0)
			fprintf(stderr, "kiosk: %s\n",
				!strcmp(cli_lang(c), "en")
					? "the ID card has expired: please contact the Registration Section "
					  "for a new card (the ticket is issued all the same)"
					: "บัตรประจำตัวประชาชนหมดอายุแล้ว กรุณาติดต่อฝ่ายทะเบียนเพื่อทำบัตรใหม่ "
					  "(ยังออกบัตรคิวให้ตามปกติ)");
	}
	/* Everything that could refuse the paper part is checked before the number is
	 * taken: fonts, the printer setting. */
	if ((to.png || to.escpos || to.print) && (rc = cli_ticket_paper_init(c)))
		goto out;
	if (to.print && (rc = printer_parse(c->cfg->printer, &pt, &c->err)))
		goto out;
	rc = kticket_issue(&q, c->data_dir, service, priority, &out, &c->err);
	if (rc)
		goto out;
	issued = 1;
	if (to.png || to.escpos || to.print) {
		rc = cli_ticket_paper(c, &out, &to, &pt, &lay, &print_rc, &print_st, &perr);
		if (rc) /* the ticket stands; say what failed, after the JSON */
			fprintf(stderr, "kiosk: ticket %s issued, but: %s\n", out.is.t.number, c->err.msg);
	}
	{
		const struct kissued t = *tp;
		if (!c->json) {
			const struct kservice *s = kcatalog_find(&c->cfg->catalog, service);
			if (!strcmp(cli_lang(c), "en"))
				printf("%s  %s%s  %d ahead, about %d min\n", t.t.number, s->name.en,
				       by_age ? " (priority: age)" : priority ? " (priority)" : "", t.ahead,
				       t.wait_minutes);
			else
				printf("%s  %s%s  รออีก %d คน ประมาณ %d นาที\n", t.t.number, s->name.th,
				       by_age ? " (คิวพิเศษสำหรับผู้สูงอายุ)" : priority ? " (คิวพิเศษ)" : "",
				       t.ahead, t.wait_minutes);
		}
		json_t *j = kticket_json(&t.t);
		json_object_set_new(j, "ahead", json_integer(t.ahead));
		json_object_set_new(j, "wait_minutes", json_integer(t.wait_minutes));
		json_object_set_new(j, "qr", out.qr[0] ? json_string(out.qr) : json_null());
		if (by_age)
			json_object_set_new(j, "priority_reason", json_string("age"));
		if (lay.h) /* the paper: how long, and whether every text fitted its width */
			json_object_set_new(j, "paper",
					    json_pack("{s:i, s:i, s:i, s:i}", "dots", lay.w, "rows", lay.h,
						      "texts", lay.nbox, "overflow", lay.overflow));
		if (to.print) {
			json_object_set_new(j, "printed", json_boolean(!rc && print_rc == K_OK));
			if (rc || print_rc) {
				json_object_set_new(j, "printer_status",
						    json_string(rc ? "not_sent" : printer_status_name(print_st)));
				json_object_set_new(j, "printer_error",
						    json_string(rc ? c->err.msg : perr.msg));
			}
		}
		cli_print_json(c, j);
	}
out:
	kstore_close(&st);
	if (to.png || to.escpos || to.print)
		cli_ticket_paper_quit();
	if (rc)
		return issued ? (int)rc : cli_fail(c, rc); /* after issuing: said above */
	if (print_rc) /* the number stands: say why there is no paper */
		fprintf(stderr, "kiosk: ticket %s issued but not printed: %s\n", out.is.t.number,
			perr.msg);
	return print_rc;
}

/* --counter N [--service ID] [--to ID] shared by call and the counter operations. */
static int counter_args(int argc, char **argv, const char *usage, int *counter,
			const char **service, const char **to)
{
	static const struct option opts[] = {{"counter", required_argument, 0, 'n'},
					     {"service", required_argument, 0, 's'},
					     {"to", required_argument, 0, 't'},
					     {0, 0, 0, 0}};
	int o;
	*counter = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'n') {
			if (cli_parse_int(optarg, 1, 999, counter))
				return cli_usage(usage);
		} else if (o == 's' && service) {
			*service = optarg;
		} else if (o == 't' && to) {
			*to = optarg;
		} else {
			return cli_usage(usage);
		}
	}
	if (!*counter || optind < argc)
		return cli_usage(usage);
	return K_OK;
}

static void print_ticket(struct cli *c, const char *verb, const struct kticket *t, int counter)
{
	if (!c->json) {
		if (!strcmp(cli_lang(c), "en"))
			printf("%s %s at counter %d (%s)\n", verb, t->number, counter, t->service);
		else
			printf("%s %s ช่อง %d (%s)\n", verb, t->number, counter, t->service);
	}
	json_t *j = kticket_json(t);
	json_object_set_new(j, "counter", t->counter ? json_integer(t->counter) : json_null());
	cli_print_json(c, j);
}

int cmd_call(struct cli *c, int argc, char **argv)
{
	const char *service = NULL;
	int counter;
	struct kstore st;
	struct kqueue q;
	struct kticket t;
	kst rc = counter_args(argc, argv, "call --counter N [--service ID]", &counter, &service, NULL);

	if (rc || (rc = cli_open_queue(c, &st, &q)))
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	rc = kqueue_call(&q, counter, service, &t, &c->err);
	if (!rc)
		print_ticket(c, !strcmp(cli_lang(c), "en") ? "called" : "เรียก", &t, counter);
	kstore_close(&st);
	return rc ? cli_fail(c, rc) : K_OK;
}

int cmd_counter_op(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		enum kqueue_op op;
	} ops[] = {{"recall", KQ_RECALL},   {"start", KQ_START},      {"finish", KQ_FINISH},
		   {"no-show", KQ_NO_SHOW}, {"transfer", KQ_TRANSFER}};
	const char *to = NULL;
	char usage[64];
	int counter, found = -1;
	struct kstore st;
	struct kqueue q;
	struct kticket t;

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(argv[0], ops[i].name))
			found = (int)i;
	if (found < 0)
		return cli_usage("recall|start|finish|no-show|transfer --counter N [--to SERVICE]");
	snprintf(usage, sizeof usage, "%s --counter N%s", argv[0],
		 ops[found].op == KQ_TRANSFER ? " --to SERVICE" : "");
	kst rc = counter_args(argc, argv, usage, &counter, NULL,
			      ops[found].op == KQ_TRANSFER ? &to : NULL);
	if (rc)
		return rc;
	if (ops[found].op == KQ_TRANSFER && !to)
		return cli_usage(usage);
	if ((rc = cli_open_queue(c, &st, &q)))
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	rc = kqueue_op(&q, ops[found].op, counter, to, &t, &c->err);
	if (!rc)
		print_ticket(c, argv[0], &t, counter);
	kstore_close(&st);
	return rc ? cli_fail(c, rc) : K_OK;
}

int cmd_queue(struct cli *c, int argc, char **argv)
{
	struct kstore st;
	struct kqueue q;
	size_t i;
	json_t *v;

	if (argc > 1)
		return cli_usage("queue");
	kst rc = cli_open_queue(c, &st, &q);
	if (rc)
		return c->err.msg[0] ? cli_fail(c, rc) : (int)rc;
	/* Text and --json come from the same object the counter API serves. */
	json_t *o = qjson_status(&q, &c->err);
	kstore_close(&st);
	if (!o)
		return cli_fail(c, K_EFAIL);
	if (!c->json) {
		int en = !strcmp(cli_lang(c), "en");
		json_array_foreach(json_object_get(o, "waiting"), i, v) {
			int cancelled = (int)json_integer_value(json_object_get(v, "cancelled"));
			printf(en ? "%-18s %3d waiting (%d priority)" : "%-18s รอ %3d คน (คิวพิเศษ %d)",
			       json_string_value(json_object_get(v, "service")),
			       (int)json_integer_value(json_object_get(v, "count")),
			       (int)json_integer_value(json_object_get(v, "priority")));
			/* Apart from the line: they are not waiting, and not lost either. */
			if (cancelled)
				printf(en ? ", %d left the queue today" : ", ยกเลิกคิววันนี้ %d", cancelled);
			printf("\n");
		}
		json_array_foreach(json_object_get(o, "serving"), i, v) {
			json_t *t = json_object_get(v, "ticket");
			printf(en ? "counter %d: %s\n" : "ช่อง %d: %s\n",
			       (int)json_integer_value(json_object_get(v, "counter")),
			       json_is_object(t) ? json_string_value(json_object_get(t, "number")) : "-");
		}
		json_array_foreach(json_object_get(o, "notices"), i, v)
			printf("! %s\n", json_string_value(json_object_get(v, en ? "en" : "th")));
	}
	cli_print_json(c, o);
	return K_OK;
}
