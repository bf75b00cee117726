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
