#!/usr/bin/env bash
# The services and checklist screens on the shipped catalogue: every service's
# checklist at two sizes in both languages with every string inside its box, the
# visitor's path attract -> services -> checklist -> back -> home by script, and the
# card insertion that skips the attract screen.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
export KIOSK_NOW=2026-11-24T09:41:00+07:00 # for every process of this file, never unset

# The layout checks (every string fits its box, what shows before any scrolling) are
# made for Sarabun's metrics. Without it the kiosk falls back to the TLWG fonts, whose
# lines are taller: those checks then fail, and say why.
sarabun() { [ -r "$ROOT/fonts/Sarabun-Regular.ttf" ] && [ -r "$ROOT/fonts/Sarabun-Bold.ttf" ]; }
sarabun; ok $? "Sarabun is installed (fonts/Sarabun-Regular.ttf and -Bold.ttf; \`make deps\` fetches them): the layout checks below assume its metrics"
SAR=$(sarabun || echo " [Sarabun is missing: TLWG metrics, see check 1]")

texts_ok() {
	python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); W, H = d['w'], d['h']; bad = []
for t in d['texts']:
    x, y, w, h = t['ink']; bx, by, bw, bh = t['box']; vx, vy, vw, vh = t['visible']
    if t['overflow']: bad.append('overflow: ' + t['text'])
    if t['hidden']: continue
    if x < 0 or x + w > W: bad.append('outside the window sideways: ' + t['text'])
    if (by < 0 or by + bh > H) and vh >= bh: bad.append('box leaves the window: ' + t['text'])
print('\n'.join(bad) if bad else 'ok')
PY
}
has_text() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if any(sys.argv[2] in t["text"] and not t["hidden"] for t in d["texts"]) else 1)' "$1" "$2"; }

ids=$($K --json services | python3 -c 'import json,sys; print(" ".join(s["id"] for s in json.load(sys.stdin)["services"]))')
n=$(wc -w <<<"$ids")
[ "$n" -ge 5 ]; ok $? "catalogue lists services ($n)"

for size in 1080x1920 1920x1080; do
	for lang in th en; do
		j=$($K --json shot --screen services --lang $lang --size $size --out "$TMP/services.png")
		ok $? "services $size $lang"
		is "$(texts_ok "$j")" ok "services $size $lang: every string fits$SAR"
		for id in $ids; do
			j=$($K --json shot --screen checklist --service $id --lang $lang --size $size --out "$TMP/c.png")
			ok $? "checklist $id $size $lang"
			is "$(texts_ok "$j")" ok "checklist $id $size $lang: every string fits$SAR"
		done
	done
done
j=$($K --json shot --screen checklist --service personal-cert --out "$TMP/c.png")
has_text "$j" "เอกสารที่ต้องเตรียม"; ok $? "checklist: documents heading"
has_text "$j" "สำเนาบัตรประจำตัวประชาชน"; ok $? "checklist: a document from the catalogue"
has_text "$j" "สำเนา 1 ฉบับ"; ok $? "checklist: how many copies, before any scrolling$SAR"
has_text "$j" "รับบัตรคิว"; ok $? "checklist: the ticket button is on screen"
j=$($K --json shot --screen checklist --service personal-cert --lang en --out "$TMP/c.png")
has_text "$j" "Documents to bring"; ok $? "checklist in English"
has_text "$j" "1 copy"; ok $? "English counts"
j=$($K --json shot --screen services --out "$TMP/s.png")
has_text "$j" "สอบสวนรับรองบุคคล"; ok $? "services: first service"
has_text "$j" "การสอบสวนและรับรอง"; ok $? "services: group heading"

$K shot --screen checklist --service nosuch --out "$TMP/x.png" 2>"$TMP/err"; is $? 2 "unknown service: exit 2"
like "$(cat "$TMP/err")" "nosuch" "names the service"
$K shot --screen checklist --out "$TMP/x.png" 2>/dev/null; is $? 2 "checklist without --service: exit 2"

cat > "$TMP/path.txt" <<'S'
assert-screen attract
tap 540 1500
assert-screen services
tap-text "สอบสวนรับรองบุคคล"
assert-screen checklist
assert-text "เอกสารที่ต้องเตรียม"
assert-text "ต้องพาพยานบุคคลอายุ 20 ปีขึ้นไป 2 คน"
tap-text "EN"
assert-text "Documents to bring"
assert-text "Get a queue ticket"
# Drags start mid-view (the fixed ticket bar at the foot grows with the font) and
# go on past the end, where the view stops: the last lines are then in sight.
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
drag 540 1100 540 300
assert-text "Information as of 24 Nov 2026"
tap-text "Back"
assert-screen services
tap-text "Home"
assert-screen attract
assert-text "Touch the screen or insert your ID card to start"
card insert elderly
assert-screen services
tap-text "‹ Back"
assert-screen attract
exit
S
$K run --headless --script "$TMP/path.txt" 2>"$TMP/err"; is $? 0 "visitor path: attract, services, checklist, scroll to the end, back, home, card"
[ -s "$TMP/err" ] && sed 's/^/# /' "$TMP/err"
done_testing
