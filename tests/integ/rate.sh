#!/usr/bin/env bash
# Rating through the CLI as the rating screen does: the ticket's own QR code
# (also as a scanner on a Thai-layout machine types it), typed numbers,
# forged, foreign and stale codes, once per ticket, only after service.
. "$(dirname "$0")/lib.sh"

export KIOSK_NOW=2026-11-24T10:00:00+07:00
serve() { # serve SERVICE -> prints the ticket's QR payload; the ticket ends served
	local j; j=$("$K" ticket --service "$1" --json)
	"$K" call --counter 1 >/dev/null && "$K" finish --counter 1 >/dev/null
	jq_ "$j" 'd["qr"]'
}
qr=$(serve personal-cert)
like "$qr" "^https://.*n=A001&s=[A-Z2-7]{10}$" "the ticket carries a signed QR payload"
out=$("$K" rate --scan "$qr" --scores 5,5,4,5 --json); rc=$?
is "$rc" 0 "rating by scanning the ticket's QR: exit 0"
is "$(jq_ "$out" 'd["ticket"]')" A001 "for ticket A001"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT source FROM ratings")" qr "recorded as scanned"
"$K" rate --scan "$qr" --scores 1,1,1,1 >/dev/null 2>"$TMP/err"
is $? 1 "the same ticket again: exit 1"
like "$(cat "$TMP/err")" "ให้คะแนนแล้ว.*already been rated" "a kind bilingual message"

qr2=$(serve marital-status)
forged=${qr2%?}$([ "${qr2: -1}" = A ] && echo B || echo A)
"$K" rate --scan "$forged" --scores 5,5,5,5 >/dev/null 2>"$TMP/err"
is $? 1 "a QR with an altered signature is refused"
like "$(cat "$TMP/err")" "type the number printed on it" "and the citizen is told to type the number"
thai=$(python3 - "$qr2" <<'PY'
import sys
us = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
us_s = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
th = "_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
th_s = "%+๑๒๓๔ู฿๕๖๗๘๙๐\"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ"
m = dict(zip(us, th)); m.update(zip(us_s, th_s))
print("".join(m.get(c, c) for c in sys.argv[1]))
PY
)
like "$thai" "^้ะะยหซฝฝ" "the same QR as a wedge types it with the Thai layout on (้ะะยหซฝฝ...)"
"$K" rate --scan "$thai" --scores 4,4,4,4 >/dev/null 2>"$TMP/err"
is $? 0 "is decoded back and accepted"

"$K" ticket --service signature-cert >/dev/null
"$K" rate --scan c1 --scores 3,3,3,3 >/dev/null 2>"$TMP/err"
is $? 1 "a ticket not yet served cannot be rated"
like "$(cat "$TMP/err")" "ยังไม่ได้รับบริการ.*not been served" "says so"
"$K" call --counter 1 >/dev/null; "$K" finish --counter 1 >/dev/null
is "$("$K" rate --scan " c1 " --scores 3,3,3,3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["ticket"])')" C001 "a typed number (' c1 ') once served"
"$K" rate --scan "https://example.com/" --scores 3,3,3,3 >/dev/null 2>"$TMP/err"
is $? 1 "some other QR code is refused"
like "$(cat "$TMP/err")" "not one of our queue tickets" "kindly"
qr4=$(serve personal-cert)
KIOSK_NOW=2026-11-25T09:00:00+07:00 "$K" rate --scan "$qr4" --scores 3,3,3,3 >/dev/null 2>"$TMP/err"
is $? 1 "yesterday's ticket cannot be rated today"
like "$(cat "$TMP/err")" "not from today" "says so"
"$K" rate --ticket A002 --scores 6,1,1,1 >/dev/null 2>&1
is $? 2 "a score of 6 is a usage error"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM ratings") $(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*) FROM outbox")" "3 3" \
	"three ratings, each with its outbox row"
done_testing
