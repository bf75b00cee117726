#!/usr/bin/env bash
# UI rows for tests/bench.sh (| what | figure | target | command |):
#   first frame: process start to exit after the first complete attract frame
#     (SDL, fonts, shaping, render), median of 5 runs, headless software renderer;
#   frame render: the attract screen redrawn 300 times with warm caches;
#   peak RSS: over that 300-frame run;
#   idle CPU: 60 s on the attract screen (IDLE_S to change), start-up cost removed,
#     headless and on a real X server (Xvfb) where SDL waits on the X socket.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
K=$PWD/$BUILD/kiosk
IDLE_S=${IDLE_S:-60}
export KIOSK_NOW=${KIOSK_NOW:-2026-11-24T09:41:00+07:00}
TMP=$(mktemp -d /tmp/kiosk-bench-ui.XXXXXX)
xpid=
trap 'rm -rf "$TMP"; [ -n "$xpid" ] && kill $xpid 2>/dev/null' EXIT

# cpu_s CMD...: user+system CPU seconds of a command.
cpu_s() { /usr/bin/time -f '%U %S' -o "$TMP/t" "$@" >/dev/null 2>&1; awk '{printf "%.3f", $1 + $2}' "$TMP/t"; }

times=()
for _ in 1 2 3 4 5; do
	s=$(date +%s%N)
	"$K" run --headless --exit-after 0 || exit 1
	times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
first=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "| first frame (attract, headless, process start to exit) | $first ms | < 150 ms | \`kiosk run --headless --exit-after 0\` (median of 5) |"

/usr/bin/time -f '%M' -o "$TMP/rss" "$K" run --headless --bench 300 2>"$TMP/bench" || exit 1
med=$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' "$TMP/bench")
rss=$(awk '{printf "%.1f", $1 / 1024}' "$TMP/rss")
echo "| frame render median / p99, warm cache (attract 1080x1920, software) | $med / $p99 ms | < 4 ms p99 | \`kiosk run --headless --bench 300\` |"
echo "| peak RSS (300 frames) | $rss MB | < 60 MB | \`/usr/bin/time -f %M kiosk run --headless --bench 300\` |"

base=$(cpu_s "$K" run --headless --exit-after 0)
if command -v Xvfb >/dev/null; then
	d=:$((150 + RANDOM % 100))
	Xvfb $d -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 & xpid=$!
	for _ in $(seq 50); do [ -e /tmp/.X11-unix/X${d#:} ] && break; sleep 0.1; done
	xbase=$(DISPLAY=$d cpu_s "$K" run --exit-after 0)
	DISPLAY=$d cpu_s "$K" run --exit-after "$IDLE_S" > "$TMP/xcpu" &
	xjob=$!
fi
cpu=$(cpu_s "$K" run --headless --exit-after "$IDLE_S")
pct=$(awk -v c="$cpu" -v b="$base" -v s="$IDLE_S" 'BEGIN { v = (c - b) / s * 100; printf "%.2f", v < 0 ? 0 : v }')
echo "| idle CPU ${IDLE_S} s on attract, headless | $pct % | < 1 % | \`kiosk run --headless --exit-after $IDLE_S\` minus start-up ($cpu s - $base s CPU) |"
if [ -n "$xpid" ]; then
	wait $xjob
	xcpu=$(cat "$TMP/xcpu")
	xpct=$(awk -v c="$xcpu" -v b="$xbase" -v s="$IDLE_S" 'BEGIN { v = (c - b) / s * 100; printf "%.2f", v < 0 ? 0 : v }')
	echo "| idle CPU ${IDLE_S} s on attract, full screen on Xvfb | $xpct % | < 1 % | \`DISPLAY=:N kiosk run --exit-after $IDLE_S\` minus start-up ($xcpu s - $xbase s CPU) |"
fi
