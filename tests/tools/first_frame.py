#!/usr/bin/env python3
"""Runs a kiosk command that prints "first-frame MS" on stderr (CLOCK_MONOTONIC ms,
--trace of `kiosk run`/`kiosk display`) and quits after it (--exit-after 0); prints
"<ms from process start to the first frame> <peak MB>" (peak: the process's largest
resident size, from wait4). The start is taken just before the fork, as a user's
shell would start it; Python's CLOCK_MONOTONIC is the kiosk's."""
import os, subprocess, sys, time

t0 = time.clock_gettime(time.CLOCK_MONOTONIC) * 1000
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
first = None
for line in p.stderr:
    if line.startswith("first-frame ") and first is None:
        first = float(line.split()[1])
_, status, ru = os.wait4(p.pid, 0)
if first is None or status != 0:
    sys.exit("first_frame: no first-frame line (exit status %d)" % status)
print("%d %.1f" % (first - t0, ru.ru_maxrss / 1024.0))
