/**
 * @file cli.h
 * @brief The `kiosk` subcommands (contract: shared/kiosk-cli.md).
 *
 * main.c strips the global options (--config, --data, --json) from anywhere on
 * the line, then calls one cmd_* with the rest (argv[0] = the command name).
 * A command returns its exit code: a kst value (0 ok, 1 failed, 2 usage/config,
 * 3 device absent, 4 device error).
 */
#ifndef KIOSK_CLI_H
#define KIOSK_CLI_H

#include <jansson.h>
#include <signal.h>

#include "core/err.h"
#include "dev/printer.h" /* plain C: enum printer_status, struct printer_target */

struct kconfig;

struct cli {
	const char *config_dir; /* --config / KIOSK_CONFIG / config/ / /etc/kiosk */
	const char *data_dir;	/* --data / KIOSK_DATA / var/ / /var/lib/kiosk */
	int json;		/* --json: exactly one JSON object on stdout */
	struct kconfig *cfg;	/* set by cli_load_config() */
	struct kerr err;
	char **argv; /* the whole command line, for cli_handover() */
	int draws;   /* this binary links the UI and the text engine (kiosk-ui) */
};

/* The kiosk-ui binary's name, beside this one (build/ or <prefix>/bin). */
#define CLI_UI_BINARY "kiosk-ui"
/* The screen-shot binary: the screens and the text engine only, none of the network,
 * card reader or database server libraries (a third of kiosk-ui's start). */
#define CLI_DRAW_BINARY "kiosk-draw"
/* Runs the same command line in kiosk-ui (execv: same pid, so systemd, signals and
 * `$!` in scripts still see the kiosk). Returns only on failure, with K_EFAIL. */
int cli_handover(struct cli *c);
/* The same to another sibling binary. */
int cli_handover_to(struct cli *c, const char *binary);

/* Loads and validates the configuration; on any problem prints every
 * `file:line: message` to stderr and returns K_EUSAGE (no partial start). */
kst cli_load_config(struct cli *c);
struct kstore;
struct kqueue;
/* Loads the config, opens the store in the data folder and sets up the queue. */
kst cli_open_queue(struct cli *c, struct kstore *st, struct kqueue *q);
/* The configured language ("th"/"en") for messages. */
const char *cli_lang(const struct cli *c);
/* Whole number in [lo,hi]; -1 when s is not one. */
int cli_parse_int(const char *s, int lo, int hi, int *out);

/* Prints c->err.msg (or msg) to stderr as one line and returns rc. */
int cli_fail(struct cli *c, kst rc);
/* Prints a usage line for the command to stderr and returns K_EUSAGE. */
int cli_usage(const char *synopsis);
/* With --json prints obj on stdout (one line); steals the reference. */
void cli_print_json(struct cli *c, json_t *obj);

/* A server command (serve, collector serve). Call before any thread exists: blocks
 * SIGTERM, SIGINT and SIGHUP so that only cli_serve_wait sees them, and ignores SIGPIPE. */
void cli_serve_signals(sigset_t *set);
/* Prints the line scripts read the port from ("serving http://HOST:PORT/", or JSON with
 * --json), then waits for SIGTERM or SIGINT and returns it (a SIGHUP from a closed
 * terminal does not stop a server). */
int cli_serve_wait(struct cli *c, const char *bind, int port, const sigset_t *set);

/* The paper ticket (cmd_ticket_paper.c, kiosk-ui only): the text engine must start
 * (fonts) before a number is taken. */
struct kticket_out;
struct ticket_layout;
struct ticket_outputs {
	const char *png, *escpos; /* --png, --escpos: files to write */
	int print;                /* --print: send to [printer] target */
};
kst cli_ticket_paper_init(struct cli *c);
void cli_ticket_paper_quit(void);
/* Renders and writes/sends; print_rc/print_st/perr say how printing went. */
kst cli_ticket_paper(struct cli *c, const struct kticket_out *out, const struct ticket_outputs *to,
		     const struct printer_target *pt, struct ticket_layout *lay, kst *print_rc,
		     enum printer_status *print_st, struct kerr *perr);

struct idcard;
struct rdr_stats;
/* Reads the ID card once (dev/cardreader.h rdr_read_once) with the hang alarm of
 * `kiosk card`: K_EABSENT no reader/card within wait_s, K_EDEVICE read failed or
 * card pulled (out wiped then). reader_used (RDR_NAME_MAX bytes) and st may be NULL.
 * The caller wipes out (idcard_wipe) when done. */
kst cli_card_read(struct cli *c, const char *reader, double wait_s, struct idcard *out,
		  char *reader_used, struct rdr_stats *st);

/* Each lives in kiosk/cli/cmd_<name>.c */
int cmd_check_config(struct cli *c, int argc, char **argv);
int cmd_services(struct cli *c, int argc, char **argv);
int cmd_ticket(struct cli *c, int argc, char **argv);
int cmd_call(struct cli *c, int argc, char **argv);
int cmd_counter_op(struct cli *c, int argc, char **argv); /* recall finish no-show transfer */
int cmd_queue(struct cli *c, int argc, char **argv);
int cmd_card(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
int cmd_shot(struct cli *c, int argc, char **argv);
int cmd_display(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_counter_token(struct cli *c, int argc, char **argv);
int cmd_announce(struct cli *c, int argc, char **argv);
int cmd_simulate(struct cli *c, int argc, char **argv);
int cmd_upload(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_rate(struct cli *c, int argc, char **argv);
int cmd_admin_pin(struct cli *c, int argc, char **argv);
int cmd_collector(struct cli *c, int argc, char **argv); /* the district server */
int cmd_site(struct cli *c, int argc, char **argv);      /* the static public site */

/* `kiosk collector open-data` (cmd_collector_od.c): argv[0] = "open-data". */
int cmd_collector_open_data(struct cli *c, int argc, char **argv);

#endif
