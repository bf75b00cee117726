#!/usr/bin/env bash
# The card watcher the touchscreen uses (rdr_start/rdr_poll/notify), driven by
# build/tools/rdr_watch against a private pcscd + vpcd and the virtual card: insert/remove
# cycles, the card in whichever reader, a pulled card, a foreign card, two cards at once,
# a second watcher limited to one reader, pcscd going away and coming back, prompt stop.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tools/pcsc-env.sh"

PY=$(command -v /usr/bin/python3 || command -v python3)
VCARD=$ROOT/tests/tools/vcard.py
PW=$ROOT/$BUILD/tools/pcsc_wait
WATCH=$ROOT/$BUILD/tools/rdr_watch
R0="Virtual PCD 00 00"
R1="Virtual PCD 00 01"

pcsc_env_start "$TMP/pcsc" || { ok 1 "private pcscd with vpcd starts"; done_testing; exit 1; }
at_exit pcsc_env_stop

# card PORT ARGS...: one virtual card, in the foreground, until it removes itself
card() { local port=$1; shift; "$PY" "$VCARD" --port "$port" "$@" 2>>"$TMP/vcard.log"; }
# insert PORT ARGS...: a virtual card in the background ($vc); `pull` takes it out. The
# test pulls it once the watchers have said what they saw: never after a time.
insert() { local port=$1; shift; "$PY" "$VCARD" --port "$port" "$@" 2>>"$TMP/vcard.log" & vc=$!; }
pull() { kill "$vc" 2>/dev/null; wait "$vc" 2>/dev/null; empty; }
# wait_count FILE REGEX N: until FILE has at least N lines matching REGEX
wait_count() { wait_for "$3 x /$2/ in $(basename "$1")" _count_ge "$@"; }
_count_ge() { [ "$(grep -cE -- "$2" "$1")" -ge "$3" ]; }
empty() {
	"$PW" empty "$R0" $((WAIT_LIMIT * 1000)) && "$PW" empty "$R1" $((WAIT_LIMIT * 1000)) && return 0
	echo "# pcscd did not notice the card leaving within $WAIT_LIMIT s"
	return 1
}

mkfifo "$TMP/ctl-a" "$TMP/ctl-b"
"$WATCH" 120 <"$TMP/ctl-a" >"$TMP/a.out" 2>&1 &
wa=$!
"$WATCH" --reader "00 01" 120 <"$TMP/ctl-b" >"$TMP/b.out" 2>&1 &
wb=$!
exec 7>"$TMP/ctl-a" 8>"$TMP/ctl-b"
at_exit "kill $wa $wb"
wait_grep "$TMP/a.out" "READERS n=2"
ok $? "watcher: READERS n=2 (both vpcd slots)"
wait_grep "$TMP/b.out" "READERS n=1"
ok $? "watcher limited to '00 01': READERS n=1"

echo "# ${SECONDS}s: cards"
# Each card stays in until the watchers have reported it, then is pulled.
insert "$VPCD_PORT" --profile somchai
wait_count "$TMP/a.out" "READ reader=$R0 " 1
pull
insert "$VPCD_PORT" --profile somchai
wait_count "$TMP/a.out" "READ reader=$R0 " 2
pull
insert "$VPCD_PORT2" --profile malee
wait_count "$TMP/a.out" "READ reader=$R1 " 1
wait_count "$TMP/b.out" "READ reader=$R1 " 1
pull
card "$VPCD_PORT2" --profile malee --pull-after 4
wait_count "$TMP/a.out" "(ERROR|READ) reader=$R1 " 2
empty
insert "$VPCD_PORT" --profile not-thai
wait_count "$TMP/a.out" "ERROR reader=$R0 " 1
pull
insert "$VPCD_PORT" --profile year-only
c1=$vc
insert "$VPCD_PORT2" --profile expired
wait_count "$TMP/a.out" "READ reader=$R0 cid=3-7001" 1
wait_count "$TMP/a.out" "READ reader=$R1 cid=5-1099" 1
wait_count "$TMP/b.out" "READ reader=$R1 cid=5-1099" 1
kill "$c1" 2>/dev/null
wait "$c1" 2>/dev/null
pull

echo "# ${SECONDS}s: pcscd restart"
# pcscd goes away and comes back (same socket path, the watcher keeps running).
pcsc_env_stop
wait_grep "$TMP/a.out" "READERS n=0"
ok $? "pcscd stopped: READERS n=0"
pcsc_env_start "$TMP/pcsc" 7>&- 8>&- || ok 1 "pcscd restarts" # (pcscd must not hold the fifos open)
wait_count "$TMP/a.out" "READERS n=2" 2
is "$(grep -c 'READERS n=2' "$TMP/a.out")" 2 "pcscd back: READERS n=2 again (the watcher retries by itself)"
insert "$VPCD_PORT" --profile somchai
wait_count "$TMP/a.out" "READ reader=$R0 cid=1-1017" 3
pull

echo "# ${SECONDS}s: stopping the watchers"
exec 7>&- 8>&-
wait $wa $wb
echo "# ${SECONDS}s: stopped"

