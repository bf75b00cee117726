/* The Kedmanee table against the xkb "th" layout, the bounded comment buffer,
 * backspace by code point, and Thai input sequence checks. */
#include <string.h>

#include "core/kedmanee.h"
#include "tap.h"

/* Thai keysyms of xkb/symbols/th "basic", row by row, as code points. */
static const unsigned xkb_th[4][13][2] = {
	{{'_', '%'}, {0xe45, '+'}, {'/', 0xe51}, {'-', 0xe52}, {0xe20, 0xe53}, {0xe16, 0xe54},
	 {0xe38, 0xe39}, {0xe36, 0xe3f}, {0xe04, 0xe55}, {0xe15, 0xe56}, {0xe08, 0xe57},
	 {0xe02, 0xe58}, {0xe0a, 0xe59}},
	{{0xe46, 0xe50}, {0xe44, '"'}, {0xe33, 0xe0e}, {0xe1e, 0xe11}, {0xe30, 0xe18}, {0xe31, 0xe4d},
	 {0xe35, 0xe4a}, {0xe23, 0xe13}, {0xe19, 0xe2f}, {0xe22, 0xe0d}, {0xe1a, 0xe10},
	 {0xe25, ','}, {0xe03, 0xe05}},
	{{0xe1f, 0xe24}, {0xe2b, 0xe06}, {0xe01, 0xe0f}, {0xe14, 0xe42}, {0xe40, 0xe0c},
	 {0xe49, 0xe47}, {0xe48, 0xe4b}, {0xe32, 0xe29}, {0xe2a, 0xe28}, {0xe27, 0xe0b},
	 {0xe07, '.'}},
	{{0xe1c, '('}, {0xe1b, ')'}, {0xe41, 0xe09}, {0xe2d, 0xe2e}, {0xe34, 0xe3a}, {0xe37, 0xe4c},
	 {0xe17, '?'}, {0xe21, 0xe12}, {0xe43, 0xe2c}, {0xe1d, 0xe26}},
};

static unsigned cp_of(const char *s)
{
	unsigned cp = 0;
	kedmanee_utf8_next(s, strlen(s), &cp);
	return cp;
}

