#!/usr/bin/env python3
"""Runs a command; prints "<wall ms> <peak MB>" where peak is the largest sum of
resident memory over the command and all its descendants (sampled every 5 ms).
Chromium starts several processes: their sum is what the appliance must hold."""
import os, subprocess, sys, time

def tree(pid):
    kids, out = {}, [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    i = 0
    while i < len(out):
        out += kids.get(out[i], [])
        i += 1
    return out

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    peak = max(peak, sum(rss_kb(q) for q in tree(p.pid)))
    time.sleep(0.005)
print("%d %.1f" % ((time.monotonic() - t0) * 1000, peak / 1024.0))
