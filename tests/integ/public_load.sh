#!/usr/bin/env bash
# The public listener under load, as the people on both sides of the glass notice it:
# one address cannot take the waiting places of every other phone (at most 8 long-polls
# held per address; its other tabs get the state at once), and while one address floods
# the listener that `kiosk run` starts and 200 phones wait on their tickets, counters
# still call the right tickets (over the counter API and with `kiosk call`), the phones
# hear of it, and the kiosk keeps drawing. Nothing here asserts a time: frame-time
# figures are printed for `make bench` (tests/bench/public_frames.sh).
#
# Each phone is its own address: clients bind 127.0.0.1, 127.0.0.2, 127.1.x.y (Linux
# gives the whole 127.0.0.0/8 to the loopback), so no proxy is needed to tell them apart.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T09:00:00+07:00 # every process of this file: one office day
LOAD=tests/tools/public_load.py
CAP=8 # PUBLIC_WAITS_PER_ADDR (net/public.h)

qr_path() { python3 -c 'import json,sys; q=json.load(sys.stdin)["qr"]; print("/" + q.split("/", 3)[3])'; }

# --- at most 8 long-polls per address ----------------------------------------------------
export KIOSK_DATA=$TMP/cap
TP=$("$K" --json ticket --service personal-cert | qr_path) # A001
"$K" serve --public --port 0 >"$TMP/cap.out" 2>"$TMP/cap.err" &
CPID=$!
at_exit "kill $CPID"
wait_grep "$TMP/cap.out" '^serving'
B=http://127.0.0.1:$(serving_port "$TMP/cap.out")

r=$(timeout 300 python3 $LOAD cap "$B" "$TP" 50 127.0.0.1 127.0.0.2 $CAP -- "$K" --json call --counter 1)
echo "# $r"
f() { jq_ "$r" "d$1"; }
is "$(f "['first']['n']")" 50 "50 long-polls from one address (one phone, many tabs): every one answered"
is "$(f "['first']['statuses']")" "{'200': 50}" "all with 200: none refused, none an error"
ok $(( $(f "['first']['held']") <= CAP ? 0 : 1 )) "at most $CAP of them were held ($(f "['first']['held']"))"
is "$(f "['first']['next_ms']")" $((50 - CAP)) "the other $((50 - CAP)) answered at once with the ticket's state and when to ask again"
ok $(( $(f "['first']['next_ms_value']") >= 1000 ? 0 : 1 )) "ask again in $(f "['first']['next_ms_value']") ms, not at once (no tab spins)"
like "$(f "['first']['states']")" "'waiting': $((50 - CAP))" "answered at once: the page state (waiting)"
like "$(f "['call']")" '"number":"A001"' "kiosk call --counter 1 calls A001"
is "$(f "['second']['called']")" True "a phone at a second address was held and told of the call"
is "$(f "['second']['next_ms']")" 0 "it was never sent away to ask later"
is "$(f "['second']['statuses']")" "{'200': $(f "['second']['answers']")}" "and never refused"
like "$(f "['second']['status_text']")" "ช่อง.*1" "it says which counter (ช่อง 1)"
is "$(f "['first']['held_called']")" "$(f "['first']['held']")" "the held tabs of the first address were told of the call too"
is "$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.3 "$B/services/")" 200 "the listener still serves pages"

kill "$CPID"
wait_gone "$CPID"

# --- kiosk run under a flood ---------------------------------------------------------------
export KIOSK_DATA=$TMP/run
for i in $(seq 20); do "$K" --json ticket --service personal-cert | qr_path; done >"$TMP/paths" # A001-A020
is "$(wc -l <"$TMP/paths")" 20 "20 tickets issued for the phones"
# A visitor toggling the language for minutes on end: the kiosk draws a frame every ~20 ms
# until it is stopped (a slow machine only makes the script last longer).
for i in $(seq 8000); do printf 'tap-text "EN"\nwait 20\ntap-text "ไทย"\nwait 20\n'; done >"$TMP/loop.txt"
"$K" run --headless --no-upload --api-port 0 --public-port 0 --trace --script "$TMP/loop.txt" \
	>"$TMP/run.out" 2>"$TMP/run.err" &
