#!/usr/bin/env bash
# The Thai ID card on the touchscreen and in `kiosk ticket --with-card`, through the real
# stack: a private pcscd + vpcd, the virtual card program (tests/tools/vcard.py) started
# and stopped by the script's `card insert PROFILE` / `card remove`, the watcher thread,
# the screens. Greeting by name, priority by age, a minor's documents, the expired-card
# notice, pulling the card (back to the start, holder zeroed), the idle time-out, a card
# that cannot be read, no pcscd at all; then a memory dump of the running kiosk after the
# card left (gcore) and the data folder, logs and stderr searched for the card's data.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tools/pcsc-env.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T09:41:00+07:00
PY=$(command -v /usr/bin/python3 || command -v python3)
VCARD=$ROOT/tests/tools/vcard.py
PW=$ROOT/$BUILD/tools/pcsc_wait
R0="Virtual PCD 00 00"
SHOTS=${CARD_SHOTS:-$TMP/shots} # CARD_SHOTS=DIR keeps the screenshots
mkdir -p "$SHOTS"

# A configuration whose personal-cert lists a minor's and an adult's document (the
# shipped catalogue has no age-dependent document: no published source gives one).
C=$TMP/conf
mkdir -p "$C"
cp "$ROOT"/config/* "$C"/
"$PY" - "$C/services.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
s = next(x for x in d["services"] if x["id"] == "personal-cert")
s["documents"].insert(3, {
    "name": {"th": "หนังสือให้ความยินยอมของผู้แทนโดยชอบธรรม", "en": "Written consent of a parent or guardian"},
    "issuer": {"th": "ผู้แทนโดยชอบธรรม", "en": "Parent or guardian"},
    "originals": 1, "copies": 0, "unit": {"th": "ฉบับ", "en": "copy"}, "applies": "minor"})
for doc in s["documents"]:
    if doc["name"]["en"] == "Copy of marriage certificate":
        doc["applies"] = "adult"
json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
export KIOSK_CONFIG=$C
"$K" check-config >/dev/null 2>&1
ok $? "test configuration with a minor's and an adult's document is valid"

pcsc_env_start "$TMP/pcsc" || { ok 1 "private pcscd with vpcd starts"; done_testing; exit 1; }
at_exit pcsc_env_stop

# ui NAME [KIOSK RUN ARGS...] < SCRIPT: runs the kiosk headless on the script; $rc, $err
ui() {
	local name=$1; shift
	cat >"$TMP/$name.txt"
	"$K" run --headless --no-api --no-upload --trace --script "$TMP/$name.txt" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	err=$(cat "$TMP/$name.err")
	[ $rc -eq 0 ] || sed 's/^/#   /' "$TMP/$name.err"
	"$PW" empty "$R0" $((WAIT_LIMIT * 1000)) >/dev/null 2>&1 # the next card must not meet this one's removal
}
qj() { "$K" --json queue | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# --- 65 years old: greeting, priority by age, removal ---------------------------------------
export KIOSK_DATA=$TMP/d1
ui elder <<S
assert-screen attract
card insert elder-65
wait-screen services 30000
wait-text "สวัสดี คุณบุญเรือน" 30000
assert-text "ท่านจะได้รับคิวพิเศษสำหรับผู้สูงอายุ"
assert-no-text "ทองคำ"
assert-no-text "หมดอายุ"
shot $SHOTS/services-greeting-th.png
tap-text "EN"
assert-text "Hello, Mrs. Boonruean"
assert-text "You will get a priority ticket for older persons"
shot $SHOTS/services-greeting-en.png
tap-text "ไทย"
tap-text "สอบสวนรับรองบุคคล"
assert-screen checklist
assert-text "คิวพิเศษสำหรับผู้สูงอายุ"
assert-no-text "รับบัตรคิวพิเศษ"
assert-text "แสดงเอกสารสำหรับผู้ถือบัตร"
drag 540 1300 540 400
assert-no-text "หนังสือให้ความยินยอมของผู้แทนโดยชอบธรรม"
assert-text "สำเนาทะเบียนสมรส"
tap-text "รับบัตรคิว"
assert-screen ticket
assert-text "A001"
assert-text "คิวพิเศษสำหรับผู้สูงอายุ"
assert-text "ตามอายุในบัตรประจำตัวประชาชน"
card remove
assert-screen ticket
assert-text "A001"
tap-text "เสร็จสิ้น"
assert-screen attract
exit
S
is "$rc" 0 "65: greeted by first name on the services screen (no last name), priority line, the checklist's ticket button says คิวพิเศษสำหรับผู้สูงอายุ, the ticket screen too; the ticket stays after the card is pulled"
is "$(qj '[t for s in d["waiting"] for t in [s["count"], s["priority"]] if s["service"]=="personal-cert"]')" "[1, 1]" \
	"65: the ticket in the queue is a priority ticket"
like "$err" "card: read" "trace: the card was read"
like "$err" "card: wiped holder_zero=1" "pulled on the ticket screen: the holder is zeroed at once"

# --- 15 years old: a minor's documents --------------------------------------------------------
export KIOSK_DATA=$TMP/d2
ui minor <<S
card insert minor-15
wait-screen services 30000
wait-text "สวัสดี คุณภูมิพัฒน์" 30000
assert-no-text "ท่านจะได้รับคิวพิเศษ"
tap-text "สอบสวนรับรองบุคคล"
assert-text "แสดงเอกสารสำหรับผู้ถือบัตร"
drag 540 1300 540 500
assert-text "หนังสือให้ความยินยอมของผู้แทนโดยชอบธรรม"
assert-no-text "สำเนาทะเบียนสมรส"
assert-no-text "กรณีผู้เยาว์"
assert-text "รับบัตรคิวพิเศษ"
shot $SHOTS/checklist-minor-th.png
tap-text "EN"
drag 540 500 540 1700
assert-text "Showing the documents for the card holder"
drag 540 1300 540 500
assert-text "Written consent of a parent or guardian"
assert-no-text "Copy of marriage certificate"
shot $SHOTS/checklist-minor-en.png
tap-text "ไทย"
card remove
wait-screen attract 30000
assert-no-text "ภูมิพัฒน์"
exit
S
is "$rc" 0 "15: the checklist shows the minor's document, hides the adult's, says it is filtered (TH and EN); the tap-only priority button stays; pulled: back to the attract screen"
like "$err" "card: wiped holder_zero=1" "15: pulled on the checklist: holder zeroed"
ok $([ -s "$SHOTS/checklist-minor-th.png" ] && [ -s "$SHOTS/checklist-minor-en.png" ] && echo 0 || echo 1) \
	"screenshots of the minor's checklist (TH, EN) and the greeting (TH, EN) written"

# --- no card: every document, with its condition ---------------------------------------------
export KIOSK_DATA=$TMP/d3
ui nocard <<S
tap 540 1500
tap-text "สอบสวนรับรองบุคคล"
drag 540 1300 540 400
assert-text "หนังสือให้ความยินยอมของผู้แทนโดยชอบธรรม"
assert-text "กรณีผู้เยาว์ (อายุต่ำกว่า 20 ปี)"
assert-text "สำเนาทะเบียนสมรส"
assert-no-text "แสดงเอกสารสำหรับผู้ถือบัตร"
assert-text "รับบัตรคิวพิเศษ"
exit
S
is "$rc" 0 "no card: every document with its condition (กรณีผู้เยาว์ ...), no filter note, the priority button"

# --- expired card: said kindly, never blocks -------------------------------------------------
export KIOSK_DATA=$TMP/d4
ui expired <<S
card insert expired
wait-screen services 30000
wait-text "สวัสดี คุณประเสริฐ" 30000
assert-text "บัตรประจำตัวประชาชนของท่านหมดอายุแล้ว กรุณาติดต่อฝ่ายทะเบียนเพื่อทำบัตรใหม่ ท่านยังรับบัตรคิวได้"
tap-text "EN"
assert-text "Your ID card has expired. Please contact the Registration Section for a new card. You can still take a queue ticket."
tap-text "ไทย"
tap-text "สอบสวนรับรองบุคคล"
assert-text "บัตรประจำตัวประชาชนของท่านหมดอายุแล้ว"
tap-text "รับบัตรคิว"
assert-screen ticket
assert-text "A001"
assert-no-text "คิวพิเศษ"
tap-text "เสร็จสิ้น"
card remove
exit
S
is "$rc" 0 "expired card: the kind notice (TH/EN) on the services and checklist screens; a normal ticket is still issued"

# --- a card inserted on a deeper screen ---------------------------------------------------------
export KIOSK_DATA=$TMP/d5
ui deeper <<S
tap 540 1500
tap-text "สอบสวนรับรองบุคคล"
assert-text "รับบัตรคิวพิเศษ"
card insert somchai
wait-text "สวัสดี คุณสมชาย" 30000
assert-screen checklist
assert-text "คิวพิเศษสำหรับผู้สูงอายุ"
assert-no-text "รับบัตรคิวพิเศษ"
wait 8000
assert-no-text "สวัสดี คุณสมชาย"
assert-screen checklist
card remove
wait-screen attract 30000
exit
S
is "$rc" 0 "inserted on the checklist: stays there, a greeting banner for 5 s, priority applied; pulled: attract"

# --- a card that cannot be read ---------------------------------------------------------------
export KIOSK_DATA=$TMP/d6
ui unreadable <<S
card insert "somchai --fault garbage@2"
wait-text "กรุณาเสียบบัตรใหม่อีกครั้ง" 30000
assert-text "please insert the card again"
assert-screen attract
tap 540 768
assert-no-text "กรุณาเสียบบัตรใหม่อีกครั้ง"
assert-screen attract
card remove
assert-screen attract
tap 540 1500
assert-screen services
assert-no-text "สวัสดี"
exit
S
is "$rc" 0 "unreadable card: a kind message in Thai and English, closed by a tap on it (nothing under it pressed), the kiosk stays usable by touch"
like "$err" "card: error fail=2" "trace: the read failed (unreadable)"

# --- idle time-out with the card still in -----------------------------------------------------
export KIOSK_DATA=$TMP/d7
ui idle --idle 2 --countdown 1 <<S
card insert adult-30
wait-screen services 30000
wait-text "สวัสดี คุณปิยะนุช" 30000
wait-text "ยังใช้งานอยู่หรือไม่" 30000
wait-screen attract 30000
assert-no-text "ปิยะนุช"
card remove
assert-screen attract
exit
S
is "$rc" 0 "idle time-out with the card in: the question, then back to the attract screen"
like "$err" "card: wiped holder_zero=1" "idle time-out: holder zeroed"
is "$(grep -c 'wiped' "$TMP/idle.err")" 1 "... once (the later removal has nothing left to wipe)"

# --- no pcscd: touch only, nothing said to the visitor ---------------------------------------
export KIOSK_DATA=$TMP/d8
PCSCLITE_CSOCK_NAME=$TMP/no-such.comm ui nopcscd <<S
wait 1200
tap 540 1500
assert-screen services
assert-no-text "บัตร ไม่"
assert-no-text "กรุณาเสียบบัตร"
exit
S
is "$rc" 0 "no pcscd: the kiosk works by touch"
is "$(grep -v '^card: readers 0$\|^first-frame \|^frame-stats \|^sdl-mem ' "$TMP/nopcscd.err")" "" "no pcscd: no error printed (trace: readers 0 at most)"

# --- staff see the reader's state on the admin screen -----------------------------------------
export KIOSK_DATA=$TMP/d10
mkdir -p "$KIOSK_DATA"
printf '739146\n739146\n' | "$K" admin-pin >/dev/null 2>&1
ADMIN='tap 100 40
tap 100 40
tap 100 40
tap 100 40
tap 100 40
tap-text "7"
tap-text "3"
tap-text "9"
tap-text "1"
tap-text "4"
tap-text "6"
tap-text "ตกลง"
assert-screen admin
tap-text "ระบบ"'
ui admin <<S
$ADMIN
assert-text "เครื่องอ่านบัตรประชาชน"
wait-text "พร้อมใช้งาน (2 เครื่อง)" 30000
exit
S
is "$rc" 0 "admin, system: the ID card reader is ready (2 readers: the vpcd slots)"
PCSCLITE_CSOCK_NAME=$TMP/no-such.comm ui admin2 <<S
$ADMIN
wait-text "ไม่พบเครื่องอ่านบัตร (ใช้งานแบบแตะหน้าจอได้ตามปกติ)" 30000
exit
S
is "$rc" 0 "admin, system, no pcscd: no reader found, the kiosk works by touch"

# --- the memory of the running kiosk after the card left --------------------------------------
export KIOSK_DATA=$TMP/d9
cat >"$TMP/mem.txt" <<S
card insert somchai
wait-screen services 30000
wait-text "สวัสดี คุณ" 30000
tap-text "EN"
wait-text "Hello, " 30000
tap-text "ไทย"
tap-text "สอบสวนรับรองบุคคล"
card remove
wait-screen attract 30000
shot $TMP/after-wipe.png
wait 15000
exit
S
"$K" run --headless --no-api --no-upload --trace --script "$TMP/mem.txt" >/dev/null 2>"$TMP/mem.err" &
kp=$!
at_exit "kill $kp"
# card remove returns once the removal is handled (wiped); the shot is a whole frame drawn
# after it; then the dump, while the script waits.
wait_grep -t 60 "$TMP/mem.err" wiped
wait_file -t 60 "$TMP/after-wipe.png"
if command -v gcore >/dev/null && gcore -o "$TMP/core" "$kp" >/dev/null 2>&1; then
	core=$(ls "$TMP"/core.* | head -1)
	found=$("$PY" - "$core" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
hits = []
for s in ["1101700230708", "สมชาย", "ใจดี", "Somchai", "Jaidee", "ซอยเพชรเกษม 69"]:
    for enc in ("utf-8", "cp874", "utf-16-le", "utf-32-le"):
        try:
            b = s.encode(enc)
        except UnicodeEncodeError:
            continue
        if b in d:
            hits.append(f"{s} ({enc})")
print(", ".join(sorted(set(hits))))
PY
)
	is "$found" "" "memory dump of the kiosk after the card left: no citizen ID, name or address (UTF-8, CP874, UTF-16/32)"
	rm -f "$TMP"/core.*
else
	ok 0 "# SKIP gcore not available (ptrace not allowed?)"
fi
wait $kp
is "$?" 0 "... and that kiosk ran its script to the end"

# --- valgrind over a card visit: the watcher thread, banners, wipe ----------------------------
if command -v valgrind >/dev/null; then
	export KIOSK_DATA=$TMP/d11
	cat >"$TMP/vg.txt" <<S
card insert elder-65
wait-screen services 60000
wait-text "สวัสดี คุณ" 30000
tap-text "สอบสวนรับรองบุคคล"
tap-text "รับบัตรคิว"
card remove
tap-text "เสร็จสิ้น"
card insert "somchai --fault garbage@2"
wait-text "กรุณาเสียบบัตรใหม่อีกครั้ง" 30000
card remove
exit
S
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --suppressions="$ROOT/tests/valgrind.supp" \
		"$K" run --headless --no-api --no-upload --script "$TMP/vg.txt" >/dev/null 2>"$TMP/vg.log"
	rc=$?
	is "$rc" 0 "valgrind clean over a card read, a ticket, a removal and an unreadable card"
	[ "$rc" -ne 0 ] && sed 's/^/# /' "$TMP/vg.log" | head -30
	"$PW" empty "$R0" $((WAIT_LIMIT * 1000)) >/dev/null 2>&1
else
	ok 0 "# SKIP valgrind not installed"
fi

# --- kiosk ticket --with-card ---------------------------------------------------------------
export KIOSK_DATA=$TMP/cli
vpid=
start_card() { "$PY" "$VCARD" --port "$VPCD_PORT" "$@" 2>>"$TMP/vcard.log" & vpid=$!; }
stop_card() {
	[ -n "$vpid" ] && { kill "$vpid" 2>/dev/null; wait "$vpid" 2>/dev/null; }
	vpid=
	"$PW" empty "$R0" $((WAIT_LIMIT * 1000)) >/dev/null 2>&1
}
at_exit stop_card
tk() { out=$("$K" "$@" 2>"$TMP/tk.err"); rc=$?; err=$(cat "$TMP/tk.err"); cat "$TMP/tk.err" >>"$TMP/tk.all"; }
py() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$out" "$1"; }

start_card --profile elder-70
tk --json ticket --service personal-cert --with-card --wait $WAIT_LIMIT
stop_card
is "$rc" 0 "--with-card, 70 years old: exit 0"
is "$(py 'd["priority"], d.get("priority_reason")')" "(True, 'age')" "70: priority true, priority_reason age"
is "$(py 'd["number"]')" "A001" "70: issued A001"

start_card --profile adult-30
tk --json ticket --service personal-cert --with-card --wait $WAIT_LIMIT
stop_card
is "$rc" 0 "--with-card, 30 years old: exit 0"
is "$(py 'd["priority"], "priority_reason" in d')" "(False, False)" "30: a normal ticket, no priority_reason"

start_card --profile adult-30
tk --json ticket --service personal-cert --with-card --priority --wait $WAIT_LIMIT
stop_card
is "$(py 'd["priority"], "priority_reason" in d')" "(True, False)" "30 with --priority: priority, but not for age"

start_card --profile elder-65
tk ticket --service marital-status --with-card --wait $WAIT_LIMIT
stop_card
like "$out" "^B001 .*คิวพิเศษสำหรับผู้สูงอายุ" "text output: the ticket says คิวพิเศษสำหรับผู้สูงอายุ"

start_card --profile expired
tk --json ticket --service personal-cert --with-card --wait $WAIT_LIMIT
stop_card
is "$rc" 0 "expired card: the ticket is still issued"
like "$err" "หมดอายุ" "... and stderr says kindly that the card expired"

before=$(qj 'sum(s["count"] for s in d["waiting"])')
tk --json ticket --service personal-cert --with-card --wait 1
is "$rc" 3 "no card within --wait 1: exit 3"
is "$out" "" "... nothing on stdout"
like "$err" "no ticket issued" "... says no ticket was issued"
start_card --profile somchai --fault garbage@2
tk --json ticket --service personal-cert --with-card --wait $WAIT_LIMIT
stop_card
is "$rc" 4 "malformed card: exit 4"
is "$out" "" "... nothing on stdout"
like "$err" "no ticket issued.*please insert the card again" "... says so, and to insert the card again"
is "$(qj 'sum(s["count"] for s in d["waiting"])')" "$before" "exit 3 and 4 issued nothing"
tk ticket --service personal-cert --wait $WAIT_LIMIT
is "$rc" 2 "--wait without --with-card: usage error"
PCSCLITE_CSOCK_NAME=$TMP/no-such.comm tk --json ticket --service personal-cert --with-card --wait 0
is "$rc" 3 "no pcscd: exit 3"
tk --json ticket --service no-such --with-card --wait $WAIT_LIMIT
is "$rc" 2 "unknown service: exit 2 before waiting for a card"

# --- nothing of the cards anywhere on disk or in the output -----------------------------------
cids=$("$PY" - <<'PY'
import json
ps = json.load(open("tests/tools/vcard-profiles.json", encoding="utf-8"))
def cid(v):
    if v.startswith("auto:"):
        d = v[5:]; return d + str((11 - sum(int(d[i]) * (13 - i) for i in range(12)) % 11) % 10)
    return v
for p in ("elder-65", "elder-70", "minor-15", "adult-30", "expired", "somchai"):
    print(cid(ps[p]["cid"]))
    for part in ps[p]["name_th"].split("#")[1:] + ps[p]["name_en"].split("#")[1:]:
        if part: print(part)
    # House number and moo as on the card (the kiosk never shows them joined by #).
    # Not the number alone with its #: "1#" and "7#" are two bytes, which a WAL's
    # random salts and checksums hold now and then (a false leak in about 1 run in 3).
    print("#".join(ps[p]["address"].split("#")[:2]) + "#")
    for part in ps[p]["address"].split("#")[3:5]:
        if part: print(part)
PY
)
pats=()
while IFS= read -r l; do [ -n "$l" ] && pats+=(-e "$l"); done <<<"$cids"
leaks=$(LC_ALL=C grep -rlaF "${pats[@]}" "$TMP" --exclude='*.txt' --exclude='*.png' --exclude='services.json' \
	--exclude='vcard*' 2>/dev/null | grep -v "/pcsc/")
is "$leaks" "" "no citizen ID, name or address in the data folders (kiosk.db, WAL), logs, stdout or stderr"
done_testing
