/**
 * @file cmd_export.c
 * @brief `kiosk export --to DIR [--from DATE] [--until DATE]`: ratings for staff
 * on a USB stick (core/export.h). Also --period today|month|last-month|all
 * (what the admin screen offers) and --list-drives (removable drives mounted).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/export.h"
#include "dev/usb.h"

static int list_drives(struct cli *c)
{
	struct usb_mount m[USB_MOUNTS_MAX];
	int n = usb_list("", m, USB_MOUNTS_MAX, &c->err);
	if (n < 0)
		return cli_fail(c, K_EFAIL);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		if (!c->json)
			printf("%s\t%s\t%s\t%s%llu MB free\n", m[i].mountpoint, m[i].device, m[i].fstype,
			       m[i].readonly ? "read-only\t" : "", m[i].free_bytes >> 20);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:I, s:I}", "mountpoint",
						     m[i].mountpoint, "device", m[i].device, "fstype",
						     m[i].fstype, "readonly", m[i].readonly, "free_bytes",
						     (json_int_t)m[i].free_bytes, "total_bytes",
						     (json_int_t)m[i].total_bytes));
	}
	if (!n && !c->json)
		fprintf(stderr, "kiosk: ไม่พบแฟลชไดรฟ์ / no USB drive is mounted\n");
	cli_print_json(c, json_pack("{s:o}", "drives", arr));
	return n ? K_OK : K_EABSENT;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"to", required_argument, 0, 't'},     {"from", required_argument, 0, 'f'},
		{"until", required_argument, 0, 'u'},  {"period", required_argument, 0, 'p'},
		{"list-drives", no_argument, 0, 'l'},  {0, 0, 0, 0}};
	const char *usage = "export --to DIR [--from DATE] [--until DATE] [--period"
			    " today|month|last-month|all] | export --list-drives";
	const char *to = NULL, *from = NULL, *until = NULL, *period = NULL;
	char pf[KCLOCK_DATE_MAX], pu[KCLOCK_DATE_MAX];
	struct export_result r;
	struct kstore st;
	int o, list = 0;
	kst rc;

	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 't': to = optarg; break;
		case 'f': from = optarg; break;
		case 'u': until = optarg; break;
		case 'p': period = optarg; break;
		case 'l': list = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind < argc || (!to && !list) || (period && (from || until)))
		return cli_usage(usage);
	if (list)
		return list_drives(c);
	if (period) {
		static const char *const names[] = {"today", "month", "last-month", "all"};
		int p = -1;
		for (int i = 0; i < 4; i++)
			if (!strcmp(period, names[i]))
				p = i;
		if (p < 0)
			return cli_usage(usage);
		export_period((enum export_period)p, kclock_now(), pf, pu);
		from = pf;
		until = pu;
	}
	if ((rc = cli_load_config(c)))
		return rc;
	if ((rc = kstore_open(c->data_dir, &st, &c->err)))
		return cli_fail(c, rc);
	rc = export_ratings(&st, c->cfg, to, from, until, &r, &c->err);
	kstore_close(&st);
	if (rc)
		return cli_fail(c, rc);
	if (!c->json) {
		if (!strcmp(cli_lang(c), "en"))
			printf("%ld ratings %s..%s written to %s (ratings.csv, ratings.json, SHA256SUMS)\n",
			       r.rows, r.from, r.until, r.folder);
		else
			printf("บันทึกผลประเมิน %ld รายการ (%s ถึง %s) ไว้ที่ %s แล้ว ถอดแฟลชไดรฟ์ได้\n",
			       r.rows, r.from, r.until, r.folder);
	}
	json_t *files = json_array();
	for (int i = 0; i < EXPORT_FILES; i++)
		json_array_append_new(files, json_string(r.files[i]));
	cli_print_json(c, json_pack("{s:o, s:i, s:s, s:s, s:s, s:I}", "files", files, "rows",
				    (int)r.rows, "folder", r.folder, "from", r.from, "until", r.until,
				    "bytes", (json_int_t)r.bytes));
	return K_OK;
}
