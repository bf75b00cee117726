#!/usr/bin/env bash
# `kiosk card` end to end: a private pcscd with vpcd (tests/tools/pcsc-env.sh), the virtual
# Thai ID card (tests/tools/vcard.py) and the real binary. Every profile, masked and revealed;
# exit 3 (no service, no reader, no card in time, wrong reader); exit 4 (malformed replies,
# not a Thai card, the card pulled after each APDU in turn) with nothing of the card printed;
# and at the end no trace of any card in the data folder or the logs.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tools/pcsc-env.sh"

export KIOSK_NOW=2026-11-24T10:00:00+07:00
# Debian's python3 directly: a pyenv shim in PATH costs about a second per start.
PY=$(command -v /usr/bin/python3 || command -v python3)
VCARD=$ROOT/tests/tools/vcard.py
PW=$ROOT/$BUILD/tools/pcsc_wait
R0="Virtual PCD 00 00"
R1="Virtual PCD 00 01"
# --wait for every read that is not about the wait itself: a deadline, never reached when
# things work (a read returns as soon as the card is read or fails).
CW=${WAIT_LIMIT:-30}
CWMS=$((CW * 1000))
vpid=

stop_card() { # the card program, if still running, leaves; pcscd must notice before the next
	if [ -n "$vpid" ]; then
		kill "$vpid" 2>/dev/null
		wait "$vpid" 2>/dev/null
	fi
	vpid=
	"$PW" empty "$R0" $CWMS && "$PW" empty "$R1" $CWMS && return 0
	echo "# pcscd did not notice the card leaving within $CW s"
	return 1
}
start_card() { # start_card [--slot2] VCARD-ARGS...
	local port=$VPCD_PORT
	if [ "$1" = --slot2 ]; then port=$VPCD_PORT2; shift; fi
	"$PY" "$VCARD" --port "$port" "$@" 2>>"$TMP/vcard.log" &
	vpid=$!
}
# kiosk_card ARGS...: runs `kiosk card`; sets $out (stdout), $err (stderr), $rc, $ms
kiosk_card() {
	local t0=$(date +%s%N)
	out=$("$K" card "$@" 2>"$TMP/err")
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	err=$(cat "$TMP/err")
}
# read_profile PROFILE [KIOSK ARGS...]: insert, read with --json --wait $CW, pull
read_profile() {
	local p=$1
	shift
	start_card --profile "$p"
	kiosk_card --json --wait $CW "$@"
	stop_card
}
# has_socket PID: the process holds a socket (kiosk card: its connection to pcscd)
has_socket() { find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | grep -q .; }
# py EXPR: evaluates EXPR on the JSON in $out (as d); prints the result
py() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$out" "$1"; }
at_exit 'stop_card'

# --- exit 3 without a service or a reader ---------------------------------------------
PCSCLITE_CSOCK_NAME=$TMP/no-such.comm kiosk_card --json --wait 0
is "$rc" 3 "no pcscd: exit 3"
like "$err" "not running" "no pcscd: says the PC/SC service is not running"
is "$out" "" "no pcscd: nothing on stdout"

if ! pcsc_env_start "$TMP/pcsc-empty" empty; then
	ok 1 "private pcscd (no readers) starts"
	done_testing
	exit 1
fi
kiosk_card --json --wait 1
is "$rc" 3 "pcscd without readers: exit 3"
like "$err" "no card reader" "... says there is no card reader"
pcsc_env_stop

# --- the virtual reader -------------------------------------------------------------
pcsc_env_start "$TMP/pcsc" || { ok 1 "private pcscd with vpcd starts"; done_testing; exit 1; }
at_exit pcsc_env_stop
ok 0 "private pcscd with vpcd starts (port $VPCD_PORT)"
is "$("$PW" list | tr '\n' '|')" "$R0|$R1|" "readers: two vpcd slots"

kiosk_card --json --wait 1
is "$rc" 3 "no card within --wait 1: exit 3"
ok $((ms >= 950 ? 0 : 1)) "... not before the second was up"
echo "# no card within --wait 1: gave up after $ms ms"
like "$err" "no card in" "... says no card"
is "$out" "" "... nothing on stdout"
kiosk_card --reader "No Such Reader" --wait 0
is "$rc" 3 "unknown --reader: exit 3"
like "$err" "no card reader named 'No Such Reader'" "... names the reader"
kiosk_card --wait abc
is "$rc" 2 "--wait abc: usage error"

