/**
 * @file opendata.c
 * @brief The open data files (see opendata.h): rows from report_month() per month and
 * service, written as CSV (RFC 4180, CRLF, core/export's quoting) and JSON (jansson).
 *
 * The pieces the district's open data shares (columns, table writer, suppression, CKAN
 * and DCAT) are defined here and declared in opendata_int.h.
 *
 * Suppression: a service's satisfaction cells are left empty in a month with fewer than
 * OD_SUPPRESS_BELOW ratings. When exactly one service of a month is suppressed (with at
 * least one rating), the next smallest one is suppressed too ("complementary
 * suppression"): otherwise the office's monthly mean (shown on /stats and in
 * `kiosk report`) minus the published services would give the hidden one back.
 * No totals row is published for the same reason.
 */
#include "core/opendata.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/export.h"
#include "core/opendata_int.h"
#include "core/rating.h"
#include "core/report.h"

#define OD_MONTHS_MAX 480       /* 40 years of months: far more than a kiosk lives */
#define OD_CSV "text/csv; charset=utf-8"
#define OD_JSON "application/json; charset=utf-8"
#define OD_JSONLD "application/ld+json; charset=utf-8"

/* --- the fields, once: the CSV header, the JSON keys and the dictionary ------------- */

static const struct od_field catalogue_fields[] = {
	{"service_id", "string", "รหัสบริการ", "service id"},
	{"ticket_prefix", "string", "อักษรนำหน้าหมายเลขบัตรคิวของบริการ", "ticket number letter of the service"},
	{"group_id", "string", "รหัสหมวดบริการ", "service group id"},
	{"group_name_th", "string", "ชื่อหมวดบริการ (ไทย)", "service group name (Thai)"},
	{"group_name_en", "string", "ชื่อหมวดบริการ (อังกฤษ)", "service group name (English)"},
	{"name_th", "string", "ชื่อบริการ (ไทย)", "service name (Thai)"},
	{"name_en", "string", "ชื่อบริการ (อังกฤษ)", "service name (English)"},
	{"fee_baht", "integer", "ค่าธรรมเนียม (บาท) ว่างเมื่อไม่ได้ประกาศ",
	 "fee in baht; empty when not published"},
	{"fee_th", "string", "ค่าธรรมเนียมตามที่ประกาศ (ไทย)", "the fee as published (Thai)"},
	{"fee_en", "string", "ค่าธรรมเนียมตามที่ประกาศ (อังกฤษ)", "the fee as published (English)"},
	{"total_minutes", "integer", "ระยะเวลาดำเนินการรวม (นาที) ว่างเมื่อไม่ได้ประกาศ",
	 "total processing time in minutes; empty when not published"},
	{"documents", "integer", "จำนวนรายการเอกสารที่ต้องใช้", "number of documents to bring"},
	{"steps", "integer", "จำนวนขั้นตอน", "number of steps"},
	{"verified_on", "date", "วันที่ตรวจสอบข้อมูลล่าสุด (YYYY-MM-DD)",
	 "date the facts were last verified (YYYY-MM-DD)"},
};
#define N_CAT ((int)(sizeof catalogue_fields / sizeof catalogue_fields[0]))

#define SUPPRESSED_TH " ว่างเมื่อมีผู้ประเมินน้อยกว่า 5 คน (ปกปิดเพื่อไม่ให้ระบุคำตอบรายบุคคลได้)"
#define SUPPRESSED_EN "; empty when fewer than 5 ratings (suppressed so no single answer can be read back)"

