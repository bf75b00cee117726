/**
 * @file adminpin.h
 * @brief The staff PIN that opens the admin screen: stored only as a salted
 * PBKDF2-HMAC-SHA256 hash, and guarded by a persistent attempt limit.
 *
 * The PIN file (config [kiosk] admin_pin_file, relative to the data folder
 * unless absolute; default admin.pin) holds one line
 *   pbkdf2-sha256$<iterations>$<salt, 32 hex>$<hash, 64 hex>
 * mode 0600, written atomically (temp file, fsync, rename, fsync of the folder).
 * There is never a default PIN: without the file the admin screen says how to
 * set one (`kiosk admin-pin`).
 *
 * Attempts: ADMINPIN_TRIES wrong PINs in a row lock the screen for
 * ADMINPIN_LOCK_S seconds. The count and the lock time live in
 * "<pin file>.attempts" (mode 0600, atomic), so switching the kiosk off and on
 * does not give a guesser a fresh set of tries. A lock further in the future
 * than ADMINPIN_LOCK_S (the clock was set back) is cut to ADMINPIN_LOCK_S from
 * now. A right PIN, the end of a lock, and setting a new PIN clear the count.
 *
 * PINs are 6 to 12 digits; obviously guessable ones (one digit repeated, a run
 * up or down such as 123456, a short pattern repeated such as 121212, and a few
 * well-known ones) are refused when set.
 */
#ifndef KIOSK_ADMINPIN_H
#define KIOSK_ADMINPIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define ADMINPIN_MIN 6             /* digits */
#define ADMINPIN_MAX 12
#define ADMINPIN_TRIES 5           /* wrong PINs before the lock */
#define ADMINPIN_LOCK_S 300        /* 5 minutes */
#define ADMINPIN_ITER 600000       /* PBKDF2 rounds (OWASP 2023 for HMAC-SHA256); ~0.3 s */
#define ADMINPIN_ITER_MIN 10000    /* a file asking for fewer is refused as tampered */
#define ADMINPIN_ITER_MAX 10000000
#define ADMINPIN_SALT_LEN 16
#define ADMINPIN_HASH_LEN 32
#define ADMINPIN_PATH_MAX 1024
#define ADMINPIN_FILE_MAX 256      /* bytes of a PIN file read */

/* The PIN file's path: cfg_path as is when absolute, else under data_dir. */
void adminpin_path(const char *data_dir, const char *cfg_path, char out[ADMINPIN_PATH_MAX]);

/* Why a PIN may not be set: NULL when it is fine, else a message "ไทย / English". */
const char *adminpin_weak(const char *pin);

/* Hashes pin with a new random salt and writes the file (mode 0600, atomic).
 * Clears the attempts file. K_EUSAGE for a PIN that adminpin_weak refuses. */
kst adminpin_set(const char *path, const char *pin, struct kerr *err);

/* 1 when a PIN file exists. */
int adminpin_exists(const char *path);

/* The attempt state at `now`. */
struct adminpin_state {
	int fails;            /* wrong PINs in a row */
	int64_t locked_until; /* 0 = not locked */
	int left;             /* tries left before the lock */
};
void adminpin_state(const char *path, int64_t now, struct adminpin_state *st);

/* Checks pin at `now`, updating the attempt state.
 *   K_OK      right PIN (count cleared)
 *   K_EFAIL   wrong PIN (st says how many tries are left, or that it is now locked)
 *   K_EABSENT no PIN file
 *   K_EDEVICE locked: nothing was checked (st->locked_until)
 *   K_EUSAGE  the PIN file is damaged (err says so)
 * The PIN is compared in constant time; the caller wipes its copy. */
kst adminpin_check(const char *path, const char *pin, int64_t now, struct adminpin_state *st,
		   struct kerr *err);

#endif
