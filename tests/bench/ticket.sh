#!/usr/bin/env bash
# Ticket device-layer rows for tests/bench.sh (| what | figure | target | command |):
#   QR + raster generation: sign + QR encode + draw on a 576x1000 canvas + build the
#   ESC/POS stream, per ticket; bytes per ticket: the stream of that 125 mm ticket.
# Measured with build/tools/qrtool bench over ITER tickets (default 1000).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ITER=${ITER:-1000}
out=$("$BUILD/tools/qrtool" bench --iterations "$ITER" --paper 576 --height 1000) || exit 1
ms=$(sed -n 's/.*ms_per_ticket \([0-9.]*\).*/\1/p' <<<"$out")
bytes=$(sed -n 's/.*bytes \([0-9]*\).*/\1/p' <<<"$out")
echo "| QR + raster generation (sign, encode, 576x1000 canvas, ESC/POS), per ticket | $ms ms | — | \`$BUILD/tools/qrtool bench --iterations $ITER\` |"
echo "| bytes per ticket (576 dots, 1000 rows = 125 mm) | $bytes | — | \`qrtool bench\` |"
# The whole "get a ticket" path before the printer, in one process (as the kiosk
# does it): issue (SQLite, fsync) + sign + text-engine layout + raster + ESC/POS,
# median of RUNS tickets after one warm-up, at 576 and 384 dots.
RUNS=${RUNS:-50}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
for W in 576 384; do
	b=$("$BUILD/tools/bench_ticket" "$RUNS" "$T/b$W" "$W") || exit 1
	med=$(sed -n 's/.*median_ms \([0-9.]*\).*/\1/p' <<<"$b")
	p90=$(sed -n 's/.*p90_ms \([0-9.]*\).*/\1/p' <<<"$b")
	iss=$(sed -n 's/.*issue_ms \([0-9.]*\).*/\1/p' <<<"$b")
	ren=$(sed -n 's/.*render_ms \([0-9.]*\).*/\1/p' <<<"$b")
	rows=$(sed -n 's/.*rows \([0-9]*\).*/\1/p' <<<"$b")
	bytes=$(sed -n 's/.*bytes \([0-9]*\).*/\1/p' <<<"$b")
	echo "| ticket issue to bytes ready (issue + sign + layout + raster + ESC/POS), $W dots | $med ms (p90 $p90; issue $iss, layout $ren) | < 30 ms | \`$BUILD/tools/bench_ticket $RUNS DIR $W\` |"
	echo "| printed ticket, $W dots: length, bytes | $rows rows = $((rows / 8)) mm, $bytes B | — | \`bench_ticket\` |"
done