static const struct od_field stats_fields[] = {
	{"month", "month", "เดือน (YYYY-MM ปีคริสต์ศักราช เวลากรุงเทพฯ)", "month (YYYY-MM, Bangkok time)"},
	{"office_code", "string", "รหัสสำนักงาน", "office code"},
	{"service_id", "string", "รหัสบริการ (ดู catalogue)", "service id (see catalogue)"},
	{"service_name_th", "string", "ชื่อบริการ (ไทย)", "service name (Thai)"},
	{"service_name_en", "string", "ชื่อบริการ (อังกฤษ)", "service name (English)"},
	{"users", "integer", "จำนวนบัตรคิวที่ออก (ผู้ใช้บริการที่มาติดต่อ)",
	 "tickets issued (people who came in person)"},
	{"lookups", "integer",
	 "จำนวนการค้นหาข้อมูล: ที่ตู้ (ครั้งละการใช้ตู้) + รายการเอกสารบนเว็บ + หน้าติดตามคิว (docs/kpi.md)",
	 "look-ups: kiosk visits + web checklist views + ticket page views (docs/kpi.md)"},
	{"served", "integer", "จำนวนที่ได้รับบริการแล้ว", "tickets served"},
	{"no_shows", "integer", "จำนวนที่เรียกแล้วไม่มาตามเรียก", "tickets called but nobody came"},
	{"cancelled", "integer", "จำนวนที่ผู้ถือบัตรยกเลิกคิวเองจากโทรศัพท์",
	 "tickets their holders cancelled from the phone"},
	{"mean_wait_min", "number", "เวลารอเฉลี่ย (นาที) จากรับบัตรถึงการเรียกครั้งแรก ว่างเมื่อไม่มีข้อมูล",
	 "mean wait in minutes, ticket to first call; empty when no data"},
	{"mean_service_min", "number", "เวลาให้บริการเฉลี่ย (นาที) ว่างเมื่อไม่มีข้อมูล",
	 "mean service time in minutes; empty when no data"},
	{"ratings", "integer", "จำนวนผลประเมินความพึงพอใจที่นับ (ไม่รวมรายการผิดปกติ)",
	 "satisfaction ratings counted (flagged misuse left out)"},
	{"satisfaction_process", "number", "ความพึงพอใจด้านขั้นตอนการให้บริการ เฉลี่ย 1-5" SUPPRESSED_TH,
	 "satisfaction with the process, mean of 1-5" SUPPRESSED_EN},
	{"satisfaction_staff", "number", "ความพึงพอใจด้านเจ้าหน้าที่ เฉลี่ย 1-5" SUPPRESSED_TH,
	 "satisfaction with the staff, mean of 1-5" SUPPRESSED_EN},
	{"satisfaction_facility", "number", "ความพึงพอใจด้านสิ่งอำนวยความสะดวก เฉลี่ย 1-5" SUPPRESSED_TH,
	 "satisfaction with the facilities, mean of 1-5" SUPPRESSED_EN},
	{"satisfaction_overall", "number", "ความพึงพอใจภาพรวม เฉลี่ย 1-5" SUPPRESSED_TH,
	 "overall satisfaction, mean of 1-5" SUPPRESSED_EN},
	{"satisfaction_all", "number", "ค่าเฉลี่ยของทั้งสี่ด้าน" SUPPRESSED_TH,
	 "mean of the four questions" SUPPRESSED_EN},
	{"satisfaction_band", "integer",
	 "ระดับความพึงพอใจของค่าเฉลี่ยทั้งสี่ด้าน 5 มากที่สุด (4.21-5.00) ถึง 1 น้อยที่สุด (1.00-1.80)" SUPPRESSED_TH,
	 "band of the mean of all four, 5 highest (4.21-5.00) to 1 lowest (1.00-1.80)" SUPPRESSED_EN},
	{"satisfaction_band_th", "string", "ชื่อระดับความพึงพอใจ (ไทย)" SUPPRESSED_TH,
	 "the band's name (Thai)" SUPPRESSED_EN},
	{"satisfaction_band_en", "string", "ชื่อระดับความพึงพอใจ (อังกฤษ)" SUPPRESSED_TH,
	 "the band's name (English)" SUPPRESSED_EN},
};
#define N_STATS ((int)(sizeof stats_fields / sizeof stats_fields[0]))

const struct od_field *od_stats_field(const char *name)
{
	for (int i = 0; i < N_STATS; i++)
		if (!strcmp(stats_fields[i].name, name))
			return &stats_fields[i];
	return NULL;
}

struct od_cell od_text(const char *s)
{
	return (struct od_cell){.kind = OD_C_TEXT, .s = s ? s : ""};
}
struct od_cell od_int(long long i)
{
	return (struct od_cell){.kind = OD_C_INT, .i = i};
}
struct od_cell od_num(double d, int decimals, int ok)
{
	return ok ? (struct od_cell){.kind = OD_C_NUM, .d = d, .decimals = decimals}
		  : (struct od_cell){.kind = OD_C_EMPTY};
}
struct od_cell od_empty(void)
{
	return (struct od_cell){.kind = OD_C_EMPTY};
}

void od_table_init(struct od_table *t, const struct od_field *f, int nf, int json, int bom)
{
	memset(t, 0, sizeof *t);
	t->f = f;
	t->nf = nf;
	t->json = json;
	if (json) {
		t->rows = json_array();
		return;
	}
	if (bom)
		export_buf_add(&t->csv, OD_BOM, 3);
	for (int i = 0; i < nf; i++) {
		if (i)
			export_buf_add(&t->csv, ",", 1);
		export_csv_field(&t->csv, f[i].name);
	}
	export_buf_add(&t->csv, "\r\n", 2);
}

