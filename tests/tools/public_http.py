#!/usr/bin/env python3
"""HTTP clients that misbehave, for tests/integ/public.sh and tests/bench/public.sh. Each
prints one JSON object.

  public_http.py flood URL N CONC [--xff same|each] [--api URL]
      N GETs of URL, CONC at a time, from this one address (or as N distinct phones
      behind a proxy with --xff each); meanwhile --api is asked once every 20 ms.
      -> {"codes": {"200": a, "429": b}, "retry_after": [...], "page_429": text,
          "api": {"n", "ok", "p50_ms", "max_ms"}, "ms"}
  public_http.py slow HOST PORT URL
      sends half a request and keeps quiet; meanwhile URL is fetched by a normal client.
      -> {"closed_after_s", "other_status", "other_ms"}
  public_http.py post URL BODY
      -> {"status", "body", "location"}
  public_http.py latency URL N [--xff]
      -> {"p50_ms", "p99_ms", "n"}: N sequential GETs on one keep-alive connection
      (--xff: each as another phone behind the proxy)
  public_http.py phones BASE PATHS_FILE N SECONDS [--xff] [--pid PID]
      N phones long-polling their ticket at once (one thread each) while SECONDS of plain
      page requests are timed -> {"waiting", "rps", "p50_ms", "p99_ms", "errors", "busy",
      "rss_mb", "threads"} (rss_mb, threads: of process PID while the phones wait)
"""
import http.client, json, socket, statistics, sys, threading, time, urllib.error, urllib.parse, urllib.request


def get(url, headers=None, timeout=30):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    return round(xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))], 1)


