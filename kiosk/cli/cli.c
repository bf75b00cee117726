/**
 * @file cli.c
 * @brief Helpers shared by the subcommands: messages, usage, JSON output.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

int cli_fail(struct cli *c, kst rc)
{
	fprintf(stderr, "kiosk: %s\n", c->err.msg[0] ? c->err.msg : "failed");
	return rc;
}

int cli_usage(const char *synopsis)
{
	fprintf(stderr, "usage: kiosk %s\n", synopsis);
	return K_EUSAGE;
}

void cli_print_json(struct cli *c, json_t *obj)
{
	if (c->json && obj) {
		char *s = json_dumps(obj, JSON_COMPACT);
		if (s) {
			puts(s);
			free(s);
		}
	}
	json_decref(obj);
}