void od_table_row(struct od_table *t, const struct od_cell *c)
{
	char num[48];
	if (t->json) {
		json_t *o = json_object();
		for (int i = 0; i < t->nf; i++) {
			json_t *v = json_null();
			if (c[i].kind == OD_C_TEXT)
				v = json_string(c[i].s);
			else if (c[i].kind == OD_C_INT)
				v = json_integer(c[i].i);
			else if (c[i].kind == OD_C_NUM) {
				snprintf(num, sizeof num, "%.*f", c[i].decimals, c[i].d);
				v = json_real(strtod(num, NULL)); /* the CSV's rounding */
			}
			json_object_set_new(o, t->f[i].name, v);
		}
		json_array_append_new(t->rows, o);
		return;
	}
	for (int i = 0; i < t->nf; i++) {
		if (i)
			export_buf_add(&t->csv, ",", 1);
		if (c[i].kind == OD_C_TEXT) {
			export_csv_field(&t->csv, c[i].s);
		} else if (c[i].kind != OD_C_EMPTY) {
			/* "%.*f" in the C locale: '.' decimals whatever LANG says */
			int n = c[i].kind == OD_C_INT ? snprintf(num, sizeof num, "%lld", c[i].i)
						      : snprintf(num, sizeof num, "%.*f", c[i].decimals, c[i].d);
			export_buf_add(&t->csv, num, (size_t)n);
		}
	}
	export_buf_add(&t->csv, "\r\n", 2);
}

void od_table_free(struct od_table *t)
{
	json_decref(t->rows);
	t->rows = NULL;
	export_buf_free(&t->csv);
}

