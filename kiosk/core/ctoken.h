/**
 * @file ctoken.h
 * @brief Counter tokens: the bearer token each counter's staff give the
 * counter API (Authorization: Bearer <token>).
 *
 * Tokens are derived, not stored: token(N) = base32 of the first
 * CTOKEN_BYTES of HMAC-SHA256(secret_derive(device key, "counter-token-v1"),
 * "counter:N"). So nothing to migrate or leak from the database, every process
 * on the appliance agrees, and a token only ever opens its own counter.
 * Rotating the device key (data/device.key) rotates every counter token at
 * once, and also invalidates printed ticket QR codes.
 */
#ifndef KIOSK_CTOKEN_H
#define KIOSK_CTOKEN_H

#include <stdint.h>

#include "core/secret.h"

#define CTOKEN_BYTES 15  /* 120 bits: far beyond guessing over a LAN */
#define CTOKEN_LEN 24    /* base32 characters of CTOKEN_BYTES */
#define CTOKEN_MAX (CTOKEN_LEN + 1)
#define CTOKEN_LABEL "counter-token-v1"

/* The counter-token subkey from the device key (wipe it with secret_wipe). */
void ctoken_subkey(const uint8_t key[SECRET_KEY_LEN], uint8_t subkey[SECRET_KEY_LEN]);
/* The token of counter N (upper-case RFC 4648 base32, no padding). */
void ctoken_make(const uint8_t subkey[SECRET_KEY_LEN], int counter, char out[CTOKEN_MAX]);
/* 1 when token is counter N's. Constant time in the token's content; case of
 * letters is ignored (staff type it). Any length is accepted and refused. */
int ctoken_check(const uint8_t subkey[SECRET_KEY_LEN], int counter, const char *token,
		 size_t len);

#endif