# --- every profile -------------------------------------------------------------------
read_profile somchai --reveal
is "$rc" 0 "somchai: exit 0"
is "$(py "d['cid'], d['cid_valid']")" "('1101700230708', True)" "somchai: citizen ID revealed, valid"
is "$(py "d['name_th'] == {'prefix':'นาย','first':'สมชาย','middle':'','last':'ใจดี'}")" True "somchai: Thai name slots, empty middle"
is "$(py "d['name_en'] == {'prefix':'Mr.','first':'Somchai','middle':'','last':'Jaidee'}")" True "somchai: English name slots"
is "$(py "d['birth_date'], d['age'], d['gender']")" "('1965-07-14', 61, 'male')" "somchai: born 1965-07-14 (BE 2508), 61, male"
is "$(py "d['issuer']")" "ท้องถิ่นเขตบางแค/กรุงเทพมหานคร" "somchai: issuer in Thai"
is "$(py "d['issue_date'], d['expire_date'], d['lifelong'], d['expired']")" "('2022-03-01', None, True, False)" "somchai: lifelong card (99999999): expire_date null"
is "$(py "d['address'] == {'house_no':'99/1','moo':'หมู่ที่ 4','trok':'','soi':'ซอยเพชรเกษม 69','road':'ถนนเพชรเกษม','subdistrict':'แขวงหลักสอง','district':'เขตบางแค','province':'กรุงเทพมหานคร','full':'99/1 หมู่ที่ 4 ซอยเพชรเกษม 69 ถนนเพชรเกษม แขวงหลักสอง เขตบางแค กรุงเทพมหานคร'}")" True "somchai: the 8 address slots and the full line"
is "$(py "d['reader']")" "$R0" "somchai: the reader is named"
is "$(printf '%s\n' "$out" | wc -l)" 1 "--json: exactly one line on stdout"

read_profile somchai
is "$rc" 0 "somchai masked: exit 0"
is "$(py "d['cid']")" "1-1017-xxxxx-xx-8" "default: citizen ID masked 1-1017-xxxxx-xx-8"
[[ $out != *1101700230708* ]]
ok $? "default: the full citizen ID appears nowhere in the JSON"
start_card --profile somchai
kiosk_card --wait $CW
stop_card
is "$rc" 0 "text output: exit 0"
like "$out" "citizen ID: +1-1017-xxxxx-xx-8" "text output: masked citizen ID"
like "$out" "name \(th\): +นาย สมชาย ใจดี" "text output: Thai name"
[[ $out != *1101700230708* ]]
ok $? "text output: the full citizen ID appears nowhere"

read_profile malee --reveal
is "$rc" 0 "malee: exit 0"
is "$(py "d['cid'], d['cid_valid'], d['gender']")" "('3100500123458', True, 'female')" "malee: ID, female"
is "$(py "d['name_th']['middle'], d['name_en']['middle']")" "('ศรี', 'Sri')" "malee: middle names in both languages"
is "$(py "d['birth_date'], d['age']")" "('2000-02-29', 26)" "malee: born 29 Feb 2000 (BE 2543, a leap year)"
is "$(py "d['expire_date'], d['lifelong'], d['expired']")" "('2030-02-28', False, False)" "malee: dated card, not expired"
is "$(py "d['address']['trok'], d['address']['province']")" "('ตรอกวัดใหม่', 'จังหวัดสมุทรสาคร')" "malee: trok and province"
is "$(py "d['reader']")" "$R0" "malee: reader"

read_profile year-only --reveal
is "$(py "d['birth_date'], d['age'], d['lifelong']")" "('1947', 79, True)" "year-only (24900000): \"1947\", age 79 (1 January rule), lifelong"
read_profile year-month --reveal
is "$(py "d['birth_date'], d['age'], d['expire_date']")" "('1952-07', 74, '2031-07-09')" "year-month (24950700): \"1952-07\", age 74; TA1 96 ATR reads"
read_profile expired --reveal
is "$(py "d['expire_date'], d['expired'], d['lifelong']")" "('2017-01-01', True, False)" "expired card: expired true"
read_profile bad-check
is "$(py "d['cid'], d['cid_valid']")" "('1-1017-xxxxx-xx-5', False)" "bad check digit: cid_valid false (masked ...-5)"
read_profile impossible --reveal
is "$(py "d['birth_date'], d.get('birth_date_raw'), d['age']")" "(None, '25660229', None)" "29 Feb 2023 (BE 2566): birth_date null, raw kept, no age"
is "$(py "d['expire_date'], d.get('expire_date_raw'), d['expired'], d['lifelong']")" "(None, '25750431', None, False)" "31 April expiry: null, expired null"
is "$(py "d['gender'], d['issue_date']")" "('unknown', '2024-01-01')" "gender 9: unknown"
read_profile cp874-edge --reveal
is "$(py "d['name_en'] == {'prefix':'Mr.','first':'Som\u20acchai\u00a0','middle':'','last':'Jai\ufffddee\ufffd'}")" True "cp874: 0x80 euro, 0xA0 kept, undefined 0xDB/0xFF as U+FFFD"
is "$(py "d['name_th']['first'] == 'สม\u2026\u00a0ชาย' and d['name_th']['last'] == 'ใจ฿ดี'")" True "cp874: Thai with 0x85, 0xA0, baht sign"
is "$(py "d['issuer'] == '\u2018Office\u2019 \u201cx\u201d \u2022 \u2013 \u2014 \ufffd\ufffd\ufffdเขต'")" True "cp874: 0x91..0x97 punctuation; 0x81, 0xFC, control byte as U+FFFD"
is "$(py "(d['address']['moo'], d['address']['subdistrict'], d['address']['district'], d['address']['province'])")" "('\xa0', '', 'เขตบางแค', 'กรุงเทพมหานคร')" "cp874: a 7-slot address: district and province anchored at the end, NUL padding trimmed"
read_profile legacy-3b67 --reveal
is "$rc" 0 "legacy 3B 67 ATR: GET RESPONSE with P2 01 works"
is "$(py "d['name_en']['first'], d['cid_valid']")" "('Thodsob', True)" "legacy 3B 67: data"
read_profile select-9000 --reveal
is "$(py "d['name_en']['first']")" "Somsak" "SELECT answered 90 00: read anyway"
read_profile not-thai --reveal
is "$rc" 4 "not a Thai ID card: exit 4"
like "$err" "not a Thai national ID card" "... says so"
is "$out" "" "... nothing on stdout"

