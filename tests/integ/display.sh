#!/usr/bin/env bash
# The lobby board: screenshots before and after a call (the drawn-text list
# and the pixels), the running board following the local database and a
# remote `kiosk serve` (killed and restarted: the board recovers by itself),
# the new-call flash, announcements without a sound device, and latency.
#
# One clock discipline: KIOSK_NOW is frozen for every process this file starts (exported
# once, never unset), so the tickets, the calls and the boards share one day whatever
# today is. Every wait is for a condition (a trace line, a file, a process gone), and the
# boards' scripts wait for what they must see (wait-text), not for a time.
. "$(dirname "$0")/lib.sh"
SHOTS=${SHOTS:-$ROOT/$BUILD/shots}
mkdir -p "$SHOTS"
export SDL_AUDIODRIVER=dummy # a sound device that accepts and discards (CI has none)
export KIOSK_NOW=2026-11-24T09:05:00+07:00
# Latency crosses processes, so both ends read CLOCK_MONOTONIC: `display --trace` prints
# it, and python3's time.monotonic() reads the same system-wide clock (wall time can step).
mono_ms() { python3 -c 'import time; print(time.monotonic_ns() // 1000000)'; }
# latency T0 T1: "T1 - T0 ms", or "missing" when it cannot be measured (no frame line, or
# a frame before the call): never a negative number.
latency() { if [ -n "$2" ] && [ "$2" -ge "$1" ]; then echo "$(($2 - $1)) ms"; else echo missing; fi; }
# frame_ms FILE CALL: the trace time of the first frame showing CALL (e.g. A002:1)
frame_ms() { sed -n "s/^frame \([0-9]*\) .* $2.*/\1/p" "$1" | head -1; }
# texts FILE.json: the drawn strings, one per line
texts() { python3 -c 'import json,sys; [print(t["text"]) for t in json.load(open(sys.argv[1]))["texts"] if not t["hidden"]]' "$1"; }
# px FILE X Y: "r,g,b" of one pixel
px() { python3 - "$@" <<'EOF'
import sys, zlib, struct
f, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = open(f, "rb").read()
w, h, bd, ct = struct.unpack(">IIBB", d[16:26])
idat, i = b"", 8
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8]); i += 8
    if t == b"IDAT": idat += d[i:i + n]
    i += n + 4
raw = zlib.decompress(idat); bpp = 4 if ct == 6 else 3; stride = w * bpp
rows, prev = [], bytearray(stride)
for r in range(y + 1):
    ft = raw[r * (stride + 1)]; line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
    for c in range(stride):
        a = line[c - bpp] if c >= bpp else 0; b = prev[c]; cc = prev[c - bpp] if c >= bpp else 0
        if ft == 1: line[c] = (line[c] + a) & 255
        elif ft == 2: line[c] = (line[c] + b) & 255
        elif ft == 3: line[c] = (line[c] + (a + b) // 2) & 255
        elif ft == 4:
            p = a + b - cc; pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
            line[c] = (line[c] + (a if pa <= pb and pa <= pc else b if pb <= pc else cc)) & 255
    prev = line
print("%d,%d,%d" % tuple(prev[x * bpp:x * bpp + 3]))
EOF
}
GREEN=11,79,60 AMBER=255,212,59 NOTE=255,244,214

# --- screenshots before and after a call ----------------------------------------------
for s in personal-cert personal-cert marital-status; do "$K" ticket --service "$s" >/dev/null; done
"$K" --json shot --screen display --out "$SHOTS/display-before.png" >"$TMP/before.json"; is $? 0 "kiosk shot --screen display"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["w"], d["h"])' "$TMP/before.json")" "1920 1080" "landscape 1920x1080 by default"
b=$(texts "$TMP/before.json")
like "$b" "สำนักงานเขตบางแค" "office name in Thai"
like "$b" "วันอังคารที่ 24 พฤศจิกายน 2569" "Thai Buddhist-era date"
like "$b" "09:05" "clock"
like "$b" "รอเรียกคิว" "before any call: waiting for the next call"
like "$b" "รอคิว  Waiting: 3" "three waiting"
like "$b" "A  สอบสวนรับรองบุคคล" "waiting per service, Thai names"
[[ $b != *A001* ]]; ok $? "A001 is not on the board before the call"
is "$(px "$SHOTS/display-before.png" 300 420)" "247,249,252" "the now-serving area is empty (background)"

