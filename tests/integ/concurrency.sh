#!/usr/bin/env bash
# One store, any number of processes (issue 12). At boot the kiosk, the board, the API and
# the upload worker all start at once, and CLI commands may run meanwhile. Each round, on a
# fresh data folder (not even created yet), released at the same instant by a start
# barrier: 8 processes each issuing 50 tickets with `kiosk ticket` (four services), plus
# `kiosk serve --port 0`, `kiosk display --headless` and `kiosk upload --once` (an empty
# outbox: it sends nothing and needs no server). Every round: 400 tickets with 400
# distinct numbers, 1..100 for each service letter, no error on any stderr, every process
# exits 0, the first ticket of every worker verifies with the one device key, serve
# serves them all and stops cleanly on SIGTERM.
# CONC_ROUNDS rounds: 3 in `make test`, 20 in `make test-stress`.
. "$(dirname "$0")/lib.sh"

export KIOSK_NOW=2026-11-24T09:05:00+07:00 # frozen for every process of this file
ROUNDS=${CONC_ROUNDS:-3}
WORKERS=8 PER=50
SERVICES=(personal-cert marital-status signature-cert conduct-cert) # A B C D: 100 each
PROCS=$((WORKERS + 3))
Q=$ROOT/$BUILD/tools/qrtool
TPL=$(sed -n 's/^qr_template *= *//p' "$KIOSK_CONFIG/kiosk.conf")

# worker W: 50 tickets, one JSON line each; a failed one is recorded with its exit code.
worker() {
	local w=$1 i s
	for i in $(seq "$PER"); do
		s=${SERVICES[$(((w + i) % ${#SERVICES[@]}))]}
		"$K" --json ticket --service "$s" || echo "ticket $i ($s): exit $?" >>"$D/w$w.fail"
	done
	[ ! -e "$D/w$w.fail" ]
}

# start NAME CMD...: a process that waits at the start line. It marks itself ready, then
# blocks reading one line from the FIFO; the parent holds the FIFO open read-write, so
# nobody blocks in open() and nobody sees an early end of file.
declare -A PID
start() {
	local name=$1; shift
	(
		exec 3>&-
		: >"$D/ready.$name"
		read -r _ <"$D/go"
		"$@"
	) >"$D/$name.out" 2>"$D/$name.err" &
	PID[$name]=$!
}
ready_all() { [ "$(find "$D" -maxdepth 1 -name 'ready.*' | wc -l)" -eq "$PROCS" ]; }
sql() { sqlite3 "$KIOSK_DATA/kiosk.db" "$1"; }

for r in $(seq "$ROUNDS"); do
	D=$TMP/round$r
	mkdir -p "$D"
	export KIOSK_DATA=$D/data # does not exist yet: creating it is part of the race
	mkfifo "$D/go"
	exec 3<>"$D/go"
	PID=()
	for w in $(seq "$WORKERS"); do start "w$w" worker "$w"; done
	start serve exec "$K" serve --port 0
	start display exec "$K" display --headless --exit-after 3 --mute
	start upload exec "$K" upload --once
	at_exit "kill ${PID[serve]}"
	wait_for "$PROCS processes at the start line" ready_all
	t0=$(_ms)
	printf '%.0s\n' $(seq "$PROCS") >&3 # the start: one line each, all at once

	# Everyone but the server runs to its end.
	bad=()
	for name in "${!PID[@]}"; do
		[ "$name" = serve ] && continue
		wait "${PID[$name]}" || bad+=("$name exit $?")
	done
	t1=$(_ms)
	echo "# round $r: $((WORKERS * PER)) tickets, serve, display, upload in $((t1 - t0)) ms"

	wait_grep "$D/serve.out" '^serving http://'
	port=$(serving_port "$D/serve.out")
	api=$(curl -s --max-time 30 "http://127.0.0.1:$port/api/queue")
	[ -n "$api" ] || api='{}'
	kill -TERM "${PID[serve]}"
	wait "${PID[serve]}" || bad+=("serve exit $?")
	exec 3>&-

	is "${bad[*]-}" "" "round $r: every process exits 0"
	cat "$D"/w*.fail 2>/dev/null | sed 's/^/#   /' | head -5
	# stderr: nothing at all, but serve saying it stopped as asked.
	errs=$(grep -v '^kiosk serve: stopped (SIGTERM)$' "$D"/*.err | head -5)
	is "$errs" "" "round $r: no error line on any stderr"
	is "$(sql "SELECT COUNT(*), COUNT(DISTINCT number) FROM tickets")" "400|400" \
		"round $r: 400 tickets, 400 distinct numbers in the store"
	is "$(sql "SELECT group_concat(x, ' ') FROM (SELECT prefix || ':' || COUNT(*) || ':' ||
	           COUNT(DISTINCT seq) || ':' || MIN(seq) || '-' || MAX(seq) AS x FROM tickets
	           GROUP BY prefix ORDER BY prefix)")" \
		"A:100:100:1-100 B:100:100:1-100 C:100:100:1-100 D:100:100:1-100" \
		"round $r: each service letter numbered 1..100, none twice, none skipped"
	is "$(cat "$D"/w*.out | python3 -c '
import json, sys
nums = [json.loads(l)["number"] for l in sys.stdin if l.strip()]
print(len(nums), len(set(nums)))')" "400 400" "round $r: the workers were handed 400 distinct numbers"
	is "$(jq_ "$("$K" --json queue)" 'sum(w["count"] for w in d["waiting"])')" 400 \
		"round $r: kiosk queue --json shows 400 waiting"
	is "$(jq_ "$api" 'sum(w["count"] for w in d.get("waiting", []))')" 400 \
		"round $r: the server started in the race serves all 400 (GET /api/queue)"
	# The first ticket of each worker was signed at the race's instant: with the one key?
	verified=0
	for w in $(seq "$WORKERS"); do
		qr=$(head -1 "$D/w$w.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["qr"])')
		printf '%s' "$qr" | "$Q" verify --key-dir "$KIOSK_DATA" --template "$TPL" \
			--office bangkhae --date 2026-11-24 | grep -q '^ticket ' && verified=$((verified + 1))
	done
	is "$verified" "$WORKERS" "round $r: every worker's first ticket verifies with the device key"
	is "$(find "$KIOSK_DATA" -maxdepth 1 \( -name '*.corrupt-*' -o -name '.device.key.*' \) | wc -l)" 0 \
		"round $r: nothing moved aside, no temp key left"
done
done_testing
