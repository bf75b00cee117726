/**
 * @file cmd_upload.c
 * @brief `kiosk upload [--once] [--server URL]`: send the ratings outbox.
 *
 * Extra options: --batch N (ratings per request), --timeout SEC (per request),
 * --requeue-rejected (put set-aside ratings back first), --status (counts only).
 * Without --once it runs the kiosk's upload worker in the foreground until
 * SIGINT/SIGTERM, and with [public] relay = true the queue snapshot pusher beside it
 * (dev/relay.h); --once sends ratings only.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/outbox.h"
#include "dev/relay.h"
#include "dev/uploader.h"

static json_t *counts_json(const struct outbox_counts *oc)
{
	char iso[KCLOCK_ISO_MAX];
	json_t *j = json_pack("{s:I, s:I, s:I, s:I}", "pending", (json_int_t)oc->pending,
			      "rejected", (json_int_t)oc->rejected, "sent", (json_int_t)oc->sent,
			      "batches_waiting", (json_int_t)oc->batches_waiting);
	if (oc->next_at) {
		kclock_iso(oc->next_at, iso);
		json_object_set_new(j, "next_try_at", json_string(iso));
	}
	if (oc->last_sent_at) {
		kclock_iso(oc->last_sent_at, iso);
		json_object_set_new(j, "last_sent_at", json_string(iso));
	}
	json_object_set_new(j, "last_error", json_string(oc->last_error));
	return j;
}

static int run_forever(struct cli *c, const struct upl_opts *o)
{
	struct upl_worker *w;
	sigset_t set;
	long long last_pending = -1;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* Blocked before the thread starts, so only this thread takes them. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (upl_worker_start(&w, c->cfg, c->data_dir, o, &c->err))
		return cli_fail(c, c->err.code ? c->err.code : K_EFAIL);
	upl_worker_kick(w);
	/* [public] relay: the queue snapshots go the same way, on their own thread. */
	struct relay *r = NULL;
	struct kerr rerr = {0};
	if (c->cfg->public_relay && relay_start(&r, c->cfg, c->data_dir, o->url, &rerr))
		fprintf(stderr, "kiosk upload: warning: ticket page relay not started: %s\n", rerr.msg);
	for (;;) {
		struct timespec ts = {1, 0};
		struct upl_status s;
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		upl_worker_status(w, &s);
		if (s.pending != last_pending && !c->json) {
			fprintf(stderr, "kiosk upload: %lld pending, %lld sent, %lld set aside%s%s\n",
				s.pending, s.sent, s.rejected, s.last_error[0] ? "; last error: " : "",
				s.last_error);
			last_pending = s.pending;
		}
	}
	relay_stop(r);
	upl_worker_stop(w);
	return K_OK;
}

int cmd_upload(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"once", no_argument, 0, 'o'},      {"server", required_argument, 0, 's'},
		{"batch", required_argument, 0, 'b'}, {"timeout", required_argument, 0, 't'},
		{"requeue-rejected", no_argument, 0, 'r'}, {"status", no_argument, 0, 'S'},
		{0, 0, 0, 0}};
	const char *usage = "upload [--once] [--server URL] [--batch N] [--timeout SEC]"
			    " [--requeue-rejected] [--status]";
	struct upl_opts o = {0};
	int once = 0, requeue = 0, status = 0, v, opt;
	struct kstore st = {0};
	struct outbox_counts oc;
	struct upl_report rep = {0};
	struct upl *u = NULL;
	kst rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': once = 1; break;
		case 's': o.url = optarg; break;
		case 'b':
			if (cli_parse_int(optarg, 1, OUTBOX_BATCH_MAX, &o.batch))
				return cli_usage(usage);
			break;
		case 't':
			if (cli_parse_int(optarg, 1, 3600, &v))
				return cli_usage(usage);
			o.timeout_ms = v * 1000L;
			if (o.timeout_ms < UPL_CONNECT_TIMEOUT_MS)
				o.connect_timeout_ms = o.timeout_ms;
			break;
		case 'r': requeue = 1; break;
		case 'S': status = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind < argc)
		return cli_usage(usage);
	if ((rc = cli_load_config(c)))
		return rc;
	if (o.url && upl_check_url(o.url, &c->err))
		return cli_fail(c, K_EUSAGE);
	if ((rc = kstore_open(c->data_dir, &st, &c->err)))
		return cli_fail(c, rc);
	if (requeue) {
		int n;
		if ((rc = outbox_requeue_rejected(&st, &n, &c->err)))
			goto out;
		if (!c->json)
			fprintf(stderr, "kiosk upload: %d set-aside ratings queued again\n", n);
	}
	if (status) {
		outbox_counts(&st, &oc, &c->err);
		if (!c->json)
			printf("pending %lld, set aside %lld, sent %lld%s%s\n", oc.pending, oc.rejected,
			       oc.sent, oc.last_error[0] ? "; last error: " : "", oc.last_error);
		cli_print_json(c, counts_json(&oc));
		goto out;
	}
	if (!once) {
		kstore_close(&st);
		return run_forever(c, &o);
	}
	o.force = 1; /* staff asked for it now: waiting batches go without their delay */
	if ((rc = upl_open(&u, c->cfg, c->data_dir, &o, &c->err)))
		goto out;
	kst prc = upl_pass(u, &rep, &c->err);
	upl_close(u);
	if (prc == K_EUSAGE) {
		rc = prc;
		goto out;
	}
	outbox_counts(&st, &oc, &c->err);
	long long left = oc.pending + oc.rejected;
	if (!c->json) {
		if (!strcmp(cli_lang(c), "en"))
			printf("sent %d ratings in %d requests; %lld left (%lld set aside)\n", rep.sent,
			       rep.batches, left, oc.rejected);
		else
			printf("ส่งผลประเมิน %d รายการ (%d ครั้ง) เหลือ %lld รายการ (แยกไว้ %lld)\n",
			       rep.sent, rep.batches, left, oc.rejected);
	}
	json_t *j = json_pack("{s:i, s:I, s:I, s:I, s:i, s:I, s:s}", "sent", rep.sent, "left",
			      (json_int_t)left, "pending", (json_int_t)oc.pending, "rejected",
			      (json_int_t)oc.rejected, "requests", rep.batches, "last_status",
			      (json_int_t)rep.last_status, "last_error", rep.last_error);
	cli_print_json(c, j);
	if (prc)
		fprintf(stderr, "kiosk: %s\n", c->err.msg);
	else if (oc.rejected)
		fprintf(stderr, "kiosk: %lld ratings are set aside after the server refused them: %s\n",
			oc.rejected, oc.last_error);
	kstore_close(&st);
	return left ? K_EFAIL : K_OK;
out:
	kstore_close(&st);
	return rc ? cli_fail(c, rc) : K_OK;
}
