/* The open data files (core/opendata.h): every file listed renders, JSON parses, CSV is
 * RFC 4180 with snake_case headers and a BOM variant that differs by the BOM only;
 * satisfaction cells from fewer than 5 ratings are empty (and the one that would give
 * them back by subtraction too); no comment, ticket number or other free text reaches a
 * file; unknown names and bad base URLs are refused. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/opendata.h"
#include "core/rating.h"
#include "tap.h"

static struct kconfig cfg;
static const char *SECRET = "ความลับของผู้ประเมิน 0812345678"; /* a comment: never published */

static void served_and_rated(struct kstore *st, const char *day, int seq, const char *svc,
			     char prefix, int score)
{
	struct kerr err;
	char num[8], iso[40];
	int64_t t0;
	snprintf(num, sizeof num, "%c%03d", prefix, seq);
	snprintf(iso, sizeof iso, "%sT09:00:00+07:00", day);
	kclock_parse_iso(iso, &t0);
	char pfx[2] = {prefix, 0};
	kstore_run(st, kstore_prep(st, "INSERT INTO tickets(day, prefix, seq, number, service, state,"
				       " issued_at, queued_at, called_at, done_at, counter, calls)"
				       " VALUES(?,?,?,?,?,'done',?,?,?,?,1,1)",
				   "ssisslll" "l", day, pfx, seq, num, svc, t0, t0, t0 + 600, t0 + 1500),
		   &err, "ticket");
	if (score < 1)
		return;
	struct rating r;
	memset(&r, 0, sizeof r);
	rating_uuid(r.id, &err);
	r.ticket_id = sqlite3_last_insert_rowid(st->db);
	snprintf(r.ticket, sizeof r.ticket, "%s", num);
	snprintf(r.service, sizeof r.service, "%s", svc);
	snprintf(r.day, sizeof r.day, "%s", day);
	r.at = t0 + 1600;
	r.score[0] = r.score[1] = r.score[2] = r.score[3] = score;
	snprintf(r.comment, sizeof r.comment, "%s", SECRET);
	r.source = seq % 2 ? RATING_PHONE : RATING_QR;
	if (rating_insert(st, &r, 0, &err))
		printf("# %s\n", err.msg);
}

/* Records of an RFC 4180 text: how many, and whether each has `cols` fields. */
static int csv_records(const char *p, size_t len, int cols, int *bad)
{
	int records = 0, fields = 1, q = 0;
	*bad = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (q) {
			if (c == '"' && i + 1 < len && p[i + 1] == '"')
				i++;
			else if (c == '"')
				q = 0;
		} else if (c == '"') {
			q = 1;
		} else if (c == ',') {
			fields++;
		} else if (c == '\r' && i + 1 < len && p[i + 1] == '\n') {
			*bad += fields != cols;
			records++;
			fields = 1;
			i++;
		} else if (c == '\n' || c == '\r') {
			(*bad)++; /* a bare line break outside quotes */
		}
	}
	return records;
}

/* Field k of the CSV record whose first field starts with `first` (unquoted cells only). */
static void csv_cell(const char *csv, const char *row_has, int k, char *out, size_t cap)
{
	const char *line = strstr(csv, row_has);
	out[0] = 0;
	if (!line)
		return;
	while (line > csv && line[-1] != '\n')
		line--;
	for (int f = 0; f < k && line; f++) {
		line = strchr(line, ',');
		if (line)
			line++;
	}
	if (!line)
		return;
	size_t n = strcspn(line, ",\r\n");
	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), line);
}

static char *render(struct kstore *st, const char *name, const char *base, size_t *len, kst *rc)
{
	char *body;
	const char *ct;
	struct kerr err;
	*rc = opendata_render(st, &cfg, name, base, &body, len, &ct, &err);
	return body;
}

