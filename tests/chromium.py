"""A headless Chromium driven through the DevTools protocol, with the standard library only.

Chromium started with ``--remote-debugging-pipe`` reads protocol commands
(JSON, each ended by a NUL byte) on file descriptor 3 and writes replies and
events on file descriptor 4. This module starts it with two pipes on those
descriptors, sends commands and waits for their replies, keeping the events
(console messages, exceptions) for the test to inspect. No driver package and
no network port are needed.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Final

#: Launch flags that work in a container as root, with no network use at start.
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
#: The longest wait for one reply: a page of this size loads in well under a second.
TIMEOUT: Final = 30.0
#: The largest reply or event accepted (a full-page screenshot is a few MB).
MAX_MESSAGE: Final = 64 * 1024 * 1024


def find_chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class ProtocolError(RuntimeError):
    """Chromium answered a command with an error, or stopped answering."""


class Chromium:
    """A running headless Chromium and one page in it.

    Use as a context manager; the browser and its profile are removed on exit.
    """

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.mkdtemp(prefix="ikueval-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def on_fds_3_and_4() -> None:  # runs in the child, before exec
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            preexec_fn=on_fds_3_and_4,
            pass_fds=(3, 4),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def __enter__(self) -> Chromium:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(domain, session=True)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._send("Browser.close", {}, None)
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait(timeout=10)
        finally:
            os.close(self._to_child)
            os.close(self._from_child)
            shutil.rmtree(self._profile, ignore_errors=True)

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next_id

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        """Send a command (to the page when ``session``) and return its result.

        Raises:
            ProtocolError: on an error reply, a closed pipe or no reply in time.
        """
        wanted = self._send(method, params or {}, self.session if session else None)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise ProtocolError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"no reply from Chromium within {TIMEOUT} s")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise ProtocolError("Chromium closed the pipe")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE:
                raise ProtocolError("a message from Chromium is too large")
        raw, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(raw)
        return parsed

    def wait_for(self, method: str) -> dict[str, Any]:
        """Wait for an event (``Page.loadEventFired``) and return it."""
        deadline = time.monotonic() + TIMEOUT
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._message(deadline)
            self.events.append(message)
            if message.get("method") == method:
                return message

    def open(self, path: Path, width: int = 1200, height: int = 900) -> None:
        """Load a local file in a window of the given size, and wait until it has loaded."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session=True,
        )
        self.events.clear()
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page.

        Raises:
            ProtocolError: when the expression throws.
        """
        reply = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        if "exceptionDetails" in reply:
            raise ProtocolError(f"{expression[:60]}...: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, height: int | None = None, top: int = 0) -> bytes:
        """A PNG of the page: ``height`` pixels from ``top``, or all of it."""
        width = self.evaluate("document.documentElement.scrollWidth")
        full = self.evaluate("document.documentElement.scrollHeight")
        height = min(height or full, full - top)
        clip = {"x": 0, "y": top, "width": width, "height": height, "scale": 1}
        reply = self.call(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
            session=True,
        )
        return base64.b64decode(reply["data"])

    def pdf(self) -> bytes:
        """The page printed as the browser prints it (A4, the print style sheet)."""
        reply = self.call(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True},
            session=True,
        )
        return base64.b64decode(reply["data"])

    def problems(self) -> list[str]:
        """Console errors and uncaught exceptions seen since the page was opened."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(f"log: {params['entry'].get('text')}")
        return found
