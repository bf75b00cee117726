#!/usr/bin/env bash
# The UI framework end to end with the real binary: screenshots at several sizes and
# languages (every string fits its box, nothing leaves the window), the --script
# replayer (taps, language toggle, scrolling, failures with FILE:LINE), the idle
# return to the first screen, --exit-after, SIGTERM, fonts fallback, and a real X
# server (Xvfb) for the full-screen kiosk mode.
# Nothing here waits for time: each step waits for what it needs (a file, a process
# gone, a text or a screen) with a generous deadline. Every kiosk run serves its
# counter API on a port the kernel picks (--api-port 0); the X server picks its own
# display number (-displayfd).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T09:41:00+07:00 # for every process of this file, never unset

# The layout checks (every string fits its box; what a few drags bring into view) are
# made for Sarabun's metrics (without it the kiosk falls back to the taller TLWG
# fonts): they say so when it is missing.
sarabun() { [ -r "$ROOT/fonts/Sarabun-Regular.ttf" ] && [ -r "$ROOT/fonts/Sarabun-Bold.ttf" ]; }
sarabun; ok $? "Sarabun is installed (fonts/Sarabun-Regular.ttf and -Bold.ttf; \`make deps\` fetches them): the layout checks below assume its metrics"
SAR=$(sarabun || echo " [Sarabun is missing: TLWG metrics, see check 1]")

# texts_ok JSON: every drawn string fits its box and stays in the window.
texts_ok() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.loads(sys.argv[1]); W, H = d['w'], d['h']; bad = []
for t in d['texts']:
    x, y, w, h = t['ink']; bx, by, bw, bh = t['box']; vx, vy, vw, vh = t['visible']
    if t['overflow']: bad.append('overflow: ' + t['text'])
    if t['hidden']: continue
    if x < 0 or x + w > W: bad.append('outside the window sideways: ' + t['text'])
    if vx < 0 or vy < 0 or vx + vw > W or vy + vh > H: bad.append('visible part off screen: ' + t['text'])
    # Only a scroll view may cut a box at the window's edge.
    if (by < 0 or by + bh > H) and vh >= bh: bad.append('box leaves the window: ' + t['text'])
print('\n'.join(bad) if bad else 'ok')
EOF
}
has_text() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if any(sys.argv[2] in t["text"] and not t["hidden"] for t in d["texts"]) else 1)' "$1" "$2"; }

# 1. Screenshots: sizes x languages x large text.
for size in 1080x1920 1920x1080 800x600 600x1024; do
	for lang in th en; do
		for large in "" --large; do
			for scr in attract gallery; do
				tag="$scr $size $lang${large:+ large}"
				png=$TMP/$scr-$size-$lang$large.png
				j=$($K --json shot --screen $scr --lang $lang --size $size $large --out "$png" 2>"$TMP/err")
				rc=$?
				ok $rc "shot $tag"
				is "$(identify -format %wx%h "$png" 2>/dev/null)" "$size" "PNG is $size ($tag)"
				is "$(texts_ok "$j")" ok "every string fits its box ($tag)$SAR"
			done
		done
	done
done
j=$($K --json shot --screen attract --out "$TMP/a.png")
has_text "$j" "แตะหน้าจอ หรือ เสียบบัตรประชาชน เพื่อเริ่มต้น"; ok $? "attract: Thai call to action"
has_text "$j" "Touch the screen or insert your ID card to start"; ok $? "attract: English line too"
has_text "$j" "สำนักงานเขตบางแค"; ok $? "attract: office name"
has_text "$j" "วันอังคารที่ 24 พฤศจิกายน 2569"; ok $? "attract: Buddhist-era date from KIOSK_NOW"
has_text "$j" "09:41"; ok $? "attract: clock from KIOSK_NOW"
j=$($K --json shot --screen attract --lang en --out "$TMP/a.png")
has_text "$j" "Tuesday 24 November 2026"; ok $? "attract in English: Gregorian date"
# Different pixels for different languages (the PNG really shows the text).
$K shot --screen attract --lang th --out "$TMP/th.png"; $K shot --screen attract --lang en --out "$TMP/en.png"
cmp -s "$TMP/th.png" "$TMP/en.png"; [ $? -ne 0 ]; ok $? "Thai and English frames differ"

