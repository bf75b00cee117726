#!/usr/bin/env python3
"""A virtual Thai national ID card for vsmartcard's vpcd (test-only: never on the appliance).

It CONNECTS to vpcd (pcscd's "Virtual PCD" reader driver), which listens on
127.0.0.1:35963 (slot 2: 35964); connecting is inserting the card, closing the socket is
pulling it. Wire protocol: every message is a 2-byte big-endian length and a payload. A
1-byte payload is a control (00 power off, 01 power on, 02 reset, 04 send the ATR); a longer
one is an APDU, answered with a length-prefixed response.

The card holds the personal-data area as one byte image (like the real card file), built
from a profile of tests/tools/vcard-profiles.json, and answers the command table used by
every open reader: SELECT A0 00 00 00 54 48 00 01 -> 61 0A, READ 80 B0 hi lo 02 00 len ->
61 len, GET RESPONSE 00 C0 00 p2 len -> data + 90 00 (p2 must be 01 for a 3B 67 ATR).

  vcard.py --port P --profile somchai                 # insert and stay until killed
  vcard.py --port P --profile somchai --pull-after 3  # answer 3 APDUs, pulled at the 4th
  vcard.py --port P --profile somchai --fault short@5 # APDU 5 after each reset: 1-byte reply
  vcard.py --list | --dump-expected NAME

Nothing of the card's data is printed unless --verbose (APDU headers only, never data).
"""
import argparse
import json
import os
import random
import signal
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AID = bytes.fromhex("A000000054480001")

# Field map of the personal-data applet: name -> (offset, length).
FIELDS = {
    "cid": (0x0004, 13),
    "name_th": (0x0011, 100),
    "name_en": (0x0075, 100),
    "birth": (0x00D9, 8),
    "gender": (0x00E1, 1),
    "issuer": (0x00F6, 100),
    "issue": (0x0167, 8),
    "expiry": (0x016F, 8),
    "address": (0x1579, 160),
}
PHOTO = (0x017B, 5118)
AREA_LEN = 0x1579 + 160


def cid_check(d12):
    s = sum(int(d12[i]) * (13 - i) for i in range(12))
    return str((11 - s % 11) % 10)


