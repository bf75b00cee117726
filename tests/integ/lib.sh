# Shared helpers for the integration scripts: TAP output and a scratch folder.
# Source it: . "$(dirname "$0")/lib.sh"
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
K=${KIOSK_BIN:-$ROOT/$BUILD/kiosk}
_n=0
TMP=$(mktemp -d /tmp/kiosk-test.XXXXXX)
export KIOSK_CONFIG=$ROOT/config KIOSK_DATA=$TMP/data
_cleanup_fns=()
at_exit() { _cleanup_fns+=("$1"); }
_on_exit() { local f; for f in "${_cleanup_fns[@]}"; do eval "$f" >/dev/null 2>&1; done; rm -rf "$TMP"; }
trap _on_exit EXIT

ok() { # ok COND-STATUS DESCRIPTION   (use: check "desc" cmd args...)
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; fi
}
check() { local d=$1; shift; "$@" >/dev/null 2>&1; ok $? "$d"; }
# is GOT WANT DESCRIPTION
is() {
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_n - $3"; else echo "not ok $_n - $3"; echo "#   got '$1', want '$2'"; fi
}
# like GOT REGEX DESCRIPTION
like() {
	_n=$((_n + 1))
	if [[ $1 =~ $2 ]]; then echo "ok $_n - $3"; else echo "not ok $_n - $3"; echo "#   got '$1', want /$2/"; fi
}
done_testing() { echo "1..$_n"; }
# json FILE-OR-STRING EXPR: a value out of JSON, via python3 (tests only)
jq_() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

# --- waiting for conditions, never for time ------------------------------------------------
# A test waits for what it needs (a line in a log, a file, a port, a process gone), polling
# with a generous deadline, so a busy 2-core machine is slower but never wrong. The deadline
# is WAIT_LIMIT seconds (default 30; `make test-stress` raises it). Each wait prints a TAP
# comment with how long it took, so a slow machine shows up in the log, not as a failure.

WAIT_LIMIT=${WAIT_LIMIT:-30}
_ms() { date +%s%3N; }
# wait_for [-t SEC] DESCRIPTION CMD [ARGS...]: until CMD succeeds (exit 0) or the deadline
# passes (exit 1, with a comment naming what never happened).
wait_for() {
	local limit=$WAIT_LIMIT
	if [ "$1" = -t ]; then limit=$2; shift 2; fi
	local what=$1; shift
	local t0 now nap=0.01
	t0=$(_ms)
	while :; do
		if "$@" >/dev/null 2>&1; then
			echo "# waited $(( $(_ms) - t0 )) ms for $what"
			return 0
		fi
		now=$(_ms)
		if [ $((now - t0)) -ge $((limit * 1000)) ]; then
			echo "# gave up after ${limit} s waiting for $what"
			return 1
		fi
		sleep "$nap" # the poll interval, not a correctness wait: 10 ms growing to 200 ms
		case $nap in 0.01) nap=0.02 ;; 0.02) nap=0.05 ;; 0.05) nap=0.1 ;; *) nap=0.2 ;; esac
	done
}
# wait_grep [-t SEC] FILE REGEX: until a line of FILE matches the extended REGEX.
wait_grep() {
	local t=()
	if [ "$1" = -t ]; then t=(-t "$2"); shift 2; fi
	wait_for "${t[@]}" "/$2/ in $(basename "$1")" grep -qE -- "$2" "$1"
}
# wait_file [-t SEC] FILE: until FILE exists and is not empty.
wait_file() {
	local t=()
	if [ "$1" = -t ]; then t=(-t "$2"); shift 2; fi
	wait_for "${t[@]}" "$(basename "$1") to be written" test -s "$1"
}
# wait_gone [-t SEC] PID: until the process has exited (it need not be our child).
wait_gone() {
	local t=()
	if [ "$1" = -t ]; then t=(-t "$2"); shift 2; fi
	wait_for "${t[@]}" "process $1 to exit" _gone "$1"
}
_gone() { ! kill -0 "$1" 2>/dev/null; }
# serving_port FILE: the port out of a "serving http://HOST:PORT/" line (after wait_grep).
# Servers are started with --port 0 so the kernel picks a free port: no test assumes one.
serving_port() { sed -n 's|^serving http://[^/]*:\([0-9]*\)/.*|\1|p' "$1" | head -1; }

# pg_start [SERVER OPTIONS...]: a private PostgreSQL for this test file (Debian's
# initdb/pg_ctl), in $TMP/pg, on a unix socket only (no TCP port to find or collide
# with), stopped at exit. initdb refuses root: as root (CI) the server runs as nobody,
# in a folder nobody owns, and $TMP becomes traversable (711) but not readable by others.
# fsync=off: a test server whose crash we do not simulate (restarts are clean).
# Sets PGBIN, PG, PGOPTS, DB (the database "collector"), as_pg CMD... (runs CMD as the
# server's user) and psql_ SQL [DATABASE]; creates the database "collector". On a
# machine without the server binaries it prints one failing test and exits.
pg_start() {
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
		echo "not ok 1 - PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian package postgresql; make deps installs it)"
		done_testing
		exit 1
	fi
	PG=$TMP/pg
	mkdir -p "$PG"
	if [ "$(id -u)" = 0 ]; then
		chmod 711 "$TMP"
		chown nobody "$PG"
		as_pg() { runuser -u nobody -- "$@"; }
	else
		as_pg() { "$@"; }
	fi
	PGOPTS="-k $PG -c listen_addresses='' -p 5432 -c fsync=off $*"
	as_pg "$PGBIN/initdb" -D "$PG/data" -U kiosk -A trust -E UTF8 --locale=C --no-sync >"$TMP/initdb.log" 2>&1
	ok $? "initdb of a private cluster ($PGBIN)"
	as_pg "$PGBIN/pg_ctl" -D "$PG/data" -w -t "$WAIT_LIMIT" -l "$PG/log" -o "$PGOPTS" start >/dev/null
	ok $? "PostgreSQL started on a unix socket in the test folder"
	at_exit "as_pg $PGBIN/pg_ctl -D $PG/data -m immediate stop"
	DB="postgresql:///collector?host=$PG&port=5432&user=kiosk"
	psql_ "CREATE DATABASE collector" postgres
}
psql_() { "$PGBIN/psql" -XAtq "postgresql:///${2:-collector}?host=$PG&port=5432&user=kiosk" -c "$1"; }
