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
for b in tests/bench/*.sh; do bash "$b"; done
echo
echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min): figures were taken beside whatever else ran."
