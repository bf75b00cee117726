#!/usr/bin/env python3
"""Drives the counter page in headless Chromium as staff would, and prints
what a person would have seen (one JSON object) for tests/integ/counter_page.sh.

usage: counter_page.py BASE_URL TOKEN1 TOKEN2 KIOSK_BIN SHOT_DIR
"""
import json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402

base, tok1, tok2, kiosk, shots = sys.argv[1:6]
seen = {}
with Browser() as b:
    p = b.page()
    p.goto(base + "/")
    seen["login_visible"] = p.eval("!document.getElementById('login').classList.contains('hidden')")
    seen["title"] = p.text("#title")
    p.screenshot(os.path.join(shots, "counter-login.png"))

    # Another counter's token: refused in Thai, and asked again.
    p.type("#counter", "1")
    p.type("#token", tok2)
    p.click("#login-btn")
    p.wait_text("#current", "–")
    p.click("#btn-call")
    seen["wrong_token_msg"] = p.wait_text("#msg", "ช่องอื่น")
    seen["login_again"] = p.wait_true("!document.getElementById('login').classList.contains('hidden')")

    # The right token: call next, the number appears huge.
    p.eval("document.getElementById('token').value = ''")
    p.type("#token", tok1)
    p.click("#login-btn")
    p.wait_text("#title", "1")
    seen["before_call"] = p.text("#current")
    p.wait_true("document.querySelectorAll('#waiting tr').length > 0")
    seen["waiting_before"] = p.eval("[...document.querySelectorAll('#waiting tr')].map(r => r.textContent)")
    t0 = time.time()
    p.click("#btn-call")
    seen["after_call"] = p.wait_text("#current", "A001")
    seen["call_ms"] = int((time.time() - t0) * 1000)
    seen["msg_after_call"] = p.text("#msg")
    seen["current_font_px"] = p.eval("parseFloat(getComputedStyle(document.getElementById('current')).fontSize)")
    seen["call_disabled"] = p.eval("document.getElementById('btn-call').disabled")
    p.screenshot(os.path.join(shots, "counter-called.png"))

    # Re-call and start by clicks.
    p.click("#btn-recall")
    seen["recall_msg"] = p.wait_text("#msg", "เรียกซ้ำ")
    p.click("#btn-start")
    seen["state_after_start"] = p.wait_text("#state", "กำลังให้บริการ")

    # A change made elsewhere (the CLI, another process) shows up by itself.
    subprocess.run([kiosk, "finish", "--counter", "1"], check=True, capture_output=True)
    t0 = time.time()
    seen["after_cli_finish"] = p.wait_text("#current", "–")
    seen["follow_ms"] = int((time.time() - t0) * 1000)

    # Transfer with the dropdown.
    p.click("#btn-call")
    seen["second_call"] = p.wait_text("#current", "A002")
    p.eval("(() => { const s = document.getElementById('transfer-to'); s.value = 'marital-status';"
           " s.dispatchEvent(new Event('change')); })()")
    p.click("#btn-transfer")
    seen["transfer_msg"] = p.wait_text("#msg", "โอน")
    seen["after_transfer"] = p.wait_text("#current", "–")

    # English toggle, and the login kept for the tab across a reload.
    p.click("#lang")
    seen["english_call_label"] = p.text("#btn-call")
    p.goto(base + "/")
    seen["after_reload_login_hidden"] = p.wait_true("document.getElementById('login').classList.contains('hidden')")
    seen["after_reload_title"] = p.wait_text("#title", "Counter 1")
print(json.dumps(seen, ensure_ascii=False))
