"""A real browser for the page tests: Debian's headless chromium, driven over the DevTools protocol.

The protocol runs over a pipe (``--remote-debugging-pipe``: JSON messages ended by a NUL byte, the
browser reading fd 3 and writing fd 4), so no websocket package is needed. A test opens a file with
the network off, evaluates script in it, clicks with real mouse events at an element's place on the
screen (the browser hit-tests them as it would a person's click) and takes screenshots.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]
TIMEOUT = 30  # seconds any one reply may take


def _above_nine(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless chromium with one page; every method waits for the browser's answer."""

    def __init__(self, profile: Path, width: int = 1000, height: int = 700):
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # bash moves the pipe ends to the fds the protocol expects, then becomes chromium; the ends
        # are first moved above 9 so that neither is itself fd 3 or 4 (overwritten on the way), and
        # bash, not sh, because dash takes no fd number above 9
        to_browser, from_browser = (_above_nine(fd) for fd in (to_browser, from_browser))
        move = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
        self._process = subprocess.Popen(
            ["bash", "-c", move, CHROMIUM, *OFFLINE, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            pass_fds=(to_browser, from_browser), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._next_id, self._session = b"", 0, None
        page = next(t for t in self._call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self._session = self._call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def _call(self, method: str, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _message(self) -> dict:
        """The next message (an event or a reply), failing after TIMEOUT seconds of silence."""
        while b"\0" not in self._buffer:
            if not select.select([self._read], [], [], TIMEOUT)[0]:
                raise TimeoutError(f"chromium said nothing for {TIMEOUT} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        """Load ``url`` and wait until it and its fonts are loaded."""
        self._call("Page.navigate", url=url)
        deadline = time.monotonic() + TIMEOUT
        while self.evaluate("document.readyState") != "complete" or self.evaluate("location.href") != url:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load in {TIMEOUT} s")
            time.sleep(0.05)
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str):
        """The value of a script expression in the page (a promise is awaited)."""
        result = self._call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Press and release the left mouse button at the centre of the first element ``selector`` finds."""
        x, y = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        self._call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self._call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self) -> np.ndarray:
        """The visible part of the page as an RGB array of floats in [0, 1]."""
        from matplotlib.image import imread
        from io import BytesIO

        png = base64.b64decode(self._call("Page.captureScreenshot", format="png")["data"])
        return imread(BytesIO(png), format="png")[..., :3]

    def close(self) -> None:
        os.close(self._write)
        self._process.terminate()
        self._process.wait(timeout=TIMEOUT)
        os.close(self._read)


def without_embedded_font(page: Path, folder: Path) -> Path:
    """A copy of ``page`` with its @font-face rules removed: a browser with no CJK font draws boxes."""
    copy = folder / f"no_font_{page.name}"
    copy.write_text(re.sub(r"@font-face\{[^}]*\}", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def glyphs_differ_from_boxes(browser: Browser, page: Path, folder: Path) -> tuple[np.ndarray, float]:
    """A screenshot of ``page`` and the share of its pixels that change when the page loses its
    embedded font: the Chinese is drawn in that font, not as the fallback's boxes, when it is large."""
    browser.open(page.as_uri())
    shot = browser.screenshot()
    browser.open(without_embedded_font(page, folder).as_uri())
    fallback = browser.screenshot()
    return shot, float(np.mean(np.any(shot != fallback, axis=2)))
