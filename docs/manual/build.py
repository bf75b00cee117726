#!/usr/bin/env python3
"""Builds the Thai operating manual (`make manual`) from docs/manual/NN-*.md.

usage: build.py KIOSK_BIN OUT_DIR

The sources are a small Markdown subset (see README.md, "The manual"). Every picture is
made now, by the product: `kiosk shot` for the kiosk's own screens and headless Chromium
for the counter page, on a scratch data folder with a frozen clock. So a changed screen
changes the manual, and a screen the manual names that no longer exists stops the build.
Output: one HTML page per chapter + index.html (lang="th", Sarabun from local files),
manual.html (all chapters, for printing) and manual.pdf (A4, numbered pages, contents
with page numbers), printed by the same Chromium over DevTools.
Python 3 standard library only (plus tests/tools/cdp.py from this repository).
"""
import base64, concurrent.futures, glob, html, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
from cdp import Browser  # noqa: E402

# The manual's pictures show one fixed morning, so they change only when the product does.
NOW = "2026-11-24T10:00:00+07:00"
IMG_RE = re.compile(r"^!\[(.*)\]\((shot|counter):([^)]*)\)\s*$")


def inline(s):
    s = html.escape(s, quote=False)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
    return s


def parse(path):
    """Returns (title, [blocks]); a block is (kind, data)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    title, blocks, i = None, [], 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("```"):
            lang = ln[3:].strip() or "text"
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append(("code", (lang, "\n".join(body))))
        elif ln.startswith("# "):
            title = ln[2:].strip()
        elif ln.startswith("## "):
            blocks.append(("h2", ln[3:].strip()))
        elif IMG_RE.match(ln):
            m = IMG_RE.match(ln)
            blocks.append(("img", (m.group(1), m.group(2), m.group(3))))
        elif re.match(r"^\d+\. ", ln) or ln.startswith("- "):
            kind = "ol" if ln[0].isdigit() else "ul"
            items = []
            first = int(ln.split(".", 1)[0]) if kind == "ol" else 1
            while i < len(lines) and (re.match(r"^\d+\. ", lines[i]) if kind == "ol" else lines[i].startswith("- ")):
                items.append(lines[i].split(" ", 1)[1])
                i += 1
            blocks.append((kind, (first, items)))
            continue
        elif ln.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.match(r"^:?-+:?$", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(("table", rows))
            continue
        elif ln.strip():
            para = [ln.strip()]
            while i + 1 < len(lines) and lines[i + 1].strip() and not re.match(r"^(#|```|!\[|\d+\. |- |\|)", lines[i + 1]):
                i += 1
                para.append(lines[i].strip())
            blocks.append(("p", " ".join(para)))
        i += 1
    if not title:
        raise SystemExit("%s: no '# title' line" % path)
    return title, blocks


def img_name(kind, spec):
    return ("counter" if kind == "counter" else "shot-" + re.sub(r"[^A-Za-z0-9]+", "-", spec).strip("-")) + ".png"


def render(blocks):
    out = []
    for kind, d in blocks:
        if kind == "h2":
            out.append("<h2>%s</h2>" % inline(d))
        elif kind == "p":
            out.append("<p>%s</p>" % inline(d))
        elif kind in ("ol", "ul"):
            first, items = d
            start = ' start="%d"' % first if first != 1 else ""
            out.append("<%s%s>%s</%s>" % (kind, start, "".join("<li>%s</li>" % inline(x) for x in items), kind))
        elif kind == "table":
            head, rest = d[0], d[1:]
            out.append("<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table>" % (
                "".join("<th>%s</th>" % inline(c) for c in head),
                "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % inline(c) for c in r) for r in rest)))
        elif kind == "code":
            lang, body = d
            # sh: run by tests/integ/manual.sh exactly as printed; sh-root: appliance-only
            # (systemd), checked for the names it uses; text: what a screen or command shows.
            cls = {"sh": "cmd", "sh-root": "cmd-root"}.get(lang, "out")
            out.append('<pre class="%s">%s</pre>' % (cls, html.escape(body, quote=False)))
        elif kind == "img":
            cap, k, spec = d
            wide = k == "counter" or spec.startswith("display")
            out.append('<figure class="%s"><img src="img/%s" alt="%s"><figcaption>%s</figcaption></figure>' % (
                "wide" if wide else "tall", img_name(k, spec), html.escape(cap), inline(cap)))
    return "\n".join(out)


CSS = """
@font-face { font-family: Sarabun; src: url(fonts/Sarabun-Regular.ttf); font-weight: 400; }
@font-face { font-family: Sarabun; src: url(fonts/Sarabun-Bold.ttf); font-weight: 700; }
html { font-family: Sarabun, Laksaman, sans-serif; font-size: 19px; line-height: 1.6; color: #14213D; }
body { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
header.top { background: #0B4F3C; color: #fff; margin: -1rem -1.5rem 1.5rem; padding: .6rem 1.5rem; }
header.top a { color: #fff; }
h1 { font-size: 1.9rem; color: #0B4F3C; line-height: 1.4; margin: .4rem 0 1rem; }
h2 { font-size: 1.35rem; color: #0B4F3C; border-bottom: 2px solid #E3EEE9; margin-top: 2rem; line-height: 1.5; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; background: #E3EEE9; padding: 0 .2em; }
pre { font-family: "DejaVu Sans Mono", Sarabun, monospace; font-size: .8rem; line-height: 1.5; background: #f3f5f8;
      border-left: 4px solid #0B4F3C; padding: .6rem .8rem; white-space: pre-wrap; break-inside: avoid; }
pre.cmd::before, pre.cmd-root::before { display: block; font-family: Sarabun; color: #555; font-size: .8rem; }
pre.cmd::before { content: "พิมพ์คำสั่ง:"; }
pre.cmd-root::before { content: "พิมพ์คำสั่งในฐานะผู้ดูแลระบบ (root):"; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
tr { break-inside: avoid; }
th, td { border: 1px solid #b8c4d3; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #E3EEE9; }
figure { margin: 1rem 0; text-align: center; break-inside: avoid; }
figure img { border: 1px solid #888; max-width: 100%; }
figure.tall img { max-height: 30rem; }
figcaption { font-size: .9rem; color: #444; }
nav.pager { display: flex; justify-content: space-between; margin-top: 3rem; border-top: 1px solid #ccc; padding-top: .5rem; }
ol.toc li { margin: .2rem 0; }
ol.toc .pg { float: right; color: #444; }
.chapter + .chapter { break-before: page; }
@page { size: A4; margin: 16mm 15mm 18mm; }
@media print {
  html { font-size: 13pt; }
  body { max-width: none; padding: 0; }
  header.top, nav.pager { display: none; }
  h2 { break-after: avoid; }
  figure.tall img { max-height: 120mm; }
  figure.wide img { max-width: 100%; max-height: 110mm; }
  a { color: inherit; text-decoration: none; }
}
"""


def page(title, body, extra=""):
    return ('<!DOCTYPE html>\n<html lang="th">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>%s</title>\n<link rel=\"stylesheet\" href=\"manual.css\">%s\n</head>\n<body>\n%s\n</body>\n</html>\n"
            % (html.escape(title), extra, body))


def run(cmd, env, **kw):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if r.returncode:
        raise SystemExit("manual: %s failed (exit %d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()[-400:]))
    return r.stdout


def shot(kiosk, env, spec, dest):
    """spec: SCREEN[:SERVICE][@LANG]"""
    spec, _, lang = spec.partition("@")
    screen, _, svc = spec.partition(":")
    cmd = [kiosk, "shot", "--screen", screen, "--lang", lang or "th", "--out", dest]
    if svc:
        cmd[4:4] = ["--service", svc]
    run(cmd, env)


def counter_shot(b, kiosk, env, scratch, dest):
    """The counter page as staff see it after "เรียกคิวถัดไป", from a real `kiosk serve`."""
    out = open(os.path.join(scratch, "serve.out"), "w+")
    srv = subprocess.Popen([kiosk, "serve", "--port", "0"], env=env, stdout=out, stderr=subprocess.DEVNULL)
    try:
        base = None
        for _ in range(3000):  # until the server says its port (poll, 10 ms; ~30 s at most)
            out.seek(0)
            m = re.search(r"^serving (http://\S+/)", out.read(), re.M)
            if m:
                base = m.group(1)
                break
            if srv.poll() is not None:
                break
            time.sleep(0.01)  # poll interval, not a correctness wait
        if not base:
            raise SystemExit("manual: kiosk serve did not start")
        tok = run([kiosk, "counter-token", "--counter", "2"], env).strip().split("\n")[-1]
        p = b.page()
        p.goto(base)
        p.type("#counter", "2")
        p.type("#token", tok)
        p.click("#login-btn")
        # The waits return what they saw; a page that never got there must not become a
        # picture of a login form or an idle counter.
        if not p.wait_true("document.getElementById('login').classList.contains('hidden')"
                           " && document.querySelectorAll('#waiting tr').length > 0"):
            raise SystemExit("manual: the counter page did not log in counter 2")
        p.click("#btn-call")
        if not p.wait_true("/^[A-Z][0-9]{3}$/.test(document.getElementById('current').textContent)"):
            raise SystemExit("manual: the counter page did not show a called number")
        p.screenshot(dest, 1000, 1100)
        return p
    finally:
        srv.terminate()
        srv.wait()
        out.close()


def main():
    kiosk, outdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    srcs = sorted(glob.glob(os.path.join(HERE, "[0-9][0-9]-*.md")))
    chapters = []
    for s in srcs:
        title, blocks = parse(s)
        chapters.append((os.path.basename(s)[:-3] + ".html", title, blocks))

    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(os.path.join(outdir, "img"))
    os.makedirs(os.path.join(outdir, "fonts"))
    for f in ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "OFL.txt"):
        if os.path.exists(os.path.join(ROOT, "fonts", f)):
            shutil.copy(os.path.join(ROOT, "fonts", f), os.path.join(outdir, "fonts", f))
    with open(os.path.join(outdir, "manual.css"), "w") as f:
        f.write(CSS)

    scratch = tempfile.mkdtemp(prefix="kiosk-manual.")
    try:
        env = dict(os.environ, KIOSK_CONFIG=os.path.join(ROOT, "config"), KIOSK_DATA=os.path.join(scratch, "data"),
                   KIOSK_NOW=NOW, TMPDIR=scratch, KIOSK_USB_DIRS=os.path.join(scratch, "usb"))
        os.makedirs(os.path.join(scratch, "usb"))
        # A believable morning: two months of history, a few tickets waiting, two called.
        run([kiosk, "simulate", "--days", "60", "--seed", "7"], env)
        for svc in ("personal-cert", "personal-cert", "marital-status", "signature-cert", "personal-cert"):
            run([kiosk, "ticket", "--service", svc], env)
        run([kiosk, "call", "--counter", "1"], env)
        run([kiosk, "call", "--counter", "3"], env)
        # A PIN is set, so the admin picture shows the keypad staff will see.
        run([kiosk, "admin-pin"], env, input="482915\n482915\n")

        shots = sorted({spec for _, _, bl in chapters for k, d in bl if k == "img" and d[1] == "shot" for spec in [d[2]]})
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            list(ex.map(lambda sp: shot(kiosk, env, sp, os.path.join(outdir, "img", img_name("shot", sp))), shots))
        for f in os.listdir(os.path.join(outdir, "img")):
            os.chmod(os.path.join(outdir, "img", f), 0o644)  # kiosk shot writes 0600; the pages are for reading

        toc = "".join('<li><a href="%s">%s</a></li>' % (fn, html.escape(t)) for fn, t, _ in chapters)
        index_body = ('<header class="top">สำนักงานเขตบางแค งานปกครอง</header>\n'
                      "<h1>คู่มือการใช้งานตู้บริการตนเอง งานปกครอง</h1>\n"
                      "<p>คู่มือนี้สำหรับเจ้าหน้าที่ประจำช่องบริการและฝ่ายไอทีของสำนักงานเขต"
                      " ภาพทุกภาพสร้างจากโปรแกรมจริงทุกครั้งที่สร้างคู่มือ</p>\n"
                      '<ol class="toc">%s</ol>\n<p><a href="manual.pdf">คู่มือฉบับพิมพ์ (PDF, กระดาษ A4)</a></p>' % toc)
        with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
            f.write(page("คู่มือการใช้งานตู้บริการตนเอง", index_body))
        whole = []
        for n, (fn, title, blocks) in enumerate(chapters):
            prev = '<a href="%s">« %s</a>' % (chapters[n - 1][0], html.escape(chapters[n - 1][1])) if n else "<span></span>"
            nxt = '<a href="%s">%s »</a>' % (chapters[n + 1][0], html.escape(chapters[n + 1][1])) if n + 1 < len(chapters) else "<span></span>"
            body = ('<header class="top"><a href="index.html">คู่มือการใช้งานตู้บริการตนเอง</a></header>\n'
                    "<h1>%d. %s</h1>\n%s\n<nav class=\"pager\">%s%s</nav>" % (n + 1, html.escape(title), render(blocks), prev, nxt))
            with open(os.path.join(outdir, fn), "w", encoding="utf-8") as f:
                f.write(page(title, body))
            whole.append('<section class="chapter" id="ch%d"><h1>%d. %s</h1>\n%s</section>' % (
                n + 1, n + 1, html.escape(title), render(blocks)))
        def write_print(pages):
            ptoc = "".join('<li><a href="#ch%d">%s</a><span class="pg">%s</span></li>' % (
                n + 1, html.escape(t), "หน้า %d" % pages[n] if n in pages else "")
                for n, (_, t, _) in enumerate(chapters))
            cover = ('<section class="chapter"><h1>คู่มือการใช้งานตู้บริการตนเอง งานปกครอง</h1>'
                     "<p>สำนักงานเขตบางแค</p><h2>สารบัญ</h2><ol class=\"toc\">%s</ol></section>" % ptoc)
            with open(os.path.join(outdir, "manual.html"), "w", encoding="utf-8") as f:
                f.write(page("คู่มือการใช้งานตู้บริการตนเอง", cover + "\n".join(whole)))
        write_print({})

        if not (shutil.which("chromium") or shutil.which("chromium-browser")):
            raise SystemExit("manual: headless Chromium is needed for the counter page and the PDF"
                             " (Debian package chromium; `make manual` installs it)")
        with Browser() as b:
            p = counter_shot(b, kiosk, env, scratch, os.path.join(outdir, "img", "counter.png"))
            foot = ('<div style="font-family:Sarabun,sans-serif;font-size:9pt;width:100%;text-align:center;color:#444">'
                    'คู่มือตู้บริการตนเอง งานปกครอง — หน้า <span class="pageNumber"></span>'
                    ' / <span class="totalPages"></span></div>')
            pdf_path = os.path.join(outdir, "manual.pdf")

            def print_pdf():
                p.goto("file://" + os.path.join(outdir, "manual.html"))
                p.eval("document.fonts.ready.then(() => document.fonts.check('16px Sarabun'))")
                pdf = p.cmd("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True,
                            displayHeaderFooter=True, headerTemplate="<span></span>", footerTemplate=foot,
                            preferCSSPageSize=True)["data"]
                with open(pdf_path, "wb") as f:
                    f.write(base64.b64decode(pdf))
            print_pdf()
            # Chromium has no target-counter(): find where each chapter starts in the first
            # print (pdftotext, poppler-utils) and print again with the numbers in the
            # contents, which stay on the cover page so nothing moves.
            if shutil.which("pdftotext"):
                txt = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True).stdout
                pages = {}
                for i, pg in enumerate(txt.split("\f")[1:], start=2):
                    flat = "".join(pg.split())
                    for n, (_, t, _) in enumerate(chapters):
                        if n not in pages and flat.startswith("".join(("%d. %s" % (n + 1, t)).split())):
                            pages[n] = i
                if pages:
                    write_print(pages)
                    print_pdf()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("manual: %d chapters, %d pictures -> %s/index.html and manual.pdf" % (
        len(chapters), len(os.listdir(os.path.join(outdir, "img"))), outdir))


if __name__ == "__main__":
    main()
