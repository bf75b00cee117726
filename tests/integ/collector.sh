#!/usr/bin/env bash
# The district collector (`kiosk collector`) on a real PostgreSQL started in this test's
# own folder (Debian's initdb/pg_ctl, unix socket only: no TCP port to find or collide
# with), and real kiosks uploading to it with `kiosk upload`.
#
# Checks: migrate is idempotent; tokens are stored hashed; every bad batch gets the 4xx
# the kiosk understands (400, 401, 403, 409, 413, 415, 422) and the collector lives on;
# a revoked token keeps the kiosk's rows, a refused batch is set aside and requeued;
# SIGTERM with a batch inside its transaction: finished and answered 200, or past --drain
# cancelled and answered 503, and either way stored exactly once after the kiosk retries;
# three kiosks upload COLLECTOR_RATINGS ratings each (default 10,000: the issue's scale)
# while the collector is killed with kill -9 twice and PostgreSQL is restarted once, all
# with batches in the middle of a transaction (held there by a table lock, so
# "mid-upload" is a fact, not a hope):
# every rating stored exactly once, per-kiosk counts and the report equal to each
# kiosk's own; no password or token in the collector's log; SIGTERM stops it cleanly.
. "$(dirname "$0")/lib.sh"

# One frozen office clock for every kiosk: the ratings fall in 2026-11 whatever today is.
export KIOSK_NOW=2026-11-24T10:00:00+07:00
N=${COLLECTOR_RATINGS:-10000}
W=$ROOT/$BUILD/tools/rating_writer
# --- a private PostgreSQL (lib.sh) ---------------------------------------------------------
pg_start -c max_connections=40
psql_ "CREATE DATABASE fresh" postgres

C() { "$K" collector "$@"; }

# --- migrate, kiosks, usage ------------------------------------------------------------------
out=$(C serve --db "postgresql:///fresh?host=$PG&port=5432&user=kiosk" --port 0 2>"$TMP/e"); rc=$?
is "$rc" 2 "serve on a database that was never migrated: exit 2"
like "$(cat "$TMP/e")" "run .kiosk collector migrate" "and says what to run"
out=$(C migrate --db "$DB" --json); rc=$?
is "$rc" 0 "migrate: exit 0"
is "$(jq_ "$out" 'd["applied"]'):$(jq_ "$out" 'd["version"]')" 3:3 "the first migrate applies the schema (3 migrations)"
out=$(KIOSK_COLLECTOR_DB=$DB C migrate --json); rc=$?
is "$(jq_ "$out" 'd["applied"]'):$rc" "0:0" "migrate again (KIOSK_COLLECTOR_DB for --db): nothing to do, exit 0"
is "$(psql_ "SELECT COUNT(*) FROM collector_migrations")" 3 "one row per migration in collector_migrations"
is "$(psql_ "SELECT string_agg(inhrelid::regclass::text, ',' ORDER BY inhrelid::regclass::text) FROM pg_inherits WHERE inhparent = 'ratings'::regclass")" \
	ratings_2026_10,ratings_2026_11,ratings_2026_12,ratings_2027_01,ratings_default \
	"ratings: partitions for last month, this month and the next two (Bangkok, KIOSK_NOW), and a default"
C migrate --db "$DB" --to 4 2>/dev/null; is $? 2 "migrate --to a version that does not exist: exit 2"

env -u KIOSK_COLLECTOR_DB "$K" collector migrate 2>"$TMP/e"; rc=$?
is "$rc" 2 "no --db and no KIOSK_COLLECTOR_DB: exit 2"
C add-kiosk --db "$DB" --office bangkhae 2>/dev/null; is $? 2 "add-kiosk without --kiosk: exit 2"
C add-kiosk --db "$DB" --office 'bang khae' --kiosk k 2>/dev/null; is $? 2 "an office code with a space: exit 2"
C revoke-kiosk --db "$DB" --office nowhere --kiosk k 2>"$TMP/e"; is $? 1 "revoking a kiosk never registered: exit 1"
secret=pw-$$-secret
C migrate --db "postgresql://kiosk:$secret@127.0.0.1:1/collector?connect_timeout=5" 2>"$TMP/e"; rc=$?
is "$rc" 1 "a database that cannot be reached: exit 1"
ok $(grep -c -- "$secret" "$TMP/e") "and its password is not in the message: $(head -c 150 "$TMP/e")"

