"""Load a page in headless Chromium and report what a reader would see: console errors, the DOM, a screenshot.

Talks to Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
commands on fd 3, replies and events on fd 4, each a JSON message ended by NUL),
so nothing depends on the wording of Chromium's log lines: console messages,
uncaught exceptions and the browser's own errors (a resource that fails to load,
a blocked request) arrive as `Runtime.consoleAPICalled`, `Runtime.exceptionThrown`
and `Log.entryAdded` events. Used by tests/report_html_browser_test.py and
scripts/report_screenshot.py. Only the standard library: the PNG decoder below
is just enough for Chromium's 8-bit RGB(A) screenshots.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0
"""Seconds to wait for one reply or for the page to load (a CI machine may be slow, never this slow)."""


def browser() -> str | None:
    """The Chromium executable on PATH (``$CHROMIUM`` first), or None."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


class BrowserError(RuntimeError):
    """Chromium failed, timed out or answered a command with an error."""


@dataclass
class Page:
    """What loading a page gave: its console and browser errors, and the answers to the expressions asked."""

    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    png: bytes = b""


class _Pipe:
    """A DevTools session to one page target over Chromium's debugging pipe."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int) -> None:
        self.process, self.to_browser, self.from_browser = process, to_browser, from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(time.monotonic() + TIMEOUT)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._receive(deadline))

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise BrowserError(f"no answer from Chromium within {TIMEOUT:.0f} s")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited (status {self.process.poll()})")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        loaded: dict[str, Any] = json.loads(message)
        return loaded


@contextmanager
def _chromium(executable: str, width: int, height: int) -> Iterator[_Pipe]:
    to_read, to_browser = os.pipe()
    from_browser, to_write = os.pipe()
    with tempfile.TemporaryDirectory(prefix="pmlint-chromium-") as profile:
        args = [
            executable,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": "disabled:"}
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            pass_fds=(3, 4),
            preexec_fn=_as_fds_3_and_4(to_read, to_write),
        )
        os.close(to_read)
        os.close(to_write)
        pipe = _Pipe(process, to_browser, from_browser)
        try:
            yield pipe
        finally:
            _stop(pipe)


def _as_fds_3_and_4(reads: int, writes: int) -> Callable[[], None]:
    """In the child: ``reads`` as fd 3 and ``writes`` as fd 4, whatever numbers they had (moved out of the way first)."""

    def remap() -> None:
        high_read, high_write = fcntl.fcntl(reads, fcntl.F_DUPFD, 100), fcntl.fcntl(writes, fcntl.F_DUPFD, 100)
        os.dup2(high_read, 3)
        os.dup2(high_write, 4)

    return remap


def _stop(pipe: _Pipe) -> None:
    with suppress(BrowserError, OSError):
        pipe.send("Browser.close", session=False)
    try:
        pipe.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pipe.process.kill()
        pipe.process.wait()
    os.close(pipe.to_browser)
    os.close(pipe.from_browser)


def load(url: str, expressions: dict[str, str] | None = None, width: int = 1000, height: int = 1400, full_page: bool = False) -> Page:
    """Open ``url``, wait for its load event, evaluate ``expressions`` (name -> JavaScript), take a PNG screenshot."""
    executable = browser()
    if executable is None:
        raise BrowserError("Chromium is not installed")
    with _chromium(executable, width, height) as pipe:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        pipe.session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            pipe.send(f"{domain}.enable")
        pipe.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        navigated = pipe.send("Page.navigate", {"url": url})
        if navigated.get("errorText"):
            raise BrowserError(f"{url}: {navigated['errorText']}")
        pipe.wait_for("Page.loadEventFired")
        page = Page()
        for name, expression in (expressions or {}).items():
            answer = pipe.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
            if "exceptionDetails" in answer:
                page.errors.append(f"evaluating {name}: {answer['exceptionDetails'].get('text', '')}")
            page.values[name] = answer.get("result", {}).get("value")
        page.png = _screenshot(pipe, full_page)
        page.errors.extend(_errors(pipe.events))
        return page


def _screenshot(pipe: _Pipe, full_page: bool) -> bytes:
    params: dict[str, Any] = {"format": "png"}
    if full_page:
        size = pipe.send("Page.getLayoutMetrics")["cssContentSize"]
        params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
    return base64.b64decode(pipe.send("Page.captureScreenshot", params)["data"])


def _errors(events: list[dict[str, Any]]) -> Iterator[str]:
    """Every console error or warning, uncaught exception and browser error (failed load, blocked request) among ``events``."""
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            yield f"console.{params['type']}: {text}"
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            yield "exception: " + str(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            entry = params["entry"]
            yield f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".rstrip()


# ---------------------------------------------------------------- PNG


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB bytes of each row of an 8-bit RGB or RGBA, non-interlaced PNG (alpha dropped)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        chunks.setdefault(kind, []).append(data[at + 8 : at + 8 + length])
        at += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels)
        previous = row
        rows.append(row if channels == 3 else bytes(b for i, b in enumerate(row) if i % 4 != 3))
    return width, height, rows


def _unfilter(kind: int, row: bytearray, above: bytes, bpp: int) -> bytes:
    if kind == 0:
        return bytes(row)
    if kind == 2:
        return bytes((a + b) & 0xFF for a, b in zip(row, above, strict=True))
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = above[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + _paeth(left, up, corner)) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")
    return bytes(row)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def colours(data: bytes) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of a PNG."""
    _w, _h, rows = png_pixels(data)
    return {(row[i], row[i + 1], row[i + 2]) for row in rows for i in range(0, len(row), 3)}
