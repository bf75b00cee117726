# Rows for the public listener (kiosk serve --public, docs/public.md): the ticket page's
# latency, and the listener's throughput and memory while 500 phones long-poll at once.
set -u
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
# Behind the district's proxy, as deployed: each phone is told apart by X-Forwarded-For.
cp -r config "$T/config"
printf '\n[public]\ntrusted_proxy = 127.0.0.1\n' >>"$T/config/kiosk.conf"
export KIOSK_CONFIG=$T/config KIOSK_DATA=$T/data
export KIOSK_NOW=2026-11-24T09:05:00+07:00 # every process on one frozen day
"$K" serve --public --port 0 >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
PIDS+=($SPID)
for _ in $(seq 200); do grep -q '^serving' "$T/serve.out" && break; sleep 0.05; done
B=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$T/serve.out")
for i in $(seq 50); do
	"$K" --json ticket --service personal-cert | python3 -c 'import json,sys; q=json.load(sys.stdin)["qr"]; print("/" + q.split("/", 3)[3])'
done >"$T/paths"
TP=$(head -1 "$T/paths")
r=$(python3 tests/tools/public_http.py latency "$B$TP" 300 --xff)
p50=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("p50_ms"))' "$r")
p99=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("p99_ms"))' "$r")
echo "| public ticket page (/t, verified, rendered, visit counted): p50 / p99 of 300 loads | $p50 ms / $p99 ms | ≤ 20 ms p99 | \`public_http.py latency \$B/t?o=…&s=… 300\` |"
r=$(python3 tests/tools/public_http.py phones "$B" "$T/paths" 500 10 --xff --pid "$SPID")
f() { python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2]))' "$r" "$1"; }
echo "| public listener with 500 phones long-polling at once ($(f waiting) waiting at the start): /services/ID requests per second (8 clients, 10 s), p50 / p99 | $(f rps)/s, $(f p50_ms) / $(f p99_ms) ms ($(f failed) failed; phones: $(f phone_errors) errors, $(f busy) busy) | ≥ 200/s | \`public_http.py phones \$B paths 500 10 --xff\` |"
echo "| memory of \`kiosk serve --public\` with those 500 phones waiting (RSS, threads) | $(f rss_mb) MB, $(f threads) threads | ≤ 64 MB | \`/proc/PID/status\` during the run above |"
