# Rows for the district collector: ratings ingested per second from one kiosk into a
# private PostgreSQL (unix socket in a temp folder, as nobody when root, like
# tests/integ/collector.sh), and the monthly report over what was stored.
set -u
T=$(mktemp -d)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
	echo "| collector: ratings ingested per second | no PostgreSQL (apt-get install postgresql) | — | — |"
	rm -rf "$T"; exit 0
fi
if [ "$(id -u)" = 0 ]; then chmod 711 "$T"; mkdir "$T/pg"; chown nobody "$T/pg"; as_pg() { runuser -u nobody -- "$@"; }
else mkdir "$T/pg"; as_pg() { "$@"; }; fi
cleanup() { kill "$cpid" 2>/dev/null; as_pg "$PGBIN/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1; rm -rf "$T"; }
cpid=
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$T/pg/data" -U kiosk -A trust -E UTF8 --locale=C --no-sync >/dev/null 2>&1
# fsync stays on here (the default): the figure is what a real server would commit.
as_pg "$PGBIN/pg_ctl" -D "$T/pg/data" -w -l "$T/pg/log" -o "-k $T/pg -c listen_addresses='' -p 5432" start >/dev/null
export KIOSK_COLLECTOR_DB="postgresql:///postgres?host=$T/pg&port=5432&user=kiosk"
export KIOSK_CONFIG=$PWD/config KIOSK_DATA=$T/k KIOSK_NOW=2026-11-24T16:00:00+07:00
"$K" collector migrate >/dev/null
mkdir -p "$T/k"
"$K" collector add-kiosk --office bangkhae --kiosk kiosk-1 2>/dev/null | tail -1 >"$T/k/server.token"
chmod 600 "$T/k/server.token"
"$K" collector serve --port 0 --quiet >"$T/serve.out" 2>/dev/null &
cpid=$!
for _ in $(seq 600); do grep -q '^serving' "$T/serve.out" && break; sleep 0.05; done # up to 30 s
port=$(sed -n 's|^serving http://[^/]*:\([0-9]*\)/.*|\1|p' "$T/serve.out")
"$BUILD/tools/rating_writer" "$T/k" 10000 --bulk >/dev/null
s=$(date +%s%N)
if "$K" upload --once --batch 500 --server "http://127.0.0.1:$port/api/v1/ratings" >/dev/null 2>&1; then
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	echo "| collector: ratings ingested per second, one kiosk (10,000 in batches of 500, PostgreSQL fsync on) | $(( 10000 * 1000 / (ms > 0 ? ms : 1) ))/s ($ms ms) | ≥ 1,000/s | \`kiosk upload --once --batch 500\` → \`kiosk collector serve\` |"
else
	echo "| collector: ratings ingested per second, one kiosk | failed | ≥ 1,000/s | \`kiosk upload --once\` → \`kiosk collector serve\` |"
fi
s=$(date +%s%N)
"$K" collector report --month 2026-11 --json >/dev/null
echo "| collector: monthly report over 10,000 stored ratings, whole process | $(( ($(date +%s%N) - s) / 1000000 )) ms | — | \`kiosk collector report --month 2026-11 --json\` |"
