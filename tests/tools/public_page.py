#!/usr/bin/env python3
"""Drives the public pages (kiosk serve --public) in headless Chromium as a citizen would,
and prints what a person would have seen as one JSON object, for tests/integ/public.sh.

  public_page.py pages BASE SHOTS AXE PATH...      every page at 390x844 and 1280x800:
                                                   screenshot, axe-core, reflow at 320 and
                                                   640 px (200 % zoom), fonts, CSP
  public_page.py walk BASE TPATH KIOSK SHOTS       the ticket on the phone: pause, call,
                                                   lost connection, finish, rate
  public_page.py leave BASE TPATH SHOTS            "leave the queue", with its confirmation
  public_page.py static DIR SHOTS AXE              the static site from file://
"""
import base64, json, os, subprocess, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, WAIT_LIMIT  # noqa: E402

PHONE = (390, 844)
DESKTOP = (1280, 800)

# Counts Content-Security-Policy violations from the first byte of each document.
CSP_WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation',"
             " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def view(p, w, h, mobile):
    p.cmd("Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1, mobile=mobile)


def safe_eval(p, expr):
    """eval that survives a navigation in progress (the context is replaced)."""
    try:
        return p.eval(expr)
    except RuntimeError:
        return None


def wait(p, expr, timeout=WAIT_LIMIT):
    end = time.time() + timeout
    while time.time() < end:
        if safe_eval(p, expr):
            return True
        time.sleep(0.02)  # poll interval
    return False


def shot(p, path, w, mobile):
    """The whole page, not just the first screen (measured in a short viewport, since the
    document is never shorter than the viewport it is in)."""
    view(p, w, 400, mobile)
    h = safe_eval(p, "document.documentElement.scrollHeight") or 800
    view(p, w, min(int(h), 6000), mobile)
    data = p.cmd("Page.captureScreenshot", format="png")["data"]
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))


def axe(p, src):
    p.eval(src)
    r = p.eval("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
               "v => ({id: v.id, impact: v.impact, n: v.nodes.length, "
               "what: v.nodes.slice(0, 2).map(n => n.target.join(' '))})))")
    return [v for v in r if v["impact"] in ("serious", "critical")]


def overflow(p):
    """Pixels the page is wider than the viewport (a cut line or a sideways scroll)."""
    return p.eval("document.documentElement.scrollWidth - window.innerWidth")


