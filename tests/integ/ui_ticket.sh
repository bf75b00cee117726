#!/usr/bin/env bash
# The ticket on the touchscreen, driven by the script replayer like a visitor:
# services -> checklist -> "รับบัตรคิว" -> the number on screen, printed through the
# printer worker (file target: the bytes scan back); a printer that stops reading
# does not hold the screen up (the frame after the tap is prompt), then the Thai
# fault message appears and staff get one notice per fault, not one per ticket;
# the priority button; `kiosk shot --screen ticket` on a scratch store.
# Every kiosk run serves its counter API on a port the kernel picks (--api-port 0):
# no test here needs, or takes, a fixed port.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T09:41:00+07:00 # for every process of this file, never unset
Q=$ROOT/$BUILD/tools/qrtool
FAKE=$ROOT/tests/tools/fakeprinter.py

conf() {
	local d=$TMP/conf-$1; shift
	mkdir -p "$d"; cp "$ROOT"/config/* "$d"/
	for kv in "$@"; do sed -i "s|^${kv%%=*} = .*|${kv%%=*} = ${kv#*=}|" "$d/kiosk.conf"; done
	echo "$d"
}
# queue JSON, then a python expression over it as d
qj() { $K --config "$1" --json queue | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"; }
texts_ok() {
	python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); W, H = d['w'], d['h']; bad = []
for t in d['texts']:
    x, y, w, h = t['ink']
    if t['overflow']: bad.append('overflow: ' + t['text'])
    if t['truncated']: bad.append('cut: ' + t['text'])
    if t['hidden']: continue
    if x < 0 or x + w > W: bad.append('outside the window sideways: ' + t['text'])
print('\n'.join(bad) if bad else 'ok')
PY
}

# The "every string fits" checks are made for Sarabun's metrics (the kiosk falls back
# to the taller TLWG fonts without it): they say so when it is missing.
sarabun() { [ -r "$ROOT/fonts/Sarabun-Regular.ttf" ] && [ -r "$ROOT/fonts/Sarabun-Bold.ttf" ]; }
sarabun; ok $? "Sarabun is installed (fonts/Sarabun-Regular.ttf and -Bold.ttf; \`make deps\` fetches them): the layout checks below assume its metrics"
SAR=$(sarabun || echo " [Sarabun is missing: TLWG metrics, see check 1]")

# --- a working printer (file target) ---------------------------------------------
C=$(conf file "target=file:$TMP/printed.bin")
export KIOSK_DATA=$TMP/d1
cat >"$TMP/s1.txt" <<S
assert-screen attract
tap 540 1500
tap-text "สอบสวนรับรองบุคคล"
assert-screen checklist
tap-text "รับบัตรคิว"
assert-screen ticket
assert-text "A001"
assert-text "สอบสวนรับรองบุคคล"
assert-text "กรุณารอเรียกคิวที่หน้าจอ"
assert-text "24 พ.ย. 2569 เวลา 09:41 น."
wait-text "รับบัตรคิวที่ช่องด้านล่างหน้าจอ" 30000
assert-no-text "เครื่องพิมพ์ขัดข้อง"
shot $TMP/ticket.png
tap-text "EN"
assert-text "Your queue number"
assert-text "A001"
tap-text "Done"
assert-screen attract
exit
S
$K --config "$C" run --headless --api-port 0 --script "$TMP/s1.txt" 2>"$TMP/err"; is $? 0 "tap a service, tap รับบัตรคิว: A001 on screen, printed (the screen says take it), Done goes home"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
is "$(qj "$C" 'd["waiting"][0]["count"]')" 1 "the ticket waits in the queue"
"$Q" raster2png "$TMP/printed.bin" "$TMP/printed.png" >/dev/null 2>&1
like "$(zbarimg --raw -q "$TMP/printed.png" 2>/dev/null)" "n=A001&s=[A-Z2-7]{10}$" "the printer got the ticket; its QR scans (A001)"
like "$(zbarimg --raw -q "$TMP/ticket.png" 2>/dev/null)" "n=A001&s=[A-Z2-7]{10}$" "the QR on screen scans too"
is "$(qj "$C" 'len(d["notices"])')" 0 "a working printer: no notice for staff"

# --- a printer that stops reading --------------------------------------------------
# It fails a job only after timeout_ms: long enough that the frame after the tap,
# however slow the machine, comes before the printer could have failed if the
# screen did not wait for it.
STALL_MS=6000
rm -f "$TMP/port"
python3 "$FAKE" stall "$TMP/port" &
FP=$!; at_exit "kill $FP"
wait_file "$TMP/port"
C=$(conf stall "target=tcp:127.0.0.1:$(cat "$TMP/port")" timeout_ms=$STALL_MS)
export KIOSK_DATA=$TMP/d2
cat >"$TMP/s2.txt" <<S
tap 540 1500
tap-text "สอบสวนรับรองบุคคล"
shot $TMP/before.png
tap-text "รับบัตรคิว"
shot $TMP/after.png
assert-text "A001"
assert-text "กำลังพิมพ์บัตรคิว"
wait-text "เครื่องพิมพ์ขัดข้อง กรุณาถ่ายรูปหน้าจอนี้ไว้" 60000
assert-text "A001"
shot $TMP/fault.png
tap-text "เสร็จสิ้น"
tap 540 1500
tap-text "สอบสวนรับรองบุคคล"
tap-text "รับบัตรคิว"
assert-text "A002"
wait-text "เครื่องพิมพ์ขัดข้อง กรุณาถ่ายรูปหน้าจอนี้ไว้" 60000
tap-text "EN"
assert-text "The printer is not working: please take a photo of this screen"
exit
S
timeout 300 $K --config "$C" run --headless --api-port 0 --script "$TMP/s2.txt" 2>"$TMP/err"; is $? 0 "stalled printer: the number shows, then the Thai fault message"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
ms=$(( ($(stat -c %.3Y "$TMP/after.png" | tr -d .) - $(stat -c %.3Y "$TMP/before.png" | tr -d .)) ))
# A screen that waited for the printer would draw the next frame only once the job
# failed, >= STALL_MS after the tap; the frame (tap, issue, render, one PNG encode)
# came before that, so the screen did not wait. The gap itself is a figure, not a check.
echo "# the frame after the tap came $ms ms after the one before it"
[ -s "$TMP/after.png" ] && [ "$ms" -lt "$STALL_MS" ]; ok $? "the frame after the tap came before the stalled printer could fail ($ms ms < $STALL_MS ms): the screen does not wait for it"
is "$(qj "$C" 'd["waiting"][0]["count"]')" 2 "both tickets wait in the queue"
is "$(qj "$C" 'sum(1 for n in d["notices"] if "printer" in n["en"])')" 1 "one staff notice for the fault, not one per ticket"
like "$(qj "$C" 'd["notices"][0]["th"]')" "เครื่องพิมพ์บัตรคิว: เครื่องพิมพ์ไม่ตอบสนอง" "the notice says, in Thai, the printer stopped responding"
kill $FP

# --- a closed port: absent -----------------------------------------------------------
# A port held bound but not listening: connections are refused, and no other process
# can start listening on it meanwhile (a port merely found free could be taken).
python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(3600)' >"$TMP/closed" &
CP=$!; at_exit "kill $CP"
wait_file "$TMP/closed"
C=$(conf closed "target=tcp:127.0.0.1:$(cat "$TMP/closed")" timeout_ms=1000)
export KIOSK_DATA=$TMP/d3
cat >"$TMP/s3.txt" <<S
push checklist will-make
tap-text "รับบัตรคิวพิเศษ"
assert-screen ticket
assert-text "E001"
assert-text "คิวพิเศษ"
assert-text "ผู้สูงอายุ / ผู้พิการ / สตรีมีครรภ์ / พระภิกษุ"
wait-text "เครื่องพิมพ์ขัดข้อง กรุณาถ่ายรูปหน้าจอนี้ไว้" 30000
exit
S
$K --config "$C" run --headless --api-port 0 --script "$TMP/s3.txt" 2>"$TMP/err"; is $? 0 "priority button: a priority ticket; absent printer: the fault message"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
is "$(qj "$C" 'd["waiting"][4]["priority"]')" 1 "the priority ticket waits as priority"
like "$(qj "$C" 'd["notices"][0]["en"]')" "Ticket printer: Printer not found" "staff notice: printer not found"

# --- no printer configured ---------------------------------------------------------------
export KIOSK_DATA=$TMP/d4
cat >"$TMP/s4.txt" <<S
push checklist marital-status
tap-text "รับบัตรคิว"
assert-text "B001"
assert-text "กรุณาจดหมายเลขคิว หรือถ่ายรูปหน้าจอนี้ไว้"
exit
S
$K run --headless --api-port 0 --script "$TMP/s4.txt" 2>"$TMP/err"; is $? 0 "printer none: the screen asks to note the number"
is "$(qj "$ROOT/config" 'len(d["notices"])')" 0 "printer none is a setting, not a fault: no notice"

# --- kiosk shot --screen ticket: a scratch store, never the real one ---------------------
# The scratch store goes under TMPDIR: a private one here, so what is counted is only
# this test's (other processes may use /tmp as they like meanwhile).
export KIOSK_DATA=$TMP/d5
export TMPDIR=$TMP/tmpdir
mkdir -p "$TMPDIR"
t0=$(stat -c %.9Y "$TMPDIR")
for size in 1080x1920 1920x1080 768x1366; do
	for lang in th en; do
		for svc in personal-cert will-make+priority; do
			j=$($K --json shot --screen ticket --service $svc --lang $lang --size $size --out "$TMP/shot.png")
			ok $? "shot ticket $svc $size $lang"
			is "$(texts_ok "$j")" ok "shot ticket $svc $size $lang: every string fits$SAR"
		done
	done
done
j=$($K --json shot --screen ticket --service personal-cert --out "$TMP/shot.png")
like "$j" '"text":"A001"' "shot shows a sample number A001"
like "$(zbarimg --raw -q "$TMP/shot.png" 2>/dev/null)" "n=A001" "shot: the QR scans"
[ ! -e "$TMP/d5/kiosk.db" ]; ok $? "shot did not touch the data folder"
[ "$(stat -c %.9Y "$TMPDIR")" != "$t0" ]; ok $? "shot made its scratch store in TMPDIR"
is "$(ls -A "$TMPDIR" | wc -l)" 0 "shot removed its scratch store"
$K shot --screen ticket --out "$TMP/x.png" 2>/dev/null; is $? 2 "shot ticket without --service: exit 2"
$K shot --screen ticket --service nosuch --out "$TMP/x.png" 2>/dev/null; is $? 2 "shot ticket, unknown service: exit 2"
done_testing
