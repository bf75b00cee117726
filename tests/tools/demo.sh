#!/usr/bin/env bash
# `make run`: the kiosk in a window (half size, 540x960) with the shipped configuration,
# a demo data folder (var/demo, a month of simulated history the first time) and a
# simulated ID card reader: a private pcscd with the vsmartcard "Virtual PCD" reader and
# the virtual card program tests/tools/vcard.py. Keys in this terminal insert and pull
# the card; without a terminal the card goes in every 40 s and comes out 30 s later.
#
# Needs a display (X11 or Wayland); without one it says so and exits 3.
# Everything it starts (pcscd, the card, the kiosk) is stopped on the way out.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
K=$ROOT/$BUILD/kiosk
PY=$(command -v /usr/bin/python3 || command -v python3)
DATA=${KIOSK_DATA:-$ROOT/var/demo}
export KIOSK_CONFIG=${KIOSK_CONFIG:-$ROOT/config}

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	echo "demo: no display (DISPLAY and WAYLAND_DISPLAY are not set)." >&2
	echo "      Run it from a desktop session, or with a virtual one: xvfb-run -s '-screen 0 1280x1024x24' make run" >&2
	echo "      Screens without any display: build/kiosk shot --screen services --out /tmp/services.png" >&2
	exit 3
fi
[ -x "$K" ] || { echo "demo: $K is missing: run make first" >&2; exit 1; }

mkdir -p "$DATA"
if [ ! -e "$DATA/kiosk.db" ]; then
	echo "demo: a month of simulated history in $DATA (kiosk simulate --days 30)"
	"$K" --data "$DATA" simulate --days 30 || exit 1
fi

. "$ROOT/tests/tools/pcsc-env.sh"
WORK=$(mktemp -d /tmp/kiosk-demo.XXXXXX)
vpid= kpid=
card_out() {
	if [ -n "$vpid" ]; then
		kill "$vpid" 2>/dev/null
		wait "$vpid" 2>/dev/null
		vpid=
	fi
}
card_in() { # WHAT PROFILE [VCARD OPTIONS...]
	local what=$1
	shift
	card_out
	"$PY" "$ROOT/tests/tools/vcard.py" --port "$VPCD_PORT" --profile "$@" 2>>"$WORK/vcard.log" &
	vpid=$!
	echo "demo: card in: $what"
}
cleanup() {
	trap - EXIT INT TERM
	card_out
	if [ -n "$kpid" ] && kill -0 "$kpid" 2>/dev/null; then
		kill "$kpid" 2>/dev/null
		wait "$kpid" 2>/dev/null
	fi
	pcsc_env_stop
	[ -n "${STTY_SAVED:-}" ] && stty "$STTY_SAVED" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pcsc_env_start "$WORK/pcsc" || { echo "demo: the simulated card reader could not start (see above)" >&2; exit 1; }

"$K" --data "$DATA" run --windowed --size 540x960 "$@" &
kpid=$!

if [ -t 0 ]; then
	cat <<'EOF'

  The kiosk is in its window. The simulated card reader answers to keys typed here:
    1  insert the card of สมชาย ใจดี, 61 years old   (priority ticket by age)
    2  insert the card of a 15-year-old             (a minor)
    3  insert an expired card                       (the kind notice)
    4  insert the card of a 30-year-old
    5  insert a card that cannot be read
    0  pull the card out                            (personal data wiped, back to the start)
    q  quit (or Ctrl+Q in the kiosk window)

EOF
	STTY_SAVED=$(stty -g)
	while kill -0 "$kpid" 2>/dev/null; do
		key=
		IFS= read -rsn1 -t 1 key || true
		case "$key" in
		1) card_in "สมชาย, 61 years old" somchai ;;
		2) card_in "a 15-year-old" minor-15 ;;
		3) card_in "an expired card" expired ;;
		4) card_in "a 30-year-old" adult-30 ;;
		5) card_in "a card that cannot be read" somchai --fault garbage@2 ;;
		0) [ -n "$vpid" ] && echo "demo: card out"; card_out ;;
		q | Q) kill "$kpid" 2>/dev/null; break ;;
		esac
	done
else
	echo "demo: no terminal for keys: the card of สมชาย (61) goes in every 40 s and comes out 30 s later"
	# (sleep in the background and wait: a signal then ends the demo at once)
	while kill -0 "$kpid" 2>/dev/null; do
		sleep 10 & wait $!
		kill -0 "$kpid" 2>/dev/null || break
		card_in "สมชาย, 61 years old" somchai
		sleep 30 & wait $!
		card_out
	done
fi
wait "$kpid" 2>/dev/null
rc=$?
# The kiosk already explained a failure (no display: exit 3) on stderr.
exit $((rc == 143 ? 0 : rc))