RPID=$!
at_exit "kill $RPID"
wait_grep "$TMP/run.err" '^public: serving http://'
wait_grep "$TMP/run.err" '^serving http://'
PB=http://127.0.0.1:$(sed -n 's|^public: serving http://[^/]*:\([0-9]*\)/.*|\1|p' "$TMP/run.err" | head -1)
API=http://127.0.0.1:$(serving_port "$TMP/run.err")
wait_grep "$TMP/run.err" '^frame-stats '
ok $? "kiosk run --trace reports frame-stats while it draws"
like "$(grep -m1 '^frame-stats ' "$TMP/run.err")" '^frame-stats frames [0-9]+ timed [0-9]+ total [0-9]+ p50 [0-9.]+ p95 [0-9.]+ p99 [0-9.]+ max [0-9.]+ ms$' \
	"as frames, p50, p95, p99 and max"

r=$(timeout 600 python3 $LOAD flood "$PB" "$TMP/paths" --stats "$TMP/run.err" --min 1000 --phones 200 --windows 1 \
	--api "$API" --cli "$K")
echo "# flood: $(jq_ "$r" "{k: d[k] for k in ('codes', 'sent', 'ms', 'phones', 'calls')}")"
c200=$(jq_ "$r" "d['codes'].get('200', 0)"); c429=$(jq_ "$r" "d['codes'].get('429', 0)")
ok $(( $(jq_ "$r" "d['sent']") >= 1000 ? 0 : 1 )) "one address sent $(jq_ "$r" "d['sent']") requests"
ok $(( c429 > 0 ? 0 : 1 )) "it was rate limited ($c429 answered 429, $c200 served)"
is "$(( c200 + c429 ))" "$(jq_ "$r" "d['sent']")" "nothing else: no 5xx, no dropped connection"
is "$(jq_ "$r" "d['phones']['held']")" 200 "200 phones, each from its own address, were all waiting when it began"
is "$(jq_ "$r" "d['phones']['errors']") $(jq_ "$r" "d['phones']['next_ms']")" "0 0" "none lost its connection or was sent away"
is "$(jq_ "$r" "sorted(d['phones']['statuses'])")" "['200']" "every long-poll answer was 200"
calls=$(jq_ "$r" "' '.join('%s:%s:%s' % (c['how'], c['status'], c['number']) for c in sorted(d['calls'], key=lambda c: c['counter']))")
like "$calls" '^api:200:A00[1-4] cli:0:A00[1-4] api:200:A00[1-4] cli:0:A00[1-4]$' \
	"during the flood, counters 1-4 called over the counter API and with kiosk call: all answered ($calls)"
is "$(jq_ "$r" "' '.join(sorted(c['number'] or '-' for c in d['calls']))")" "A001 A002 A003 A004" \
	"the four first tickets, each called once"
is "$(jq_ "$r" "d['phones']['called_seen']")" 40 "the 40 phones following those tickets were told of their call"
during=$(jq_ "$r" "len(d['frames']['lines'])")
ok $(( during >= 1 ? 0 : 1 )) "the kiosk kept drawing during the flood ($during frame-stats lines while it ran)"
before=$(jq_ "$r" "d['frames']['before'][2]")
last=$(jq_ "$r" "d['frames']['lines'][-1][2] if d['frames']['lines'] else 0")
ok $(( last > before ? 0 : 1 )) "its frame count grew ($before -> $last)"
echo "# frame time before the flood: $(jq_ "$r" "'p50 %s p95 %s p99 %s max %s ms' % tuple(d['frames']['before'][3:])")"
echo "# frame time during the flood: $(jq_ "$r" "' | '.join('p50 %s p95 %s p99 %s max %s ms (%s frames)' % (tuple(l[3:]) + (l[0],)) for l in d['frames']['lines'])")"
# After the flood: the kiosk and its listener serve as before.
is "$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.4 "$PB/services/")" 200 "after the flood, another phone is served at once"
is "$(curl -s -o /dev/null -w '%{http_code}' "$API/api/queue")" 200 "and the counter API answers"
kill -0 "$RPID"; ok $? "the kiosk is still running"
kill "$RPID"
wait_gone "$RPID"
# The trace's own figures are left out: first-frame prints CLOCK_MONOTONIC in ms, which
# on a clock moved by faketime (the anyday runs) has 13 digits like an ID number.
grep -vE '^(first-frame|frame-stats) ' "$TMP/run.err" | grep -qE 'A0[0-2][0-9]|[0-9]{13}'
ok $(( $? == 0 )) "its log names no ticket or ID number"
done_testing
