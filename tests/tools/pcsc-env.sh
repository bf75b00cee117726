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

# Waits (up to ~5 s) until pcscd's socket exists and pcscd still lives.
_pcsc_wait_ready() {
	local sock=$1 pid=$2 i
	for i in $(seq 100); do
		[ -S "$sock" ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
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
		if ! _pcsc_wait_ready "$dir/run/pcscd.comm" "$PCSC_ENV_PID"; then
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
	if ! _pcsc_wait_ready /run/pcscd/pcscd.comm "$PCSC_ENV_PID"; then
		echo "pcsc-env: pcscd did not start:" >&2
		cat "$dir/pcscd.log" >&2
		pcsc_env_stop
		return 1
	fi
	unset PCSCLITE_CSOCK_NAME
	export VPCD_PORT=$port VPCD_PORT2=$((port + 1)) PCSC_ENV_PID PCSC_ENV_DIR
}

# Stops the daemon started by pcsc_env_start (only that process, by its pid).
pcsc_env_stop() {
	local i
	if [ -n "${PCSC_ENV_PID:-}" ] && kill -0 "$PCSC_ENV_PID" 2>/dev/null; then
		kill -TERM "$PCSC_ENV_PID" 2>/dev/null
		for i in $(seq 60); do kill -0 "$PCSC_ENV_PID" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$PCSC_ENV_PID" 2>/dev/null
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
