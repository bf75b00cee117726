/**
 * @file opendata_district.c
 * @brief The district's open data files (see opendata_district.h), built from cells the
 * collector computed in SQL, with the kiosk's columns, dictionary texts, table writer,
 * suppression rule and CKAN/DCAT layout (opendata_int.h): one dataset layout for a
 * kiosk and for its district, so a portal or a script reads both the same way.
 *
 * A third total is the other way round: each kiosk publishes its own cells, so an
 * office cell made of a small kiosk part (hidden by that kiosk) and a large one (shown
 * by the other kiosk) is hidden here, or subtraction would give the small part back.
 *
 * Suppression runs in two directions because the district publishes more totals than a
 * kiosk: an office's month (every office's /stats, `kiosk report`, `collector report`)
 * and a service's month over all offices (`collector report`'s `all`). A cell hidden
 * alone in either group would come back by subtraction, so the smallest shown cell of
 * that group is hidden too, and the two passes repeat until neither hides anything new
 * (a hidden complement can leave another group with one hidden cell).
 */
#include "core/opendata_district.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/catalog.h"
#include "core/fdio.h"
#include "core/opendata_int.h"

/* The kiosk's stats columns the district can fill (the others need tickets or look-ups,
 * which the upload does not carry): same names, same dictionary texts. */
static const char *const district_cols[] = {
    "month",
    "office_code",
    "service_id",
    "service_name_th",
    "service_name_en",
    "ratings",
    "satisfaction_process",
    "satisfaction_staff",
    "satisfaction_facility",
    "satisfaction_overall",
    "satisfaction_all",
    "satisfaction_band",
    "satisfaction_band_th",
    "satisfaction_band_en",
};
#define N_COLS ((int)(sizeof district_cols / sizeof district_cols[0]))
#define COL_RATINGS 5

/* `ratings` counts differently here: misuse flags stay on the kiosks, every uploaded
 * rating counts (docs/collector.md), so its dictionary line says so. */
static const struct od_field ratings_field = {
    "ratings", "integer",
    "จำนวนผลประเมินความพึงพอใจที่ตู้บริการตนเองของสำนักงานส่งถึงระบบของเขต (นับทุกรายการที่ส่งมา)",
    "satisfaction ratings the office's kiosks uploaded to the district (every uploaded one "
    "counts)"};

static void fields(struct od_field *f)
{
	for (int i = 0; i < N_COLS; i++) {
		const struct od_field *k = od_stats_field(district_cols[i]);
		f[i] = i == COL_RATINGS || !k ? ratings_field : *k;
	}
}

/* --- suppression ------------------------------------------------------------------ */

static int by_office(const void *a, const void *b, void *arg)
{
	const struct od_sat_cell *c = arg, *x = &c[*(const int *)a], *y = &c[*(const int *)b];
	int k = (x->year * 12 + x->month) - (y->year * 12 + y->month);
	return k ? k : strcmp(x->office, y->office);
}

static int by_service(const void *a, const void *b, void *arg)
{
	const struct od_sat_cell *c = arg, *x = &c[*(const int *)a], *y = &c[*(const int *)b];
	int k = (x->year * 12 + x->month) - (y->year * 12 + y->month);
	return k ? k : strcmp(x->service, y->service);
}

/* One pass over the groups of idx (sorted by cmp): returns how many cells it hid. */
static int pass(struct od_sat_cell *c, int n, int *idx, long *gn, int *gh,
		int (*cmp)(const void *, const void *, void *))
{
	int hid = 0;
	qsort_r(idx, (size_t)n, sizeof *idx, cmp, c);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && !cmp(&idx[i], &idx[j], c))
			j++;
		for (int k = i; k < j; k++) {
			gn[k - i] = c[idx[k]].n;
			gh[k - i] = c[idx[k]].hide;
		}
		hid += od_suppress_group(gn, gh, j - i);
		for (int k = i; k < j; k++)
			c[idx[k]].hide = gh[k - i];
		i = j;
	}
	return hid;
}

