#!/usr/bin/env bash
# valgrind memcheck over the main paths: no invalid read/write, no use of
# uninitialised memory, no definite leak (libraries' own "still reachable"
# caches - fontconfig, SDL - are not ours and are not counted).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8 KIOSK_NOW=2026-11-24T10:00:00+07:00
command -v valgrind >/dev/null || { echo "ok 1 - # SKIP valgrind not installed"; done_testing; exit 0; }
VG=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --track-origins=yes --suppressions=$ROOT/tests/valgrind.supp)
vg() { local d=$1; shift; "${VG[@]}" --log-file="$TMP/vg.log" "$@" >/dev/null 2>&1; local rc=$?
	is "$rc" 0 "valgrind clean: $d"; [ "$rc" -ne 0 ] && sed 's/^/# /' "$TMP/vg.log" | head -30; }
vg "check-config" "$K" check-config
vg "ticket" "$K" ticket --service personal-cert --json
vg "ticket --png --escpos" "$K" ticket --service will-make --priority --png "$TMP/t.png" --escpos "$TMP/t.bin"
vg "call" "$K" call --counter 1
vg "finish" "$K" finish --counter 1
vg "queue --json" "$K" queue --json
vg "shot checklist (SDL, text engine, software renderer)" "$K" shot --screen checklist --service personal-cert --out "$TMP/c.png"
printf 'tap 540 1500\ntap-text "สอบสวนรับรองบุคคล"\ntap-text "รับบัตรคิว"\nassert-screen ticket\ntap-text "เสร็จสิ้น"\nexit\n' > "$TMP/s.txt"
vg "run: a whole visit on the touchscreen" "$K" run --headless --no-api --no-upload --script "$TMP/s.txt"
done_testing
