#!/usr/bin/env bash
# Upload to the district server against a real HTTP server on 127.0.0.1 that
# fails, resets connections after accepting a batch, stalls, rejects, throttles
# and refuses tokens; TLS verification with and without the CA; the token
# file's permissions; the foreground worker. At the end: every rating arrived,
# and an id arrived twice only where a reply was lost.
. "$(dirname "$0")/lib.sh"

FS=$ROOT/tests/tools/fakeserver.py
W=$ROOT/$BUILD/tools/rating_writer
SRV=$TMP/srv
mkdir -p "$SRV" "$KIOSK_DATA"

# start_server DIR [fakeserver args...]: sets PORT
start_server() {
	local d=$1; shift
	mkdir -p "$d"; rm -f "$d/port"
	python3 "$FS" --port-file "$d/port" --log "$d/log" --mode-file "$d/mode" "$@" &
	local pid=$!
	at_exit "kill $pid"
	wait_file "$d/port"
	PORT=$(cat "$d/port")
}
mode() { echo "$*" >"$SRV/mode"; }
sql() { sqlite3 "$KIOSK_DATA/kiosk.db" "$1"; }
up() { "$K" upload --once --json --server "$URL" "$@" 2>"$TMP/err"; }
# rate_one SERVICE: a ticket issued, called, served and rated through the CLI
rate_one() {
	local n
	n=$(jq_ "$("$K" ticket --service "$1" --json)" 'd["number"]')
	"$K" call --counter 1 >/dev/null && "$K" finish --counter 1 >/dev/null &&
		"$K" rate --ticket "$n" --scores 5,4,3,5 >/dev/null
}

start_server "$SRV" --token "tok-$$" --retry-after 120 --slow 0.5
URL=http://127.0.0.1:$PORT/api/v1/ratings
mode ok

# --- nothing to send needs no token -------------------------------------
out=$(up); rc=$?
is "$rc" 0 "an empty outbox: exit 0, even before a token exists"
is "$(jq_ "$out" 'd["left"]')" 0 '{"left":0}'

# --- ratings through the CLI --------------------------------------------
for s in personal-cert marital-status signature-cert; do rate_one $s; done
is "$(sql "SELECT COUNT(*) FROM outbox WHERE state='pending'")" 3 "three ratings rated through the CLI, queued"
"$K" rate --ticket A001 --scores 5,5,5,5 >/dev/null 2>"$TMP/e2"
is $? 1 "rating the same ticket again fails (exit 1)"
like "$(cat "$TMP/e2")" "already been rated" "and says it was already rated"

# --- token file rules ------------------------------------------------------
out=$(up); rc=$?
is "$rc" 2 "no token file: exit 2"
like "$(cat "$TMP/err")" "server.token.*no server token" "the message names the file"
echo "tok-$$" >"$KIOSK_DATA/server.token"; chmod 644 "$KIOSK_DATA/server.token"
out=$(up); rc=$?
is "$rc" 2 "a token file readable by others is refused (exit 2)"
like "$(cat "$TMP/err")" "readable by other users.*chmod 600" "with what to do"
is "$(grep -c recv "$SRV/log" 2>/dev/null || echo 0)" 0 "and nothing was sent with it"
chmod 600 "$KIOSK_DATA/server.token"
printf 'wrong-token\n' >"$KIOSK_DATA/server.token"
out=$(up); rc=$?
is "$rc" 1 "a token the server refuses (401): exit 1"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE state='pending'")" 3 "401 sets nothing aside: the batch is not at fault"
is "$(sql "SELECT COUNT(*) FROM notices WHERE text_en LIKE '%refuses this kiosk (HTTP 401)%'")" 1 "staff are told to check the token"
printf '  tok-%s  \n\n' $$ >"$KIOSK_DATA/server.token"
out=$(up); rc=$?
is "$rc" 0 "the right token (whitespace trimmed): sent, exit 0"
is "$(jq_ "$out" 'd["sent"]')" 3 '{"sent":3}'
is "$(sql "SELECT COUNT(*) FROM outbox WHERE state='sent'")" 3 "the rows are marked sent"
like "$(grep '"ev": "recv"' "$SRV/log" | tail -1)" '"office": "bangkhae", "kiosk": "kiosk-1"' "office and kiosk in the batch"

