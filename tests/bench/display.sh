# Rows for the counter API and the display board: call-to-board latency over
# the LAN path (API call -> long-poll -> board frame) and API throughput.
set -u
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/data SDL_AUDIODRIVER=dummy
# Every process on one frozen day: a run across Bangkok midnight must not find the
# tickets it issued on the day before ("nobody is waiting").
export KIOSK_NOW=2026-11-24T09:05:00+07:00
now_ms() { date +%s%3N; }
# The board's trace times are CLOCK_MONOTONIC ms; python3's time.monotonic() reads the
# same system-wide clock, so a latency across processes is one clock minus itself.
mono_ms() { python3 -c 'import time; print(time.monotonic_ns() // 1000000)'; }
"$K" serve --port 0 >"$T/serve.out" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^serving' "$T/serve.out" && break; sleep 0.05; done
B=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$T/serve.out")
TOK=$("$K" counter-token --counter 1 2>/dev/null | tail -1)
for i in $(seq 12); do "$K" ticket --service personal-cert >/dev/null; done
KIOSK_DATA=$T/board "$K" display --headless --mute --trace --source "$B" >"$T/board.out" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do grep -q '^state connected' "$T/board.out" && break; sleep 0.05; done
lat=() missing=0
for i in $(seq 10); do
	curl -s -XPOST -H "Authorization: Bearer $TOK" "$B/api/counters/1/finish" >/dev/null
	sleep 0.3
	t0=$(mono_ms)
	num=$(curl -s -XPOST -H "Authorization: Bearer $TOK" "$B/api/counters/1/call" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
	# Up to 10 s for the frame (a busy machine); the figure is whatever it took.
	for _ in $(seq 2000); do grep -q " $num:1" "$T/board.out" && break; sleep 0.005; done
	t1=$(sed -n "s/^frame \([0-9]*\) .* $num:1.*/\1/p" "$T/board.out" | head -1)
	# A latency that cannot be measured (no frame line in time) is counted as missing,
	# never turned into a number.
	if [ -n "$t1" ] && [ "$t1" -ge "$t0" ]; then lat+=($((t1 - t0))); else missing=$((missing + 1)); fi
done
if [ ${#lat[@]} -gt 0 ]; then
	sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
	med=$(sed -n "$(( (${#lat[@]} + 1) / 2 ))p" <<<"$sorted"); max=$(tail -1 <<<"$sorted")
	fig="$med ms median, $max ms max (${#lat[@]} calls)"
	[ "$missing" -gt 0 ] && fig="$fig, $missing missing"
else
	fig="missing (the board drew none of the calls)"
fi
echo "| call-to-board latency (API call → remote board draws it; long-poll + libcurl + SDL frame) | $fig | < 200 ms | \`tests/bench/display.sh\`: curl POST /api/counters/1/call, \`kiosk display --headless --trace --source URL\` |"
if command -v ab >/dev/null; then
	rps=$(ab -q -n 3000 -c 8 "$B/api/queue" 2>/dev/null | sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p')
	cmd="ab -n 3000 -c 8 URL/api/queue"
else
	s=$(now_ms); for i in $(seq 300); do curl -s "$B/api/queue" >/dev/null; done
	rps=$(( 300000 / ($(now_ms) - s) )); cmd="300 × curl URL/api/queue"
fi
echo "| counter API requests per second (GET /api/queue, 9 services, 8 concurrent) | ${rps:-?} /s | — | \`$cmd\` |"
