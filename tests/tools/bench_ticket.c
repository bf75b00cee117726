/* What the touchscreen does on "get a ticket" before anything reaches the printer:
 * issue (SQLite transaction, fsync) + sign the QR payload + lay out the ticket with
 * the text engine + raster + ESC/POS stream, N times in one process into a fresh
 * store. Prints the median and p90 in ms, and each part's median:
 *   "median_ms M p90_ms P issue_ms I render_ms R escpos_ms E bytes B rows H".
 * bench_ticket [N] [DIR] [PAPER]   (run from the source tree: config/, fonts/) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/ticket.h"
#include "paper/ticket_render.h"

#define RUNS_MAX 10000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[(int)((n - 1) * p + 0.5)];
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	const char *dir = argc > 2 ? argv[2] : "/tmp/kiosk-bench-ticket";
	int paper = argc > 3 ? atoi(argv[3]) : 576;
	static double tot[RUNS_MAX], iss[RUNS_MAX], ren[RUNS_MAX], esc[RUNS_MAX];
	struct kconfig cfg;
	struct kdiag d = {0};
	struct kstore st;
	struct kerr err = {0};
	char cmd[512];
	size_t bytes = 0;
	int rows = 0;

	if (n < 1 || n > RUNS_MAX)
		return 2;
	if (kconfig_load("config", &cfg, &d))
		return 2;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) || kstore_open(dir, &st, &err) || text_init(&err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct kqueue q = {&st, &cfg};
	/* One ticket first: fonts opened, device key created, caches warm, as on a
	 * kiosk that has been running. */
	for (int i = -1; i < n; i++) {
		const struct kservice *sv = &cfg.catalog.svc[(i + 1) % cfg.catalog.n];
		struct kticket_out out;
		struct bitmap bm;
		uint8_t *buf;
		size_t len;
		double t0 = now_ms();
		if (kticket_issue(&q, dir, sv->id, i % 5 == 0, &out, &err))
			goto fail;
		double t1 = now_ms();
		struct ticket_info ti = {&cfg, sv, &out.is, out.qr};
		if (ticket_render(&ti, paper, &bm, NULL, &err))
			goto fail;
		double t2 = now_ms();
		if (ticket_escpos(&bm, paper, &buf, &len, &err))
			goto fail;
		double t3 = now_ms();
		if (i >= 0) {
			tot[i] = t3 - t0, iss[i] = t1 - t0, ren[i] = t2 - t1, esc[i] = t3 - t2;
			bytes = len, rows = bm.h;
		}
		free(buf);
		bitmap_free(&bm);
	}
	printf("median_ms %.2f p90_ms %.2f issue_ms %.2f render_ms %.2f escpos_ms %.2f bytes %zu rows %d\n",
	       pct(tot, n, 0.5), pct(tot, n, 0.9), pct(iss, n, 0.5), pct(ren, n, 0.5),
	       pct(esc, n, 0.5), bytes, rows);
	text_quit();
	kstore_close(&st);
	kconfig_free(&cfg);
	return system(cmd) ? 1 : 0;
fail:
	fprintf(stderr, "%s\n", err.msg);
	return 1;
}