# --- 500: kept, retried with the same key and body ------------------------
"$W" "$KIOSK_DATA" 7 >/dev/null
mode fail
t0=$(date +%s)
out=$(up); rc=$?
t1=$(date +%s)
is "$rc" 1 "server error 500: exit 1"
is "$(jq_ "$out" 'd["left"]')" 7 "all 7 left"
is "$(jq_ "$out" 'd["last_status"]')" 500 "last_status 500"
na=$(sql "SELECT next_at FROM upload_batches WHERE state='pending'")
# The first retry waits exactly the 2 s base (jitter widens later retries).
ok $(( !(na >= t0 + 2 && na <= t1 + 3) )) "the retry time is persisted with the 2 s backoff (sent at $t0..$t1, retry at $na)"
mode ok
out=$(up); rc=$?
is "$rc" 0 "server back: exit 0"
is "$(jq_ "$out" 'd["sent"]')" 7 "the 7 go"
keys=$(grep '"ev": "recv"' "$SRV/log" | tail -2 | python3 -c 'import json,sys; l=[json.loads(x) for x in sys.stdin]; print(len({x["key"] for x in l}), len({x["sha"] for x in l}))')
is "$keys" "1 1" "the retry used the same Idempotency-Key and a byte-identical body"

# --- reset after accepting: duplicates only there -------------------------
"$W" "$KIOSK_DATA" 5 >/dev/null
d0=$(jq_ "$(python3 "$ROOT/tests/tools/check_delivery.py" "$SRV/log" "$KIOSK_DATA/kiosk.db")" 'd["dups"]')
mode reset ok
out=$(up); rc=$?
is "$rc" 1 "connection reset after the server read the batch: exit 1"
is "$(jq_ "$out" 'd["last_status"]')" 0 "no reply (status 0)"
like "$(jq_ "$out" 'd["last_error"]')" "(reset|closed|receive|Empty|Recv|Send)" "the error says what happened: $(jq_ "$out" 'd["last_error"]')"
out=$(up); rc=$?
is "$rc" 0 "sent again: exit 0"
dup=$(python3 "$ROOT/tests/tools/check_delivery.py" "$SRV/log" "$KIOSK_DATA/kiosk.db")
is "$(( $(jq_ "$dup" 'd["dups"]') - d0 ))" 5 "the 5 ratings of the lost reply arrived twice (the server drops them by id)"
is "$(jq_ "$dup" 'd["bad_dups"]')" 0 "nothing acknowledged was resent"

# --- stall: bounded by the timeout -----------------------------------------
"$W" "$KIOSK_DATA" 4 >/dev/null
mode stall
s=$(date +%s%N)
out=$(up --timeout 2); rc=$?
ms=$(( ($(date +%s%N) - s) / 1000000 ))
is "$rc" 1 "a server that never replies: exit 1"
ok $(( !(ms < 6000) )) "gives up after the timeout (${ms} ms for --timeout 2)"
like "$(jq_ "$out" 'd["last_error"]')" "[Tt]imeout|timed out" "says timeout"
mode ok
is "$(up >/dev/null; echo $?)" 0 "then delivered"

# --- 429 with Retry-After ----------------------------------------------------
"$W" "$KIOSK_DATA" 2 >/dev/null
mode busy
t0=$(date +%s)
out=$(up); rc=$?
is "$rc" 1 "429: exit 1"
na=$(sql "SELECT next_at FROM upload_batches WHERE state='pending'")
ok $(( !(na >= t0 + 120) )) "Retry-After: 120 is respected (next try $((na - t0)) s after the request)"
is "$(sql "SELECT COUNT(*) FROM outbox WHERE state='rejected'")" 0 "429 sets nothing aside"
mode ok
is "$(up >/dev/null; echo $?)" 0 "staff's --once sends at once anyway"

# --- 400: set aside, shown to staff, requeued ------------------------------
"$W" "$KIOSK_DATA" 3 >/dev/null
mode reject ok
out=$(up); rc=$?
is "$rc" 1 "400: exit 1"
is "$(jq_ "$out" 'd["rejected"]')" 3 "the batch's 3 ratings are set aside"
is "$(sql "SELECT COUNT(*) FROM notices WHERE text_en LIKE '%refused rating batch%'")" 1 "a staff notice"
like "$(cat "$TMP/err")" "set aside" "stderr says so"
"$W" "$KIOSK_DATA" 2 >/dev/null
out=$(up); rc=$?
is "$(jq_ "$out" 'd["sent"]')" 2 "later ratings still go"
is "$rc" 1 "but exit stays 1 while ratings are set aside"
st=$("$K" upload --status --json)
is "$(jq_ "$st" 'd["rejected"]')" 3 "upload --status shows them"
out=$(up --requeue-rejected); rc=$?
is "$rc" 0 "--requeue-rejected sends them: exit 0"
is "$(sql "SELECT COUNT(*) FROM ratings r JOIN outbox o ON o.rating=r.id WHERE o.state<>'sent'")" 0 "nothing left"

