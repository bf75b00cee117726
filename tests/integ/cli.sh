#!/usr/bin/env bash
# The command-line contract: exit codes, usage, --json shapes, a bad config
# refused by every command, and two processes issuing at once.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T09:00:00+07:00

out=$("$K" check-config --json); rc=$?
is "$rc" 0 "check-config passes on the shipped config"
is "$(jq_ "$out" 'd["ok"]')" "True" "check-config --json says ok"

out=$("$K" services --json)
like "$(jq_ "$out" 'len(d["services"])')" '^[0-9]+$' "services --json lists services"
is "$(jq_ "$out" 'sorted(d["services"][0].keys())')" "['group', 'id', 'name_en', 'name_th', 'prefix']" "services have id, prefix, Thai and English names"

# The version and the commit, without config, data or a valid clock.
out=$(KIOSK_NOW=yesterday "$K" --version); is $? 0 "--version exits 0"
like "$out" '^kiosk [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{7,}|unknown)\)$' "--version: version and commit"
out=$("$K" version --json); is $? 0 "version --json exits 0"
is "$(jq_ "$out" 'd["commit"] == "unknown" or all(ch in "0123456789abcdef" for ch in d["commit"])')" "True" "version --json has the commit"
like "$(jq_ "$out" 'd["version"]')" '^[0-9]+\.[0-9]+\.[0-9]+$' "version --json has the version"
like "$("$K" --json --version)" '"commit"' "--json --version is the same JSON"
"$K" version extra >/dev/null 2>&1; is $? 2 "version with an argument: exit 2"

# Two binaries: kiosk runs the short commands itself and hands the screens (and the
# paper ticket) to kiosk-ui beside it, same pid and command line. A kiosk copied alone
# still issues tickets, and says what is missing for the rest.
mkdir -p "$TMP/alone" && cp "$K" "$TMP/alone/kiosk"
out=$(KIOSK_DATA=$TMP/alone/data "$TMP/alone/kiosk" ticket --service personal-cert --json)
is "$(jq_ "$out" 'd["number"]')" "A001" "kiosk alone issues a ticket (no screen libraries needed)"
"$TMP/alone/kiosk" announce --clips 2>"$TMP/e" >/dev/null; is $? 1 "kiosk alone: a screen or sound command fails (exit 1)"
like "$(cat "$TMP/e")" "kiosk-ui" "and names kiosk-ui"
"$TMP/alone/kiosk" shot --screen attract --out "$TMP/alone/a.png" 2>"$TMP/e"; is $? 1 "kiosk alone: a screen shot fails (exit 1)"
like "$(cat "$TMP/e")" "kiosk-draw" "and names kiosk-draw"
KIOSK_DATA=$TMP/alone/data "$TMP/alone/kiosk" ticket --service personal-cert --png "$TMP/alone/t.png" 2>/dev/null
is $? 1 "kiosk alone: ticket --png fails before issuing"
is "$(KIOSK_DATA=$TMP/alone/data "$TMP/alone/kiosk" queue --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(s["count"] for s in d["waiting"]))')" "1" "so only the first ticket was issued"
KIOSK_DATA=$TMP/alone/data2 "$K" ticket --service personal-cert --png "$TMP/t.png" >/dev/null 2>&1
check "kiosk ticket --png (drawn by kiosk-ui) writes the picture" test -s "$TMP/t.png"
rm -f "$TMP/t.png"
"$K" display --frobnicate >/dev/null 2>"$TMP/e"; is $? 2 "a handed-over command keeps its usage exit code"

