/**
 * @file opendata.h
 * @brief The district's open data cells from PostgreSQL (libpq): ratings counted and
 * averaged per month, office and service in SQL, handed to core/opendata_district as
 * plain structs. Reads only `ratings` and only the scores: never a rating id, ticket,
 * kiosk or token (comments are not even uploaded).
 */
#ifndef KIOSK_COLLECTOR_OPENDATA_H
#define KIOSK_COLLECTOR_OPENDATA_H

#include <libpq-fe.h>

#include "core/err.h"
#include "core/opendata_district.h"

/* Cells in one run: a city's 150 offices x 26 services x 10 years is ~470,000
 * (~80 MB); past this, publish month by month (--month). */
#define COD_CELLS_MAX 500000

/* Every month's cells (month NULL) or that month's ("YYYY-MM", already checked), sorted
 * by month, office, service (byte order, as strcmp). *out is malloc'd (free()). K_EFAIL
 * with the database's first line when the query fails. */
kst cod_cells(PGconn *db, const char *month, struct od_sat_cell **out, int *n, struct kerr *err);

#endif