# --- which reader ----------------------------------------------------------------------
start_card --slot2 --profile malee
kiosk_card --json --reveal --wait $CW
is "$rc/$(py "d['reader'], d['cid']")" "0/('$R1', '3100500123458')" "card in the second reader: found there (not readers[0])"
kiosk_card --json --reader "$R0" --wait 1
is "$rc" 3 "--reader naming the empty reader: exit 3"
kiosk_card --json --reader "00 01" --wait $CW
is "$rc/$(py "d['reader']")" "0/$R1" "--reader by part of the name"
stop_card

# --- insertion while waiting; repeated reads; a swapped card -----------------------------
# kiosk card waits first: the card goes in once it has a connection to pcscd (its wait
# has begun or is about to: a card program takes longer to start than that).
# (Its stdout through a pipe, never a file: card data stays off the disk.)
exec 5< <(exec "$K" card --json --wait $CW 2>"$TMP/err")
kp=$!
wait_for "kiosk card to connect to pcscd" has_socket "$kp"
start_card --profile somchai
out=$(cat <&5)
exec 5<&-
wait "$kp"
rc=$?
is "$rc/$(py "d['cid']")" "0/1-1017-xxxxx-xx-8" "card inserted while kiosk card waits: read"
kiosk_card --json --wait $CW
is "$rc" 0 "same card read a second time"
kiosk_card --json --wait $CW
is "$rc" 0 "... and a third"
stop_card
start_card --profile malee
kiosk_card --json --reveal --wait $CW
is "$rc/$(py "d['cid']")" "0/3100500123458" "a different card afterwards: its own data, nothing stale"
stop_card

# --- malformed replies -----------------------------------------------------------------
# (A 0-byte reply cannot be tested: vpcd then blocks in recv() forever, a vpcd bug.)
for f in short@3 badsw@3 shortdata@3 longdata@3 garbage@3 no61@2 wrong61@2; do
	start_card --profile somchai --fault "$f"
	kiosk_card --json --reveal --wait $CW
	stop_card
	ok $((rc == 4 ? 0 : 1)) "broken card ($f every time): exit 4 (got $rc)"
	is "$out" "" "... nothing on stdout"
	like "$err" "could not be read: please insert the card again" "... asks to insert again"
	start_card --profile somchai --fault "$f:once"
	kiosk_card --json --reveal --wait $CW
	stop_card
	is "$rc/$(py "d['cid']" 2>/dev/null)" "0/1101700230708" "one glitch ($f once): the retry reads the card"
done
start_card --profile somchai --fault badsw@1
kiosk_card --json --wait $CW
stop_card
is "$rc" 4 "SELECT answered 6F 00: exit 4"
start_card --profile somchai --fault noreply@3
"$PW" present "$R0" $CWMS
kiosk_card --json --reveal --wait 1 --hang-limit 1
stop_card
is "$rc" 4 "a card that goes silent: exit 4 after --hang-limit (SCardTransmit has no timeout)"
echo "# silent card: gave up after $ms ms (--wait 1 --hang-limit 1)"
is "$out" "" "... nothing on stdout"
like "$err" "stopped answering" "... says the reader stopped answering"

