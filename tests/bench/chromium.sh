# The buyer's comparison: the same checklist screen (personal certification,
# Thai, 1080x1920) drawn by this kiosk and by a web page in Chromium's kiosk-style
# headless mode, start to finished picture, measured side by side in one run.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/data
python3 tests/tools/checklist_html.py config personal-cert "$T/cl.html"
best() { sort -n | head -1; }
nat=$(for i in 1 2 3; do python3 tests/tools/tree_rss.py "$K" shot --screen checklist --service personal-cert --out "$T/n.png"; done | sort -n | head -1)
echo "| checklist screen, this kiosk: start to PNG / peak memory | ${nat% *} ms / ${nat#* } MB | first frame < 150 ms, < 60 MB | \`tests/tools/tree_rss.py kiosk shot --screen checklist --service personal-cert\` |"
CH=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CH" ]; then
	chr=$(for i in 1 2 3; do python3 tests/tools/tree_rss.py "$CH" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$T/ud$i" --hide-scrollbars --window-size=1080,1920 \
		--screenshot="$T/c.png" "file://$T/cl.html"; done | sort -n | head -1)
	echo "| same checklist as a web page, Chromium $($CH --version 2>/dev/null | awk '{print $2}') headless: start to PNG / peak memory (all processes) | ${chr% *} ms / ${chr#* } MB | — | \`tests/tools/tree_rss.py chromium --headless --screenshot file://…/checklist.html\` |"
	echo "| ratio Chromium / kiosk | $(python3 -c "print('%.0f× time, %.0f× memory' % (${chr% *}/${nat% *}, ${chr#* }/${nat#* }))") | — | (the two rows above) |"
else
	echo "| same checklist in Chromium | not measured: chromium not installed | — | \`apt-get install chromium\` |"
fi
