#!/usr/bin/env bash
# Green on any day: the date-sensitive tests run again under libfaketime at instants where
# a date assumption breaks: Bangkok 23:59:50 and 00:00:10 (16:59:50 / 17:00:10 UTC, the
# UTC date unchanged), 31 December -> 1 January (the Buddhist-era year changes, 2569 ->
# 2570), 29 February 2028 -> 1 March, and a day years ahead (2039, past the 32-bit
# time_t limit). One TAP line per (file, instant) with the inner counts; a failure shows
# the inner failing lines. A failure here is a real defect: a test or the product assumes
# today's date, or mixes a frozen clock with the real one.
#
# How the clock is faked: `faketime -f '@YYYY-MM-DD HH:MM:SS'` with TZ=UTC (libfaketime
# reads the spec in the process's TZ) starts the clock at that instant and lets it ADVANCE
# (a clock standing still would break every timeout), and FAKETIME_DONT_RESET=1 makes
# every process started below share that one advancing clock instead of each restarting
# at the instant. CLOCK_MONOTONIC is faked too, consistently for all of them, so
# cross-process latencies still subtract one clock from itself. KIOSK_NOW is unset for
# the inner runs: files that freeze the clock set it themselves, the others must work on
# whatever day the (fake) real clock says.
#
# ANYDAY_UNIT / ANYDAY_INTEG (space-separated names) override the sets below.
. "$(dirname "$0")/lib.sh"

if ! command -v faketime >/dev/null; then
	echo "ok 1 # SKIP faketime is not installed (Debian package faketime)"
	done_testing
	exit 0
fi

# The unit tests that compute with "today" or touch the real clock: ratings "served
# today", monthly reports, the upload worker's backoff, the board, and test_clock's
# unset-KIOSK_NOW checks. test_queue, test_cardrules and test_idcard set KIOSK_NOW at
# every step or take explicit dates (and test_queue costs ~10 s a run on a busy
# machine): ANYDAY_UNIT="... test_queue" adds them for a full sweep.
UNIT=${ANYDAY_UNIT:-"test_clock test_rating test_report test_outbox test_board"}
# Integration files on the real clock (no KIOSK_NOW): upload.sh issues, serves and rates
# tickets "today" through the CLI and retries on the real clock. Files that export
# KIOSK_NOW for every process they start (cli, rate, export, report, display ...) do not
# read the day from the clock. An integration file costs 15-40 s a run, so it runs at the
# instants in ANYDAY_INTEG_AT (1-based; default the first: Bangkok midnight is where a
# "today" assumption breaks) to keep this file near 90 s on 2 cores; ANYDAY_INTEG_AT=all
# runs them at every instant.
INTEG=${ANYDAY_INTEG:-"upload"}
INTEG_AT=${ANYDAY_INTEG_AT:-1}

# label|UTC instant
INSTANTS=(
	"Bangkok 23:59:50 (UTC date unchanged)|2026-11-24 16:59:50"
	"Bangkok 00:00:10|2026-11-24 17:00:10"
	"31 Dec 23:59:50 -> 1 Jan (BE 2569 -> 2570)|2026-12-31 16:59:50"
	"29 Feb 2028 23:59:50 -> 1 Mar|2028-02-29 16:59:50"
	"2039-06-15 23:59:50, years ahead|2039-06-15 16:59:50"
)

epoch() { python3 -c 'import calendar,sys,time; print(calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%d %H:%M:%S")))' "$1"; }
# fake SPEC CMD...: CMD on the shared fake clock starting at SPEC (UTC)
fake() {
	local spec=$1; shift
	env -u KIOSK_NOW TZ=UTC FAKETIME_DONT_RESET=1 faketime -f "@$spec" "$@"
}

# run_one LABEL SPEC NAME CMD...: one TAP line for a whole inner file
run_one() {
	local label=$1 spec=$2 name=$3; shift 3
	local log=$TMP/inner.log t0 rc p f
	t0=$(_ms)
	fake "$spec" timeout 600 "$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
	local ms=$(( $(_ms) - t0 ))
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ "$p" -gt 0 ]
	ok $? "$name at $label: $p passed, $f failed$([ "$rc" -ne 0 ] && echo ", exit $rc") ($ms ms)"
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		grep -A3 '^not ok' "$log" | head -40 | sed 's/^/#   /'
		[ "$f" -eq 0 ] && tail -5 "$log" | sed 's/^/#   /'
	fi
}

i=0
for inst in "${INSTANTS[@]}"; do
	label=${inst%%|*} spec=${inst#*|}
	want=$(epoch "$spec")
	i=$((i + 1))
	# The fake clock reaches the processes: `date`, and the kiosk itself (dynamically
	# linked, so LD_PRELOAD applies) issuing a ticket on the real clock.
	got=$(fake "$spec" date +%s)
	[ "$got" -ge "$want" ] && [ "$got" -lt $((want + 60)) ]
	ok $? "at $label: date inside faketime says $(fake "$spec" date -u '+%F %T') UTC"
	d=$TMP/probe-$i
	issued=$(KIOSK_DATA=$d fake "$spec" "$K" ticket --service personal-cert --json 2>&1)
	at=$(jq_ "$issued" 'd["issued_at"]' 2>/dev/null)
	at_s=$(python3 -c 'import sys,datetime; print(int(datetime.datetime.fromisoformat(sys.argv[1]).timestamp()))' "$at" 2>/dev/null)
	[ -n "$at_s" ] && [ "$at_s" -ge "$want" ] && [ "$at_s" -lt $((want + 60)) ]
	ok $? "at $label: the kiosk sees it too (issued_at $at)"
	for u in $UNIT; do
		run_one "$label" "$spec" "$u" "$ROOT/$BUILD/tests/$u"
	done
	[ "$INTEG_AT" = all ] || [[ " $INTEG_AT " == *" $i "* ]] || continue
	for s in $INTEG; do
		run_one "$label" "$spec" "$s.sh" bash "$ROOT/tests/integ/$s.sh"
	done
done
done_testing
