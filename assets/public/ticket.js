/* The ticket page's live updates (net/public_pages.c pp_ticket). Without this file the
 * page still works: a <noscript> refresh every 15 s, and plain forms.
 *
 * A long-poll of <ticket>/wait answers as soon as the queue changes (the server re-checks
 * every 50 ms), so a call shows within about a second. Phone browsers freeze background
 * tabs, so a tab coming back asks at once. A lost connection shows a banner and is
 * retried with a growing pause; the updates can be paused (WCAG 2.2.2). */
(function () {
	"use strict";
	var root = document.getElementById("ticket");
	if (!root || !window.fetch) return;
	var live = document.getElementById("live");
	var actions = document.getElementById("actions");
	var lost = document.getElementById("lost");
	var auto = document.getElementById("auto");
	var pause = document.getElementById("pause");
	var autoText = document.getElementById("auto-text");
	var waitUrl = root.getAttribute("data-wait");
	var after = root.getAttribute("data-after") || "0";
	var state = root.getAttribute("data-state");
	var paused = false, pending = null, ctl = null, timer = null, failures = 0;
	var FINAL = { done: 1, no_show: 1, cancelled: 1 };

	function alertCall() {
		/* Both are best effort: a browser may refuse either until the page was touched. */
		try { if (navigator.vibrate) navigator.vibrate([300, 150, 300]); } catch (e) {}
		try {
			var AC = window.AudioContext || window.webkitAudioContext;
			if (!AC) return;
			var ac = new AC(), o = ac.createOscillator(), g = ac.createGain();
			o.frequency.value = 880;
			g.gain.value = 0.2;
			o.connect(g); g.connect(ac.destination);
			o.start(); o.stop(ac.currentTime + 0.4);
			o.onended = function () { ac.close(); };
		} catch (e) {}
	}

	function apply(j) {
		if (j.status !== live.innerHTML) live.innerHTML = j.status;
		if (j.state !== state) {
			/* The actions change only with the state: a half-filled form is never wiped. */
			actions.innerHTML = j.actions;
			if (j.state === "called") alertCall();
			state = j.state;
			root.setAttribute("data-state", state);
		}
		if (j.title) document.title = j.title;
		if (FINAL[j.state]) {
			/* Nothing more will change: the notes about waiting go. */
			var prio = document.getElementById("prio");
			if (prio) prio.hidden = true;
			if (auto) auto.hidden = true;
		}
	}

	function schedule(ms) {
		clearTimeout(timer);
		timer = setTimeout(poll, ms);
	}

	function poll(now) {
		clearTimeout(timer);
		if (ctl) ctl.abort();
		ctl = window.AbortController ? new AbortController() : null;
		var url = waitUrl + "&after=" + encodeURIComponent(after) + (now ? "&wait=0" : "");
		fetch(url, { cache: "no-store", credentials: "omit", signal: ctl ? ctl.signal : undefined })
			.then(function (r) {
				if (r.status === 404 || r.status === 410) { location.reload(); return null; }
				if (r.status === 429 || r.status === 503) {
					/* Busy, not lost: try again soon without alarming anyone. */
					var ra = parseInt(r.headers.get("Retry-After") || "2", 10);
					schedule(Math.min(Math.max(ra, 1), 30) * 1000);
					return null;
				}
				if (!r.ok) throw new Error("HTTP " + r.status);
				return r.json();
			})
			.then(function (j) {
				if (!j) return;
				failures = 0;
				lost.hidden = true;
				after = String(j.after);
				if (paused) {
					/* Held until "resume"; the mark lets a test see it arrived. */
					pending = j;
					root.setAttribute("data-pending", "1");
				} else {
					apply(j);
				}
				if (FINAL[j.state]) return;
				/* next_ms: this address already has its share of waiting requests. */
				schedule(j.next_ms > 0 ? Math.min(j.next_ms, 30000) : 0);
			})
			.catch(function (e) {
				if (e && e.name === "AbortError") return;
				failures++;
				lost.hidden = false;
				schedule(Math.min(1000 * Math.pow(2, failures - 1), 10000));
			});
	}

	if (pause) {
		pause.addEventListener("click", function () {
			paused = !paused;
			pause.setAttribute("aria-pressed", paused ? "true" : "false");
			pause.textContent = pause.getAttribute(paused ? "data-resume" : "data-pause");
			autoText.textContent = autoText.getAttribute(paused ? "data-off" : "data-on");
			if (!paused && pending) {
				apply(pending);
				pending = null;
				root.removeAttribute("data-pending");
			}
		});
	}
	document.addEventListener("visibilitychange", function () {
		if (document.visibilityState === "visible" && !FINAL[state]) poll(true);
	});
	window.addEventListener("online", function () { if (!FINAL[state]) poll(true); });
	if (!FINAL[state]) {
		if (auto) auto.hidden = false;
		poll(false);
	}
})();
