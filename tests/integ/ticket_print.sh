#!/usr/bin/env bash
# `kiosk ticket` on paper: the PNG and the ESC/POS stream at 384, 512 and 576 dots
# scan back (zbarimg) to the JSON's "qr"; every Thai text fits the paper (the
# layout's overflow count); --print sends exactly the --escpos bytes; a closed
# port (exit 3), a printer out of paper (exit 4) or one that stops reading (exit
# 3) still issues the ticket and prints its JSON with "printed": false.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T09:41:00+07:00
Q=$ROOT/$BUILD/tools/qrtool
FAKE=$ROOT/tests/tools/fakeprinter.py

# conf NAME KEY=VALUE...: a copy of the shipped config with [printer] settings changed
conf() {
	local d=$TMP/conf-$1; shift
	mkdir -p "$d"; cp "$ROOT"/config/* "$d"/
	for kv in "$@"; do sed -i "s|^${kv%%=*} = .*|${kv%%=*} = ${kv#*=}|" "$d/kiosk.conf"; done
	echo "$d"
}
# j JSON KEY...: the values, one per line, in one python call (python starts slowly
# on a busy machine). KEY "png:FILE" gives a PNG's width.
j() {
	python3 - "$@" <<'PY'
import json, struct, sys
d = json.loads(sys.argv[1] or "{}")
for k in sys.argv[2:]:
    if k.startswith("png:"):
        print(struct.unpack(">I", open(k[4:], "rb").read(24)[16:20])[0]); continue
    v = d
    for part in k.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    print(json.dumps(v) if not isinstance(v, str) else v)
PY
}
waiting() { $K --config "$1" --json queue | python3 -c 'import json,sys; print(sum(w["count"] for w in json.load(sys.stdin)["waiting"]))'; }

for W in 384 512 576; do
	C=$(conf w$W paper_dots=$W)
	for svc in personal-cert will-make; do
		for pri in "" --priority; do
			out=$($K --config "$C" --json ticket --service $svc $pri --png "$TMP/t.png" --escpos "$TMP/t.bin")
			rc=$?
			tag="$W dots $svc${pri:+ priority}"
			is "$rc" 0 "$tag: issued, exit 0"
			{ read -r qr; read -r ov; read -r pw; } < <(j "$out" qr paper.overflow "png:$TMP/t.png")
			is "$(zbarimg --raw -q "$TMP/t.png" 2>/dev/null)" "$qr" "$tag: PNG scans to the JSON qr"
			is "$pw" "$W" "$tag: PNG is the paper width"
			is "$ov" 0 "$tag: every text inside the paper"
			"$Q" raster2png "$TMP/t.bin" "$TMP/back.png" >"$TMP/r2p" || true
			like "$(cat "$TMP/r2p")" "^width $W rows [0-9]+ slices [0-9]+ inits 1 feeds 4 cuts 1" \
				"$tag: ESC/POS stream: init, raster, feed, cut"
			is "$(zbarimg --raw -q "$TMP/back.png" 2>/dev/null)" "$qr" "$tag: ESC/POS raster scans to the same qr"
		done
	done
done
# The raster decoded from the stream is the picture of the PNG, dot for dot.
C=$(conf w576 paper_dots=576)
$K --config "$C" ticket --service personal-cert --png "$TMP/p.png" --escpos "$TMP/p.bin" >/dev/null
"$Q" raster2png "$TMP/p.bin" "$TMP/pb.png" >/dev/null
is "$(compare -metric AE "$TMP/p.png" "$TMP/pb.png" null: 2>&1)" 0 "stream and PNG: same dots"

# Without --print nothing is said about printing.
out=$($K --json ticket --service personal-cert --png "$TMP/x.png")
got=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join(sorted(k for k in d if k in sys.argv[2:])), "printed" in d)' "$out" number service priority issued_at qr ahead wait_minutes)
is "$got" "ahead issued_at number priority qr service wait_minutes False" "JSON keeps its fields; no --print: no printed field"

# --print to a file: exactly the --escpos bytes.
C=$(conf file "target=file:$TMP/printed.bin")
out=$($K --config "$C" --json ticket --service marital-status --escpos "$TMP/e.bin" --print); rc=$?
is "$rc" 0 "print to file: exit 0"
is "$(j "$out" printed)" true "printed: true"
cmp -s "$TMP/printed.bin" "$TMP/e.bin"; ok $? "printer file holds exactly the --escpos bytes"
"$Q" raster2png "$TMP/printed.bin" "$TMP/printed.png" >/dev/null
is "$(zbarimg --raw -q "$TMP/printed.png" 2>/dev/null)" "$(j "$out" qr)" "printed ticket scans to its qr"

# A closed port: exit 3, the ticket stands. The port is held bound (not listening) for
# the whole test, so no other program can take it meanwhile (a SYN to it gets a reset).
python3 -c 'import signal,socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1], flush=True); signal.pause()' >"$TMP/closed" &
at_exit "kill $!"
wait_file "$TMP/closed"
CLOSED=$(cat "$TMP/closed")
C=$(conf closed "target=tcp:127.0.0.1:$CLOSED" timeout_ms=1000)
before=$(waiting "$C")
out=$($K --config "$C" --json ticket --service personal-cert --print 2>"$TMP/err"); rc=$?
is "$rc" 3 "closed port: exit 3"
is "$(j "$out" printed)" false "closed port: printed false"
is "$(j "$out" printer_status)" absent "closed port: status absent"
like "$(j "$out" printer_error)" "refused|ไม่พบ" "closed port: printer_error says why"
like "$(j "$out" number)" "^A[0-9]{3}$" "closed port: the number is still given"
is "$(waiting "$C")" $((before + 1)) "closed port: the ticket waits in the queue"
like "$(cat "$TMP/err")" "issued but not printed" "closed port: stderr says the ticket was issued"

# fake MODE [OUTFILE]: a fake printer on 127.0.0.1, sets PORT once it listens (its port file)
fake() {
	rm -f "$TMP/port"
	python3 "$FAKE" "$1" "$TMP/port" "${2:-}" &
	FAKE_PID=$!
	at_exit "kill $FAKE_PID"
	wait_file "$TMP/port"
	PORT=$(cat "$TMP/port")
}

fake paperout
C=$(conf paper "target=tcp:127.0.0.1:$PORT" timeout_ms=1000)
before=$(waiting "$C")
out=$($K --config "$C" --json ticket --service will-make --priority --print 2>/dev/null); rc=$?
is "$rc" 4 "paper out: exit 4"
is "$(j "$out" printed)" false "paper out: printed false"
is "$(j "$out" printer_status)" paper_out "paper out: status paper_out"
is "$(j "$out" priority)" true "paper out: the priority ticket stands"
is "$(waiting "$C")" $((before + 1)) "paper out: the ticket waits in the queue"
kill $FAKE_PID

fake ok "$TMP/tcp.bin"
C=$(conf tcp "target=tcp:127.0.0.1:$PORT" timeout_ms=1000)
out=$($K --config "$C" --json ticket --service personal-cert --escpos "$TMP/tcpjob.bin" --print); rc=$?
is "$rc" 0 "working TCP printer: exit 0"
is "$(j "$out" printed)" true "working TCP printer: printed true"
wait_file "$TMP/tcp.bin" # the fake adds the job once the kiosk has hung up
kill $FAKE_PID; wait $FAKE_PID 2>/dev/null
python3 - "$TMP/tcp.bin" "$TMP/tcpjob.bin" <<'PY'
import sys
got, job = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
q = b"\x10\x04\x04"
sys.exit(0 if got.replace(q, b"") == job else 1)
PY
ok $? "the TCP printer received the ticket stream (plus status queries)"

fake stall
C=$(conf stall "target=tcp:127.0.0.1:$PORT" timeout_ms=800)
t0=$(date +%s%N)
out=$(timeout 20 $K --config "$C" --json ticket --service personal-cert --print 2>/dev/null); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc" 3 "printer that stops reading: exit 3"
is "$(j "$out" printer_status)" stalled "stalled printer: status stalled"
ok $(( ms < 5000 ? 0 : 1 )) "stalled printer: gave up within its bounds ($ms ms)"
kill $FAKE_PID

PCSCLITE_CSOCK_NAME=$TMP/no-pcscd.sock $K ticket --service personal-cert --with-card --wait 1 >/dev/null 2>&1; is $? 3 "--with-card without a reader: exit 3 (device absent), and no ticket (ui_card.sh covers the card rules)"
$K ticket --service nosuch --png "$TMP/n.png" 2>/dev/null; is $? 2 "unknown service: exit 2"
[ ! -e "$TMP/n.png" ]; ok $? "unknown service: no picture"
C=$(conf badtarget "target=tcp:nohostport")
before=$(waiting "$C")
$K --config "$C" ticket --service personal-cert --print 2>/dev/null; rc=$?
is "$rc" 2 "bad printer target: exit 2"
is "$(waiting "$C")" "$before" "bad printer target: refused before taking a number"
done_testing
