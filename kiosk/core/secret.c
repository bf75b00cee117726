/**
 * @file secret.c
 * @brief The per-device key file (see secret.h).
 */
#include "core/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha2.h>

#include "core/fdio.h"

void secret_wipe(void *p, size_t len)
{
	explicit_bzero(p, len);
}

void secret_derive(const uint8_t key[SECRET_KEY_LEN], const char *label,
		   uint8_t out[SECRET_KEY_LEN])
{
	secret_hmac(key, label, strlen(label), out);
}

void secret_hmac(const uint8_t subkey[SECRET_KEY_LEN], const void *data, size_t len,
		 uint8_t out[32])
{
	struct hmac_sha256_ctx c;
	hmac_sha256_set_key(&c, SECRET_KEY_LEN, subkey);
	hmac_sha256_update(&c, len, data);
	hmac_sha256_digest(&c, SHA256_DIGEST_SIZE, out);
	explicit_bzero(&c, sizeof c); /* the context holds the key's inner and outer pads */
}

int secret_equal(const void *a, const void *b, size_t n)
{
	return memeql_sec(a, b, n);
}

void secret_pbkdf2(const char *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
		   unsigned iter, uint8_t *out, size_t out_len)
{
	pbkdf2_hmac_sha256(pass_len, (const uint8_t *)pass, iter, salt_len, salt, out_len, out);
}

kst secret_load(const char *path, uint8_t key[SECRET_KEY_LEN], struct kerr *err)
{
	struct stat st;
	kst rc = K_OK;
	/* O_NOFOLLOW: a symlink planted in the data folder must not redirect the key. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return kerr_set(err, K_EABSENT, "%s: no device key", path);
		if (errno == ELOOP)
			return kerr_set(err, K_EUSAGE, "%s: is a symbolic link; the device key must be a plain file",
					path);
		return kerr_set(err, K_EFAIL, "%s: cannot open device key: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = kerr_set(err, K_EFAIL, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = kerr_set(err, K_EUSAGE, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		rc = kerr_set(err, K_EUSAGE,
			      "%s: mode %04o lets group/other read the device key; run: chmod 600 %s",
			      path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if (st.st_size != SECRET_KEY_LEN) {
		rc = kerr_set(err, K_EUSAGE,
			      "%s: %lld bytes, a device key is %d; restore it from backup or move it "
			      "away to make a new one (printed tickets will then no longer verify)",
			      path, (long long)st.st_size, SECRET_KEY_LEN);
		goto out;
	}
	if (fd_read_all(fd, key, SECRET_KEY_LEN)) {
		rc = kerr_set(err, K_EFAIL, "%s: short read of device key", path);
		goto out;
	}
out:
	if (rc)
		secret_wipe(key, SECRET_KEY_LEN);
	close(fd);
	return rc;
}

static kst random_bytes(uint8_t *buf, size_t len, struct kerr *err)
{
	size_t got = 0;
	while (got < len) {
		/* Blocks only until the kernel pool is first initialised at boot. */
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kerr_set(err, K_EFAIL, "getrandom: %s", strerror(errno));
		got += (size_t)n;
	}
	return K_OK;
}

/* Puts tmp at path unless path exists. 0, or -1 with errno (EEXIST: lost the race). */
static int install_noreplace(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without RENAME_NOREPLACE: link() never replaces either. */
	if (link(tmp, path) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

static kst create_key(const char *dir, const char *path, uint8_t key[SECRET_KEY_LEN],
		      struct kerr *err)
{
	char tmp[SECRET_PATH_MAX];
	kst rc;
	int fd = -1;

	if (snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, SECRET_FILE) >= (int)sizeof tmp)
		return kerr_set(err, K_EUSAGE, "%s: path too long", dir);
	rc = random_bytes(key, SECRET_KEY_LEN, err);
	if (rc)
		return rc;
	fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 whatever the umask */
	if (fd < 0)
		return kerr_set(err, K_EFAIL, "%s: cannot create device key: %s", dir, strerror(errno));
	if (fchmod(fd, 0600) < 0 || fd_write_all(fd, key, SECRET_KEY_LEN) < 0 || fsync(fd) < 0) {
		rc = kerr_set(err, K_EFAIL, "%s: cannot write device key: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = kerr_set(err, K_EFAIL, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (install_noreplace(tmp, path) < 0) {
		if (errno == EEXIST) {
			/* Another process made the key first: everyone must use that one. */
			unlink(tmp);
			secret_wipe(key, SECRET_KEY_LEN);
			return secret_load(path, key, err);
		}
		rc = kerr_set(err, K_EFAIL, "%s: cannot install device key: %s", path, strerror(errno));
		goto out;
	}
	/* The new directory entry must survive a power cut too. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return K_OK;
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	secret_wipe(key, SECRET_KEY_LEN);
	return rc;
}

kst secret_load_or_create(const char *data_dir, uint8_t key[SECRET_KEY_LEN], struct kerr *err)
{
	char path[SECRET_PATH_MAX];

	if (!data_dir || !*data_dir)
		return kerr_set(err, K_EUSAGE, "no data folder for the device key");
	if (snprintf(path, sizeof path, "%s/%s", data_dir, SECRET_FILE) >= (int)sizeof path)
		return kerr_set(err, K_EUSAGE, "%s: path too long", data_dir);
	if (mkdir(data_dir, 0700) < 0 && errno != EEXIST)
		return kerr_set(err, K_EFAIL, "%s: cannot create data folder: %s", data_dir,
				strerror(errno));
	kst rc = secret_load(path, key, err);
	if (rc != K_EABSENT)
		return rc;
	return create_key(data_dir, path, key, err);
}

void secret_hex(const void *b, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	const unsigned char *p = b;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[p[i] >> 4];
		out[2 * i + 1] = h[p[i] & 15];
	}
	out[2 * n] = 0;
}

void secret_sha256_hex(const void *data, size_t len, char out[SECRET_SHA256_HEX])
{
	uint8_t md[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, sizeof md, md);
	secret_hex(md, sizeof md, out);
}
