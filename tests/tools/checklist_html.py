#!/usr/bin/env python3
"""Writes the checklist of one service as a self-contained web page, for the
buyer's comparison in `make bench`: the same screen in Chromium's kiosk mode
versus the native kiosk. Usage: checklist_html.py CONFIG_DIR SERVICE_ID OUT.html"""
import html, json, os, sys

cfg, sid, out = sys.argv[1:4]
cat = json.load(open(os.path.join(cfg, "services.json"), encoding="utf-8"))
svc = next(s for s in cat["services"] if s["id"] == sid)
font = os.path.abspath("fonts/Sarabun-Regular.ttf")
e = html.escape
rows = "".join(
    f"<tr><td>{e(d['name']['th'])}<div class=c>{e(d.get('condition', {}).get('th', ''))}</div></td>"
    f"<td>{d['originals']}</td><td>{d['copies']}</td><td>{e(d['unit']['th'])}</td></tr>"
    for d in svc["documents"])
steps = "".join(f"<li>{e(s['text']['th'])}</li>" for s in svc["steps"])
warn = "".join(f"<p class=w>{e(w['th'])}</p>" for w in svc.get("warnings", []))
page = f"""<!doctype html><html lang=th><meta charset=utf-8>
<style>@font-face{{font-family:S;src:url(file://{font})}}
body{{font-family:S,sans-serif;margin:0;width:1080px;background:#fff;color:#111;font-size:34px}}
h1{{background:#0b3d91;color:#fff;margin:0;padding:40px;font-size:56px}}
table{{width:100%;border-collapse:collapse}}td,th{{border-bottom:2px solid #ccc;padding:16px}}
.c{{font-size:26px;color:#444}}.w{{background:#fff3c4;padding:20px;margin:20px}}
button{{font:inherit;min-height:96px;width:45%;margin:20px}}</style>
<h1>{e(svc['name']['th'])}</h1>{warn}
<table><tr><th>เอกสาร</th><th>ฉบับจริง</th><th>สำเนา</th><th>หน่วย</th></tr>{rows}</table>
<ol>{steps}</ol><p>{e(svc['fee']['th'])}</p><p>{e(svc['total_time']['th'])}</p>
<button>กลับ</button><button>รับบัตรคิว</button></html>"""
open(out, "w", encoding="utf-8").write(page)