# --- slow but within the timeout --------------------------------------------
"$W" "$KIOSK_DATA" 1 >/dev/null
mode slow
is "$(up >/dev/null; echo $?)" 0 "a slow reply (0.5 s) is fine"

# --- batching -----------------------------------------------------------------
mode ok
"$W" "$KIOSK_DATA" 1200 --bulk
before=$(grep -c '"ev": "recv"' "$SRV/log")
out=$(up --batch 500); rc=$?
after=$(grep -c '"ev": "recv"' "$SRV/log")
is "$rc:$(jq_ "$out" 'd["sent"]')" "0:1200" "1200 ratings sent"
is "$((after - before))" 3 "in 3 requests of at most 500"

# --- URL rules ------------------------------------------------------------------
"$W" "$KIOSK_DATA" 1 >/dev/null
for u in http://example.com/r http://127.0.0.1.example.com/r http://localhost@example.com/r ftp://127.0.0.1/ "https://"; do
	"$K" upload --once --server "$u" >/dev/null 2>&1
	is $? 2 "--server $u is refused (exit 2)"
done

# --- the foreground worker: fails twice, then delivers by itself ------------
mode fail fail ok
"$K" upload --server "$URL" 2>"$TMP/worker.err" &
wpid=$!
at_exit "kill $wpid"
# Two failures mean backoffs of about 2 s and 4 s: waited for, with the generous deadline.
drained() { [ "$(sql "SELECT COUNT(*) FROM outbox WHERE state='pending'")" = 0 ]; }
wait_for "the worker to deliver the outbox" drained
is "$(sql "SELECT COUNT(*) FROM outbox WHERE state='pending'")" 0 "the worker retried with backoff and delivered without help"
kill -TERM $wpid; wait $wpid
is $? 0 "and stops cleanly on SIGTERM"

# --- TLS: verification on, CA from the config ------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
start_server "$TMP/tls" --token "tok-$$" --tls "$TMP/cert.pem" "$TMP/key.pem"
echo ok >"$TMP/tls/mode"
"$W" "$KIOSK_DATA" 2 >/dev/null
"$K" upload --once --json --server "https://127.0.0.1:$PORT/r" >"$TMP/o" 2>"$TMP/err"
is $? 1 "a self-signed server without its CA configured: the upload fails"
like "$(jq_ "$(cat "$TMP/o")" 'd["last_error"]')" "[Cc]ertificate|SSL|verify" "because the certificate does not verify"
is "$(grep -c recv "$TMP/tls/log" 2>/dev/null || echo 0)" 0 "and nothing reached the server"
cp -r "$ROOT/config" "$TMP/conf"
sed -i "s|^ca_file =.*|ca_file = $TMP/cert.pem|" "$TMP/conf/kiosk.conf"
KIOSK_CONFIG=$TMP/conf "$K" upload --once --json --server "https://127.0.0.1:$PORT/r" >"$TMP/o" 2>"$TMP/err"
is $? 0 "with [server] ca_file set: delivered over verified TLS"
sed -i "s|^ca_file =.*|ca_file = missing.pem|" "$TMP/conf/kiosk.conf"
KIOSK_CONFIG=$TMP/conf "$K" upload --once --server "https://127.0.0.1:$PORT/r" >/dev/null 2>"$TMP/err"
is $? 2 "a ca_file that does not exist: exit 2"
grep -q "SSL_VERIFYPEER, 0\|VERIFYHOST, 0" "$ROOT/kiosk/dev/uploader.c"
is $? 1 "the source never switches verification off"

# --- the end: everything arrived ------------------------------------------------
cat "$TMP/tls/log" >>"$SRV/log"
res=$(python3 "$ROOT/tests/tools/check_delivery.py" "$SRV/log" "$KIOSK_DATA/kiosk.db")
is "$(jq_ "$res" 'd["arrived"] == d["db"]')" True "every rating arrived ($(jq_ "$res" 'd["arrived"]') of $(jq_ "$res" 'd["db"]'))"
is "$(jq_ "$res" 'd["bad_dups"]')" 0 "duplicates only where a reply was lost"
is "$(jq_ "$res" 'd["unknown"]')" 0 "nothing unknown was sent"
is "$(jq_ "$res" 'd["multi_key"]')" 3 "only the 3 requeued ratings went in a second batch"
is "$(sql "SELECT COUNT(*) FROM ratings") $(sql "SELECT COUNT(*) FROM outbox WHERE state='sent'")" \
	"$(sql "SELECT COUNT(*) FROM ratings") $(sql "SELECT COUNT(*) FROM ratings")" "every outbox row is sent; nothing dropped"
is "$(sql "SELECT COUNT(*) FROM upload_batches WHERE state='sent' AND body<>''")" 0 "sent batches keep no body"
done_testing
