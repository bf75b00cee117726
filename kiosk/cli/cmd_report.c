/**
 * @file cmd_report.c
 * @brief `kiosk report --month YYYY-MM [--out DIR] [--include-flagged]`: the
 * monthly usage and satisfaction report (core/report.h). A text summary on
 * stdout (or the figures with --json); --out also writes the charts (PNG), the
 * figures (report.json) and a printable one-page summary.html.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/report.h"
#include "dev/report_files.h"
#include "paper/chart_text.h"

int cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"month", required_argument, 0, 'm'},
					     {"out", required_argument, 0, 'o'},
					     {"include-flagged", no_argument, 0, 'f'},
					     {0, 0, 0, 0}};
	const char *usage = "report --month YYYY-MM [--out DIR] [--include-flagged]";
	const char *month = NULL, *out = NULL;
	int flagged = 0, o, y, m;
	static struct report r; /* ~10 KB: keep it off the stack */
	struct report_files files;
	struct kstore st;
	char tail;
	kst rc;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'm': month = optarg; break;
		case 'o': out = optarg; break;
		case 'f': flagged = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (!month || optind < argc || strlen(month) != 7 ||
	    sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 || y < 1970)
		return cli_usage(usage);
	if ((rc = cli_load_config(c)))
		return rc;
	if ((rc = kstore_open(c->data_dir, &st, &c->err)))
		return cli_fail(c, rc);
	rc = report_month(&st, c->cfg, y, m, flagged, &r, &c->err);
	kstore_close(&st);
	if (rc)
		return cli_fail(c, rc);
	if (out) {
		/* Thai labels when the text engine can start; ASCII ones otherwise. */
		struct kerr terr;
		int thai = chart_text_enable(&terr) == K_OK;
		if (!thai && !c->json)
			fprintf(stderr, "kiosk: charts keep English labels: %s\n", terr.msg);
		rc = report_write_files(&r, c->cfg, out, &files, &c->err);
		if (thai)
			chart_text_disable();
		if (rc)
			return cli_fail(c, rc);
	}
	if (!c->json) {
		report_text(&r, c->cfg, cli_lang(c), stdout);
		if (out)
			printf("%s: %s/summary.html\n", !strcmp(cli_lang(c), "en") ? "one-page summary"
										   : "สรุปหนึ่งหน้า",
			       out);
	}
	json_t *j = report_json(&r, c->cfg);
	if (out) {
		json_t *fa = json_array();
		for (int i = 0; i < files.n; i++)
			json_array_append_new(fa, json_string(files.path[i]));
		json_object_set_new(j, "files", fa);
	}
	cli_print_json(c, j);
	return K_OK;
}
