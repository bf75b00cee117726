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