# 2. Usage errors exit 2.
$K shot --screen nosuch --out "$TMP/x.png" 2>"$TMP/err"; is $? 2 "unknown screen: exit 2"
like "$(cat "$TMP/err")" "attract" "the message lists the screens"
$K shot --screen attract 2>/dev/null; is $? 2 "shot without --out: exit 2"
$K shot --screen attract --size 12x9 --out "$TMP/x.png" 2>/dev/null; is $? 2 "bad --size: exit 2"
$K run --headless --lang fr 2>/dev/null; is $? 2 "bad --lang: exit 2"
$K run --headless --api-port 70000 2>/dev/null; is $? 2 "bad --api-port: exit 2"

# 3. --exit-after 0: first complete frame, then exit 0, silent.
out=$($K run --headless --api-port 0 --exit-after 0 2>&1); rc=$?
is "$rc" 0 "run --headless --exit-after 0 exits 0"
is "$out" "" "and prints nothing"
# --exit-after 1 ends the loop a second after it starts: never sooner (the lower bound
# is the check); how much later depends on the machine (a figure, not a check).
start=$(_ms); timeout 120 $K run --headless --api-port 0 --exit-after 1; rc=$?; ms=$(( $(_ms) - start ))
echo "# --exit-after 1 ran $ms ms, start-up included"
[ $rc -eq 0 ] && [ $ms -ge 1000 ]; ok $? "--exit-after 1 runs a second, then exits 0 by itself ($ms ms)"

# 4. SIGTERM stops it cleanly (its own handler; SDL_QUIT would be ignored by a kiosk).
# The signal is sent once the kiosk is up (its first frame saved by the script, so its
# handler is in place): sent sooner, the default action would kill it.
printf 'shot %s\nwait 600000\n' "$TMP/up.png" >"$TMP/up.txt"
$K run --headless --api-port 0 --script "$TMP/up.txt" & pid=$!
at_exit "kill $pid"
wait_file "$TMP/up.png"
kill -TERM $pid
wait_gone $pid; ok $? "SIGTERM stops the loop (here a script waiting 10 minutes)"
wait $pid; is $? 0 "and it exits 0"

# 5. Script: language toggle, assertions, shots, the drawn-strings list.
cat > "$TMP/s1.txt" <<EOF
# the attract screen, both languages
assert-screen attract
assert-text "แตะหน้าจอ"
assert-text "24 พฤศจิกายน 2569"
tap-text "EN"
assert-text "Touch the screen or insert your ID card to start"
assert-text "Tuesday 24 November 2026"
assert-no-text "วันอังคาร"
shot $TMP/s1-en.png
tap-text "ไทย"
assert-text "วันอังคารที่"
tap-text "A+"
assert-text "A-"
wait 50
exit
EOF
$K run --headless --api-port 0 --script "$TMP/s1.txt" 2>"$TMP/err"; rc=$?
is $rc 0 "script: language toggle and assertions pass"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
is "$(identify -format %wx%h "$TMP/s1-en.png" 2>/dev/null)" 1080x1920 "script shot written"

# A wrong expectation fails with FILE:LINE.
printf 'assert-screen attract\nassert-text "ไม่มีข้อความนี้"\nexit\n' > "$TMP/s2.txt"
$K run --headless --api-port 0 --script "$TMP/s2.txt" 2>"$TMP/err"; is $? 1 "failed assert-text: exit 1"
like "$(cat "$TMP/err")" "s2.txt:2: .*ไม่มีข้อความนี้.* not visible" "message names file:line and the text"
printf 'tap-text "ไม่มีปุ่มนี้"\n' > "$TMP/s3.txt"
$K run --headless --api-port 0 --script "$TMP/s3.txt" 2>"$TMP/err"; is $? 1 "tap-text on a missing button: exit 1"
like "$(cat "$TMP/err")" "s3.txt:1: no button" "says which line"
printf 'wait 10\nfly 1 2\n' > "$TMP/s4.txt"
$K run --headless --script "$TMP/s4.txt" 2>"$TMP/err"; is $? 2 "unknown script command: exit 2 before starting"
like "$(cat "$TMP/err")" "s4.txt:2: unknown command 'fly'" "names the line"
$K run --headless --script "$TMP/nonexistent.txt" 2>/dev/null; is $? 2 "missing script file: exit 2"

