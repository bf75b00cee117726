/* Fuzz target: a queue snapshot as the collector receives it over the network (PUT
 * /api/v1/queue-snapshot, core/qsnap.c). Junk is answered 400/413 with a reason, never a
 * crash, and an accepted snapshot is usable: every ticket found by its number. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/qsnap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qsnap s;
	char why[QSNAP_WHY_MAX];
	if (qsnap_parse((const char *)data, size, &s, why) == 0) {
		for (int i = 0; i < s.n; i++)
			if (qsnap_find(&s, s.t[i].number) != &s.t[i])
				abort(); /* numbers are unique in an accepted snapshot */
		qsnap_free(&s);
	}
	return 0;
}
