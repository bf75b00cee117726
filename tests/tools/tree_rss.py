#!/usr/bin/env python3
"""Runs a command; prints "<wall ms> <peak MB>".

Wall time is from just before the fork to the moment wait4() returns, taken by a
thread that blocks in wait4: exact, whatever the sampling does. (The first version
noticed the end only at its next 5 ms sample, after scanning all of /proc, which on a
busy machine added several ms and a busy core to a ~90 ms figure.)

Peak memory is the largest sum of resident memory over the command and all its
descendants, sampled every 5 ms by walking /proc/PID/task/TID/children (only the
tree, not every process), and never less than the command's own peak as the kernel
counted it (wait4's ru_maxrss, kept across exec). Chromium starts several processes:
their sum is what the appliance must hold."""
import os, subprocess, sys, threading, time


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(c) for c in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid):
    out = [pid]
    i = 0
    while i < len(out):
        out += children(out[i])
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


done = {}


def waiter(pid):
    _, _, ru = os.wait4(pid, 0)
    done["t"] = time.monotonic()
    done["maxrss_kb"] = ru.ru_maxrss


t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = threading.Thread(target=waiter, args=(p.pid,))
w.start()
peak = 0
while w.is_alive():
    # A zombie's VmRSS line is gone, so a sample after the exit counts 0, not stale.
    peak = max(peak, sum(rss_kb(q) for q in tree(p.pid)))
    w.join(0.005)
w.join()
peak = max(peak, done["maxrss_kb"])
print("%d %.1f" % ((done["t"] - t0) * 1000, peak / 1024.0))
