"""``roleplay serve``: the app in a browser tab, for presenting from a browser window.

textual-serve runs one copy of the app per browser connection and ships its page's
scripts itself, so it works without the Internet, except that its page template links a
web font. A copy of the template without that link is written to a private temporary
folder (removed on exit), so nothing on the page reaches outside this machine.

On top of textual-serve, every request passes ``roleplay.webguard.Guard`` (right Host,
same-server Origin, the per-run secret in the path), at most ``max_sessions`` app
sessions run at once, and each session's process ends when its connection closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
import time
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.settings import Settings

if TYPE_CHECKING:
    from aiohttp import web

    from roleplay.webguard import Guard, SessionLimit

EXTERNAL_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.DOTALL)
HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
DEFAULT_MAX_SESSIONS = 3
"""Enough for a presenter's window and a spare tab; each session is a whole app process."""
OPEN_LINK_SECONDS = 60
"""How long the one-time link given to the browser at start-up stays usable."""
STOP_SECONDS = 5
"""How long a session's app may take to quit when asked, before it is terminated."""

log = logging.getLogger("roleplay.serve")


def remove_stale_folders(folder: Path | None = None) -> list[Path]:
    """Remove ``roleplay-serve-PID-*`` folders of this user whose server is gone (killed
    before it could clean up); returns what was removed. A folder whose process still
    runs, or that belongs to someone else, is left alone."""
    removed: list[Path] = []
    if not hasattr(os, "getuid"):
        return removed  # Windows: os.kill(pid, 0) would end the process, not test it
    for candidate in Path(folder or tempfile.gettempdir()).glob("roleplay-serve-*-*"):
        pid_text = candidate.name.split("-")[2]
        try:
            if not pid_text.isdigit() or candidate.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
        except OSError:  # not ours to ask about
            continue
    return removed


def page_background(settings: Settings, theme: str | None) -> str:
    """The background colour of the theme the served app starts in (``--theme``, else the
    one last picked in the app, else the default)."""
    from roleplay.settings import load_preferences
    from roleplay.tui.themes import DEFAULT_THEME, THEMES

    wanted = theme or settings.theme or load_preferences(settings.data_dir).theme or DEFAULT_THEME
    by_name = {t.name: t for t in THEMES}
    chosen = by_name.get(wanted, by_name[DEFAULT_THEME])
    return str(chosen.background or "#000000")


def offline_templates(background: str = "#000000") -> Path:
    """A private copy of textual-serve's templates with every external link removed, and
    the page behind the terminal painted ``background``: the terminal is a whole number of
    cells wide, so a few pixels of page show at its right and bottom edges (a black or
    blue-grey strip beside the app's own background, plainest at a device scale of 2)."""
    import textual_serve

    if not HEX_COLOUR.fullmatch(background):
        raise ValueError(f"not a #RRGGBB colour: {background!r}")
    page = (
        "<style>html, body, .textual-terminal, .xterm, .xterm .xterm-viewport "
        f"{{ background-color: {background} !important; }}"
        # The terminal's drawing surface itself ends in a device pixel of black where no
        # cell reaches (xterm's own background): hide that hairline.
        ".xterm .xterm-screen { clip-path: inset(0 1px 0 0); }</style>"
    )
    source = Path(textual_serve.__file__).parent / "templates"
    target = Path(tempfile.mkdtemp(prefix=f"roleplay-serve-{os.getpid()}-"))
    for template in source.iterdir():
        if template.is_file():
            text = EXTERNAL_LINK.sub("", template.read_text(encoding="utf-8"))
            # Last in <head>, so it wins over textual-serve's own page style.
            text = text.replace("</head>", page + "</head>", 1)
            (target / template.name).write_text(text, encoding="utf-8")
    return target


def app_argv(settings: Settings, scenarios: list[Path], theme: str | None) -> list[str]:
    """The command each browser connection runs (this Python, not the PATH's)."""
    parts = [sys.executable, "-m", "roleplay", "--data-dir", str(settings.data_dir)]
    for folder in scenarios:
        parts += ["--scenarios", str(folder.resolve())]
    if theme:
        parts += ["--theme", theme]
    return parts


