#!/usr/bin/env bash
# The counter API over real HTTP (curl against `kiosk serve` on 127.0.0.1):
# every operation, every kind of bad input, slow and silent clients, and the
# queue state a user would expect afterwards.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T09:00:00+07:00

# --- start the server ----------------------------------------------------------
"$K" serve --port 0 --timeout 2 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SPID=$!
at_exit "kill $SPID"
wait_grep "$TMP/serve.out" '^serving'
PORT=$(serving_port "$TMP/serve.out")
like "$(cat "$TMP/serve.out")" '^serving http://127\.0\.0\.1:[0-9]+/$' "serve --port 0 prints the URL with the chosen port"
B=http://127.0.0.1:$PORT

# polls_waiting N: at least N long-polls are waiting inside the server now. Each one's
# connection thread sleeps on the server's condition variable (a futex), whereas idle
# connections sleep in poll() and the main thread in sigwait: so the test waits for the
# server to be in the state it means to test, instead of sleeping and hoping.
polls_waiting() {
	local n=0 w
	for w in /proc/"$SPID"/task/*/wchan; do
		[[ $(cat "$w" 2>/dev/null) == futex* ]] && n=$((n + 1))
	done
	[ "$n" -ge "$1" ]
}

# req METHOD PATH [TOKEN] [BODY]: prints the status; body in $TMP/body
req() {
	local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$1" --max-time 10 --path-as-is)
	[ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
	[ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	curl "${args[@]}" "$B$2"
}
body() { cat "$TMP/body"; }
field() { jq_ "$(body)" "$1"; }

# --- tokens ------------------------------------------------------------------------
T1=$("$K" counter-token --counter 1 2>/dev/null | tail -1)
T2=$("$K" counter-token --counter 2 2>/dev/null | tail -1)
like "$T1" '^[A-Z2-7]{24}$' "counter-token prints a 24-character base32 token as its last line"
[ "$T1" != "$T2" ]; ok $? "each counter has its own token"
is "$("$K" counter-token --counter 1 2>/dev/null | tail -1)" "$T1" "the token is stable (derived, not random per call)"
is "$("$K" --json counter-token --counter 3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["counter"])')" 3 "counter-token --json"
"$K" counter-token --counter 5 >/dev/null 2>&1; is $? 2 "counter-token for a counter that does not exist: exit 2"
"$K" counter-token --counter 0 >/dev/null 2>&1; is $? 2 "counter-token --counter 0: exit 2"
"$K" counter-token >/dev/null 2>&1; is $? 2 "counter-token without --counter: exit 2"

# --- reads ---------------------------------------------------------------------------
is "$(req GET /api/queue)" 200 "GET /api/queue"
is "$(field 'd["counters"], len(d["serving"]), d["office"]["code"]')" "(4, 4, 'bangkhae')" "queue JSON: counters, serving, office"

# --- too many long-polls: the extra ones are refused at once, counters still work -----
# 24 long-polls from one process (24 processes take many seconds to start on a busy
# machine, longer than a long-poll lasts), each asking the longest wait (25 s); the first
# ticket issued below (an event) answers them.
LAST=$(req GET /api/queue >/dev/null; field 'd["last_event"]')
python3 - "$B/api/events?after=$LAST&wait=25" >"$TMP/polls" <<'EOF' &
import sys, threading, urllib.error, urllib.request
codes = []
def poll():
    try: codes.append(urllib.request.urlopen(sys.argv[1], timeout=60).status)
    except urllib.error.HTTPError as e: codes.append(e.code)
    except OSError: codes.append(0)
threads = [threading.Thread(target=poll) for _ in range(24)]
for t in threads: t.start()
for t in threads: t.join()
print(" ".join(map(str, sorted(codes))))
EOF
POLLS=$!
wait_for "24 long-polls waiting in the server" polls_waiting 24
s=$(date +%s%N); st=$(req GET "/api/events?after=$LAST&wait=25"); ms=$(( ($(date +%s%N) - s) / 1000000 ))
is "$st" 503 "the 25th waiting client gets 503 (busy) instead of holding a connection"
[ "$ms" -lt 5000 ]; ok $? "at once, not after its 25 s wait ($ms ms)"
like "$(field 'd["error_th"]')" "ไม่ว่าง" "with a Thai message"
is "$(req GET /api/queue)" 200 "reads still work while 24 long-polls wait"
st=$(req POST /api/counters/1/recall "$T1"); like "$st" "^(200|409)$" "a counter operation still gets an answer ($st)"
req GET /api/queue >/dev/null # the next check reads this body
cli=$("$K" --json queue)
is "$(jq_ "$cli" 'd["waiting"]')" "$(field 'd["waiting"]')" "GET /api/queue has the same waiting list as kiosk queue --json"
is "$(req GET /)" 200 "GET / serves the counter page"
like "$(body)" 'เรียกคิวถัดไป' "the counter page is Thai first"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$B/")
like "$ctype" '^text/html; charset=utf-8' "counter page is HTML in UTF-8"
is "$(curl -s -o /dev/null -w '%{http_code}' -I "$B/api/queue")" 200 "HEAD /api/queue"

# --- every operation, as staff would use them ---------------------------------------------
# Issued at different times, so places in line are distinct.
KIOSK_NOW=2026-11-24T08:30:00+07:00 "$K" ticket --service personal-cert >/dev/null
KIOSK_NOW=2026-11-24T08:40:00+07:00 "$K" ticket --service marital-status >/dev/null
KIOSK_NOW=2026-11-24T08:45:00+07:00 "$K" ticket --service personal-cert >/dev/null
wait "$POLLS" # the 24 long-polls above, answered by these events
echo "# the 24 long-polls got: $(tr ' ' '\n' <"$TMP/polls" | sort | uniq -c | tr -s ' \n' ' ')"
is "$(req POST /api/counters/1/call "$T1")" 200 "call: 200"
is "$(field 'd["number"], d["counter"], d["state"]')" "('A001', 1, 'called')" "call returns the ticket at counter 1"
is "$(req POST /api/counters/1/call "$T1")" 409 "call while the counter has a ticket: 409"
like "$(field 'd["error_th"]')" 'ช่อง 1 ยังมีคิว A001' "with a Thai error"
like "$(field 'd["error"]')" 'counter 1 still has A001' "and an English one"
is "$(req POST /api/counters/1/recall "$T1")" 200 "recall: 200"
is "$(field 'd["calls"]')" 2 "recall counts the second call"
is "$(req POST /api/counters/1/start "$T1")" 200 "start: 200"
is "$(field 'd["state"]')" serving "start: serving"
is "$(req POST /api/counters/1/no-show "$T1")" 409 "no-show of a ticket being served: 409"
is "$(req POST /api/counters/1/finish "$T1" '{}')" 200 "finish with body {}: 200"
is "$(field 'd["state"]')" done "finish: done"
is "$(req POST /api/counters/1/finish "$T1")" 409 "finish with nothing at the counter: 409"
like "$(field 'd["error_th"]')" 'ไม่มีคิวที่เรียกอยู่' "says so in Thai"
is "$(req POST /api/counters/2/call "$T2" '{"service":"marital-status"}')" 200 "call from one service"
is "$(field 'd["number"]')" B001 "takes that service's ticket first"
is "$(req POST /api/counters/2/transfer "$T2" '{"to":"personal-cert"}')" 200 "transfer: 200"
is "$(field 'd["state"], d["service"]')" "('waiting', 'personal-cert')" "transfer puts it back in line in the new service"
is "$(req POST /api/counters/2/call "$T2")" 200 "call next"
is "$(field 'd["number"]')" B001 "the transferred ticket keeps its place in line"
is "$(req POST /api/counters/2/no-show "$T2")" 200 "no-show: 200"
is "$(field 'd["state"]')" no_show "no-show recorded"
is "$(req POST /api/counters/2/call "$T2" '{"service":"marital-status"}')" 409 "call from a service nobody waits for: 409"
like "$(field 'd["error_th"]')" 'ไม่มีผู้รอคิว' "nobody waiting, in Thai"
t1lc=$(tr 'A-Z' 'a-z' <<<"$T1")
is "$(req POST /api/counters/1/call "$t1lc")" 200 "a token typed in lower case works"
is "$(field 'd["number"]')" A002 "and calls A002"

# --- bad tokens ---------------------------------------------------------------------------------
before=$(req GET /api/queue >/dev/null; field 'd["last_event"]')
is "$(req POST /api/counters/1/recall)" 401 "no token: 401"
like "$(field 'd["error_th"]')" 'รหัสประจำช่อง' "401 explains in Thai"
is "$(req POST /api/counters/1/recall AAAAAAAAAAAAAAAAAAAAAAAA)" 401 "wrong token: 401"
is "$(req POST /api/counters/1/recall "${T1:0:23}")" 401 "a truncated token: 401"
is "$(req POST /api/counters/1/recall "${T1}A")" 401 "a token with one character more: 401"
is "$(req POST /api/counters/1/recall "$T2")" 403 "another counter's token: 403"
like "$(field 'd["error"]')" 'another counter' "403 says whose token it is not"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Basic $T1" "$B/api/counters/1/recall")" 401 "a non-Bearer scheme: 401"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer" "$B/api/counters/1/recall")" 401 "Bearer with nothing: 401"
is "$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $T1" "$B/api/counters/1/recall" -D "$TMP/h")" 200 "the right token still works"
is "$(req POST /api/counters/1/recall "$(head -c 3000 /dev/zero | tr '\0' A)")" 401 "a 3000-character token: 401"

# --- bad counters and paths ---------------------------------------------------------------
for n in 0 5 99 -1 abc 1099511627776 01 '' 1.5 '1%00' '%201' '1%2f..'; do
	is "$(req POST "/api/counters/$n/call" "$T1")" 404 "counter '$n': 404"
done
like "$(req POST /api/counters/99/call "$T1" >/dev/null; field 'd["error_th"]')" 'ไม่มีช่องบริการ 99' "an unknown counter is named in Thai"
for p in /../etc/passwd /api/../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /api/queue/ //api/queue \
	/api/counters/1/call/extra /api/counters//call /api/counters/1/ /api/counters/1/delete /api \
	/favicon.ico "/api/queue%00x" /assets/counter.html "/$(head -c 2000 /dev/zero | tr '\0' a)"; do
	is "$(req GET "$p")" 404 "GET ${p:0:40}: 404"
done
is "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$B/$(head -c 40000 /dev/zero | tr '\0' a)")" 414 "a 40 kB URL is refused (414), not a crash"

# --- wrong methods ------------------------------------------------------------------------------
is "$(req GET /api/counters/1/call "$T1")" 405 "GET on a counter operation: 405"
allow=$(curl -s -o /dev/null -D - "$B/api/counters/1/call" | tr -d '\r' | sed -n 's/^Allow: //Ip')
is "$allow" POST "405 names the allowed method"
is "$(req POST /api/queue "$T1")" 405 "POST /api/queue: 405"
is "$(req DELETE /api/counters/1/finish "$T1")" 405 "DELETE: 405"
is "$(req PUT / "$T1")" 405 "PUT /: 405"
is "$(req OPTIONS /api/events)" 405 "OPTIONS: 405"

# --- junk bodies --------------------------------------------------------------------------------------
"$K" finish --counter 1 >/dev/null
n=0
for b in 'not json' '[1,2]' '"call"' '42' 'null' '{"service":5}' '{"service":"nope"}' '{"foo":"bar"}' \
	'{"service":"personal-cert","service":"personal-cert"}' '{"service":"personal-cert"' $'\xff\xfe{}' \
	'{"service":"personal-cert","x":1}' '{"service":null}' "{\"service\":\"$(head -c 3000 /dev/zero | tr '\0' a)\"}"; do
	n=$((n + 1))
	is "$(req POST /api/counters/1/call "$T1" "$b")" 400 "junk body #$n (${b:0:30}): 400"
done
like "$(req POST /api/counters/1/call "$T1" 'not json' >/dev/null; field 'd["error_th"]')" 'JSON' "400 explains in Thai"
is "$(req POST /api/counters/1/recall "$T1" '{"to":"personal-cert"}')" 400 "a field the operation does not take: 400"
"$K" ticket --service personal-cert >/dev/null
"$K" call --counter 1 >/dev/null
is "$(req POST /api/counters/1/transfer "$T1")" 400 "transfer without a body: 400"
is "$(req POST /api/counters/1/transfer "$T1" '{"to":""}')" 400 "transfer to an empty service: 400"
is "$(req POST /api/counters/1/transfer "$T1" '{"to":"../../etc"}')" 400 "transfer to junk: 400"
"$K" finish --counter 1 >/dev/null

# --- huge bodies ----------------------------------------------------------------------------------------
head -c 1048576 /dev/zero | tr '\0' ' ' >"$TMP/1mb"
is "$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $T1" --data-binary @"$TMP/1mb" "$B/api/counters/1/call")" 413 "a 1 MB body: 413"
is "$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $T1" -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/1mb" "$B/api/counters/1/call")" 413 "a 1 MB chunked body (no length given): 413"
head -c 4097 /dev/zero | tr '\0' ' ' >"$TMP/4k1"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $T1" --data-binary @"$TMP/4k1" "$B/api/counters/1/call")" 413 "4097 bytes: 413"
{ printf '{"service":"personal-cert"}'; head -c 4069 /dev/zero | tr '\0' ' '; } >"$TMP/4k"
is "$(stat -c %s "$TMP/4k")" 4096 "(a body of exactly 4096 bytes)"
"$K" ticket --service personal-cert >/dev/null
is "$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $T1" --data-binary @"$TMP/4k" "$B/api/counters/1/call")" 200 "exactly 4096 bytes is accepted"
"$K" finish --counter 1 >/dev/null
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $T2" --data-binary @"$TMP/1mb" "$B/api/counters/1/call")" 403 "a huge body with the wrong token: 403 before reading it"
big=$(head -c 60000 /dev/zero | tr '\0' x)
is "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Junk: $big" "$B/api/queue")" 431 "60 kB of headers: 431"

# --- events and long-poll ----------------------------------------------------------------------------------
req GET /api/queue >/dev/null; last=$(field 'd["last_event"]')
is "$(req GET "/api/events?after=0&wait=0")" 200 "GET /api/events"
is "$(field 'd["last_event"] == '"$last"' and len(d["events"]) > 0')" True "events since 0, with the last id"
is "$(req GET "/api/events?after=abc")" 400 "after=abc: 400"
is "$(req GET "/api/events?after=-1")" 400 "after=-1: 400"
is "$(req GET "/api/events?after=0&wait=99")" 400 "wait=99: 400"
is "$(req GET "/api/events?after=99999999&wait=5")" 200 "after beyond the last event answers at once"
is "$(field 'd.get("reset")')" True "and says reset"
# Timed by curl itself, from connecting to the answer (not the start of a process).
ms=$(curl -s -o "$TMP/body" -w '%{time_total}' --max-time 30 "$B/api/events?after=$last&wait=1" | awk '{printf "%d", $1 * 1000}')
[ "$ms" -ge 900 ] && [ "$ms" -lt 3000 ]; ok $? "no change: the long-poll waits its time ($ms ms)"
is "$(field 'd["events"]')" "[]" "and returns no events"
"$K" ticket --service personal-cert >/dev/null # one event: the issue
# A long-poll for what comes after it; once it waits in the server, another process calls.
( req GET "/api/events?after=$((last + 1))&wait=25" >/dev/null; date +%s%N >"$TMP/lp.end" ) &
BG=$!
wait_for "the long-poll to wait in the server" polls_waiting 1
s=$(date +%s%N); "$K" call --counter 3 >/dev/null
wait "$BG"
ms=$(( ($(cat "$TMP/lp.end") - s) / 1000000 ))
[ "$ms" -lt 5000 ]; ok $? "a call by another process wakes the long-poll ($ms ms after the call started, not its 25 s wait)"
is "$(field '[e["kind"] for e in d["events"]]')" "['call']" "with the call event"
is "$(field 'd["events"][0]["counter"], d["events"][0]["number"]')" "(3, 'A005')" "naming the counter and number"

# --- slow and silent clients -------------------------------------------------------------------------------
cat >"$TMP/slow.py" <<'EOF'
import socket, sys, time, threading, urllib.request
port = int(sys.argv[1])
def sock():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10); return s
t_open = time.time()
silent = [sock() for _ in range(10)]          # connect and say nothing
dribble = sock()                              # headers one byte every 0.3 s
stop, dripping = threading.Event(), threading.Event()
def drip():
    for ch in b"GET /api/queue HTTP/1.1\r\nHost: x\r\n":
        if stop.is_set(): return
        try: dribble.send(bytes([ch]))
        except OSError: return
        dripping.set()
        time.sleep(0.3)                       # the slow client's pace, not a wait
threading.Thread(target=drip, daemon=True).start()
dripping.wait(30)                             # the dribble has begun
# others must still be answered quickly
worst = 0
for _ in range(5):
    t = time.time(); urllib.request.urlopen("http://127.0.0.1:%d/api/queue" % port, timeout=5).read()
    worst = max(worst, time.time() - t)
print("others_ms", int(worst * 1000))
# the silent ones are dropped after the idle timeout (2 s in this test); counted from
# when they connected
closed = 0
for s in silent:
    s.settimeout(30)
    try:
        if s.recv(1) == b"": closed += 1
    except (socket.timeout, OSError): pass
print("silent_closed", closed, "after_ms", int((time.time() - t_open) * 1000))
stop.set()
EOF
out=$(python3 "$TMP/slow.py" "$PORT")
others=$(sed -n 's/^others_ms //p' <<<"$out")
[ -n "$others" ] && [ "$others" -lt 500 ]; ok $? "with 11 slow/silent connections open, others are answered in ${others:-?} ms"
like "$(sed -n 's/^silent_closed //p' <<<"$out")" '^10 after_ms [0-9]+' "the 10 silent connections are dropped"
after=$(sed -n 's/^silent_closed 10 after_ms //p' <<<"$out")
[ -n "$after" ] && [ "$after" -lt 6000 ]; ok $? "after the idle timeout (${after:-?} ms, timeout 2 s)"
python3 - "$PORT" >"$TMP/flood" <<'EOF'
import socket, sys, urllib.request, time
port = int(sys.argv[1])
socks = []
for _ in range(80):   # past the connection cap
    try: socks.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError: break
# The idle timeout passes: wait until the server has dropped every one of them
# (end of file or a reset), however long a busy machine takes.
deadline = time.time() + 60
for s in socks:
    s.settimeout(max(0.1, deadline - time.time()))
    try: s.recv(1)
    except OSError: pass
    s.close()
t = time.time()
urllib.request.urlopen("http://127.0.0.1:%d/api/queue" % port, timeout=30).read()
print(int((time.time() - t) * 1000))
EOF
like "$(cat "$TMP/flood")" '^[0-9]+$' "after 80 idle connections (past the cap) time out, the server answers again"

# --- the state after all that ---------------------------------------------------------------------------------
kill -0 "$SPID"; ok $? "the server is still running"
is "$(req GET /api/queue)" 200 "and answers"
is "$(field '[s["ticket"]["number"] if s["ticket"] else None for s in d["serving"]]')" "[None, None, 'A005', None]" "serving: only A005 at counter 3, nothing else changed by bad requests"
is "$(field '{w["service"]: w["count"] for w in d["waiting"] if w["count"]}')" "{}" "nobody left waiting"
is "$(field '[c["number"] for c in d["recent_calls"]]')" "['A005', 'A004', 'A003', 'A002', 'B001', 'A001']" "recent calls, newest first"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT group_concat(number||':'||state, ' ') FROM (SELECT * FROM tickets ORDER BY id)")" \
	"A001:done B001:no_show A002:done A003:done A004:done A005:called" "the database holds exactly what the staff did"

# --- clean shutdown, even with a long-poll waiting -----------------------------------------------------------------
curl -s --max-time 30 "$B/api/events?after=$(field 'd["last_event"]')&wait=25" >/dev/null &
CPID=$!
wait_for "the long-poll to wait in the server" polls_waiting 1
s=$(date +%s%N); kill -TERM "$SPID"; wait "$SPID"; rc=$?
ms=$(( ($(date +%s%N) - s) / 1000000 ))
is "$rc" 0 "SIGTERM: exit 0"
[ "$ms" -lt 2000 ]; ok $? "stops in $ms ms although a long-poll was waiting"
wait "$CPID" 2>/dev/null
like "$(cat "$TMP/serve.err")" "stopped \(SIGTERM\)" "says it stopped"

# --- a bad bind or a taken port ----------------------------------------------------------------------------------------
"$K" serve --bind not-an-ip --port 0 >/dev/null 2>"$TMP/e"; is $? 2 "serve --bind not-an-ip: exit 2"
# The port is held (listening) until the check is done.
python3 -c 'import signal,socket; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); signal.pause()' >"$TMP/busy" &
BUSY=$!; at_exit "kill $BUSY"
wait_file "$TMP/busy"
"$K" serve --port "$(cat "$TMP/busy")" >/dev/null 2>"$TMP/e"; is $? 1 "serve on a taken port: exit 1"
kill $BUSY
like "$(cat "$TMP/e")" "cannot listen" "and says why"
"$K" serve --port 70000 >/dev/null 2>&1; is $? 2 "--port 70000: exit 2"

# --- rotating the device key rotates every token ----------------------------------------------------------------------
mv "$KIOSK_DATA/device.key" "$TMP/old.key"
N1=$("$K" counter-token --counter 1 2>/dev/null | tail -1)
[ "$N1" != "$T1" ]; ok $? "a new device key gives new counter tokens"
done_testing