"$K" call --counter 3 >/dev/null
"$K" --json shot --screen display --out "$SHOTS/display-after.png" >"$TMP/after.json"
a=$(texts "$TMP/after.json")
like "$a" $'\nA001\n' "after the call A001 is on the board"
like "$a" "A001  →  ช่อง 3" "and in the last calls, with its counter"
like "$a" "รอคิว  Waiting: 2" "two left waiting"
is "$(px "$SHOTS/display-after.png" 60 420)" "$GREEN" "the now-serving row is drawn where it was empty"
big=$(python3 -c 'import json,sys; print(max(t["ink"][3] for t in json.load(open(sys.argv[1]))["texts"] if t["text"]=="A001"))' "$TMP/after.json")
[ "$big" -ge 150 ]; ok $? "the number is very large ($big px high on 1080)"
python3 -c 'import json,sys; sys.exit(any(t["overflow"] for t in json.load(open(sys.argv[1]))["texts"]))' "$TMP/after.json"
ok $? "no text overflows its box"
like "$a" "B  รับรองสถานภาพการสมรส"$'\n' "the waiting list names a service by its short name"
"$K" --json shot --screen display --size 1280x720 --out "$SHOTS/display-720.png" >"$TMP/720.json"; is $? 0 "another size (1280x720)"
"$K" --json shot --screen display --size 1080x1920 --out "$SHOTS/display-portrait.png" >"$TMP/portrait.json"; is $? 0 "and portrait"
# Read from across the lobby: no name or heading ends in "…" at any of the three sizes.
for f in after 720 portrait; do
	cut=$(python3 -c 'import json,sys; print(" | ".join(t["text"] for t in json.load(open(sys.argv[1]))["texts"] if t["truncated"] or t["overflow"]))' "$TMP/$f.json")
	is "$cut" "" "board ($f): every text whole, none cut with …"
done

# --- the running board, following the local database ------------------------------------------
# The script waits for the call the test makes, then takes four frames ~200 ms apart while
# the row flashes (500 ms phases for 6 s) and one once the flash is over. Which phase a
# screenshot catches depends on how busy the machine is, so the blinking itself is read
# from the trace ("flash A002 on|off MS": what each frame drew), the pixels only have
# to be the flash's amber or the row's green.
cat >"$TMP/local.script" <<EOF
wait-text "A002" 60000
shot $TMP/f1.png
wait 200
shot $TMP/f2.png
wait 200
shot $TMP/f3.png
wait 200
shot $TMP/f4.png
wait 7000
shot $SHOTS/display-running.png
assert-text "A002"
exit
EOF
"$K" display --headless --trace --script "$TMP/local.script" >"$TMP/local.out" 2>"$TMP/local.err" &
DPID=$!
at_exit "kill $DPID"
wait_grep "$TMP/local.out" '^frame' # the board has drawn the queue as it was
"$K" finish --counter 3 >/dev/null
t0=$(mono_ms); "$K" call --counter 1 >/dev/null
wait_grep "$TMP/local.out" ' A002:1'
wait_gone "$DPID" && wait "$DPID"; is $? 0 "the running board ran its script (waited for A002, saw it after the flash)"
grep -q '^frame [0-9]* .* A002:1' "$TMP/local.out"; ok $? "the board drew the call"
# Latency is a figure for `make bench` (tests/bench/display.sh), not a timed assertion:
# the test machines are shared and noisy.
echo "# call-to-board here: $(latency "$t0" "$(frame_ms "$TMP/local.out" A002:1)") (CLI start to frame; target 200 ms; see make bench)"
like "$(cat "$TMP/local.out")" "announce A002 1" "the call is announced"
phases=$(sed -n 's/^flash A002 \(on\|off\) .*/\1/p' "$TMP/local.out" | tr '\n' ' ')
like "$phases" '^on (off on )*off $' "the new call's row flashes: drawn bright, then plain ($phases)"
echo "# $(grep -c '^flash A002' "$TMP/local.out") phases drawn (12 on an idle machine; a late frame skips some)"
n_amber=0 n_other=0 seen=""
for f in f1 f2 f3 f4; do
	c=$(px "$TMP/$f.png" 60 420); seen="$seen $f:$c"
	case $c in "$AMBER") n_amber=$((n_amber + 1)) ;; "$GREEN") ;; *) n_other=$((n_other + 1)) ;; esac
done
is "$n_other" 0 "the flashing row is drawn amber or green, nothing else (amber in $n_amber of 4 frames)"
# Red twice in CI: f1 was the empty board's background while A002 was in the last calls.
# The queue JSON was read statement by statement, and the call committed between the
# counters and the last calls (fixed in qjson_status; test_board reproduces it). Should
# it ever show again, keep what the frames showed, so it can be read rather than guessed.
if [ "$n_other" -ne 0 ]; then
	echo "# pixels at (60,420):$seen"
	for f in f1 f2 f3 f4; do cp "$TMP/$f.png" "$SHOTS/display-flash-$f.png"; done
	sed 's/^/# /' "$TMP/local.out" | tail -40