def load_profiles(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def field_bytes(prof, name):
    """Profile value -> raw card bytes, space padded (hex form wins: raw garbage)."""
    off, ln = FIELDS[name]
    if name + "_hex" in prof:
        raw = bytes.fromhex(prof[name + "_hex"])
    else:
        v = prof.get(name, "")
        if name == "cid" and v.startswith("auto:"):
            v = v[5:] + cid_check(v[5:])
        raw = v.encode("cp874")
    if len(raw) > ln:
        raise SystemExit(f"vcard: profile field {name} longer than {ln} bytes")
    return raw + b" " * (ln - len(raw))


def build_image(prof):
    img = bytearray(b"\x00" * AREA_LEN)
    img[0:4] = b"\x01\x00\x00\x00"  # unknown header bytes, as some dumps show
    rnd = random.Random(7)
    off, ln = PHOTO
    img[off:off + ln] = bytes(rnd.randrange(256) for _ in range(ln))
    img[off:off + 2] = b"\xff\xd8"
    for name in FIELDS:
        off, ln = FIELDS[name]
        img[off:off + ln] = field_bytes(prof, name)
    return bytes(img)


def parse_faults(items):
    """KIND@N: at the N-th APDU after every power-up/reset (a broken card);
    KIND@N:once: at the N-th APDU since insertion only (a glitch)."""
    faults = {}
    for it in items:
        kind, _, where = it.partition("@")
        n, _, once = where.partition(":")
        faults[(int(n), once == "once")] = kind
    return faults


class Card:
    def __init__(self, prof, faults, pull_after, pull_mode, verbose):
        self.atr = bytes.fromhex(prof["atr"])
        self.image = build_image(prof)
        self.select_sw = bytes.fromhex(prof.get("select_sw", "610A"))
        self.p2 = 1 if self.atr[:2] == b"\x3b\x67" else 0
        self.faults = faults
        self.pull_after = pull_after
        self.pull_mode = pull_mode
        self.verbose = verbose
        self.rnd = random.Random(1234)
        self.reset()
        self.apdus = 0
        self.t_first = self.t_last = None

    def reset(self):
        self.selected = False
        self.pending = None
        self.session = 0  # APDUs since power-up/reset

    def log(self, msg):
        if self.verbose:
            print("vcard: " + msg, file=sys.stderr, flush=True)

    def answer(self, apdu):
        """The card's reply to one APDU (before any fault is applied)."""
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla == 0x00 and ins == 0xA4:
            self.pending = None
            if p1 == 0x04 and len(apdu) >= 5 and apdu[5:5 + apdu[4]] == AID:
                if self.select_sw[:1] == b"\x6a":
                    return self.select_sw
                self.selected = True
                return self.select_sw
            return b"\x6a\x82"
        if cla == 0x80 and ins == 0xB0:
            self.pending = None
            if not self.selected:
                return b"\x69\x85"
            if len(apdu) != 7 or apdu[4] != 2 or apdu[5] != 0:
                return b"\x67\x00"
            off, ln = (p1 << 8) | p2, apdu[6]
            if ln == 0 or off + ln > len(self.image):
                return b"\x6b\x00"
            self.pending = self.image[off:off + ln]
            return bytes([0x61, ln])
        if cla == 0x00 and ins == 0xC0:
            if self.pending is None:
                return b"\x69\x85"
            if p1 != 0 or p2 != self.p2:
                return b"\x6b\x00"
            le = apdu[4] if len(apdu) == 5 else -1
            if le != len(self.pending):
                return bytes([0x6C, len(self.pending)])
            data, self.pending = self.pending, None
            return data + b"\x90\x00"
        return b"\x6d\x00"

    def fault(self, n, resp):
        kind = self.faults.get((self.session, False)) or self.faults.get((n, True))
        if not kind:
            return resp
        self.log(f"fault {kind} at APDU {n}")
        if kind == "short":
            return resp[-1:]
        if kind == "noreply":  # the card goes silent (vpcd then waits for ever)
            return None
        if kind == "badsw":
            return b"\x6f\x00"
        if kind == "shortdata":  # one data byte missing, SW still 90 00
            return resp[:-3] + resp[-2:] if len(resp) > 2 else resp
        if kind == "longdata":
            return resp[:-2] + b"\x20" + resp[-2:]
        if kind == "garbage":
            return bytes(self.rnd.randrange(256) for _ in range(self.rnd.randrange(1, 40)))
        if kind == "no61":  # data-less 90 00 where 61 xx belongs
            return b"\x90\x00"
        if kind == "wrong61":
            return bytes([0x61, max(0, resp[1] - 1)]) if resp[:1] == b"\x61" else resp
        raise SystemExit(f"vcard: unknown fault kind {kind}")


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
        # vpcd writes the length and the payload with two send()s: without a quick ACK
        # here, Nagle on its side and delayed ACK on ours add ~40 ms to every APDU.
        quickack(sock)
    return buf


def quickack(sock):
    if hasattr(socket, "TCP_QUICKACK"):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            pass


def send_msg(sock, payload):
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def connect(host, port, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            s = socket.create_connection((host, port), timeout=2)
            s.settimeout(None)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"vcard: cannot connect to vpcd at {host}:{port}")
            time.sleep(0.05)


def serve(card, sock, idle_remove):
    """One insertion. Returns when the card is pulled (by an option) or vpcd hangs up."""
    last_apdu = None
    while True:
        # vpcd asks for the ATR on every presence poll: only APDUs count as activity.
        if idle_remove and last_apdu is not None:
            left = idle_remove - (time.monotonic() - last_apdu)
            if left <= 0:
                card.log("idle: removing the card")
                return
            sock.settimeout(left)
        try:
            hdr = recv_exact(sock, 2)
            sock.settimeout(None)
        except socket.timeout:
            continue
        if hdr is None:
            return
        (ln,) = struct.unpack(">H", hdr)
        msg = recv_exact(sock, ln) if ln else b""
        if msg is None:
            return
        if ln == 1:
            ctl = msg[0]
            card.log(f"control {ctl:02x}")
            if ctl == 4:
                send_msg(sock, card.atr)
                if card.pull_after == 0 and card.pull_mode == "sent":
                    return
            elif ctl in (0, 1, 2):
                card.reset()
            continue
        n = card.apdus + 1
        if card.pull_after is not None and n > card.pull_after:
            card.log(f"pulled at APDU {n}")
            return
        card.apdus = n
        card.session += 1
        now = time.time_ns()
        card.t_first = card.t_first or now
        card.log(f"APDU {n}: {msg[:4].hex()}")
        resp = card.fault(n, card.answer(msg))
        if resp is not None:
            send_msg(sock, resp)
        card.t_last = time.time_ns()
        last_apdu = time.monotonic()
        if card.pull_after is not None and n == card.pull_after and card.pull_mode == "sent":
            card.log(f"pulled after APDU {n}")
            return


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("VPCD_PORT", 35963)))
    ap.add_argument("--profiles", default=os.path.join(HERE, "vcard-profiles.json"))
    ap.add_argument("--profile", default="somchai")
    ap.add_argument("--atr", help="override the profile's ATR (hex)")
    ap.add_argument("--pull-after", type=int, help="answer N APDUs, then pull the card")
    ap.add_argument("--pull-mode", choices=("before", "sent"), default="before",
                    help="before: pulled when APDU N+1 arrives (unanswered); "
                         "sent: pulled right after reply N is sent (N=0: after the ATR)")
    ap.add_argument("--fault", action="append", default=[], metavar="KIND@N",
                    help="short|badsw|noreply|shortdata|longdata|garbage|no61|wrong61 at the N-th APDU "
                         "after each reset (KIND@N:once: the N-th since insertion only)")
    ap.add_argument("--remove-when-idle", type=float, default=0,
                    help="pull the card SEC seconds after its last APDU (none yet: stays)")
    ap.add_argument("--cycles", type=int, default=1, help="insertions (with --remove-when-idle)")
    ap.add_argument("--connect-timeout", type=float, default=30,
                    help="keep trying to reach vpcd this long (a deadline: a busy machine is slow)")
    ap.add_argument("--stats", help="write {connected_ns,first_apdu_ns,last_reply_ns,apdus} here")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--list", action="store_true", help="list the profiles")
    ap.add_argument("--dump-expected", metavar="NAME", help="print a profile's raw fields as hex")
    a = ap.parse_args()

    profiles = load_profiles(a.profiles)
    if a.list:
        for k, v in profiles.items():
            print(f"{k}\t{v.get('about', '')}")
        return 0
    if a.dump_expected:
        p = profiles[a.dump_expected]
        print(json.dumps({k: field_bytes(p, k).hex() for k in FIELDS}))
        return 0
    if a.profile not in profiles:
        raise SystemExit(f"vcard: no profile {a.profile} (try --list)")
    prof = dict(profiles[a.profile])
    if a.atr:
        prof["atr"] = a.atr

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1) or sys.exit(0))
    stats = []
    try:
        for _ in range(a.cycles):
            card = Card(prof, parse_faults(a.fault), a.pull_after, a.pull_mode, a.verbose)
            sock = connect(a.host, a.port, a.connect_timeout)
            t_conn = time.time_ns()
            card.log("inserted")
            try:
                serve(card, sock, a.remove_when_idle)
            finally:
                sock.close()
                stats.append({"connected_ns": t_conn, "first_apdu_ns": card.t_first,
                              "last_reply_ns": card.t_last, "apdus": card.apdus})
                card.log("removed")
    finally:
        if a.stats:
            with open(a.stats, "w") as f:
                json.dump(stats, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