def thai_fonts(p, sel):
    """The fonts Chromium really drew the text of sel with (no silent fallback)."""
    p.cmd("DOM.enable")
    p.cmd("CSS.enable")
    root = p.cmd("DOM.getDocument")["root"]["nodeId"]
    node = p.cmd("DOM.querySelector", nodeId=root, selector=sel)["nodeId"]
    if not node:
        return []
    fonts = p.cmd("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
    return sorted({f["familyName"] for f in fonts})


def goto(p, url):
    p.goto(url)
    wait(p, "document.fonts.status === 'loaded'")


def pages(base, shots, axe_path, paths):
    src = open(axe_path, encoding="utf-8").read()
    out = {}
    with Browser() as b:
        p = b.page()
        p.cmd("Page.enable")
        p.cmd("Page.addScriptToEvaluateOnNewDocument", source=CSP_WATCH)
        for path in paths:
            r = out[path] = {}
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-").replace("&", "_") or "home"
            name = name[:80]
            for label, (w, h), mobile in (("phone", PHONE, True), ("desktop", DESKTOP, False)):
                view(p, w, h, mobile)
                goto(p, base + path)
                r[label] = {
                    "status": p.eval("performance.getEntriesByType('navigation')[0].responseStatus"),
                    "lang": p.eval("document.documentElement.lang"),
                    "h1": p.eval("(document.querySelector('h1') || {}).textContent || ''"),
                    "overflow": overflow(p),
                    "sarabun": p.eval("[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Sarabun'"
                                      " && f.status === 'loaded')"),
                    "csp": p.eval("window.__csp"),
                    "axe": axe(p, src),
                }
                shot(p, os.path.join(shots, "public-%s-%s.png" % (name, label)), w, mobile)
            # WCAG reflow: 1280 px at 400 % is 320 CSS px, at 200 % 640.
            for w in (320, 640):
                view(p, w, 600, False)
                r["overflow_%d" % w] = overflow(p)
            r["fonts_h1"] = thai_fonts(p, "h1")
            r["fonts_main"] = thai_fonts(p, "main p:not([hidden])")
    return out


def walk(base, tpath, kiosk, shots):
    """A002's holder follows it: paused update, the call, a lost connection, served, rated."""
    seen = {}
    with Browser() as b:
        p = b.page()
        p.cmd("Page.enable")
        p.cmd("Page.addScriptToEvaluateOnNewDocument", source=CSP_WATCH)
        view(p, *PHONE, True)
        goto(p, base + tpath)
        seen["number"] = p.text(".num")
        seen["ahead"] = p.text(".ahead")
        seen["estimate"] = p.text(".est")
        seen["priority_note"] = p.text(".prio")
        seen["live_role"] = p.eval("document.getElementById('live').getAttribute('role')")
        seen["auto_shown"] = wait(p, "!document.getElementById('auto').hidden")
        shot(p, os.path.join(shots, "public-ticket-waiting.png"), PHONE[0], True)

        # WCAG 2.2.2: paused, an update waits until "resume".
        p.click("#pause")
        seen["pause_pressed"] = p.eval("document.getElementById('pause').getAttribute('aria-pressed')")
        subprocess.run([kiosk, "call", "--counter", "1"], check=True, capture_output=True)
        seen["update_held"] = wait(p, "document.getElementById('ticket').hasAttribute('data-pending')")
        seen["ahead_while_paused"] = p.text(".ahead")
        p.click("#pause")
        seen["ahead_after_resume"] = p.text(".ahead")

        # The call: within 2 s, without a reload (the mark survives).
        p.eval("window.__mark = 'same page'")
        t0 = time.time()
        subprocess.run([kiosk, "call", "--counter", "2"], check=True, capture_output=True)
        seen["called"] = wait(p, "document.getElementById('live').textContent.includes('ช่อง 2')")
        seen["call_ms"] = int((time.time() - t0) * 1000)
        seen["call_text"] = p.text(".call")
        seen["no_reload"] = p.eval("window.__mark") == "same page"
        seen["title_called"] = p.eval("document.title")
        seen["call_font_px"] = p.eval("parseFloat(getComputedStyle(document.querySelector('.call .k')).fontSize)")
        shot(p, os.path.join(shots, "public-ticket-called.png"), PHONE[0], True)

        # The tab comes back: it asks at once (wait=0) instead of waiting out its long-poll.
        p.eval("document.dispatchEvent(new Event('visibilitychange'))")
        seen["refetch_on_visible"] = wait(p, "performance.getEntriesByType('resource').some(e => e.name.includes('wait=0'))")

        # The connection goes: a banner; it comes back: the banner goes.
        p.cmd("Network.enable")
        p.cmd("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1,
              uploadThroughput=-1)
        p.eval("document.dispatchEvent(new Event('visibilitychange'))")
        seen["lost_banner"] = wait(p, "!document.getElementById('lost').hidden")
        seen["lost_text"] = p.text("#lost")
        shot(p, os.path.join(shots, "public-ticket-lost.png"), PHONE[0], True)
        p.cmd("Network.emulateNetworkConditions", offline=False, latency=0, downloadThroughput=-1,
              uploadThroughput=-1)
        p.eval("window.dispatchEvent(new Event('online'))")
        seen["banner_gone"] = wait(p, "document.getElementById('lost').hidden")

        # Served: the page says so and offers the rating form, by itself.
        subprocess.run([kiosk, "start", "--counter", "2"], check=True, capture_output=True)
        subprocess.run([kiosk, "finish", "--counter", "2"], check=True, capture_output=True)
        seen["form_shown"] = wait(p, "!!document.querySelector('form.rate')")
        seen["done_text"] = p.text(".done")
        seen["questions"] = p.eval("[...document.querySelectorAll('form.rate legend')].map(l => l.textContent)")
        seen["scale"] = p.eval("[...document.querySelectorAll('form.rate fieldset')][0].innerText")
        shot(p, os.path.join(shots, "public-ticket-rate.png"), PHONE[0], True)
        for key, score in (("process", 5), ("staff", 4), ("facility", 4), ("overall", 5)):
            p.click('input[name="%s"][value="%d"]' % (key, score))
        p.type("#comment", "เจ้าหน้าที่ใจดีมาก")
        seen["form_action"] = p.eval("document.querySelector('form.rate').action")
        p.click("form.rate button[type=submit]")
        seen["thanks"] = wait(p, "!!document.querySelector('.thanks')")
        seen["thanks_text"] = p.text(".thanks")
        seen["csp"] = safe_eval(p, "window.__csp")
        shot(p, os.path.join(shots, "public-ticket-thanks.png"), PHONE[0], True)

        # English, by the link in the bar (no cookie: the link carries it).
        p.click(".langs a")
        seen["english"] = wait(p, "document.documentElement.lang === 'en'")
        seen["english_done"] = p.text(".done")
        seen["cookies"] = p.cmd("Network.getAllCookies")["cookies"]
        shot(p, os.path.join(shots, "public-ticket-thanks-en.png"), PHONE[0], True)
    return seen


def leave(base, tpath, shots):
    seen = {}
    with Browser() as b:
        p = b.page()
        p.cmd("Page.enable")
        view(p, *PHONE, True)
        goto(p, base + tpath)
        p.click("form.leave button")
        seen["confirm_page"] = wait(p, "!!document.querySelector('form.confirm')")
        seen["confirm_h1"] = p.text("h1")
        shot(p, os.path.join(shots, "public-ticket-leave.png"), PHONE[0], True)
        p.click("form.confirm button")
        seen["left"] = wait(p, "!!document.querySelector('#live .gone')")
        seen["left_text"] = p.text("#live .gone")
        seen["leave_button_gone"] = p.eval("!document.querySelector('form.leave')")
        seen["url"] = p.eval("location.pathname + location.search")
        shot(p, os.path.join(shots, "public-ticket-left.png"), PHONE[0], True)
    return seen


def static(root, shots, axe_path):
    """The static site from file://: click from home to a checklist, axe on the way."""
    src = open(axe_path, encoding="utf-8").read()
    seen = {}
    with Browser() as b:
        p = b.page()
        p.cmd("Page.enable")
        view(p, *PHONE, True)
        goto(p, "file://" + os.path.join(root, "index.html"))
        seen["home_h1"] = p.text("h1")
        p.click(".menu a")
        wait(p, "location.pathname.endsWith('services/index.html')")
        seen["services_url"] = p.eval("location.pathname").rsplit("/", 2)[-2:]
        p.click(".services a")
        wait(p, "!!document.querySelector('.docs')")
        seen["service_h1"] = p.text("h1")
        wait(p, "document.fonts.status === 'loaded'")
        seen["sarabun"] = p.eval("[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Sarabun'"
                                 " && f.status === 'loaded')")
        seen["axe"] = axe(p, src)
        shot(p, os.path.join(shots, "public-static-service.png"), PHONE[0], True)
        p.click(".langs a")
        wait(p, "document.documentElement.lang === 'en'")
        seen["english_h1"] = p.text("h1")
        # Printed on A4: the page as the browser would print it.
        pdf = p.cmd("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=False)["data"]
        with open(os.path.join(shots, "public-static-service.pdf"), "wb") as f:
            f.write(base64.b64decode(pdf))
        seen["pdf_bytes"] = len(base64.b64decode(pdf))
    return seen


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "pages":
        r = pages(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif mode == "walk":
        r = walk(*sys.argv[2:6])
    elif mode == "leave":
        r = leave(*sys.argv[2:5])
    elif mode == "static":
        r = static(*sys.argv[2:5])
    else:
        sys.exit("unknown mode " + mode)
    print(json.dumps(r, ensure_ascii=False))