# 6. Scroll view: a drag scrolls without clicking, a tap clicks, back returns.
cat > "$TMP/s5.txt" <<EOF
push gallery
assert-screen gallery
assert-text "น้ำ ป้ำ ฐุ ญุ ฝั่ง ปิ่น"
assert-no-text "ทำบัตรประจำตัวประชาชน"
drag 540 1800 540 300
drag 540 1800 540 300
drag 540 1800 540 300
drag 540 1800 540 300
assert-text "ทำบัตรประจำตัวประชาชน"
assert-no-text "แตะแล้ว 1 ครั้ง"
tap-text "ทำบัตรประจำตัวประชาชน"
assert-text "แตะแล้ว 1 ครั้ง"
shot $TMP/scrolled.png
tap-text "‹ ย้อนกลับ"
assert-screen attract
exit
EOF
$K run --headless --api-port 0 --script "$TMP/s5.txt" 2>"$TMP/err"; is $? 0 "scroll by drag, tap in a scroll view, back$SAR"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"

# 7. Idle: an abandoned screen first asks "still there?" with a countdown, a tap
# keeps it (without pressing what is underneath), and silence returns home. The
# question and the return home are waited for on screen (wait-text, wait-screen). A
# script's `wait N` counts from the start of its script step (the lines before it in
# the step included), so the lower-bound waits below follow a `wait 1` that ends the
# step, or open the script.
cat >"$TMP/s6.txt" <<EOF
push gallery
assert-screen gallery
wait-text "ยังใช้งานอยู่หรือไม่" 30000
assert-text "ในอีก 2 วินาที"
shot $TMP/idle_prompt.png
wait-screen attract 30000
assert-no-text "ยังใช้งานอยู่หรือไม่"
exit
EOF
$K run --headless --api-port 0 --idle 1 --countdown 2 --script "$TMP/s6.txt" 2>"$TMP/err"; is $? 0 "idle 1 s: the question with a countdown, then back on the attract screen"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
# Asked after 3 s, home 5 s later: the tap's effect is looked at 0.8 s after it, well
# inside both, however slow the machine.
cat >"$TMP/s6b.txt" <<EOF
push gallery
wait-text "ยังใช้งานอยู่หรือไม่" 30000
tap 540 300
assert-no-text "ยังใช้งานอยู่หรือไม่"
assert-screen gallery
assert-no-text "แตะแล้ว 1 ครั้ง"
wait 1
wait 800
assert-screen gallery
assert-no-text "ยังใช้งานอยู่หรือไม่"
exit
EOF
$K run --headless --api-port 0 --idle 3 --countdown 5 --script "$TMP/s6b.txt" 2>"$TMP/err"; is $? 0 "a tap answers the question: the visitor stays where they were, nothing underneath pressed"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
printf 'wait 1500\nassert-no-text "ยังใช้งานอยู่หรือไม่"\nexit\n' > "$TMP/s6c.txt"
$K run --headless --api-port 0 --idle 1 --countdown 2 --script "$TMP/s6c.txt" 2>"$TMP/err"; is $? 0 "nobody is asked on the attract screen with no personal data (1.5 s, idle 1 s)"