def can_open_browser() -> bool:
    """Whether a graphical browser can be opened: never a text browser in this terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _make_server(
    argv: list[str],
    *,
    guard: Guard,
    limit: SessionLimit,
    host: str,
    port: int,
    templates: Path,
    open_browser: bool,
) -> Any:
    """The textual-serve ``Server`` with the guard, the cap and clean session ends."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    from roleplay.webguard import refusal_page

    class ExecAppService(AppService):
        """An app process started directly (no shell in between), so ending it ends it."""

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            environment = self._build_environment(width=width, height=height)
            self._process = process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

    async def end_session(service: ExecAppService) -> None:
        """Ask the app to quit; terminate it if it does not; never leave it running."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(service.stop(), STOP_SECONDS)
        process = service._process
        if process is None or process.returncode is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
                return
            except TimeoutError:
                continue

    full_text = (
        f"All {limit.limit} sessions of this server are in use. Close another tab that shows "
        "it, or restart roleplay serve with a higher --max-sessions."
    )

    class GuardedServer(Server):
        """textual-serve's server behind the guard, under the secret path."""

        def __init__(self) -> None:
            super().__init__(
                shlex.join(argv),
                host=host,
                port=port,
                title="roleplay",
                templates_path=templates,
            )
            self.sessions: dict[web.WebSocketResponse, ExecAppService] = {}
            self.open_tokens: dict[str, float] = {}

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[guard.middleware, _private_headers])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(templates))
            prefix = guard.prefix
            app.add_routes(
                [
                    # The printed link without its last slash still opens the app.
                    web.get(prefix, self.handle_slash),
                    web.get(prefix + "/", self.handle_index, name="index"),
                    web.get(prefix + "/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.get("/open/{token}", self.handle_open),
                    web.static(prefix + "/static", self.statics_path, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def on_startup(self, app: web.Application) -> None:
            url = guard.url(host, port)
            print(
                f"roleplay is being served at\n\n    {url}\n\n"
                "Open that link in a browser on this computer. It ends in a secret made for "
                "this run: whoever has the link can use the app and see its saved history, "
                f"so do not share it. At most {limit.limit} sessions at once "
                "(--max-sessions). Press Ctrl+C to stop.",
                flush=True,
            )
            if open_browser and can_open_browser():
                # The browser gets a one-time link, not the secret: a browser's command
                # line can be read by other accounts on the same computer.
                token = secrets.token_urlsafe(16)
                self.open_tokens[token] = time.monotonic() + OPEN_LINK_SECONDS
                link = url.replace(guard.prefix + "/", f"/open/{token}")
                asyncio.get_running_loop().call_later(
                    0.5, lambda: asyncio.ensure_future(asyncio.to_thread(webbrowser.open, link))
                )

        async def on_shutdown(self, app: web.Application) -> None:
            for websocket in list(self.sessions):
                with contextlib.suppress(Exception):
                    await websocket.close(code=WSCloseCode.GOING_AWAY)
            await asyncio.gather(*(end_session(s) for s in list(self.sessions.values())))

        async def handle_slash(self, request: web.Request) -> web.StreamResponse:
            raise web.HTTPPermanentRedirect(guard.prefix + "/")

        async def handle_open(self, request: web.Request) -> web.StreamResponse:
            expires = self.open_tokens.pop(request.match_info["token"], None)
            if expires is None or time.monotonic() > expires:
                return refusal_page(
                    403,
                    "This link has been used",
                    "The link roleplay serve gave the browser works once. Open the link it "
                    "printed in the terminal instead.",
                )
            raise web.HTTPSeeOther(guard.prefix + "/")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if limit.full:
                return refusal_page(503, "All sessions are in use", full_text)
            # request.host has passed the guard, so it is one of the server's own names.
            base = f"{request.host}{guard.prefix}"
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"ws://{base}/ws",
                "config": {"static": {"url": f"http://{base}/static/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            await websocket.prepare(request)
            if not limit.acquire(websocket):
                # The page writes what it receives into its terminal: say why, then close.
                await websocket.send_bytes(f"\r\n  {full_text}\r\n".encode())
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"full")
                return websocket

            async def close() -> None:
                await websocket.close()

            service = ExecAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.sessions[websocket] = service
            try:
                width = to_int(request.query.get("width", "80"), 80)
                height = to_int(request.query.get("height", "24"), 24)
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                pass
            except Exception as exc:
                log.warning("session ended: %s", exc)
            finally:
                await end_session(service)
                self.sessions.pop(websocket, None)
                limit.release(websocket)
                with contextlib.suppress(Exception):
                    await websocket.close()
            return websocket

    @web.middleware
    async def _private_headers(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        if not response.prepared:
            # The secret is in the page's address: never send it on as a Referer.
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return GuardedServer()


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    scenarios: list[Path],
    theme: str | None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    open_browser: bool = True,
) -> int:
    """Serve the app until interrupted."""
    from roleplay.webguard import Guard, SessionLimit

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"roleplay: serving on {host}: anyone who can reach this address and has the "
            "link can use the app and see what is on it. Use this only on a network you "
            "trust (see docs/facilitating.md).",
            file=sys.stderr,
        )
    guard = Guard.for_address(host, port, open_paths=("/download/", "/open/"))
    remove_stale_folders()
    templates = offline_templates(page_background(settings, theme))
    try:
        server = _make_server(
            app_argv(settings, scenarios, theme),
            guard=guard,
            limit=SessionLimit(max_sessions),
            host=host,
            port=port,
            templates=templates,
            open_browser=open_browser,
        )
        server.serve()
    except OSError as exc:
        print(f"roleplay: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(templates, ignore_errors=True)
    return 0
