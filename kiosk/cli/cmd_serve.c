/**
 * @file cmd_serve.c
 * @brief `kiosk serve`: the counter API and page without a window; `kiosk serve --public`:
 * the public listener instead (net/public.h: the ticket on the phone, the checklists,
 * open data, live statistics), on its own address and port, never both in one process
 * (the counter API must stay off the public side).
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "net/api.h"
#include "net/public.h"

static int serve_public(struct cli *c, const char *bind, int port, int timeout, sigset_t *set)
{
	struct kpublic *pub;
	int sig;
	/* --port, else [public] port, else the default: `serve --public` needs no config edit. */
	struct kpublic_conf conf = {.cfg = c->cfg,
				    .data_dir = c->data_dir,
				    .bind = bind ? bind : c->cfg->public_bind,
				    .bind_name = bind ? "--bind" : "[public] bind =",
				    .port = port >= 0 ? port
					    : c->cfg->public_port ? c->cfg->public_port
								  : PUBLIC_DEFAULT_PORT,
				    .timeout_s = timeout};
	kst rc = kpublic_start(&conf, &pub, &c->err);
	if (rc)
		return cli_fail(c, rc);
	sig = cli_serve_wait(c, conf.bind, kpublic_port(pub), set);
	kpublic_stop(pub);
	fprintf(stderr, "kiosk serve --public: stopped (%s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	return K_OK;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"port", required_argument, 0, 'p'},
					     {"bind", required_argument, 0, 'b'},
					     {"timeout", required_argument, 0, 't'},
					     {"public", no_argument, 0, 'P'},
					     {0, 0, 0, 0}};
	const char *usage = "serve [--public] [--port N] [--bind ADDR] [--timeout SEC]";
	int port = -1, timeout = 0, o, sig, public = 0;
	const char *bind = NULL;
	struct kapi *api;
	sigset_t set;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p' && !cli_parse_int(optarg, 0, 65535, &port))
			continue;
		if (o == 't' && !cli_parse_int(optarg, 1, 3600, &timeout))
			continue;
		if (o == 'b') {
			bind = optarg;
			continue;
		}
		if (o == 'P') {
			public = 1;
			continue;
		}
		return cli_usage(usage);
	}
	if (optind < argc)
		return cli_usage(usage);
	kst rc = cli_load_config(c);
	if (rc)
		return rc;
	cli_serve_signals(&set); /* before any thread exists */
	if (public)
		return serve_public(c, bind, port, timeout, &set);
	struct kapi_conf conf = {.cfg = c->cfg,
				 .data_dir = c->data_dir,
				 .bind = bind ? bind : c->cfg->api_bind,
				 .port = port >= 0 ? port : c->cfg->api_port,
				 .timeout_s = timeout};
	if ((rc = kapi_start(&conf, &api, &c->err)))
		return cli_fail(c, rc);
	/* --port 0 picks a free one: scripts read it from the serving line. */
	sig = cli_serve_wait(c, conf.bind, kapi_port(api), &set);
	kapi_stop(api);
	fprintf(stderr, "kiosk serve: stopped (%s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	return K_OK;
}