# Three kiosks: two in one office, one in another. Each has its own config and data folder.
declare -A OFFICE=([1]=bangkhae [2]=bangkhae [3]=phasicharoen)
for n in 1 2 3; do
	mkdir -p "$TMP/cfg$n" "$TMP/k$n"
	cp -r "$ROOT/config/." "$TMP/cfg$n/"
	sed -i "s/^id = kiosk-1\$/id = kiosk-$n/; s/^code = bangkhae\$/code = ${OFFICE[$n]}/" "$TMP/cfg$n/kiosk.conf"
	C add-kiosk --db "$DB" --office "${OFFICE[$n]}" --kiosk "kiosk-$n" >"$TMP/tok$n" 2>/dev/null
	tail -1 "$TMP/tok$n" >"$TMP/k$n/server.token"
	chmod 600 "$TMP/k$n/server.token"
done
tok1=$(cat "$TMP/k1/server.token")
like "$tok1" '^[0-9a-f]{64}$' "add-kiosk: the token is the last line of stdout"
is "$(psql_ "SELECT COUNT(*) FROM kiosks WHERE encode(token_sha256, 'hex') = '$(printf %s "$tok1" | sha256sum | cut -d' ' -f1)'")" 1 \
	"only the token's SHA-256 is stored"
is "$(psql_ "SELECT COUNT(*) FROM kiosks WHERE token_sha256::text LIKE '%$tok1%'")" 0 "not the token itself"

kq() { local n=$1; shift; KIOSK_CONFIG=$TMP/cfg$n KIOSK_DATA=$TMP/k$n "$K" "$@"; }
ksql() { sqlite3 "$TMP/k$1/kiosk.db" "$2"; }
# start_collector: (re)starts `serve` on a port the kernel picks; the kiosks read the URL
# from $TMP/url at each attempt, so a restart on another port is found.
start_collector() {
	: >"$TMP/col.out"
	# 3>&-: not the lock session's fifo (see lock_ratings), or psql never sees its end
	"$K" collector serve --db "$DB" --port 0 "$@" >"$TMP/col.out" 2>>"$TMP/col.err" 3>&- &
	CPID=$!
	at_exit "kill -9 $CPID"
	wait_grep "$TMP/col.out" '^serving http://'
	CPORT=$(serving_port "$TMP/col.out")
	echo "http://127.0.0.1:$CPORT/api/v1/ratings" >"$TMP/url"
}
# up N [args]: one `kiosk upload --once` of kiosk N to wherever the collector is now
up() { local n=$1; shift; kq "$n" upload --once --batch 50 --server "$(cat "$TMP/url")" "$@" >>"$TMP/up$n.log" 2>&1; }

start_collector
ok $(( CPORT == 0 )) "serve --port 0 prints serving http://127.0.0.1:PORT/ (port $CPORT)"

# --- a real kiosk's upload ---------------------------------------------------------------------
KIOSK_CONFIG=$TMP/cfg1 "$W" "$TMP/k1" 5 --bulk >/dev/null
out=$(kq 1 upload --once --json --server "$(cat "$TMP/url")" 2>"$TMP/e"); rc=$?
is "$rc" 0 "kiosk-1 uploads 5 ratings: exit 0"
is "$(jq_ "$out" 'd["sent"]')" 5 '{"sent":5}'
is "$(psql_ "SELECT COUNT(*) FROM ratings WHERE office='bangkhae' AND kiosk='kiosk-1'")" 5 "5 rows in PostgreSQL, under bangkhae/kiosk-1"
is "$(psql_ "SELECT string_agg(DISTINCT day::text, ',') FROM ratings")" 2026-11-24 "stored with their Bangkok date"
is "$(psql_ "SELECT COUNT(*) FROM ratings r JOIN batches b ON b.key = r.batch")" 5 "each with the batch (Idempotency-Key) it came in"

