#!/usr/bin/env bash
# Runs every unit test binary and integration script; each prints TAP lines.
# Prints one summary line per file and, last, "N passed, N failed" for CI.
# Usage: tests/run.sh [PATTERN...]   (a file runs when its name contains any PATTERN)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
# Debian's python3 (the tests' helpers need nothing else; a pyenv shim costs ~1 s a start).
export PATH=/usr/bin:/bin:$PATH
export BUILD KIOSK_BIN=$PWD/$BUILD/kiosk
# A script that runs longer than this is stopped and counted failed (make test-stress
# raises it: 20 concurrency rounds on a loaded machine take a quarter of an hour).
FILE_LIMIT=${FILE_LIMIT:-900}
pats=("$@")
suite_start=$(date +%s%N)
logdir=$BUILD/test-logs
mkdir -p "$logdir"
pass=0 fail=0
for t in "$BUILD"/tests/test_* tests/integ/*.sh; do
	[ -x "$t" ] || [ "${t##*.}" = sh ] || continue
	name=$(basename "$t")
	[ "$name" = lib.sh ] && continue
	if [ ${#pats[@]} -gt 0 ]; then
		hit=0
		for p in "${pats[@]}"; do [[ $name == *"$p"* ]] && hit=1; done
		[ "$hit" = 1 ] || continue
	fi
	log=$logdir/$name.log
	start=$(date +%s%N)
	if [ "${t##*.}" = sh ]; then timeout "$FILE_LIMIT" bash "$t" >"$log" 2>&1; else timeout 600 "$t" >"$log" 2>&1; fi
	rc=$?
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
	# A test that died without saying why counts as one failure.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$log"; fi
	[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && { f=1; echo "not ok - $name ran no check" >>"$log"; }
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	printf '%-34s %4d passed %3d failed  (%d ms)\n' "$name" "$p" "$f" "$ms"
	if [ "$f" -gt 0 ]; then grep -B2 -A4 '^not ok' "$log" | sed 's/^/    /' | head -60; fi
	pass=$((pass + p)); fail=$((fail + f))
done
echo "suite: $(( ($(date +%s%N) - suite_start) / 1000000000 )) s on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
