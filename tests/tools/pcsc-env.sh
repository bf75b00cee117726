#!/usr/bin/env bash
# A private pcscd with the vsmartcard "Virtual PCD" reader, for tests, benches and demos.
#
# Sourced:   . tests/tools/pcsc-env.sh
#            pcsc_env_start "$TMP/pcsc" || exit 1   # exports PCSCLITE_CSOCK_NAME, VPCD_PORT, VPCD_PORT2
#            at_exit pcsc_env_stop                 # (or trap) always stop it
# Run:       tests/tools/pcsc-env.sh run -- CMD ARGS...   (starts, runs CMD, stops)
#
# Why a private daemon: Debian's pcscd is a system service (socket-activated by
# pcscd.socket under systemd) owning the fixed path /run/pcscd/pcscd.comm, and its vpcd
# reader listens on the fixed TCP port 35963. Another agent, a developer's real reader or a
# second test run would share both. So, when we may (root or CAP_SYS_ADMIN), pcscd runs in
# its own mount namespace (`unshare -m`) with a scratch folder bound over /run/pcscd, and a
# private reader.conf.d (`pcscd -c`) whose vpcd CHANNELID is a free port pair. The system
# service, if any, is neither stopped nor touched, so no systemd socket activation needs to
# be turned off. Clients reach the private daemon through PCSCLITE_CSOCK_NAME (honoured by
# libpcsclite; pcscd itself has the path compiled in, hence the bind mount).
# Fallback without namespaces: use a running system pcscd that has "Virtual PCD" on 35963,
# or start `pcscd -f` on the real path when /run/pcscd is free and writable.
#
# pcscd runs without -a/-d: APDU logging would write card data into the log.

# Picks a free TCP port P on 127.0.0.1 such that P+1 is free as well (vpcd slot 2).
_pcsc_free_port_pair() {
	"$(command -v /usr/bin/python3 || command -v python3)" - <<'EOF'
import socket, random
for _ in range(200):
    p = random.randrange(20000, 60000, 2)
    socks = []
    try:
        for q in (p, p + 1):
            s = socket.socket(); s.bind(("127.0.0.1", q)); socks.append(s)
        print(p); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
EOF
}

# How long pcscd may take to come up or go away: a deadline, not a delay (a busy 2-core
# machine at boot, or a test suite running beside another, can take seconds). Polled.
PCSC_ENV_WAIT=${PCSC_ENV_WAIT:-${WAIT_LIMIT:-30}}
_PCSC_ENV_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# _pcsc_until CMD...: polls CMD until it succeeds (0), says it never will (2), or
# PCSC_ENV_WAIT seconds pass (1).
_pcsc_until() {
	local end=$(($(date +%s%N) / 1000000 + PCSC_ENV_WAIT * 1000)) rc
	while :; do
		"$@"
		rc=$?
		[ $rc = 0 ] && return 0
		[ $rc = 2 ] && return 1
		[ $(($(date +%s%N) / 1000000)) -lt "$end" ] || return 1
		sleep 0.05 # the poll interval, not a correctness wait
	done
}
_pcsc_sock_up() { # SOCK PID: 0 up, 1 not yet, 2 pcscd died
	[ -S "$1" ] && return 0
	kill -0 "$2" 2>/dev/null && return 1
	return 2
}
# 0 when something LISTENs on 127.0.0.1/any TCP port $1 (vpcd's slot), without connecting
# to it (a connection would be a card insertion).
_pcsc_listening() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}
# 0 when pcscd lists both vpcd slots (needs build/tools/pcsc_wait; without it, listening
# on the ports is taken as enough).
_pcsc_readers_up() {
	local pw=${PCSC_WAIT:-$_PCSC_ENV_HERE/../../${BUILD:-build}/tools/pcsc_wait}
	_pcsc_listening "$1" && _pcsc_listening $(($1 + 1)) || return 1
	[ -x "$pw" ] || return 0
	[ "$("$pw" list 2>/dev/null | grep -c '^Virtual PCD')" -ge 2 ]
}

# Waits (deadline PCSC_ENV_WAIT) until pcscd's socket exists (while pcscd still lives)
# and, for the vpcd style, until both virtual readers are visible to clients: a kiosk
# started before that would begin with "readers 0" and a card program would find no
# vpcd listening.
_pcsc_wait_ready() {
	local sock=$1 pid=$2 style=${3:-empty} port=${4:-}
	_pcsc_until _pcsc_sock_up "$sock" "$pid" || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	[ "$style" = vpcd ] || return 0
	PCSCLITE_CSOCK_NAME=$sock _pcsc_until _pcsc_readers_up "$port"
}