kst od_table_done(struct od_table *t, json_t *wrap, const char *key, char **body, size_t *len,
		  struct kerr *err)
{
	if (!t->json) {
		json_decref(wrap);
		if (t->csv.oom) {
			export_buf_free(&t->csv);
			return kerr_set(err, K_EFAIL, "open data: out of memory");
		}
		*body = t->csv.p ? t->csv.p : strdup("");
		*len = t->csv.len;
		return *body ? K_OK : kerr_set(err, K_EFAIL, "open data: out of memory");
	}
	json_object_set_new(wrap, key, t->rows);
	*body = json_dumps(wrap, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(wrap);
	if (!*body)
		return kerr_set(err, K_EFAIL, "open data: out of memory");
	*len = strlen(*body);
	return K_OK;
}

/* --- the catalogue ---------------------------------------------------------------- */

static const struct kgroup *group_of(const struct kcatalog *cat, const char *id)
{
	for (size_t i = 0; id && i < cat->n_groups; i++)
		if (!strcmp(cat->groups[i].id, id))
			return &cat->groups[i];
	return NULL;
}

static void catalogue(const struct kconfig *cfg, struct od_table *t)
{
	for (size_t i = 0; i < cfg->catalog.n; i++) {
		const struct kservice *s = &cfg->catalog.svc[i];
		const struct kgroup *g = group_of(&cfg->catalog, s->group);
		char prefix[2] = {s->prefix, 0};
		struct od_cell c[N_CAT] = {
			od_text(s->id),
			od_text(prefix),
			od_text(s->group),
			od_text(g ? g->name.th : ""),
			od_text(g ? g->name.en : ""),
			od_text(s->name.th),
			od_text(s->name.en),
			s->fee_baht >= 0 ? od_int(s->fee_baht) : od_empty(),
			od_text(s->fee.th),
			od_text(s->fee.en),
			s->total_minutes >= 0 ? od_int(s->total_minutes) : od_empty(),
			od_int((long long)s->n_docs),
			od_int((long long)s->n_steps),
			od_text(s->verified),
		};
		od_table_row(t, c);
	}
}

/* --- monthly statistics --------------------------------------------------------------- */

struct month {
	int year, month;
};

static int month_cmp(struct month a, struct month b)
{
	return a.year != b.year ? (a.year > b.year) - (a.year < b.year)
				: (a.month > b.month) - (a.month < b.month);
}

/* Adds m to the sorted set out[0..*n) unless there. */
static void month_add(struct month *out, int cap, int *n, struct month m)
{
	int i = 0;
	while (i < *n && month_cmp(out[i], m) < 0)
		i++;
	if ((i < *n && !month_cmp(out[i], m)) || *n >= cap)
		return;
	memmove(out + i + 1, out + i, (size_t)(*n - i) * sizeof *out);
	out[i] = m;
	(*n)++;
}

/* Months with any ticket, rating or look-up, oldest first. Each table's day column leads
 * an index, so this hops from month to month (one index seek each) instead of reading
 * every row: 14 ms on 33,000 tickets became well under one. */
static int months_with_data(struct kstore *st, struct month *out, int cap)
{
	static const char *const sql[] = {
		"SELECT MIN(day) FROM tickets WHERE day>=?",
		"SELECT MIN(day) FROM ratings WHERE day>=?",
		"SELECT MIN(day) FROM kpi_counts WHERE day>=?",
	};
	int n = 0;
	for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
		char from[16] = "0000";
		for (int guard = 0; guard < OD_MONTHS_MAX; guard++) {
			sqlite3_stmt *s = kstore_prep(st, sql[k], "s", from);
			const char *d = s && sqlite3_step(s) == SQLITE_ROW
						? (const char *)sqlite3_column_text(s, 0)
						: NULL;
			int y, mo, ok = d && strlen(d) >= 7 && sscanf(d, "%4d-%2d", &y, &mo) == 2 &&
					y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12;
			sqlite3_finalize(s);
			if (!ok)
				break;
			month_add(out, cap, &n, (struct month){y, mo});
			/* the first day of the next month */
			snprintf(from, sizeof from, "%04d-%02d", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
		}
	}
	return n;
}

int od_suppress_group(const long *n, int *hide, int count)
{
	int hid = 0, lone = -1, small = 0;
	for (int i = 0; i < count; i++) {
		if (!hide[i] && n[i] < OD_SUPPRESS_BELOW) {
			hide[i] = 1;
			hid++;
		}
		if (hide[i] && n[i] > 0) {
			small++;
			lone = i;
		}
	}
	if (small != 1)
		return hid;
	int next = -1;
	for (int i = 0; i < count; i++)
		if (i != lone && !hide[i] && (next < 0 || n[i] < n[next]))
			next = i;
	if (next >= 0) {
		hide[next] = 1;
		hid++;
	}
	return hid;
}

/* Which services of r have their satisfaction cells left empty (see the top): one
 * group, the office's month. */
static void suppression(const struct report *r, int *hide)
{
	long n[KCAT_SERVICES_MAX];
	for (int i = 0; i < r->n_services; i++) {
		n[i] = r->svc[i].sat.n;
		hide[i] = 0;
	}
	od_suppress_group(n, hide, r->n_services);
}

static kst stats_month(struct kstore *st, const struct kconfig *cfg, struct month m,
		       struct od_table *t, struct kerr *err)
{
	/* ~10 KB: not on the stack of a web server's thread, nor static (two threads). */
	struct report *rp = malloc(sizeof *rp);
	int hide[KCAT_SERVICES_MAX];
	char month[8];
	if (!rp)
		return kerr_set(err, K_EFAIL, "open data: out of memory");
	kst rc = report_month(st, cfg, m.year, m.month, 0, rp, err);
	if (rc) {
		free(rp);
		return rc;
	}
	snprintf(month, sizeof month, "%04d-%02d", m.year % 10000, m.month % 100);
	suppression(rp, hide);
	for (int i = 0; i < rp->n_services; i++) {
		const struct report_service *v = &rp->svc[i];
		const struct kservice *k = kcatalog_find(&cfg->catalog, v->id);
		int show = !hide[i];
		int band = show ? v->sat.band_all : 0;
		if (!v->users && !v->lookups && !v->sat.n && !v->cancelled)
			continue; /* a service nobody used that month says nothing */
		struct od_cell c[N_STATS] = {
			od_text(month),
			od_text(cfg->office_code),
			od_text(v->id),
			od_text(k ? k->name.th : v->id),
			od_text(k ? k->name.en : v->id),
			od_int(v->users),
			od_int(v->lookups),
			od_int(v->served),
			od_int(v->no_show),
			od_int(v->cancelled),
			od_num(v->wait_min, 1, v->wait_min >= 0),
			od_num(v->service_min, 1, v->service_min >= 0),
			od_int(v->sat.n),
			od_num(v->sat.mean[RATING_PROCESS], 2, show),
			od_num(v->sat.mean[RATING_STAFF], 2, show),
			od_num(v->sat.mean[RATING_FACILITY], 2, show),
			od_num(v->sat.mean[RATING_OVERALL], 2, show),
			od_num(v->sat.all, 2, show),
			show ? od_int(band) : od_empty(),
			show ? od_text(rating_band_label(band, "th")) : od_empty(),
			show ? od_text(rating_band_label(band, "en")) : od_empty(),
		};
		od_table_row(t, c);
	}
	free(rp);
	return K_OK;
}

/* --- names ------------------------------------------------------------------------- */

enum od_kind { OD_CATALOGUE, OD_STATS, OD_DICTIONARY, OD_METADATA, OD_DCAT };
enum od_fmt { F_CSV, F_CSV_BOM, F_JSON };

struct od_name {
	enum od_kind kind;
	enum od_fmt fmt;
	int all_months;   /* stats.csv / stats.json */
	struct month m;   /* stats-YYYY-MM.* */
};

/* Parses a file name of opendata_list; 0 when it is one. */
static int parse_name(const char *name, struct od_name *o)
{
	static const struct {
		const char *name;
		enum od_kind kind;
		enum od_fmt fmt;
	} fixed[] = {
		{"catalogue.csv", OD_CATALOGUE, F_CSV},   {"catalogue-bom.csv", OD_CATALOGUE, F_CSV_BOM},
		{"catalogue.json", OD_CATALOGUE, F_JSON}, {"stats.csv", OD_STATS, F_CSV},
		{"stats-bom.csv", OD_STATS, F_CSV_BOM},   {"stats.json", OD_STATS, F_JSON},
		{"dictionary.csv", OD_DICTIONARY, F_CSV}, {"dictionary.json", OD_DICTIONARY, F_JSON},
		{"metadata.json", OD_METADATA, F_JSON},   {"dcat.jsonld", OD_DCAT, F_JSON},
	};
	memset(o, 0, sizeof *o);
	if (!name || strnlen(name, OD_NAME_MAX) >= OD_NAME_MAX)
		return -1;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(name, fixed[i].name)) {
			o->kind = fixed[i].kind;
			o->fmt = fixed[i].fmt;
			o->all_months = o->kind == OD_STATS;
			return 0;
		}
	/* stats-YYYY-MM.csv, stats-YYYY-MM-bom.csv, stats-YYYY-MM.json: exact digits only */
	const char *p = name;
	if (strncmp(p, "stats-", 6))
		return -1;
	p += 6;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return -1;
	o->m.year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	o->m.month = (p[5] - '0') * 10 + (p[6] - '0');
	if (o->m.month < 1 || o->m.month > 12)
		return -1;
	p += 7;
	o->kind = OD_STATS;
	if (!strcmp(p, ".csv"))
		o->fmt = F_CSV;
	else if (!strcmp(p, "-bom.csv"))
		o->fmt = F_CSV_BOM;
	else if (!strcmp(p, ".json"))
		o->fmt = F_JSON;
	else
		return -1;
	return 0;
}

