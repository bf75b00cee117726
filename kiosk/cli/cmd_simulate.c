/**
 * @file cmd_simulate.c
 * @brief `kiosk simulate --days N [--per-day M] [--seed S]`: a realistic
 * history for demos, training and benchmarks (core/simulate.h). Extra:
 * --queue-upload (queue the simulated ratings for the district server, for a
 * demo against a test server) and --force (a data folder with real tickets).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/simulate.h"

int cmd_simulate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"days", required_argument, 0, 'd'},  {"per-day", required_argument, 0, 'p'},
		{"seed", required_argument, 0, 's'},  {"queue-upload", no_argument, 0, 'q'},
		{"force", no_argument, 0, 'f'},       {0, 0, 0, 0}};
	const char *usage = "simulate --days N [--per-day M] [--seed S] [--queue-upload] [--force]";
	struct sim_opts so = {.per_day = SIM_PER_DAY_DEFAULT};
	struct sim_result r;
	struct kstore st;
	int o, have_seed = 0;
	kst rc;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			if (cli_parse_int(optarg, 1, SIM_DAYS_MAX, &so.days))
				return cli_usage(usage);
			break;
		case 'p':
			if (cli_parse_int(optarg, 1, SIM_PER_DAY_MAX, &so.per_day))
				return cli_usage(usage);
			break;
		case 's': {
			char *end;
			so.seed = strtoull(optarg, &end, 10);
			if (!*optarg || *end)
				return cli_usage(usage);
			have_seed = 1;
			break;
		}
		case 'q': so.queue_upload = 1; break;
		case 'f': so.force = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (!so.days || optind < argc)
		return cli_usage(usage);
	if (!have_seed && getrandom(&so.seed, sizeof so.seed, 0) != sizeof so.seed)
		so.seed = (uint64_t)kclock_now();
	if ((rc = cli_load_config(c)))
		return rc;
	if ((rc = kstore_open(c->data_dir, &st, &c->err)))
		return cli_fail(c, rc);
	rc = sim_run(&st, c->cfg, &so, kclock_now(), &r, &c->err);
	kstore_close(&st);
	if (rc)
		return cli_fail(c, rc);
	if (!c->json)
		printf("%ld tickets and %ld ratings over %ld working days (seed %llu)\n", r.tickets,
		       r.ratings, r.days, (unsigned long long)so.seed);
	cli_print_json(c, json_pack("{s:I, s:I, s:I, s:I}", "tickets", (json_int_t)r.tickets,
				    "ratings", (json_int_t)r.ratings, "days", (json_int_t)r.days,
				    "seed", (json_int_t)so.seed));
	return K_OK;
}
