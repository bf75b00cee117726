#!/usr/bin/env python3
"""Long-polls and floods from chosen addresses, for tests/integ/public_load.sh and
tests/bench/public_frames.sh. Every client binds its own source address on the loopback
(127.0.0.0/8 is all ours on Linux), so the public listener sees distinct phones without a
proxy. Each mode prints one JSON object.

  public_load.py cap BASE PATH N SRC1 SRC2 CAP -- CALL_CMD...
      N long-polls of ticket PATH from SRC1 at once; once N - CAP of them have answered,
      a phone at SRC2 long-polls the same ticket, then CALL_CMD (e.g. kiosk call) runs.
      -> {"first": {"n", "next_ms", "held", "statuses", "states"}, "second": {"answers",
          "next_ms", "statuses", "states", "called"}, "call": stdout, "call_rc"}
      "first.next_ms": answers that said "ask again later" (the address was over its
      cap); "first.held": answers without it (held until the call, or the 25 s end).
  public_load.py flood BASE PATHS_FILE --stats FILE [--min N] [--phones P] [--windows W]
                 [--api URL] [--cli KIOSK]
      P phones (each its own address, 127.1.x.y) long-poll their tickets (PATHS_FILE);
      once all wait, one address (127.0.0.1) sends GETs of /services/, 16 at a time, until
      it sent N and the kiosk's --trace FILE shows W new frame-stats lines. Meanwhile,
      after each of the first 4 x 50 requests, counter k (1-4) calls its next ticket:
      counters 1 and 3 over the counter API (--api, tokens from `KIOSK counter-token`),
      2 and 4 with `KIOSK call` (--cli).
      -> {"codes", "sent", "ms", "phones": {"held", "statuses", "next_ms", "errors",
          "called_seen"}, "calls": [{"how", "counter", "status", "number"}], "frames": {"before",
          "lines"}}  (lines: the frame-stats lines printed while the flood ran)
"""
import http.client, json, os, re, subprocess, sys, threading, time, urllib.parse

WAIT_LIMIT = float(os.environ.get("WAIT_LIMIT", "30"))


def conn(base, src, timeout=60):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout, source_address=(src, 0))


def get(c, path, headers=None):
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    return r.status, dict(r.getheaders()), r.read()


def wait_path(path, after, wait=None):
    q = path.replace("/t?", "/t/wait?", 1) + "&after=%s" % after
    return q + ("&wait=%d" % wait if wait is not None else "")


def until(cond, limit):
    """Polls cond() until true or limit s passed (a poll interval, not a correctness wait)."""
    end = time.time() + limit
    while not cond():
        if time.time() > end:
            return False
        time.sleep(0.02)
    return True


def cap(base, path, n, src1, src2, cap_n, call_cmd):
    st, _, body = get(conn(base, src1), wait_path(path, 0, 0))
    after = json.loads(body)["after"]
    first, lock = [], threading.Lock()

    def tab():
        try:
            s, _, b = get(conn(base, src1), wait_path(path, after))
            j = json.loads(b) if s == 200 else {}
        except Exception as e:
            s, j = "error:" + type(e).__name__, {}
        with lock:
            first.append((s, j))

    ts = [threading.Thread(target=tab) for _ in range(n)]
    for t in ts:
        t.start()
    until(lambda: len(first) >= n - cap_n, WAIT_LIMIT)
    at_once = len(first)
    second, called = [], threading.Event()

    def phone():
        a, c = after, conn(base, src2)
        end = time.time() + 3 * WAIT_LIMIT
        while time.time() < end:
            try:
                s, _, b = get(c, wait_path(path, a))
            except Exception as e:
                second.append(("error:" + type(e).__name__, {}))
                return
            j = json.loads(b) if s == 200 else {}
            second.append((s, j))
            if j.get("state") == "called":
                called.set()
                return
            if s != 200:
                return
            a = j.get("after", a)  # the 25 s end on a slow machine: ask again, as ticket.js

    p2 = threading.Thread(target=phone)
    p2.start()
    r = subprocess.run(call_cmd, capture_output=True, text=True)
    called.wait(3 * WAIT_LIMIT)
    p2.join(3 * WAIT_LIMIT)
    for t in ts:
        t.join(3 * WAIT_LIMIT)

    def summary(xs):
        st, sa = {}, {}
        for s, j in xs:
            st[str(s)] = st.get(str(s), 0) + 1
            sa[j.get("state", "-")] = sa.get(j.get("state", "-"), 0) + 1
        return st, sa

    fs, fa = summary(first)
    ss, sa = summary(second)
    return {"first": {"n": len(first), "answered_before_second": at_once,
                      "next_ms": sum(1 for _, j in first if "next_ms" in j),
                      "next_ms_value": max([j.get("next_ms", 0) for _, j in first] or [0]),
                      "held": sum(1 for s, j in first if s == 200 and "next_ms" not in j),
                      "held_called": sum(1 for s, j in first if "next_ms" not in j and j.get("state") == "called"),
                      "statuses": fs, "states": fa},
            "second": {"answers": len(second), "next_ms": sum(1 for _, j in second if "next_ms" in j),
                       "statuses": ss, "states": sa, "called": called.is_set(),
                       "status_text": second[-1][1].get("status", "") if second else ""},
            "call": r.stdout.strip(), "call_rc": r.returncode}


