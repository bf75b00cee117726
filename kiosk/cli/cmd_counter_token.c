/**
 * @file cmd_counter_token.c
 * @brief `kiosk counter-token`: a counter's bearer token. Apart from cmd_serve.c so
 * that the light `kiosk` binary links it without libmicrohttpd.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/ctoken.h"
#include "core/secret.h"

int cmd_counter_token(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"counter", required_argument, 0, 'n'}, {0, 0, 0, 0}};
	const char *usage = "counter-token --counter N";
	uint8_t key[SECRET_KEY_LEN], sub[SECRET_KEY_LEN];
	char tok[CTOKEN_MAX];
	int counter = 0, o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (o != 'n' || cli_parse_int(optarg, 1, 999, &counter))
			return cli_usage(usage);
	if (!counter || optind < argc)
		return cli_usage(usage);
	kst rc = cli_load_config(c);
	if (rc)
		return rc;
	if (counter > c->cfg->counters) {
		kerr_set(&c->err, K_EUSAGE,
			 "counter %d does not exist (kiosk.conf [counters] count = %d)", counter,
			 c->cfg->counters);
		return cli_fail(c, K_EUSAGE);
	}
	if ((rc = secret_load_or_create(c->data_dir, key, &c->err)))
		return cli_fail(c, rc);
	ctoken_subkey(key, sub);
	ctoken_make(sub, counter, tok);
	secret_wipe(key, sizeof key);
	secret_wipe(sub, sizeof sub);
	if (c->json) {
		cli_print_json(c, json_pack("{s:i, s:s}", "counter", counter, "token", tok));
	} else {
		fprintf(stderr,
			!strcmp(cli_lang(c), "en")
			    ? "Bearer token of counter %d (changes only if data/device.key is "
			      "replaced):\n"
			    : "รหัสประจำช่อง %d (เปลี่ยนเมื่อเปลี่ยนกุญแจเครื่อง data/device.key เท่านั้น):\n",
			counter);
		printf("%s\n", tok);
	}
	secret_wipe(tok, sizeof tok);
	return K_OK;
}
