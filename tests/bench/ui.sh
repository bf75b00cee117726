#!/usr/bin/env bash
# UI rows for tests/bench.sh (| what | figure | target | command |):
#   first frame: process start to the first complete frame of `kiosk run` (attract) and
#     of `kiosk display` (the board), and their peak RSS, medians of 7 runs, headless
#     software renderer;
#   frame render: the attract screen redrawn 300 times with warm caches;
#   peak RSS: over that 300-frame run;
#   idle CPU: 60 s on the attract screen (IDLE_S to change), sampled from /proc after
#     start-up, headless and on a real X server (Xvfb) where SDL waits on the X socket.
# Every kiosk serves its counter API on a port the kernel picks (--api-port 0): the
# two idle runs go side by side, and a busy port 8088 changes nothing.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
K=$PWD/$BUILD/kiosk
IDLE_S=${IDLE_S:-60}
export KIOSK_NOW=${KIOSK_NOW:-2026-11-24T09:41:00+07:00}
TMP=$(mktemp -d /tmp/kiosk-bench-ui.XXXXXX)
xpid=
trap 'rm -rf "$TMP"; [ -n "$xpid" ] && kill $xpid 2>/dev/null' EXIT

# median N CMD...: "<ms> <MB>", the medians of N first_frame.py runs: process start (the
# fork) to the "first-frame MS" line, and the process's peak RSS.
median() {
	local n=$1
	shift
	for _ in $(seq "$n"); do python3 tests/tools/first_frame.py "$@" || return 1; done |
		python3 -c 'import sys, statistics as s; r=[l.split() for l in sys.stdin if l.strip()]; print("%d %.1f" % (s.median(float(a) for a, b in r), s.median(float(b) for a, b in r)))'
}
run=$(median 7 "$K" run --headless --api-port 0 --trace --exit-after 0) || exit 1
echo "| kiosk run: process start to the first attract frame / peak memory (headless; counter API, upload worker, card watcher started; median of 7) | ${run% *} ms / ${run#* } MB | ≤ 120 ms, ≤ 35 MB | \`tests/tools/first_frame.py kiosk run --headless --api-port 0 --trace --exit-after 0\` |"
disp=$(KIOSK_DATA=$TMP/board median 7 "$K" display --headless --mute --trace --exit-after 0) || exit 1
echo "| kiosk display: process start to the board's first frame / peak memory (1920x1080 headless, local database; median of 7) | ${disp% *} ms / ${disp#* } MB | ≤ 120 ms, ≤ 35 MB | \`tests/tools/first_frame.py kiosk display --headless --mute --trace --exit-after 0\` |"

/usr/bin/time -f '%M' -o "$TMP/rss" "$K" run --headless --api-port 0 --bench 300 2>"$TMP/bench" || exit 1
med=$(sed -n 's/.*wall median \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
p99=$(sed -n 's/.*wall median [0-9.]* ms p99 \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
cmed=$(sed -n 's/.*cpu median \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
cp99=$(sed -n 's/.*cpu median [0-9.]* ms p99 \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
rss=$(awk '{printf "%.1f", $1 / 1024}' "$TMP/rss")
echo "| frame render median / p99, warm cache (attract 1080x1920, software), wall | $med / $p99 ms | < 4 ms p99 | \`kiosk run --headless --bench 300\` |"
echo "| frame render median / p99, warm cache, CPU time (without a busy machine's waits) | $cmed / $cp99 ms | < 4 ms p99 | same run |"
echo "| peak RSS (300 frames) | $rss MB | < 60 MB | \`/usr/bin/time -f %M kiosk run --headless --bench 300\` |"

# idle ARGS...: CPU % of a running kiosk over IDLE_S s, sampled from /proc after
# a 4 s settle (start-up excluded), in clock ticks. The sleeps are the measuring
# window; the kiosk runs until it is stopped after the second sample, so a slow start
# cannot end it before then.
idle() {
	"$K" run "$@" --api-port 0 & local pid=$!
	sleep 4
	local t0 t1 hz
	t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
	sleep "$IDLE_S"
	t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
	kill -TERM $pid
	wait $pid
	hz=$(getconf CLK_TCK)
	awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$IDLE_S" 'BEGIN { printf "%.2f %.2f", (b - a) / hz / s * 100, (b - a) / hz }'
}
if command -v Xvfb >/dev/null; then
	# Xvfb picks a free display and writes it to fd 3 once it accepts clients.
	Xvfb -displayfd 3 -noreset -screen 0 1080x1920x24 -nolisten tcp 3>"$TMP/xdisplay" >/dev/null 2>&1 & xpid=$!
	for _ in $(seq 300); do [ -s "$TMP/xdisplay" ] && break; sleep 0.1; done # up to 30 s
	if [ -s "$TMP/xdisplay" ]; then
		DISPLAY=:$(head -1 "$TMP/xdisplay") idle > "$TMP/xidle" &
		xjob=$!
	else
		echo "ui bench: Xvfb did not start within 30 s: no full-screen figure" >&2
		kill $xpid 2>/dev/null
		xpid=
	fi
fi
read -r pct cpu < <(idle --headless)
echo "| idle CPU ${IDLE_S} s on attract, headless | $pct % | < 1 % | \`kiosk run --headless\`, /proc CPU ticks over ${IDLE_S} s after start-up ($cpu s) |"
if [ -n "$xpid" ]; then
	wait $xjob
	read -r xpct xcpu < "$TMP/xidle"
	echo "| idle CPU ${IDLE_S} s on attract, full screen on Xvfb | $xpct % | < 1 % | \`DISPLAY=:N kiosk run\`, same sampling ($xcpu s) |"
fi