# --- bad batches, one by one ------------------------------------------------------------------------
URL=$(cat "$TMP/url")
id1=$(ksql 1 "SELECT id FROM ratings LIMIT 1")
uuid() { python3 -c 'import uuid; print(uuid.uuid4())'; }
# body OFFICE KIOSK ID [PROCESS-SCORE-JSON] [AT]
body() { printf '{"office":"%s","kiosk":"%s","sent_at":"2026-11-24T10:00:00+07:00","ratings":[{"id":"%s","ticket":"A001","service":"personal-cert","at":"%s","scores":{"process":%s,"staff":4,"facility":5,"overall":5}}]}' "$1" "$2" "$3" "${5:-2026-11-24T09:41:10+07:00}" "${4:-5}"; }
# post TOKEN KEY BODY-FILE [curl args]: prints "STATUS BODY"
post() {
	local t=$1 k=$2 f=$3; shift 3
	curl -s -o "$TMP/reply" -w '%{http_code}' -H "Authorization: Bearer $t" -H "Content-Type: ${CT:-application/json}" \
		-H "Idempotency-Key: $k" --data-binary "@$f" "$@" "$URL"
	printf ' %s' "$(cat "$TMP/reply" 2>/dev/null)"
}
stored() { psql_ "SELECT COUNT(*) FROM ratings"; }
n0=$(stored)
printf '{"office":"bangkhae",' >"$TMP/b"
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^400 .*not JSON' "malformed JSON: 400, says so"
body bangkhae kiosk-1 "$(uuid)" '"5"' >"$TMP/b"
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^422 .*process must be a whole number' "a score as a string (wrong type): 422 naming the field"
body bangkhae kiosk-1 "$(uuid)" 6 >"$TMP/b"
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^422 .*from 1 to 5' "a score of 6 (out of range): 422"
body bangkhae kiosk-1 "NOT-A-UUID" >"$TMP/b"
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^422 .*UUID' "a rating id that is not a UUID: 422"
body bangkhae kiosk-2 "$(uuid)" >"$TMP/b"
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^403 .*kiosk-1' "kiosk-1's token on a batch that says kiosk-2: 403 (a kiosk writes only as itself)"
tok2=$(cat "$TMP/k2/server.token")
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=dict(d["ratings"][0]); r["id"]=sys.argv[2]; d["ratings"].append(r); print(json.dumps(d))' \
	"$(body bangkhae kiosk-2 "$(uuid)")" "$id1" >"$TMP/b"
like "$(post "$tok2" "$(uuid)" "$TMP/b")" "^422 .*$id1.*another kiosk" "kiosk-2 sending kiosk-1's rating id: 422"
is "$(stored)" "$n0" "none of those stored anything (the good rating next to the foreign id neither)"
key=$(uuid); body bangkhae kiosk-1 "$(uuid)" >"$TMP/b"
r1=$(post "$tok1" "$key" "$TMP/b")
r2=$(post "$tok1" "$key" "$TMP/b")
is "$r1" '200 {"accepted":1,"duplicates":0}' "a good batch: 200 with the counts"
is "$r2" "$r1" "the same key and body again (a lost reply): the same answer"
is "$(stored)" $((n0 + 1)) "stored once"
body bangkhae kiosk-1 "$(uuid)" 3 >"$TMP/b2"
like "$(post "$tok1" "$key" "$TMP/b2")" "^409 .*$key" "the same key with another body: 409"
like "$(post "not-a-token" "$(uuid)" "$TMP/b")" '^401 ' "an unknown token: 401"
like "$(curl -s -w '%{http_code}' -o /dev/null -H 'Content-Type: application/json' -H "Idempotency-Key: $(uuid)" --data-binary "@$TMP/b" "$URL")" '^401' "no token: 401"
like "$(CT=text/plain post "$tok1" "$(uuid)" "$TMP/b")" '^415 ' "not application/json: 415"
like "$(post "$tok1" "not-a-key" "$TMP/b")" '^400 .*Idempotency-Key' "no UUID Idempotency-Key: 400"
head -c 10485760 /dev/zero | tr '\0' ' ' >"$TMP/big"
like "$(post "$tok1" "$(uuid)" "$TMP/big")" '^413 ' "a 10 MB body: 413 (refused from its Content-Length)"
like "$(post "$tok1" "$(uuid)" "$TMP/big" -H 'Transfer-Encoding: chunked')" '^413 ' "a 10 MB body sent chunked (no length declared): 413, memory bounded"
like "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" '^405' "GET: 405"
like "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$CPORT/other")" '^404' "another path: 404"
ok $(kill -0 "$CPID" 2>/dev/null; echo $?) "the collector is still running after all that"

