/**
 * @file cmd_collector_od.c
 * @brief `kiosk collector open-data`: the district's open data files (satisfaction per
 * month, office and service, small cells suppressed) from the ratings in PostgreSQL,
 * written atomically into one folder an operator copies to the web server or uploads
 * to data.go.th (docs/collector.md, "Open data for the district").
 *
 * Part of `kiosk collector` (cmd_collector.c hands the sub-subcommand over here before
 * parsing its own options). The database URL is never printed: it may hold a password.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "collector/batch.h"
#include "collector/db.h"
#include "collector/opendata.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/opendata_district.h"

static const char *synopsis =
    "collector open-data --db URL --out DIR [--month YYYY-MM] [--base-url URL] [--org ID]"
    " [--maintainer TEXT] [--email ADDR]";

struct odopts {
	const char *db, *out, *month, *base, *org, *maintainer, *email;
};

static int parse(int argc, char **argv, struct odopts *o)
{
	static const struct option opts[] = {
	    {"db", required_argument, 0, 'd'},	  {"out", required_argument, 0, 'O'},
	    {"month", required_argument, 0, 'm'}, {"base-url", required_argument, 0, 'b'},
	    {"org", required_argument, 0, 'g'},	  {"maintainer", required_argument, 0, 'M'},
	    {"email", required_argument, 0, 'e'}, {0, 0, 0, 0}};
	int c;
	memset(o, 0, sizeof *o);
	o->db = getenv("KIOSK_COLLECTOR_DB");
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->db = optarg;
			break;
		case 'O':
			o->out = optarg;
			break;
		case 'm':
			o->month = optarg;
			break;
		case 'b':
			o->base = optarg;
			break;
		case 'g':
			o->org = optarg;
			break;
		case 'M':
			o->maintainer = optarg;
			break;
		case 'e':
			o->email = optarg;
			break;
		default:
			return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

/* Text for metadata.json: 1..OD_TEXT_MAX-1 bytes of UTF-8 without control bytes. */
static int text_ok(const char *s)
{
	size_t n = s ? strnlen(s, OD_TEXT_MAX) : 0;
	if (!n || n >= OD_TEXT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return 0;
	json_t *j = json_string(s); /* NULL when not UTF-8 */
	json_decref(j);
	return j != NULL;
}

static int email_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	return text_ok(s) && at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " <>\"");
}

static int bad(struct cli *c, const char *msg)
{
	kerr_set(&c->err, K_EUSAGE, "%s", msg);
	return cli_fail(c, K_EUSAGE);
}

/* Everything from the command line (and the config folder) that does not need the
 * database, checked before connecting: a typo costs nothing. */
static int check(struct cli *c, struct odopts *o, struct od_district *d)
{
	int y, m, day;
	char first[16];
	if (!o->out)
		return bad(c, "ต้องระบุ --out DIR (โฟลเดอร์ที่จะเขียนข้อมูลเปิด) / --out DIR is needed"
			      " (the folder to write the open data into)");
	if (o->month) {
		snprintf(first, sizeof first, "%.7s-01", o->month);
		if (strlen(o->month) != 7 || kclock_parse_date(first, &y, &m, &day))
			return bad(c, "--month ต้องเป็นปี-เดือนแบบ YYYY-MM เช่น 2026-11 / --month must"
				      " be YYYY-MM, e.g. 2026-11");
		d->only_year = y;
		d->only_month = m;
	}
	/* The district's names and contact: flags first, else the config folder's [office]
	 * (a district server may keep a copy of its kiosks' config for the service names). */
	const struct kconfig *cfg = cli_load_config(c) == K_OK ? c->cfg : NULL;
	if (!cfg)
		fprintf(stderr,
			"kiosk collector: ไม่มีการตั้งค่าที่ %s: ใช้รหัสบริการแทนชื่อ / no kiosk"
			" configuration in %s: service ids stand for their names\n",
			c->config_dir, c->config_dir);
	d->cfg = cfg;
	d->org = o->org ? o->org : cfg && cfg->office_code[0] ? cfg->office_code : NULL;
	d->maintainer = o->maintainer			? o->maintainer
			: cfg && cfg->office_name_th[0] ? cfg->office_name_th
							: NULL;
	d->email = o->email ? o->email : cfg && cfg->office_email[0] ? cfg->office_email : NULL;
	d->name_th = cfg && cfg->office_name_th[0] ? cfg->office_name_th : d->maintainer;
	d->name_en = cfg && cfg->office_name_en[0] ? cfg->office_name_en : d->org;
	if (!d->org || !cb_id_ok(d->org))
		return bad(c,
			   "ต้องระบุหน่วยงานเจ้าของข้อมูล --org ID (ตัวอักษร ตัวเลข - _ .) หรือ [office] code"
			   " ในการตั้งค่า / the owner organisation is needed: --org ID (letters,"
			   " digits, '-', '_', '.') or [office] code in the config");
	if (!text_ok(d->maintainer) || !text_ok(d->name_th) || !text_ok(d->name_en))
		return bad(c, "ต้องระบุผู้ดูแลข้อมูล --maintainer TEXT หรือ [office] name_th ในการตั้งค่า"
			      " / the maintainer is needed: --maintainer TEXT (one line of text) or"
			      " [office] name_th in the config");
	if (!email_ok(d->email))
		return bad(c,
			   "ต้องระบุอีเมลผู้ดูแลข้อมูล --email ADDR หรือ [office] email ในการตั้งค่า"
			   " (data.go.th ต้องมี) / the maintainer's e-mail is needed: --email ADDR or"
			   " [office] email in the config (data.go.th requires it)");
	return K_OK;
}

int cmd_collector_open_data(struct cli *c, int argc, char **argv)
{
	struct odopts o;
	struct od_district d;
	struct od_written w;
	PGconn *db = NULL;
	kst rc;

	memset(&d, 0, sizeof d);
	if (parse(argc, argv, &o))
		return cli_usage(synopsis);
	if ((rc = (kst)check(c, &o, &d)))
		return rc;
	if ((rc = opendata_district_check(o.out, o.base, &c->err)))
		return cli_fail(c, rc);
	if ((rc = cdb_connect(o.db, &db, &c->err)) || (rc = cdb_check_schema(db, &c->err))) {
		kerr_prefix(&c->err, "ยังไม่ได้เขียนข้อมูลเปิด / open data not written: ");
		PQfinish(db);
		return cli_fail(c, rc);
	}
	rc = cod_cells(db, o.month, &d.cells, &d.n, &c->err);
	PQfinish(db);
	if (!rc)
		rc = opendata_district_write(&d, o.out, o.base, &w, &c->err);
	free(d.cells);
	if (rc)
		return cli_fail(c, rc);
	if (c->json) {
		cli_print_json(c,
			       json_pack("{s:s, s:i, s:I, s:i, s:I, s:i}", "out", o.out, "files",
					 w.files, "bytes", (json_int_t)w.bytes, "months", w.months,
					 "rows", (json_int_t)w.rows, "suppressed", w.hidden));
	} else {
		printf("ข้อมูลเปิดของเขต / district open data: %s: %d files, %lld bytes, %d month%s,"
		       " %ld rows (%d with means left empty: under %d ratings or their"
		       " complement)\n",
		       o.out, w.files, w.bytes, w.months, w.months == 1 ? "" : "s", w.rows,
		       w.hidden, OD_SUPPRESS_BELOW);
	}
	return K_OK;
}
