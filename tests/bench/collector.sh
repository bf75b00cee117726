# Rows for the district collector, on a private PostgreSQL (unix socket in a temp folder,
# as nobody when root, like tests/integ/collector.sh), fsync on (the default: what a real
# server commits):
#   - ratings ingested per second from one kiosk, and from ten kiosks at once;
#   - a month's city-wide report over a year of 50 districts' data generated in SQL.
#   - the open data files of that month and of the whole year (`collector open-data`).
# The year: the reported month (2025-06) at full scale, 50 districts x 1,000 ratings a
# day (1.5 M rows); the other eleven months at COLLECTOR_CITY_OTHER ratings a day per
# district (default 100: the whole year at 1,000 a day, 18 M rows, takes ~10 minutes to
# generate on the 2-core test machine; COLLECTOR_CITY_OTHER=1000 does it). A month's report
# reads only its own partition, so the other months' size changes its time little; the
# row says which scale ran.
set -u
T=$(mktemp -d)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
	echo "| collector: ratings ingested per second | no PostgreSQL (apt-get install postgresql) | — | — |"
	rm -rf "$T"; exit 0
fi
if [ "$(id -u)" = 0 ]; then chmod 711 "$T"; mkdir "$T/pg"; chown nobody "$T/pg"; as_pg() { runuser -u nobody -- "$@"; }
else mkdir "$T/pg"; as_pg() { "$@"; }; fi
cpid=
cleanup() { [ -n "$cpid" ] && kill "$cpid" 2>/dev/null; as_pg "$PGBIN/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$T/pg/data" -U kiosk -A trust -E UTF8 --locale=C --no-sync >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$T/pg/data" -w -l "$T/pg/log" -o "-k $T/pg -c listen_addresses='' -p 5432" start >/dev/null
export KIOSK_COLLECTOR_DB="postgresql:///postgres?host=$T/pg&port=5432&user=kiosk"
export KIOSK_NOW=2026-11-24T16:00:00+07:00 KIOSK_CONFIG=$PWD/config
q() { "$PGBIN/psql" -XAtq "$KIOSK_COLLECTOR_DB" -c "$1"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
"$K" collector migrate >/dev/null

# kiosk N: its own config (kiosk id) and data folder, registered, with R ratings waiting.
kiosk() {
	local n=$1 r=$2
	mkdir -p "$T/cfg$n" "$T/k$n"
	cp -r config/. "$T/cfg$n/"
	sed -i "s/^id = kiosk-1\$/id = kiosk-$n/" "$T/cfg$n/kiosk.conf"
	"$K" collector add-kiosk --office bangkhae --kiosk "kiosk-$n" 2>/dev/null | tail -1 >"$T/k$n/server.token"
	chmod 600 "$T/k$n/server.token"
	KIOSK_CONFIG=$T/cfg$n "$BUILD/tools/rating_writer" "$T/k$n" "$r" --bulk >/dev/null
}
up() { KIOSK_CONFIG=$T/cfg$1 KIOSK_DATA=$T/k$1 "$K" upload --once --batch 500 --server "http://127.0.0.1:$port/api/v1/ratings" >/dev/null 2>&1; }

"$K" collector serve --port 0 --quiet >"$T/serve.out" 2>/dev/null &
cpid=$!
for _ in $(seq 600); do grep -q '^serving' "$T/serve.out" && break; sleep 0.05; done # up to 30 s
port=$(sed -n 's|^serving http://[^/]*:\([0-9]*\)/.*|\1|p' "$T/serve.out")

# --- one kiosk, then ten at once ---------------------------------------------------------------
kiosk 1 10000
s=$(date +%s%N)
if up 1; then
	ms=$(ms_since "$s")
	echo "| collector: ratings ingested per second, one kiosk (10,000 in batches of 500, PostgreSQL fsync on) | $(( 10000 * 1000 / (ms > 0 ? ms : 1) ))/s ($ms ms) | ≥ 1,000/s | \`kiosk upload --once --batch 500\` → \`kiosk collector serve\` |"
else
	echo "| collector: ratings ingested per second, one kiosk | failed | ≥ 1,000/s | \`kiosk upload --once\` → \`kiosk collector serve\` |"
fi
for n in $(seq 2 11); do kiosk "$n" 5000; done
s=$(date +%s%N)
pids=()
for n in $(seq 2 11); do up "$n" & pids+=($!); done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
ms=$(ms_since "$s")
stored=$(q "SELECT COUNT(*) FROM ratings")
if [ "$fail" = 0 ] && [ "$stored" = 60000 ]; then
	echo "| collector: ratings ingested per second, ten kiosks at once (10 × 5,000 in batches of 500, 4 database connections) | $(( 50000 * 1000 / (ms > 0 ? ms : 1) ))/s ($ms ms) | ≥ 1,000/s | 10 × \`kiosk upload --once --batch 500\` at once → one \`kiosk collector serve\` |"
else
	echo "| collector: ratings ingested per second, ten kiosks at once | failed ($stored of 60,000 stored) | ≥ 1,000/s | 10 × \`kiosk upload --once\` at once |"
fi
kill "$cpid"; wait "$cpid" 2>/dev/null; cpid=

# --- a city-year, generated in SQL, and a month's report over it ---------------------------------
other=${COLLECTOR_CITY_OTHER:-100}
# month FIRST-DAY PER-DAY: one month of 50 districts (d01..d50, three kiosks each), ids
# claimed in rating_ids in the same statement, as the collector stores them.
month() {
	q "SELECT collector_month_partition('$1')" >/dev/null
	q "WITH x AS (SELECT gen_random_uuid() AS id, 'd' || lpad(o::text, 2, '0') AS office, d::date AS day, i
	   FROM generate_series(date '$1', (date '$1' + interval '1 month' - interval '1 day'), interval '1 day') d,
	   generate_series(1, 50) o, generate_series(1, $2) i),
	 n AS (INSERT INTO rating_ids (id, day) SELECT id, day FROM x)
	 INSERT INTO ratings (id, office, kiosk, ticket, service, at, day, process, staff, facility, overall, batch)
	 SELECT id, office, 'kiosk-' || (1 + i % 3), chr(65 + i % 8) || lpad((i % 300)::text, 3, '0'),
	   (ARRAY['personal-cert', 'house-reg', 'id-card', 'marriage', 'birth', 'death', 'name-change', 'other'])[1 + i % 8],
	   day + interval '9 hours' + i * interval '25 seconds', day,
	   1 + (i * 7 + 3) % 5, 1 + (i * 11 + 4) % 5, 1 + (i * 13 + 2) % 5, 1 + (i * 17 + 4) % 5,
	   '00000000-0000-4000-8000-000000000000' FROM x"
}
s=$(date +%s%N)
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	if [ "$m" = 06 ]; then month "2025-$m-01" 1000; else month "2025-$m-01" "$other"; fi
done
q "VACUUM ANALYZE"
gen_s=$(( $(ms_since "$s") / 1000 ))
rows=$(q "SELECT COUNT(*) FROM ratings WHERE day BETWEEN '2025-01-01' AND '2025-12-31'")
mrows=$(q "SELECT COUNT(*) FROM ratings_2025_06")
size=$(q "SELECT pg_size_pretty(pg_total_relation_size('ratings') + pg_total_relation_size('rating_ids'))")
scale="$rows rows in 2025: 50 districts, June at 1,000/day ($mrows), other months at $other/day; generated in ${gen_s} s, $size with indexes"
best=
for _ in 1 2 3; do
	s=$(date +%s%N)
	"$K" collector report --month 2025-06 --json >/dev/null || { best=failed; break; }
	t=$(ms_since "$s")
	[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
echo "| collector: a month's city-wide report ($scale) | ${best} ms (best of 3) | < 5 s | \`kiosk collector report --month 2025-06 --json\` |"
s=$(date +%s%N)
if "$K" collector report --month 2025-06 --out "$T/out" --json >/dev/null 2>&1; then
	echo "| collector: the same month's charts and pages, all offices and 50 districts (51 folders) | $(ms_since "$s") ms | — | \`kiosk collector report --month 2025-06 --out DIR\` |"
else
	echo "| collector: the same month's charts and pages | failed | — | \`kiosk collector report --month 2025-06 --out DIR\` |"
fi
s=$(date +%s%N)
"$K" collector report --month 2025-06 --office d07 --json >/dev/null
echo "| collector: one district's month over the same year | $(ms_since "$s") ms | — | \`kiosk collector report --month 2025-06 --office d07 --json\` |"
# The city's open data over the same year: one month (one partition), then every month.
od() { "$K" collector open-data --org bangkok --maintainer กรุงเทพมหานคร --email opendata@bangkok.example "$@" --json 2>/dev/null; }
s=$(date +%s%N)
if out=$(od --month 2025-06 --out "$T/od-month"); then
	echo "| collector: a month's open data, city-wide ($(echo "$out" | sed -n 's/.*"rows": *\([0-9]*\).*/\1/p') cells, same year) | $(ms_since "$s") ms | — | \`kiosk collector open-data --month 2025-06 --out DIR\` |"
else
	echo "| collector: a month's open data, city-wide | failed | — | \`kiosk collector open-data --month 2025-06 --out DIR\` |"
fi
s=$(date +%s%N)
if out=$(od --out "$T/od-all"); then
	echo "| collector: the open data of every month ($(echo "$out" | sed -n 's/.*"rows": *\([0-9]*\).*/\1/p') cells over $rows rows) | $(ms_since "$s") ms | — | \`kiosk collector open-data --out DIR\` |"
else
	echo "| collector: the open data of every month | failed | — | \`kiosk collector open-data --out DIR\` |"
fi
