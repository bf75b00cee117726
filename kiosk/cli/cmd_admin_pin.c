/**
 * @file cmd_admin_pin.c
 * @brief `kiosk admin-pin`: sets the PIN of the admin screen (core/adminpin.h).
 * Reads the PIN twice from stdin (without echo on a terminal), 6 to 12 digits,
 * refusing guessable ones. `--status` says whether a PIN is set and whether the
 * screen is locked after wrong tries.
 *
 * Only someone with a shell on the appliance can run it: that is the point.
 * Setting a PIN also clears a lock.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/adminpin.h"
#include "core/clock.h"
#include "core/config.h"

#define LINE_MAX_PIN 64 /* bytes of a typed line looked at */

/* One line from stdin, newline removed; -1 at end of input or when too long. */
static int read_line(const char *prompt, char *buf, size_t cap)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	int r = 0;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(buf, (int)cap, stdin))
		r = -1;
	else if (!strchr(buf, '\n') && !feof(stdin))
		r = -1; /* longer than any PIN: refuse rather than cut */
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	buf[strcspn(buf, "\r\n")] = 0;
	return r;
}

static int status(struct cli *c, const char *path)
{
	struct adminpin_state st;
	int set = adminpin_exists(path);
	adminpin_state(path, kclock_now(), &st);
	if (!c->json) {
		printf("%s: %s\n", path, set ? "PIN set" : "no PIN (kiosk admin-pin sets one)");
		if (st.locked_until)
			printf("locked for %lld s more (too many wrong PINs)\n",
			       (long long)(st.locked_until - kclock_now()));
		else if (set)
			printf("%d tries left before the lock\n", st.left);
	}
	cli_print_json(c, json_pack("{s:s, s:b, s:i, s:I}", "file", path, "set", set, "tries_left",
				    st.left, "locked_until", (json_int_t)st.locked_until));
	return K_OK;
}

int cmd_admin_pin(struct cli *c, int argc, char **argv)
{
	const char *usage = "admin-pin [--status]   (reads the new PIN twice from stdin)";
	char path[ADMINPIN_PATH_MAX], a[LINE_MAX_PIN], b[LINE_MAX_PIN];
	int want_status = 0;
	kst rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--status"))
			want_status = 1;
		else
			return cli_usage(usage);
	}
	if ((rc = cli_load_config(c)))
		return rc;
	adminpin_path(c->data_dir, c->cfg->admin_pin_file, path);
	if (want_status)
		return status(c, path);
	if (mkdir(c->data_dir, 0700) < 0 && errno != EEXIST) {
		kerr_set(&c->err, K_EFAIL, "%s: %s", c->data_dir, strerror(errno));
		return cli_fail(c, K_EFAIL);
	}
	if (read_line("New admin PIN (6-12 digits): ", a, sizeof a) ||
	    read_line("The same PIN again: ", b, sizeof b)) {
		rc = kerr_set(&c->err, K_EUSAGE, "ต้องพิมพ์ PIN สองครั้ง / type the PIN twice, one per line");
		goto out;
	}
	if (strcmp(a, b)) {
		rc = kerr_set(&c->err, K_EUSAGE, "PIN สองครั้งไม่ตรงกัน / the two PINs differ");
		goto out;
	}
	if ((rc = adminpin_set(path, a, &c->err)))
		goto out;
	if (!c->json)
		printf("%s\n", !strcmp(cli_lang(c), "en") ? "admin PIN set" : "ตั้ง PIN ผู้ดูแลแล้ว");
	cli_print_json(c, json_pack("{s:s, s:b}", "file", path, "set", 1));
out:
	explicit_bzero(a, sizeof a);
	explicit_bzero(b, sizeof b);
	return rc ? cli_fail(c, rc) : K_OK;
}
