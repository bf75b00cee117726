/**
 * @file cmd_config.c
 * @brief `kiosk check-config` and `kiosk services`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"

int cmd_check_config(struct cli *c, int argc, char **argv)
{
	struct kconfig cfg;
	struct kdiag diag;
	json_t *errs;

	if (argc > 1)
		return cli_usage("check-config");
	memset(&diag, 0, sizeof diag);
	kst rc = kconfig_load(c->config_dir, &cfg, &diag);
	if (!rc)
		kconfig_free(&cfg);
	errs = json_array();
	for (int i = 0; i < diag.n; i++) {
		if (!c->json)
			fprintf(stderr, "%s\n", diag.line[i]);
		json_array_append_new(errs, json_string(diag.line[i]));
	}
	if (diag.dropped && !c->json)
		fprintf(stderr, "... and %d more problems\n", diag.dropped);
	if (!rc && !c->json)
		printf("ok: %s/kiosk.conf and %s/services.json\n", c->config_dir, c->config_dir);
	cli_print_json(c, json_pack("{s:b, s:o}", "ok", !rc, "errors", errs));
	return rc ? K_EUSAGE : K_OK;
}

int cmd_services(struct cli *c, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage("services");
	if (cli_load_config(c))
		return K_EUSAGE;
	json_t *list = json_array();
	const struct kcatalog *cat = &c->cfg->catalog;
	for (size_t i = 0; i < cat->n; i++) {
		const struct kservice *s = &cat->svc[i];
		char pre[2] = {s->prefix, 0};
		if (!c->json)
			printf("%c  %-18s %s / %s\n", s->prefix, s->id, s->name.th, s->name.en);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", s->id,
						      "prefix", pre, "name_th", s->name.th,
						      "name_en", s->name.en, "group", s->group));
	}
	cli_print_json(c, json_pack("{s:o}", "services", list));
	return K_OK;
}
