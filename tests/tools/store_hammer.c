/* store_hammer: races processes on fresh data folders to find "database is locked".
 *
 *   store_hammer [-r ROUNDS] [-n PROCS] [-k] [-- KIOSK_BIN ARGS...]
 *
 * Each round makes a fresh data folder and forks PROCS children that all block on
 * one pipe (the start barrier); closing the write end releases them at the same
 * instant. Without a command each child calls kstore_open() and
 * secret_load_or_create() itself (fast: thousands of rounds); with `-- CMD ...`
 * each child execs CMD with KIOSK_DATA set to the round's folder (the real CLI,
 * e.g. `-- build/kiosk ticket --service personal-cert`). A child fails when it
 * exits non-zero or writes anything to stderr, or (in-process mode) when its
 * device key differs from the one of the first child.
 *
 * Prints one line per failed child (round, status, first stderr line) and a
 * summary: rounds, failed rounds, failed children, seconds. Exit 1 if any failed.
 * -k keeps the folders of failed rounds for a post-mortem.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/store.h"

#define HAMMER_PROCS_MAX 64
#define HAMMER_ERR_MAX 400 /* bytes of a child's stderr kept for the report */

/* In-process mode: open the store and the key, report the key on stdout (hex). */
static int child_inproc(const char *dir, int out_fd)
{
	struct kstore st;
	struct kerr err;
	uint8_t key[SECRET_KEY_LEN];
	char hex[2 * SECRET_KEY_LEN + 2];

	if (kstore_open(dir, &st, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	int v = -1;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st.db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	kstore_close(&st);
	if (v != kstore_schema_version()) {
		fprintf(stderr, "schema version %d after open, want %d\n", v,
			kstore_schema_version());
		return 1;
	}
	if (secret_load_or_create(dir, key, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < SECRET_KEY_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * SECRET_KEY_LEN] = '\n';
	if (write(out_fd, hex, 2 * SECRET_KEY_LEN + 1) < 0)
		return 1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static ssize_t slurp(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	for (;;) {
		char tmp[512];
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t take = (size_t)n < cap - 1 - got ? (size_t)n : cap - 1 - got;
		memcpy(buf + got, tmp, take);
		got += take;
	}
	buf[got] = 0;
	return (ssize_t)got;
}

int main(int argc, char **argv)
{
	int rounds = 100, procs = 10, keep = 0, opt;
	char **cmd = NULL;

	while ((opt = getopt(argc, argv, "r:n:k")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'n')
			procs = atoi(optarg);
		else if (opt == 'k')
			keep = 1;
		else
			return 2;
	}
	if (optind < argc)
		cmd = argv + optind;
	if (procs < 1 || procs > HAMMER_PROCS_MAX || rounds < 1) {
		fprintf(stderr, "store_hammer: -n 1..%d, -r >= 1\n", HAMMER_PROCS_MAX);
		return 2;
	}

	int bad_rounds = 0, bad_children = 0;
	double t0 = now_s();
	for (int r = 1; r <= rounds; r++) {
		char base[] = "/tmp/kiosk-hammer.XXXXXX", dir[64];
		int go[2], errp[HAMMER_PROCS_MAX][2], outp[HAMMER_PROCS_MAX][2];
		pid_t pid[HAMMER_PROCS_MAX];
		int round_bad = 0;

		if (!mkdtemp(base) || pipe2(go, O_CLOEXEC)) {
			perror("store_hammer");
			return 2;
		}
		snprintf(dir, sizeof dir, "%s/data", base);
		for (int i = 0; i < procs; i++) {
			if (pipe2(errp[i], O_CLOEXEC) || pipe2(outp[i], O_CLOEXEC)) {
				perror("pipe");
				return 2;
			}
			pid[i] = fork();
			if (pid[i] == 0) {
				char c;
				close(go[1]);
				/* The barrier: everyone returns from this read when the parent
				 * closes the write end, i.e. at the same instant. */
				while (read(go[0], &c, 1) < 0 && errno == EINTR)
					;
				dup2(errp[i][1], 2);
				if (cmd) {
					dup2(outp[i][1], 1);
					setenv("KIOSK_DATA", dir, 1);
					execv(cmd[0], cmd);
					fprintf(stderr, "exec %s: %s\n", cmd[0], strerror(errno));
					_exit(127);
				}
				_exit(child_inproc(dir, outp[i][1]));
			}
			close(errp[i][1]);
			close(outp[i][1]);
		}
		close(go[1]);
		close(go[0]);

		char first_key[2 * SECRET_KEY_LEN + 2] = "";
		for (int i = 0; i < procs; i++) {
			char e[HAMMER_ERR_MAX], o[HAMMER_ERR_MAX];
			int status;
			slurp(errp[i][0], e, sizeof e);
			slurp(outp[i][0], o, sizeof o);
			close(errp[i][0]);
			close(outp[i][0]);
			while (waitpid(pid[i], &status, 0) < 0 && errno == EINTR)
				;
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			int key_differs = 0;
			if (!cmd && code == 0) {
				if (!first_key[0])
					snprintf(first_key, sizeof first_key, "%s", o);
				else
					key_differs = strcmp(first_key, o) != 0;
			}
			if (code || e[0] || key_differs) {
				char *nl = strchr(e, '\n');
				if (nl)
					*nl = 0;
				printf("round %d child %d: exit %d%s: %s\n", r, i, code,
				       key_differs ? ", a different device key" : "", e);
				bad_children++;
				round_bad = 1;
			}
		}
		bad_rounds += round_bad;
		if (!(round_bad && keep)) {
			char rm[128];
			snprintf(rm, sizeof rm, "rm -rf %s", base);
			if (system(rm))
				return 2;
		} else {
			printf("round %d kept in %s\n", r, base);
		}
	}
	printf("%d rounds x %d processes: %d rounds failed, %d processes failed, %.1f s\n", rounds,
	       procs, bad_rounds, bad_children, now_s() - t0);
	return bad_rounds ? 1 : 0;
}