# Usage errors: exit 2 and a usage line, nothing else happens.
"$K" >/dev/null 2>&1; is $? 2 "no command: exit 2"
"$K" frobnicate >/dev/null 2>"$TMP/e"; is $? 2 "unknown command: exit 2"
like "$(cat "$TMP/e")" "usage:" "unknown command prints usage"
"$K" ticket >/dev/null 2>&1; is $? 2 "ticket without --service: exit 2"
"$K" ticket --service personal-cert --frob >/dev/null 2>&1; is $? 2 "unknown option: exit 2"
"$K" call >/dev/null 2>&1; is $? 2 "call without --counter: exit 2"
"$K" call --counter x >/dev/null 2>&1; is $? 2 "call --counter x: exit 2"
"$K" transfer --counter 1 >/dev/null 2>&1; is $? 2 "transfer without --to: exit 2"
"$K" --config >/dev/null 2>&1; is $? 2 "--config without a folder: exit 2"
KIOSK_NOW=yesterday "$K" queue >/dev/null 2>"$TMP/e"; is $? 2 "a bad KIOSK_NOW is refused"
like "$(cat "$TMP/e")" "KIOSK_NOW" "and named"
[ ! -e "$KIOSK_DATA" ]; ok $? "usage errors create no data folder"

# A ticket, a call, a finish, as JSON.
out=$("$K" ticket --service personal-cert --json); rc=$?
is "$rc" 0 "ticket exits 0"
is "$(jq_ "$out" 'd["number"]')" "A001" "first ticket is A001"
is "$(jq_ "$out" 'all(k in d for k in ["number","service","priority","issued_at","qr","ahead","wait_minutes"])')" "True" "ticket --json has the contract's fields"
is "$(jq_ "$out" 'd["issued_at"]')" "2026-11-24T09:00:00+07:00" "issued_at is Bangkok ISO time"
like "$(jq_ "$out" 'd["qr"]')" "^https://queue.bangkhae.example/t\?o=bangkhae&d=2026-11-24&n=A001&s=[A-Z2-7]{10}$" "the QR payload follows the template with a signature"
is "$(stat -c %a "$KIOSK_DATA/device.key")" "600" "the device key is private (0600)"
is "$(stat -c %a "$KIOSK_DATA/kiosk.db")" "600" "the database file is private (0600)"
out=$("$K" --json ticket --service personal-cert --priority)
is "$(jq_ "$out" 'd["priority"]')" "True" "--priority gives a priority ticket (global --json before the command)"
out=$("$K" call --counter 2 --json); is $? 0 "call exits 0"
is "$(jq_ "$out" '(d["number"], d["counter"], d["service"])')" "('A001', 2, 'personal-cert')" "call --json: number, counter, service"
"$K" call --counter 2 >/dev/null 2>&1; is $? 1 "calling a busy counter fails with exit 1"
out=$("$K" recall --counter 2 --json); is "$(jq_ "$out" 'd["calls"]')" "2" "recall"
out=$("$K" finish --counter 2 --json); is "$(jq_ "$out" 'd["state"]')" "done" "finish"
"$K" finish --counter 2 >/dev/null 2>"$TMP/e"; is $? 1 "finish again: exit 1"
like "$(cat "$TMP/e")" "no called ticket" "with a reason on stderr"
out=$("$K" call --counter 1 --json); is "$(jq_ "$out" 'd["number"]')" "A002" "next call takes A002"
out=$("$K" transfer --counter 1 --to marital-status --json)
is "$(jq_ "$out" '(d["state"], d["service"])')" "('waiting', 'marital-status')" "transfer"
"$K" call --counter 1 --json >/dev/null; "$K" no-show --counter 1 >/dev/null; is $? 0 "no-show"
"$K" call --counter 1 >/dev/null 2>"$TMP/e"; is $? 1 "call with nobody waiting: exit 1"
like "$(cat "$TMP/e")" "nobody is waiting" "says nobody is waiting"
out=$("$K" queue --json)
is "$(jq_ "$out" 'all(k in d for k in ["waiting","serving","notices","last_event","recent_calls"])')" "True" "queue --json"
is "$(jq_ "$out" 'sum(w["count"] for w in d["waiting"])')" "0" "nobody waits now"

