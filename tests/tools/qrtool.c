/**
 * @file qrtool.c
 * @brief Test and bench tool for the ticket device layer: signed QR payloads,
 * QR rendering to PNG and ESC/POS, raster decoding, printer targets.
 *
 *   qrtool payload --key-dir D --template T --office O --date D --number N [--kiosk K]
 *   qrtool verify  --key-dir D --template T [--office O] [--date D]   < scan bytes
 *   qrtool render  --payload P [--scale S] [--paper W] [--height H] [--slice N]
 *                  [--png F] [--escpos F]
 *   qrtool raster2png IN.bin OUT.png
 *   qrtool print   --target SPEC --file F [--io-ms N] [--connect-ms N] [--job-ms N]
 *                  [--status-ms N] [--lang th|en]
 *   qrtool bench   [--iterations N] [--paper W] [--height H]
 *
 * Exit codes follow core/err.h. verify prints "ticket OFFICE DATE NUMBER",
 * "number NUMBER" or "junk REASON"; print prints "STATUS<TAB>message".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bitmap.h"
#include "core/qrpayload.h"
#include "core/secret.h"
#include "dev/bitmap_png.h"
#include "dev/escpos.h"
#include "dev/printer.h"
#include "dev/qr.h"

#define SCAN_READ_MAX (1 << 20) /* the tool reads at most 1 MB of scan from stdin */

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return def;
}

static int opt_int(int argc, char **argv, const char *name, int def)
{
	const char *v = opt(argc, argv, name, NULL);
	return v ? atoi(v) : def;
}

static int fail(struct kerr *err, kst rc)
{
	fprintf(stderr, "qrtool: %s\n", err->msg[0] ? err->msg : "failed");
	return rc ? (int)rc : 1;
}

static kst load_qrp(int argc, char **argv, struct qrp *q, struct kerr *err)
{
	uint8_t key[SECRET_KEY_LEN];
	const char *dir = opt(argc, argv, "--key-dir", NULL);
	const char *tmpl = opt(argc, argv, "--template", NULL);
	if (!dir || !tmpl)
		return kerr_set(err, K_EUSAGE, "need --key-dir and --template");
	kst rc = secret_load_or_create(dir, key, err);
	if (!rc)
		rc = qrp_init(q, tmpl, key, err);
	secret_wipe(key, sizeof key);
	return rc;
}

static int cmd_payload(int argc, char **argv)
{
	struct kerr err = {0};
	struct qrp q;
	struct qrp_ticket t = {0};
	char out[QRP_PAYLOAD_MAX + 1];
	kst rc = load_qrp(argc, argv, &q, &err);
	if (rc)
		return fail(&err, rc);
	snprintf(t.office, sizeof t.office, "%s", opt(argc, argv, "--office", ""));
	snprintf(t.kiosk, sizeof t.kiosk, "%s", opt(argc, argv, "--kiosk", ""));
	snprintf(t.date, sizeof t.date, "%s", opt(argc, argv, "--date", ""));
	snprintf(t.number, sizeof t.number, "%s", opt(argc, argv, "--number", ""));
	rc = qrp_make(&q, &t, out, &err);
	qrp_wipe(&q);
	if (rc)
		return fail(&err, rc);
	puts(out);
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	struct kerr err = {0};
	struct qrp q;
	struct qrp_scan s;
	struct qrp_expect ex = {opt(argc, argv, "--office", NULL), opt(argc, argv, "--date", NULL)};
	kst rc = load_qrp(argc, argv, &q, &err);
	if (rc)
		return fail(&err, rc);
	char *buf = malloc(SCAN_READ_MAX);
	size_t n = buf ? fread(buf, 1, SCAN_READ_MAX, stdin) : 0;
	rc = qrp_scan(&q, buf, n, &ex, &s, &err);
	qrp_wipe(&q);
	free(buf);
	if (s.kind == QRP_TICKET)
		printf("ticket %s %s %s\n", s.t.office, s.t.date, s.t.number);
	else if (s.kind == QRP_NUMBER)
		printf("number %s\n", s.t.number);
	else
		printf("junk %s\n", qrp_reason_str(s.reason));
	return (int)rc;
}

