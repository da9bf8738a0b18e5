"""Every command and the app work with networking disabled: no network socket is opened.

Each command runs in a fresh interpreter where creating an Internet socket (IPv4 or IPv6)
raises. Local socket pairs stay allowed: asyncio uses one internally to wake its loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"

NO_NETWORK = """
import socket, sys
_real = socket.socket
class _NoNetwork(_real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in (socket.AF_INET, socket.AF_INET6, -1) and fileno is None:
            raise SystemExit("NETWORK USED: socket(%r)" % (family,))
        super().__init__(family, type, proto, fileno)
socket.socket = _NoNetwork
def _no_connection(*args, **kwargs):
    raise SystemExit("NETWORK USED: create_connection")
socket.create_connection = _no_connection
"""

GUARD = (
    NO_NETWORK
    + """
sys.argv = ["roleplay", *sys.argv[1:]]
from roleplay.cli import main
raise SystemExit(main())
"""
)

APP = (
    NO_NETWORK
    + """
import asyncio
from pathlib import Path
from roleplay.settings import Settings
from roleplay.tui.app import create_app

async def main():
    settings = Settings.resolve(data=sys.argv[1], scenarios=[Path(sys.argv[2])], animation=False)
    app = create_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    print("APP OK")

asyncio.run(main())
"""
)


def _run(code: str, *args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ROLEPLAY_HOME": str(home), "NO_COLOR": "1"}
    env.pop("ROLEPLAY_SCENARIOS", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["--version"], ""),
        (["validate", "--strict", str(MINI)], ""),
        (["list", "--format", "json"], ""),
        (["schema"], ""),
        (["skills"], ""),
        (["graph", str(MINI)], ""),
        (["paths", str(MINI), "--format", "json"], ""),
        (["play", str(MINI), "--plain", "--no-reflect"], "1\n2\n"),
        (["history"], ""),
        (["export", "--all", "--format", "json"], ""),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_command_works_offline(args: list[str], stdin: str, tmp_path: Path) -> None:
    result = _run(GUARD, *args, home=tmp_path / "home", stdin=stdin)
    assert "NETWORK USED" not in result.stderr
    assert result.returncode == 0, result.stderr


def test_the_guard_really_blocks_the_network(tmp_path: Path) -> None:
    code = GUARD.replace(
        "from roleplay.cli import main",
        "import urllib.request as u\nu.urlopen('http://127.0.0.1:9')\nmain = None",
    )
    result = _run(code, home=tmp_path / "home")
    assert "NETWORK USED" in result.stderr


def test_the_app_works_offline(tmp_path: Path) -> None:
    result = _run(APP, str(tmp_path / "home"), str(MINI.parent), home=tmp_path / "home")
    assert "NETWORK USED" not in result.stderr
    assert "APP OK" in result.stdout, result.stderr


def test_the_reply_matcher_loads_its_model_without_the_network() -> None:
    """The embedding model comes from inside its package; HF_HUB_OFFLINE is not needed from
    the caller, and no socket is opened while loading or matching."""
    code = (
        NO_NETWORK
        + """
from roleplay.core.matching import Candidate, Matcher
matcher = Matcher.default()
assert matcher.semantic, "the bundled model did not load"
result = matcher.match("that was our mistake", [Candidate("a", "Sorry, that was on us."),
                                                 Candidate("b", "The system did it.")])
print(result.ranked[0].option)
"""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "a"
