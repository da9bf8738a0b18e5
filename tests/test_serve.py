"""``roleplay serve``: a page that needs nothing from the Internet, and a server that only
the person who started it can use (right Host, same-server Origin, the per-run secret),
with a cap on sessions whose processes and temporary folders are gone afterwards."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from serving import serving

from roleplay.serve import offline_templates, page_background, remove_stale_folders
from roleplay.settings import Settings, remember
from roleplay.webguard import Guard, SessionLimit


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode("utf-8", errors="replace")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.slow
def test_serve_gives_the_page_and_its_script_on_loopback(tmp_path: Path) -> None:
    with serving(tmp_path / "home") as url:
        status, page = _get(url)
        assert status == 200
        assert "textual.js" in page
        assert "fonts.googleapis" not in page and "https://" not in page
        status, script = _get(url + "static/js/textual.js")
        assert status == 200 and len(script) > 1000
        # The page behind the terminal is the app's own background (no strip at the edge).
        assert "background-color: #15191E !important" in page
        # The link typed without its last slash is sent on to the page, not a 404.
        status, page = _get(url.rstrip("/"))
        assert status == 200 and "textual.js" in page


@pytest.mark.slow
def test_requests_without_the_secret_a_forged_host_or_a_foreign_origin_are_refused(
    tmp_path: Path,
) -> None:
    with serving(tmp_path / "home") as url:
        origin = _origin(url)
        port = urlsplit(url).port
        # No secret, or a wrong one.
        for path in ["/", "/static/js/textual.js", "/ws", "/wrong-secret/"]:
            status, page = _get(origin + path)
            assert status == 403, path
            assert "full link" in page
        # The secret, but a forged Host (DNS rebinding sends the attacker's name).
        status, page = _get(url, {"Host": f"evil.example:{port}"})
        assert status == 403 and "address" in page
        # The secret, but another site (or a sandboxed page) as the Origin.
        for foreign in ["http://evil.example", "null", f"https://127.0.0.1:{port}"]:
            assert _get(url, {"Origin": foreign})[0] == 403, foreign
        assert _get(url, {"Sec-Fetch-Site": "cross-site"})[0] == 403
        # localhost is the same server: allowed.
        assert _get(url.replace("127.0.0.1", "localhost"))[0] == 200

        async def websocket_status(headers: dict[str, str]) -> int:
            async with aiohttp.ClientSession() as session:
                try:
                    ws = await session.ws_connect(url + "ws", headers=headers)
                except aiohttp.WSServerHandshakeError as refused:
                    return refused.status
                await ws.close()
                return 101

        ws_url = url + "ws"
        assert ws_url.startswith("http://")
        # A WebSocket from another page, with no Origin at all, or from "null": refused
        # before any app process starts.
        assert asyncio.run(websocket_status({"Origin": "http://evil.example"})) == 403
        assert asyncio.run(websocket_status({"Origin": "null"})) == 403
        assert asyncio.run(websocket_status({})) == 403


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The field after the command name (which may hold spaces) is the state, then ppid.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _server_pid(home: Path) -> int:
    """The pid of the ``roleplay serve`` whose data folder is ``home``."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if b"serve" in cmdline and f"ROLEPLAY_HOME={home}".encode() in environ:
                return int(entry.name)
    raise AssertionError("no server process found")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_session_cap_holds_and_sessions_end_with_their_connection(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    home = tmp_path / "home"
    with serving(home, "--max-sessions", "2", tmp=tmp) as url:
        server = _server_pid(home)
        origin = {"Origin": _origin(url)}
        assert [p.name for p in tmp.iterdir() if p.name.startswith("roleplay-serve-")]

        async def scenario() -> tuple[list[bytes], bytes, int | None, str]:
            async with aiohttp.ClientSession() as session:
                first = await session.ws_connect(url + "ws?width=80&height=24", headers=origin)
                second = await session.ws_connect(url + "ws?width=80&height=24", headers=origin)
                # Both sessions draw the app: they are real, running sessions.
                drawn = [
                    (await first.receive(timeout=60)).data,
                    (await second.receive(timeout=60)).data,
                ]
                assert len(_children(server)) == 2
                # A third connection is told why and closed; no process starts for it.
                third = await session.ws_connect(url + "ws?width=80&height=24", headers=origin)
                message = (await third.receive(timeout=30)).data
                await third.receive(timeout=30)
                assert len(_children(server)) == 2
                # The index page says so too while the server is full.
                status, page = await asyncio.to_thread(_get, url)
                assert status == 503
                await first.close()
                await second.close()
                return drawn, message, third.close_code, page

        drawn, message, close_code, page = asyncio.run(scenario())
        assert all(isinstance(data, bytes) and data for data in drawn)
        assert b"All 2 sessions" in message and close_code == 1013
        assert "All 2 sessions" in page
        # Closing a connection ends its app process.
        deadline = time.monotonic() + 30
        while _children(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _children(server) == []
        # With the sessions closed there is room again.
        assert _get(url)[0] == 200
    # The server has exited: its temporary folder is gone.
    assert [p.name for p in tmp.iterdir() if p.name.startswith("roleplay-serve-")] == []
    with pytest.raises(ProcessLookupError):
        os.kill(server, 0)


# --- the guard on its own (no server) -----------------------------------------------------


class _Request:
    """Just what ``Guard.refusal`` reads from a request."""

    def __init__(self, path: str, headers: dict[str, str]) -> None:
        self.path = path
        self.headers = headers


def _refusal(guard: Guard, path: str, **headers: str) -> str | None:
    request = _Request(path, {k.replace("_", "-"): v for k, v in headers.items()})
    return guard.refusal(request)  # type: ignore[arg-type]


def test_the_guard_names_each_reason() -> None:
    guard = Guard.for_address("127.0.0.1", 8000, secret="s3cret", open_paths=("/download/",))
    ok = "127.0.0.1:8000"
    assert _refusal(guard, "/s3cret/", Host=ok) is None
    assert _refusal(guard, "/s3cret/ws", Host="localhost:8000", Origin="http://localhost:8000",
                    Upgrade="websocket") is None  # fmt: skip
    assert _refusal(guard, "/s3cret/", Host="localhost:8001") == "host"
    assert _refusal(guard, "/s3cret/", Host="") == "host"
    assert _refusal(guard, "/s3cret/", Host=ok, Origin="http://localhost:8000") == "origin"
    assert _refusal(guard, "/s3cret/ws", Host=ok, Upgrade="websocket") == "origin"
    assert _refusal(guard, "/", Host=ok) == "secret"
    assert _refusal(guard, "/s3cretX/", Host=ok) == "secret"
    assert _refusal(guard, "/download/abc", Host=ok) is None
    assert _refusal(guard, "/download/abc", Host="evil:8000") == "host"
    assert guard.url("127.0.0.1", 8000) == "http://127.0.0.1:8000/s3cret/"


def test_the_guard_knows_ipv6_and_the_default_port() -> None:
    guard = Guard.for_address("::1", 80, secret="x")
    assert {"[::1]:80", "[::1]", "localhost", "127.0.0.1:80"} <= guard.hosts
    assert guard.url("::1", 80).startswith("http://[::1]:80/x/")


def test_each_run_gets_its_own_secret() -> None:
    assert Guard.for_address("127.0.0.1", 1).secret != Guard.for_address("127.0.0.1", 1).secret
    assert len(Guard.for_address("127.0.0.1", 1).secret) >= 20


def test_session_limit() -> None:
    limit = SessionLimit(2)
    a, b, c = object(), object(), object()
    assert limit.acquire(a) and limit.acquire(b) and limit.full
    assert not limit.acquire(c)
    limit.release(a)
    limit.release(a)
    assert not limit.full and limit.acquire(c)


def test_folders_left_by_a_killed_server_are_removed(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmp_path / f"roleplay-serve-{gone.pid}-abc123"
    alive = tmp_path / f"roleplay-serve-{os.getpid()}-def456"
    other = tmp_path / "roleplay-serve-notapid"
    for folder in (stale, alive, other):
        folder.mkdir()
        (folder / "app_index.html").write_text("x")
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists() and alive.exists() and other.exists()


def test_the_page_background_is_the_theme_the_app_starts_in(tmp_path: Path) -> None:
    """The served page is painted in the app's background, so the few pixels the terminal
    does not cover (its right and bottom edges) do not show as a strip of another colour."""
    settings = Settings(data_dir=tmp_path, scenario_dirs=())
    assert page_background(settings, None) == "#15191E"  # the default, dark
    assert page_background(settings, "roleplay-light") == "#F6F3EE"
    remember(tmp_path, theme="roleplay-high-contrast")  # picked in the app last time
    assert page_background(settings, None) == "#000000"
    assert page_background(settings, "roleplay-light") == "#F6F3EE"  # the flag wins
    folder = offline_templates("#F6F3EE")
    try:
        page = (folder / "app_index.html").read_text(encoding="utf-8")
    finally:
        for made in folder.iterdir():
            made.unlink()
        folder.rmdir()
    style = page.index("background-color: #F6F3EE !important")
    assert page.index("body {") < style < page.index("</head>")  # after textual-serve's own
    with pytest.raises(ValueError, match="not a #RRGGBB colour"):
        offline_templates("red; } body { display: none")