# Text output follows the configured language.
cp -r "$ROOT/config" "$TMP/cfg-en"
sed -i 's/^language = th/language = en/' "$TMP/cfg-en/kiosk.conf"
out=$("$K" --config "$TMP/cfg-en" ticket --service marital-status)
like "$out" "^B00[0-9]  Marital status.* ahead, about [0-9]+ min" "English messages when language = en"
out=$("$K" ticket --service marital-status)
like "$out" "รออีก [0-9]+ คน" "Thai messages by default"

# A broken configuration: check-config lists every problem; every command refuses.
mkdir -p "$TMP/bad"; cp "$ROOT/config/"* "$TMP/bad/"
printf '[office]\ncode = x\n[qeueu]\npriority_every = zero\n' > "$TMP/bad/kiosk.conf"
"$K" --config "$TMP/bad" check-config 2>"$TMP/e"; is $? 2 "check-config on a bad kiosk.conf: exit 2"
like "$(head -1 "$TMP/e")" "kiosk.conf:[0-9]+: " "each problem is file:line: message"
like "$(cat "$TMP/e")" "kiosk.conf:3: unknown section \[qeueu\]" "the misspelt section is named with its line"
out=$("$K" --config "$TMP/bad" check-config --json 2>/dev/null)
is "$(jq_ "$out" 'd["ok"]')" "False" "check-config --json: ok false"
like "$(jq_ "$out" 'len(d["errors"])')" "^[2-9]" "and the errors listed"
for cmd in "services" "ticket --service personal-cert" "call --counter 1" "queue"; do
	"$K" --config "$TMP/bad" $cmd >/dev/null 2>"$TMP/e"; rc=$?
	is "$rc" 2 "$cmd refuses to start on a bad config (exit 2)"
done
like "$(cat "$TMP/e")" "kiosk.conf:3: unknown section" "with the same messages"
printf '{"version": 1, "groups": [' > "$TMP/bad/services.json"
cp "$ROOT/config/kiosk.conf" "$TMP/bad/kiosk.conf"
"$K" --config "$TMP/bad" check-config 2>"$TMP/e"; is $? 2 "truncated services.json: exit 2"
like "$(cat "$TMP/e")" "services.json:1: " "names the file and line"
cp "$ROOT/config/"* "$TMP/bad/"
sed -i 's/^# services.1 = personal-cert,marital-status/services.1 = personal-cert,nope/' "$TMP/bad/kiosk.conf"
ln=$(grep -n '^services.1 = ' "$TMP/bad/kiosk.conf" | cut -d: -f1)
"$K" --config "$TMP/bad" check-config 2>"$TMP/e"; is $? 2 "a counter naming an unknown service: exit 2"
like "$(cat "$TMP/e")" "kiosk.conf:$ln: \[counters\] services.1 names unknown service \"nope\"" "named at its kiosk.conf line"
head -c 3000 /dev/urandom > "$TMP/bad/services.json"
"$K" --config "$TMP/bad" check-config >/dev/null 2>&1; is $? 2 "random bytes as services.json: exit 2, no crash"
rm "$TMP/bad/services.json"
"$K" --config "$TMP/bad" check-config 2>"$TMP/e"; is $? 2 "a missing services.json: exit 2"
like "$(cat "$TMP/e")" "services.json:0: cannot open" "says it cannot open it"