int opendata_district_suppress(struct od_sat_cell *c, int n)
{
	int *idx = malloc((size_t)(n ? n : 1) * sizeof *idx);
	int *gh = malloc((size_t)(n ? n : 1) * sizeof *gh);
	long *gn = malloc((size_t)(n ? n : 1) * sizeof *gn);
	int hidden = 0;
	if (!idx || !gh || !gn) {
		/* Never publish what could not be checked. */
		for (int i = 0; i < n; i++)
			c[i].hide = 1;
		free(idx);
		free(gh);
		free(gn);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		idx[i] = i;
		/* Small parts adding up to 5 or more only give their sum back: no single
		 * kiosk's small cell. Under 5 next to a published part: that one. */
		c[i].hide = c[i].small_parts > 0 && c[i].small_parts < OD_SUPPRESS_BELOW &&
			    c[i].big_parts > 0;
	}
	/* Each round hides at least one more cell or stops: at most n + 1 rounds. */
	for (int round = 0; round <= n; round++) {
		int more = pass(c, n, idx, gn, gh, by_office);
		more += pass(c, n, idx, gn, gh, by_service);
		if (!more)
			break;
	}
	for (int i = 0; i < n; i++)
		hidden += c[i].hide;
	free(idx);
	free(gh);
	free(gn);
	return hidden;
}

/* --- names ------------------------------------------------------------------------- */

struct ym {
	int year, month;
};

/* The months to publish, oldest first (cells are sorted by month). */
static int months(const struct od_district *d, struct ym *out, int cap)
{
	int n = 0;
	if (d->only_year) {
		out[0] = (struct ym){d->only_year, d->only_month};
		return 1;
	}
	for (int i = 0; i < d->n && n < cap; i++)
		if (!n || out[n - 1].year != d->cells[i].year ||
		    out[n - 1].month != d->cells[i].month)
			out[n++] = (struct ym){d->cells[i].year, d->cells[i].month};
	return n;
}

#define MONTHS_MAX ((OD_FILES_MAX - 8) / 3) /* a month is three files */

static void add(struct od_file *out, int cap, int *n, const char *name)
{
	if (*n < cap) {
		snprintf(out[*n].name, sizeof out[*n].name, "%s", name);
		out[*n].ctype = od_ctype_of(name);
		(*n)++;
	}
}

int opendata_district_list(const struct od_district *d, struct od_file *out, int cap)
{
	static const char *const tail[] = {"stats.csv",	     "stats-bom.csv",	"stats.json",
					   "dictionary.csv", "dictionary.json", "metadata.json",
					   "dcat.jsonld"};
	struct ym m[MONTHS_MAX];
	int n = 0, nm = months(d, m, MONTHS_MAX);
	for (int i = 0; i < nm; i++) {
		static const char *const ext[] = {".csv", "-bom.csv", ".json"};
		char name[OD_NAME_MAX];
		for (int e = 0; e < 3; e++) {
			snprintf(name, sizeof name, "stats-%04d-%02d%s", m[i].year % 10000,
				 m[i].month % 100, ext[e]);
			add(out, cap, &n, name);
		}
	}
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
		add(out, cap, &n, tail[i]);
	return n;
}

/* --- the files ----------------------------------------------------------------------- */

static void describe(const char *name, char *th, char *en, size_t cap)
{
	const char *bth = od_bom_note(name, "th"), *ben = od_bom_note(name, "en");
	if (!strncmp(name, "stats-", 6) && strncmp(name, "stats-bom", 9)) {
		snprintf(th, cap, "ความพึงพอใจรายเดือน %.7s แยกตามสำนักงานและบริการ%s", name + 6, bth);
		snprintf(en, cap, "monthly satisfaction %.7s per office and service%s", name + 6,
			 ben);
	} else if (!strncmp(name, "stats", 5)) {
		snprintf(th, cap, "ความพึงพอใจทุกเดือนแยกตามสำนักงานและบริการ%s", bth);
		snprintf(en, cap, "satisfaction of every month per office and service%s", ben);
	} else if (!strncmp(name, "dictionary", 10)) {
		snprintf(th, cap, "พจนานุกรมข้อมูล");
		snprintf(en, cap, "data dictionary");
	} else {
		snprintf(th, cap, "คำอธิบายชุดข้อมูล");
		snprintf(en, cap, "dataset description");
	}
}