const char *od_ctype_of(const char *name)
{
	size_t n = strlen(name);
	if (n > 4 && !strcmp(name + n - 4, ".csv"))
		return OD_CSV;
	if (n > 7 && !strcmp(name + n - 7, ".jsonld"))
		return OD_JSONLD;
	return OD_JSON;
}

static void add_file(struct od_file *out, int cap, int *n, const char *name)
{
	if (*n < cap) {
		snprintf(out[*n].name, sizeof out[*n].name, "%s", name);
		out[*n].ctype = od_ctype_of(name);
	}
	(*n)++;
}

int opendata_list(struct kstore *st, const struct kconfig *cfg, struct od_file *out, int cap)
{
	static const char *const head[] = {"catalogue.csv", "catalogue-bom.csv", "catalogue.json"};
	static const char *const tail[] = {"stats.csv",       "stats-bom.csv",   "stats.json",
					   "dictionary.csv",  "dictionary.json", "metadata.json",
					   "dcat.jsonld"};
	struct month *m = malloc(OD_MONTHS_MAX * sizeof *m);
	int n = 0, nm = m ? months_with_data(st, m, OD_MONTHS_MAX) : 0;
	(void)cfg;
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		add_file(out, cap, &n, head[i]);
	for (int i = 0; i < nm; i++) {
		char name[OD_NAME_MAX];
		const char *ext[] = {".csv", "-bom.csv", ".json"};
		for (int e = 0; e < 3; e++) {
			snprintf(name, sizeof name, "stats-%04d-%02d%s", m[i].year % 10000,
				 m[i].month % 100, ext[e]);
			add_file(out, cap, &n, name);
		}
	}
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
		add_file(out, cap, &n, tail[i]);
	free(m);
	return n < cap ? n : cap;
}

/* --- the dictionary, metadata.json and dcat.jsonld ----------------------------------- */

static void dictionary(struct od_table *t)
{
	const struct {
		const char *dataset;
		const struct od_field *f;
		int n;
	} sets[] = {{"catalogue", catalogue_fields, N_CAT}, {"stats", stats_fields, N_STATS}};
	/* the dictionary's table is od_dictionary_fields (shared with the district's) */
	for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
		for (int i = 0; i < sets[k].n; i++) {
			struct od_cell c[5] = {od_text(sets[k].dataset), od_text(sets[k].f[i].name),
					    od_text(sets[k].f[i].type), od_text(sets[k].f[i].th),
					    od_text(sets[k].f[i].en)};
			od_table_row(t, c);
		}
}

const struct od_field od_dictionary_fields[OD_DICT_COLS] = {
	{"dataset", "string", "ชุดข้อมูล (catalogue หรือ stats)", "dataset (catalogue or stats)"},
	{"field", "string", "ชื่อคอลัมน์", "column name"},
	{"type", "string", "ชนิดข้อมูล", "data type"},
	{"description_th", "string", "คำอธิบาย (ไทย)", "description (Thai)"},
	{"description_en", "string", "คำอธิบาย (อังกฤษ)", "description (English)"},
};

const char *od_bom_note(const char *name, const char *lang)
{
	if (!strstr(name, "-bom."))
		return "";
	return strcmp(lang, "th") ? " (CSV with a BOM for Excel)" : " (CSV มี BOM สำหรับ Excel)";
}

