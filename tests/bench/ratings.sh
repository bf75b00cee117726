# Rows for ratings: upload throughput against the local fake district server
# (batched vs one request per rating) and the monthly report over a year.
set -u
T=$(mktemp -d); trap 'kill $spid 2>/dev/null; rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config
# One frozen instant for every process: the simulated year and "last month" are the
# same on any day the bench runs (was the real date, with the shell's time zone).
export KIOSK_NOW=2026-11-24T16:00:00+07:00
W=$BUILD/tools/rating_writer
python3 tests/tools/fakeserver.py --port-file "$T/port" --log "$T/log" --token bench &
spid=$!
for _ in $(seq 600); do [ -s "$T/port" ] && break; sleep 0.05; done # its port file, up to 30 s
URL=http://127.0.0.1:$(cat "$T/port")/r
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# run_upload DIR N BATCH: queue N ratings in DIR, upload them, print ms (or "fail")
run_upload() {
	mkdir -p "$1"; echo bench >"$1/server.token"; chmod 600 "$1/server.token"
	"$W" "$1" "$2" --bulk >/dev/null
	local s; s=$(date +%s%N)
	KIOSK_DATA=$1 "$K" upload --once --batch "$3" --server "$URL" >/dev/null 2>&1 || { echo fail; return; }
	ms "$s"
}
batched=$(run_upload "$T/a" 10000 500)
single=$(run_upload "$T/b" 500 1)
if [ "$batched" != fail ] && [ "$single" != fail ]; then
	single10k=$((single * 20))
	fmt() { awk -v m="$1" 'BEGIN { printf "%.2f s", m / 1000 }'; }
	echo "| upload 10,000 queued ratings to the local server (batches of 500) | $(fmt "$batched") | < 2 s | \`kiosk upload --once\` after \`rating_writer DATA 10000 --bulk\` |"
	echo "| one request per rating, same 10,000 (extrapolated from 500) | $(fmt "$single10k") | — | \`kiosk upload --once --batch 1\` on 500, × 20 |"
	echo "| batching speed-up | $(awk -v a="$single10k" -v b="$batched" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 1) }') | ≥ 20× | the two rows above |"
else
	echo "| upload 10,000 queued ratings to the local server | failed ($batched / $single) | < 2 s | \`kiosk upload --once\` |"
fi

# A year of simulated history, then the last full month's report.
export KIOSK_DATA=$T/year
"$K" simulate --days 365 --seed 1 >/dev/null
month=2026-10 # the last full month before KIOSK_NOW
if command -v hyperfine >/dev/null; then
	rep=$(hyperfine -N -w 2 -r 20 --export-json "$T/h.json" "$K report --month $month --json" >/dev/null 2>&1 &&
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (σ %.1f)" % (r["mean"]*1000, r["stddev"]*1000))' "$T/h.json")
else
	s=$(date +%s%N); for i in $(seq 20); do "$K" report --month "$month" --json >/dev/null; done
	rep="$(( ($(date +%s%N) - s) / 20000000 )) ms"
fi
t=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM tickets"); r=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM ratings")
echo "| monthly report over a year of simulated data ($t tickets, $r ratings), whole process | $rep | — | \`kiosk simulate --days 365; kiosk report --month $month\` |"
s=$(date +%s%N); "$K" report --month "$month" --out "$T/out" >/dev/null
echo "| the same with charts (3 PNG) and the HTML summary | $(ms "$s") ms | — | \`kiosk report --month $month --out DIR\` |"
