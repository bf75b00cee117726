#!/usr/bin/env bash
# The ticket page relay (issue 14 item 4): a phone on mobile data follows its ticket on
# the district collector while the office LAN only ever connects out. Real parts: a
# private PostgreSQL, `kiosk collector serve --public-port 0`, a real kiosk pushing with
# `kiosk upload` and `kiosk run` ([public] relay = true), tickets issued and called with the CLI, the QR
# read back by zbarimg from the printed raster, headless Chromium at 390x844.
#
# Checks: the QR's URL, its host swapped for the collector's, opens the page (waiting,
# then "go to counter K" within a deadline: the latency is printed as a figure); forged,
# cut, other office's, unknown and other day's tickets get the kiosk's own 404/410 pages;
# /api is not on the public port; a PUT with another office's token is 403, oversized
# 413, malformed 400 with the reason, and the page is unchanged after each; the collector
# down while tickets are issued: one log line, ratings and snapshot catch up when it is
# back; a stale snapshot shows the banner; no priority flag, name or token anywhere.
. "$(dirname "$0")/lib.sh"

# One frozen office clock for every kiosk process of this file (the collector too).
# Staleness is measured by PostgreSQL's clock, on purpose: see docs/public.md.
export KIOSK_NOW=2026-11-24T10:00:00+07:00
SHOTS=$ROOT/$BUILD/test-logs/relay
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
Q=$ROOT/$BUILD/tools/qrtool
AXE=$ROOT/$BUILD/axe/axe.min.js
# --- a private PostgreSQL (lib.sh) ---------------------------------------------------------
pg_start -c max_connections=40
C() { "$K" collector "$@"; }
out=$(C migrate --db "$DB" --json)
is "$(jq_ "$out" 'd["version"]')" 3 "migrate: schema 3, with queue_snapshots"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# For wait_for, which runs a command again and again: each check asks afresh.
status_is() { test "$(code "$1")" = "$2"; }
page_has() { curl -s "$1" | grep -qE -- "$2"; }

# --- two offices, one kiosk each ----------------------------------------------------------------
declare -A OFFICE=([1]=bangkhae [2]=phasicharoen)
for n in 1 2; do
	mkdir -p "$TMP/cfg$n" "$TMP/k$n"
	cp -r "$ROOT/config/." "$TMP/cfg$n/"
	sed -i "s/^id = kiosk-1\$/id = kiosk-$n/; s/^code = bangkhae\$/code = ${OFFICE[$n]}/" "$TMP/cfg$n/kiosk.conf"
	printf '\n[public]\nrelay = true\n' >>"$TMP/cfg$n/kiosk.conf"
	C add-kiosk --db "$DB" --office "${OFFICE[$n]}" --kiosk "kiosk-$n" 2>/dev/null | tail -1 >"$TMP/k$n/server.token"
	chmod 600 "$TMP/k$n/server.token"
done
kq() { local n=$1; shift; KIOSK_CONFIG=$TMP/cfg$n KIOSK_DATA=$TMP/k$n "$K" "$@"; }

# --- configuration ----------------------------------------------------------------------------------
check "kiosk check-config accepts [public] relay = true with the shipped QR template" kq 1 check-config
cp -r "$TMP/cfg1" "$TMP/bad"
sed -i 's/^relay = true$/relay = yes/' "$TMP/bad/kiosk.conf"
out=$(KIOSK_CONFIG=$TMP/bad "$K" check-config 2>&1); rc=$?
is "$rc:$(grep -c 'relay: must be true or false' <<<"$out")" 2:1 "relay = yes: exit 2, \"must be true or false\" with the line"
sed -i 's/^relay = yes$/relay = true/; s/^url = .*/url =/' "$TMP/bad/kiosk.conf"
out=$(KIOSK_CONFIG=$TMP/bad "$K" check-config 2>&1); rc=$?
is "$rc:$(grep -c 'relay: needs \[server\] url and token_file' <<<"$out")" 2:1 "relay without a [server] url: exit 2, the snapshot goes the way the ratings go"
sed -i "s|^url =\$|url = https://ratings.bangkok.example/api/v1/ratings|; s|^qr_template = .*|qr_template = https://q.example/queue?n={number}\&o={office}\&d={date}\&s={sig}|" "$TMP/bad/kiosk.conf"
out=$(KIOSK_CONFIG=$TMP/bad "$K" check-config 2>&1); rc=$?
is "$rc:$(grep -c 'relay: \[ticket\] qr_template must be' <<<"$out")" 2:1 "relay with a QR on another path: exit 2, saying which URL the collector serves"

