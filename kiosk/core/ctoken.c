/**
 * @file ctoken.c
 * @brief Derived counter tokens (see ctoken.h).
 */
#include "core/ctoken.h"

#include <stdio.h>
#include <string.h>

void ctoken_subkey(const uint8_t key[SECRET_KEY_LEN], uint8_t subkey[SECRET_KEY_LEN])
{
	secret_derive(key, CTOKEN_LABEL, subkey);
}

void ctoken_make(const uint8_t subkey[SECRET_KEY_LEN], int counter, char out[CTOKEN_MAX])
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char msg[32];
	uint8_t mac[32];
	int n = snprintf(msg, sizeof msg, "counter:%d", counter);
	secret_hmac(subkey, msg, (size_t)n, mac);
	/* 15 bytes = 120 bits = exactly 24 groups of 5 bits. */
	for (int i = 0; i < CTOKEN_LEN; i++) {
		int bit = i * 5, byte = bit / 8, off = bit % 8;
		unsigned v = (unsigned)mac[byte] << 8 | (byte + 1 < CTOKEN_BYTES ? mac[byte + 1] : 0);
		out[i] = b32[(v >> (11 - off)) & 31];
	}
	out[CTOKEN_LEN] = 0;
	secret_wipe(mac, sizeof mac);
}

int ctoken_check(const uint8_t subkey[SECRET_KEY_LEN], int counter, const char *token,
		 size_t len)
{
	char want[CTOKEN_MAX], got[CTOKEN_MAX];
	if (!token || len != CTOKEN_LEN)
		return 0;
	for (size_t i = 0; i < CTOKEN_LEN; i++) {
		char ch = token[i];
		got[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
	}
	ctoken_make(subkey, counter, want);
	int same = secret_equal(want, got, CTOKEN_LEN);
	secret_wipe(want, sizeof want);
	return same;
}
