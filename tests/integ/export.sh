#!/usr/bin/env bash
# kiosk export: row counts, BOM, RFC 4180 quoting and the formula guard (read
# back with Python's csv module as Excel would), the manifest verifies with
# sha256sum -c, periods, and atomicity on real small/read-only filesystems:
# a stick that fills up mid-write leaves no file that looks complete.
. "$(dirname "$0")/lib.sh"

W=$ROOT/$BUILD/tools/rating_writer
export KIOSK_NOW=2026-11-24T10:00:00+07:00
mkdir -p "$KIOSK_DATA" "$TMP/usb"
sql() { sqlite3 "$KIOSK_DATA/kiosk.db" "$1"; }
rate() { # rate SERVICE "COMMENT"
	local n
	n=$(jq_ "$("$K" ticket --service "$1" --json)" 'd["number"]')
	"$K" call --counter 1 >/dev/null && "$K" finish --counter 1 >/dev/null &&
		"$K" rate --ticket "$n" --scores 5,4,3,2 --comment "$2" >/dev/null
}
rate personal-cert 'เจ้าหน้าที่บริการดีมาก ขอบคุณค่ะ'
rate marital-status '=HYPERLINK("http://evil.example","click")'
rate signature-cert 'quoted "word", with comma'
rate personal-cert $'two\nlines'
rate personal-cert '@SUM(A1:A9)'
"$W" "$KIOSK_DATA" 300 --bulk
total=$(sql "SELECT COUNT(*) FROM ratings")
is "$total" 305 "305 ratings to export"