/* A paper-wide canvas with the QR centred, or just the QR (paper 0). */
static kst render(const char *payload, int scale, int paper, int height, struct bitmap *bm,
		  struct kerr *err)
{
	struct qr q;
	kst rc = qr_encode(&q, payload, strlen(payload), err);
	if (rc)
		return rc;
	if (paper <= 0) {
		rc = qr_to_bitmap(&q, scale, QR_QUIET, bm, err);
	} else {
		int side = qr_side(&q, scale, QR_QUIET);
		rc = bitmap_init(bm, paper, height > side ? height : side, err);
		if (!rc)
			rc = qr_draw(&q, bm, (paper - side) / 2, (bm->h - side) / 2, scale, QR_QUIET, err);
		if (rc)
			bitmap_free(bm);
	}
	qr_free(&q);
	return rc;
}

static kst write_file(const char *path, const uint8_t *p, size_t n, struct kerr *err)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		if (f)
			fclose(f);
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	}
	if (fclose(f))
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	return K_OK;
}

static kst read_file(const char *path, uint8_t **p, size_t *n, struct kerr *err)
{
	FILE *f = fopen(path, "rb");
	*p = NULL;
	*n = 0;
	if (!f)
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	size_t cap = PRINTER_JOB_MAX + 1;
	*p = malloc(cap);
	if (*p)
		*n = fread(*p, 1, cap, f);
	fclose(f);
	if (!*p)
		return kerr_set(err, K_EFAIL, "out of memory");
	if (*n == cap)
		return kerr_set(err, K_EUSAGE, "%s: larger than %u bytes", path, PRINTER_JOB_MAX);
	return K_OK;
}

static int cmd_render(int argc, char **argv)
{
	struct kerr err = {0};
	struct bitmap bm;
	const char *payload = opt(argc, argv, "--payload", NULL);
	const char *png = opt(argc, argv, "--png", NULL), *esc = opt(argc, argv, "--escpos", NULL);
	int paper = opt_int(argc, argv, "--paper", ESCPOS_PAPER_80);
	if (!payload)
		return fail(&err, kerr_set(&err, K_EUSAGE, "need --payload"));
	kst rc = render(payload, opt_int(argc, argv, "--scale", 5), paper,
			opt_int(argc, argv, "--height", 0), &bm, &err);
	if (rc)
		return fail(&err, rc);
	if (png)
		rc = bitmap_png_write(&bm, png, &err);
	if (!rc && esc) {
		struct escpos_opts o = {paper, opt_int(argc, argv, "--slice", 0), 4, ESCPOS_CUT_PARTIAL};
		size_t cap = escpos_ticket_size(&o, bm.h);
		uint8_t *buf = malloc(cap);
		struct escpos e;
		escpos_begin(&e, buf, buf ? cap : 0);
		rc = escpos_ticket(&e, &bm, &o, &err);
		if (!rc)
			rc = write_file(esc, buf, e.len, &err);
		free(buf);
	}
	bitmap_free(&bm);
	return rc ? fail(&err, rc) : 0;
}

static int cmd_raster2png(int argc, char **argv)
{
	struct kerr err = {0};
	struct bitmap bm;
	struct escpos_info info;
	uint8_t *buf;
	size_t n;
	if (argc != 4)
		return fail(&err, kerr_set(&err, K_EUSAGE, "usage: raster2png IN.bin OUT.png"));
	kst rc = read_file(argv[2], &buf, &n, &err);
	if (!rc)
		rc = escpos_decode(buf, n, &bm, &info, &err);
	free(buf);
	if (rc)
		return fail(&err, rc);
	rc = bitmap_png_write(&bm, argv[3], &err);
	printf("width %d rows %d slices %d inits %d feeds %d cuts %d\n", info.width, info.rows,
	       info.slices, info.inits, info.feeds, info.cuts);
	bitmap_free(&bm);
	return rc ? fail(&err, rc) : 0;
}

