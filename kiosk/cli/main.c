/**
 * @file main.c
 * @brief Entry point: global options, then one subcommand from the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/clock.h"

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
    {"check-config", cmd_check_config, "validate every config file"},
    {"services", cmd_services, "list the service catalogue"},
    {"ticket", cmd_ticket, "issue a queue ticket (--service ID [--priority])"},
    {"call", cmd_call, "call the next ticket to a counter (--counter N)"},
    {"recall", cmd_counter_op, "call the counter's ticket again"},
    {"finish", cmd_counter_op, "the counter's ticket is served"},
    {"no-show", cmd_counter_op, "the counter's ticket did not come"},
    {"transfer", cmd_counter_op, "send the counter's ticket to another service (--to ID)"},
    {"start", cmd_counter_op, "the citizen is at the counter: serving starts"},
    {"queue", cmd_queue, "waiting per service, serving per counter"},
    {"rate", cmd_rate, "rate a ticket served today (--ticket N --scores P,S,F,O)"},
    {"upload", cmd_upload, "send ratings to the district server ([--once] [--server URL])"},
    {"export", cmd_export, "ratings to a USB stick: CSV, JSON, SHA256SUMS (--to DIR)"},
    {"simulate", cmd_simulate, "write a realistic history (--days N [--per-day M] [--seed S])"},
    {"report", cmd_report, "monthly usage and satisfaction (--month YYYY-MM [--out DIR])"},
    {"serve", cmd_serve, "the counter API and counter page (--port N)"},
    {"counter-token", cmd_counter_token, "print counter N's API token (--counter N)"},
    {"display", cmd_display, "the queue board for the lobby TV ([--source URL] [--headless] ...)"},
    {"announce", cmd_announce,
     "say a call as the board does (--number A023 --counter N [--wav F])"},
    {"admin-pin", cmd_admin_pin, "set the admin screen's PIN (read twice from stdin)"},
    {"run", cmd_run, "the lobby kiosk (--windowed, --headless, --script FILE ...)"},
    {"shot", cmd_shot, "render one screen to PNG (--screen NAME --out FILE.png)"},
    {"card", cmd_card, "read the Thai ID card once ([--reader NAME] [--wait SEC] [--reveal])"},
    {"collector", cmd_collector,
     "the district server on PostgreSQL (migrate|add-kiosk|revoke-kiosk|serve|report --db URL)"},
    {"help", NULL, "this list"},
};

static int usage(void)
{
	fprintf(stderr, "usage: kiosk [--config DIR] [--data DIR] [--json] COMMAND [options]\n"
			"commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "  %-14s %s\n", commands[i].name, commands[i].help);
	return K_EUSAGE;
}

/* The source tree's config/ when run from it, else the installed path. */
static const char *default_dir(const char *env, const char *tree, const char *installed)
{
	const char *v = getenv(env);
	if (v && *v)
		return v;
	return access("kiosk/cli/main.c", F_OK) == 0 ? tree : installed;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int n = 0;

	if (!rest)
		return K_EFAIL;
	/* Everything the kiosk writes (database, device key, logs) is its own. */
	umask(077);
	c.config_dir = default_dir("KIOSK_CONFIG", "config", "/etc/kiosk");
	c.data_dir = default_dir("KIOSK_DATA", "var", "/var/lib/kiosk");
	/* Global options may stand anywhere on the line. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json")) {
			c.json = 1;
		} else if (!strcmp(a, "--config") || !strcmp(a, "--data")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kiosk: %s needs a folder\n", a);
				free(rest);
				return usage();
			}
			*(a[2] == 'c' ? &c.config_dir : &c.data_dir) = argv[++i];
		} else if (!strncmp(a, "--config=", 9)) {
			c.config_dir = a + 9;
		} else if (!strncmp(a, "--data=", 7)) {
			c.data_dir = a + 7;
		} else {
			rest[n++] = argv[i];
		}
	}
	int rc = K_EUSAGE;
	if (n == 0 || !strcmp(rest[0], "--help") || !strcmp(rest[0], "help")) {
		rc = usage();
		goto out;
	}
	if (kclock_check_env(&c.err)) {
		rc = cli_fail(&c, K_EUSAGE);
		goto out;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (!strcmp(rest[0], commands[i].name)) {
			rc = commands[i].fn ? commands[i].fn(&c, n, rest) : usage();
			goto out;
		}
	}
	fprintf(stderr, "kiosk: unknown command '%s'\n", rest[0]);
	rc = usage();
out:
	free(rest);
	return rc;
}