# 7b. Reused memory (ui/sdl_mem's pool): after twenty language toggles every text is
# drawn into a texture another text had, and must look exactly as when drawn fresh;
# a screen at rest gives the pool back (no frame for 1 s; the script rests 3 s, and a
# frame takes milliseconds, so however slow the machine the rest is longer than 1 s).
{
	for i in $(seq 20); do printf 'tap-text "EN"\nwait 10\ntap-text "ไทย"\nwait 10\n'; done
	printf 'shot %s\ntap-text "EN"\nwait 10\nshot %s\nwait 1\nwait 3000\nexit\n' "$TMP/pool-th.png" "$TMP/pool-en.png"
} >"$TMP/s7.txt"
$K run --headless --api-port 0 --no-public --trace --script "$TMP/s7.txt" >/dev/null 2>"$TMP/err"; is $? 0 "twenty language toggles"
$K shot --screen attract --lang th --out "$TMP/fresh-th.png"; $K shot --screen attract --lang en --out "$TMP/fresh-en.png"
for l in th en; do
	is "$(compare -metric AE "$TMP/pool-$l.png" "$TMP/fresh-$l.png" null: 2>&1)" 0 "after the toggles the $l attract screen is pixel for pixel a fresh one"
done
last=$(grep '^sdl-mem ' "$TMP/err" | tail -1)
like "$last" '^sdl-mem reused [1-9][0-9]* ' "the toggles drew into reused blocks ($last)"
like "$last" ' pooled 0 bytes in 0$' "at rest the pool was given back"

# 8. Without the tree's fonts: the TLWG fallback still renders.
KIOSK_FONTS=/nonexistent $K shot --screen attract --out "$TMP/tlwg.png" 2>"$TMP/err"; is $? 0 "TLWG fallback renders"
cmp -s "$TMP/tlwg.png" "$TMP/th.png"; [ $? -ne 0 ] || [ ! -f fonts/Sarabun-Regular.ttf ]; ok $? "with a different face"

# 9. A real X server: the full-screen kiosk window, and windowed mode. Xvfb picks a
# free display number itself and writes it to fd 3 once it accepts clients. -noreset:
# by default the server resets when its last client leaves, and a client connecting
# meanwhile is refused ("x11 not available": SDL then has no display); each kiosk
# below connects just after the one before it left.
if command -v Xvfb >/dev/null; then
	Xvfb -displayfd 3 -noreset -screen 0 1080x1920x24 -nolisten tcp 3>"$TMP/xdisplay" >/dev/null 2>"$TMP/xvfb.err" & xpid=$!
	at_exit "kill $xpid"
	wait_file "$TMP/xdisplay"; ok $? "a private X server is up (Xvfb -displayfd: display :$(head -c 8 "$TMP/xdisplay" | tr -d '\n'))"
	[ -s "$TMP/xdisplay" ] || sed 's/^/# /' "$TMP/xvfb.err"
	d=:$(head -1 "$TMP/xdisplay")
	DISPLAY=$d $K run --api-port 0 --exit-after 0 2>"$TMP/err"; is $? 0 "full-screen kiosk window on X"
	DISPLAY=$d $K run --api-port 0 --windowed --size 800x600 --script "$TMP/s1.txt" 2>"$TMP/err"; is $? 0 "windowed mode runs a script on X"
	[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
	# Lockdown: window-manager quit, Alt+F4 and Ctrl+Q do not stop the kiosk.
	DISPLAY=$d "$ROOT/$BUILD/tools/ui_lockdown" > "$TMP/lock.tap" 2>&1
	grep -E '^(not )?ok' "$TMP/lock.tap" | while IFS= read -r l; do echo "${l#* - }|${l%% *}"; done > "$TMP/lock.res"
	while IFS='|' read -r desc st; do [ "$st" = ok ]; ok $? "lockdown: $desc"; done < "$TMP/lock.res"
	[ -s "$TMP/lock.res" ]; ok $? "lockdown checks ran"
	[ -s "$TMP/lock.res" ] || sed 's/^/# /' "$TMP/lock.tap"
	grep '^#' "$TMP/lock.tap"
	kill $xpid 2>/dev/null
fi
done_testing
