#!/usr/bin/env python3
"""The module graph of kiosk/, from two sources, and its cycles.

A module is a .c/.h pair (kiosk/ui/app.c + kiosk/ui/app.h = ui/app). Edges:
  include: a module's files `#include "x/y.h"` -> module x/y;
  link:    a module's object (build/obj/...) calls or reads a symbol that another
           module's object defines (nm), so hidden upward calls count too.
Prints one line per cycle (the modules of a strongly connected component) and one
line per folder edge that goes up the layers, then "cycles N, upward N".

usage: dep_graph.py ROOT [BUILD]   (BUILD: the link graph too, from BUILD/obj)
"""
import os, re, subprocess, sys

# Folders, lowest first; a folder may use its own and the ones listed for it.
ALLOWED = {
    "core": {"core"},
    "dev": {"core", "dev"},
    "text": {"core", "text"},
    "paper": {"core", "dev", "text", "paper"},
    "net": {"core", "dev", "net"},
    "collector": {"core", "dev", "net", "collector"},
    "ui": {"core", "dev", "text", "paper", "ui"},
    "ui/screens": {"core", "dev", "net", "text", "paper", "ui", "ui/screens"},
    "cli": None,  # the top: anything
}


def folder(mod):
    return "ui/screens" if mod.startswith("ui/screens/") else mod.split("/")[0]


def include_graph(root):
    g = {}
    base = os.path.join(root, "kiosk")
    for d, _, files in os.walk(base):
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            p = os.path.join(d, f)
            mod = os.path.relpath(p, base)[:-2]
            g.setdefault(mod, set())
            for line in open(p, encoding="utf-8", errors="replace"):
                m = re.match(r'\s*#\s*include\s+"([^"]+)\.h"', line)
                if m and os.path.exists(os.path.join(base, m.group(1) + ".h")) and m.group(1) != mod:
                    g[mod].add(m.group(1))
    return g


def link_graph(root, build):
    objdir = os.path.join(build, "obj")
    defs, undefs = {}, {}
    for d, _, files in os.walk(objdir):
        for f in files:
            if not f.endswith(".o") or f in ("main_lite.o", "cli_lite.o"):
                continue
            p = os.path.join(d, f)
            mod = os.path.relpath(p, objdir)[:-2]
            # An object whose source has moved or gone is stale (make never deletes it):
            # reading it would report the old layout.
            if not os.path.exists(os.path.join(root, "kiosk", mod + ".c")):
                continue
            out = subprocess.run(["nm", "-P", p], capture_output=True, text=True).stdout
            undefs[mod] = set()
            for line in out.splitlines():
                parts = line.split()
                if len(parts) < 2:
                    continue
                name, kind = parts[0], parts[1]
                if kind == "U":
                    undefs[mod].add(name)
                elif kind in "TDRBCV":  # global definitions only: static ones link nowhere
                    defs.setdefault(name, mod)
    g = {m: set() for m in undefs}
    for m, us in undefs.items():
        for s in us:
            o = defs.get(s)
            if o and o != m:
                g[m].add(o)
    return g


def sccs(g):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1]
    graphs = [("include", include_graph(root))]
    if len(sys.argv) > 2:
        graphs.append(("link", link_graph(root, sys.argv[2])))
    cycles = upward = 0
    for kind, g in graphs:
        for comp in sccs(g):
            cycles += 1
            print(f"cycle ({kind}): " + " <-> ".join(comp))
        for m in sorted(g):
            ok = ALLOWED.get(folder(m))
            for t in sorted(g[m]):
                if ok is not None and folder(t) not in ok:
                    upward += 1
                    print(f"upward ({kind}): {m} -> {t}")
    print(f"cycles {cycles}, upward {upward}")
    return 1 if cycles or upward else 0


if __name__ == "__main__":
    sys.exit(main())
