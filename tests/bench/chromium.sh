# The buyer's comparison: the same checklist screen (personal certification,
# Thai, 1080x1920) drawn by this kiosk and by a web page in Chromium's kiosk-style
# headless mode, start to finished picture, measured side by side in one run.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/data
python3 tests/tools/checklist_html.py config personal-cert "$T/cl.html"
# median N CMD...: "<ms> <MB>", each the median of N tree_rss.py runs (medians, not the
# best run: a shared machine's luck is not a figure).
median() {
	local n=$1
	shift
	# Chromium starts each run from a fresh profile ($T/ud), as before the medians.
	for _ in $(seq "$n"); do rm -rf "$T/ud"; python3 tests/tools/tree_rss.py "$@"; done |
		python3 -c 'import sys, statistics as s; r=[l.split() for l in sys.stdin if l.strip()]; print("%d %.1f" % (s.median(float(a) for a, b in r), s.median(float(b) for a, b in r)))'
}
nat=$(median 7 "$K" shot --screen checklist --service personal-cert --out "$T/n.png")
echo "| checklist screen, this kiosk: start to PNG / peak memory (median of 7) | ${nat% *} ms / ${nat#* } MB | ≤ 120 ms, ≤ 35 MB | \`tests/tools/tree_rss.py kiosk shot --screen checklist --service personal-cert\` |"
CH=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CH" ]; then
	chr=$(median 3 "$CH" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$T/ud" --hide-scrollbars --window-size=1080,1920 \
		--screenshot="$T/c.png" "file://$T/cl.html")
	echo "| same checklist as a web page, Chromium $($CH --version 2>/dev/null | awk '{print $2}') headless: start to PNG / peak memory (all processes; median of 3) | ${chr% *} ms / ${chr#* } MB | — | \`tests/tools/tree_rss.py chromium --headless --screenshot file://…/checklist.html\` |"
	echo "| ratio Chromium / kiosk | $(python3 -c "print('%.1f× time, %.1f× memory' % (${chr% *}/${nat% *}, ${chr#* }/${nat#* }))") | ≥ 15× time, ≥ 30× memory | (the two rows above) |"
else
	echo "| same checklist in Chromium | not measured: chromium not installed | — | \`apt-get install chromium\` |"
fi
