/**
 * @file secret.h
 * @brief The per-device secret: 32 random bytes in <data>/device.key (mode 0600).
 *
 * One key per kiosk, made on first use from getrandom(). Features never use it
 * directly: each derives its own subkey with secret_derive() and a label
 * ("ticket-qr-v1" signs ticket QR codes, another label keys hashes of citizen
 * IDs), so one feature's outputs tell nothing about another's.
 *
 * The file is created atomically (temp file, fsync, link into place without
 * replacing, fsync of the folder), so a power cut leaves either no key or a
 * whole one, and two processes starting together end up with the same key.
 * The crypto is Nettle's: a per-process cost of ~50 µs, where OpenSSL 3 took ~2.5 ms
 * to load its config and providers before the first HMAC (issue 15: a CLI ticket is
 * one process, and that was a sixth of it).
 *
 * A key file with the wrong size or readable by group/other is refused with a
 * message saying what to do; it is never silently replaced, because replacing
 * it invalidates every ticket already printed.
 */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SECRET_KEY_LEN 32          /* bytes: HMAC-SHA256 key size */
#define SECRET_FILE "device.key"   /* under the data folder */
#define SECRET_PATH_MAX 4096       /* data folder + file name */

/* Loads <data_dir>/device.key, creating it (and data_dir, mode 0700, one level)
 * when it does not exist. K_EUSAGE for a bad key file (size, permissions, not a
 * regular file), K_EFAIL for I/O errors. */
kst secret_load_or_create(const char *data_dir, uint8_t key[SECRET_KEY_LEN], struct kerr *err);
/* Loads an existing key file; K_EABSENT when it does not exist. */
kst secret_load(const char *path, uint8_t key[SECRET_KEY_LEN], struct kerr *err);

/* out = HMAC-SHA256(key, label): an independent subkey per feature. */
void secret_derive(const uint8_t key[SECRET_KEY_LEN], const char *label,
		   uint8_t out[SECRET_KEY_LEN]);
/* out = HMAC-SHA256(subkey, data): a keyed hash that cannot be reversed or
 * brute-forced (13-digit citizen IDs can be) without the device key. */
void secret_hmac(const uint8_t subkey[SECRET_KEY_LEN], const void *data, size_t len,
		 uint8_t out[32]);
/* Wipes key material (explicit_bzero, not optimised away). */
void secret_wipe(void *p, size_t len);
/* 1 when the n bytes are equal, in time that does not depend on where they differ
 * (so a guessed signature or token learns nothing from how long the answer took). */
int secret_equal(const void *a, const void *b, size_t n);
/* out = PBKDF2-HMAC-SHA256(pass, salt, iter) (the admin PIN's stored hash). */
void secret_pbkdf2(const char *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
		   unsigned iter, uint8_t *out, size_t out_len);

#define SECRET_SHA256_HEX 65 /* a SHA-256 as 64 lower-case hex digits and the NUL */
/* n bytes as 2n lower-case hex digits and a NUL into out. */
void secret_hex(const void *b, size_t n, char *out);
/* The SHA-256 of data as hex (file checksums, stored token hashes, body fingerprints). */
void secret_sha256_hex(const void *data, size_t len, char out[SECRET_SHA256_HEX]);

#endif
