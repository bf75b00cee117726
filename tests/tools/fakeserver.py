#!/usr/bin/env python3
"""A stand-in for the district ratings server, with faults, for the tests.

    fakeserver.py --port-file F --log F [--mode-file F] [--token T]
                  [--tls CERT KEY] [--retry-after N] [--slow S]

It checks every request as the real server would (POST, JSON content type,
Bearer token, Idempotency-Key a UUID, the contract's body) and answers 400 to a
malformed one. Faults come from --mode-file: space-separated modes used one
per request, the last one repeating (the count restarts when the file changes):

    ok        200 {"accepted": n, "duplicates": d}   (dedup by rating id)
    fail      500
    reset     reads and records the batch, then resets the connection (RST)
              without replying: the kiosk cannot know it arrived
    stall     reads and records the batch, never replies
    reject    400
    auth      401
    busy      429 with Retry-After: --retry-after seconds
    slow      waits --slow seconds, then 200

--log gets one JSON line per event: {"ev":"recv","req":n,"key":K,"mode":M,
"ids":[...]} when a batch has been read, and {"ev":"ack","req":n} after a 2xx
reply was written in full. So a test can check that every rating arrived and
that an id arrives twice only when an earlier copy was never acknowledged.
"""
import argparse
import hashlib
import json
import os
import re
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
KEYS = ("process", "staff", "facility", "overall")

args = None
lock = threading.Lock()
state = {"req": 0, "modes_text": None, "modes_i": 0, "seen": set()}


def log(obj):
    with lock:
        with open(args.log, "a") as f:
            f.write(json.dumps(obj) + "\n")
            f.flush()


def next_mode():
    with lock:
        text = "ok"
        if args.mode_file and os.path.exists(args.mode_file):
            with open(args.mode_file) as f:
                text = f.read().strip() or "ok"
        if text != state["modes_text"]:
            state["modes_text"], state["modes_i"] = text, 0
        modes = text.split()
        m = modes[min(state["modes_i"], len(modes) - 1)]
        state["modes_i"] += 1
        state["req"] += 1
        return state["req"], m


def valid(body):
    """The contract's batch, or an error string."""
    try:
        d = json.loads(body)
    except ValueError as e:
        return None, "body is not JSON: %s" % e
    if not isinstance(d, dict) or set(d) != {"office", "kiosk", "sent_at", "ratings"}:
        return None, "batch keys must be office, kiosk, sent_at, ratings"
    if not ISO.match(d["sent_at"]):
        return None, "sent_at is not ISO 8601"
    for r in d["ratings"]:
        if set(r) != {"id", "ticket", "service", "at", "scores"}:
            return None, "rating keys: %s" % sorted(r)
        if not UUID.match(r["id"]) or not ISO.match(r["at"]):
            return None, "bad id or at"
        if set(r["scores"]) != set(KEYS) or not all(
                isinstance(r["scores"][k], int) and 1 <= r["scores"][k] <= 5 for k in KEYS):
            return None, "bad scores"
    return d, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: without this, Nagle and the
        # client's delayed ACK add 40 ms to every small reply.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *a):
        pass

    def reply(self, code, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def do_GET(self):
        self.reply(405, {"error": "POST only"})

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if 0 < n <= 50_000_000 else b""
        req, mode = next_mode()
        auth = self.headers.get("Authorization", "")
        key = self.headers.get("Idempotency-Key", "")
        if args.token and auth != "Bearer " + args.token:
            log({"ev": "bad", "req": req, "why": "token"})
            return self.reply(401, {"error": "bad token"})
        if not UUID.match(key) or self.headers.get("Content-Type") != "application/json":
            log({"ev": "bad", "req": req, "why": "headers"})
            return self.reply(400, {"error": "Idempotency-Key and Content-Type required"})
        d, why = valid(body)
        if why:
            log({"ev": "bad", "req": req, "why": why})
            return self.reply(400, {"error": why})
        ids = [r["id"] for r in d["ratings"]]
        log({"ev": "recv", "req": req, "key": key, "mode": mode, "ids": ids,
             "sha": hashlib.sha256(body).hexdigest(),
             "office": d["office"], "kiosk": d["kiosk"]})
        if mode == "reset":
            # Read and kept, but the kiosk never hears back.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.connection.close()
            return
        if mode == "stall":
            time.sleep(3600)
            return
        if mode == "fail":
            return self.reply(500, {"error": "internal error (test)"})
        if mode == "reject":
            return self.reply(400, {"error": "batch refused (test)"})
        if mode == "auth":
            return self.reply(401, {"error": "token revoked (test)"})
        if mode == "busy":
            return self.reply(429, {"error": "slow down"},
                              [("Retry-After", str(args.retry_after))])
        if mode == "slow":
            time.sleep(args.slow)
        with lock:
            dup = sum(1 for i in ids if i in state["seen"])
            state["seen"].update(ids)
        self.reply(200, {"accepted": len(ids) - dup, "duplicates": dup})
        log({"ev": "ack", "req": req})

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # resets and stalls are the point


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--mode-file")
    p.add_argument("--token")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--retry-after", type=int, default=1)
    p.add_argument("--slow", type=float, default=1.0)
    args = p.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
