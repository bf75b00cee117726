/**
 * @file err.h
 * @brief The one error style of the kiosk.
 *
 * Every fallible function returns a kst and, when it fails, fills a struct kerr
 * with one human line (Thai or English, naming the file/line or device). The
 * numeric values are the process exit codes of the CLI contract, so a status
 * travels unchanged from the deepest module to exit().
 *
 *   kst rc = store_open(&st, dir, &err);
 *   if (rc) goto out;
 */
#ifndef KIOSK_ERR_H
#define KIOSK_ERR_H

#include <stdarg.h>

typedef enum kst {
	K_OK = 0,       /* done */
	K_EFAIL = 1,    /* the operation failed (nobody waiting, bad state, I/O) */
	K_EUSAGE = 2,   /* usage or configuration error */
	K_EABSENT = 3,  /* device absent or timed out (no reader, card, printer) */
	K_EDEVICE = 4,  /* device error (card pulled mid-read, printer fault) */
} kst;

/* One line of message: long enough for a path plus a sentence in Thai (3 bytes a char). */
#define KERR_MSG_MAX 512

struct kerr {
	kst code;
	char msg[KERR_MSG_MAX];
};

/* Sets err (when not NULL) and returns code, so callers can `return kerr_set(...)`. */
kst kerr_set(struct kerr *err, kst code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
kst kerr_setv(struct kerr *err, kst code, const char *fmt, va_list ap);

/* Prefixes the existing message with context ("kiosk.conf: "). */
void kerr_prefix(struct kerr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
