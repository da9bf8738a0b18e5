"""``roleplay serve`` answers on loopback with a page that needs nothing from the Internet."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", errors="replace")


def test_serve_gives_the_page_and_its_script_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ROLEPLAY_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, page = _get(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        assert page, "the server did not answer"
        assert status == 200
        assert "textual.js" in page
        assert "fonts.googleapis" not in page and "https://" not in page
        status, script = _get(base + "/static/js/textual.js")
        assert status == 200 and len(script) > 1000
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