static const char notes_th[] =
    "ความพึงพอใจต่อการให้บริการของงานปกครองรายเดือน แยกตามสำนักงานและบริการ"
    " จากผลประเมินที่ตู้บริการตนเองของทุกสำนักงานในเขตส่งถึงระบบรวบรวมของเขต:"
    " จำนวนผลประเมิน ค่าเฉลี่ยความพึงพอใจ 4 ด้านและของทั้งสี่ด้านพร้อมระดับ"
    " ไม่มีจำนวนผู้ใช้บริการหรือเวลารอ (ระบบของเขตได้รับเฉพาะผลประเมิน ดูสถิติเหล่านั้นที่ข้อมูลเปิดของแต่ละสำนักงาน)"
    " ไม่มีข้อมูลส่วนบุคคลและไม่มีข้อความความคิดเห็น"
    " ค่าความพึงพอใจที่มีผู้ประเมินน้อยกว่า 5 คนเว้นว่างไว้ (และช่องที่จะใช้คำนวณย้อนกลับได้ด้วย)";
static const char notes_en[] =
    "Monthly satisfaction with the Administration Section's services per office and service,"
    " from the ratings every office's self-service kiosks uploaded to the district's"
    " collector: number of ratings, the mean of each of the four questions and of all four,"
    " with its band. No users, look-ups or waiting times (the district receives ratings only;"
    " each office's own open data has those). Nothing personal and no free-text comments;"
    " satisfaction cells from fewer than 5 ratings are left empty (and those that would give"
    " them back by subtraction).";
static const char source_th[] =
    "ผลประเมินความพึงพอใจที่ตู้บริการตนเองของสำนักงานในเขตส่งถึงระบบรวบรวมผลประเมินของเขต";

static void row(const struct od_district *d, const struct od_sat_cell *c, struct od_table *t)
{
	const struct kservice *k = d->cfg ? kcatalog_find(&d->cfg->catalog, c->service) : NULL;
	char month[8];
	double all = 0;
	int show = !c->hide;
	for (int q = 0; q < RATING_DIMS; q++)
		all += c->mean[q] / RATING_DIMS; /* as core/report.c: the mean of the means */
	int band = show ? rating_band(all) : 0;
	snprintf(month, sizeof month, "%04d-%02d", c->year % 10000, c->month % 100);
	struct od_cell v[N_COLS] = {
	    od_text(month),
	    od_text(c->office),
	    od_text(c->service),
	    od_text(k ? k->name.th : c->service),
	    od_text(k ? k->name.en : c->service),
	    od_int(c->n),
	    od_num(c->mean[RATING_PROCESS], 2, show),
	    od_num(c->mean[RATING_STAFF], 2, show),
	    od_num(c->mean[RATING_FACILITY], 2, show),
	    od_num(c->mean[RATING_OVERALL], 2, show),
	    od_num(all, 2, show),
	    show ? od_int(band) : od_empty(),
	    show ? od_text(rating_band_label(band, "th")) : od_empty(),
	    show ? od_text(rating_band_label(band, "en")) : od_empty(),
	};
	od_table_row(t, v);
}

