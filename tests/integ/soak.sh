#!/usr/bin/env bash
# Soak: many complete visits through one running kiosk (tap, service, checklist,
# ticket, done, and the idle question on some) while counters call and finish
# from another process. Memory and file descriptors of the kiosk must stay flat,
# and every ticket must be in the database. SOAK_FLOWS (default 300; `make soak`
# runs 3000) sets the number of visits.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
FLOWS=${SOAK_FLOWS:-300}
C=$TMP/conf; mkdir -p "$C"; cp "$ROOT"/config/* "$C"/
sed -i "s|^target = .*|target = file:$TMP/printer.bin|" "$C/kiosk.conf"
export KIOSK_CONFIG=$C
svc=(สอบสวนรับรองบุคคล รับรองลายมือชื่อ รับรองความประพฤติ)
{
	for i in $(seq "$FLOWS"); do
		echo "tap 540 1500"
		echo "tap-text \"${svc[$((i % 3))]}\""
		echo "assert-screen checklist"
		echo "tap-text \"รับบัตรคิว\""
		echo "assert-screen ticket"
		echo "tap-text \"เสร็จสิ้น\""
		echo "assert-screen attract"
	done
	echo "wait 300"
	echo "exit"
} > "$TMP/soak.txt"
"$K" run --headless --no-api --no-upload --script "$TMP/soak.txt" 2>"$TMP/err" &
PID=$!
at_exit "kill $PID"
samples=()
# Counters working at the same time, from other processes.
( while kill -0 $PID 2>/dev/null; do
	for n in 1 2 3 4; do "$K" call --counter $n >/dev/null 2>&1 && "$K" finish --counter $n >/dev/null 2>&1; done
	sleep 0.2 # the counters' pace, not a wait for anything
  done ) &
CPID=$!
while kill -0 $PID 2>/dev/null; do
	rss=$(awk '/^VmRSS/ {print $2}' /proc/$PID/status 2>/dev/null)
	fds=$(ls /proc/$PID/fd 2>/dev/null | wc -l)
	[ -n "$rss" ] && samples+=("$rss $fds")
	sleep 0.25 # the sampling interval; the loop ends when the kiosk exits
done
wait $PID; rc=$?
wait $CPID 2>/dev/null
is "$rc" 0 "$FLOWS complete visits ran without a script failure"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err" | tail -5
n=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM tickets")
is "$n" "$FLOWS" "every visit's ticket is in the database"
lost=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM tickets WHERE state IN ('called','serving') AND counter NOT IN (1,2,3,4)")
is "$lost" 0 "no ticket is left in an impossible state"
# Flat: the median of the second quarter of the run (caches warm) against the median of
# the last quarter. One sample is a moment: it holds whatever the screen change of that
# second had in hand (up to 3 MB of sdl_mem's pool), so two single samples may differ
# by that much without anything growing; a leak moves the medians.
cnt=${#samples[@]}
if [ "$cnt" -ge 8 ]; then
	q=$((cnt / 4))
	med() { printf '%s\n' "$@" | awk '{print $1}' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
	ra=$(med "${samples[@]:$q:$q}"); rb=$(med "${samples[@]:$((cnt - q)):$q}")
	fa=(${samples[$q]}); fb=(${samples[$((cnt - 1))]})
	echo "# samples: $cnt; RSS $ra -> $rb kB (medians of the second and last quarter); fds ${fa[1]} -> ${fb[1]}"
	echo "# peak RSS $(printf '%s\n' "${samples[@]}" | awk '$1 > m { m = $1 } END { printf "%.1f", m / 1024 }') MB (a figure: 45 MB is the budget)"
	[ $((rb - ra)) -lt 4096 ]; ok $? "memory stays flat ($ra -> $rb kB, under 4 MB growth)"
	[ "${fb[1]}" -le "${fa[1]}" ]; ok $? "file descriptors stay flat (${fa[1]} -> ${fb[1]})"
else
	ok 1 "enough samples to judge memory ($cnt)"
fi
done_testing
