/* The district's open data (core/opendata_district.h), without PostgreSQL: suppression
 * over offices and services (a lone small cell, its complement in the office, the
 * cascade across offices, exactly 5 shown); the files use the kiosk's column names and
 * dictionary texts; unknown names are refused; writing is atomic (a folder swapped
 * whole, a folder of someone else's files never touched, a failed write leaves nothing). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/opendata_district.h"
#include "tap.h"

static struct od_sat_cell cell(const char *office, const char *service, long n, double mean)
{
	struct od_sat_cell c;
	memset(&c, 0, sizeof c);
	c.year = 2026;
	c.month = 11;
	snprintf(c.office, sizeof c.office, "%s", office);
	snprintf(c.service, sizeof c.service, "%s", service);
	c.n = n;
	for (int q = 0; q < RATING_DIMS; q++)
		c.mean[q] = mean;
	return c;
}

/* Which cells are hidden, as "1" / "0" in order. */
static const char *hidden(const struct od_sat_cell *c, int n)
{
	static char s[64];
	for (int i = 0; i < n && i < 63; i++)
		s[i] = c[i].hide ? '1' : '0';
	s[n < 63 ? n : 63] = 0;
	return s;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

int main(void)
{
	struct kerr err;
	char tmpl[] = "/tmp/test_opendata_district.XXXXXX";
	char *tmp = mkdtemp(tmpl), path[512], cmd[600];
	if (!tmp)
		return 2;

	/* --- suppression ------------------------------------------------------------- */
	struct od_sat_cell a[] = {
	    cell("bangkhae", "marital-status", 6, 4),
	    cell("bangkhae", "personal-cert", 3, 2),
	    cell("bangkhae", "signature-cert", 10, 4.5),
	    cell("phasicharoen", "conduct-cert", 7, 4.75),
	    cell("phasicharoen", "signature-cert", 5, 4),
	};
	IS_INT(opendata_district_suppress(a, 5), 2, "two cells hidden");
	IS_STR(hidden(a, 5), "11000",
	       "3 ratings hidden; its office's next smallest (6) too, or the office's mean would "
	       "give it"
	       " back; exactly 5 shown");

	/* personal-cert is small in bangkhae and large in phasicharoen: the service's month
	 * over all offices is published too, so phasicharoen's personal-cert goes, and then
	 * phasicharoen's next smallest, which leaves nothing alone anywhere. */
	struct od_sat_cell b[] = {
	    cell("bangkhae", "personal-cert", 3, 2),
	    cell("bangkhae", "will-make", 30, 4),
	    cell("phasicharoen", "marital-status", 8, 4),
	    cell("phasicharoen", "personal-cert", 20, 4),
	    cell("phasicharoen", "signature-cert", 40, 4),
	};
	IS_INT(opendata_district_suppress(b, 5), 4, "across offices: four cells hidden");
	IS_STR(
	    hidden(b, 5), "11110",
	    "a small cell takes its office's complement and the same service in the other office,"
	    " which takes that office's next smallest");

	struct od_sat_cell c[] = {
	    cell("bangkhae", "personal-cert", 1, 5),
	    cell("bangkhae", "signature-cert", 2, 1),
	    cell("bangkhae", "will-make", 9, 4),
	};
	opendata_district_suppress(c, 3);
	IS_STR(hidden(c, 3), "110",
	       "two small cells in one office hide each other (as the kiosk's rule)");
	struct od_sat_cell one[] = {cell("bangkhae", "personal-cert", 4, 5)};
	IS_INT(opendata_district_suppress(one, 1), 1,
	       "a lone office with one small cell: hidden, nothing else to hide");
	IS_INT(opendata_district_suppress(NULL, 0), 0, "no cells: nothing hidden, no crash");
	/* The same office and service in two months are different groups. */
	struct od_sat_cell m[] = {
	    cell("bangkhae", "personal-cert", 3, 2), cell("bangkhae", "will-make", 9, 4),
	    cell("bangkhae", "personal-cert", 9, 2), cell("bangkhae", "will-make", 9, 4)};
	m[2].month = m[3].month = 12;
	opendata_district_suppress(m, 4);
	IS_STR(hidden(m, 4), "1100",
	       "months are suppressed apart: December untouched by November's small cell");

	/* Split by kiosk: 6 + 2 (the kiosk with 2 hides it, the one with 6 shows it) is
	 * hidden here; 4 + 4 (both hidden at the kiosks) only gives their sum: shown. */
	struct od_sat_cell split[] = {
	    cell("bangkhae", "personal-cert", 8, 4), cell("bangkhae", "will-make", 8, 4),
	    cell("bangkhae", "signature-cert", 7, 4), cell("bangkhae", "marital-status", 30, 4)};
	split[0].small_parts = 2;
	split[0].big_parts = 1;
	split[1].small_parts = 8;
	split[1].big_parts = 0;
	split[2].big_parts = 1;
	split[3].big_parts = 2;
	opendata_district_suppress(split, 4);
	IS_STR(hidden(split, 4), "1010",
	       "a kiosk's 2 beside another kiosk's 6: hidden (and its complement, the 7); two "
	       "kiosks' 4 + 4: shown");

	/* --- files ------------------------------------------------------------------------ */
	struct od_district d = {.org = "bangkhae",
				.maintainer = "สำนักงานเขตบางแค",
				.email = "opendata@bangkhae.example",
				.name_th = "สำนักงานเขตบางแค",
				.name_en = "Bang Khae District Office",
				.cells = a,
				.n = 5};
	struct od_file files[OD_FILES_MAX];
	int n = opendata_district_list(&d, files, OD_FILES_MAX);
	IS_INT(n, 10,
	       "10 files: a month's three, all months' three, dictionary x2, metadata, dcat");
	IS_STR(files[0].name, "stats-2026-11.csv", "the month's files first");
	char *body;
	size_t len;
	kst rc = opendata_district_render(&d, "dictionary.csv", "", &body, &len, &err);
	OK(rc == K_OK && body && strstr(body, "satisfaction_all,number,") &&
	       strstr(body, "น้อยกว่า 5 คน") && strstr(body, "fewer than 5 ratings") &&
	       !strstr(body, "users,") && !strstr(body, "mean_wait_min"),
	   "the dictionary: the kiosk's texts for the shared columns, no users or waiting columns");
	free(body);
	rc = opendata_district_render(&d, "stats-2026-11.csv", "", &body, &len, &err);
	OK(rc == K_OK && body &&
	       strstr(
		   body,
		   "\r\n2026-11,bangkhae,personal-cert,personal-cert,personal-cert,3,,,,,,,,\r\n"),
	   "without a config the service id stands for its names; a suppressed row keeps its count "
	   "only");
	OK(body && strstr(body, "2026-11,bangkhae,signature-cert,signature-cert,signature-cert,10,"
				"4.50,4.50,4.50,4.50,4.50,5,"),
	   "a shown row: means with two decimals and '.', band 5");
	free(body);
	const char *bad[] = {NULL,
			     "",
			     "nosuch.csv",
			     "../x",
			     "stats-2026-13.csv",
			     "stats-2026-1.csv",
			     "stats-+026-11.csv",
			     "stats-2026-11.csv.exe",
			     "catalogue.csv",
			     "STATS.CSV"};
	int refused = 0;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		body = (char *)1;
		rc = opendata_district_render(&d, bad[k], "", &body, &len, &err);
		refused +=
		    rc == K_EFAIL && !body && strstr(err.msg, "no such open data file") != NULL;
	}
	IS_INT(refused, (int)(sizeof bad / sizeof bad[0]),
	       "unknown names (NULL, paths, month 13, +sign, no catalogue) refused");
	rc = opendata_district_render(&d, "dcat.jsonld", "javascript:alert(1)", &body, &len, &err);
	OK(rc == K_EUSAGE && !body, "a base URL that is not http(s) is refused");

	/* --- writing ---------------------------------------------------------------------- */
	struct od_written w;
	snprintf(path, sizeof path, "%s/od", tmp);
	rc = opendata_district_write(&d, path, "https://x.example/od", &w, &err);
	IS_INT(rc, K_OK, "written into a new folder %s", rc ? err.msg : "");
	IS_INT(w.files, 10, "10 files");
	IS_INT(w.hidden, 2, "2 rows suppressed");
	snprintf(path, sizeof path, "%s/od/stats.json", tmp);
	json_t *j = json_loads(slurp(path) ? slurp(path) : "", 0, NULL);
	IS_INT(json_array_size(json_object_get(j, "rows")), 5, "stats.json: 5 rows");
	json_decref(j);
	/* again, other data, the path with a trailing '/': the folder is swapped whole */
	struct od_sat_cell a2[] = {cell("bangkhae", "personal-cert", 12, 3)};
	a2[0].month = 12;
	d.cells = a2;
	d.n = 1;
	snprintf(path, sizeof path, "%s/od/", tmp);
	rc = opendata_district_write(&d, path, "", &w, &err);
	IS_INT(rc, K_OK, "written again over its own folder %s", rc ? err.msg : "");
	snprintf(path, sizeof path, "%s/od/stats-2026-11.csv", tmp);
	OK(!exists(path), "November's files are gone with the old set");
	snprintf(path, sizeof path, "%s/od/stats-2026-12.csv", tmp);
	OK(exists(path), "December's are there");
	snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) = 1", tmp);
	OK(system(cmd) == 0, "nothing left beside the folder (no .tmp-, no .old-)");

	snprintf(path, sizeof path, "%s/www", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/www/index.html", tmp);
	FILE *f = fopen(path, "w");
	fputs("keep", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/www", tmp);
	rc = opendata_district_write(&d, path, "", &w, &err);
	OK(rc == K_EUSAGE && strstr(err.msg, "index.html"),
	   "a folder with other files is refused, naming one: %s", err.msg);
	snprintf(path, sizeof path, "%s/www/index.html", tmp);
	IS_STR(slurp(path), "keep", "and left as it was");
	snprintf(path, sizeof path, "%s/www/index.html/od", tmp);
	rc = opendata_district_write(&d, path, "", &w, &err);
	OK(rc == K_EFAIL && strstr(err.msg, "cannot write") && strstr(err.msg, "เขียน"),
	   "a path under a file: K_EFAIL, Thai and English: %s", err.msg);
	rc = opendata_district_write(&d, "", "", &w, &err);
	IS_INT(rc, K_EUSAGE, "an empty --out is a usage error");

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd))
		return 2;
	return tap_done();
}
