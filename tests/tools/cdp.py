#!/usr/bin/env python3
"""A tiny Chrome DevTools Protocol client on the standard library only
(RFC 6455 WebSocket client framing), enough to drive headless Chromium in
tests: start it, open a page, type, click with real mouse events, read the
DOM, take screenshots.

    with Browser() as b:
        p = b.page()
        p.goto("http://127.0.0.1:8088/")
        p.click("#btn-call")
        p.wait_text("#current", "A001")
"""
import base64, json, os, shutil, socket, struct, subprocess, tempfile, time, urllib.request

# How long any wait for the browser or the page may take: the tests' generous deadline
# (WAIT_LIMIT, as in tests/integ/lib.sh), so a busy machine is slower but never wrong.
WAIT_LIMIT = float(os.environ.get("WAIT_LIMIT", "30"))


class WebSocket:
    def __init__(self, url, timeout=WAIT_LIMIT):
        assert url.startswith("ws://")
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.s = socket.create_connection((host, int(port)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.s.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError("websocket handshake refused: %r" % head[:200])
        self.buf = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        hdr = bytes([0x81])
        if n < 126:
            hdr += bytes([0x80 | n])
        elif n < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            op = b0 & 0x0F
            if op == 8:
                raise ConnectionError("websocket closed by peer")
            if op in (9, 10):  # ping/pong: ignore (the browser does not ping us)
                continue
            msg += payload
            if b0 & 0x80:
                return msg.decode()


class Page:
    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []

    def cmd(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def eval(self, expr):
        r = self.cmd("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("JS: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def goto(self, url, timeout=WAIT_LIMIT):
        """Navigates and returns once the new document has loaded (its load event):
        polling document.readyState alone can see the old page's "complete"."""
        self.cmd("Page.enable")
        seen = len(self.events)
        self.cmd("Page.navigate", url=url)
        end = time.time() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[seen:]):
            if time.time() > end:
                raise TimeoutError("page did not load: " + url)
            self.ws.s.settimeout(max(0.1, end - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except socket.timeout:
                pass
        self.ws.s.settimeout(WAIT_LIMIT)

    def box(self, sel):
        return self.eval("(() => { const e = document.querySelector(%s); if (!e) return null;"
                         " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                         " return [r.x + r.width / 2, r.y + r.height / 2, r.width, r.height]; })()"
                         % json.dumps(sel))

    def click(self, sel):
        """A real click: mouse moved, pressed and released at the element's centre."""
        b = self.box(sel)
        if not b or b[2] == 0:
            raise RuntimeError("not visible: " + sel)
        x, y = b[0], b[1]
        self.cmd("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.cmd("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.cmd("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def type(self, sel, text):
        self.click(sel)
        self.cmd("Input.insertText", text=text)

    def text(self, sel):
        return self.eval("(() => { const e = document.querySelector(%s); return e ? e.textContent : null; })()"
                         % json.dumps(sel))

    def wait_text(self, sel, want, timeout=WAIT_LIMIT):
        end = time.time() + timeout
        got = None
        while time.time() < end:
            got = self.text(sel)
            if got is not None and want in got:
                return got
            time.sleep(0.05)
        return got

    def wait_true(self, expr, timeout=WAIT_LIMIT):
        """Polls a JavaScript condition until it holds (the page updates asynchronously)."""
        end = time.time() + timeout
        while time.time() < end:
            if self.eval(expr):
                return True
            time.sleep(0.05)
        return False

    def screenshot(self, path, width=1000, height=1100):
        self.cmd("Emulation.setDeviceMetricsOverride", width=width, height=height,
                 deviceScaleFactor=1, mobile=False)
        data = self.cmd("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


class Browser:
    def __init__(self, exe=None):
        self.exe = exe or shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.exe:
            raise FileNotFoundError("chromium is not installed")
        self.dir = tempfile.mkdtemp(prefix="kiosk-chromium.")
        self.proc = subprocess.Popen(
            [self.exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--no-default-browser-check", "--mute-audio",
             "--user-data-dir=" + self.dir, "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "--window-size=1000,1100", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.dir, "DevToolsActivePort")
        end = time.time() + max(WAIT_LIMIT, 30)
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.time() > end or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        self.port = int(open(port_file).read().split("\n")[0])

    def page(self):
        """The first tab, waited for: the DevTools port may be open before the tab exists."""
        end = time.time() + WAIT_LIMIT
        while True:
            targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % self.port,
                                                       timeout=WAIT_LIMIT))
            for t in targets:
                if t.get("type") == "page":
                    return Page(t["webSocketDebuggerUrl"])
            if time.time() > end:
                raise RuntimeError("no page target")
            time.sleep(0.1)  # poll interval

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()
