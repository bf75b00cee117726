#!/usr/bin/env bash
# `kiosk shot` runs in kiosk-draw: the screens and the Thai text engine without the
# network, card reader, PostgreSQL and systemd libraries that `kiosk run` needs, so a
# screen shot (the manual's pictures, the buyer's comparison) starts in a third less
# time. The picture is the one kiosk-ui draws, and nothing is lost by the split.
. "$(dirname "$0")/lib.sh"
export KIOSK_NOW=2026-11-24T09:41:00+07:00
D=$ROOT/$BUILD/kiosk-draw

# What the binary itself asks for (SDL2 brings libsystemd in on its own, via libudev).
libs=$(readelf -d "$D" | grep NEEDED)
for l in libcurl libmicrohttpd libpcsclite libpq libsystemd; do
	ok $(grep -q "$l" <<<"$libs"; echo $(( ! $? ))) "kiosk-draw does not link $l"
done
like "$libs" "libSDL2_ttf" "it does link SDL2_ttf (the text engine)"
ok $(( $(ldd "$D" | wc -l) < $(ldd "$ROOT/$BUILD/kiosk-ui" | wc -l) ? 0 : 1 )) "it loads fewer shared objects than kiosk-ui ($(ldd "$D" | wc -l) against $(ldd "$ROOT/$BUILD/kiosk-ui" | wc -l))"

for s in "checklist personal-cert" "admin overview" "display" "rating questions" "attract"; do
	set -- $s
	"$K" shot --screen "$1" ${2:+--service "$2"} --out "$TMP/d.png" 2>"$TMP/e"
	is $? 0 "kiosk shot --screen $1 works through kiosk-draw"
	"$ROOT/$BUILD/kiosk-ui" shot --screen "$1" ${2:+--service "$2"} --out "$TMP/u.png" 2>/dev/null
	check "and draws the $1 screen exactly as kiosk-ui does" cmp "$TMP/d.png" "$TMP/u.png"
done
"$K" shot --screen nosuch --out "$TMP/x.png" 2>"$TMP/e"; is $? 2 "an unknown screen: exit 2"
like "$(cat "$TMP/e")" "screens:.*checklist" "and the screens are listed"
# Any other command given to kiosk-draw itself goes on to kiosk-ui.
like "$("$D" announce --clips | head -1)" "^chime" "kiosk-draw hands other commands to kiosk-ui"
done_testing