# --- the kiosk's side of refusals ---------------------------------------------------------------
# Revoked token: 401, the kiosk keeps its rows (not the batch's fault) and tells staff.
KIOSK_CONFIG=$TMP/cfg3 "$W" "$TMP/k3" 4 --bulk >/dev/null
C revoke-kiosk --db "$DB" --office phasicharoen --kiosk kiosk-3 >/dev/null; is $? 0 "revoke-kiosk: exit 0"
up 3; is $? 1 "kiosk-3 with its revoked token: upload exits 1"
is "$(ksql 3 "SELECT COUNT(*) FROM outbox WHERE state='pending'")" 4 "its 4 ratings are kept pending, none set aside"
is "$(ksql 3 "SELECT last_status FROM upload_batches LIMIT 1")" 401 "the collector said 401"
is "$(psql_ "SELECT COUNT(*) FROM ratings WHERE kiosk='kiosk-3'")" 0 "nothing stored for it"
C add-kiosk --db "$DB" --office phasicharoen --kiosk kiosk-3 2>/dev/null | tail -1 >"$TMP/k3/server.token"
# A refused batch: kiosk-2's stored body is spoiled (as a buggy kiosk version would),
# the collector answers 422, the kiosk sets it aside, --requeue-rejected sends it anew.
KIOSK_CONFIG=$TMP/cfg2 "$W" "$TMP/k2" 3 --bulk >/dev/null
printf 'wrong\n' >"$TMP/k2/server.token"
up 2 # 401: the batch is formed (body stored) and kept
python3 - "$TMP/k2/kiosk.db" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
key, body = db.execute("SELECT id, body FROM upload_batches WHERE state='pending'").fetchone()
d = json.loads(body)
d["ratings"][0]["scores"]["process"] = 9
db.execute("UPDATE upload_batches SET body=? WHERE id=?", (json.dumps(d, separators=(",", ":")), key))
db.commit()
EOF
echo "$tok2" >"$TMP/k2/server.token"
up 2; is $? 1 "kiosk-2's spoiled batch: upload exits 1"
is "$(ksql 2 "SELECT COUNT(*) FROM outbox WHERE state='rejected'")" 3 "its 3 ratings are set aside"
like "$(ksql 2 "SELECT last_error FROM upload_batches WHERE state='rejected'")" "process must be a whole number" "with the collector's reason"
up 2 --requeue-rejected; is $? 0 "--requeue-rejected: sent, exit 0"
is "$(psql_ "SELECT COUNT(*) FROM ratings WHERE kiosk='kiosk-2'")" 3 "the 3 ratings stored"

# --- a slow client is dropped -------------------------------------------------------------------
"$K" collector serve --db "$DB" --port 0 --timeout 1 --quiet >"$TMP/slow.out" 2>&1 &
spid=$!
at_exit "kill -9 $spid"
wait_grep "$TMP/slow.out" '^serving http://'
got=$(python3 - "$(serving_port "$TMP/slow.out")" "$WAIT_LIMIT" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /api/v1/ratings HTTP/1.1\r\nHost: x\r\n")  # ... and never the rest
s.settimeout(float(sys.argv[2]))
try:
    print("closed" if s.recv(1) == b"" else "answered")
except socket.timeout:
    print("still open")
except OSError:
    print("closed")
EOF
)
is "$got" closed "a client that stops half-way through its headers is disconnected (--timeout 1)"
kill -TERM "$spid"; wait "$spid"
is $? 0 "SIGTERM: that collector exits 0"