int main(void)
{
	struct kdiag d = {0};
	struct kstore st;
	struct kerr err;
	char dir[64], cmd[96];

	if (kconfig_load("config", &cfg, &d)) {
		printf("not ok 1 - shipped config loads\n");
		return 1;
	}
	snprintf(cfg.office_email, sizeof cfg.office_email, "admin@bangkhae.example");
	/* A name that needs quoting in CSV: comma, quotes. */
	cfg.catalog.svc[0].name.en = "Personal certificate, \"the usual\"";
	setenv("KIOSK_NOW", "2026-11-30T18:00:00+07:00", 1);
	snprintf(dir, sizeof dir, "/tmp/kiosk-tod.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) || kstore_open(dir, &st, &err))
		return 2;

	/* October: personal-cert 6 ratings, marital-status 2 (too few), signature-cert 9.
	 * November: personal-cert exactly 5, marital-status a ticket without a rating. */
	kstore_begin(&st, &err);
	for (int i = 1; i <= 6; i++)
		served_and_rated(&st, "2026-10-05", i, "personal-cert", 'A', 4);
	for (int i = 1; i <= 2; i++)
		served_and_rated(&st, "2026-10-05", i, "marital-status", 'B', 1);
	for (int i = 1; i <= 9; i++)
		served_and_rated(&st, "2026-10-06", i, "signature-cert", 'C', 5);
	for (int i = 1; i <= 5; i++)
		served_and_rated(&st, "2026-11-02", i, "personal-cert", 'A', 3);
	served_and_rated(&st, "2026-11-02", 1, "marital-status", 'B', 0);
	kstore_commit(&st, &err);

	/* The list. */
	struct od_file f[OD_FILES_MAX];
	int n = opendata_list(&st, &cfg, f, OD_FILES_MAX);
	IS_INT(n, 3 + 2 * 3 + 7, "3 catalogue files, 3 per month with data (2), 7 more");
	IS_STR(f[0].name, "catalogue.csv", "the catalogue first");
	IS_STR(f[3].name, "stats-2026-10.csv", "then October");
	IS_STR(f[4].name, "stats-2026-10-bom.csv", "with its Excel variant");
	IS_STR(f[6].name, "stats-2026-11.csv", "then November: months in order");
	IS_STR(f[n - 1].name, "dcat.jsonld", "DCAT last");
	IS_INT(opendata_list(&st, &cfg, f, 4), 4, "a short list when the caller has room for 4");

	/* Every file listed renders, in its own type; JSON parses. */
	n = opendata_list(&st, &cfg, f, OD_FILES_MAX);
	int rendered = 0, json_ok = 0, json_files = 0, ct_ok = 0, secret = 0, tickets = 0;
	for (int i = 0; i < n; i++) {
		char *body;
		size_t len;
		const char *ct;
		if (opendata_render(&st, &cfg, f[i].name, "https://queue.bangkhae.example/open-data/",
				    &body, &len, &ct, &err) || !body || !len) {
			printf("# %s: %s\n", f[i].name, err.msg);
			continue;
		}
		rendered++;
		ct_ok += ct && !strcmp(ct, f[i].ctype);
		if (strstr(f[i].name, ".json")) {
			json_files++;
			json_error_t je;
			json_t *j = json_loadb(body, len, 0, &je);
			json_ok += j != NULL;
			json_decref(j);
		}
		secret += strstr(body, "ความลับ") != NULL || strstr(body, "0812345678") != NULL;
		tickets += strstr(body, "A001") != NULL || strstr(body, "C009") != NULL;
		free(body);
	}
	IS_INT(rendered, n, "all %d files listed render", n);
	IS_INT(ct_ok, n, "each with the content type the list gives");
	IS_INT(json_ok, json_files, "all %d JSON and JSON-LD files parse", json_files);
	IS_INT(secret, 0, "no comment text in any file");
	IS_INT(tickets, 0, "no ticket number in any file");

	/* CSV. */
	size_t len, blen;
	kst rc;
	char *csv = render(&st, "stats-2026-10.csv", "", &len, &rc);
	char *bom = render(&st, "stats-2026-10-bom.csv", "", &blen, &rc);
	OK(csv && bom && blen == len + 3 && !memcmp(bom, "\xEF\xBB\xBF", 3) && !memcmp(bom + 3, csv, len),
	   "the Excel variant is the same bytes after a UTF-8 BOM");
	OK(csv && (unsigned char)csv[0] != 0xEF, "the plain CSV has no BOM");
	int bad, recs = csv ? csv_records(csv, len, 21, &bad) : 0;
	IS_INT(recs, 1 + 3, "a header and a row per service used in October");
	IS_INT(bad, 0, "every record has all 21 fields and ends in CRLF");
	OK(csv && !strncmp(csv, "month,office_code,service_id,service_name_th,service_name_en,users,lookups,"
				"served,no_shows,cancelled,mean_wait_min,mean_service_min,ratings,",
			   110),
	   "English snake_case column names, no spaces");
	char cell[64];
	csv_cell(csv, "marital-status", 12, cell, sizeof cell);
	IS_STR(cell, "2", "marital-status: 2 ratings counted ...");
	csv_cell(csv, "marital-status", 13, cell, sizeof cell);
	IS_STR(cell, "", "... so its satisfaction cells are empty (fewer than 5)");
	csv_cell(csv, "marital-status", 20, cell, sizeof cell);
	IS_STR(cell, "", "and its band too");
	csv_cell(csv, ",personal-cert,", 17, cell, sizeof cell);
	IS_STR(cell, "", "personal-cert (6) is hidden too: the office mean minus the others would give marital-status back");
	csv_cell(csv, "signature-cert", 17, cell, sizeof cell);
	IS_STR(cell, "5.00", "signature-cert (9 ratings) is published: 5.00");
	csv_cell(csv, "signature-cert", 18, cell, sizeof cell);
	IS_STR(cell, "5", "with its band");
	csv_cell(csv, "signature-cert", 10, cell, sizeof cell);
	IS_STR(cell, "10.0", "mean wait 10.0 min");
	csv_cell(csv, "signature-cert", 11, cell, sizeof cell);
	IS_STR(cell, "15.0", "mean service 15.0 min");
	free(csv);
	free(bom);
	csv = render(&st, "stats-2026-11.csv", "", &len, &rc);
	csv_cell(csv, ",personal-cert,", 17, cell, sizeof cell);
	IS_STR(cell, "3.00", "exactly 5 ratings are published (November: 3.00)");
	csv_cell(csv, "marital-status", 12, cell, sizeof cell);
	IS_STR(cell, "0", "a service used without ratings: 0 ratings, empty cells");
	free(csv);
	csv = render(&st, "stats.csv", "", &len, &rc);
	recs = csv ? csv_records(csv, len, 21, &bad) : 0;
	IS_INT(recs, 1 + 3 + 2, "stats.csv: both months, one header");
	free(csv);

	csv = render(&st, "catalogue.csv", "", &len, &rc);
	recs = csv ? csv_records(csv, len, 14, &bad) : 0;
	IS_INT(recs, 1 + (int)cfg.catalog.n, "catalogue.csv: a row per service");
	IS_INT(bad, 0, "quoted fields keep every row at 14 fields");
	OK(csv && strstr(csv, ",\"Personal certificate, \"\"the usual\"\"\","),
	   "a comma and quotes in a name are quoted as RFC 4180 says");
	free(csv);
	csv = render(&st, "dictionary.csv", "", &len, &rc);
	recs = csv ? csv_records(csv, len, 5, &bad) : 0;
	IS_INT(recs, 1 + 14 + 21, "the dictionary: every column of both datasets");
	IS_INT(bad, 0, "dictionary rows have 5 fields");
	OK(csv && !strncmp(csv, "dataset,field,type,description_th,description_en\r\n", 50),
	   "dictionary columns: dataset, field, type, description_th, description_en");
	OK(csv && strstr(csv, "satisfaction_all,number,") && strstr(csv, "น้อยกว่า 5 คน") &&
		   strstr(csv, "fewer than 5 ratings"),
	   "the dictionary says which cells are suppressed, in Thai and English");
	free(csv);

	/* JSON shapes. */
	char *js = render(&st, "stats-2026-10.json", "", &len, &rc);
	json_t *j = js ? json_loads(js, 0, NULL) : NULL;
	json_t *rows = json_object_get(j, "rows");
	IS_INT(json_array_size(rows), 3, "stats JSON: 3 rows");
	IS_INT(json_integer_value(json_object_get(j, "suppress_below")), OD_SUPPRESS_BELOW,
	       "says the suppression threshold");
	int nulls = 0;
	size_t i;
	json_t *v;
	json_array_foreach(rows, i, v) if (!strcmp(json_string_value(json_object_get(v, "service_id")),
						    "marital-status")) nulls +=
		json_is_null(json_object_get(v, "satisfaction_all"));
	IS_INT(nulls, 1, "a suppressed cell is null in JSON");
	json_decref(j);
	free(js);

	js = render(&st, "metadata.json", "https://queue.bangkhae.example/open-data/", &len, &rc);
	j = js ? json_loads(js, 0, NULL) : NULL;
	const char *ckan[] = {"title", "notes", "owner_org", "maintainer", "maintainer_email", "objective",
			      "update_frequency", "geo_coverage", "data_source", "data_category",
			      "license_id", "first_year_of_data", "last_year_of_data"};
	int have = 0;
	for (size_t k = 0; k < sizeof ckan / sizeof ckan[0]; k++) {
		const char *s = json_string_value(json_object_get(j, ckan[k]));
		if (s && *s)
			have++;
		else
			printf("# missing %s\n", ckan[k]);
	}
	IS_INT(have, (int)(sizeof ckan / sizeof ckan[0]), "metadata.json: every CKAN text field is filled");
	OK(json_array_size(json_object_get(j, "tags")) > 0 && json_array_size(json_object_get(j, "data_format")) == 2,
	   "tags and data formats");
	IS_STR(json_string_value(json_object_get(j, "first_year_of_data")), "2569", "first year in the Buddhist Era");
	IS_STR(json_string_value(json_object_get(j, "maintainer_email")), "admin@bangkhae.example",
	       "maintainer_email from [office] email");
	IS_INT(json_array_size(json_object_get(j, "resources")), n - 1, "a resource per file but itself");
	json_decref(j);
	free(js);

	js = render(&st, "dcat.jsonld", "https://queue.bangkhae.example/open-data", &len, &rc);
	j = js ? json_loads(js, 0, NULL) : NULL;
	IS_STR(json_string_value(json_object_get(j, "@type")), "dcat:Dataset", "DCAT: a dcat:Dataset");
	OK(json_is_object(json_object_get(j, "@context")), "with an @context");
	json_t *dist = json_object_get(j, "dcat:distribution");
	IS_INT(json_array_size(dist), n, "a distribution per file");
	int urls = 0;
	json_array_foreach(dist, i, v) {
		const char *u = json_string_value(json_object_get(json_object_get(v, "dcat:downloadURL"), "@id"));
		urls += u && !strncmp(u, "https://queue.bangkhae.example/open-data/", 41) &&
			json_string_value(json_object_get(v, "dcat:mediaType")) &&
			json_string_value(json_object_get(v, "dct:format"));
	}
	IS_INT(urls, n, "each with its downloadURL under the base (a '/' added), media type and format");
	json_decref(j);
	free(js);
	js = render(&st, "dcat.jsonld", "", &len, &rc);
	OK(js && strstr(js, "\"@id\": \"stats.csv\""), "an empty base gives relative links");
	free(js);

	/* Bad names and bad bases: refused, nothing returned. */
	const char *bad_names[] = {"nosuch.csv", "stats-2026-13.csv", "stats-2025-01.csv",
				   "../kiosk.db", "stats-2026-10.csv\n", "stats-2026-10.CSV",
				   "stats-2026-1.csv", "stats-2026-10.csv.exe", "", NULL,
				   "stats-2026-10-bom.csvstats-2026-10-bom.csvstats-2026-10-bom.csvstats"};
	int refused = 0;
	for (size_t k = 0; k < sizeof bad_names / sizeof bad_names[0]; k++) {
		char *body = (char *)1;
		const char *ct;
		rc = opendata_render(&st, &cfg, bad_names[k], "", &body, &len, &ct, &err);
		refused += rc == K_EFAIL && body == NULL && strstr(err.msg, "no such open data file");
	}
	IS_INT(refused, (int)(sizeof bad_names / sizeof bad_names[0]),
	       "unknown names (no month data, month 13, paths, case, NULL ...) are K_EFAIL, bilingual");
	rc = K_OK;
	js = render(&st, "dcat.jsonld", "javascript:alert(1)", &len, &rc);
	OK(rc == K_EUSAGE && !js, "a base URL that is not http(s) is refused");
	js = render(&st, "dcat.jsonld", "https://x.example/a\"b/", &len, &rc);
	OK(rc == K_EUSAGE && !js, "a base URL with a quote is refused");

	kstore_close(&st);
	kconfig_free(&cfg);
	if (system(cmd))
		return 2;
	return tap_done();
}
