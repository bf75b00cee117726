#!/usr/bin/env bash
# The district's open data (`kiosk collector open-data`) from a real collector on a real
# PostgreSQL (private cluster in this test's folder, unix socket only, as collector.sh),
# fed by three real kiosks that issued, served and rated tickets through the CLI and
# uploaded them with `kiosk upload`.
#
# Known cells (month 2026-11): bangkhae (kiosk-1 + kiosk-2) personal-cert 3 ratings
# (suppressed), marital-status 6 (its complement: suppressed too), signature-cert 10;
# phasicharoen (kiosk-3) signature-cert exactly 5 (shown), conduct-cert 7; nongkhaem
# will-make 8 = 6 at kiosk-4 + 2 at kiosk-5 (suppressed: kiosk-5 hides its 2, kiosk-4
# publishes its 6, so the office's 8 minus those 6 would give kiosk-5's 2 back).
# Checks: the files exist and parse, snake_case columns, the BOM variant, suppression,
# per-office counts equal to each kiosk's own `kiosk report`, no comment, rating id or
# token anywhere, every CKAN field filled, DCAT downloadURLs = the files written; bad
# input (month, --out, database, names) refused with a bilingual message, exit non-zero,
# nothing half-written and an earlier folder left whole.
. "$(dirname "$0")/lib.sh"

# One frozen office clock for every process of this file: the ratings fall in 2026-11.
export KIOSK_NOW=2026-11-24T10:00:00+07:00
# --- a private PostgreSQL (lib.sh) ---------------------------------------------------------
pg_start
psql_ "CREATE DATABASE fresh" postgres
C() { "$K" collector "$@"; }
C migrate --db "$DB" >/dev/null
ok $? "collector migrate"

# --- three kiosks rate known services, and upload -------------------------------------------
declare -A OFFICE=([1]=bangkhae [2]=bangkhae [3]=phasicharoen [4]=nongkhaem [5]=nongkhaem)
for n in 1 2 3 4 5; do
	mkdir -p "$TMP/cfg$n" "$TMP/k$n"
	cp -r "$ROOT/config/." "$TMP/cfg$n/"
	sed -i "s/^id = kiosk-1\$/id = kiosk-$n/; s/^code = bangkhae\$/code = ${OFFICE[$n]}/" "$TMP/cfg$n/kiosk.conf"
	C add-kiosk --db "$DB" --office "${OFFICE[$n]}" --kiosk "kiosk-$n" 2>/dev/null | tail -1 >"$TMP/k$n/server.token"
	chmod 600 "$TMP/k$n/server.token"
done
kq() { local n=$1; shift; KIOSK_CONFIG=$TMP/cfg$n KIOSK_DATA=$TMP/k$n "$K" "$@"; }
SECRET="ความเห็นลับ-XYZZY-$$"
# rate N SERVICE COUNT SCORES [COMMENT]: COUNT tickets issued, served and rated at kiosk N
rate() {
	local n=$1 svc=$2 count=$3 scores=$4 comment=${5:-} i num
	for ((i = 0; i < count; i++)); do
		num=$(jq_ "$(kq "$n" ticket --service "$svc" --json)" 'd["number"]')
		kq "$n" call --counter 1 >/dev/null && kq "$n" finish --counter 1 >/dev/null &&
			kq "$n" rate --ticket "$num" --scores "$scores" ${comment:+--comment "$comment"} >/dev/null ||
			echo "# kiosk-$n: $svc ticket $num not rated"
	done
}
rate 1 personal-cert 2 5,5,4,5 "$SECRET"
rate 2 personal-cert 1 1,2,1,1
rate 1 marital-status 4 4,4,4,4
rate 2 marital-status 2 3,4,5,4
rate 1 signature-cert 10 5,4,4,5
rate 3 signature-cert 5 4,4,4,4
rate 3 conduct-cert 7 5,5,5,4
rate 4 will-make 6 5,5,5,5
rate 5 will-make 2 1,1,1,1
"$K" collector serve --db "$DB" --port 0 --quiet >"$TMP/col.out" 2>"$TMP/col.err" &
CPID=$!
at_exit "kill -9 $CPID"
wait_grep "$TMP/col.out" '^serving http://'
URL="http://127.0.0.1:$(serving_port "$TMP/col.out")/api/v1/ratings"
for n in 1 2 3 4 5; do
	kq "$n" upload --once --server "$URL" >/dev/null 2>&1
	ok $? "kiosk-$n uploads its ratings to the collector"
