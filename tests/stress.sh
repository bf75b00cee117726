#!/usr/bin/env bash
# The suite while every core is busy: what a slow appliance at boot, or a shared CI machine,
# looks like. stress-ng keeps each CPU busy and one worker syncing the disk (our store
# fsyncs every commit); it is started here and always stopped, whatever happens.
# Usage: tests/stress.sh [PATTERN...]   (as tests/run.sh; the figures go to the same log)
set -u
cd "$(dirname "$0")/.."
command -v stress-ng >/dev/null || { echo "stress-ng is missing (make deps installs it)" >&2; exit 2; }
# --cpu 0: one CPU hog per online core; --io 1: one sync() loop. The hard --timeout is a
# backstop for a killed parent, so nothing stays behind burning the CPU.
stress-ng --cpu 0 --io 1 --timeout 2h --quiet &
spid=$!
trap 'kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null' EXIT
# Under load the concurrency test runs many rounds, and every wait gets a longer deadline
# (a deadline is a bound on a hang, never a performance assertion), and each script more
# time before tests/run.sh stops it.
export CONC_ROUNDS=${CONC_ROUNDS:-20} WAIT_LIMIT=${WAIT_LIMIT:-60} KIOSK_STRESS=1
export FILE_LIMIT=${FILE_LIMIT:-2700}
echo "# under load: stress-ng --cpu 0 --io 1 (pid $spid)"
tests/run.sh "$@"