# --- SIGTERM drains ---------------------------------------------------------------------------------
# lock_ratings: a psql session holds ratings in EXCLUSIVE mode (inserts wait) until unlock.
lock_ratings() {
	rm -f "$TMP/lockfifo"; mkfifo "$TMP/lockfifo"
	"$PGBIN/psql" -XAtq "$DB" <"$TMP/lockfifo" >"$TMP/lock.out" 2>&1 &
	LPID=$!
	at_exit "kill -9 $LPID"
	exec 3>"$TMP/lockfifo"
	echo "BEGIN; LOCK TABLE ratings IN EXCLUSIVE MODE; SELECT 'locked';" >&3
	wait_grep "$TMP/lock.out" '^locked'
}
unlock_ratings() { exec 3>&-; wait_gone "$LPID" || kill -9 "$LPID"; }
# waiting PID: a transaction of collector PID waits on a lock inside its INSERT: on the
# ratings table, or on the batches row a killed collector's orphaned transaction holds
# (the retry of that very batch, same Idempotency-Key, waits for its outcome).
waiting() {
	[ "$(psql_ "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'kiosk collector $1'
		AND wait_event_type = 'Lock' AND (query LIKE 'INSERT INTO batches%' OR query LIKE 'WITH x AS%')")" -ge 1 ]
}
# pg_k3 / sent_k3: what PostgreSQL holds of kiosk-3, and what kiosk-3 counts as sent (answered 200).
pg_k3() { psql_ "SELECT COUNT(*) FROM ratings WHERE kiosk = 'kiosk-3'"; }
sent_k3() { ksql 3 "SELECT COUNT(*) FROM outbox WHERE state = 'sent'"; }
KIOSK_CONFIG=$TMP/cfg3 "$W" "$TMP/k3" 120 --bulk >/dev/null
lock_ratings
up 3 3>&- &
upid=$!
wait_for "kiosk-3's batch in its transaction" waiting "$CPID"
ok $? "a batch of kiosk-3 is inside its transaction (held by a lock)"
kill -TERM "$CPID"
wait_grep "$TMP/col.err" 'SIGTERM: taking no new uploads'
like "$(post "$tok1" "$(uuid)" "$TMP/b")" '^503 .*shutting down' "a batch arriving after SIGTERM: 503 at once (the kiosk retries it later)"
ok $(kill -0 "$CPID" 2>/dev/null; echo $?) "the collector stays up for the batch under way instead of dropping it"
unlock_ratings
wait "$CPID"
is $? 0 "once that batch is committed and answered, the collector exits 0"
like "$(tail -1 "$TMP/col.err")" 'stopped \(SIGTERM\): 1 request under way finished, 0 cancelled' "and says the batch under way was finished"
wait "$upid"
ok $(( $(sent_k3) == 0 )) "kiosk-3 got 200 for the batch under way at SIGTERM ($(sent_k3) ratings marked sent)"
is "$(pg_k3)" "$(sent_k3)" "PostgreSQL holds exactly the ratings kiosk-3 was told were stored"
# Past the bound (--drain 1, the lock never lifted in time): cancelled, rolled back, 503.
start_collector --drain 1
lock_ratings
up 3 3>&- &
upid=$!
wait_for "kiosk-3's batch in its transaction" waiting "$CPID"
kill -TERM "$CPID"
wait_gone "$CPID"
wait "$CPID"
is $? 0 "SIGTERM with a batch stuck past --drain 1: the collector still exits 0"
like "$(tail -1 "$TMP/col.err")" 'stopped \(SIGTERM\): 0 requests under way finished, 1 cancelled' "the stuck batch was cancelled"
wait "$upid"
is $? 1 "kiosk-3's upload says not everything was sent"
grep -q '503 phasicharoen/kiosk-3: the collector is shutting down' "$TMP/col.err"
ok $? "the cancelled batch was answered 503 \"shutting down\" (retry), not stored-and-failed"
ok $(( $(ksql 3 "SELECT COUNT(*) FROM upload_batches WHERE state = 'pending' AND last_status = 503") == 0 )) "kiosk-3 keeps it pending for a retry"
unlock_ratings
is "$(pg_k3)" "$(sent_k3)" "nothing of the cancelled batch is in PostgreSQL"
start_collector
up 3
is $? 0 "kiosk-3 retries against the next collector: everything sent"
is "$(pg_k3):$(psql_ "SELECT COUNT(DISTINCT id) FROM ratings WHERE kiosk = 'kiosk-3'")" "$(ksql 3 "SELECT COUNT(*) FROM ratings"):$(ksql 3 "SELECT COUNT(*) FROM ratings")" \
	"every rating of kiosk-3 stored exactly once after the retries"

# --- an old database upgraded, and ratings by month -----------------------------------------------
# A database left at schema 1 (one ratings table) with 3,000 rows over five months: migrate
# moves every row into its month's partition, nothing lost, nothing changed.
DBU="postgresql:///upgrade?host=$PG&port=5432&user=kiosk"
psql_ "CREATE DATABASE upgrade" postgres
is "$(jq_ "$(C migrate --db "$DBU" --to 1 --json)" 'd["version"]')" 1 "migrate --to 1: a database at the old schema"
psql_ "INSERT INTO ratings SELECT gen_random_uuid(), 'bangkhae', 'kiosk-1', 'A' || g, 'personal-cert',
	now(), date '2026-07-01' + (g % 150), 1 + g % 5, 1 + g % 4, 1 + g % 3, 1 + g % 2, gen_random_uuid()
	FROM generate_series(1, 3000) g" upgrade
sum_u() { psql_ "SELECT COUNT(*) || ' ' || md5(string_agg(concat_ws('|', id, office, kiosk, ticket, service, at, day,
	process, staff, facility, overall, batch, received_at), ',' ORDER BY id)) FROM ratings" upgrade; }
