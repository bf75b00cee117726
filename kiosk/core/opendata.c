/**
 * @file opendata.c
 * @brief The open data files (see opendata.h).
 */
#include "core/opendata.h"

int opendata_list(struct kstore *st, const struct kconfig *cfg, struct od_file *out, int cap)
{
	(void)st, (void)cfg, (void)out, (void)cap;
	return 0;
}

kst opendata_render(struct kstore *st, const struct kconfig *cfg, const char *name,
		    const char *base_url, char **body, size_t *len, const char **ctype,
		    struct kerr *err)
{
	(void)st, (void)cfg, (void)name, (void)base_url;
	*body = NULL;
	*len = 0;
	*ctype = NULL;
	return kerr_set(err, K_EFAIL, "open data: not yet");
}
