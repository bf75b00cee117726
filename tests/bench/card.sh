#!/usr/bin/env bash
# Card reader rows for tests/bench.sh (| what | figure | target | command |), measured with
# a private pcscd + vpcd and the virtual card (tests/tools/vcard.py), median of RUNS reads:
#   insertion to data: the card connects to vpcd (= inserted) -> `kiosk card --json` has
#     printed the card and exited (includes pcscd noticing the card: it polls vpcd);
#   card transfer: first APDU -> last reply, as the card saw it;
#   APDUs per read: counted by the card.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-10}
K=$PWD/$BUILD/kiosk
PY=$(command -v /usr/bin/python3 || command -v python3)
. tests/tools/pcsc-env.sh
d=$(mktemp -d /tmp/kiosk-bench-card.XXXXXX)
trap 'pcsc_env_stop; rm -rf "$d"' EXIT
pcsc_env_start "$d/pcsc" >/dev/null 2>&1 || {
	echo "| card read, insertion to data | (no pcscd) | — | tests/bench/card.sh |"
	exit 0
}
for i in $(seq "$RUNS"); do
	"$K" card --json --wait 10 >/dev/null 2>"$d/err" &
	kp=$!
	# The card goes in once kiosk card holds its connection to pcscd (it is waiting then,
	# or about to: a card program takes longer to start). Polled, deadline 30 s.
	for _ in $(seq 600); do
		find "/proc/$kp/fd" -lname 'socket:*' 2>/dev/null | grep -q . && break
		sleep 0.05 # poll interval
	done
	"$PY" tests/tools/vcard.py --port "$VPCD_PORT" --profile somchai --stats "$d/st$i" 2>/dev/null &
	vp=$!
	wait "$kp"
	rc=$?
	echo $(($(date +%s%N))) >"$d/end$i"
	kill "$vp" 2>/dev/null
	wait "$vp" 2>/dev/null
	[ "$rc" = 0 ] || { echo "| card read | failed: $(cat "$d/err") | — | kiosk card |"; exit 0; }
	"$BUILD/tools/pcsc_wait" empty "Virtual PCD 00 00" 30000
done
"$PY" - "$d" "$RUNS" <<'EOF'
import json, statistics, sys
d, runs = sys.argv[1], int(sys.argv[2])
ins, xfer, apdus = [], [], []
for i in range(1, runs + 1):
    st = json.load(open(f"{d}/st{i}"))[0]
    end = int(open(f"{d}/end{i}").read())
    ins.append((end - st["connected_ns"]) / 1e6)
    xfer.append((st["last_reply_ns"] - st["first_apdu_ns"]) / 1e6)
    apdus.append(st["apdus"])
med = statistics.median
print(f"| card read, insertion to data (median of {runs}; min {min(ins):.0f}, max {max(ins):.0f}) | {med(ins):.0f} ms | — "
      f"| `kiosk card --json --wait 10` + tests/tools/vcard.py via vpcd (tests/bench/card.sh) |")
print(f"| card transfer, first APDU to last reply (median of {runs}) | {med(xfer):.1f} ms | — | same |")
print(f"| APDUs per read (SELECT + 4 x READ/GET RESPONSE, no photo) | {med(apdus):.0f} | <= 20 | same |")
EOF
