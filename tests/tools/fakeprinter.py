#!/usr/bin/env python3
"""A raw-TCP (port 9100 style) ESC/POS printer for tests, on 127.0.0.1.

fakeprinter.py MODE PORTFILE [OUTFILE]
  ok        read everything into OUTFILE, answer DLE EOT 4 with 0x12 (paper present)
  paperout  same, but answer 0x72 (paper end)
  stall     accept, never read (the socket buffers fill up)
  close     read 4096 bytes, then close with data unread (the kernel sends RST)
  full      never accept, and fill the accept queue itself: new SYNs are dropped,
            so a connect hangs until the client's own timeout
Writes the bound port to PORTFILE once listening (atomically, by rename: a test
waits for the file and never sees it half-written); in mode full, only once the
accept queue is full. Serves connections until killed. Each job read in full is
added to OUTFILE atomically once its connection is closed, so a test waits for
OUTFILE instead of sleeping.
"""
import os
import select
import socket
import sys
import threading
import time

mode, portfile = sys.argv[1], sys.argv[2]
outfile = sys.argv[3] if len(sys.argv) > 3 else None

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if mode == "stall":
    # A small receive window, like a printer's: the sender notices sooner.
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0))
srv.listen(0 if mode == "full" else 8)
if mode == "full":
    # listen(0) queues one connection; once a filler's handshake has completed the
    # queue is full and the kernel drops every new SYN. Ready only then: waiting
    # for the condition (a filler connected), however slow the machine.
    fillers = []
    for _ in range(4):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex(srv.getsockname())
        fillers.append(c)
    deadline = time.monotonic() + 60
    while not any(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 and
                  select.select([], [c], [], 0)[1] for c in fillers):
        if time.monotonic() > deadline:
            sys.exit("fakeprinter: the accept queue never filled")
        select.select([], fillers, [], 0.05)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
out_lock = threading.Lock()

held = []


def serve(c):
    if mode == "stall":
        held.append(c)
        return
    if mode == "close":
        got = 0
        while got < 4096:
            b = c.recv(4096 - got)
            if not b:
                break
            got += len(b)
        c.close()
        return
    answer = b"\x12" if mode == "ok" else b"\x72"
    data = bytearray()
    tail = b""
    while True:
        b = c.recv(65536)
        if not b:
            break
        data += b
        # answer every DLE EOT 4, also one split across reads
        n = (tail + b).count(b"\x10\x04\x04")
        c.sendall(answer * n)
        tail = (tail + b)[-2:]
    c.close()
    if outfile:
        # Appended by copy and rename: whoever sees OUTFILE sees whole jobs.
        with out_lock:
            old = b""
            if os.path.exists(outfile):
                with open(outfile, "rb") as f:
                    old = f.read()
            with open(outfile + ".tmp", "wb") as f:
                f.write(old + data)
            os.rename(outfile + ".tmp", outfile)


while mode == "full":
    time.sleep(60)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
