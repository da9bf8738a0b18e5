"""Headless Chromium for the opt-in browser tests: start it on a free loopback port, and
just enough of the DevTools protocol to navigate, evaluate, click, press a key, take a
screenshot and read what a page's WebSocket received. Tests skip when Debian's
``chromium`` is not installed (it is not part of the project's install)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from serving import free_port, wait_for

CHROMIUM = shutil.which("chromium")
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
]
ESCAPES = re.compile(r"\x1b(\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def terminal_text(data: bytes) -> str:
    """The printable text in bytes sent to a terminal (escape sequences removed)."""
    return ESCAPES.sub("", data.decode("utf-8", errors="replace"))


class DevTools:
    """One page of a running Chromium, driven through the DevTools protocol."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.counter = 0
        self.received = bytearray()
        """Everything the page's WebSockets received (binary and text frames)."""

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.counter += 1
        await self.ws.send_json({"id": self.counter, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json()
            if message.get("method") == "Network.webSocketFrameReceived":
                frame = message["params"]["response"]
                payload = frame["payloadData"]
                # Opcode 2 is a binary frame, sent base64-encoded; 1 is text.
                chunk = base64.b64decode(payload) if frame["opcode"] == 2 else payload.encode()
                self.received.extend(chunk)
            if message.get("id") == self.counter:
                result: dict[str, Any] = message.get("result", {})
                return result

    async def evaluate(self, expression: str) -> Any:
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer.get("result", {}).get("value")

    async def screenshot(self) -> bytes:
        result = await self.call("Page.captureScreenshot", format="png")
        # No data while the page is still being replaced by the navigation: try again.
        return base64.b64decode(result["data"]) if "data" in result else b""

    async def press(self, key: str) -> None:
        # xterm.js reads keys from its hidden textarea, which needs the focus.
        await self.evaluate("document.querySelector('textarea')?.focus()")
        for kind in ("keyDown", "keyUp"):
            extra = {"text": key} if kind == "keyDown" else {}
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                windowsVirtualKeyCode=ord(key.upper()),
                **extra,
            )

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element ``selector`` names."""
        box = await self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            "return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def until(self, expression: str, seconds: float = 30) -> Any:
        """Wait until ``expression`` is truthy in the page; returns its value."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)
        raise AssertionError(f"never true in the page: {expression}")

    async def shows_text(self, words: str, seconds: float = 60) -> str:
        """Wait until the page's terminal was sent ``words``; returns all its text."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await self.call("Runtime.evaluate", expression="1")  # collects frames meanwhile
            text = terminal_text(bytes(self.received))
            if words in text:
                return text
            await asyncio.sleep(0.3)
        raise AssertionError(f"the page's terminal never showed {words!r}")


@contextlib.asynccontextmanager
async def chromium_page(folder: Path) -> AsyncIterator[DevTools]:
    """A headless Chromium's first page, with its network events on; closed afterwards."""
    assert CHROMIUM is not None
    port = free_port()
    browser = subprocess.Popen(
        [
            CHROMIUM,
            *HEADLESS,
            f"--user-data-dir={tempfile.mkdtemp(dir=folder)}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await asyncio.to_thread(wait_for, f"http://127.0.0.1:{port}/json/version")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws,
        ):
            tools = DevTools(ws)
            await tools.call("Network.enable")
            yield tools
    finally:
        browser.terminate()
        browser.wait(timeout=10)