# Staff edit services.json in place: the next command sees the edit, never the compiled
# copy (catalog.cache) the commands before it left in the data folder.
mkdir -p "$TMP/edit" "$TMP/editdata" && cp "$ROOT/config/"* "$TMP/edit/"
ed() { KIOSK_DATA=$TMP/editdata "$K" --config "$TMP/edit" "$@"; }
ed services >/dev/null && ed services >/dev/null
check "a command leaves the compiled catalogue in the data folder" test -s "$TMP/editdata/catalog.cache"
name_a() { ed services --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["services"][0]["name_en"])'; }
is "$(name_a)" "Personal certification inquiry" "read through the copy: the shipped name"
mtime=$(stat -c %y "$TMP/edit/services.json")
# In place, as nano writes (same inode), and the same size, with its time put back.
sed 's/"Personal certification inquiry"/"Personal certification INQUIRY"/' "$TMP/edit/services.json" >"$TMP/e"
cat "$TMP/e" >"$TMP/edit/services.json"
touch -d "$mtime" "$TMP/edit/services.json"
is "$(name_a)" "Personal certification INQUIRY" "an edit in place of the same size, its time put back, is seen by the next command"
sed -i 's/"prefix": "A"/"prefix": "1"/' "$TMP/edit/services.json"
ed ticket --service personal-cert >/dev/null 2>"$TMP/e"; is $? 2 "a services.json broken after that: ticket refuses (exit 2), no answer from the copy"
like "$(cat "$TMP/e")" "services.json:[0-9]+: services\[0\]\.prefix" "naming the file, line and field"
cp "$ROOT/config/services.json" "$TMP/edit/"
is "$(name_a)" "Personal certification inquiry" "the file put back: its names again"

# Damaged database: the command still works on a fresh one and staff are told.
export KIOSK_DATA=$TMP/dmg; mkdir -p "$KIOSK_DATA"; head -c 8192 /dev/urandom > "$KIOSK_DATA/kiosk.db"
out=$("$K" ticket --service personal-cert --json 2>"$TMP/e"); is $? 0 "a damaged database does not stop ticketing"
like "$(cat "$TMP/e")" "damaged" "the damage is reported"
like "$("$K" queue 2>/dev/null)" "ฐานข้อมูลเดิมเสียหาย" "and shown to staff in kiosk queue"

# Two processes issuing at once through the CLI, on a fresh data folder (both race to
# create the database). Each loop's exit is waited for by its pid; what a failed
# ticket said is shown.
export KIOSK_DATA=$TMP/conc
pids=()
for p in 1 2; do
	(for i in $(seq 40); do "$K" ticket --service personal-cert >/dev/null 2>>"$TMP/e$p" || echo FAIL; done) >"$TMP/p$p" &
	pids+=($!)
done
wait "${pids[@]}"
is "$(cat "$TMP/p1" "$TMP/p2" | grep -c FAIL)" 0 "two CLI processes issue 80 tickets without a failure"
grep -h . "$TMP/e1" "$TMP/e2" 2>/dev/null | sort | uniq -c | head -5 | sed 's/^/# stderr: /'
n=$(sqlite3 "$KIOSK_DATA/kiosk.db" "SELECT COUNT(*), COUNT(DISTINCT number) FROM tickets")
is "$n" "80|80" "80 tickets, 80 distinct numbers"

# A ticket left from the phone (the public page calls kqueue_cancel; here its row as that
# leaves it): not waiting, shown apart, never called.
Q=$TMP/cancel
KIOSK_DATA=$Q "$K" ticket --service marital-status >/dev/null
KIOSK_DATA=$Q "$K" ticket --service marital-status >/dev/null
sqlite3 "$Q/kiosk.db" "UPDATE tickets SET state='cancelled', done_at=issued_at WHERE number='B001'"
out=$(KIOSK_DATA=$Q "$K" queue --json)
is "$(jq_ "$out" '[(w["count"], w["cancelled"]) for w in d["waiting"] if w["service"] == "marital-status"]')" "[(1, 1)]" "queue --json: 1 waiting, 1 cancelled apart"
like "$(KIOSK_DATA=$Q "$K" queue)" "ยกเลิกคิววันนี้ 1" "kiosk queue shows the cancelled one apart"
is "$(jq_ "$(KIOSK_DATA=$Q "$K" call --counter 1 --json)" 'd["number"]')" "B002" "the counter skips it and calls B002"

# Nothing personal in the database schema.
cols=$(sqlite3 "$KIOSK_DATA/kiosk.db" ".schema" | grep -ioE 'cid|citizen|name_th|address|birth' | head -1)
is "$cols" "" "the schema has no citizen id, name, address or birth date column"
done_testing