static int cmd_print(int argc, char **argv)
{
	struct kerr err = {0};
	struct printer_target t;
	struct printer_opts o;
	enum printer_status st;
	uint8_t *buf = NULL;
	size_t n = 0;
	const char *file = opt(argc, argv, "--file", NULL);
	kst rc = printer_parse(opt(argc, argv, "--target", ""), &t, &err);
	if (rc)
		return fail(&err, rc);
	if (file && (rc = read_file(file, &buf, &n, &err)))
		return free(buf), fail(&err, rc);
	printer_opts_default(&o);
	o.io_ms = opt_int(argc, argv, "--io-ms", o.io_ms);
	o.connect_ms = opt_int(argc, argv, "--connect-ms", o.connect_ms);
	o.job_ms = opt_int(argc, argv, "--job-ms", o.job_ms);
	o.status_ms = opt_int(argc, argv, "--status-ms", o.status_ms);
	o.lang = opt(argc, argv, "--lang", "en");
	rc = printer_send(&t, &o, buf, n, &st, &err);
	printf("%s\t%s\n", printer_status_name(st), err.msg);
	free(buf);
	return (int)rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One ticket's device work: sign, encode, draw on a paper-wide canvas, build the stream. */
static int cmd_bench(int argc, char **argv)
{
	struct kerr err = {0};
	uint8_t key[SECRET_KEY_LEN] = {1, 2, 3};
	struct qrp q;
	int iters = opt_int(argc, argv, "--iterations", 1000);
	int paper = opt_int(argc, argv, "--paper", ESCPOS_PAPER_80);
	int height = opt_int(argc, argv, "--height", 1000);
	size_t bytes = 0;
	int version = 0;
	kst rc = qrp_init(&q, "https://q.bangkhae.go.th/t?o={office}&d={date}&n={number}&s={sig}", key,
			  &err);
	if (rc)
		return fail(&err, rc);
	struct escpos_opts o = {paper, 0, 4, ESCPOS_CUT_PARTIAL};
	size_t cap = escpos_ticket_size(&o, height);
	uint8_t *buf = malloc(cap);
	double t0 = now_s();
	for (int i = 0; i < iters && !rc; i++) {
		struct qrp_ticket t = {"bangkhae", "kiosk-1", "2026-11-24", ""};
		char payload[QRP_PAYLOAD_MAX + 1];
		struct qr code;
		struct bitmap bm;
		struct escpos e;
		snprintf(t.number, sizeof t.number, "A%03d", i % 1000);
		rc = qrp_make(&q, &t, payload, &err);
		if (!rc)
			rc = qr_encode(&code, payload, strlen(payload), &err);
		if (rc)
			break;
		version = code.version;
		rc = bitmap_init(&bm, paper, height, &err);
		if (!rc)
			rc = qr_draw(&code, &bm, (paper - qr_side(&code, 5, QR_QUIET)) / 2, height / 2, 5,
				     QR_QUIET, &err);
		escpos_begin(&e, buf, cap);
		if (!rc)
			rc = escpos_ticket(&e, &bm, &o, &err);
		bytes = e.len;
		bitmap_free(&bm);
		qr_free(&code);
	}
	double dt = now_s() - t0;
	free(buf);
	qrp_wipe(&q);
	if (rc)
		return fail(&err, rc);
	printf("iterations %d ms_per_ticket %.3f bytes %zu paper %d height %d qr_version %d\n", iters,
	       dt * 1000.0 / iters, bytes, paper, height, version);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	if (!strcmp(c, "payload"))
		return cmd_payload(argc, argv);
	if (!strcmp(c, "verify"))
		return cmd_verify(argc, argv);
	if (!strcmp(c, "render"))
		return cmd_render(argc, argv);
	if (!strcmp(c, "raster2png"))
		return cmd_raster2png(argc, argv);
	if (!strcmp(c, "print"))
		return cmd_print(argc, argv);
	if (!strcmp(c, "bench"))
		return cmd_bench(argc, argv);
	fprintf(stderr, "usage: qrtool payload|verify|render|raster2png|print|bench ...\n");
	return K_EUSAGE;
}