done
is "$(psql_ "SELECT COUNT(*) FROM ratings")" 39 "39 ratings stored in PostgreSQL"

# --- the files -------------------------------------------------------------------------------
BASE=https://data.bangkhae.example/open-data/
OD=$TMP/od
out=$(C open-data --db "$DB" --out "$OD" --base-url "$BASE" --email opendata@bangkhae.example 2>"$TMP/e"); rc=$?
is "$rc" 0 "open-data --out DIR: exit 0"
like "$out" "6 rows \(3 with means left empty" "it says how many rows and how many were suppressed: $out"
is "$(ls "$OD" | sort | tr '\n' ' ')" \
	"dcat.jsonld dictionary.csv dictionary.json metadata.json stats-2026-11-bom.csv stats-2026-11.csv stats-2026-11.json stats-bom.csv stats.csv stats.json " \
	"the month's CSV, BOM CSV and JSON, all months', the dictionary, metadata.json and dcat.jsonld"
is "$(ls "$TMP" | grep -c '^od\.')" 0 "no temporary or old folder left beside it"

# csv FILE EXPR: EXPR over rows (a list of dicts) and hdr (the header) of a CSV file
csv() { python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
hdr = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[0]
cell = lambda o, s, k: [r[k] for r in rows if r["office_code"] == o and r["service_id"] == s][0]
print(eval(sys.argv[2]))' "$1" "$2"; }
S=$OD/stats-2026-11.csv
is "$(csv "$S" 'len(rows)')" 6 "stats-2026-11.csv parses (python csv): 6 rows, one per office and service rated"
is "$(csv "$S" 'all(__import__("re").fullmatch("[a-z][a-z0-9_]*", h) for h in hdr)')" True "every column name is snake_case English"
is "$(csv "$S" '",".join(hdr)')" \
	"month,office_code,service_id,service_name_th,service_name_en,ratings,satisfaction_process,satisfaction_staff,satisfaction_facility,satisfaction_overall,satisfaction_all,satisfaction_band,satisfaction_band_th,satisfaction_band_en" \
	"the kiosk's column names; users, served and waits absent (the collector gets ratings only)"
is "$(head -c 3 "$OD/stats-2026-11-bom.csv" | od -An -tx1 | tr -d ' ')" efbbbf "the -bom.csv variant starts with EF BB BF"
cmp -s <(tail -c +4 "$OD/stats-2026-11-bom.csv") "$S"
ok $? "and is the plain CSV after those three bytes"
is "$(csv "$S" 'cell("bangkhae", "personal-cert", "ratings") + "|" + "".join(cell("bangkhae", "personal-cert", k) for k in hdr[6:])')" "3|" \
	"bangkhae personal-cert (3 ratings): count shown, every mean and the band left empty"
is "$(csv "$S" 'cell("bangkhae", "marital-status", "ratings") + "|" + "".join(cell("bangkhae", "marital-status", k) for k in hdr[6:])')" "6|" \
	"bangkhae marital-status (6): suppressed too, or bangkhae's monthly mean minus the rest would give personal-cert back"
is "$(csv "$S" 'cell("nongkhaem", "will-make", "ratings") + "|" + "".join(cell("nongkhaem", "will-make", k) for k in hdr[6:])')" "8|" \
	"nongkhaem will-make (8 = 6 at kiosk-4 + 2 at kiosk-5): suppressed, or minus kiosk-4's own published cell it gives kiosk-5's 2 back"
is "$(csv "$S" '"|".join(cell("phasicharoen", "signature-cert", k) for k in hdr[5:])')" "5|4.00|4.00|4.00|4.00|4.00|4|มาก|high" \
	"phasicharoen signature-cert (exactly 5 ratings): shown, '.' decimals, band 4 high / มาก"
is "$(csv "$S" '"|".join(cell("bangkhae", "signature-cert", k) for k in hdr[3:7])')" "รับรองลายมือชื่อ|Signature certification|10|5.00" \
	"service names in Thai and English from the config folder"
for o in bangkhae phasicharoen nongkhaem; do
	want=0
	for n in 1 2 3 4 5; do
		[ "${OFFICE[$n]}" = "$o" ] && want=$((want + $(jq_ "$(kq "$n" report --month 2026-11 --include-flagged --json)" 'd["satisfaction"]["n"]')))
	done
	is "$(csv "$S" "sum(int(r['ratings']) for r in rows if r['office_code'] == '$o')")" "$want" \
		"$o: its ratings add up to its kiosks' own \`kiosk report\` ($want)"
done
is "$(jq_ "$(cat "$OD/stats-2026-11.json")" '[(r["office_code"], r["service_id"], r["ratings"], r["satisfaction_all"]) for r in d["rows"]][:2]')" \
	"[('bangkhae', 'marital-status', 6, None), ('bangkhae', 'personal-cert', 3, None)]" \
	"stats-2026-11.json: the same rows, suppressed means as null"
cmp -s <(csv "$OD/stats.csv" 'rows') <(csv "$S" 'rows')
ok $? "stats.csv (all months) holds the same rows (one month of data)"

# --- nothing personal ----------------------------------------------------------------------------
grep -rqF -- "$SECRET" "$OD"; is $? 1 "the distinctive comment text appears in no file"
for n in 1 2 3 4 5; do sqlite3 "$TMP/k$n/kiosk.db" "SELECT id FROM ratings"; cat "$TMP/k$n/server.token"; done >"$TMP/ids"
is "$(grep -rlFf "$TMP/ids" "$OD" | wc -l)" 0 "no rating id and no kiosk token in any file"
grep -rqE 'kiosk-[0-9]|A0[0-9][0-9]' "$OD"; is $? 1 "no kiosk name and no ticket number either"

# --- the dictionary, metadata.json (CKAN) and dcat.jsonld ------------------------------------------
is "$(csv "$OD/dictionary.csv" '",".join(r["field"] for r in rows)')" "$(csv "$S" '",".join(hdr)')" \
	"dictionary.csv: one line per column, in order"
is "$(csv "$OD/dictionary.csv" 'all(r["description_th"] and r["description_en"] and r["type"] for r in rows)')" True \
	"each with its type and a Thai and an English description"
like "$(csv "$OD/dictionary.csv" '[r["description_en"] for r in rows if r["field"] == "ratings"][0]')" "uploaded to the district" \
	"ratings: counted from what the kiosks uploaded"
M=$(cat "$OD/metadata.json")
is "$(jq_ "$M" '[k for k in ("name","title","title_en","notes","notes_en","owner_org","maintainer","maintainer_email","tags","objective","update_frequency","geo_coverage","geo_coverage_name","data_source","data_format","data_category","data_type","license_id","first_year_of_data","last_year_of_data","resources") if not d.get(k)]')" "[]" \
	"metadata.json: every CKAN field is there and not empty"
is "$(jq_ "$M" 'd["owner_org"] + " " + d["maintainer"] + " " + d["maintainer_email"] + " " + d["first_year_of_data"] + "-" + d["last_year_of_data"]')" \
	"bangkhae สำนักงานเขตบางแค opendata@bangkhae.example 2569-2569" \
	"owner from the config's [office] code, maintainer its name, the e-mail from --email, years in the Buddhist Era"
like "$(jq_ "$M" 'd["data_source"] + " " + d["notes_en"]')" "ผลประเมิน.*uploaded to the district" "data source and notes say: the ratings the district's kiosks uploaded"
is "$(jq_ "$M" 'sorted(r["url"] for r in d["resources"])')" \
	"$(ls "$OD" | grep -v '^metadata.json$' | sort | python3 -c 'import sys; print(sorted("'"$BASE"'" + l.strip() for l in sys.stdin))')" \
	"a resource per file (but itself), each URL under --base-url"
is "$(jq_ "$(cat "$OD/dcat.jsonld")" 'sorted(x["dcat:downloadURL"]["@id"] for x in d["dcat:distribution"])')" \
	"$(ls "$OD" | sort | python3 -c 'import sys; print(sorted("'"$BASE"'" + l.strip() for l in sys.stdin))')" \
	"dcat.jsonld: a downloadURL for exactly the files written"
is "$(jq_ "$(cat "$OD/dcat.jsonld")" 'd["@type"] + " " + d["dct:temporal"]["dcat:startDate"] + " " + d["dct:temporal"]["dcat:endDate"]')" \
	"dcat:Dataset 2026-11-01 2026-11-30" "a dcat:Dataset covering November 2026"

# --- again, and one month ----------------------------------------------------------------------------
before=$(cat "$OD/stats.csv" | md5sum)
out=$(C open-data --db "$DB" --out "$OD" --base-url "$BASE" --email opendata@bangkhae.example --json 2>/dev/null); rc=$?
is "$rc:$(jq_ "$out" 'd["files"]'):$(jq_ "$out" 'd["suppressed"]')" "0:10:3" "run again over its own folder: replaced whole, --json says 10 files, 3 suppressed"
is "$(md5sum <"$OD/stats.csv")" "$before" "same data, same bytes"
C open-data --db "$DB" --out "$TMP/oct" --month 2026-10 --email opendata@bangkhae.example >/dev/null 2>&1; rc=$?
is "$rc:$(ls "$TMP/oct" | grep -c '^stats-2026-10'):$(wc -l <"$TMP/oct/stats-2026-10.csv")" "0:3:1" \
	"--month 2026-10 (no ratings): its three files, a header and no rows"

# --- bad input: refused, said in Thai and English, nothing half-written ------------------------------
bilingual() { grep -qP '[\x{0E00}-\x{0E7F}]' "$1" && grep -q '/ ' "$1"; }
C open-data --db "$DB" --out "$TMP/bad" --month 2026-13 --email a@b.example 2>"$TMP/e"; rc=$?
is "$rc" 2 "--month 2026-13: exit 2"
bilingual "$TMP/e" && grep -q 'YYYY-MM' "$TMP/e"; ok $? "saying the format, in Thai and English: $(head -c 200 "$TMP/e")"
C open-data --db "$DB" --out "$TMP/bad" --month 2026-1 --email a@b.example 2>/dev/null; is $? 2 "--month 2026-1: exit 2"
[ -e "$TMP/bad" ]; is $? 1 "and no folder was made"
: >"$TMP/afile"
C open-data --db "$DB" --out "$TMP/afile/od" --email a@b.example 2>"$TMP/e"; rc=$?
is "$rc" 1 "--out inside a file (cannot be written): exit 1"
bilingual "$TMP/e" && grep -qF "$TMP/afile/od" "$TMP/e"; ok $? "naming the path, in Thai and English: $(head -c 200 "$TMP/e")"
if [ "$(id -u)" != 0 ]; then
	mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
	C open-data --db "$DB" --out "$TMP/ro/od" --email a@b.example 2>/dev/null; is $? 1 "--out in a read-only folder: exit 1"
	chmod 755 "$TMP/ro"
fi
mkdir -p "$TMP/www" && echo keep >"$TMP/www/index.html"
C open-data --db "$DB" --out "$TMP/www" --email a@b.example 2>"$TMP/e"; rc=$?
is "$rc:$(cat "$TMP/www/index.html")" "2:keep" "--out a folder holding other files: exit 2, nothing of it touched"
like "$(cat "$TMP/e")" "index.html" "and it names the file it would not replace"
secret=pw-$$-secret
sum_od() { (cd "$OD" && md5sum * | md5sum); }
before=$(sum_od)
C open-data --db "postgresql://kiosk:$secret@127.0.0.1:1/collector?connect_timeout=5" --out "$OD" --email a@b.example 2>"$TMP/e"; rc=$?
is "$rc" 1 "database unreachable: exit 1"
bilingual "$TMP/e" && grep -q 'cannot connect' "$TMP/e"; ok $? "says so in Thai and English: $(head -c 200 "$TMP/e")"
is "$(grep -c -- "$secret" "$TMP/e")" 0 "without the password"
is "$(sum_od)" "$before" "the folder written before is untouched"
is "$(ls "$TMP" | grep -c '^od\.')" 0 "and nothing half-written beside it"
C open-data --db "postgresql:///fresh?host=$PG&port=5432&user=kiosk" --out "$TMP/f" --email a@b.example 2>"$TMP/e"; rc=$?
is "$rc:$(grep -c 'kiosk collector migrate' "$TMP/e")" 2:1 "a database never migrated: exit 2, says to run migrate"
C open-data --db "$DB" --out "$TMP/nomail" 2>"$TMP/e"; rc=$?
is "$rc" 2 "no e-mail (none in the config, no --email): exit 2"
bilingual "$TMP/e" && grep -q -- '--email' "$TMP/e"; ok $? "says which flag to give: $(head -c 200 "$TMP/e")"
C open-data --db "$DB" --out "$TMP/bu" --email a@b.example --base-url 'ftp://x/' 2>/dev/null; is $? 2 "--base-url not http(s): exit 2"
C open-data --db "$DB" --out "$TMP/bo" --email a@b.example --org 'bang khae' 2>/dev/null; is $? 2 "--org with a space: exit 2"
C open-data --db "$DB" --out "$TMP/be" --email 'not an address' 2>/dev/null; is $? 2 "--email that is not an address: exit 2"
C open-data --db "$DB" 2>/dev/null; is $? 2 "no --out: exit 2"
is "$(ls "$TMP" | grep -cE '^(bad|f|nomail|bu|bo|be)$')" 0 "none of those wrote a folder"

kill -TERM "$CPID"; wait "$CPID"
done_testing