/* What each file is, for metadata.json's resources and dcat.jsonld's distributions. */
static void describe(const char *name, char *th, char *en, size_t cap)
{
	const char *bth = od_bom_note(name, "th"), *ben = od_bom_note(name, "en");
	if (!strncmp(name, "catalogue", 9)) {
		snprintf(th, cap, "รายการบริการงานปกครอง%s", bth);
		snprintf(en, cap, "service catalogue%s", ben);
	} else if (!strncmp(name, "stats-", 6) && strncmp(name, "stats-bom", 9)) {
		snprintf(th, cap, "สถิติรายเดือน %.7s แยกตามบริการ%s", name + 6, bth);
		snprintf(en, cap, "monthly statistics %.7s per service%s", name + 6, ben);
	} else if (!strncmp(name, "stats", 5)) {
		snprintf(th, cap, "สถิติทุกเดือนแยกตามบริการ%s", bth);
		snprintf(en, cap, "statistics of every month per service%s", ben);
	} else if (!strncmp(name, "dictionary", 10)) {
		snprintf(th, cap, "พจนานุกรมข้อมูล");
		snprintf(en, cap, "data dictionary");
	} else {
		snprintf(th, cap, "คำอธิบายชุดข้อมูล");
		snprintf(en, cap, "dataset description");
	}
}

const char *od_format_of(const char *name)
{
	const char *ct = od_ctype_of(name);
	return !strcmp(ct, OD_CSV) ? "CSV" : !strcmp(ct, OD_JSONLD) ? "JSON-LD" : "JSON";
}

const char *od_media_of(const char *name)
{
	const char *ct = od_ctype_of(name);
	return !strcmp(ct, OD_CSV)      ? "text/csv"
	       : !strcmp(ct, OD_JSONLD) ? "application/ld+json"
					: "application/json";
}

static void title(const struct kconfig *cfg, char *th, char *en, size_t cap)
{
	snprintf(th, cap, "สถิติการให้บริการและความพึงพอใจ งานปกครอง %s", cfg->office_name_th);
	snprintf(en, cap, "Service statistics and satisfaction, Administration Section, %s",
		 cfg->office_name_en);
}

static const char notes_th[] =
	"รายการบริการของงานปกครอง และสถิติรายเดือนแยกตามบริการจากตู้บริการตนเอง: จำนวนผู้รับบัตรคิว"
	" การค้นหาข้อมูล ผู้ได้รับบริการ ผู้ไม่มาตามเรียก ผู้ยกเลิกคิว เวลารอและเวลาให้บริการเฉลี่ย"
	" และความพึงพอใจ 4 ด้านพร้อมระดับ ไม่มีข้อมูลส่วนบุคคลและไม่มีข้อความความคิดเห็น"
	" ค่าความพึงพอใจที่มีผู้ประเมินน้อยกว่า 5 คนเว้นว่างไว้";
static const char notes_en[] =
	"The Administration Section's service catalogue, and monthly statistics per service from"
	" the self-service kiosk: tickets issued, look-ups, served, no-shows, cancelled, mean wait"
	" and service times, and satisfaction on four questions with its band. Nothing personal and"
	" no free-text comments; satisfaction cells from fewer than 5 ratings are left empty.";

static json_t *lang_pair(const char *th, const char *en)
{
	return json_pack("[{s:s, s:s}, {s:s, s:s}]", "@value", th, "@language", "th", "@value", en,
			 "@language", "en");
}

json_t *od_ckan_json(const struct od_meta *m)
{
	char th[KCONF_TEXT_MAX * 2], en[KCONF_TEXT_MAX * 2], y0[8] = "", y1[8] = "";
	char url[OD_BASE_URL_MAX + OD_NAME_MAX];
	json_t *res = json_array();

	for (int i = 0; i < m->n_files; i++) {
		const char *f = m->files[i].name;
		if (!strcmp(f, "metadata.json"))
			continue;
		m->describe(f, th, en, sizeof th);
		snprintf(url, sizeof url, "%s%s", m->base, f);
		json_array_append_new(res, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", f,
						     "description", th, "description_en", en, "url",
						     url, "format", od_format_of(f), "mimetype",
						     od_media_of(f)));
	}
	/* Years of data in the Buddhist Era, as data.go.th writes them; "" when none. */
	if (m->first_year) {
		snprintf(y0, sizeof y0, "%d", m->first_year + 543);
		snprintf(y1, sizeof y1, "%d", m->last_year + 543);
	}
	json_t *tags = json_array();
	for (int i = 0; i < m->n_tags; i++)
		json_array_append_new(tags, json_pack("{s:s}", "name", m->tags[i]));
	json_t *j = json_object();
	/* The fields data.go.th's CKAN asks for, in its words (Thai values as its forms use). */
	json_object_set_new(j, "name", json_string(m->name));
	json_object_set_new(j, "title", json_string(m->title_th));
	json_object_set_new(j, "title_en", json_string(m->title_en));
	json_object_set_new(j, "notes", json_string(m->notes_th));
	json_object_set_new(j, "notes_en", json_string(m->notes_en));
	json_object_set_new(j, "owner_org", json_string(m->owner_org));
	json_object_set_new(j, "maintainer", json_string(m->maintainer));
	json_object_set_new(j, "maintainer_email", json_string(m->email));
	json_object_set_new(j, "tags", tags);
	json_object_set_new(j, "objective", json_string("พันธกิจหน่วยงาน"));
	json_object_set_new(j, "update_frequency", json_string("รายเดือน"));
	json_object_set_new(j, "update_frequency_unit", json_string("เดือน"));
	json_object_set_new(j, "update_frequency_interval", json_string("1"));
	json_object_set_new(j, "geo_coverage", json_string(m->geo_coverage));
	json_object_set_new(j, "geo_coverage_name", json_string(m->publisher_th));
	json_object_set_new(j, "data_source", json_string(m->data_source));
	json_object_set_new(j, "data_format", json_pack("[s, s]", "CSV", "JSON"));
	json_object_set_new(j, "data_category", json_string("ข้อมูลสาธารณะ"));
	json_object_set_new(j, "data_type", json_string("ข้อมูลสถิติ"));
	json_object_set_new(j, "license_id", json_string(OD_LICENSE));
	json_object_set_new(j, "first_year_of_data", json_string(y0));
	json_object_set_new(j, "last_year_of_data", json_string(y1));
	json_object_set_new(j, "language", json_string("th"));
	json_object_set_new(j, "suppress_below", json_integer(OD_SUPPRESS_BELOW));
	json_object_set_new(j, "resources", res);
	return j;
}

