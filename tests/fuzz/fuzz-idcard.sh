#!/usr/bin/env bash
# The ID card parser's fuzz target (tests/fuzz/fuzz_idcard.c), standalone:
#   tests/fuzz/fuzz-idcard.sh [SECONDS]   clang libFuzzer + ASan + UBSan for SECONDS (60)
#   tests/fuzz/fuzz-idcard.sh --replay    gcc, feeds the corpus and every kept crash once
# Seeds: tests/fuzz/corpus/idcard (the virtual card profiles' raw fields, 498 bytes each).
# Crashes are written to tests/fuzz/regress/fuzz_idcard/ and kept there as regression cases.
# (The target follows the libFuzzer API used by `make fuzz` on main, which picks it up too.)
set -eu
cd "$(dirname "$0")/../.."
OUT=build/fuzz-idcard
SRC="kiosk/core/idcard.c kiosk/core/clock.c kiosk/core/err.c"
CFL="-std=c11 -D_GNU_SOURCE -Ikiosk $(pkg-config --cflags jansson)"
LIBS="$(pkg-config --libs jansson)"
mkdir -p "$OUT/corpus" tests/fuzz/regress/fuzz_idcard

if [ "${1:-}" = --replay ]; then
	cat >"$OUT/replay.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		static uint8_t buf[1 << 20];
		size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		uint8_t *exact = malloc(n ? n : 1);
		for (size_t k = 0; k < n; k++)
			exact[k] = buf[k];
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	printf("replayed %d inputs\n", argc - 1);
	return 0;
}
EOF
	gcc $CFL -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-o "$OUT/replay" tests/fuzz/fuzz_idcard.c "$OUT/replay.c" $SRC $LIBS
	exec "$OUT/replay" $(find tests/fuzz/corpus/idcard tests/fuzz/regress/fuzz_idcard -type f)
fi

SECS=${1:-60}
clang $CFL -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -o "$OUT/fuzz_idcard" tests/fuzz/fuzz_idcard.c $SRC $LIBS
"$OUT/fuzz_idcard" -max_total_time="$SECS" -max_len=2048 -print_final_stats=1 \
	-artifact_prefix=tests/fuzz/regress/fuzz_idcard/ "$OUT/corpus" tests/fuzz/corpus/idcard 2>&1 |
	grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|INFO: seed corpus|==[0-9]+==ERROR|SUMMARY)|Test unit written|cov:' | tail -8
