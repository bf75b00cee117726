#!/usr/bin/env bash
# Every fuzz target's corpus and every crash ever found (tests/fuzz/regress/)
# replayed through the normal build: no crash, no sanitizer report.
. "$(dirname "$0")/lib.sh"
for bin in "$ROOT/$BUILD"/fuzz-replay/fuzz_*; do
	[ -x "$bin" ] || continue
	n=$(basename "$bin"); short=${n#fuzz_}
	out=$("$bin" "$ROOT/tests/fuzz/corpus/$short" "$ROOT/tests/fuzz/regress/$n" 2>&1); rc=$?
	is "$rc" 0 "$n: corpus and kept crashes replay cleanly (${out##*replayed })"
done
done_testing
