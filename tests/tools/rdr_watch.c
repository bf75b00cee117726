/**
 * @file rdr_watch.c
 * @brief Test helper: runs the card watcher (dev/cardreader.h) the way the touchscreen
 * does (a loop woken by the notify callback, rdr_poll, never blocking on the reader)
 * and prints one line per event, without personal data (masked citizen ID only).
 *
 *   rdr_watch [--reader NAME] SECONDS     (stops earlier when stdin reaches its end)
 *
 * Lines: "<ms> READERS n=2", "<ms> INSERTED reader=...", "<ms> READ reader=... cid=1-1017-xxxxx-xx-8
 * valid=1 apdus=9", "<ms> ERROR reader=... fail=1 code=4 en=...", "<ms> REMOVED reader=...",
 * then "notified=N events=M" and "stop_ms=T".
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dev/cardreader.h"

static int wake_pipe[2];
static int notified;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* What the UI does in SDL: push a user event. Here: one byte into a pipe. */
static void wake(void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&notified, 1, __ATOMIC_SEQ_CST);
	if (write(wake_pipe[1], "x", 1) < 0) {
		/* pipe full: the loop is awake anyway */
	}
}

int main(int argc, char **argv)
{
	struct rdr_opts o = {.notify = wake};
	struct rdr *r;
	struct kerr err = {0};
	struct rdr_event ev;
	int events = 0;

	if (argc >= 3 && !strcmp(argv[1], "--reader")) {
		o.reader = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: rdr_watch [--reader NAME] SECONDS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(wake_pipe))
		return 1;
	long long t0 = now_ms(), until = t0 + (long long)(atof(argv[1]) * 1000);
	if (rdr_start(&r, &o, &err)) {
		fprintf(stderr, "rdr_watch: %s\n", err.msg);
		return err.code;
	}
	int in_open = 1;
	for (long long t; in_open && (t = now_ms()) < until;) {
		struct pollfd p[2] = {{.fd = wake_pipe[0], .events = POLLIN}, {.fd = 0, .events = POLLIN}};
		char buf[64];
		if (poll(p, 2, (int)(until - t)) > 0) {
			if ((p[0].revents & POLLIN) && read(wake_pipe[0], buf, sizeof buf) < 0)
				break;
			if ((p[1].revents & (POLLIN | POLLHUP)) && read(0, buf, sizeof buf) <= 0)
				in_open = 0;
		}
		while (rdr_poll(r, &ev)) {
			long long ms = now_ms() - t0;
			char mask[IDCARD_MASK_MAX];
			events++;
			switch (ev.type) {
			case RDR_EV_READERS:
				printf("%lld READERS n=%d\n", ms, ev.nreaders);
				break;
			case RDR_EV_INSERTED:
				printf("%lld INSERTED reader=%s\n", ms, ev.reader);
				break;
			case RDR_EV_READ:
				idcard_cid_mask(ev.card.cid, mask);
				printf("%lld READ reader=%s cid=%s valid=%d complete=%d apdus=%d\n", ms,
				       ev.reader, mask, ev.card.cid_valid, idcard_complete(&ev.card),
				       ev.stats.apdus);
				break;
			case RDR_EV_ERROR:
				printf("%lld ERROR reader=%s fail=%d code=%d en=%s th=%s\n", ms, ev.reader,
				       (int)ev.fail, (int)ev.code, ev.msg_en, ev.msg_th);
				break;
			case RDR_EV_REMOVED:
				printf("%lld REMOVED reader=%s\n", ms, ev.reader);
				break;
			}
			rdr_event_wipe(&ev);
		}
	}
	long long s = now_ms();
	rdr_stop(r);
	printf("notified=%d events=%d\n", __atomic_load_n(&notified, __ATOMIC_SEQ_CST), events);
	printf("stop_ms=%lld\n", now_ms() - s);
	return 0;
}
