"""The served app renders in a real browser (opt-in: skipped unless Debian's ``chromium`` is
installed). Starts ``roleplay serve`` on a free loopback port and takes headless
screenshots: once with the plain ``--screenshot`` command line, and once through the
DevTools protocol after the app has drawn, then again after pressing ``p`` for present mode.
Look at the PNGs (their paths are printed) when a change touches the served page.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import free_port, serving, wait_for

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]
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
SPLASH_BYTES = 5_000
"""textual-serve's page before the app has drawn (a logo on a dark grid) is about 12 KB."""
DRAWN_BYTES = 40_000
"""A page full of the app's text is well over 100 KB."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of ``roleplay serve`` on a free loopback port."""
    with serving(tmp_path_factory.mktemp("browser-home")) as url:
        yield url


def test_screenshot_from_the_command_line(served: str, tmp_path: Path) -> None:
    """The plain ``--screenshot`` command line: a screenshot of the served page exists."""
    assert CHROMIUM is not None
    shot = tmp_path / "served.png"
    subprocess.run(
        [
            CHROMIUM,
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=8000",
            f"--screenshot={shot}",
            served,
        ],
        capture_output=True,
        timeout=90,
        check=False,
    )
    print(f"screenshot: {shot}")
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > SPLASH_BYTES


class DevTools:
    """Just enough of the Chrome DevTools protocol: evaluate, press a key, screenshot."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.counter = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.counter += 1
        await self.ws.send_json({"id": self.counter, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json()
            if message.get("id") == self.counter:
                result: dict[str, Any] = message.get("result", {})
                return result

    async def screenshot(self) -> bytes:
        result = await self.call("Page.captureScreenshot", format="png")
        # No data while the page is still being replaced by the navigation: try again.
        return base64.b64decode(result["data"]) if "data" in result else b""

    async def press(self, key: str) -> None:
        # xterm.js reads keys from its hidden textarea, which needs the focus.
        await self.call(
            "Runtime.evaluate", expression="document.querySelector('textarea')?.focus()"
        )
        for kind in ("keyDown", "keyUp"):
            extra = {"text": key} if kind == "keyDown" else {}
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                windowsVirtualKeyCode=ord(key.upper()),
                **extra,
            )

    async def drawn(self, seconds: float = 30, unlike: bytes = b"") -> bytes:
        """A screenshot once the app has drawn (and differs from ``unlike``)."""
        deadline = time.monotonic() + seconds
        shot = b""
        while time.monotonic() < deadline:
            shot = await self.screenshot()
            if len(shot) > DRAWN_BYTES and shot != unlike:
                await asyncio.sleep(1)  # let it finish drawing
                return await self.screenshot()
            await asyncio.sleep(0.5)
        return shot


async def _library_then_present(url: str, folder: Path) -> tuple[bytes, bytes]:
    aiohttp = pytest.importorskip("aiohttp")
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
        wait_for(f"http://127.0.0.1:{port}/json/version")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws,
        ):
            tools = DevTools(ws)
            await tools.call("Page.navigate", url=url)
            library = await tools.drawn()
            await tools.press("p")
            present = await tools.drawn(unlike=library)
            return library, present
    finally:
        browser.terminate()
        browser.wait(timeout=10)


def test_the_app_and_present_mode_draw_in_the_browser(served: str, tmp_path: Path) -> None:
    library, present = asyncio.run(_library_then_present(served, tmp_path))
    for name, shot in (("library", library), ("present", present)):
        path = tmp_path / f"{name}.png"
        path.write_bytes(shot)
        print(f"screenshot: {path}")
    assert len(library) > DRAWN_BYTES, "the library never drew in the browser"
    assert len(present) > DRAWN_BYTES and present != library, "p did not open present mode"