fi
is "$(px "$SHOTS/display-running.png" 60 420)" "$GREEN" "and stops flashing after a few seconds"

# --- following a remote `kiosk serve`, which goes away and comes back ------------------------------
# start_serve PORT: 0 the first time (the kernel picks a free port), then that port again,
# so the board, which knows only its URL, finds the server back.
start_serve() {
	: >"$TMP/serve.out"
	"$K" serve --port "$1" >"$TMP/serve.out" 2>>"$TMP/serve.err" &
	SPID=$!
	wait_grep "$TMP/serve.out" '^serving'
}
start_serve 0
PORT=$(serving_port "$TMP/serve.out")
at_exit 'kill $SPID'
T1=$("$K" counter-token --counter 1 2>/dev/null | tail -1)
# The board's script follows what the test does: the reconnecting banner once the server
# is gone, then the call made while it was away once the server is back.
cat >"$TMP/remote.script" <<EOF
wait-text "Reconnecting" 60000
shot $TMP/lost.png
wait-text "A003" 60000
shot $TMP/back.png
exit
EOF
# Another data folder for the board: it must get everything over HTTP. No sound
# device at all here: the board must say so once and carry on.
KIOSK_DATA=$TMP/elsewhere SDL_AUDIODRIVER=nonexistent "$K" display --headless --trace \
	--source "http://127.0.0.1:$PORT" --script "$TMP/remote.script" >"$TMP/remote.out" 2>"$TMP/remote.err" &
DPID=$!
at_exit "kill $DPID"
wait_grep "$TMP/remote.out" '^state connected'
like "$(cat "$TMP/remote.out")" "state connected" "the remote board connects"
curl -s -XPOST -H "Authorization: Bearer $T1" "http://127.0.0.1:$PORT/api/counters/1/finish" >/dev/null
t0=$(mono_ms)
curl -s -XPOST -H "Authorization: Bearer $T1" "http://127.0.0.1:$PORT/api/counters/1/call" >/dev/null
wait_grep "$TMP/remote.out" ' B001:1'
grep -q '^frame [0-9]* .* B001:1' "$TMP/remote.out"; ok $? "an API call reaches the remote board"
echo "# API call to remote board: $(latency "$t0" "$(frame_ms "$TMP/remote.out" B001:1)") (long-poll + frame)"
wait_grep "$TMP/remote.out" '^announce B001 1'
like "$(cat "$TMP/remote.out")" "announce B001 1" "and is announced"
like "$(cat "$TMP/remote.err")" "without sound" "no sound device: said on stderr, the board carries on"
kill "$SPID"; wait "$SPID" 2>/dev/null
wait_grep "$TMP/remote.out" '^state lost'
like "$(cat "$TMP/remote.out")" "state lost" "the board notices the server is gone"
"$K" finish --counter 1 >/dev/null; "$K" ticket --service personal-cert >/dev/null; "$K" call --counter 2 >/dev/null
wait_file "$TMP/lost.png" # the board has shown the banner: now the server may come back
start_serve "$PORT"
wait_grep "$TMP/remote.out" ' A003:2'
like "$(sed -n '/state lost/,$p' "$TMP/remote.out")" "state connected" "and reconnects by itself when it is back"
like "$(cat "$TMP/remote.out")" "A003:2" "showing the call made while it was away"
wait_gone "$DPID" && wait "$DPID"; is $? 0 "the remote board kept running throughout"
cp "$TMP/lost.png" "$SHOTS/display-lost.png" 2>/dev/null
cp "$TMP/back.png" "$SHOTS/display-back.png" 2>/dev/null
is "$(px "$TMP/lost.png" 960 1060)" "$NOTE" "while away: the reconnecting banner"
is "$(px "$TMP/back.png" 960 1060)" "247,249,252" "back: the banner is gone"
kill "$SPID" 2>/dev/null

# --- usage ------------------------------------------------------------------------------------------
"$K" display --source ftp://x --headless --exit-after 0 2>/dev/null; is $? 2 "--source must be http(s)"
"$K" display --frob 2>/dev/null; is $? 2 "unknown option: exit 2"
"$K" display --headless --exit-after 0 --mute; is $? 0 "--exit-after 0: one frame and out"
done_testing