json_t *od_dcat_json(const struct od_meta *m)
{
	char th[KCONF_TEXT_MAX * 2], en[KCONF_TEXT_MAX * 2], url[OD_BASE_URL_MAX + OD_NAME_MAX];
	json_t *dist = json_array();

	for (int i = 0; i < m->n_files; i++) {
		const char *f = m->files[i].name;
		m->describe(f, th, en, sizeof th);
		snprintf(url, sizeof url, "%s%s", m->base, f);
		json_array_append_new(
			dist, json_pack("{s:s, s:o, s:{s:s}, s:s, s:s}", "@type", "dcat:Distribution",
					"dct:title", lang_pair(th, en), "dcat:downloadURL", "@id", url,
					"dcat:mediaType", od_media_of(f), "dct:format", od_format_of(f)));
	}
	json_t *kw = json_array();
	for (int i = 0; i < m->n_tags; i++)
		json_array_append_new(kw, json_string(m->tags[i]));
	snprintf(url, sizeof url, "%sdcat.jsonld", m->base);
	json_t *j = json_pack(
		"{s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:o, s:o, s:{s:s, s:o}, s:o, s:o,"
		" s:s, s:{s:s}, s:s}",
		"@context", "dcat", "http://www.w3.org/ns/dcat#", "dct", "http://purl.org/dc/terms/",
		"foaf", "http://xmlns.com/foaf/0.1/", "vcard", "http://www.w3.org/2006/vcard/ns#", "@id",
		url, "@type", "dcat:Dataset", "dct:title", lang_pair(m->title_th, m->title_en),
		"dct:description", lang_pair(m->notes_th, m->notes_en), "dct:publisher", "@type",
		"foaf:Organization", "foaf:name", lang_pair(m->publisher_th, m->publisher_en),
		"dct:spatial", lang_pair(m->publisher_th, m->publisher_en), "dcat:keyword", kw,
		"dct:license", OD_LICENSE, "dct:accrualPeriodicity", "@id",
		"http://purl.org/cld/freq/monthly", "dct:language", "th");
	json_t *cp = json_pack("{s:s, s:s}", "@type", "vcard:Organization", "vcard:fn",
			       m->maintainer);
	if (m->email[0]) {
		char mail[KCONF_TEXT_MAX + 8];
		snprintf(mail, sizeof mail, "mailto:%s", m->email);
		json_object_set_new(cp, "vcard:hasEmail", json_pack("{s:s}", "@id", mail));
	}
	json_object_set_new(j, "dcat:contactPoint", cp);
	if (m->first_year) {
		char a[16], b[16];
		snprintf(a, sizeof a, "%04d-%02d-01", m->first_year % 10000, m->first_month % 100);
		snprintf(b, sizeof b, "%04d-%02d-%02d", m->last_year % 10000, m->last_month % 100,
			 kclock_days_in_month(m->last_year, m->last_month) % 100);
		json_object_set_new(j, "dct:temporal",
				    json_pack("{s:s, s:s, s:s}", "@type", "dct:PeriodOfTime",
					      "dcat:startDate", a, "dcat:endDate", b));
	}
	json_object_set_new(j, "dcat:distribution", dist);
	return j;
}