before=$(sum_u)
C serve --db "$DBU" --port 0 2>"$TMP/e" >/dev/null; rc=$?
is "$rc:$(grep -c 'version 1, this collector needs 3' "$TMP/e")" 2:1 "serve refuses the old schema (exit 2) and says migrate"
out=$(C migrate --db "$DBU" --json); rc=$?
is "$rc:$(jq_ "$out" 'd["applied"]')" 0:2 "migrate upgrades it to 3: exit 0"
is "$(sum_u)" "$before" "every one of the 3,000 rows is there, byte for byte (count and checksum of all columns)"
is "$(psql_ "SELECT COUNT(*) FROM ratings_default" upgrade):$(psql_ "SELECT COUNT(DISTINCT tableoid) FROM ratings" upgrade)" 0:5 \
	"in five month partitions, none in the default"
is "$(psql_ "SELECT COUNT(*) FROM rating_ids" upgrade)" 3000 "each id registered once in rating_ids"
is "$(psql_ "SELECT to_regclass('ratings_v1') IS NULL" upgrade)" t "the old table is gone"
C add-kiosk --db "$DBU" --office bangkhae --kiosk kiosk-1 2>/dev/null | tail -1 >"$TMP/tokU"
"$K" collector serve --db "$DBU" --port 0 --quiet >"$TMP/u.out" 2>&1 3>&- &
upid=$!
at_exit "kill -9 $upid"
wait_grep "$TMP/u.out" '^serving http://'
UURL="http://127.0.0.1:$(serving_port "$TMP/u.out")/api/v1/ratings"
# postu ID AT: one rating of kiosk-1 at AT to the upgraded database's collector
postu() { body bangkhae kiosk-1 "$1" 5 "$2" >"$TMP/bu"; URL=$UURL post "$(cat "$TMP/tokU")" "$(uuid)" "$TMP/bu"; }
part_of() { psql_ "SELECT string_agg(tableoid::regclass::text, ',') FROM ratings WHERE id = '$1'" upgrade; }
r=$(uuid)
is "$(postu "$r" 2026-12-01T08:00:00+07:00)" '200 {"accepted":1,"duplicates":0}' "a rating of next month: stored"
is "$(part_of "$r")" ratings_2026_12 "in next month's partition (made ahead by migrate)"
is "$(postu "$r" 2026-11-20T08:00:00+07:00)" '200 {"accepted":0,"duplicates":1}' \
	"the same rating id again with a day of another month: a duplicate"
is "$(psql_ "SELECT COUNT(*) FROM ratings WHERE id = '$r'" upgrade)" 1 "stored once across partitions (rating_ids holds the id once)"
r=$(uuid)
is "$(postu "$r" 2026-06-10T08:00:00+07:00)" '200 {"accepted":1,"duplicates":0}' "a rating of a month five months back (no partition yet)"
is "$(part_of "$r")" ratings_2026_06 "its month's partition was made on demand"
r=$(uuid)
is "$(postu "$r" 2019-03-05T08:00:00+07:00)" '200 {"accepted":1,"duplicates":0}' "a rating dated 2019 (a kiosk's clock years off): stored, not refused"
is "$(part_of "$r")" ratings_default "kept in the default partition (no tables made for far-off months)"
psql_ "SELECT collector_month_partition('2019-03-01')" upgrade >/dev/null
is "$(part_of "$r")" ratings_2019_03 "making that month's partition later moves the row out of the default"
is "$(jq_ "$(C report --db "$DBU" --month 2019-03 --json)" 'd["ratings"]')" 1 "and the report for 2019-03 counts it"
kill -TERM "$upid"; wait "$upid"

# --- three kiosks, N ratings each, kill -9 and a PostgreSQL restart mid-transaction -----------------
for n in 1 2 3; do KIOSK_CONFIG=$TMP/cfg$n "$W" "$TMP/k$n" "$N" --bulk >/dev/null; done
n_before=$(stored)
lock_ratings
for n in 1 2 3; do
	(wait_for -t $((WAIT_LIMIT * 4 + N / 100)) "kiosk-$n's outbox drained" up "$n") >"$TMP/drain$n.log" 2>&1 3>&- &
	DPID[$n]=$!
