#!/usr/bin/env bash
# kill -9 at random moments while ratings are written and sent (by the writer's
# own upload thread and by a separate `kiosk upload` process). After every
# kill: the database is intact; at the end every rating whose save returned is
# there with its outbox row, the outbox resumes and drains, and the server got
# every rating (twice only where a reply was lost).
. "$(dirname "$0")/lib.sh"

FS=$ROOT/tests/tools/fakeserver.py
W=$ROOT/$BUILD/tools/rating_writer
SRV=$TMP/srv
ROUNDS=${CRASH_ROUNDS:-8}
mkdir -p "$SRV" "$KIOSK_DATA"
python3 "$FS" --port-file "$SRV/port" --log "$SRV/log" --mode-file "$SRV/mode" --token "t-$$" &
spid=$!
at_exit "kill $spid"
wait_file "$SRV/port"
URL=http://127.0.0.1:$(cat "$SRV/port")/r
echo "t-$$" >"$KIOSK_DATA/server.token"; chmod 600 "$KIOSK_DATA/server.token"
# Mostly fine, sometimes the reply is lost: both paths get killed mid-way.
echo "ok" >"$SRV/mode"

intact=0
touch "$TMP/ids"
logged() { [ "$(wc -l <"$TMP/ids")" -gt "$1" ]; }
for r in $(seq "$ROUNDS"); do
	[ $((r % 3)) = 0 ] && echo "reset ok ok reset ok" >"$SRV/mode"
	n0=$(wc -l <"$TMP/ids")
	"$W" "$KIOSK_DATA" 0 --log "$TMP/ids" --upload "$URL" --pause-ms 20 2>>"$TMP/writer.err" &
	wpid=$!
	"$K" upload --server "$URL" 2>/dev/null &
	upid=$!
	# The kill must fall while ratings are being written, however slowly the writer
	# starts: wait until it has committed one in this round, then kill at a random moment
	# (the randomness is the point of the test, not a wait for anything).
	wait_for "the writer to commit a rating in round $r" logged "$n0"
	sleep "$((RANDOM % 2)).$((RANDOM % 9 + 1))$((RANDOM % 10))"
	kill -9 $wpid
	# The uploader dies at another moment in half of the rounds.
	if [ $((RANDOM % 2)) = 0 ]; then sleep "0.0$((RANDOM % 10))"; fi
	kill -9 $upid
	{ wait $wpid; wait $upid; } 2>/dev/null
	chk=$(sqlite3 "$KIOSK_DATA/kiosk.db" "PRAGMA integrity_check" 2>&1)
	[ "$chk" = ok ] && intact=$((intact + 1))
done
is "$intact" "$ROUNDS" "PRAGMA integrity_check is ok after each of $ROUNDS kill -9 rounds"
n=$(wc -l <"$TMP/ids")
ok $(( !(n > 20) )) "the writer committed $n ratings across the kills"
missing=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT id FROM ratings" | sort | comm -23 <(sort -u "$TMP/ids") - | wc -l)
is "$missing" 0 "every rating whose save returned is in the database"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM ratings r LEFT JOIN outbox o ON o.rating=r.id WHERE o.rating IS NULL")" 0 \
	"every rating has its outbox row (one transaction)"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM outbox o LEFT JOIN ratings r ON o.rating=r.id WHERE r.id IS NULL")" 0 \
	"and no outbox row lacks its rating"
left=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM outbox WHERE state='pending'")
echo "# $left pending after the last kill"
echo "ok" >"$SRV/mode"
out=$("$K" upload --once --json --server "$URL" 2>"$TMP/err"); rc=$?
is "$rc" 0 "after restart the outbox resumes and drains (exit 0)"
is "$(jq_ "$out" 'd["left"]')" 0 '{"left":0}'
res=$(python3 "$ROOT/tests/tools/check_delivery.py" "$SRV/log" "$KIOSK_DATA/kiosk.db" "$TMP/ids")
is "$(jq_ "$res" 'd["arrived"] == d["db"]')" True "the server has every logged rating ($(jq_ "$res" 'd["arrived"]')/$(jq_ "$res" 'd["db"]'))"
all=$(python3 "$ROOT/tests/tools/check_delivery.py" "$SRV/log" "$KIOSK_DATA/kiosk.db")
is "$(jq_ "$all" 'd["arrived"] == d["db"]')" True "and every rating in the database"
# A reply the server wrote can still be lost when the kiosk is killed before
# recording it: then the whole batch goes again under the same key.
is "$(jq_ "$all" 'd["multi_key"]')" 0 "a rating arrived twice only as a resend of the same batch ($(jq_ "$all" 'd["dups"]') ids, $(jq_ "$all" 'd["bad_dups"]') after a reply the killed kiosk never recorded)"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "PRAGMA integrity_check")" ok "integrity_check ok at the end"
done_testing
