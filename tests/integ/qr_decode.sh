#!/usr/bin/env bash
# Ticket QR codes through a real decoder: payload -> PNG and ESC/POS stream ->
# raster decoded back -> zbarimg; the decoded text must verify with the key.
. "$(dirname "$0")/lib.sh"
Q=$ROOT/$BUILD/tools/qrtool
TPL='https://q.bangkhae.go.th/t?o={office}&d={date}&n={number}&s={sig}'
KEYS=$TMP/data
zbar() { zbarimg --raw -q "$1" 2>/dev/null; }

P=$("$Q" payload --key-dir "$KEYS" --template "$TPL" --office bangkhae --date 2026-11-24 --number A023)
like "$P" '^https://q\.bangkhae\.go\.th/t\?o=bangkhae&d=2026-11-24&n=A023&s=[A-Z2-7]{10}$' "payload follows the template"
is "$(stat -c %a "$KEYS/device.key")" 600 "device key made with mode 600"
is "$(stat -c %s "$KEYS/device.key")" 32 "device key is 32 bytes"

for paper in 384 512 576; do
	"$Q" render --payload "$P" --paper $paper --scale 4 --png "$TMP/t$paper.png" --escpos "$TMP/t$paper.bin"
	ok $? "render on $paper-dot paper"
	is "$(zbar "$TMP/t$paper.png")" "$P" "zbarimg reads the $paper-dot PNG"
	info=$("$Q" raster2png "$TMP/t$paper.bin" "$TMP/back$paper.png")
	like "$info" "^width $paper rows [0-9]+ slices 1 inits 1 feeds 4 cuts 1$" "ESC/POS stream decodes: $info"
	is "$(zbar "$TMP/back$paper.png")" "$P" "zbarimg reads the QR from the $paper-dot ESC/POS raster"
done
# Slices of 40 rows: the image is split over many GS v 0 blocks and still scans.
"$Q" render --payload "$P" --paper 576 --scale 4 --slice 40 --escpos "$TMP/s.bin"
info=$("$Q" raster2png "$TMP/s.bin" "$TMP/s.png")
like "$info" 'slices ([2-9]|[1-9][0-9])' "40-row slices: $info"
is "$(zbar "$TMP/s.png")" "$P" "sliced raster still scans"
# Smallest practical module: 3 dots (0.375 mm).
"$Q" render --payload "$P" --paper 384 --scale 3 --escpos "$TMP/m3.bin" && "$Q" raster2png "$TMP/m3.bin" "$TMP/m3.png" >/dev/null
is "$(zbar "$TMP/m3.png")" "$P" "3-dot modules still scan"

dec=$(zbar "$TMP/back576.png")
is "$(printf '%s\r\n' "$dec" | "$Q" verify --key-dir "$KEYS" --template "$TPL" --office bangkhae --date 2026-11-24)" \
	"ticket bangkhae 2026-11-24 A023" "decoded payload verifies (scanner CR LF suffix)"
forged=${dec/n=A023/n=A024}
out=$(printf '%s' "$forged" | "$Q" verify --key-dir "$KEYS" --template "$TPL"); rc=$?
is "$rc:$out" "1:junk signature does not match (forged, altered, or from another kiosk)" "forged number rejected"
out=$(printf '%s' "$dec" | "$Q" verify --key-dir "$TMP/other" --template "$TPL"); rc=$?
is "$rc" 1 "another kiosk's key rejects it"
out=$(printf '%s' "$dec" | "$Q" verify --key-dir "$KEYS" --template "$TPL" --date 2026-11-25); rc=$?
is "$rc:$out" "1:junk ticket of another day" "yesterday's ticket refused when today is required"
out=$(head -c 10240 /dev/urandom | "$Q" verify --key-dir "$KEYS" --template "$TPL"); rc=$?
is "$rc:$out" "1:junk scan too long" "10 KB of binary refused"
is "$(printf 'a23\n' | "$Q" verify --key-dir "$KEYS" --template "$TPL")" "number A023" "typed number accepted"

# The signature compare is the constant-time one.
nm "$ROOT/$BUILD/obj/core/qrpayload.o" | grep -q ' U secret_equal$' &&
	nm "$ROOT/$BUILD/obj/core/secret.o" | grep -q ' U nettle_memeql_sec$'
ok $? "qrpayload.o compares with secret_equal, which is Nettle's memeql_sec"

# A readable key is refused, with a message saying what to do.
chmod 644 "$KEYS/device.key"
err=$("$Q" payload --key-dir "$KEYS" --template "$TPL" --office bangkhae --date 2026-11-24 --number A023 2>&1 >/dev/null); rc=$?
is "$rc" 2 "group/other-readable key: exit 2"
like "$err" 'chmod 600' "message: $err"
chmod 600 "$KEYS/device.key"
done_testing
