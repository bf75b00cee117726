/**
 * @file kedmanee.h
 * @brief The Thai Kedmanee keyboard (TIS 820-2538, as in xkb "th") for the
 * on-screen comment keyboard, and a bounded UTF-8 edit buffer for it.
 *
 * The layout is data: rows of keys, each with its US character and its Thai
 * character, unshifted and shifted, so the screen can draw either layout from
 * the same table and the English toggle is the same keys. Key presses are
 * applied to a caller's buffer that never grows past its capacity; backspace
 * removes one code point (a tone mark first, then its consonant), which is how
 * Thai typists expect to correct a mark.
 *
 * Input sequence checking (after WTT 2.0): a mark that cannot stand where it
 * is typed (a vowel above or below with no consonant, two tone marks, a tone
 * at the start) is refused instead of being stored as broken text.
 *
 * The reverse table, Thai character -> the US key that types it, lets the
 * scanner decode a barcode scanner typing on a machine left in the Thai layout.
 */
#ifndef KIOSK_KEDMANEE_H
#define KIOSK_KEDMANEE_H

#include <stddef.h>

#define KEDMANEE_ROWS 4
#define KEDMANEE_COLS_MAX 13

struct kedmanee_key {
	const char *us, *us_shift; /* ASCII, one character each */
	const char *th, *th_shift; /* UTF-8, one code point each (some are ASCII) */
};

/* Row 0 is the number row; rows hold 13, 13, 11 and 10 keys. */
extern const struct kedmanee_key kedmanee_keys[KEDMANEE_ROWS][KEDMANEE_COLS_MAX];
extern const int kedmanee_row_len[KEDMANEE_ROWS];

enum kedmanee_res {
	KEDMANEE_OK = 0,
	KEDMANEE_FULL,    /* would not fit: the buffer is unchanged */
	KEDMANEE_REFUSED, /* a Thai mark that cannot follow what is there */
	KEDMANEE_BAD,     /* no such key, or not a printable character */
};

/* The text on a key: Thai or English layout, shifted or not ("" for no key). */
const char *kedmanee_label(int row, int col, int thai, int shift);

/* Appends code point cp to the NUL-terminated UTF-8 text in buf (cap bytes
 * including the NUL). Printable characters only (space and newline allowed). */
enum kedmanee_res kedmanee_insert(char *buf, size_t cap, unsigned cp);
/* Applies a key press: the key's character in the chosen layout. */
enum kedmanee_res kedmanee_press(char *buf, size_t cap, int row, int col, int thai, int shift);
/* Removes the last code point; returns 1 when something was removed. */
int kedmanee_backspace(char *buf);
/* Code points in buf (for a "42/200" counter). */
size_t kedmanee_count(const char *buf);

/* The US ASCII character typed by the key that gives cp in the Thai layout
 * (e.g. 'ฟ' -> 'a', 'ฤ' -> 'A', '/' -> '2'), or 0 when no key gives it. */
int kedmanee_to_us(unsigned cp);

/* Decodes one UTF-8 code point; returns its length (1..4), 0 when invalid
 * (overlong, surrogate, truncated). */
size_t kedmanee_utf8_next(const char *s, size_t len, unsigned *cp);

#endif
