#!/usr/bin/env bash
# The Thai operating manual (make manual, docs/manual/): it builds from the product
# (pictures by `kiosk shot` and the real counter page in headless Chromium), prints to a
# multi-page A4 PDF with extractable Thai, and never disagrees with the product: every
# command it prints runs as printed, every screen, configuration key and on-screen text
# it names exists, and every configuration key the product has is in it.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T10:00:00+07:00
SRC=$ROOT/docs/manual
OUT=$TMP/manual

if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then
	echo "ok 1 # SKIP chromium or poppler-utils missing (make deps installs them)"
	done_testing
	exit 0
fi

# --- the build ---------------------------------------------------------------------------
python3 "$SRC/build.py" "$K" "$OUT" >"$TMP/build.out" 2>"$TMP/build.err"
is $? 0 "docs/manual/build.py builds the manual"
[ -s "$TMP/build.err" ] && sed 's/^/# /' "$TMP/build.err" | tail -5
titles=()
while IFS= read -r t; do titles+=("$t"); done < <(sed -n 's/^# //p' "$SRC"/[0-9][0-9]-*.md)
nch=$(ls "$SRC"/[0-9][0-9]-*.md | wc -l)
ok $(( nch < 8 )) "$nch chapters"
is "$(ls "$OUT"/[0-9][0-9]-*.html 2>/dev/null | wc -l)" "$nch" "one HTML page per chapter"
idx=$(cat "$OUT/index.html" 2>/dev/null)
like "$idx" '<html lang="th">' "index.html is Thai"
missing=""
for t in "${titles[@]}"; do [[ $idx == *"$t"* ]] || missing+="$t; "; done
is "$missing" "" "the index lists every chapter title"
like "$(cat "$OUT/manual.css")" "@font-face \{ font-family: Sarabun; src: url\(fonts/Sarabun-Regular.ttf\)" "Sarabun is served from a local file"
ok $([ -s "$OUT/fonts/Sarabun-Regular.ttf" ] || [ ! -s "$ROOT/fonts/Sarabun-Regular.ttf" ]; echo $?) "and copied next to the pages"
like "$(cat "$OUT/manual.css")" "@page \{ size: A4" "print CSS for A4"

