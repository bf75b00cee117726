/**
 * @file adminpin.c
 * @brief The admin PIN: PBKDF2 hash file and the persistent attempt limit.
 */
#include "core/adminpin.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secret.h"

#define SCHEME "pbkdf2-sha256"
#define STATE_SUFFIX ".attempts"
#define STATE_MAX 128 /* bytes of an attempts file read */

void adminpin_path(const char *data_dir, const char *cfg_path, char out[ADMINPIN_PATH_MAX])
{
	const char *p = cfg_path && *cfg_path ? cfg_path : "admin.pin";
	if (p[0] == '/')
		snprintf(out, ADMINPIN_PATH_MAX, "%s", p);
	else
		snprintf(out, ADMINPIN_PATH_MAX, "%s/%s", data_dir ? data_dir : ".", p);
}

/* Well-known PINs that no rule below catches (keypad shapes, mirrored runs). */
static const char *const common[] = {
	"112233", "111222", "159753", "147258", "258369", "147852", "789456", "456123",
	"102030", "123321", "654456", "789987", "135790", "246810", "112358", "000111",
	"142536", "963852", "741852", "159357", "123654", "987654321", NULL,
};

const char *adminpin_weak(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < ADMINPIN_MIN || n > ADMINPIN_MAX)
		return "PIN ต้องเป็นตัวเลข 6 ถึง 12 หลัก / the PIN must be 6 to 12 digits";
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return "PIN ต้องเป็นตัวเลขเท่านั้น / the PIN must be digits only";
	int up = 1, down = 1;
	for (size_t i = 1; i < n; i++) {
		int d = (pin[i] - pin[i - 1] + 10) % 10;
		up &= d == 1;
		down &= d == 9;
	}
	if (up || down)
		return "PIN เป็นเลขเรียงกัน เดาง่าย / the PIN is a run of digits, easy to guess";
	/* A pattern of up to half the length repeated: 000000, 121212, 123123. */
	for (size_t p = 1; p <= n / 2; p++) {
		size_t i = p;
		while (i < n && pin[i] == pin[i - p])
			i++;
		if (i == n)
			return "PIN เป็นตัวเลขซ้ำกัน เดาง่าย / the PIN repeats a pattern, easy to guess";
	}
	for (int i = 0; common[i]; i++)
		if (!strcmp(pin, common[i]))
			return "PIN นี้ใช้กันทั่วไป เดาง่าย / this PIN is commonly used, easy to guess";
	return NULL;
}

static int unhex(const char *s, size_t len, unsigned char *out, size_t n)
{
	if (len != 2 * n)
		return -1;
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		out[i / 2] = (unsigned char)(i % 2 ? (out[i / 2] << 4) | v : v);
	}
	return 0;
}

static kst derive(const char *pin, const unsigned char *salt, long iter,
		  unsigned char out[ADMINPIN_HASH_LEN], struct kerr *err)
{
	(void)err; /* Nettle's PBKDF2 cannot fail: the inputs are checked by the callers */
	secret_pbkdf2(pin, strlen(pin), salt, ADMINPIN_SALT_LEN, (unsigned)iter, out,
		      ADMINPIN_HASH_LEN);
	return K_OK;
}

/* Writes text to path atomically with mode 0600. */
static kst write_atomic(const char *path, const char *text, struct kerr *err)
{
	char tmp[ADMINPIN_PATH_MAX + 16], dir[ADMINPIN_PATH_MAX];
	size_t len = strlen(text);
	int fd;

	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(e));
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return kerr_set(err, K_EFAIL, "%s: %s", path, strerror(e));
	}
	snprintf(dir, sizeof dir, "%s", path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return K_OK;
}

static void state_path(const char *path, char out[ADMINPIN_PATH_MAX + 16])
{
	snprintf(out, ADMINPIN_PATH_MAX + 16, "%s%s", path, STATE_SUFFIX);
}

static void read_state(const char *path, struct adminpin_state *st)
{
	char sp[ADMINPIN_PATH_MAX + 16], buf[STATE_MAX + 1];
	long long f = 0, until = 0;
	memset(st, 0, sizeof *st);
	state_path(path, sp);
	int fd = open(sp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, STATE_MAX);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	if (sscanf(buf, "fails %lld\nlocked_until %lld", &f, &until) != 2)
		return;
	st->fails = f < 0 ? 0 : f > ADMINPIN_TRIES ? ADMINPIN_TRIES : (int)f;
	st->locked_until = until < 0 ? 0 : until;
}

static kst write_state(const char *path, const struct adminpin_state *st, struct kerr *err)
{
	char sp[ADMINPIN_PATH_MAX + 16], buf[STATE_MAX];
	state_path(path, sp);
	snprintf(buf, sizeof buf, "fails %d\nlocked_until %lld\n", st->fails,
		 (long long)st->locked_until);
	return write_atomic(sp, buf, err);
}

