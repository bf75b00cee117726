# Rows for the queue engine and the process: tickets per second, start-up, RSS.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/data
lib=$("$BUILD/tools/bench_queue" 500 "$T/lib" | awk '{print $2}')
echo "| tickets issued per second, library (synchronous=FULL, fsync each) | $lib /s | — | \`$BUILD/tools/bench_queue 500\` |"
n=100; start=$(date +%s%N)
for i in $(seq $n); do "$K" ticket --service personal-cert >/dev/null; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "| tickets issued per second, CLI (one process each) | $(( n * 1000 / (ms > 0 ? ms : 1) )) /s | — | \`for i in \$(seq 100); do kiosk ticket --service personal-cert; done\` |"
if command -v hyperfine >/dev/null; then
	st=$(hyperfine -N -w 3 -r 30 --export-json "$T/h.json" "$K queue" >/dev/null 2>&1 &&
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (σ %.1f)" % (r["mean"]*1000, r["stddev"]*1000))' "$T/h.json")
else
	s=$(date +%s%N); for i in $(seq 30); do "$K" queue >/dev/null; done
	st="$(( ($(date +%s%N) - s) / 30000000 )) ms"
fi
echo "| \`kiosk\` process start-up to exit (config + store + query) | $st | — | \`hyperfine -N 'kiosk queue'\` |"
rss=$(python3 tests/tools/peak_rss.py "$K" ticket --service personal-cert)
echo "| peak RSS, \`kiosk ticket\` | $rss MB | — | \`tests/tools/peak_rss.py kiosk ticket --service personal-cert\` |"
