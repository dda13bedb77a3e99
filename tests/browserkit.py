"""Open a page in a real headless Chromium and look at it, with no network at all.

The browser is driven over the DevTools protocol through a pair of pipes
(`--remote-debugging-pipe`: commands on fd 3, answers on fd 4, each message JSON ended by
a NUL byte), so no port is opened. `look(path)` loads a local file and returns what a
person would check: a full-page screenshot (PNG bytes), each chart's box and drawn SVG
shapes, console errors and uncaught exceptions, and every URL the page asked for.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--no-default-browser-check", "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe")

CHARTS_JS = """JSON.stringify({
  height: document.documentElement.scrollHeight,
  width: document.documentElement.scrollWidth,
  scripts: document.scripts.length,
  charts: [...document.querySelectorAll('figure.chart')].map(f => {
    const r = f.getBoundingClientRect();
    const svg = f.querySelector('svg');
    const shapes = svg ? [...svg.querySelectorAll('path, rect, use')].filter(e => {
      const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length : 0;
    return {name: f.dataset.chart, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,
            svg: !!svg, shapes: shapes, texts: svg ? svg.querySelectorAll('text').length : 0};
  })
})"""


def find_browser() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Look:
    screenshot: bytes
    charts: list[dict[str, Any]]
    height: int
    width: int
    scripts: int
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class _Pipe:
    def __init__(self, proc: subprocess.Popen, to_browser: int, from_browser: int) -> None:
        self.proc, self.w, self.r = proc, to_browser, from_browser
        self.buf = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        want = self.next_id
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("method") == method:
                self.events.append(m)  # keep it for the log checks too
                return m
            self.events.append(m)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the browser did not answer in time")
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise RuntimeError("the browser closed its pipe")
                self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)


def look(page: Path, *, width: int = 1100, timeout: float = 60) -> Look:
    """Load `page` (a local file) headless and report what it shows."""
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("no Chromium found")
    profile = tempfile.mkdtemp(prefix="drill-chromium-")
    to_r, to_w = os.pipe()  # we write commands; the browser reads them on fd 3
    from_r, from_w = os.pipe()  # the browser writes answers on fd 4

    def child_fds() -> None:
        os.dup2(to_r, 3)
        os.dup2(from_w, 4)

    proc = subprocess.Popen([browser, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            pass_fds=(3, 4), preexec_fn=child_fds)
    os.close(to_r)
    os.close(from_w)
    pipe = _Pipe(proc, to_w, from_r)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"}, timeout=timeout)["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        pipe.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        pipe.wait_event("Page.loadEventFired", timeout=timeout)
        info = json.loads(pipe.send("Runtime.evaluate", {"expression": CHARTS_JS, "returnByValue": True},
                                    session=session)["result"]["value"])
        shot = pipe.send("Page.captureScreenshot",
                         {"format": "png", "captureBeyondViewport": True,
                          "clip": {"x": 0, "y": 0, "width": info["width"], "height": info["height"], "scale": 1}},
                         session=session, timeout=timeout)
        time.sleep(0.2)  # late console messages
        pipe.send("Runtime.evaluate", {"expression": "1"}, session=session)
        errors, requests = [], []
        for m in pipe.events:
            p = m.get("params", {})
            if m.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m.get("method") == "Runtime.exceptionThrown":
                errors.append(json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append(p["entry"].get("text", ""))
            elif m.get("method") == "Network.requestWillBeSent":
                requests.append(p.get("request", {}).get("url", ""))
        import base64

        return Look(base64.b64decode(shot["data"]), info["charts"], info["height"], info["width"],
                    info["scripts"], errors, requests)
    finally:
        with contextlib.suppress(Exception):  # it may be gone already
            pipe.send("Browser.close", timeout=5)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(to_w)
        os.close(from_r)
        shutil.rmtree(profile, ignore_errors=True)


def ink(png: bytes, box: dict[str, Any], threshold: int = 235) -> float:
    """The share of pixels in `box` (page coordinates) that are not near-white."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    crop = img.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["w"]), int(box["y"] + box["h"])))
    hist = crop.histogram()
    dark = sum(hist[:threshold])
    return dark / max(sum(hist), 1)