ev() { sed -E 's/^[0-9]+ //' "$1" | grep -vE '^(notified|stop_ms)'; }
a=$(ev "$TMP/a.out")
seq_a=$(printf '%s\n' "$a" | grep -v READERS | head -17)
expect="INSERTED reader=$R0
READ reader=$R0 cid=1-1017-xxxxx-xx-8 valid=1 complete=1 apdus=9
REMOVED reader=$R0
INSERTED reader=$R0
READ reader=$R0 cid=1-1017-xxxxx-xx-8 valid=1 complete=1 apdus=9
REMOVED reader=$R0
INSERTED reader=$R1
READ reader=$R1 cid=3-1005-xxxxx-xx-8 valid=1 complete=1 apdus=9
REMOVED reader=$R1
INSERTED reader=$R1"
is "$(printf '%s\n' "$seq_a" | head -10)" "$expect" "two insertions in one reader, then the other reader: INSERTED/READ/REMOVED each"
# (fail=1 pulled, or 2 unreadable for the watcher that came second: both ask for the card again)
like "$(printf '%s\n' "$seq_a" | sed -n 11p)" "^ERROR reader=$R1 fail=[12] code=4 en=.*please insert the card again th=.*กรุณาเสียบบัตรใหม่อีกครั้ง" \
	"pulled after 4 APDUs: ERROR 'please insert the card again' in Thai and English"
is "$(printf '%s\n' "$seq_a" | sed -n 12p)" "REMOVED reader=$R1" "... then REMOVED"
is "$(printf '%s\n' "$seq_a" | sed -n 13,15p | sed -E 's/ en=this is not a Thai national ID card th=.*//')" "INSERTED reader=$R0
ERROR reader=$R0 fail=3 code=4
REMOVED reader=$R0" "a foreign card: ERROR 'not a Thai national ID card'"
is "$(printf '%s\n' "$a" | grep -c '^READ .*cid=3-7001-xxxxx-xx-1')" 1 "two cards at once: the one in $R0 read"
is "$(printf '%s\n' "$a" | grep -c "^READ reader=$R1 cid=5-1099-xxxxx-xx-7")" 1 "two cards at once: the one in $R1 read"
is "$(printf '%s\n' "$a" | grep -c '^READ ')" 6 "six cards read in all (including after the pcscd restart)"
is "$(printf '%s\n' "$a" | grep -c 'complete=0')" 0 "never a half-read card"
is "$(grep -c '^INSERTED' "$TMP/a.out")" "$(grep -c '^REMOVED' "$TMP/a.out")" "every INSERTED has its REMOVED"
n=$(sed -n 's/^notified=\([0-9]*\) events=\([0-9]*\)$/\1 \2/p' "$TMP/a.out")
ok $([ -n "$n" ] && [ "${n% *}" = "${n#* }" ] && echo 0 || echo 1) "notify called once per event ($n)"
stop=$(sed -n 's/^stop_ms=//p' "$TMP/a.out")
# Prompt = it joined the thread, not the 2 s give-up of a read stuck in a driver.
ok $([ -n "$stop" ] && [ "$stop" -lt 2000 ] && echo 0 || echo 1) "rdr_stop returns without the stuck-read give-up"
echo "# rdr_stop took ${stop} ms"

b=$(ev "$TMP/b.out")
is "$(printf '%s\n' "$b" | grep -c "$R0")" 0 "limited watcher: nothing about $R0"
ok $(printf '%s\n' "$b" | grep -q "^READ reader=$R1 cid=3-1005-xxxxx-xx-8 valid=1 complete=1" && echo 0 || echo 1) \
	"limited watcher: reads the card in $R1 too (shared access, transactions)"
# A card that goes silent mid-read (SCardTransmit has no timeout): rdr_stop still returns.
"$PY" "$VCARD" --port "$VPCD_PORT" --profile somchai --fault noreply@2 2>>"$TMP/vcard.log" &
vc=$!
mkfifo "$TMP/ctl-c"
"$WATCH" 60 <"$TMP/ctl-c" >"$TMP/c.out" 2>&1 &
wc_=$!
exec 9>"$TMP/ctl-c"
wait_grep "$TMP/c.out" "INSERTED"
ok $? "silent card: INSERTED"
exec 9>&-
wait $wc_
kill $vc 2>/dev/null
wait $vc 2>/dev/null
stop=$(sed -n 's/^stop_ms=//p' "$TMP/c.out")
ok $([ -n "$stop" ] && [ "$stop" -ge 1500 ] && echo 0 || echo 1) \
	"silent card: rdr_stop waits for the stuck read (2 s), then gives up and returns"
echo "# silent card: rdr_stop took ${stop} ms"
is "$(grep -c '^[0-9]* READ ' "$TMP/c.out")" 0 "silent card: no READ event"

leaks=$(LC_ALL=C grep -rlaF -e 1101700230708 -e 3100500123458 -e Somchai -e Malee -e "สมชาย" "$TMP" 2>/dev/null)
is "$leaks" "" "no citizen ID or name in the watcher output or logs"
done_testing
