/**
 * @file kedmanee.c
 * @brief The Kedmanee table, the edit buffer and Thai input sequence checks.
 */
#include "core/kedmanee.h"

#include <string.h>

#define K(a, b, c, d) {a, b, c, d}

const struct kedmanee_key kedmanee_keys[KEDMANEE_ROWS][KEDMANEE_COLS_MAX] = {
	{K("`", "~", "_", "%"), K("1", "!", "ๅ", "+"), K("2", "@", "/", "๑"), K("3", "#", "-", "๒"),
	 K("4", "$", "ภ", "๓"), K("5", "%", "ถ", "๔"), K("6", "^", "ุ", "ู"), K("7", "&", "ึ", "฿"),
	 K("8", "*", "ค", "๕"), K("9", "(", "ต", "๖"), K("0", ")", "จ", "๗"), K("-", "_", "ข", "๘"),
	 K("=", "+", "ช", "๙")},
	{K("q", "Q", "ๆ", "๐"), K("w", "W", "ไ", "\""), K("e", "E", "ำ", "ฎ"), K("r", "R", "พ", "ฑ"),
	 K("t", "T", "ะ", "ธ"), K("y", "Y", "ั", "ํ"), K("u", "U", "ี", "๊"), K("i", "I", "ร", "ณ"),
	 K("o", "O", "น", "ฯ"), K("p", "P", "ย", "ญ"), K("[", "{", "บ", "ฐ"), K("]", "}", "ล", ","),
	 K("\\", "|", "ฃ", "ฅ")},
	{K("a", "A", "ฟ", "ฤ"), K("s", "S", "ห", "ฆ"), K("d", "D", "ก", "ฏ"), K("f", "F", "ด", "โ"),
	 K("g", "G", "เ", "ฌ"), K("h", "H", "้", "็"), K("j", "J", "่", "๋"), K("k", "K", "า", "ษ"),
	 K("l", "L", "ส", "ศ"), K(";", ":", "ว", "ซ"), K("'", "\"", "ง", ".")},
	{K("z", "Z", "ผ", "("), K("x", "X", "ป", ")"), K("c", "C", "แ", "ฉ"), K("v", "V", "อ", "ฮ"),
	 K("b", "B", "ิ", "ฺ"), K("n", "N", "ื", "์"), K("m", "M", "ท", "?"), K(",", "<", "ม", "ฒ"),
	 K(".", ">", "ใ", "ฬ"), K("/", "?", "ฝ", "ฦ")},
};
const int kedmanee_row_len[KEDMANEE_ROWS] = {13, 13, 11, 10};

const char *kedmanee_label(int row, int col, int thai, int shift)
{
	if (row < 0 || row >= KEDMANEE_ROWS || col < 0 || col >= kedmanee_row_len[row])
		return "";
	const struct kedmanee_key *k = &kedmanee_keys[row][col];
	return thai ? (shift ? k->th_shift : k->th) : (shift ? k->us_shift : k->us);
}

size_t kedmanee_utf8_next(const char *str, size_t len, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c, v;
	size_t n;
	if (!len)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, v = c & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond Unicode are not text. */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The last code point of buf (0 when empty). */
static unsigned last_cp(const char *buf, size_t len)
{
	size_t i = len;
	unsigned cp = 0;
	if (!len)
		return 0;
	while (i > 0 && ((unsigned char)buf[i - 1] & 0xc0) == 0x80 && len - i < 3)
		i--;
	if (i > 0)
		i--;
	if (!kedmanee_utf8_next(buf + i, len - i, &cp))
		return 0;
	return cp;
}

static int is_cons(unsigned c)
{
	return c >= 0x0e01 && c <= 0x0e2e;
}
static int is_above(unsigned c) /* vowels above that take a tone: ั ิ ี ึ ื */
{
	return c == 0x0e31 || (c >= 0x0e34 && c <= 0x0e37);
}
static int is_below(unsigned c) /* ุ ู */
{
	return c == 0x0e38 || c == 0x0e39;
}
static int is_tone(unsigned c)
{
	return c >= 0x0e48 && c <= 0x0e4b;
}

/* May cp follow prev? The WTT 2.0 rules that matter for typed comments. */
static int thai_follows(unsigned prev, unsigned cp)
{
	if (is_above(cp) || is_below(cp) || cp == 0x0e3a || cp == 0x0e47 || cp == 0x0e4d ||
	    cp == 0x0e4e)
		return is_cons(prev);
	if (is_tone(cp))
		return is_cons(prev) || is_above(prev) || is_below(prev);
	if (cp == 0x0e4c) /* thanthakhat: ดิ์ ทร์ ลุ์ */
		return is_cons(prev) || prev == 0x0e34 || prev == 0x0e38;
	if (cp == 0x0e33) /* sara am: นำ น้ำ */
		return is_cons(prev) || is_tone(prev);
	return 1;
}

enum kedmanee_res kedmanee_insert(char *buf, size_t cap, unsigned cp)
{
	char enc[4];
	size_t len = strnlen(buf, cap), n;

	if (cap == 0 || len >= cap)
		return KEDMANEE_FULL;
	if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return KEDMANEE_BAD;
	if (!thai_follows(last_cp(buf, len), cp))
		return KEDMANEE_REFUSED;
	n = utf8_put(enc, cp);
	if (len + n + 1 > cap)
		return KEDMANEE_FULL;
	memcpy(buf + len, enc, n);
	buf[len + n] = 0;
	return KEDMANEE_OK;
}

enum kedmanee_res kedmanee_press(char *buf, size_t cap, int row, int col, int thai, int shift)
{
	const char *t = kedmanee_label(row, col, thai, shift);
	unsigned cp;
	if (!*t || !kedmanee_utf8_next(t, strlen(t), &cp))
		return KEDMANEE_BAD;
	return kedmanee_insert(buf, cap, cp);
}

int kedmanee_backspace(char *buf)
{
	size_t len = strlen(buf);
	if (!len)
		return 0;
	do
		len--;
	while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80);
	buf[len] = 0;
	return 1;
}

size_t kedmanee_count(const char *buf)
{
	size_t n = 0;
	for (; *buf; buf++)
		n += ((unsigned char)*buf & 0xc0) != 0x80;
	return n;
}

int kedmanee_to_us(unsigned cp)
{
	for (int r = 0; r < KEDMANEE_ROWS; r++)
		for (int c = 0; c < kedmanee_row_len[r]; c++) {
			const struct kedmanee_key *k = &kedmanee_keys[r][c];
			unsigned v;
			if (kedmanee_utf8_next(k->th, strlen(k->th), &v) && v == cp)
				return k->us[0];
			if (kedmanee_utf8_next(k->th_shift, strlen(k->th_shift), &v) && v == cp)
				return k->us_shift[0];
		}
	return 0;
}