/* The kiosk's dataset: its office, its files, its months. */
static json_t *meta_json(struct kstore *st, const struct kconfig *cfg, const char *base, int dcat)
{
	static const char *const tags[] = {"งานปกครอง", "บัตรคิว", "ความพึงพอใจ",
					   "สถิติการให้บริการ", "ตู้บริการตนเอง"};
	char th[KCONF_TEXT_MAX * 2], en[KCONF_TEXT_MAX * 2], name[KCONF_ID_MAX + 40];
	struct od_file *files = malloc(OD_FILES_MAX * sizeof *files);
	struct month *m = malloc(OD_MONTHS_MAX * sizeof *m);
	int n = files ? opendata_list(st, cfg, files, OD_FILES_MAX) : 0;
	int nm = m ? months_with_data(st, m, OD_MONTHS_MAX) : 0;

	title(cfg, th, en, sizeof th);
	snprintf(name, sizeof name, "%s-kiosk-service-statistics", cfg->office_code);
	struct od_meta md = {
		.name = name, .title_th = th, .title_en = en, .notes_th = notes_th,
		.notes_en = notes_en, .owner_org = cfg->office_code,
		.maintainer = cfg->office_name_th, .email = cfg->office_email,
		.publisher_th = cfg->office_name_th, .publisher_en = cfg->office_name_en,
		.geo_coverage = "อำเภอ", .data_source = cfg->office_name_th, .tags = tags,
		/* DCAT's keywords have always been the first four */
		.n_tags = dcat ? 4 : 5, .files = files, .n_files = n, .describe = describe,
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
	free(m);
	return j;
}

/* --- rendering ------------------------------------------------------------------------ */

kst od_base_ok(const char *in, char *out, size_t cap, struct kerr *err)
{
	size_t n = in ? strnlen(in, OD_BASE_URL_MAX) : 0;
	if (n >= OD_BASE_URL_MAX)
		return kerr_set(err, K_EUSAGE, "open data: base URL over %d bytes", OD_BASE_URL_MAX - 1);
	out[0] = 0;
	if (!n)
		return K_OK;
	if (strncmp(in, "https://", 8) && strncmp(in, "http://", 7))
		return kerr_set(err, K_EUSAGE, "open data: the base URL must start with https://");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in[i] <= ' ' || in[i] == '"' || in[i] == '<' || in[i] == '>' ||
		    in[i] == '\\' || in[i] == 0x7f)
			return kerr_set(err, K_EUSAGE, "open data: the base URL has a byte a URL cannot");
	snprintf(out, cap, "%s%s", in, in[n - 1] == '/' ? "" : "/");
	return K_OK;
}

static int month_listed(struct kstore *st, struct month m)
{
	struct month all[OD_MONTHS_MAX];
	int n = months_with_data(st, all, OD_MONTHS_MAX);
	for (int i = 0; i < n; i++)
		if (all[i].year == m.year && all[i].month == m.month)
			return 1;
	return 0;
}

kst opendata_render(struct kstore *st, const struct kconfig *cfg, const char *name,
		    const char *base_url, char **body, size_t *len, const char **ctype,
		    struct kerr *err)
{
	struct od_name on;
	struct od_table t;
	char base[OD_BASE_URL_MAX + 1];
	kst rc;

	*body = NULL;
	*len = 0;
	*ctype = NULL;
	if (parse_name(name, &on) || (on.kind == OD_STATS && !on.all_months && !month_listed(st, on.m)))
		return kerr_set(err, K_EFAIL, "ไม่มีไฟล์ข้อมูลนี้ / no such open data file");
	if ((rc = od_base_ok(base_url, base, sizeof base, err)))
		return rc;
	*ctype = od_ctype_of(name);
	int json = on.fmt == F_JSON, bom = on.fmt == F_CSV_BOM;
	json_t *wrap = json ? json_pack("{s:s}", "office_code", cfg->office_code) : NULL;

	switch (on.kind) {
	case OD_CATALOGUE:
		od_table_init(&t, catalogue_fields, N_CAT, json, bom);
		catalogue(cfg, &t);
		return od_table_done(&t, wrap, "services", body, len, err);
	case OD_DICTIONARY:
		od_table_init(&t, od_dictionary_fields, OD_DICT_COLS, json, bom);
		dictionary(&t);
		return od_table_done(&t, wrap, "fields", body, len, err);
	case OD_STATS: {
		struct month all[OD_MONTHS_MAX];
		int nm = on.all_months ? months_with_data(st, all, OD_MONTHS_MAX) : 1;
		if (!on.all_months)
			all[0] = on.m;
		od_table_init(&t, stats_fields, N_STATS, json, bom);
		if (json)
			json_object_set_new(wrap, "suppress_below", json_integer(OD_SUPPRESS_BELOW));
		/* Each month is one read transaction (report_month's). */
		for (int i = 0; i < nm && !rc; i++)
			rc = stats_month(st, cfg, all[i], &t, err);
		if (rc) {
			json_decref(wrap);
			od_table_free(&t);
			return rc;
		}
		return od_table_done(&t, wrap, "rows", body, len, err);
	}
	case OD_METADATA:
	case OD_DCAT: {
		json_decref(wrap);
		json_t *j = meta_json(st, cfg, base, on.kind == OD_DCAT);
		*body = j ? json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		if (!*body)
			return kerr_set(err, K_EFAIL, "open data: out of memory");
		*len = strlen(*body);
		return K_OK;
	}
	}
	json_decref(wrap);
	return kerr_set(err, K_EFAIL, "ไม่มีไฟล์ข้อมูลนี้ / no such open data file");
}
