#!/usr/bin/env bash
# `make bench`: one table of figures, each with the command behind it.
# Every tests/bench/*.sh prints table rows: | what | figure | target | command |
# Figures vary on a shared machine; they are measured, never asserted.
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build} K=$PWD/${BUILD:-build}/kiosk
echo "# kiosk bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo
echo "| what | figure | target | command |"
echo "|---|---|---|---|"
# sync first: each file's figures are its own. The collector's rows leave hundreds of MB
# of PostgreSQL writes behind, and the kernel flushing them sat in the next rows' fsyncs
# (CLI tickets: 58-63 /s in the full run against 68-70 /s alone).
for b in tests/bench/*.sh; do
	sync
	bash "$b"
done
echo
echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min): figures were taken beside whatever else ran."