done
wait_for "a batch in the middle of its transaction" waiting "$CPID"
ok $? "batches are inside their transaction (held by a lock)"
# Twice: kill -9 with batches inside their transactions, a new collector on another port.
for kill in 1 2; do
	old=$CPID
	kill -9 "$CPID"
	wait_gone "$old"
	start_collector
	wait_for "a batch of the new collector in its transaction" waiting "$CPID"
	ok $? "after kill -9 number $kill and a restart on port $CPORT, the kiosks' retries reach the new collector"
done
as_pg "$PGBIN/pg_ctl" -D "$PG/data" -m fast -w -t "$WAIT_LIMIT" restart >/dev/null 2>&1 3>&-
ok $? "PostgreSQL restarted with batches in flight"
unlock_ratings
for n in 1 2 3; do
	wait "${DPID[$n]}"
	is $? 0 "kiosk-$n: every batch eventually accepted ($(grep -o 'waited.*' "$TMP/drain$n.log" | head -1))"
done
ok $(kill -0 "$CPID" 2>/dev/null; echo $?) "the collector rode out the PostgreSQL restart"

# --- nothing lost, nothing doubled -----------------------------------------------------------------
total=0
for n in 1 2 3; do
	kn=$(ksql "$n" "SELECT COUNT(*) FROM ratings")
	total=$((total + kn))
	is "$(ksql "$n" "SELECT COUNT(*) FROM outbox WHERE state <> 'sent'")" 0 "kiosk-$n: its outbox is all sent"
	hand=$(( n == 1 )) # the one good batch posted by hand above, with kiosk-1's token
	is "$(psql_ "SELECT COUNT(*) FROM ratings WHERE office = '${OFFICE[$n]}' AND kiosk = 'kiosk-$n'")" "$((kn + hand))" \
		"kiosk-$n: PostgreSQL holds exactly its $kn ratings (+$hand by hand)"
done
# Every id the kiosks hold, once: compare the sorted lists, not only the counts.
for n in 1 2 3; do ksql "$n" "SELECT id FROM ratings"; done | sort >"$TMP/kiosk_ids"
psql_ "SELECT id FROM ratings" | sort >"$TMP/pg_ids"
grep -vxFf "$TMP/kiosk_ids" "$TMP/pg_ids" >"$TMP/extra"
is "$(wc -l <"$TMP/kiosk_ids"):$(sort -u "$TMP/kiosk_ids" | comm -23 - "$TMP/pg_ids" | wc -l)" "$total:0" "every one of the kiosks' $total rating ids is in PostgreSQL"
is "$(wc -l <"$TMP/extra")" 1 "and PostgreSQL has no other rating but the one posted by hand above"

# --- the report, against each kiosk's own ---------------------------------------------------------
rep=$(C report --db "$DB" --month 2026-11 --json); rc=$?
is "$rc" 0 "report --month 2026-11 --json: exit 0"
is "$(jq_ "$rep" 'd["ratings"]')" "$(stored)" "\"ratings\" is every rating stored for the month"
kn() { jq_ "$(kq "$1" report --month 2026-11 --include-flagged --json)" 'd["satisfaction"]["n"]'; }
k1=$(kn 1) k2=$(kn 2) k3=$(kn 3)
office_n() { jq_ "$rep" "[o['ratings'] for o in d['offices'] if o['office'] == '$1'][0]"; }
is "$(office_n bangkhae)" $((k1 + k2 + 1)) "bangkhae: kiosk-1's + kiosk-2's own report (+1 posted by hand)"
is "$(office_n phasicharoen)" "$k3" "phasicharoen: kiosk-3's own report"
is "$(jq_ "$rep" "[o['kiosks'] for o in d['offices']] + [d['all']['kiosks']]")" "[2, 1, 3]" "kiosks: 2 in bangkhae, 1 in phasicharoen, 3 in all"
k3all=$(jq_ "$(kq 3 report --month 2026-11 --include-flagged --json)" 'd["satisfaction"]["all"]["mean"]')
is "$(jq_ "$rep" "[o['satisfaction']['all']['mean'] for o in d['offices'] if o['office'] == 'phasicharoen'][0]")" "$k3all" \
	"phasicharoen's mean of all four questions equals kiosk-3's ($k3all)"
