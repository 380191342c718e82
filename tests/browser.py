"""Headless Chromium for the tests, driven over the DevTools protocol through a pipe.

``--remote-debugging-pipe`` makes Chromium read protocol messages (JSON, each ended by a NUL
byte) from file descriptor 3 and write its answers and events to descriptor 4: the standard
library is enough, no websocket client and no driver binary.

    with Chromium() as browser:
        report = browser.open("file:///.../index.html")
        value = browser.evaluate("document.title")
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

__all__ = ["Chromium", "chromium_binary"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
    "--remote-debugging-pipe",
]


KEYS = {  # DOM key -> (code, Windows virtual key code), for Input.dispatchKeyEvent
    "ArrowRight": ("ArrowRight", 39), "ArrowLeft": ("ArrowLeft", 37), " ": ("Space", 32),
    "PageDown": ("PageDown", 34), "PageUp": ("PageUp", 33), "Home": ("Home", 36), "End": ("End", 35),
    "Escape": ("Escape", 27), "Enter": ("Enter", 13), "Tab": ("Tab", 9),
    ",": ("Comma", 188), ".": ("Period", 190),
}


def chromium_binary() -> str | None:
    """The Chromium executable on PATH (Debian's package installs ``chromium``)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


class Chromium:
    """One headless Chromium with a fresh profile; one page, attached with a flat session."""

    def __init__(self, binary: str | None = None, timeout: float = 60.0, autoplay: bool = True) -> None:
        """``autoplay=False``: Chromium's own autoplay policy (a clip with sound starts only after
        the user interacted with the page), instead of the tests' "no user gesture required"."""
        self.binary = binary or chromium_binary()
        self.flags = [f for f in FLAGS if autoplay or not f.startswith("--autoplay-policy")]
        if self.binary is None:
            raise RuntimeError("chromium not found on PATH (scripts/setup.sh installs it)")
        self.timeout = timeout
        self.events: list[dict] = []
        self._next_id = 0
        self._buffer = b""

    def __enter__(self) -> Chromium:
        self.profile = tempfile.mkdtemp(prefix="backprop-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the pipes become descriptors 3 and 4
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)  # out of the way of 3 and 4 first
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [self.binary, *self.flags, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            pass_fds=(3, 4),  # kept open after wire() runs; every other descriptor is closed
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        try:
            self._attach()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _attach(self) -> None:
        deadline = time.monotonic() + self.timeout
        while not (pages := [t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page"]):
            if time.monotonic() > deadline:  # the first tab appears a moment after the browser
                raise TimeoutError("chromium opened no page")
            time.sleep(0.05)
        page = pages[0]
        self.session = self.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(f"{domain}.enable", session=True)

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    # --- protocol -------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: bool | str = False, timeout: float | None = None, **params) -> dict:
        """Call ``method``, collect the events that arrive meanwhile, return its result.
        ``session``: True for the page's session, or the id of another (:meth:`attach_page`)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session if isinstance(session, str) else self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def wait_for(self, method: str, timeout: float | None = None) -> dict:
        """Wait for the event ``method`` (or return one already collected)."""
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    # --- what the tests use ----------------------------------------------------------------

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self.events.clear()
        self.send("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def attach_page(self, url_contains: str, timeout: float = 10.0) -> str:
        """A session on another page (a window the page opened) whose URL contains ``url_contains``."""
        deadline = time.monotonic() + timeout
        while True:
            pages = [t for t in self.send("Target.getTargets")["targetInfos"]
                     if t["type"] == "page" and url_contains in t["url"]]
            if pages:
                return self.send("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)["sessionId"]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no page with {url_contains!r} in its address")
            time.sleep(0.1)

    def evaluate(self, expression: str, timeout: float | None = None, session: bool | str = True):
        """The value of a JavaScript expression (promises are awaited), in the page or ``session``."""
        result = self.send(
            "Runtime.evaluate",
            session=session,
            timeout=timeout,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def reload(self) -> None:
        """Reload the page (a new document, unlike navigating to another fragment of it)."""
        self.events.clear()
        self.send("Page.reload", session=True)
        self.wait_for("Page.loadEventFired")

    def press(self, key: str) -> None:
        """Press and release ``key`` (a DOM key value: ``"ArrowRight"``, ``" "``, ``"p"``...), as a
        keyboard or a presentation clicker would."""
        code, vk = KEYS[key] if key in KEYS else (f"Key{key.upper()}", ord(key.upper()))
        text = key if len(key) == 1 else "\r" if key == "Enter" else ""
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=code,
                      windowsVirtualKeyCode=vk, text=text if kind == "keyDown" else "")

    def click(self, selector: str) -> None:
        """Click the middle of the element ``selector`` with the mouse, as a user does (it counts
        as the user's interaction with the page, which autoplay with sound waits for)."""
        x, y = self.evaluate(f"""(() => {{ const r = document.querySelector({json.dumps(selector)})
            .getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left", clickCount=1)

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        """Make the page ``width`` x ``height`` CSS pixels (``mobile``: a phone's viewport rules)."""
        self.send("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)

    def media_features(self, **features: str) -> None:
        """Emulate CSS media features, e.g. ``prefers_reduced_motion="reduce"``."""
        self.send("Emulation.setEmulatedMedia", session=True,
                  features=[{"name": k.replace("_", "-"), "value": v} for k, v in features.items()])

    def screenshot(self) -> bytes:
        """The page as shown, as PNG bytes."""
        return base64.b64decode(self.send("Page.captureScreenshot", session=True, format="png")["data"])

    def errors(self) -> list[str]:
        """Errors the page logged: console errors, uncaught exceptions, failed loads."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
            elif method == "Network.loadingFailed":
                if params.get("type") == "Media" and params.get("errorText") == "net::ERR_ABORTED":
                    continue  # Chromium stops fetching a video once it has what preload asks for
                found.append(f"network: {params.get('errorText')} ({params.get('type')})")
        return found

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]