# --- the card pulled after each APDU ---------------------------------------------------
# A first read is 9 APDUs; pulled before APDU n+1 arrives ("before") or right after reply n
# went out ("sent", n=0: right after the ATR). After 9 answers the card is complete.
pulled_ok() { # pulled_ok DESC: exit 4, no stdout, the message, no card data in it
	local bad=0
	[ "$rc" = 4 ] || bad=1
	[ -z "$out" ] || bad=1
	[[ $err == *"insert the card again"* ]] || bad=1
	[[ $err == *1101700230708* || $err == *Somchai* || $err == *สมชาย* ]] && bad=1
	ok $bad "$1 (rc=$rc)"
	[ $bad = 0 ] || echo "#   stdout='$out' stderr='$err'"
}
# Pulled right after the ATR: pcscd may never have called the card present, so "no card"
# (exit 3) is as right as exit 4; what matters is that nothing is printed.
start_card --profile somchai --pull-after 0 --pull-mode sent
kiosk_card --json --reveal --wait $CW
stop_card
ok $([[ $rc == [34] && -z $out ]] && echo 0 || echo 1) "pulled right after the ATR: exit 3 or 4, nothing printed (rc=$rc)"
for mode in before sent; do
	for n in 0 1 2 3 4 5 6 7 8; do
		[ $mode = sent ] && [ $n = 0 ] && continue
		start_card --profile somchai --pull-after $n --pull-mode $mode
		kiosk_card --json --reveal --wait $CW
		stop_card
		pulled_ok "pulled after APDU $n ($mode): exit 4, nothing printed"
	done
	start_card --profile somchai --pull-after 9 --pull-mode $mode
	kiosk_card --json --reveal --wait $CW
	stop_card
	is "$rc/$(py "d['cid']" 2>/dev/null)" "0/1101700230708" "pulled after the 9th and last APDU ($mode): the card was complete"
done
# The retry reads field by field (19 APDUs): a glitch at APDU 2, then pulled during the retry.
for n in $(seq 2 20); do
	start_card --profile somchai --fault garbage@2:once --pull-after $n
	kiosk_card --json --reveal --wait $CW
	stop_card
	pulled_ok "glitch at APDU 2, pulled after APDU $n of the retry: exit 4, nothing printed"
done
start_card --profile somchai --fault garbage@2:once --pull-after 21
kiosk_card --json --reveal --wait $CW
stop_card
is "$rc/$(py "d['cid']" 2>/dev/null)" "0/1101700230708" "glitch, then the whole 19-APDU retry: complete"

# --- kiosk ticket --with-card: the same read, pulled at every APDU ----------------------
# Nothing issued, nothing of the card said, exit 4 ("read failed"), never 3 ("no card"):
# the card was there. Its own data folder (kiosk card above must write none).
TD=$TMP/ticket-data
tq() { KIOSK_DATA=$TD "$K" --json queue | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(sum(s["count"] for s in d["waiting"]))'; }
ticket_card() { # ticket_card ARGS...: ticket --with-card; $out $err $rc
	out=$(KIOSK_DATA=$TD "$K" --json ticket --service personal-cert --with-card --wait $CW "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
}
for mode in before sent; do
	for n in 0 1 2 3 4 5 6 7 8; do
		[ $mode = sent ] && [ $n = 0 ] && continue
		start_card --profile somchai --pull-after $n --pull-mode $mode
		ticket_card
		stop_card
		pulled_ok "ticket --with-card, pulled after APDU $n ($mode): exit 4, nothing printed"
	done
done
is "$(tq)" 0 "ticket --with-card: no ticket issued for any pulled card"
start_card --profile somchai --pull-after 9 --pull-mode sent
ticket_card
stop_card
is "$rc/$(py "d['priority'], d.get('priority_reason')" 2>/dev/null)" "0/(True, 'age')" \
	"ticket --with-card, pulled after the 9th and last APDU: the card was complete, a priority ticket (61 years old)"
[[ $out != *1101700230708* && $out != *Somchai* && $out != *สมชาย* && $err != *1101700230708* ]]
ok $? "... and nothing of the card in its output"

# --- privacy: no card data anywhere we wrote -------------------------------------------
pcsc_env_stop
rm -f "$TMP/err"
leaks=$(LC_ALL=C grep -rlaF -e 1101700230708 -e 3100500123458 -e Somchai -e Jaidee -e Malee \
	-e "สมชาย" -e "ใจดี" -e "$(printf '\xca\xc1\xaa\xd2\xc2')" -e "$(printf '\xc1\xd2\xc5\xd5')" "$TMP" 2>/dev/null)
is "$leaks" "" "no citizen ID or name in \$TMP (data folder, pcscd log, card log)"
[ ! -e "$KIOSK_DATA" ] || [ -z "$(ls -A "$KIOSK_DATA")" ]
ok $? "kiosk card wrote nothing into the data folder"
done_testing
