/**
 * @file cli.c
 * @brief Helpers shared by the subcommands: messages, usage, JSON output.
 */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/queue.h"
#include "core/store.h"

int cli_fail(struct cli *c, kst rc)
{
	fprintf(stderr, "kiosk: %s\n", c->err.msg[0] ? c->err.msg : "failed");
	return rc;
}

int cli_handover(struct cli *c)
{
	return cli_handover_to(c, CLI_UI_BINARY);
}

int cli_handover_to(struct cli *c, const char *binary)
{
	char exe[PATH_MAX], ui[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0 || !(exe[n] = 0, slash = strrchr(exe, '/'))) {
		kerr_set(&c->err, K_EFAIL, "cannot find this binary's folder (/proc/self/exe): %s",
			 n < 0 ? strerror(errno) : "no path");
		return cli_fail(c, K_EFAIL);
	}
	*slash = 0;
	snprintf(ui, sizeof ui, "%s/%s", exe, binary);
	/* argv[0] stays what the user typed: messages and ps still say "kiosk". */
	execv(ui, c->argv);
	kerr_set(&c->err, K_EFAIL, "%s: %s (installed beside kiosk?)", ui, strerror(errno));
	return cli_fail(c, K_EFAIL);
}

int cli_usage(const char *synopsis)
{
	fprintf(stderr, "usage: kiosk %s\n", synopsis);
	return K_EUSAGE;
}

void cli_print_json(struct cli *c, json_t *obj)
{
	if (c->json && obj) {
		char *s = json_dumps(obj, JSON_COMPACT);
		if (s) {
			puts(s);
			free(s);
		}
	}
	json_decref(obj);
}

kst cli_load_config(struct cli *c)
{
	static struct kconfig cfg;
	static struct kdiag diag;

	if (c->cfg)
		return K_OK;
	memset(&diag, 0, sizeof diag);
	if (kconfig_load_cached(c->config_dir, c->data_dir, &cfg, &diag)) {
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.line[i]);
		if (diag.dropped)
			fprintf(stderr, "%s: ... and %d more problems\n", c->config_dir, diag.dropped);
		kerr_set(&c->err, K_EUSAGE, "%d configuration problem(s) in %s", kdiag_count(&diag),
			 c->config_dir);
		return K_EUSAGE;
	}
	c->cfg = &cfg;
	return K_OK;
}

kst cli_open_queue(struct cli *c, struct kstore *st, struct kqueue *q)
{
	kst rc = cli_load_config(c);
	if (rc)
		return rc;
	if ((rc = kstore_open(c->data_dir, st, &c->err)))
		return rc;
	q->st = st;
	q->cfg = c->cfg;
	return K_OK;
}

const char *cli_lang(const struct cli *c)
{
	return c->cfg ? c->cfg->language : "th";
}

int cli_parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;
	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Room for a numeric bind address (IPv6 with a zone) in brackets. */
#define CLI_HOST_MAX 96

void cli_serve_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int cli_serve_wait(struct cli *c, const char *bind, int port, const sigset_t *set)
{
	char host[CLI_HOST_MAX];
	int sig;

	snprintf(host, sizeof host, strchr(bind, ':') ? "[%s]" : "%s", bind);
	if (c->json)
		printf("{\"url\":\"http://%s:%d/\",\"port\":%d}\n", host, port, port);
	else
		printf("serving http://%s:%d/\n", host, port);
	fflush(stdout);
	do {
		sigwait(set, &sig);
	} while (sig == SIGHUP);
	return sig;
}
