#!/usr/bin/env bash
# The rating and admin screens driven like a visitor and a staff member, with the
# script replayer: tickets made and served with the CLI (ticket, call, finish),
# rated by typed number and by the ticket's scanned QR (text + Enter, as the
# keyboard-wedge scanner types it), a comment typed on the Thai keyboard; every
# refusal has its message; the rating lands in SQLite with its outbox row. Admin:
# no PIN -> how to set one; kiosk admin-pin refuses weak PINs; 5 wrong PINs lock
# it, across a restart, for 5 minutes; the right PIN opens it; notices resolve;
# the USB export verifies with sha256sum -c; Quit ends `kiosk run` with 0.
# `kiosk run` serves the counter API (and survives a port in use). Shots of every
# state in Thai/English, large text, portrait and landscape: nothing overflows.
#
# Time: the clock is frozen for every process (KIOSK_NOW, moved forward by hand to
# cross the PIN lock, never unset). What a visitor sees happen over time (the thanks
# countdown, the idle question, the 3 s of the admin gesture) is waited for on screen
# with wait-text/wait-screen and a generous deadline; the only fixed waits are the
# lower bounds those checks are about ("not yet after 1.5 s", "more than 3 s apart"),
# which a slow machine can only make longer. A script's `wait N` counts from the start
# of its script step (the replayer's loop time before the step's lines ran), so a
# lower-bound wait is put after `wait 1`, which ends the step: it then counts from there.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T10:00:00+07:00
export KIOSK_DATA=$TMP/d
unset KIOSK_USB_DIRS

# The "every string fits" checks (assert-fits, the shots) are made for Sarabun's
# metrics (the kiosk falls back to the taller TLWG fonts without it): they say so.
sarabun() { [ -r "$ROOT/fonts/Sarabun-Regular.ttf" ] && [ -r "$ROOT/fonts/Sarabun-Bold.ttf" ]; }
sarabun; ok $? "Sarabun is installed (fonts/Sarabun-Regular.ttf and -Bold.ttf; \`make deps\` fetches them): the layout checks below assume its metrics"
SAR=$(sarabun || echo " [Sarabun is missing: TLWG metrics, see check 1]")