# --- the collector, behind a forwarding proxy --------------------------------------------------------
# The kiosk keeps one URL while the collector is stopped and started again on another
# port (the kernel picks each time): a small TCP proxy stands where nginx would.
: >"$TMP/target"
python3 - "$TMP/target" >"$TMP/proxy.out" 2>"$TMP/proxy.err" <<'EOF' &
import socket, sys, threading
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
def serve(c):
    try:
        port = int(open(sys.argv[1]).read().strip() or 0)
        u = socket.create_connection(("127.0.0.1", port), timeout=5)
        u.settimeout(None)
    except (OSError, ValueError):
        c.close()   # the collector is down: the kiosk sees the connection refused
        return
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    pipe(u, c)
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(64)
print("serving http://127.0.0.1:%d/" % l.getsockname()[1], flush=True)
while True:
    c, _ = l.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
PXPID=$!
at_exit "kill $PXPID"
wait_grep "$TMP/proxy.out" '^serving'
PROXY=http://127.0.0.1:$(serving_port "$TMP/proxy.out")

start_collector() { # start_collector NAME [ARGS]: API port in CPORT_NAME, public in PPORT_NAME
	local n=$1; shift
	"$K" collector serve --db "$DB" --port 0 --public-port 0 "$@" >"$TMP/$n.out" 2>"$TMP/$n.err" &
	eval "CPID_$n=$!"
	at_exit "kill -9 \$CPID_$n"
	wait_grep "$TMP/$n.out" '^serving http://' || return 1
	eval "CPORT_$n=$(serving_port "$TMP/$n.out")"
	eval "PPORT_$n=$(sed -n 's|^public: serving http://[^/]*:\([0-9]*\)/.*|\1|p' "$TMP/$n.err" | head -1)"
}
start_collector A
ok $? "collector serve --public-port 0: serving lines for the kiosks' API and the public relay"
echo "$CPORT_A" >"$TMP/target"
R=http://127.0.0.1:$PPORT_A
ok $(( PPORT_A > 0 && PPORT_A != CPORT_A ? 0 : 1 )) "the relay has its own port ($PPORT_A, the API $CPORT_A)"