/* Applies the clock: a lock that ended clears the count, one too far ahead is cut. */
static int settle(struct adminpin_state *st, int64_t now)
{
	int changed = 0;
	if (st->locked_until && st->locked_until <= now) {
		st->locked_until = 0;
		st->fails = 0;
		changed = 1;
	} else if (st->locked_until > now + ADMINPIN_LOCK_S) {
		st->locked_until = now + ADMINPIN_LOCK_S;
		changed = 1;
	}
	st->left = st->locked_until ? 0 : ADMINPIN_TRIES - st->fails;
	return changed;
}

void adminpin_state(const char *path, int64_t now, struct adminpin_state *st)
{
	read_state(path, st);
	settle(st, now);
}

int adminpin_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

kst adminpin_set(const char *path, const char *pin, struct kerr *err)
{
	unsigned char salt[ADMINPIN_SALT_LEN], h[ADMINPIN_HASH_LEN];
	char line[ADMINPIN_FILE_MAX], sh[2 * ADMINPIN_SALT_LEN + 1], hh[2 * ADMINPIN_HASH_LEN + 1];
	const char *why = adminpin_weak(pin);
	kst rc;

	if (why)
		return kerr_set(err, K_EUSAGE, "%s", why);
	if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt)
		return kerr_set(err, K_EFAIL, "no randomness for the salt: %s", strerror(errno));
	if ((rc = derive(pin, salt, ADMINPIN_ITER, h, err)))
		return rc;
	secret_hex(salt, sizeof salt, sh);
	secret_hex(h, sizeof h, hh);
	snprintf(line, sizeof line, SCHEME "$%d$%s$%s\n", ADMINPIN_ITER, sh, hh);
	rc = write_atomic(path, line, err);
	explicit_bzero(h, sizeof h);
	explicit_bzero(line, sizeof line);
	if (!rc) {
		struct adminpin_state st = {0};
		rc = write_state(path, &st, err);
	}
	return rc;
}

/* Reads and parses the PIN file. */
static kst load(const char *path, long *iter, unsigned char salt[ADMINPIN_SALT_LEN],
		unsigned char h[ADMINPIN_HASH_LEN], struct kerr *err)
{
	char buf[ADMINPIN_FILE_MAX + 1], *p, *f[4];
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return kerr_set(err, K_EABSENT, "%s: no admin PIN is set", path);
		return kerr_set(err, K_EUSAGE, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 077)) {
		close(fd);
		return kerr_set(err, K_EUSAGE, "%s: must be a file readable only by the kiosk (chmod 600)",
				path);
	}
	ssize_t n = read(fd, buf, ADMINPIN_FILE_MAX);
	close(fd);
	if (n <= 0)
		return kerr_set(err, K_EUSAGE, "%s: empty or unreadable; set the PIN again (kiosk admin-pin)",
				path);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	p = buf;
	for (int i = 0; i < 4; i++) {
		f[i] = p;
		p = i < 3 ? strchr(p, '$') : NULL;
		if (i < 3) {
			if (!p)
				goto bad;
			*p++ = 0;
		}
	}
	char *end;
	*iter = strtol(f[1], &end, 10);
	if (strcmp(f[0], SCHEME) || *end || *iter < ADMINPIN_ITER_MIN || *iter > ADMINPIN_ITER_MAX ||
	    unhex(f[2], strlen(f[2]), salt, ADMINPIN_SALT_LEN) ||
	    unhex(f[3], strlen(f[3]), h, ADMINPIN_HASH_LEN))
		goto bad;
	return K_OK;
bad:
	return kerr_set(err, K_EUSAGE, "%s: damaged; set the PIN again (kiosk admin-pin)", path);
}

kst adminpin_check(const char *path, const char *pin, int64_t now, struct adminpin_state *st,
		   struct kerr *err)
{
	unsigned char salt[ADMINPIN_SALT_LEN], want[ADMINPIN_HASH_LEN], got[ADMINPIN_HASH_LEN];
	long iter = 0;
	kst rc;

	read_state(path, st);
	if (settle(st, now) && !st->locked_until)
		write_state(path, st, err); /* a lock ended: a fresh set of tries */
	if (st->locked_until)
		return kerr_set(err, K_EDEVICE, "locked until %lld", (long long)st->locked_until);
	if ((rc = load(path, &iter, salt, want, err)))
		return rc;
	/* Count the try before checking it: pulling the plug during the check
	 * must not give the guess for free. */
	st->fails++;
	if ((rc = write_state(path, st, err)))
		return rc;
	size_t n = pin ? strlen(pin) : 0;
	int right = n >= 1 && n <= ADMINPIN_MAX && !derive(pin, salt, iter, got, err) &&
		    secret_equal(got, want, ADMINPIN_HASH_LEN);
	explicit_bzero(got, sizeof got);
	if (right) {
		st->fails = 0;
		st->locked_until = 0;
		st->left = ADMINPIN_TRIES;
		write_state(path, st, err);
		return K_OK;
	}
	if (st->fails >= ADMINPIN_TRIES)
		st->locked_until = now + ADMINPIN_LOCK_S;
	st->left = st->locked_until ? 0 : ADMINPIN_TRIES - st->fails;
	write_state(path, st, err);
	return kerr_set(err, K_EFAIL, "wrong PIN");
}
