/* Issues N tickets through the library into a fresh store and prints
 * "tickets_per_s <x>". Used by tests/bench/queue.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/queue.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 500;
	const char *dir = argc > 2 ? argv[2] : "/tmp/kiosk-bench-queue";
	struct kconfig cfg;
	struct kdiag d = {0};
	struct kstore st;
	struct kerr err;
	struct kissued t;
	struct timespec a, b;
	char cmd[256];

	if (kconfig_load("config", &cfg, &d))
		return 2;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) || kstore_open(dir, &st, &err))
		return 1;
	struct kqueue q = {&st, &cfg};
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		if (kqueue_issue(&q, cfg.catalog.svc[i % cfg.catalog.n].id, i % 7 == 0, &t, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("tickets_per_s %.0f\n", n / s);
	kstore_close(&st);
	kconfig_free(&cfg);
	if (system(cmd))
		return 1;
	return 0;
}