# pcsc_env_start DIR [conf-style]
#   conf-style: "vpcd" (default: the Virtual PCD reader, 2 slots) or "empty" (no reader).
pcsc_env_start() {
	local dir=$1 style=${2:-vpcd} port
	mkdir -p "$dir/run" "$dir/conf" || return 1
	PCSC_ENV_DIR=$dir
	port=$(_pcsc_free_port_pair) || return 1
	[ -n "$port" ] || return 1
	if [ "$style" = vpcd ]; then
		printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      %s\nCHANNELID    0x%X\n' \
			"$port" /usr/lib/pcsc/drivers/serial/libifdvpcd.so "$port" >"$dir/conf/vpcd"
	fi
	if unshare -m true 2>/dev/null; then
		# /run/pcscd may not exist (no system pcscd ever ran): the mount point must.
		mkdir -p /run/pcscd 2>/dev/null
		unshare -m --propagation private sh -c \
			'mount --bind "$1" /run/pcscd && exec pcscd -f -c "$2"' sh "$dir/run" "$dir/conf" \
			>"$dir/pcscd.log" 2>&1 &
		PCSC_ENV_PID=$!
		if ! _pcsc_wait_ready "$dir/run/pcscd.comm" "$PCSC_ENV_PID" "$style" "$port"; then
			echo "pcsc-env: private pcscd did not start:" >&2
			cat "$dir/pcscd.log" >&2
			pcsc_env_stop
			return 1
		fi
		export PCSCLITE_CSOCK_NAME=$dir/run/pcscd.comm VPCD_PORT=$port VPCD_PORT2=$((port + 1))
		export PCSC_ENV_PID PCSC_ENV_DIR
		return 0
	fi
	# No namespaces: share the one daemon on the real path.
	PCSC_ENV_PID=
	if pgrep -x pcscd >/dev/null; then
		[ "$style" = vpcd ] || { echo "pcsc-env: cannot make an empty pcscd next to the system one" >&2; return 1; }
		export VPCD_PORT=35963 VPCD_PORT2=35964
		unset PCSCLITE_CSOCK_NAME
		echo "pcsc-env: using the running system pcscd (Virtual PCD on 35963)" >&2
		return 0
	fi
	pcscd -f -c "$dir/conf" >"$dir/pcscd.log" 2>&1 &
	PCSC_ENV_PID=$!
	if ! _pcsc_wait_ready /run/pcscd/pcscd.comm "$PCSC_ENV_PID" "$style" "$port"; then
		echo "pcsc-env: pcscd did not start:" >&2
		cat "$dir/pcscd.log" >&2
		pcsc_env_stop
		return 1
	fi
	unset PCSCLITE_CSOCK_NAME
	export VPCD_PORT=$port VPCD_PORT2=$((port + 1)) PCSC_ENV_PID PCSC_ENV_DIR
}

_pcsc_gone() { ! kill -0 "$1" 2>/dev/null; }
# Stops the daemon started by pcsc_env_start (only that process, by its pid).
pcsc_env_stop() {
	if [ -n "${PCSC_ENV_PID:-}" ] && kill -0 "$PCSC_ENV_PID" 2>/dev/null; then
		kill -TERM "$PCSC_ENV_PID" 2>/dev/null
		_pcsc_until _pcsc_gone "$PCSC_ENV_PID" || kill -KILL "$PCSC_ENV_PID" 2>/dev/null
		wait "$PCSC_ENV_PID" 2>/dev/null
	fi
	PCSC_ENV_PID=
	unset PCSCLITE_CSOCK_NAME
	return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case "${1:-}" in
	run)
		shift
		[ "${1:-}" = -- ] && shift
		d=$(mktemp -d /tmp/kiosk-pcsc.XXXXXX)
		trap 'pcsc_env_stop; rm -rf "$d"' EXIT
		trap 'exit 130' INT TERM
		pcsc_env_start "$d" || exit 1
		echo "pcsc-env: PCSCLITE_CSOCK_NAME=${PCSCLITE_CSOCK_NAME:-} VPCD_PORT=$VPCD_PORT" >&2
		"$@"
		;;
	*)
		echo "usage: $0 run -- CMD [ARGS...]   (or source it: pcsc_env_start DIR / pcsc_env_stop)" >&2
		exit 2
		;;
	esac
fi
