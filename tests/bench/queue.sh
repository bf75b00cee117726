# Rows for the queue engine and the process: tickets per second, start-up, RSS.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/data
lib=$("$BUILD/tools/bench_queue" 500 "$T/lib" | awk '{print $2}')
echo "| tickets issued per second, library (synchronous=FULL, fsync each) | $lib /s | — | \`$BUILD/tools/bench_queue 500\` |"
n=100; start=$(date +%s%N)
for i in $(seq $n); do "$K" ticket --service personal-cert >/dev/null; done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "| tickets issued per second, CLI (one process each) | $(( n * 1000 / (ms > 0 ? ms : 1) )) /s | ≥ 66 /s (3× the 22 /s of issue 15) | \`for i in \$(seq 100); do kiosk ticket --service personal-cert; done\` |"
# median_ms RUNS CMD...: median wall time of RUNS runs of CMD (stdout dropped), with a
# monotonic clock (python's perf_counter around each fork+exec+wait), after 3 warm-ups.
median_ms() {
	python3 - "$@" <<'PY'
import subprocess, sys, time, statistics
n, cmd = int(sys.argv[1]), sys.argv[2:]
for _ in range(3):
    subprocess.run(cmd, stdout=subprocess.DEVNULL)
t = []
for _ in range(n):
    s = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL)
    t.append((time.perf_counter() - s) * 1000)
print("%.1f ms (min %.1f, max %.1f)" % (statistics.median(t), min(t), max(t)))
PY
}
echo "| \`kiosk --version\`, process start to exit: the CLI's fixed cost (median of 50) | $(median_ms 50 "$K" --version) | ≤ 10 ms | \`kiosk --version\` |"
echo "| same, the full binary (SDL, SDL_ttf, libcurl, libmicrohttpd linked: what every command paid before the split) | $(median_ms 50 "${K%/*}/kiosk-ui" --version) | — | \`kiosk-ui --version\` |"
echo "| \`kiosk ticket\`, process start to exit (config + store + issue + fsync; median of 50) | $(median_ms 50 "$K" ticket --service personal-cert) | — | \`kiosk ticket --service personal-cert\` |"
echo "| \`kiosk\` process start-up to exit (config + store + query; median of 30) | $(median_ms 30 "$K" queue) | — | \`kiosk queue\` |"
rss=$(python3 tests/tools/peak_rss.py "$K" ticket --service personal-cert)
echo "| peak RSS, \`kiosk ticket\` | $rss MB | — | \`tests/tools/peak_rss.py kiosk ticket --service personal-cert\` |"