# --- a ticket, its QR, the page on the collector -------------------------------------------------------
kq 1 ticket --service personal-cert >/dev/null # A001
kq 1 --json ticket --service personal-cert --escpos "$TMP/a2.bin" >/dev/null # A002
"$Q" raster2png "$TMP/a2.bin" "$TMP/a2.png" >/dev/null
QR=$(zbarimg --raw -q "$TMP/a2.png" 2>/dev/null)
like "$QR" '^https://[^/]+/t\?o=bangkhae&d=2026-11-24&n=A002&s=[A-Z2-7]{10}$' "zbarimg reads A002's QR from the printed raster"
TP=/${QR#https://*/}
T2=$R$TP
is "$(code "$T2")" 404 "before the kiosk pushes anything: the ticket is not known (404)"

KIOSK_CONFIG=$TMP/cfg1 KIOSK_DATA=$TMP/k1 "$K" upload --server "$PROXY/api/v1/ratings" >"$TMP/up1.out" 2>"$TMP/up1.err" &
UP1=$!
at_exit "kill $UP1"
# The other office's kiosk is the appliance itself: `kiosk run`, pushing on its own
# [server] url (the proxy's), as it would in the lobby.
sed -i "s|^url = .*|url = $PROXY/api/v1/ratings|" "$TMP/cfg2/kiosk.conf"
KIOSK_CONFIG=$TMP/cfg2 KIOSK_DATA=$TMP/k2 timeout 600 "$K" run --headless --no-api --exit-after 600 >"$TMP/up2.out" 2>"$TMP/up2.err" &
UP2=$!
at_exit "kill $UP2"
p1=$(kq 2 --json ticket --service personal-cert) # phasicharoen's own A001
P1=$R/$(jq_ "$p1" 'd["qr"]' | sed 's|^https://[^/]*/||')
wait_for "A002's page on the relay" status_is "$T2" 200
page=$(curl -s "$T2")
like "$page" '<p class="num" data-state="waiting">.*A002' "the QR's URL with the collector's host opens A002: waiting"
wait_for "phasicharoen's A001, pushed by \`kiosk run\`" status_is "$P1" 200
like "$(curl -s "$P1")" 'data-state="waiting">.*A001' "kiosk run pushes too: the other office's ticket, from its own snapshot"
like "$page" "รออีก <strong>1</strong> คน" "รออีก 1 คน, as the kiosk's own page says"
like "$page" "สอบสวนรับรองบุคคล" "the service's Thai name (from the snapshot)"
like "$page" "สำนักงานเขตบางแค" "the office's name"
ok $(grep -c '<form' <<<"$page") "no form: leaving the queue and rating are not relayed"
like "$page" "กรุณาแจ้งเจ้าหน้าที่ที่สำนักงาน" "instead, kindly: tell staff at the office"
ok $(grep -c 'href="services/\|href="stats' <<<"$page") "no link to pages the relay does not have"
ok $(grep -c 'lost stale' <<<"$page") "a fresh snapshot: no stale banner"
en=$(curl -s "$T2&lang=en")
like "$en" 'lang="en".*1</strong> person before you' "?lang=en: English"
hd=$(curl -s -D - -o /dev/null "$T2" | tr -d '\r')
like "$hd" "Content-Security-Policy: default-src 'self'" "the kiosk's security headers (CSP)"
like "$hd" "Cache-Control: no-store" "never cached"
is "$(code "$R/assets/public.css"):$(code "$R/assets/ticket.js"):$(code "$R/fonts/Sarabun-Regular.ttf")" 200:200:200 \
	"the stylesheet, the live-update script and Sarabun, from the relay itself"

# --- the call, on the relay --------------------------------------------------------------------------
after=$(jq_ "$(curl -s "$R/t/wait${TP#/t}&wait=0")" 'd["after"]')
curl -s "$R/t/wait${TP#/t}&after=$after" >"$TMP/poll.json" &
POLL=$!
kq 1 call --counter 3 >/dev/null # A001
t0=$(_ms)
kq 1 call --counter 2 >/dev/null # A002
wait_for "A002 called on the relay page" page_has "$T2" 'เชิญที่ช่อง <span class="k">2</span>'
t1=$(_ms)
echo "# figure: relay call-to-page latency $((t1 - t0)) ms (kiosk call -> snapshot -> collector -> GET)"
wait_file "$TMP/poll.json"
like "$(cat "$TMP/poll.json")" '"state":"(waiting|called)"' "a phone waiting on /t/wait is answered when the queue moves"
wait "$POLL" 2>/dev/null
page=$(curl -s "$T2")
like "$page" 'data-state="called"' "A002's page: called"
like "$page" 'เชิญที่ช่อง <span class="k">2</span>' "\"เชิญที่ช่อง 2\": go to counter 2"

# --- bad tickets: the kiosk's own kind pages ------------------------------------------------------------
sig=${QR##*&s=}
forged=${sig:0:9}$( [ "${sig:9:1}" = A ] && echo B || echo A )
nf=$(curl -s "$R/t?o=bangkhae&d=2026-11-24&n=A002&s=$forged")
is "$(code "$R/t?o=bangkhae&d=2026-11-24&n=A002&s=$forged")" 404 "a forged signature: 404"
like "$nf" "ไม่พบบัตรคิวนี้.*Ticket not found|ไม่พบบัตรคิวนี้" "the kind bilingual page (ไม่พบบัตรคิวนี้)"
like "$nf" "This link does not match a ticket" "with its English"
for u in "o=bangkhae&d=2026-11-24&n=A999&s=$sig" "o=phasicharoen&d=2026-11-24&n=A002&s=$sig" \
	"o=nowhere&d=2026-11-24&n=A002&s=$sig" "o=bangkhae&d=2026-11-24&n=A002&s=${sig:0:9}" \
	"o=bangkhae&d=2026-11-24&n=A002" "o=bangkhae&d=2026-11-24&n=A002&s=$sig%00x" \
	"o=bangkhae&d=2026-11-24&n=A002&s=$sig&x=1" "o=bangkhae&d=2026-11-25&n=A002&s=$sig"; do
	is "$(code "$R/t?$u")" 404 "404 for ?$u"
	is "$(curl -s "$R/t?$u" | md5sum)" "$(md5sum <<<"$nf")" "  the very same page: nothing tells whether such a ticket exists"
done
old=$(curl -s "$R/t?o=bangkhae&d=2026-11-23&n=A002&s=$sig")
is "$(code "$R/t?o=bangkhae&d=2026-11-23&n=A002&s=$sig")" 410 "a ticket of the day before: 410"
like "$old" "บัตรคิวนี้หมดอายุแล้ว" "\"บัตรคิวนี้หมดอายุแล้ว\", valid on its day only"
is "$(code "$R/t?o=bangkhae&d=2026-11-24&n=A002&s=$sig&pad=$(head -c 1200 /dev/zero | tr '\0' x)")" 414 "a huge query: 414"
is "$(code -X POST "$R/t?o=bangkhae&d=2026-11-24&n=A002&s=$sig")" 405 "POST: 405, the relay only shows"
is "$(code -X POST -d 'confirm=yes' "$R/t/leave?o=bangkhae&d=2026-11-24&n=A002&s=$sig")" 404 "the leave form is not relayed (404)"
is "$(code "$R/t/leave?${TP#/t?}")" 404 "nor is its page"
is "$(code "$R/api/v1/ratings"):$(code -X PUT "$R/api/v1/queue-snapshot")" 404:404 "no /api route on the public port"
is "$(code -X PUT "$R/api/v1/queue-snapshot" -H "Authorization: Bearer $(cat "$TMP/k1/server.token")")" 404 "  not even with a token"
is "$(jq_ "$(curl -s "$R/t/wait?o=bangkhae&d=2026-11-24&n=A002&s=$forged")" 'd["status"]')" 404 "the long-poll of a forged ticket: 404 JSON"

# --- bad snapshots ----------------------------------------------------------------------------------------
API=http://127.0.0.1:$CPORT_A/api/v1/queue-snapshot
psql_ "SELECT body FROM queue_snapshots WHERE office = 'bangkhae'" >"$TMP/snap.json"
v0=$(psql_ "SELECT version FROM queue_snapshots WHERE office = 'bangkhae'")
put() { curl -s -o "$TMP/put.out" -w '%{http_code}' -X PUT "$@" "$API"; }
JS='Content-Type: application/json'
tok1="Authorization: Bearer $(cat "$TMP/k1/server.token")"
tok2="Authorization: Bearer $(cat "$TMP/k2/server.token")"
is "$(put -H "$JS" -H "$tok2" --data-binary @"$TMP/snap.json")" 403 "bangkhae's snapshot with phasicharoen's kiosk token: 403"
like "$(cat "$TMP/put.out")" "this token is kiosk kiosk-2 of office phasicharoen" "  and why"
is "$(put -H "$JS" --data-binary @"$TMP/snap.json")" 401 "no token: 401"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
is "$(put -H "$JS" -H "$tok1" --data-binary @"$TMP/big.json")" 413 "1.1 MB: 413 (from Content-Length, before reading)"
is "$(put -H "$JS" -H "$tok1" -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.json")" 413 "1.1 MB chunked, no length: 413"
is "$(put -H "$JS" -H "$tok1" --data-binary '{"v":1,')" 400 "malformed JSON: 400"
like "$(cat "$TMP/put.out")" '"error":"not JSON' "  with the reason"
sed 's/"state": "called"/"state": "gone"/; s/"state":"called"/"state":"gone"/' "$TMP/snap.json" >"$TMP/bad.json"
is "$(put -H "$JS" -H "$tok1" --data-binary @"$TMP/bad.json")" 400 "a ticket state that does not exist: 400"
like "$(cat "$TMP/put.out")" 'tickets\[[0-9]+\]\.state: \\"gone\\" is not a ticket state' "  naming the ticket and the field"
is "$(put -H "$tok1" -H 'Content-Type: text/plain' --data-binary @"$TMP/snap.json")" 415 "not JSON by its type: 415"
is "$(code -X POST -H "$tok1" -H 'Content-Type: application/json' --data-binary @"$TMP/snap.json" "$API")" 405 "POST: 405 (a snapshot is PUT)"
is "$(psql_ "SELECT version FROM queue_snapshots WHERE office = 'bangkhae'")" "$v0" "after all of them, the stored snapshot is the kiosk's own"
like "$(curl -s "$T2")" 'เชิญที่ช่อง <span class="k">2</span>' "and the page still says counter 2"
ok $(psql_ "SELECT COUNT(*) FROM queue_snapshots WHERE body::text ~ 'priority|name_th|citizen'") "no priority flag in any stored snapshot"

# --- the browser, on a phone ---------------------------------------------------------------------------------
kq 1 --json ticket --service personal-cert --escpos "$TMP/a3.bin" >/dev/null # A003
"$Q" raster2png "$TMP/a3.bin" "$TMP/a3.png" >/dev/null
QR3=$(zbarimg --raw -q "$TMP/a3.png" 2>/dev/null)
T3=$R/${QR3#https://*/}
wait_for "A003 on the relay" status_is "$T3" 200
res=$(python3 - "$T3" "$SHOTS" "$AXE" "$TMP/cfg1" "$TMP/k1" "$K" <<'EOF'
import json, os, subprocess, sys, time
sys.path.insert(0, "tests/tools")
from cdp import Browser, WAIT_LIMIT
url, shots, axe_path, cfg, data, kiosk = sys.argv[1:7]
out = {}
def wait(p, expr):
    end = time.time() + WAIT_LIMIT
    while time.time() < end:
        try:
            if p.eval(expr):
                return True
        except RuntimeError:
            pass
        time.sleep(0.02)
    return False
def shot(p, name):
    import base64
    data = p.cmd("Page.captureScreenshot", format="png")["data"]
    open(os.path.join(shots, name), "wb").write(base64.b64decode(data))
with Browser() as b:
    p = b.page()
    p.cmd("Page.enable")
    p.cmd("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    p.goto(url)
    wait(p, "document.fonts.status === 'loaded'")
    out["status"] = p.eval("performance.getEntriesByType('navigation')[0].responseStatus")
    out["h1"] = p.eval("document.querySelector('h1').textContent")
    out["overflow"] = p.eval("document.documentElement.scrollWidth - window.innerWidth")
    out["sarabun"] = p.eval("[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Sarabun' && f.status === 'loaded')")
    p.eval(open(axe_path, encoding="utf-8").read())
    v = p.eval("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact})))")
    out["axe"] = [x for x in v if x["impact"] in ("serious", "critical")]
    shot(p, "relay-waiting-phone.png")
    wait(p, "!document.getElementById('auto').hidden")  # the script's long-poll is running
    env = dict(os.environ, KIOSK_CONFIG=cfg, KIOSK_DATA=data)
    subprocess.run([kiosk, "call", "--counter", "4"], env=env, capture_output=True)
    t0 = time.time()
    out["called"] = wait(p, "document.querySelector('#live .call .k') && document.querySelector('#live .call .k').textContent === '4'")
    out["latency_ms"] = int((time.time() - t0) * 1000)
    out["title"] = p.eval("document.title")
    shot(p, "relay-called-phone.png")
print(json.dumps(out))
EOF
)
is "$(jq_ "$res" 'd["status"]')" 200 "Chromium at 390x844 opens A003's relayed page"
is "$(jq_ "$res" 'd["overflow"]')" 0 "nothing wider than the phone"
is "$(jq_ "$res" 'd["sarabun"]')" True "drawn in Sarabun, served by the relay"
is "$(jq_ "$res" 'len(d["axe"])')" 0 "axe-core: no serious or critical violation ($(jq_ "$res" 'd["axe"]'))"
is "$(jq_ "$res" 'd["called"]')" True "called from counter 4: the open page says counter 4 without a reload"
echo "# figure: relay call-to-phone latency in Chromium $(jq_ "$res" 'd["latency_ms"]') ms"
like "$(jq_ "$res" 'd["title"]')" "เชิญที่ช่อง 4" "the tab's title too"
ok $(( $(wc -c <"$SHOTS/relay-called-phone.png") > 10000 ? 0 : 1 )) "screenshots in $BUILD/test-logs/relay/"

# --- the collector down while the office works on ------------------------------------------------------------
kq 1 finish --counter 2 >/dev/null # A002 served
kq 1 rate --ticket A002 --scores 5,4,5,5 >/dev/null
kq 1 upload --once --server "$PROXY/api/v1/ratings" >/dev/null 2>&1
is "$(psql_ "SELECT COUNT(*) FROM ratings")" 1 "A002's rating uploaded beside the snapshots"
kill "$CPID_A"
wait_gone "$CPID_A"
t0=$(_ms)
kq 1 ticket --service personal-cert >/dev/null # A004, while the collector is down
kq 1 finish --counter 3 >/dev/null # A001 served
kq 1 rate --ticket A001 --scores 4,4,4,4 >/dev/null
wait_grep "$TMP/up1.err" "relay: cannot push the queue snapshot"
start_collector B
echo "$CPORT_B" >"$TMP/target"
R=http://127.0.0.1:$PPORT_B
out=$(kq 1 --json upload --once --server "$PROXY/api/v1/ratings" 2>/dev/null); rc=$?
is "$rc:$(psql_ "SELECT COUNT(*) FROM ratings")" 0:2 "the rating made while the collector was down: uploaded once it is back (exit 0)"
has_a004() { test "$(psql_ "SELECT body->'tickets' @> '[{\"number\":\"A004\",\"state\":\"waiting\"}]' FROM queue_snapshots WHERE office='bangkhae'")" = t; }
wait_for "the snapshot catches up (A004, issued while down)" has_a004
echo "# figure: relay catch-up $(( $(_ms) - t0 )) ms from the collector's stop (backoff included)"
like "$(curl -s "$R$TP")" 'data-state="done"' "A002's page, from the restarted collector: served"
is "$(grep -c 'relay: cannot push' "$TMP/up1.err")" 1 "the outage is one line in the kiosk's log, not one per try"
wait_grep "$TMP/up1.err" "relay: queue snapshot delivered again"
is "$(psql_ "SELECT COUNT(*) FROM queue_snapshots")" 2 "one snapshot per office, latest wins"

# --- a snapshot that stops coming ---------------------------------------------------------------------------------
start_collector S --stale 2
kill "$UP1"
wait_gone "$UP1"
RS=http://127.0.0.1:$PPORT_S
wait_for "the stale banner" page_has "$RS$TP" 'lost stale'
page=$(curl -s "$RS$TP")
like "$page" 'สำนักงานยังไม่ได้ส่งข้อมูลคิวมาตั้งแต่ [0-9]{2}:[0-9]{2} น\.' "no snapshot for a while: \"the office has not updated since HH:MM\""
like "$(curl -s "$RS$TP&lang=en")" 'The office has not updated since [0-9]{2}:[0-9]{2}' "in English too"
like "$page" 'data-state="done"' "and the last known state stays on the page"
ok $(grep -c 'lost stale' <(curl -s "$R$TP")) "a collector with the default (2 minutes) shows no banner yet"

# --- privacy and logs ----------------------------------------------------------------------------------------------
ok $(cat "$TMP"/*.err "$TMP"/*.out | grep -c "$(cat "$TMP/k1/server.token")") "no kiosk token in any log"
ok $(cat "$TMP"/A.err "$TMP"/B.err | grep -c "A00[0-9]") "the collector's log names no ticket"
kill "$CPID_B" "$CPID_S"
wait_gone "$CPID_B"
is "$(grep -c 'stopped (SIGTERM)' "$TMP/B.err")" 1 "SIGTERM stops the collector and its relay cleanly"
done_testing