# Every picture the pages show was made now and is a real picture of a real screen.
bad=""
for img in $(grep -oh 'src="img/[^"]*"' "$OUT"/*.html | sort -u | sed 's/src="//; s/"$//'); do
	f=$(identify -format '%m %w %h' "$OUT/$img" 2>/dev/null)
	[[ $f =~ ^PNG\ ([0-9]+)\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 600 ] || bad+="$img($f) "
done
is "$bad" "" "every picture is a PNG made by this build"
is "$(identify -format '%w' "$OUT/img/shot-display.png" 2>/dev/null)" 1920 "the lobby board picture is the 1920 px board"
ok $([ "$(identify -format '%w' "$OUT/img/counter.png" 2>/dev/null)" = 1000 ]; echo $?) "the counter page picture comes from Chromium"
like "$(zbarimg -q --raw "$OUT/img/shot-ticket-personal-cert.png" 2>/dev/null)" "^https://queue\.bangkhae\.example/t\?" \
	"the ticket picture carries the configured QR"

# --- the PDF -----------------------------------------------------------------------------
info=$(pdfinfo "$OUT/manual.pdf" 2>/dev/null)
pages=$(sed -n 's/^Pages: *//p' <<<"$info")
ok $(( !(${pages:-0} > 15) )) "the PDF has ${pages:-no} pages (> 15)"
like "$(sed -n 's/^Page size: *//p' <<<"$info")" "^59[45]\.[0-9]* x 84[12]\.[0-9]* pts \(A4\)" "on A4"
txt=$(pdftotext -layout "$OUT/manual.pdf" - 2>/dev/null)
missing=""
for t in "${titles[@]}"; do [[ $txt == *"$t"* ]] || missing+="$t; "; done
is "$missing" "" "every chapter title is extractable Thai text in the PDF"
like "$txt" "หน้า 3 / $pages" "pages are numbered (หน้า N / total)"
like "$(pdffonts "$OUT/manual.pdf" 2>/dev/null)" "Sarabun" "printed in Sarabun"
# The contents on page 1 give each chapter's page, and that page starts with the chapter.
toc=$(pdftotext -f 1 -l 1 "$OUT/manual.pdf" - 2>/dev/null | tr -s '\n' ' ')
bad=""
for i in "${!titles[@]}"; do
	n=$((i + 1))
	pg=$(grep -oP "\Q$n. ${titles[$i]}\E หน้า \K[0-9]+" <<<"$toc")
	head=$(pdftotext -f "${pg:-1}" -l "${pg:-1}" "$OUT/manual.pdf" - 2>/dev/null | tr -d ' \n' | cut -c1-12)
	want=$(tr -d ' ' <<<"$n. ${titles[$i]}" | cut -c1-12)
	[ -n "$pg" ] && [ "$pg" -gt 1 ] && [ "$head" = "$want" ] || bad+="$n(page ${pg:-none}: $head) "
done
is "$bad" "" "the printed contents give the right page for every chapter"

# --- every command printed runs as printed -------------------------------------------------
# The pages' <pre class="cmd"> blocks, as a reader sees them, one script each. On the
# appliance the data live in /var/lib/kiosk; here those paths are scratch folders, and
# the scratch /media/usb is the plugged-in stick (KIOSK_USB_DIRS).
W=$TMP/run
mkdir -p "$W/bin" "$W/work" "$W/var" "$W/backups" "$W/media/usb"
ln -s "$K" "$W/bin/kiosk"
python3 - "$OUT" "$W/blocks" cmd <<'PY'
import glob, html, os, re, sys
out, dest, cls = sys.argv[1:4]
os.makedirs(dest, exist_ok=True)
n = 0
for page in sorted(glob.glob(os.path.join(out, "[0-9][0-9]-*.html"))):
    for body in re.findall(r'<pre class="%s">(.*?)</pre>' % cls, open(page, encoding="utf-8").read(), re.S):
        n += 1
        with open(os.path.join(dest, "%02d" % n), "w") as f:
            f.write("# %s\n%s\n" % (os.path.basename(page), html.unescape(body)))
PY
(export KIOSK_DATA=$W/var && "$K" simulate --days 60 --seed 3 >/dev/null)
nblocks=0
for b in "$W"/blocks/*; do
	nblocks=$((nblocks + 1))
	sed -i -e "s|/var/lib/kiosk|$W/var|g; s|/var/backups|$W/backups|g; s|/media/usb|$W/media/usb|g" "$b"
	first=$(sed -n 2p "$b")
	(cd "$W/work" && PATH=$W/bin:$PATH KIOSK_DATA=$W/var KIOSK_USB_DIRS=$W/media/usb bash -e "$b" \
		<<<$'482915\n482915\n' >"$b.out" 2>&1)
	rc=$?
	is "$rc" 0 "command block $nblocks ($(sed -n 1p "$b" | cut -c3-): $first …) runs as printed"
	[ "$rc" = 0 ] || sed 's/^/#   /' "$b.out" | tail -4
done
ok $(( nblocks < 8 )) "the manual shows $nblocks command blocks"
# What they made is what the manual says they make.
is "$(python3 -c 'import sys, wave; print(wave.open(sys.argv[1]).getnframes() > 8000)' "$W/work/ทดสอบ.wav" 2>/dev/null)" True \
	"kiosk announce wrote the speaker test ทดสอบ.wav (a WAV with sound in it)"
ok $([ -s "$W/work/รายงาน/summary.html" ]; echo $?) "kiosk report wrote รายงาน/summary.html"
ok $(ls "$W"/media/usb/kiosk-ratings_*/ratings.csv >/dev/null 2>&1; echo $?) "kiosk export wrote ratings.csv on the stick"
like "$(PATH=$W/bin:$PATH KIOSK_DATA=$W/var kiosk admin-pin --status 2>&1)" "tries left" "kiosk admin-pin set a PIN"
rb=$(grep -l -- '.restore' "$W"/blocks/?? | head -1)
is "$(tail -1 "$rb.out" 2>/dev/null)" ok "the restored database passes sqlite3's integrity check"
is "$(sqlite3 "$W/var/kiosk.db" "SELECT COUNT(*) > 100 FROM tickets" 2>/dev/null)" 1 "and holds the history again"

# Root-only lines (systemd, make install) cannot run here: every name in them must exist.
python3 - "$OUT" "$W/root" cmd-root <<'PY'
import glob, html, os, re, sys
out, dest, cls = sys.argv[1:4]
with open(dest, "w") as f:
    for page in sorted(glob.glob(os.path.join(out, "[0-9][0-9]-*.html"))):
        for body in re.findall(r'<pre class="%s">(.*?)</pre>' % cls, open(page, encoding="utf-8").read(), re.S):
            f.write(html.unescape(body) + "\n")
PY
readme=$(cat "$ROOT/README.md")
bad=""
nroot=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	nroot=$((nroot + 1))
	set -- $line
	case $1 in
	systemctl | journalctl)
		unit=${!#}
		[ "$1" = journalctl ] && unit=$3
		[ -e "$ROOT/assets/system/$unit" ] || [ "$unit" = pcscd.service ] || bad+="[$line: no unit $unit] " ;;
	make)
		grep -q "^$2:" "$ROOT/Makefile" || bad+="[$line: no target $2] " ;;
	kiosk)
		row=$(grep -F "| \`kiosk $2" <<<"$readme")
		[ -n "$row" ] || bad+="[$line: no command $2] "
		for o in $(grep -o -- '--[a-z-]*' <<<"$line"); do [[ $row == *"$o"* ]] || bad+="[$line: $o] "; done ;;
	*)
		grep -qF -- "$line" "$ROOT/docs/install.md" || bad+="[$line: not in docs/install.md] " ;;
	esac
done <"$W/root"
is "$bad" "" "every root-only line ($nroot) names a real unit, make target, kiosk option or install step"