out=$("$K" export --to "$TMP/usb" --json); rc=$?
is "$rc" 0 "export: exit 0"
is "$(jq_ "$out" 'd["rows"]')" 305 '{"rows":305}'
dir=$(jq_ "$out" 'd["folder"]')
is "$(basename "$dir")" "kiosk-ratings_bangkhae_2026-11-24_2026-11-24" "folder named for office and period"
is "$(jq_ "$out" 'len(d["files"])')" 3 "three files listed"
is "$(head -c 3 "$dir/ratings.csv" | od -An -tx1 | tr -d ' ')" efbbbf "the CSV starts with the UTF-8 BOM"
(cd "$dir" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1
is $? 0 "sha256sum -c SHA256SUMS verifies"
like "$(cat "$dir/SHA256SUMS")" "^[0-9a-f]{64}  ratings.csv"$'\n'"[0-9a-f]{64}  ratings.json$" "manifest lists both files"
check=$(python3 - "$dir" <<'EOF'
import csv, json, sys
d = sys.argv[1]
raw = open(d + "/ratings.csv", "rb").read()
rows = list(csv.reader(open(d + "/ratings.csv", encoding="utf-8-sig", newline="")))
j = json.load(open(d + "/ratings.json", encoding="utf-8"))
com = {r[11] for r in rows[1:]}
crlf = raw.count(b"\r\n")
print(json.dumps({
    "records": len(rows) - 1, "cols": sorted({len(r) for r in rows}),
    "header0": rows[0][1], "json": j["count"], "json_rows": len(j["ratings"]),
    "thai": "เจ้าหน้าที่บริการดีมาก ขอบคุณค่ะ" in com,
    "formula": "'=HYPERLINK(\"http://evil.example\",\"click\")" in com,
    "at": "'@SUM(A1:A9)" in com,
    "quoted": 'quoted "word", with comma' in com,
    "newline": "two\nlines" in com,
    "crlf_ok": crlf == len(rows),
    "json_comment": any(r["comment"] == "two\nlines" for r in j["ratings"]),
    "ids_match": sorted(r[0] for r in rows[1:]) == sorted(r["id"] for r in j["ratings"]),
}))
EOF
)
is "$(jq_ "$check" 'd["records"]')" 305 "CSV: 305 records (read back with the csv module)"
is "$(jq_ "$check" 'd["cols"]')" "[16]" "every record has 16 columns"
is "$(jq_ "$check" 'd["header0"]')" "วันที่ / date" "Thai + English header"
is "$(jq_ "$check" 'd["json"]') $(jq_ "$check" 'd["json_rows"]')" "305 305" "JSON copy: count and rows"
is "$(jq_ "$check" 'd["ids_match"]')" True "same ids in CSV and JSON"
is "$(jq_ "$check" 'd["thai"]')" True "Thai comment intact"
is "$(jq_ "$check" 'd["formula"]')" True "a comment starting with = is defused with an apostrophe"
is "$(jq_ "$check" 'd["at"]')" True "and one starting with @"
is "$(jq_ "$check" 'd["quoted"]')" True "quotes and commas survive RFC 4180 quoting"
is "$(jq_ "$check" 'd["newline"]')" True "a newline inside a comment stays inside its field"
is "$(jq_ "$check" 'd["crlf_ok"]')" True "records end with CRLF"
is "$(ls -A "$dir" | tr '\n' ' ')" "SHA256SUMS ratings.csv ratings.json " "no temporary files left"

# Periods.
KIOSK_NOW=2026-11-25T09:00:00+07:00 rate personal-cert 'next day'
out=$(KIOSK_NOW=2026-11-25T12:00:00+07:00 "$K" export --to "$TMP/usb" --period today --json)
is "$(jq_ "$out" 'd["rows"]')" 1 "--period today: only today's rating"
out=$(KIOSK_NOW=2026-11-25T12:00:00+07:00 "$K" export --to "$TMP/usb" --from 2026-11-01 --until 2026-11-24 --json)
is "$(jq_ "$out" 'd["rows"]')" 305 "--from/--until select by Bangkok date"
out=$(KIOSK_NOW=2026-12-02T12:00:00+07:00 "$K" export --to "$TMP/usb" --period last-month --json)
is "$(jq_ "$out" '(d["from"], d["until"], d["rows"])')" "('2026-11-01', '2026-11-30', 306)" "--period last-month"
"$K" export --to "$TMP/usb" --from 2026-13-01 >/dev/null 2>&1
is $? 2 "a bad date: exit 2"
"$K" export --to "$TMP/usb" --from 2026-11-25 --until 2026-11-24 >/dev/null 2>&1
is $? 2 "from after until: exit 2"
"$K" export --to "$TMP/nope" >/dev/null 2>"$TMP/err"
is $? 1 "a folder that is not there: exit 1"
like "$(cat "$TMP/err")" "ถูกถอดออก.*removed" "says the drive may have been removed"

# Re-export over an earlier export of the same period: still verifies.
"$K" export --to "$TMP/usb" >/dev/null
(cd "$dir" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1
is $? 0 "exporting the same period again replaces the files and verifies"

# Real small and read-only filesystems (we are root in the test VM).
mnt=$TMP/stick
mkdir -p "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	at_exit "umount -l $mnt"
	"$K" export --to "$mnt" >/dev/null 2>"$TMP/err"
	is $? 1 "a 64 KB stick and a ~250 KB export: exit 1"
	like "$(cat "$TMP/err")" "แฟลชไดรฟ์เต็ม.*drive is full" "clear message: the drive is full (Thai + English)"
	is "$(find "$mnt" -type f | wc -l)" 0 "no file is left behind (no final names, no temporaries)"
	umount "$mnt"
	# Room for the CSV but not the JSON: the write fails midway through the export.
	csv=$(stat -c %s "$dir/ratings.csv")
	mount -t tmpfs -o size=$(( (csv / 4096 + 4) * 4096 )) tmpfs "$mnt"
	"$K" export --to "$mnt" >/dev/null 2>"$TMP/err"
	is $? 1 "the CSV fits, the JSON does not: exit 1"
	is "$(find "$mnt" -name 'ratings.*' -o -name SHA256SUMS | wc -l)" 0 "no file with a final name exists: nothing looks complete"
	is "$(find "$mnt" -type f | wc -l)" 0 "and the temporaries were removed"
	# A complete earlier export survives a failed later one.
	umount "$mnt"
	mount -t tmpfs -o size=2m tmpfs "$mnt"
	"$K" export --to "$mnt" --from 2026-11-24 --until 2026-11-24 >/dev/null
	edir=$(ls -d "$mnt"/kiosk-ratings_*)
	"$W" "$KIOSK_DATA" 6000 --bulk
	"$K" export --to "$mnt" --from 2026-11-24 --until 2026-11-24 >/dev/null 2>&1
	is $? 1 "a bigger export of the same period does not fit: exit 1"
	(cd "$edir" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1
	is $? 0 "the earlier complete export is untouched and still verifies"
	umount "$mnt"
	mount -t tmpfs -o size=1m,ro tmpfs "$mnt"
	"$K" export --to "$mnt" >/dev/null 2>"$TMP/err"
	is $? 1 "a read-only stick: exit 1"
	like "$(cat "$TMP/err")" "อ่านได้อย่างเดียว.*read-only" "clear message: read-only (Thai + English)"
	umount "$mnt"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "ok - # SKIP mount not permitted"; _n=$((_n + 1)); done
fi

# Removable drives: none here, exit 3 and an empty list.
out=$("$K" export --list-drives --json 2>/dev/null); rc=$?
is "$rc:$(jq_ "$out" 'len(d["drives"])')" "3:0" "--list-drives with no stick: exit 3, empty list"
done_testing
