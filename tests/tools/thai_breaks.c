/**
 * @file thai_breaks.c
 * @brief Prints each input line with '|' at the text engine's line-break
 * opportunities (or grapheme boundaries with --clusters), for comparing with Pango.
 *
 *   build/tools/thai_breaks [--clusters] < strings.txt
 * Lines may already contain '|' marks: they are removed first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

#define LINE_MAX_BYTES 8192 /* one corpus line */

int main(int argc, char **argv)
{
	int clusters = argc > 1 && !strcmp(argv[1], "--clusters");
	char line[LINE_MAX_BYTES], s[LINE_MAX_BYTES];
	uint8_t fl[LINE_MAX_BYTES + 1];
	unsigned mask = clusters ? TEXT_BRK_CLUSTER : TEXT_BRK_LINE;

	while (fgets(line, sizeof line, stdin)) {
		size_t n = 0;
		for (char *p = line; *p && *p != '\n'; p++)
			if (*p != '|')
				s[n++] = *p;
		s[n] = 0;
		if (text_breaks(s, n, fl)) {
			fprintf(stderr, "thai_breaks: out of memory\n");
			return 1;
		}
		for (size_t i = 0; i < n; i++) {
			if (i > 0 && (fl[i] & mask))
				putchar('|');
			putchar(s[i]);
		}
		putchar('\n');
	}
	text_break_quit();
	return 0;
}