# --- names the manual uses exist in the product ---------------------------------------------
screens=$("$K" shot --screen '?' --out "$TMP/x.png" 2>&1 | sed -n 's/.*screens://p')
like "$screens" "attract" "kiosk shot lists its screens"
bad=""
for s in $(grep -oh '](shot:[a-z]*' "$SRC"/*.md | sed 's/.*shot://' | sort -u) \
	$(grep -oh '(\(attract\|gallery\|services\|checklist\|ticket\|display\|rating\|thanks\|admin\|[a-z]*\))](' "$SRC"/*.md | tr -d '()]' | sort -u); do
	[[ " $screens " == *" $s "* ]] || bad+="$s "
done
is "$bad" "" "every screen the manual names is a kiosk screen"
# A screen or admin tab added to the product and missing from the manual fails here.
pictured=" $(grep -oh '](shot:[a-z:]*' "$SRC"/*.md | sed 's/.*shot://' | tr '\n' ' ')"
bad=""
for s in $screens; do [ "$s" = gallery ] || [[ $pictured == *" $s"[\ :]* ]] || bad+="$s "; done
tabs=$(grep -o 'admin --service [a-z|\\]*' "$ROOT/README.md" | head -1 | sed 's/.* //; s/[\\|]/ /g; s/  */ /g')
for t in $tabs; do [[ $pictured == *" admin:$t "* ]] || bad+="admin:$t "; done
is "$bad" "" "every screen (but the widget gallery) and every admin tab ($tabs) has its picture"

# Configuration keys: the table in core/config.c against every `[section] key` in the manual.
keys=$(sed -n 's/^\s*[SI]("\([a-z]*\)", "\([a-z_.*]*\)".*/[\1] \2/p; s/^\s*{"\([a-z]*\)", "\([a-z_.*]*\)".*/[\1] \2/p' \
	"$ROOT/kiosk/core/config.c" | sed 's/services\.\*/services.N/' | sort -u)
ok $(( $(wc -l <<<"$keys") < 20 )) "core/config.c has $(wc -l <<<"$keys") settings"
named=$(grep -oh '`\[[a-z]*\] [a-z_.N]*`' "$SRC"/*.md | tr -d '`' | sort -u)
is "$(comm -13 <(echo "$keys") <(echo "$named") | tr '\n' ' ')" "" "every setting the manual names exists in core/config.c"
is "$(comm -23 <(echo "$keys") <(echo "$named") | tr '\n' ' ')" "" "every setting the product has is explained in the manual"
shipped=$(sed -n '/^\[/{s/^\[\(.*\)\]/\1/;h;d}; /^[a-z]/{s/ *=.*//;G;s/\(.*\)\n\(.*\)/[\2] \1/;p}' "$ROOT/config/kiosk.conf" | sort -u)
is "$(comm -13 <(echo "$keys") <(echo "$shipped") | tr '\n' ' ')" "" "and the shipped kiosk.conf uses no other"

# On-screen words: every "quoted" Thai text is something the product really shows, and
# every ‘chapter’ reference names a chapter.
bad=$(python3 - "$ROOT" "$SRC" <<'PY'
import glob, os, re, sys
root, src = sys.argv[1:3]
prod = "".join(open(f, encoding="utf-8").read() for f in glob.glob(os.path.join(root, "kiosk/**/*.c"), recursive=True) +
               [os.path.join(root, "assets/counter.html"), os.path.join(root, "config/services.json")])
titles = [l[2:].strip() for f in glob.glob(os.path.join(src, "[0-9][0-9]-*.md")) for l in open(f, encoding="utf-8") if l.startswith("# ")]
bad = []
for f in sorted(glob.glob(os.path.join(src, "[0-9][0-9]-*.md"))):
    text = open(f, encoding="utf-8").read()
    for q in re.findall(r'"([^"\n]*[\u0e00-\u0e7f][^"\n]*)"', text):
        if any(len(x.strip()) >= 3 and x.strip() not in prod for x in re.split(r"\.\.\.|…", q)):
            bad.append(q)
    for q in re.findall(r"บท ‘([^’]*)’", text):
        if not any(all(x.strip() in t for x in q.split("…")) for t in titles):
            bad.append("บท " + q)
print("; ".join(bad))
PY
)
is "$bad" "" "every quoted screen text is in the product, every chapter reference names a chapter"

# The priority rule as the manual states it, against the product: with priority_every = 2
# a priority ticket issued last is called third.
P=$TMP/prio
export KIOSK_DATA=$P
for s in "" "" "" "--priority"; do "$K" ticket --service personal-cert $s >/dev/null; done
order=""
for c in 1 2 3; do order+="$("$K" call --counter $c --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])') "; done
like "$(cat "$SRC/02-counter.md")" "คิวพิเศษรอหลังคิวปกติไม่เกิน 2 คิว" "the manual says a priority ticket waits behind at most 2 normal calls"
is "$order" "A001 A002 A004 " "and the kiosk calls the late priority ticket after 2 normal ones"
done_testing