int main(void)
{
	int bad = 0, keys = 0;
	for (int r = 0; r < KEDMANEE_ROWS; r++)
		for (int c = 0; c < kedmanee_row_len[r]; c++, keys++) {
			if (cp_of(kedmanee_label(r, c, 1, 0)) != xkb_th[r][c][0] ||
			    cp_of(kedmanee_label(r, c, 1, 1)) != xkb_th[r][c][1]) {
				printf("# row %d col %d: %s %s\n", r, c, kedmanee_label(r, c, 1, 0),
				       kedmanee_label(r, c, 1, 1));
				bad++;
			}
		}
	IS_INT(keys, 47, "47 character keys");
	IS_INT(bad, 0, "every key matches the xkb Thai (Kedmanee) layout, shifted and not");
	IS_STR(kedmanee_label(2, 0, 0, 0), "a", "the English layout is the same keys");
	IS_STR(kedmanee_label(4, 0, 1, 0), "", "no such row");
	IS_STR(kedmanee_label(2, 11, 1, 0), "", "no such key");

	/* Every Thai consonant and vowel can be typed. */
	int missing = 0;
	for (unsigned cp = 0xe01; cp <= 0xe4d; cp++) {
		if (cp >= 0xe3b && cp <= 0xe3e)
			continue; /* unassigned */
		if (!kedmanee_to_us(cp)) {
			printf("# U+%04X has no key\n", cp);
			missing++;
		}
	}
	IS_INT(missing, 0, "every Thai letter, vowel and mark U+0E01..U+0E4D has a key");
	IS_INT(kedmanee_to_us(0xe1f), 'a', "ฟ is typed with a");
	IS_INT(kedmanee_to_us(0xe24), 'A', "ฤ with shift-a");
	IS_INT(kedmanee_to_us('/'), '2', "'/' comes from the 2 key in the Thai layout");
	IS_INT(kedmanee_to_us('x'), 0, "x is not on the Thai layout");

	/* Typing สวัสดี: ส ว ั ส ด ี */
	char buf[32] = "";
	int rs[6][2] = {{2, 8}, {2, 9}, {1, 5}, {2, 8}, {2, 3}, {1, 6}};
	int allok = 1;
	for (int i = 0; i < 6; i++)
		allok &= kedmanee_press(buf, sizeof buf, rs[i][0], rs[i][1], 1, 0) == KEDMANEE_OK;
	OK(allok, "six key presses accepted");
	IS_STR(buf, "สวัสดี", "they spell สวัสดี");
	IS_INT(kedmanee_count(buf), 6, "six code points");
	OK(kedmanee_backspace(buf), "backspace");
	IS_STR(buf, "สวัสด", "removes one code point (the vowel), not the cluster");
	/* น้ำ: น then ้ then ำ */
	char w[16] = "";
	kedmanee_insert(w, sizeof w, 0xe19);
	IS_INT(kedmanee_insert(w, sizeof w, 0xe49), KEDMANEE_OK, "a tone after a consonant");
	IS_INT(kedmanee_insert(w, sizeof w, 0xe33), KEDMANEE_OK, "sara am after the tone");
	IS_STR(w, "น้ำ", "น้ำ");
	IS_INT(kedmanee_insert(w, sizeof w, 0xe48), KEDMANEE_REFUSED, "a tone after sara am is refused");
	char e[16] = "";
	IS_INT(kedmanee_insert(e, sizeof e, 0xe49), KEDMANEE_REFUSED, "a tone at the start is refused");
	IS_INT(kedmanee_insert(e, sizeof e, 0xe34), KEDMANEE_REFUSED, "a vowel above at the start too");
	kedmanee_insert(e, sizeof e, 0xe01);
	kedmanee_insert(e, sizeof e, 0xe48);
	IS_INT(kedmanee_insert(e, sizeof e, 0xe49), KEDMANEE_REFUSED, "two tone marks are refused");
	char d[16] = "";
	kedmanee_insert(d, sizeof d, 0xe14);
	kedmanee_insert(d, sizeof d, 0xe34);
	IS_INT(kedmanee_insert(d, sizeof d, 0xe4c), KEDMANEE_OK, "thanthakhat after ิ (ดิ์)");
	IS_INT(kedmanee_insert(d, sizeof d, 0xe40), KEDMANEE_OK, "a leading vowel may follow anything");
	IS_INT(kedmanee_insert(d, sizeof d, 7), KEDMANEE_BAD, "a control character is not text");
	IS_INT(kedmanee_insert(d, sizeof d, 0x85), KEDMANEE_BAD, "nor a C1 control");

	/* Bounded: a 10-byte buffer takes 3 Thai letters (9 bytes + NUL), not 4. */
	char small[10] = "";
	int n = 0;
	while (kedmanee_insert(small, sizeof small, 0xe01) == KEDMANEE_OK)
		n++;
	IS_INT(n, 3, "three 3-byte letters fit in 10 bytes");
	IS_INT(kedmanee_insert(small, sizeof small, 'a'), KEDMANEE_FULL, "then only 0 bytes left: 'a' does not fit");
	IS_INT(strlen(small), 9, "never overflows");
	char one[4] = "ab";
	IS_INT(kedmanee_insert(one, sizeof one, 'c'), KEDMANEE_OK, "ASCII fills to the last byte");
	IS_INT(kedmanee_insert(one, sizeof one, 'd'), KEDMANEE_FULL, "and stops");
	char empty[4] = "";
	IS_INT(kedmanee_backspace(empty), 0, "backspace on empty does nothing");

	unsigned cp;
	IS_INT(kedmanee_utf8_next("\xc0\x80", 2, &cp), 0, "overlong NUL is invalid");
	IS_INT(kedmanee_utf8_next("\xed\xa0\x80", 3, &cp), 0, "a surrogate is invalid");
	IS_INT(kedmanee_utf8_next("\xe0\xb8", 2, &cp), 0, "a truncated sequence is invalid");
	return tap_done();
}
