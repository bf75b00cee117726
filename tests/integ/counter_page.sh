#!/usr/bin/env bash
# The counter page in headless Chromium (Debian `chromium`), driven over the
# DevTools protocol with real mouse clicks: log in, "call next", see the number.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T09:00:00+07:00
SHOTS=${SHOTS:-$ROOT/$BUILD/shots}
mkdir -p "$SHOTS"

if ! command -v chromium >/dev/null; then
	echo "ok 1 # SKIP chromium is not installed (make deps installs it)"
	done_testing
	exit 0
fi
"$K" serve --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SPID=$!
at_exit "kill $SPID"
wait_grep "$TMP/serve.out" '^serving'
B=http://127.0.0.1:$(serving_port "$TMP/serve.out")
T1=$("$K" counter-token --counter 1 2>/dev/null | tail -1)
T2=$("$K" counter-token --counter 2 2>/dev/null | tail -1)
"$K" ticket --service personal-cert >/dev/null
"$K" ticket --service personal-cert >/dev/null

out=$(timeout 300 python3 tests/tools/counter_page.py "$B" "$T1" "$T2" "$K" "$SHOTS" 2>"$TMP/py.err")
is $? 0 "the browser session ran (chromium headless over CDP)"
[ -s "$TMP/py.err" ] && sed 's/^/# /' "$TMP/py.err" | tail -5
g() { jq_ "$out" "d.get('$1')"; }
is "$(g login_visible)" True "first visit asks for the counter number and token"
is "$(g title)" "ช่องบริการ" "in Thai"
like "$(g wrong_token_msg)" "ช่องอื่น" "another counter's token: the error is shown in Thai"
is "$(g login_again)" True "and the token is asked again"
is "$(g before_call)" "–" "before the call the counter shows no number"
like "$(g waiting_before)" "A  สอบสวนรับรองบุคคล2 คน" "the waiting counts per service are shown"
is "$(g after_call)" "A001" "clicking “call next” shows the called number"
like "$(g msg_after_call)" "เรียก A001" "with a confirmation"
like "$(g current_font_px)" '^(1[0-9][0-9]|[2-9][0-9][0-9])' "the number is huge (over 100 px)"
is "$(g call_disabled)" True "call next is disabled while the counter has a ticket"
like "$(g recall_msg)" "เรียกซ้ำ A001" "re-call by click"
like "$(g state_after_start)" "กำลังให้บริการ" "start by click"
is "$(g after_cli_finish)" "–" "a finish made elsewhere (CLI) shows up by itself"
like "$(g follow_ms)" '^[0-9]+$' "within $(g follow_ms) ms"
is "$(g second_call)" "A002" "the next call shows A002"
like "$(g transfer_msg)" "โอน A002" "transfer by the dropdown and button"
is "$(g english_call_label)" "Call next" "the English toggle"
is "$(g after_reload_login_hidden)" True "the login is kept for the tab across a reload"
is "$(g after_reload_title)" "Counter 1" "and the language too"
is "$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT group_concat(number||':'||state||':'||service, ' ') FROM tickets")" \
	"A001:done:personal-cert A002:waiting:marital-status" "the database shows what was clicked"
[ -s "$SHOTS/counter-called.png" ]; ok $? "screenshot $SHOTS/counter-called.png"
done_testing