static json_t *meta(const struct od_district *d, const char *base, int dcat)
{
	static const char *const tags[] = {"งานปกครอง", "ความพึงพอใจ", "สถิติการให้บริการ",
					   "ตู้บริการตนเอง", "ข้อมูลระดับเขต"};
	char th[OD_TEXT_MAX * 2], en[OD_TEXT_MAX * 2], name[OD_TEXT_MAX + 40];
	struct od_file *files = malloc(OD_FILES_MAX * sizeof *files);
	struct ym m[MONTHS_MAX];
	int nm = months(d, m, MONTHS_MAX);
	if (!files)
		return NULL;
	/* CKAN's dataset name: lower case letters, digits, '-' and '_' only. */
	size_t o = 0;
	for (const char *p = d->org; *p && o < OD_TEXT_MAX; p++)
		name[o++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a')
			    : (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'
				? *p
				: '-';
	snprintf(name + o, sizeof name - o, "-district-satisfaction");
	snprintf(th, sizeof th, "ความพึงพอใจต่อการให้บริการ งานปกครอง %s (ทุกสำนักงาน)", d->name_th);
	snprintf(en, sizeof en,
		 "Satisfaction with services, Administration Section, %s (all offices)",
		 d->name_en);
	struct od_meta md = {
	    .name = name,
	    .title_th = th,
	    .title_en = en,
	    .notes_th = notes_th,
	    .notes_en = notes_en,
	    .owner_org = d->org,
	    .maintainer = d->maintainer,
	    .email = d->email,
	    .publisher_th = d->name_th,
	    .publisher_en = d->name_en,
	    .geo_coverage = "อำเภอ",
	    .data_source = source_th,
	    .tags = tags,
	    .n_tags = (int)(sizeof tags / sizeof tags[0]),
	    .files = files,
	    .n_files = opendata_district_list(d, files, OD_FILES_MAX),
	    .describe = describe,
	    .base = base,
	};
	if (nm) {
		md.first_year = m[0].year;
		md.first_month = m[0].month;
		md.last_year = m[nm - 1].year;
		md.last_month = m[nm - 1].month;
	}
	json_t *j = dcat ? od_dcat_json(&md) : od_ckan_json(&md);
	free(files);
	return j;
}

/* Could `name` be a file this command writes? (What may be replaced in an existing dir.) */
static int ours(const char *name)
{
	static const char *const fixed[] = {"stats.csv",      "stats-bom.csv",	 "stats.json",
					    "dictionary.csv", "dictionary.json", "metadata.json",
					    "dcat.jsonld"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(name, fixed[i]))
			return 1;
	/* stats-YYYY-MM.csv, stats-YYYY-MM-bom.csv, stats-YYYY-MM.json: exact digits only */
	if (strncmp(name, "stats-", 6))
		return 0;
	const char *p = name + 6;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return 0;
	int m = (p[5] - '0') * 10 + (p[6] - '0');
	p += 7;
	return m >= 1 && m <= 12 &&
	       (!strcmp(p, ".csv") || !strcmp(p, "-bom.csv") || !strcmp(p, ".json"));
}

kst opendata_district_render(const struct od_district *d, const char *name, const char *base_url,
			     char **body, size_t *len, struct kerr *err)
{
	char base[OD_BASE_URL_MAX + 1];
	struct od_field f[N_COLS];
	struct od_table t;
	int y = 0, mo = 0, all = 0, json, bom;
	kst rc;

	*body = NULL;
	*len = 0;
	if (!name || strnlen(name, OD_NAME_MAX) >= OD_NAME_MAX || !ours(name))
		return kerr_set(err, K_EFAIL, "ไม่มีไฟล์ข้อมูลนี้ / no such open data file");
	if ((rc = od_base_ok(base_url, base, sizeof base, err)))
		return rc;
	json = strstr(name, ".json") != NULL;
	bom = strstr(name, "-bom.csv") != NULL;
	if (!strcmp(name, "metadata.json") || !strcmp(name, "dcat.jsonld")) {
		json_t *j = meta(d, base, name[0] == 'd');
		*body = j ? json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		if (!*body)
			return kerr_set(err, K_EFAIL, "open data: out of memory");
		*len = strlen(*body);
		return K_OK;
	}
	if (!strncmp(name, "dictionary.", 11)) {
		fields(f);
		od_table_init(&t, od_dictionary_fields, OD_DICT_COLS, json, 0);
		for (int i = 0; i < N_COLS; i++) {
			struct od_cell c[OD_DICT_COLS] = {od_text("stats"), od_text(f[i].name),
							  od_text(f[i].type), od_text(f[i].th),
							  od_text(f[i].en)};
			od_table_row(&t, c);
		}
		return od_table_done(&t, json ? json_object() : NULL, "fields", body, len, err);
	}
	if (!strcmp(name, "stats.csv") || !strcmp(name, "stats-bom.csv") ||
	    !strcmp(name, "stats.json"))
		all = 1;
	else if (sscanf(name, "stats-%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12)
		return kerr_set(err, K_EFAIL, "ไม่มีไฟล์ข้อมูลนี้ / no such open data file");
	fields(f);
	od_table_init(&t, f, N_COLS, json, bom);
	for (int i = 0; i < d->n; i++)
		if (all || (d->cells[i].year == y && d->cells[i].month == mo))
			row(d, &d->cells[i], &t);
	json_t *wrap = json ? json_pack("{s:s, s:s, s:i}", "office_code", "all", "source",
					"ratings uploaded by the district's kiosks",
					"suppress_below", OD_SUPPRESS_BELOW)
			    : NULL;
	return od_table_done(&t, wrap, "rows", body, len, err);
}

/* --- writing ---------------------------------------------------------------------------- */

/* Removes a folder holding only files of ours (or nothing); best effort. */
static void remove_ours(const char *dir)
{
	char p[OD_PATH_MAX + OD_NAME_MAX + 2];
	DIR *dh = opendir(dir);
	struct dirent *e;
	while (dh && (e = readdir(dh)))
		if (ours(e->d_name)) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (dh)
		closedir(dh);
	rmdir(dir);
}

/* dir absent: 0; a folder with nothing but ours: 1; else K_EUSAGE / K_EFAIL. */
static int check_target(const char *dir, struct kerr *err)
{
	struct stat sb;
	struct dirent *e;
	if (stat(dir, &sb)) {
		if (errno == ENOENT)
			return 0;
		return -kerr_set(err, K_EFAIL,
				 "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s", dir,
				 strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return -kerr_set(err, K_EUSAGE,
				 "%s มีอยู่แล้วและไม่ใช่โฟลเดอร์ / %s exists and is not a folder", dir,
				 dir);
	DIR *dh = opendir(dir);
	if (!dh)
		return -kerr_set(err, K_EFAIL,
				 "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s", dir,
				 strerror(errno));
	const char *other = NULL;
	char name[OD_NAME_MAX];
	while (!other && (e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !ours(e->d_name)) {
			snprintf(name, sizeof name, "%s", e->d_name);
			other = name;
		}
	closedir(dh);
	if (other)
		return -kerr_set(err, K_EUSAGE,
				 "%s มีไฟล์อื่นอยู่ (%s) จึงไม่เขียนทับ ใช้โฟลเดอร์ใหม่หรือโฟลเดอร์ว่าง"
				 " / %s holds other files (%s), so it is not replaced: use a new or"
				 " empty folder",
				 dir, other, dir, other);
	return 1;
}

static kst write_file(int dfd, const char *dir, const char *name, const char *body, size_t len,
		      struct kerr *err)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || fd_write_all(fd, body, len) || fsync(fd)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return kerr_set(err, K_EFAIL,
				"เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s/%s: %s", dir,
				name, strerror(e ? e : EIO));
	}
	if (close(fd))
		return kerr_set(err, K_EFAIL,
				"เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s/%s: %s", dir,
				name, strerror(errno));
	return K_OK;
}

/* The folder that holds dir, for its fsync after the rename. */
static void sync_parent(const char *dir)
{
	char p[OD_PATH_MAX];
	snprintf(p, sizeof p, "%s", dir);
	char *s = strrchr(p, '/');
	if (s == p)
		s[1] = 0;
	else if (s)
		*s = 0;
	else
		snprintf(p, sizeof p, ".");
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* dir without trailing '/' (a trailing '/' would put the temporary folder inside
 * it) into out; K_EUSAGE when empty or too long. */
static kst target_of(const char *dir, char out[OD_PATH_MAX], struct kerr *err)
{
	size_t dl = dir ? strnlen(dir, OD_PATH_MAX) : 0;
	if (!dl || dl >= OD_PATH_MAX)
		return kerr_set(err, K_EUSAGE, "--out: a folder name of 1 to %d bytes",
				OD_PATH_MAX - 1);
	memcpy(out, dir, dl + 1);
	while (dl > 1 && out[dl - 1] == '/')
		out[--dl] = 0;
	return K_OK;
}

kst opendata_district_check(const char *dir, const char *base_url, struct kerr *err)
{
	char target[OD_PATH_MAX], base[OD_BASE_URL_MAX + 1];
	int exists;
	kst rc = target_of(dir, target, err);
	if (rc || (rc = od_base_ok(base_url, base, sizeof base, err)))
		return rc;
	return (exists = check_target(target, err)) < 0 ? (kst)-exists : K_OK;
}

kst opendata_district_write(struct od_district *d, const char *dir, const char *base_url,
			    struct od_written *w, struct kerr *err)
{
	char tmp[OD_PATH_MAX + 32], old[OD_PATH_MAX + 32], base[OD_BASE_URL_MAX + 1];
	struct od_file *files = NULL;
	int dfd = -1, n, exists;
	kst rc = K_OK;

	char target[OD_PATH_MAX];
	memset(w, 0, sizeof *w);
	if ((rc = target_of(dir, target, err)) ||
	    (rc = od_base_ok(base_url, base, sizeof base, err)))
		return rc;
	if ((exists = check_target(target, err)) < 0)
		return (kst)-exists;
	if ((w->hidden = opendata_district_suppress(d->cells, d->n)) < 0)
		return kerr_set(err, K_EFAIL, "open data: out of memory");

	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", target, (long)getpid());
	snprintf(old, sizeof old, "%s.old-%ld", target, (long)getpid());
	remove_ours(tmp); /* a leftover of a killed run with our pid */
	if (mkdir(tmp, 0755))
		return kerr_set(err, K_EFAIL,
				"เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s", tmp,
				strerror(errno));
	if ((dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = kerr_set(err, K_EFAIL, "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s",
			      tmp, strerror(errno));
		goto out;
	}
	files = malloc(OD_FILES_MAX * sizeof *files);
	if (!files) {
		rc = kerr_set(err, K_EFAIL, "open data: out of memory");
		goto out;
	}
	n = opendata_district_list(d, files, OD_FILES_MAX);
	for (int i = 0; i < n && !rc; i++) {
		char *body;
		size_t len;
		if (!(rc = opendata_district_render(d, files[i].name, base, &body, &len, err)))
			rc = write_file(dfd, tmp, files[i].name, body, len, err);
		free(body);
		w->files += !rc;
		w->bytes += rc ? 0 : (long long)len;
	}
	if (rc)
		goto out;
	if (fsync(dfd)) {
		rc = kerr_set(err, K_EFAIL, "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s",
			      tmp, strerror(errno));
		goto out;
	}
	/* Into place in one step: swap with the old folder where the file system can
	 * (a reader sees the old set or the new), else old aside, new in, old removed. */
	if (!exists) {
		if (rename(tmp, target))
			rc = kerr_set(err, K_EFAIL,
				      "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s",
				      target, strerror(errno));
	} else if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE)) {
		remove_ours(tmp); /* now the old files */
	} else if (rename(target, old) || rename(tmp, target)) {
		rc = kerr_set(err, K_EFAIL, "เขียนข้อมูลเปิดไม่ได้ / cannot write the open data: %s: %s",
			      target, strerror(errno));
		rename(old, target); /* put the old one back if it was moved */
	} else {
		remove_ours(old);
	}
	if (!rc)
		sync_parent(target);
out:
	if (dfd >= 0)
		close(dfd);
	if (rc) {
		remove_ours(tmp);
		w->files = 0;
		w->bytes = 0;
	} else {
		struct ym m[MONTHS_MAX];
		w->months = months(d, m, MONTHS_MAX);
		w->rows = d->n;
	}
	free(files);
	return rc;
}
