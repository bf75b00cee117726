/**
 * @file kpi.c
 * @brief The anonymous KPI counters (see kpi.h).
 */
#include "core/kpi.h"

#include <stddef.h>

kst kpi_count(struct kstore *st, enum kpi_kind kind, const char *service, struct kerr *err)
{
	(void)st, (void)kind, (void)service;
	return kerr_set(err, K_EFAIL, "kpi_count: not yet");
}

const char *kpi_kind_name(enum kpi_kind kind)
{
	(void)kind;
	return NULL;
}

long kpi_sum(struct kstore *st, enum kpi_kind kind, const char *service, const char *from,
	     const char *until)
{
	(void)st, (void)kind, (void)service, (void)from, (void)until;
	return -1;
}
