/**
 * @file opendata.c
 * @brief The district's open data cells in SQL (see opendata.h).
 */
#include "collector/opendata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COD_MSG_MAX 200 /* bytes of libpq's message quoted in ours */

/* One scan (of one partition with a month; the partitions are pruned by `day`),
 * aggregated per (month, office, service, kiosk), then per (month, office, service) with
 * the kiosks' small and large parts counted (each kiosk publishes its own cells: see
 * core/opendata_district.h). With enable_partitionwise_aggregate each month's partition
 * is aggregated on its own (small hash tables) and combined; grouping by day first
 * instead made a year of a city's days one hash table too big for work_mem (twice as
 * slow, measured). Means as sum / n in float8, as `kiosk report` and `collector report`.
 * COLLATE "C": byte order whatever the database's locale, as strcmp sorts. The kiosk is
 * grouped on, never selected. */
/* one SQL clause a line: */
/* clang-format off */
#define COD_STR_(x) #x
#define COD_STR(x) COD_STR_(x) /* OD_SUPPRESS_BELOW as SQL text */
#define COD_SQL(where)                                                                     \
	"WITH k AS (SELECT to_char(day, 'YYYY-MM') AS m, office, service, COUNT(*) AS n,"  \
	" SUM(process) AS sp, SUM(staff) AS ss, SUM(facility) AS sf, SUM(overall) AS so"   \
	" FROM ratings " where " GROUP BY 1, 2, 3, kiosk)"                                 \
	" SELECT m, office, service, SUM(n),"                                              \
	" SUM(sp)::float8 / SUM(n), SUM(ss)::float8 / SUM(n),"                             \
	" SUM(sf)::float8 / SUM(n), SUM(so)::float8 / SUM(n),"                             \
	" COALESCE(SUM(n) FILTER (WHERE n < " COD_STR(OD_SUPPRESS_BELOW) "), 0),"          \
	" COUNT(*) FILTER (WHERE n >= " COD_STR(OD_SUPPRESS_BELOW) ")"                     \
	" FROM k GROUP BY m, office, service"                                              \
	" ORDER BY m, office COLLATE \"C\", service COLLATE \"C\""
/* clang-format on */

/* Copies a text column into a fixed buffer; 0 when it does not fit (never cut: two
 * long names cut alike would merge two cells). */
static int copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (!n || n >= cap)
		return 0;
	memcpy(dst, src, n + 1);
	return 1;
}

kst cod_cells(PGconn *db, const char *month, struct od_sat_cell **out, int *n, struct kerr *err)
{
	char first[16];
	*out = NULL;
	*n = 0;
	snprintf(first, sizeof first, "%.7s-01", month ? month : "");
	const char *p[1] = {first};
	static const char *const sql_all = COD_SQL("");
	static const char *const sql_month =
	    COD_SQL("WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date");
	/* This connection is ours and short-lived: the setting goes with it. */
	PQclear(PQexec(db, "SET enable_partitionwise_aggregate = on"));
	PGresult *r = PQexecParams(db, month ? sql_month : sql_all, month ? 1 : 0, NULL,
				   month ? p : NULL, NULL, NULL, 0);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(db);
		int len = (int)strcspn(m, "\n");
		kerr_set(err, K_EFAIL, "ฐานข้อมูลตอบไม่ได้ / database: open data: %.*s",
			 len < COD_MSG_MAX ? len : COD_MSG_MAX, m);
		PQclear(r);
		return K_EFAIL;
	}
	int rows = PQntuples(r);
	if (rows > COD_CELLS_MAX) {
		PQclear(r);
		return kerr_set(
		    err, K_EFAIL,
		    "ข้อมูลมากเกินจะเขียนในครั้งเดียว (%d ช่อง) ให้ใช้ --month ทีละเดือน"
		    " / %d cells, over %d in one run: publish month by month with --month",
		    rows, rows, COD_CELLS_MAX);
	}
	struct od_sat_cell *c = calloc((size_t)(rows ? rows : 1), sizeof *c);
	if (!c) {
		PQclear(r);
		return kerr_set(err, K_EFAIL, "open data: out of memory");
	}
	int k = 0;
	for (int i = 0; i < rows; i++) {
		struct od_sat_cell *e = &c[k];
		if (sscanf(PQgetvalue(r, i, 0), "%4d-%2d", &e->year, &e->month) != 2 ||
		    !copy(e->office, sizeof e->office, PQgetvalue(r, i, 1)) ||
		    !copy(e->service, sizeof e->service, PQgetvalue(r, i, 2))) {
			/* The upload contract bounds both names, so only a hand-edited row
			 * gets here: left out and said, rather than published cut. */
			fprintf(stderr,
				"kiosk collector: open data: a row with an office or service"
				" name over %d bytes left out\n",
				OD_CODE_MAX - 1);
			memset(e, 0, sizeof *e);
			continue;
		}
		e->n = atol(PQgetvalue(r, i, 3));
		for (int q = 0; q < RATING_DIMS; q++)
			e->mean[q] = atof(PQgetvalue(r, i, 4 + q));
		e->small_parts = atol(PQgetvalue(r, i, 8));
		e->big_parts = atoi(PQgetvalue(r, i, 9));
		k++;
	}
	PQclear(r);
	*out = c;
	*n = k;
	return K_OK;
}