STATS = re.compile(r"^frame-stats frames (\d+) timed (\d+) total (\d+) p50 ([\d.]+) p95 ([\d.]+) "
                   r"p99 ([\d.]+) max ([\d.]+) ms$")


def stats_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [m.groups() for m in (STATS.match(l.rstrip("\n")) for l in f) if m]
    except OSError:
        return []


def flood(base, paths_file, stats, min_n, n_phones, windows, api, cli):
    tokens = {}
    if api:  # counter k's bearer token, as staff get it
        for k in (1, 3):
            tokens[k] = subprocess.run([cli or "kiosk", "counter-token", "--counter", str(k)], capture_output=True,
                                       text=True).stdout.strip().splitlines()[-1]
    paths = [l.strip() for l in open(paths_file) if l.strip()]
    lock = threading.Lock()
    stop = threading.Event()
    ph = {"held": 0, "statuses": {}, "next_ms": 0, "errors": 0, "called_seen": 0}
    waiting = [0]

    def phone(i):
        src = "127.1.%d.%d" % (i // 250, i % 250 + 1)
        path = paths[i % len(paths)]
        try:
            c = conn(base, src)
            s, _, b = get(c, wait_path(path, 0, 0))
            after = json.loads(b)["after"]
            seen = False
            while not stop.is_set():
                with lock:
                    waiting[0] += 1
                s, _, b = get(c, wait_path(path, after))
                with lock:
                    waiting[0] -= 1
                    ph["statuses"][str(s)] = ph["statuses"].get(str(s), 0) + 1
                if s != 200:
                    return
                j = json.loads(b)
                if "next_ms" in j:
                    with lock:
                        ph["next_ms"] += 1
                if j.get("state") == "called" and not seen:
                    seen = True
                    with lock:
                        ph["called_seen"] += 1
                after = j["after"]
        except Exception:
            with lock:
                ph["errors"] += 1

    ps = [threading.Thread(target=phone, args=(i,), daemon=True) for i in range(n_phones)]
    for t in ps:
        t.start()
    until(lambda: waiting[0] >= n_phones, 2 * WAIT_LIMIT)
    ph["held"] = waiting[0]

    before = stats_lines(stats)
    n_before = len(before)
    codes, sent, calls = {}, [0], []
    t0 = time.time()
    deadline = t0 + 4 * WAIT_LIMIT

    def call(k):
        """Call k (1-4) at counter k: over the counter API for odd k, `kiosk call` for even."""
        if api and k % 2:
            u = urllib.parse.urlsplit(api)
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            try:
                c.request("POST", "/api/counters/%d/call" % k, body=b"{}",
                          headers={"Authorization": "Bearer " + tokens[k], "Content-Type": "application/json"})
                r = c.getresponse()
                b = r.read()
                num = json.loads(b).get("number") if r.status == 200 else None
                calls.append({"how": "api", "counter": k, "status": r.status, "number": num})
            except Exception as e:
                calls.append({"how": "api", "counter": k, "status": "error:" + type(e).__name__, "number": None})
        elif cli:
            r = subprocess.run([cli, "--json", "call", "--counter", str(k)], capture_output=True, text=True)
            try:
                num = json.loads(r.stdout).get("number")
            except ValueError:
                num = None
            calls.append({"how": "cli", "counter": k, "status": r.returncode, "number": num})

    def done():
        return sent[0] >= min_n and len(stats_lines(stats)) >= n_before + windows

    def worker():
        c = conn(base, "127.0.0.1", 30)
        while not done() and time.time() < deadline:
            with lock:
                sent[0] += 1
                k = sent[0]
            if k % 50 == 0 and (api or cli) and k // 50 <= 4:
                call(k // 50)
            try:
                s, _, _ = get(c, "/services/")
            except Exception as e:
                s = "error:" + type(e).__name__
                c = conn(base, "127.0.0.1", 30)
            with lock:
                codes[str(s)] = codes.get(str(s), 0) + 1

    ws = [threading.Thread(target=worker) for _ in range(16)]
    for t in ws:
        t.start()
    for t in ws:
        t.join()
    ms = int((time.time() - t0) * 1000)
    lines = stats_lines(stats)[n_before:]
    stop.set()
    return {"codes": codes, "sent": sent[0], "ms": ms, "phones": ph, "calls": calls,
            "frames": {"before": nums(before[-1]) if before else None, "lines": [nums(l) for l in lines]}}


def nums(line):
    """A frame-stats line's groups: frames, timed, total (int), p50, p95, p99, max (ms)."""
    return [int(x) for x in line[:3]] + [float(x) for x in line[3:]]


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "cap":
        i = a.index("--")
        r = cap(a[1], a[2], int(a[3]), a[4], a[5], int(a[6]), a[i + 1:])
    elif a and a[0] == "flood":
        opts = dict(zip(a[3::2], a[4::2]))
        r = flood(a[1], a[2], opts["--stats"], int(opts.get("--min", 1000)), int(opts.get("--phones", 200)),
                  int(opts.get("--windows", 1)), opts.get("--api"), opts.get("--cli"))
    else:
        sys.exit(__doc__)
    print(json.dumps(r, ensure_ascii=False))