def flood(url, n, conc, xff=None, api=None):
    codes, retry, lock = {}, set(), threading.Lock()
    page = [None]
    todo = list(range(n))
    stop = threading.Event()
    api_ms, api_ok = [], [0]

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            h = {}
            if xff == "each":
                h["X-Forwarded-For"] = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
            elif xff == "same":
                h["X-Forwarded-For"] = "10.9.9.9"
            elif xff == "random":
                h["X-Forwarded-For"] = "10.%d.%d.%d, 192.0.2.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255, i % 250)
            try:
                st, hd, body = get(url, h)
            except Exception as e:  # a refused or reset connection is a figure too
                st, hd, body = "error:" + type(e).__name__, {}, b""
            with lock:
                codes[str(st)] = codes.get(str(st), 0) + 1
                if st == 429:
                    retry.add(hd.get("Retry-After"))
                    if page[0] is None:
                        page[0] = body.decode("utf-8", "replace")

    def api_poll():
        while not stop.is_set():
            t0 = time.time()
            try:
                st, _, body = get(api, timeout=10)
                if st == 200 and "waiting" in json.loads(body):
                    api_ok[0] += 1
            except Exception:
                pass
            api_ms.append((time.time() - t0) * 1000)
            stop.wait(0.02)  # the counter page's own pace, not a correctness wait

    t0 = time.time()
    ap = threading.Thread(target=api_poll) if api else None
    if ap:
        ap.start()
    ts = [threading.Thread(target=worker) for _ in range(conc)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    stop.set()
    if ap:
        ap.join()
    out = {"codes": codes, "retry_after": sorted(x for x in retry if x), "page_429": page[0] or "",
           "ms": int((time.time() - t0) * 1000)}
    if api:
        out["api"] = {"n": len(api_ms), "ok": api_ok[0], "p50_ms": pct(api_ms, 50), "max_ms": pct(api_ms, 100)}
    return out


def slow(host, port, url):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /services/ HTTP/1.1\r\nHost: x\r\nUser-Agent: slow")
    t0 = time.time()
    t1 = time.time()
    st, _, _ = get(url)
    other_ms = (time.time() - t1) * 1000
    s.settimeout(120)
    try:
        while s.recv(4096):
            pass
    except (ConnectionResetError, socket.timeout):
        pass
    return {"closed_after_s": round(time.time() - t0, 1), "other_status": st, "other_ms": round(other_ms, 1)}


def post(url, body):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    data = body.encode() if isinstance(body, str) else body
    c.request("POST", u.path + ("?" + u.query if u.query else ""), body=data,
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    return {"status": r.status, "body": r.read().decode("utf-8", "replace"),
            "location": r.getheader("Location")}


def latency(url, n, xff=False):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    path = u.path + ("?" + u.query if u.query else "")
    ms = []
    for i in range(n):
        h = {"X-Forwarded-For": "10.4.%d.%d" % (i >> 8 & 255, i & 255)} if xff else {}
        t0 = time.perf_counter()
        c.request("GET", path, headers=h)
        r = c.getresponse()
        r.read()
        ms.append((time.perf_counter() - t0) * 1000)
        if r.status != 200:
            return {"error": r.status}
    return {"n": n, "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99)}


def proc_status(pid):
    """VmRSS in MB and the thread count of a process, or None."""
    try:
        f = dict(l.split(":", 1) for l in open("/proc/%s/status" % pid))
        return round(int(f["VmRSS"].split()[0]) / 1024.0, 1), int(f["Threads"])
    except (OSError, KeyError, ValueError):
        return None, None


def phones(base, paths_file, n, seconds, xff, pid=None):
    """n phones wait on their ticket's long-poll; meanwhile plain pages are fetched as fast
    as 8 clients can, and timed."""
    paths = [l.strip() for l in open(paths_file) if l.strip()]
    u = urllib.parse.urlsplit(base)
    started, waiting, busy, errors = [0], [0], [0], [0]
    lock = threading.Lock()
    stop = threading.Event()

    def phone(i):
        path = paths[i % len(paths)]
        after = None
        h = {"X-Forwarded-For": "10.1.%d.%d" % (i >> 8, i & 255)} if xff else {}
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        while not stop.is_set():
            try:
                q = path.replace("/t?", "/t/wait?", 1) + ("&after=%s" % after if after else "&wait=0")
                if after:
                    with lock:
                        waiting[0] += 1
                c.request("GET", q, headers=h)
                r = c.getresponse()
                body = r.read()
                if after:
                    with lock:
                        waiting[0] -= 1
                if r.status == 200:
                    after = json.loads(body)["after"]
                    with lock:
                        started[0] += 1
                else:
                    with lock:
                        busy[0] += 1
                    stop.wait(1)
            except Exception:
                with lock:
                    errors[0] += 1
                    if after:
                        waiting[0] -= 1
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
                stop.wait(0.5)

    ts = [threading.Thread(target=phone, args=(i,), daemon=True) for i in range(n)]
    for t in ts:
        t.start()
    end = time.time() + 60
    while waiting[0] < n and time.time() < end:
        time.sleep(0.05)  # poll interval while the phones connect
    at_start = waiting[0]
    ms, lock2, failed = [], threading.Lock(), [0]
    t_end = time.time() + seconds

    def client(k):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        i = 0
        while time.time() < t_end:
            # Each request another visitor (behind the proxy), as a crowd is.
            i += 1
            h = {"X-Forwarded-For": "10.%d.%d.%d" % (100 + k, i >> 8 & 255, i & 255)} if xff else {}
            t0 = time.perf_counter()
            try:
                c.request("GET", "/services/personal-cert", headers=h)
                r = c.getresponse()
                r.read()
                ok = r.status == 200
            except Exception:
                ok = False
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
            with lock2:
                if ok:
                    ms.append((time.perf_counter() - t0) * 1000)
                else:
                    failed[0] += 1

    cs = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    t0 = time.time()
    for t in cs:
        t.start()
    for t in cs:
        t.join()
    dt = time.time() - t0
    rss, threads = proc_status(pid) if pid else (None, None)
    out = {"rss_mb": rss, "threads": threads, "waiting": at_start, "waiting_end": waiting[0], "rps": round(len(ms) / dt, 1),
           "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99), "failed": failed[0],
           "phone_errors": errors[0], "busy": busy[0]}
    stop.set()
    return out


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "flood":
        opts = dict(zip(a[4::2], a[5::2]))
        r = flood(a[1], int(a[2]), int(a[3]), opts.get("--xff"), opts.get("--api"))
    elif a[0] == "slow":
        r = slow(a[1], a[2], a[3])
    elif a[0] == "post":
        r = post(a[1], a[2])
    elif a[0] == "latency":
        r = latency(a[1], int(a[2]), "--xff" in a)
    elif a[0] == "phones":
        r = phones(a[1], a[2], int(a[3]), float(a[4]), "--xff" in a,
                   a[a.index("--pid") + 1] if "--pid" in a else None)
    else:
        sys.exit("unknown mode")
    print(json.dumps(r, ensure_ascii=False))