rep1=$(C report --db "$DB" --month 2026-11 --office phasicharoen --json)
is "$(jq_ "$rep1" 'd["ratings"]'):$(jq_ "$rep1" 'len(d["offices"])')" "$k3:1" "--office phasicharoen: only that office"
is "$(jq_ "$(C report --db "$DB" --month 2026-10 --json)" 'd["ratings"]')" 0 "another month: 0 ratings"
C report --db "$DB" --month 2026-13 2>/dev/null; is $? 2 "--month 2026-13: exit 2"
like "$(C report --db "$DB" --month 2026-11)" "phasicharoen +$k3 " "the text report has a row per office"

# --- report --out: the kiosk's charts and files, per office and for all offices ---------------------
C report --db "$DB" --month 2026-11 --out "$TMP/rep" >"$TMP/rep.txt" 2>"$TMP/rep.err"; rc=$?
is "$rc" 0 "report --month 2026-11 --out DIR: exit 0"
files_ok=0
for d in all office-bangkhae office-phasicharoen; do
	for f in ratings_per_day.png satisfaction.png services.png report.json summary.html; do
		[ -s "$TMP/rep/$d/$f" ] || { files_ok=1; echo "# missing $d/$f"; }
	done
done
is "$files_ok" 0 "DIR/all/ and DIR/office-<code>/ each hold the charts, report.json and summary.html"
like "$(cat "$TMP/rep.txt")" "phasicharoen: $TMP/rep/office-phasicharoen/summary.html" "and it says where each summary is"
kq 3 report --month 2026-11 --include-flagged --out "$TMP/k3rep" >/dev/null
cmp -s "$TMP/rep/office-phasicharoen/satisfaction.png" "$TMP/k3rep/satisfaction.png"
ok $? "phasicharoen's satisfaction chart is byte for byte kiosk-3's own (same figures, same writer)"
same=$(python3 - "$TMP/rep/office-phasicharoen/report.json" "$TMP/k3rep/report.json" <<'EOF2'
import json, sys
c, k = (json.load(open(f)) for f in sys.argv[1:3])
bad = [key for key in ("satisfaction", "distribution") if c[key] != k[key]]
ks = {s["id"]: s["satisfaction"] for s in k["services"]}
bad += [s["id"] for s in c["services"] if s["satisfaction"] != ks.get(s["id"])]
print(",".join(bad) or "same")
EOF2
)
is "$same" same "its report.json: satisfaction, distribution and every service's figures equal kiosk-3's"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ratings"], sum(x["ratings"] for x in d["per_day"]), "users" in d)' "$TMP/rep/all/report.json")" \
	"$(stored) $(stored) False" "all offices: every stored rating, day by day; no \"users\" figure (the collector gets no tickets)"
grep -q 'ผู้ประเมิน<b>' "$TMP/rep/all/summary.html" && ! grep -q 'ผู้ใช้บริการ<b>' "$TMP/rep/all/summary.html"
ok $? "summary.html counts raters, and shows no users figure rather than a 0"
C report --db "$DB" --month 2026-11 --office phasicharoen --out "$TMP/rep1" >/dev/null 2>&1; rc=$?
is "$rc:$(ls "$TMP/rep1" | tr '\n' ' ')" "0:office-phasicharoen " "--office phasicharoen --out: only that office's folder"
out=$(C report --db "$DB" --month 2026-11 --office nowhere --out "$TMP/rep2" --json 2>/dev/null); rc=$?
is "$rc:$(jq_ "$(cat "$TMP/rep2/office-nowhere/report.json")" 'd["ratings"]')" 0:0 "an office without ratings: an empty report, not an error"
is "$(jq_ "$out" 'len(d["files"])')" 5 "--json lists the files written"
: >"$TMP/afile"
C report --db "$DB" --month 2026-11 --out "$TMP/afile" 2>"$TMP/e"; rc=$?
is "$rc" 1 "--out onto a file: exit 1"
like "$(cat "$TMP/e")" "afile" "naming the path"

# --- the log, and a clean stop -------------------------------------------------------------------
leak=0
for n in 1 2 3; do grep -qF -- "$(cat "$TMP/k$n/server.token")" "$TMP/col.err" && leak=1; done
grep -qF -- "$tok1" "$TMP/col.err" && leak=1
is "$leak" 0 "no kiosk token in the collector's log"
like "$(cat "$TMP/col.err")" "409 bangkhae/kiosk-1: Idempotency-Key" "refusals are logged with who and why"
kill -TERM "$CPID"
wait "$CPID"
is $? 0 "SIGTERM: the collector exits 0"
like "$(tail -1 "$TMP/col.err")" "stopped \(SIGTERM\)" "and says it stopped"

done_testing
