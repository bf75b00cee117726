/* Fuzz target: the comment a citizen types on the on-screen Kedmanee keyboard
 * (core/kedmanee.h) and what rating_save() does to it (core/rating.h).
 * Invariants: the buffer never passes its capacity and always holds valid
 * UTF-8; masking never lengthens the text and keeps it valid. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kedmanee.h"
#include "core/rating.h"

static void valid_utf8(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = kedmanee_utf8_next(s + i, len - i, &cp);
		if (!n)
			abort();
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[RATING_COMMENT_MAX + 1] = "";
	char small[16] = "";
	struct kerr err;

	for (size_t i = 0; i < size; i++) {
		uint8_t op = data[i];
		if (op < 0x40) { /* a key press: row, column, layout, shift from the bits */
			kedmanee_press(buf, sizeof buf, op & 3, (op >> 2) % KEDMANEE_COLS_MAX, op & 0x20,
				       op & 0x10);
			kedmanee_press(small, sizeof small, op & 3, (op >> 2) % KEDMANEE_COLS_MAX, 1, 0);
		} else if (op < 0x48) {
			kedmanee_backspace(buf);
			kedmanee_backspace(small);
		} else if (i + 2 < size) { /* any code point */
			unsigned cp = (unsigned)data[i + 1] << 8 | data[i + 2];
			cp |= (unsigned)(op & 0x1f) << 16;
			kedmanee_insert(buf, sizeof buf, cp);
			kedmanee_insert(small, sizeof small, cp);
			i += 2;
		}
		if (strlen(buf) >= sizeof buf || strlen(small) >= sizeof small)
			abort();
	}
	valid_utf8(buf);
	valid_utf8(small);
	if (rating_comment_check(buf, &err) == K_OK) {
		size_t before = strlen(buf);
		rating_comment_mask(buf);
		if (strlen(buf) > before)
			abort();
		valid_utf8(buf);
	}
	/* The raw input as a comment, as a CLI or a future API would pass it. */
	if (size <= RATING_COMMENT_MAX) {
		char raw[RATING_COMMENT_MAX + 1];
		memcpy(raw, data, size);
		raw[size] = 0;
		if (rating_comment_check(raw, &err) == K_OK) {
			rating_comment_mask(raw);
			valid_utf8(raw);
		}
	}
	return 0;
}
