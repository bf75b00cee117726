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
 * aggregated per (month, office, service) in a hash table: a few thousand rows for a
 * district-year. Means as sum / n in float8, as `kiosk report` and `collector report`.
 * COLLATE "C": byte order whatever the database's locale, as strcmp sorts. */
static const char *const sql_all =
    "SELECT to_char(day, 'YYYY-MM') AS m, office, service, COUNT(*),"
    " SUM(process)::float8 / COUNT(*), SUM(staff)::float8 / COUNT(*),"
    " SUM(facility)::float8 / COUNT(*), SUM(overall)::float8 / COUNT(*)"
    " FROM ratings GROUP BY 1, 2, 3 ORDER BY m, office COLLATE \"C\", service COLLATE \"C\"";
static const char *const sql_month =
    "SELECT to_char(day, 'YYYY-MM') AS m, office, service, COUNT(*),"
    " SUM(process)::float8 / COUNT(*), SUM(staff)::float8 / COUNT(*),"
    " SUM(facility)::float8 / COUNT(*), SUM(overall)::float8 / COUNT(*)"
    " FROM ratings WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date"
    " GROUP BY 1, 2, 3 ORDER BY m, office COLLATE \"C\", service COLLATE \"C\"";

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
		return kerr_set(err, K_EFAIL,
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
			fprintf(stderr, "kiosk collector: open data: a row with an office or service"
					" name over %d bytes left out\n",
				OD_CODE_MAX - 1);
			memset(e, 0, sizeof *e);
			continue;
		}
		e->n = atol(PQgetvalue(r, i, 3));
		for (int q = 0; q < RATING_DIMS; q++)
			e->mean[q] = atof(PQgetvalue(r, i, 4 + q));
		k++;
	}
	PQclear(r);
	*out = c;
	*n = k;
	return K_OK;
}
