#!/usr/bin/env bash
# `make install` lays out a working appliance image: binary, fonts, config in
# /etc/kiosk, units with restart + watchdog, udev rules, a kiosk user without login.
# No kiosk run here depends on the date: KIOSK_NOW is set for none of them.
. "$(dirname "$0")/lib.sh"
D=$TMP/img
# The image's fonts are the tree's fonts/ (Sarabun, fetched by `make deps`): without
# them it ships none and the kiosk falls back to TLWG. Said first, and by the check
# that needs it.
sarabun() { [ -r "$ROOT/fonts/Sarabun-Regular.ttf" ] && [ -r "$ROOT/fonts/Sarabun-Bold.ttf" ]; }
sarabun; ok $? "Sarabun is installed (fonts/Sarabun-Regular.ttf and -Bold.ttf; \`make deps\` fetches them): the image's fonts come from there"
SAR=$(sarabun || echo " [Sarabun is missing from fonts/, see check 1]")
make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr BUILD="$BUILD" >/dev/null 2>&1
ok $? "make install DESTDIR=… PREFIX=/usr succeeds"
check "the binary is installed executable" test -x "$D/usr/bin/kiosk"
check "kiosk-ui (the screens, served by kiosk) is installed beside it" test -x "$D/usr/bin/kiosk-ui"
check "kiosk-draw (screen shots, served by kiosk) is installed beside it" test -x "$D/usr/bin/kiosk-draw"
like "$(cd / && "$D/usr/bin/kiosk" announce --clips | head -1)" "^chime" "the installed kiosk hands a screen/sound command to kiosk-ui"
check "default config goes to /etc/kiosk" test -f "$D/etc/kiosk/kiosk.conf"
check "the catalogue goes to /etc/kiosk" test -f "$D/etc/kiosk/services.json"
F=$D/usr/share/kiosk/fonts
check "fonts are installed: Sarabun regular and bold, and its licence$SAR" \
	test -f "$F/Sarabun-Regular.ttf" -a -f "$F/Sarabun-Bold.ttf" -a -f "$F/OFL.txt"
out=$(cd / && KIOSK_CONFIG= KIOSK_DATA= "$D/usr/bin/kiosk" --config "$D/etc/kiosk" check-config 2>&1)
ok $? "the installed config passes check-config ($out)"
u=$D/lib/systemd/system/kiosk.service
like "$(grep -E '^Restart=' "$u")" "Restart=always" "the kiosk unit restarts it when it dies"
like "$(grep -E '^WatchdogSec=' "$u")" "WatchdogSec=[0-9]+" "and uses the systemd watchdog"
like "$(grep -E '^Type=' "$u")" "Type=notify" "with sd_notify readiness"
like "$(grep -E '^User=' "$u")" "User=kiosk" "as the kiosk user, not root"
check "a unit for the display board" test -f "$D/lib/systemd/system/kiosk-display.service"
like "$(cat "$D/usr/lib/sysusers.d/kiosk.conf")" "nologin" "the kiosk user has no login shell"
like "$(cat "$D/usr/lib/tmpfiles.d/kiosk.conf")" "/var/lib/kiosk 0700" "state folder private to the kiosk"
like "$(cat "$D/lib/udev/rules.d/60-kiosk.rules")" "usb/lp|lp\[0-9\]" "udev rule for the receipt printer"
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify "$u" 2>&1 | grep -v -E 'not found|No such file|Failed to |kiosk.service: Command /usr/bin/kiosk' | grep -i -E 'unknown|invalid|error' | head -3)
	is "$out" "" "systemd-analyze finds no unknown or invalid settings in the unit"
fi
# Installing again keeps a district's edited config.
echo "# edited by IT" >> "$D/etc/kiosk/kiosk.conf"
make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr BUILD="$BUILD" >/dev/null 2>&1
like "$(tail -1 "$D/etc/kiosk/kiosk.conf")" "edited by IT" "re-installing never overwrites /etc/kiosk"
done_testing
