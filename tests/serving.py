"""Start ``roleplay serve`` on a free loopback port for a test, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    """Wait until something answers at ``url``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


@contextlib.contextmanager
def serving(home: Path, *extra: str, tmp: Path | None = None) -> Iterator[str]:
    """Run ``roleplay serve`` with its own data folder; yields the page's URL (with its
    per-run secret, as printed). ``extra`` arguments go on the command line; ``tmp`` is
    the temporary folder the server may use."""
    port = free_port()
    env = {**os.environ, "ROLEPLAY_HOME": str(home)}
    env.pop("ROLEPLAY_SCENARIOS", None)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    server = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "serve", "--port", str(port), "--no-browser", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = ""
        for line in server.stdout:
            if line.strip().startswith(f"http://127.0.0.1:{port}/"):
                url = line.strip()
                break
        assert url, "roleplay serve printed no link"
        # Keep reading what it prints, so a full pipe never blocks the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        wait_for(url)
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
