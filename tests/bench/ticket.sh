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
