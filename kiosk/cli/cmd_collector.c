/**
 * @file cmd_collector.c
 * @brief `kiosk collector migrate|add-kiosk|revoke-kiosk|serve|report|open-data`: the
 * district's receiving end of the ratings upload, on PostgreSQL (kiosk/collector/,
 * docs/collector.md).
 *
 * The database is `--db URL` or KIOSK_COLLECTOR_DB (a libpq connection string). It
 * is never printed: it may carry a password.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "collector/db.h"
#include "collector/http.h"
#include "core/clock.h"
#include "dev/report_files.h"
#include "paper/chart_text.h"

#define COLLECTOR_PORT 8090 /* default of `serve`; 0 lets the kernel pick */

struct copts {
	const char *db, *office, *kiosk, *bind, *month, *out, *public_bind;
	int port, timeout, quiet, drain, to, public_port, stale;
};

static const char *synopsis =
    "collector migrate|add-kiosk|revoke-kiosk|serve|report|open-data --db URL"
    " [--office ID] [--kiosk ID] [--bind ADDR] [--port N] [--timeout SEC] [--drain SEC] [--quiet]"
    " [--month YYYY-MM] [--out DIR] [--to VERSION]"
    " [--public-port N] [--public-bind ADDR] [--stale SEC]";

static int parse(int argc, char **argv, struct copts *o)
{
	static const struct option opts[] = {
	    {"db", required_argument, 0, 'd'},	    {"office", required_argument, 0, 'o'},
	    {"kiosk", required_argument, 0, 'k'},   {"bind", required_argument, 0, 'b'},
	    {"port", required_argument, 0, 'p'},    {"month", required_argument, 0, 'm'},
	    {"timeout", required_argument, 0, 't'}, {"drain", required_argument, 0, 'D'},
	    {"quiet", no_argument, 0, 'q'},	    {"to", required_argument, 0, 'T'},
	    {"out", required_argument, 0, 'O'},
	    {"public-port", required_argument, 0, 'P'},
	    {"public-bind", required_argument, 0, 'B'},
	    {"stale", required_argument, 0, 'S'},
	    {0, 0, 0, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->db = getenv("KIOSK_COLLECTOR_DB");
	o->bind = "127.0.0.1";
	o->port = COLLECTOR_PORT;
	o->drain = CH_DRAIN_S;
	o->public_port = -1; /* no relay unless asked: the public address is a decision */
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->db = optarg;
			break;
		case 'o':
			o->office = optarg;
			break;
		case 'k':
			o->kiosk = optarg;
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 'm':
			o->month = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'p':
			if (cli_parse_int(optarg, 0, 65535, &o->port))
				return -1;
			break;
		case 't':
			if (cli_parse_int(optarg, 1, 3600, &o->timeout))
				return -1;
			break;
		case 'T':
			if (cli_parse_int(optarg, 1, CDB_SCHEMA_VERSION, &o->to))
				return -1;
			break;
		case 'O':
			o->out = optarg;
			break;
		case 'P':
			if (cli_parse_int(optarg, 0, 65535, &o->public_port))
				return -1;
			break;
		case 'B':
			o->public_bind = optarg;
			break;
		case 'S':
			if (cli_parse_int(optarg, 1, 86400, &o->stale))
				return -1;
			break;
		case 'D':
			if (cli_parse_int(optarg, 0, CH_DRAIN_MAX_S, &o->drain))
				return -1;
			break;
		default:
			return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

static int ids_ok(struct cli *c, const struct copts *o)
{
	if (!o->office || !o->kiosk) {
		kerr_set(&c->err, K_EUSAGE, "--office ID and --kiosk ID are both needed");
		return 0;
	}
	if (!cb_id_ok(o->office) || !cb_id_ok(o->kiosk)) {
		kerr_set(&c->err, K_EUSAGE,
			 "--office and --kiosk: 1-%d letters, digits, '-', '_' or '.' (as in "
			 "kiosk.conf)",
			 CB_ID_MAX);
		return 0;
	}
	return 1;
}

static int do_migrate(struct cli *c, PGconn *db, int to)
{
	int applied, v = to ? to : CDB_SCHEMA_VERSION;
	kst rc = cdb_migrate(db, to, &applied, &c->err);
	/* The partitions of the months around today, made ahead so that the first
	 * upload of a month does not have to (serve makes them too when missing). */
	if (!rc && v >= 2)
		rc = cdb_partitions_ahead(db, kclock_now(), &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (c->json)
		cli_print_json(c, json_pack("{s:i, s:i}", "applied", applied, "version", v));
	else
		printf("schema at version %d (%d migration%s applied now)\n", v, applied,
		       applied == 1 ? "" : "s");
	return K_OK;
}

static int do_add(struct cli *c, PGconn *db, const struct copts *o)
{
	char tok[CDB_TOKEN_MAX];
	kst rc = cdb_add_kiosk(db, o->office, o->kiosk, tok, &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (c->json) {
		cli_print_json(c, json_pack("{s:s, s:s, s:s}", "office", o->office, "kiosk",
					    o->kiosk, "token", tok));
	} else {
		fprintf(stderr,
			"kiosk %s of office %s registered. Its token, shown only this once (put it"
			" in the kiosk's data folder as server.token, mode 600):\n",
			o->kiosk, o->office);
		printf("%s\n", tok);
	}
	memset(tok, 0, sizeof tok);
	return K_OK;
}

static int do_revoke(struct cli *c, PGconn *db, const struct copts *o)
{
	kst rc = cdb_revoke_kiosk(db, o->office, o->kiosk, &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (c->json)
		cli_print_json(c, json_pack("{s:s, s:s, s:b}", "office", o->office, "kiosk",
					    o->kiosk, "revoked", 1));
	else
		printf("kiosk %s of office %s: token revoked\n", o->kiosk, o->office);
	return K_OK;
}

static void print_means(json_t *sat)
{
	for (int d = 0; d <= CB_SCORES; d++) {
		json_t *m = json_object_get(sat, d < CB_SCORES ? cb_score_keys[d] : "all");
		if (json_is_object(m))
			printf(" %8.2f", json_real_value(json_object_get(m, "mean")));
		else
			printf(" %8s", "-");
	}
	printf("\n");
}

#define OUT_DIR_MAX 1024 /* --out DIR's length, with room for "/office-<code>" */

/* The config folder gives service names (and the district's name) to the charts; a
 * district server may have none: then service ids and office codes stand in. */
static const struct kconfig *report_config(struct cli *c)
{
	static struct kconfig none;
	if (cli_load_config(c) == K_OK)
		return c->cfg;
	fprintf(stderr,
		"kiosk collector: no kiosk configuration in %s: the charts show service"
		" ids instead of names\n",
		c->config_dir);
	return &none;
}

/* `report --out DIR`: for every office DIR/office-<code>/ and for all of them DIR/all/,
 * each with the charts, report.json and summary.html of `kiosk report --out`, drawn by
 * the same writer from the same struct, filled from SQL. */
static int write_reports(struct cli *c, PGconn *db, const struct copts *o, json_t *j)
{
	static struct kconfig named; /* the config with the office's name; ~12 KB */
	struct cdb_office_report *rep;
	struct report_files files;
	struct kerr terr;
	char dir[OUT_DIR_MAX + CB_ID_MAX + 16];
	int n;

	if (strlen(o->out) > OUT_DIR_MAX) {
		kerr_set(&c->err, K_EUSAGE, "--out: a folder name of at most %d bytes",
			 OUT_DIR_MAX);
		return cli_fail(c, K_EUSAGE);
	}
	const struct kconfig *cfg = report_config(c);
	kst rc = cdb_report_full(db, o->month, o->office, cfg, &rep, &n, &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (mkdir(o->out, 0755) && errno != EEXIST) {
		kerr_set(&c->err, K_EFAIL, "%s: %s", o->out, strerror(errno));
		free(rep);
		return cli_fail(c, K_EFAIL);
	}
	/* Thai labels when the text engine can start; ASCII ones otherwise (as kiosk report). */
	int thai = chart_text_enable(&terr) == K_OK;
	if (!thai)
		fprintf(stderr, "kiosk collector: charts keep English labels: %s\n", terr.msg);
	json_t *written = json_array();
	const struct report_files_opts opts = {
	    .ratings_only = 1, .made_by = "ระบบรวบรวมผลประเมินของเขต (kiosk collector)"};
	/* With --office only that office; else all offices together first. */
	for (int i = o->office ? 1 : 0; i < n && !rc; i++) {
		named = *cfg;
		if (i == 0) {
			snprintf(dir, sizeof dir, "%s/all", o->out);
			snprintf(named.office_name_th, sizeof named.office_name_th,
				 "ทุกสำนักงาน (%d แห่ง)", n - 1);
			snprintf(named.office_name_en, sizeof named.office_name_en,
				 "all offices (%d)", n - 1);
			snprintf(named.office_code, sizeof named.office_code, "all");
		} else {
			/* office-<code>: a prefix, so no code ("all", "..") names another folder.
			 */
			snprintf(dir, sizeof dir, "%s/office-%s", o->out, rep[i].office);
			if (strcmp(cfg->office_code, rep[i].office)) {
				snprintf(named.office_name_th, sizeof named.office_name_th, "%s",
					 rep[i].office);
				snprintf(named.office_name_en, sizeof named.office_name_en, "%s",
					 rep[i].office);
			}
			snprintf(named.office_code, sizeof named.office_code, "%s", rep[i].office);
		}
		rc = report_write_files_opts(&rep[i].r, &named, dir, &opts, &files, &c->err);
		for (int f = 0; !rc && f < files.n; f++)
			json_array_append_new(written, json_string(files.path[f]));
		if (!rc && !c->json)
			printf("%s: %s/summary.html\n", i ? rep[i].office : "(all)", dir);
	}
	if (thai)
		chart_text_disable();
	free(rep);
	json_object_set_new(j, "files", written);
	if (rc)
		return cli_fail(c, rc);
	return K_OK;
}

static int do_report(struct cli *c, PGconn *db, const struct copts *o)
{
	int y, m, d;
	char day[16];
	json_t *j;
	snprintf(day, sizeof day, "%.7s-01", o->month ? o->month : "");
	if (!o->month || strlen(o->month) != 7 || kclock_parse_date(day, &y, &m, &d)) {
		kerr_set(&c->err, K_EUSAGE, "--month YYYY-MM is needed (e.g. --month 2026-11)");
		return cli_fail(c, K_EUSAGE);
	}
	if (o->office && !cb_id_ok(o->office)) {
		kerr_set(&c->err, K_EUSAGE, "--office: not an office code");
		return cli_fail(c, K_EUSAGE);
	}
	kst rc = cdb_report(db, o->month, o->office, &j, &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (o->out && (rc = write_reports(c, db, o, j))) {
		json_decref(j);
		return rc;
	}
	if (c->json) {
		cli_print_json(c, j);
		return K_OK;
	}
	printf("ratings %s: %lld\n", o->month,
	       (long long)json_integer_value(json_object_get(j, "ratings")));
	printf("%-20s %8s %6s %8s %8s %8s %8s %8s\n", "office", "ratings", "kiosks", "process",
	       "staff", "facility", "overall", "all");
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(j, "offices"), i, row)
	{
		printf("%-20s %8lld %6lld", json_string_value(json_object_get(row, "office")),
		       (long long)json_integer_value(json_object_get(row, "ratings")),
		       (long long)json_integer_value(json_object_get(row, "kiosks")));
		print_means(json_object_get(row, "satisfaction"));
	}
	json_t *all = json_object_get(j, "all");
	if (json_is_object(all)) {
		printf("%-20s %8lld %6lld", "(all)",
		       (long long)json_integer_value(json_object_get(all, "ratings")),
		       (long long)json_integer_value(json_object_get(all, "kiosks")));
		print_means(json_object_get(all, "satisfaction"));
	}
	json_decref(j);
	return K_OK;
}

static int do_serve(struct cli *c, const struct copts *o)
{
	struct ch_server *srv;
	sigset_t set;
	int sig;

	cli_serve_signals(&set); /* before any thread exists */
	struct ch_conf conf = {.db_url = o->db,
			       .bind = o->bind,
			       .port = o->port,
			       .timeout_s = o->timeout,
			       .quiet = o->quiet,
			       .public_bind = o->public_bind,
			       .public_port = o->public_port,
			       .stale_s = o->stale};
	kst rc = ch_start(&conf, &srv, &c->err);
	if (rc)
		return cli_fail(c, rc);
	if (ch_public_port(srv) >= 0) {
		const char *pb = o->public_bind ? o->public_bind : o->bind;
		/* Before the "serving" line: whoever waits for that one finds both. */
		fprintf(stderr, "public: serving http://%s%s%s:%d/\n", strchr(pb, ':') ? "[" : "",
			pb, strchr(pb, ':') ? "]" : "", ch_public_port(srv));
	}
	sig = cli_serve_wait(c, o->bind, ch_port(srv), &set);
	const char *name = sig == SIGTERM ? "SIGTERM" : "SIGINT";
	/* The operator (and systemd's journal) sees that the stop is waiting, and on what. */
	fprintf(stderr,
		"kiosk collector: %s: taking no new uploads; finishing those under way (at most"
		" %d s)\n",
		name, o->drain);
	struct ch_drained dr;
	ch_stop(srv, o->drain, &dr);
	fprintf(stderr,
		"kiosk collector: stopped (%s): %d request%s under way finished, %d cancelled"
		" (answered 503, the kiosks retry), %d abandoned\n",
		name, dr.under_way - dr.cancelled - dr.abandoned,
		dr.under_way - dr.cancelled - dr.abandoned == 1 ? "" : "s", dr.cancelled,
		dr.abandoned);
	return K_OK;
}

int cmd_collector(struct cli *c, int argc, char **argv)
{
	struct copts o;
	PGconn *db = NULL;
	int rc;

	if (argc < 2)
		return cli_usage(synopsis);
	const char *sub = argv[1];
	/* open-data has options of its own (--base-url, --org ...): cmd_collector_od.c */
	if (!strcmp(sub, "open-data"))
		return cmd_collector_open_data(c, argc - 1, argv + 1);
	if (parse(argc - 1, argv + 1, &o))
		return cli_usage(synopsis);
	int add = !strcmp(sub, "add-kiosk"), revoke = !strcmp(sub, "revoke-kiosk");
	if (strcmp(sub, "migrate") && !add && !revoke && strcmp(sub, "serve") &&
	    strcmp(sub, "report")) {
		fprintf(stderr, "kiosk collector: unknown subcommand '%.40s'\n", sub);
		return cli_usage(synopsis);
	}
	if ((add || revoke) && !ids_ok(c, &o))
		return cli_fail(c, K_EUSAGE);
	if (!strcmp(sub, "serve"))
		return do_serve(c, &o);
	if ((rc = cdb_connect(o.db, &db, &c->err)))
		return cli_fail(c, (kst)rc);
	if (!strcmp(sub, "migrate")) {
		rc = do_migrate(c, db, o.to);
	} else if ((rc = cdb_check_schema(db, &c->err))) {
		rc = cli_fail(c, (kst)rc);
	} else if (add) {
		rc = do_add(c, db, &o);
	} else if (revoke) {
		rc = do_revoke(c, db, &o);
	} else {
		rc = do_report(c, db, &o);
	}
	PQfinish(db);
	return rc;
}