conf() {
	local d=$TMP/conf-$1; shift
	mkdir -p "$d"; cp "$ROOT"/config/* "$d"/
	for kv in "$@"; do sed -i "s|^${kv%%=*} = .*|${kv%%=*} = ${kv#*=}|" "$d/kiosk.conf"; done
	echo "$d"
}
db() { sqlite3 "$KIOSK_DATA/kiosk.db" "$1"; }
# run SCRIPT-TEXT [args...]: kiosk run on a script; stderr kept in $TMP/err. Its
# counter API listens on a port the kernel picks: no fixed port is needed or taken.
_nrun=0
run() {
	local s=$TMP/script-$((_nrun += 1)).txt
	printf '%s\n' "$1" >"$s"; shift
	timeout 300 $K --config "$C" run --headless --no-upload --api-port 0 "$@" --script "$s" 2>"$TMP/err"
	local rc=$?
	[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
	return $rc
}
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

C=$(conf main "url=")

# --- tickets served with the CLI ---------------------------------------------------
$K --config "$C" ticket --service personal-cert >/dev/null   # A001
$K --config "$C" ticket --service marital-status >/dev/null  # B001
QR=$($K --config "$C" --json ticket --service personal-cert | python3 -c 'import json,sys; print(json.load(sys.stdin)["qr"])')  # A002
$K --config "$C" ticket --service signature-cert >/dev/null  # C001: never served
for _ in 1 2 3; do $K --config "$C" call --counter 1 >/dev/null && $K --config "$C" finish --counter 1 >/dev/null; done
is "$(db "SELECT group_concat(number || ':' || state, ' ') FROM (SELECT number, state FROM tickets ORDER BY id)")" \
	"A001:done B001:done A002:done C001:waiting" "A001, B001, A002 served; C001 waits"

# --- rating by typed number, with a Thai comment ------------------------------------
run 'assert-screen attract
tap-text "ประเมินความพึงพอใจ"
assert-screen rating
assert-text "สแกนคิวอาร์โค้ดบนบัตรคิวของท่าน"
card insert somchai
assert-screen rating
tap-text "A"
tap-text "1"
assert-text "A1"
tap-text "ตกลง"
assert-text "ข้อ 1 จาก 4"
assert-text "ความพึงพอใจต่อขั้นตอนการให้บริการ"
assert-text "บัตรคิว A001"
tap-text "มากที่สุด"
assert-text "ความพึงพอใจต่อเจ้าหน้าที่ผู้ให้บริการ"
tap-text "มาก"
assert-text "ความพึงพอใจต่อสิ่งอำนวยความสะดวก"
tap-text "ปานกลาง"
assert-text "ความพึงพอใจต่อการให้บริการโดยรวม"
tap-text "มากที่สุด"
assert-text "มีข้อเสนอแนะเพิ่มเติมหรือไม่"
tap-text "ด"
tap-text "ี"
tap-text "ม"
tap-text "า"
tap-text "ก"
tap-text "เว้นวรรค"
tap-text "ข"
tap-text "อ"
tap-text "บ"
tap-text "ค"
tap-text "ุ"
tap-text "่"
assert-text "ดีมาก ขอบคุ่"
tap-text "Backspace"
tap-text "Shift"
tap-text "ณ"
tap-text "ค"
tap-text "่"
tap-text "ะ"
assert-text "ดีมาก ขอบคุณค่ะ"
assert-fits
tap-text "ส่ง"
assert-screen thanks
assert-text "ขอบคุณที่ใช้บริการ"
assert-text "ผลการประเมินไม่ระบุตัวตน"
assert-text "ความคิดเห็นของท่านจะถึงเจ้าหน้าที่ของสำนักงานนี้"
assert-fits
tap-text "กลับหน้าแรก"
assert-screen attract
exit'
is $? 0 "typed A1 on the keypad: four questions with faces, a comment on the Thai keyboard, thanks$SAR"
is "$(db "SELECT ticket, process, staff, facility, overall, comment, source, lang FROM ratings" | tr '\n' ' ')" \
	"A001|5|4|3|5|ดีมาก ขอบคุณค่ะ|typed|th " "the rating is stored: scores, the comment as typed, source typed"
is "$(db "SELECT count(*) FROM outbox o JOIN ratings r ON r.id = o.rating WHERE r.ticket = 'A001' AND o.state = 'pending'")" 1 \
	"its outbox row waits for the upload"
like "$(db "SELECT id FROM ratings WHERE ticket = 'A001'")" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "the rating has its UUID"
cols=$(db "SELECT group_concat(name) FROM pragma_table_info('ratings')")
[[ ! $cols =~ cid|name|birth|address|card ]]; ok $? "anonymous: no card column in ratings (a card inserted on the screen changed nothing): $cols"

# --- rating by the ticket's QR, as the scanner types it ------------------------------
run "tap-text \"ประเมินความพึงพอใจ\"
text \"$QR\"
key RETURN
assert-text \"บัตรคิว A002\"
assert-text \"ข้อ 1 จาก 4\"
text \"$QR\"
key RETURN
tap-text \"EN\"
assert-text \"Question 1 of 4\"
assert-text \"How satisfied are you with the steps of the service?\"
tap-text \"Very satisfied\"
tap-text \"Satisfied\"
tap-text \"Very satisfied\"
tap-text \"Very satisfied\"
assert-text \"Anything else you would like to tell us?\"
tap-text \"Skip\"
assert-screen thanks
assert-text \"Your rating is anonymous\"
assert-no-text \"Your comment\"
assert-text \"Back to the start in 8 seconds\"
wait 1
wait 1500
assert-no-text \"Back to the start in 8 seconds\"
assert-text \"Back to the start in \"
wait-screen attract 30000
exit"
is $? 0 "the scanned QR opens the questions for A002 (a second scan while answering is ignored); Skip; thanks counts down from 8 s, is still there 1.5 s later, then goes home by itself"
is "$(db "SELECT ticket || ' ' || process || staff || facility || overall || ' ' || source || ' ' || ifnull(comment, 'none') || ' ' || lang FROM ratings WHERE ticket = 'A002'")" \
	"A002 5455 qr none en" "A002 stored from the QR, no comment, answered in English"
is "$(db "SELECT count(*) FROM outbox")" 2 "two ratings, two outbox rows"

# --- refusals ------------------------------------------------------------------------
BADSIG=${QR%??}XX
run "tap-text \"ประเมินความพึงพอใจ\"
tap-text \"A\"
tap-text \"1\"
tap-text \"ตกลง\"
assert-text \"บัตรคิวนี้ให้คะแนนแล้ว ขอบคุณค่ะ\"
assert-text \"This ticket has already been rated. Thank you!\"
assert-screen rating
text \"$QR\"
key RETURN
assert-text \"บัตรคิวนี้ให้คะแนนแล้ว\"
tap-text \"C\"
tap-text \"1\"
tap-text \"ตกลง\"
assert-text \"บัตรคิวนี้ยังไม่ได้รับบริการ ให้คะแนนได้หลังรับบริการแล้ว\"
assert-fits
tap-text \"D\"
tap-text \"9\"
tap-text \"ตกลง\"
assert-text \"ไม่พบบัตรคิวนี้ของวันนี้ กรุณาตรวจสอบเลขคิวอีกครั้ง\"
tap-text \"ลบ\"
tap-text \"ลบ\"
tap-text \"ตกลง\"
assert-text \"กรุณาพิมพ์หมายเลขคิวตามบัตร เช่น A023\"
text \"hello, world\"
key RETURN
assert-text \"รหัสนี้ไม่ใช่บัตรคิวของสำนักงาน\"
assert-no-text \"สแกนแล้ว\"
text \"hello, world\"
key RETURN
assert-text \"รหัสนี้ไม่ใช่บัตรคิวของสำนักงาน\"
assert-text \"สแกนแล้ว กรุณารอสักครู่\"
assert-fits
text \"$BADSIG\"
key RETURN
assert-text \"อ่านบัตรคิวนี้ไม่ได้ กรุณาพิมพ์เลขคิวที่อยู่บนบัตรแทน\"
tap-text \"EN\"
assert-text \"We could not read this ticket. Please type the number printed on it instead.\"
assert-fits
shot $TMP/refused.png
exit"
is $? 0 "refused kindly, in Thai and English: already rated (typed and scanned), not served yet, not found, not a number, junk scan, repeated scan, forged QR$SAR"
is "$(db "SELECT count(*) FROM ratings")" 2 "no rating was added by the refusals"

# --- large text, English: the same states still fit ------------------------------------
run 'push rating comment
assert-text "Question 1 of 4"' --lang en 2>/dev/null
is "$? $(grep -c 'is not visible on screen rating' "$TMP/err")" "1 1" "the replayer can fail: a text that is not there stops the run with exit 1"
run "tap-text \"A+\"
tap-text \"Rate our service\"
text \"hello, world\"
key RETURN
text \"hello, world\"
key RETURN
assert-text \"This code is not one of our queue tickets\"
assert-fits
tap-text \"C\"
tap-text \"1\"
tap-text \"OK\"
assert-text \"This ticket has not been served yet\"
assert-fits
push rating comment
tap-text \"ด\"
tap-text \"ี\"
tap-text \"ั\"
assert-text \"This mark cannot go here\"
assert-fits
tap-text \"Send\"
assert-screen thanks
assert-text \"Your comment reaches the staff of this office.\"
assert-fits
exit" --lang en
is $? 0 "large text in English: junk scan, not served, a refused mark, thanks with a comment: every string fits$SAR"

# --- the Back button walks the steps --------------------------------------------------
$K --config "$C" ticket --service personal-cert >/dev/null  # A003
$K --config "$C" call --counter 2 --service personal-cert >/dev/null && $K --config "$C" finish --counter 2 >/dev/null
run 'tap-text "ประเมินความพึงพอใจ"
tap-text "A"
tap-text "3"
tap-text "ตกลง"
tap-text "น้อยที่สุด"
tap-text "‹ ย้อนกลับ"
assert-text "ข้อ 1 จาก 4"
tap-text "น้อย"
tap-text "น้อย"
tap-text "น้อย"
tap-text "น้อย"
tap-text "‹ ย้อนกลับ"
assert-text "ข้อ 4 จาก 4"
tap-text "ปานกลาง"
tap-text "ข้าม"
assert-screen thanks
exit'
is $? 0 "Back from question 1 after an answer, Back from the comment to question 4"
is "$(db "SELECT process || staff || facility || overall FROM ratings WHERE ticket = 'A003'")" 2223 "the answers after going back are the ones kept"

# --- admin: no PIN yet ------------------------------------------------------------------
OFFICE5='tap 100 40
tap 100 40
tap 100 40
tap 100 40
tap 100 40'
run "tap 100 40
tap 100 40
tap 100 40
tap 100 40
assert-screen attract
wait 1
wait 3100
$OFFICE5
assert-screen admin
assert-text \"ยังไม่ได้ตั้ง PIN ผู้ดูแล\"
assert-text \"kiosk admin-pin\"
assert-fits
assert-no-text \"กรุณาใส่ PIN\"
tap-text \"‹ ย้อนกลับ\"
assert-screen attract
exit"
is $? 0 "four taps on the office name do nothing; five within 3 s open admin; without a PIN file it says how to set one (no default PIN)$SAR"

# --- kiosk admin-pin -------------------------------------------------------------------
PINF=$KIOSK_DATA/admin.pin
for weak in 123456 000000 654321 121212 112233 12345 1234567890123 12a456; do
	printf '%s\n%s\n' $weak $weak | $K --config "$C" admin-pin >/dev/null 2>"$TMP/err"
	is $? 2 "admin-pin refuses $weak: $(cat "$TMP/err")"
done
printf '739146\n739164\n' | $K --config "$C" admin-pin >/dev/null 2>&1; is $? 2 "admin-pin refuses two different PINs"
printf '739146\n' | $K --config "$C" admin-pin >/dev/null 2>&1; is $? 2 "admin-pin refuses a PIN typed once"
[ ! -e "$PINF" ]; ok $? "nothing written after refusals"
printf '739146\n739146\n' | $K --config "$C" admin-pin >/dev/null 2>"$TMP/err"; is $? 0 "admin-pin sets 739146"
is "$(stat -c %a "$PINF")" 600 "the PIN file is mode 600"
like "$(cat "$PINF")" '^pbkdf2-sha256\$600000\$[0-9a-f]{32}\$[0-9a-f]{64}$' "it holds a salted PBKDF2-SHA256 hash"
grep -q 739146 "$PINF"; is $? 1 "the PIN itself is not in the file"

# --- wrong PINs lock it, across a restart ----------------------------------------------
WRONG='tap-text "1"
tap-text "1"
tap-text "1"
tap-text "2"
tap-text "2"
tap-text "2"
tap-text "ตกลง"'
run "$OFFICE5
assert-text \"กรุณาใส่ PIN\"
$WRONG
assert-text \"PIN ไม่ถูกต้อง ใส่ได้อีก 4 ครั้ง\"
assert-fits
$WRONG
$WRONG
$WRONG
assert-text \"ใส่ได้อีก 1 ครั้ง\"
$WRONG
assert-text \"ใส่ PIN ผิดเกินกำหนด ระบบล็อกไว้ชั่วคราว\"
assert-text \"ลองใหม่ได้ในอีก 5:00 นาที\"
assert-fits
assert-no-text \"ตกลง\"
exit"
is $? 0 "five wrong PINs: locked for 5 minutes, no keypad$SAR"
run "$OFFICE5
assert-text \"ใส่ PIN ผิดเกินกำหนด\"
tap-text \"EN\"
assert-text \"Try again in 5:00\"
exit"
is $? 0 "the lock survives a restart of the kiosk"
is "$($K --config "$C" --json admin-pin --status | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["set"], d["tries_left"], d["locked_until"] > 0)')" \
	"True 0 True" "admin-pin --status: set, no tries left, locked"
KIOSK_NOW=2026-11-24T10:02:30+07:00 run "$OFFICE5
assert-text \"ลองใหม่ได้ในอีก 2:30 นาที\"
exit"
is $? 0 "halfway: 2:30 left"

# --- the right PIN, after the lock --------------------------------------------------------
export KIOSK_NOW=2026-11-24T10:05:01+07:00
sqlite3 "$KIOSK_DATA/kiosk.db" "INSERT INTO notices(at, level, text_th, text_en) VALUES(1795921200, 'warning', 'เครื่องพิมพ์บัตรคิว: กระดาษหมด (usb:/dev/usb/lp0)', 'Ticket printer: out of paper (usb:/dev/usb/lp0)'); INSERT INTO notices(at, level, text_th, text_en) VALUES(1795921260, 'error', 'ชุดข้อมูลถูกปฏิเสธ 1 ชุด', 'Upload batch rejected: 400')"
mkdir -p "$TMP/usb" "$TMP/usb-bad"
# The bad stick: a file already where the export folder goes.
touch "$TMP/usb-bad/kiosk-ratings_bangkhae_2026-11-24_2026-11-24"
export KIOSK_USB_DIRS=$TMP/usb
GOOD='tap-text "7"
tap-text "3"
tap-text "9"
tap-text "1"
tap-text "4"
tap-text "6"
tap-text "ตกลง"'
run "$OFFICE5
$WRONG
assert-text \"ใส่ได้อีก 4 ครั้ง\"
$GOOD
assert-screen admin
assert-text \"ภาพรวมการให้บริการ\"
assert-text \"วันนี้\"
assert-text \"พฤศจิกายน 2569\"
assert-text \"ความพึงพอใจเฉลี่ย\"
assert-text \"เป้าหมาย: ผู้ใช้บริการ 5 จาก 300 คนต่อเดือน\"
assert-text \"สอบสวนรับรองบุคคล\"
assert-fits
shot $TMP/admin-overview.png
tap-text \"แจ้งเตือน (2)\"
assert-text \"เครื่องพิมพ์บัตรคิว: กระดาษหมด\"
assert-text \"ชุดข้อมูลถูกปฏิเสธ 1 ชุด\"
assert-fits
tap-text \"แก้ไขแล้ว\"
assert-no-text \"เครื่องพิมพ์บัตรคิว: กระดาษหมด\"
assert-text \"ชุดข้อมูลถูกปฏิเสธ 1 ชุด\"
tap-text \"ระบบ\"
assert-text \"ยังไม่ได้ตั้งค่า\"
assert-text \"ไม่ได้ต่อเครื่องพิมพ์\"
assert-text \"รอส่ง 3 รายการ\"
assert-fits
tap-text \"ส่งออก\"
assert-text \"$TMP/usb\"
tap-text \"วันนี้\"
tap-text \"บันทึกลงแฟลชไดรฟ์\"
assert-text \"บันทึกผลประเมิน 3 รายการ\"
assert-text \"ถอดแฟลชไดรฟ์ได้\"
assert-fits
tap-text \"ออกจากโปรแกรม\"
assert-text \"never reached\""
is $? 0 "wrong then right PIN: overview, notices (one resolved), system, export; Quit kiosk ends run with 0$SAR"
is "$(db "SELECT group_concat(resolved) FROM (SELECT resolved FROM notices ORDER BY id)")" "1,0" "the resolved notice is marked in the store, the other stays"
X=$TMP/usb/kiosk-ratings_bangkhae_2026-11-24_2026-11-24
ls "$X"/ratings.csv "$X"/ratings.json "$X"/SHA256SUMS >/dev/null 2>&1; ok $? "the export wrote CSV, JSON and SHA256SUMS to the drive"
(cd "$X" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1; ok $? "sha256sum -c verifies the export"
is "$(($(wc -l <"$X/ratings.csv") - 1))" 3 "the CSV has the three ratings of today"
grep -q "ดีมาก ขอบคุณค่ะ" "$X/ratings.csv"; ok $? "the Thai comment is in the CSV for staff"

export KIOSK_USB_DIRS=$TMP/usb-bad
run "$OFFICE5
$GOOD
tap-text \"ส่งออก\"
tap-text \"บันทึกลงแฟลชไดรฟ์\"
assert-text \"บันทึกไม่สำเร็จ\"
tap-text \"EN\"
assert-text \"Not saved\"
exit"
is $? 0 "an export that cannot be written says so"
unset KIOSK_USB_DIRS
run "$OFFICE5
$GOOD
tap-text \"ส่งออก\"
assert-text \"ไม่พบแฟลชไดรฟ์\"
tap-text \"‹ ย้อนกลับ\"
assert-screen attract
$OFFICE5
assert-text \"กรุณาใส่ PIN\"
exit"
is $? 0 "no drive: it says so; leaving admin ends the session (the PIN is asked again)"
run "$OFFICE5
$GOOD
assert-text \"ภาพรวม\"
wait-text \"ยังใช้งานอยู่หรือไม่\" 30000
wait-screen attract 30000
$OFFICE5
assert-text \"กรุณาใส่ PIN\"
exit" --idle 2 --countdown 5
is $? 0 "the admin session times out with the idle question like any visitor's"

# --- kiosk run serves the counter API ------------------------------------------------------
# On a port the kernel picks (--api-port 0; --trace says which, as `kiosk serve` does).
CA=$(conf api "url=")
$K --config "$CA" run --headless --no-upload --api-port 0 --trace 2>"$TMP/api-err" &
RP=$!; at_exit "kill $RP"
wait_grep "$TMP/api-err" '^serving http://'
P=$(serving_port "$TMP/api-err")
got=$(curl -s --max-time 30 "http://127.0.0.1:$P/api/queue")
like "$got" '"waiting":\[' "GET /api/queue answers while kiosk run runs (on the port it says it serves: $P)"
kill -TERM $RP; wait $RP; is $? 0 "kiosk run with the API stops on SIGTERM with 0"
# The configured port, taken by a `kiosk serve` (on a port it picked itself).
$K --config "$CA" serve --port 0 >"$TMP/serve-out" 2>&1 &
SP=$!; at_exit "kill $SP"
wait_grep "$TMP/serve-out" '^serving http://'
BUSY=$(serving_port "$TMP/serve-out")
CB=$(conf busy "port=$BUSY" "url=")
$K --config "$CB" run --headless --no-upload --exit-after 0 2>"$TMP/api-err"; is $? 0 "port already in use: the kiosk still runs"
is "$(grep -c "warning: counter API not started on 127.0.0.1:$BUSY" "$TMP/api-err")" 1 "... with one warning line on stderr, naming the configured port"
kill $SP; wait $SP 2>/dev/null
CU=$(conf upl "url=http://127.0.0.1:9/ratings")
$K --config "$CU" run --headless --api-port 0 --exit-after 1 2>"$TMP/err"; is $? 0 "with an upload URL (and no token file) the kiosk runs"
is "$(grep -c . "$TMP/err")" 0 "... quietly: the upload worker reports to the admin screen, not stderr"

# --- shots: every state, both languages, large text, portrait and landscape ------------------
for size in 1080x1920 1920x1080; do
	for lang in th en; do
		for large in "" --large; do
			for sv in rating:- rating:questions rating:comment thanks:- admin:- admin:overview admin:notices admin:system admin:export; do
				scr=${sv%%:*} arg=${sv#*:}
				args=(--screen "$scr"); [ "$arg" != - ] && args+=(--service "$arg")
				j=$($K --config "$C" --json shot "${args[@]}" --lang $lang --size $size $large --out "$TMP/shot.png" 2>"$TMP/err")
				r=$?
				is "$r $(texts_ok "$j")" "0 ok" "shot $scr ${arg/-/} $size $lang ${large:-normal}: every string fits$SAR"
			done
		done
	done
done
$K --config "$C" shot --screen admin --out "$TMP/a.png" >/dev/null 2>&1; is $? 0 "shot admin without a tab: the PIN pad (no figures without the PIN)"
$K --config "$C" shot --screen rating --service nosuch --out "$TMP/a.png" 2>/dev/null; is $? 2 "shot rating with an unknown step: exit 2"
done_testing
