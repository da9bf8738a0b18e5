"""The room server: aiohttp in the present screen's own asyncio loop, started and stopped
as coroutines (``start`` / ``stop``), so it lives exactly as long as the session.

Paths (``S`` and ``P`` are two random secrets made for this run):

- ``/S/`` the student page, ``/S/state`` its state (JSON), ``/S/vote`` and ``/S/answer``
  (form posts, answered with JSON for the page's script, or a redirect without it);
- ``/P/`` the projector page and ``/P/state``: read-only, with its own secret;
- ``/join``: the short join code, which leads to ``/S/`` (rate-limited, locks out).

Every request passes ``roleplay.webguard.Guard`` (Host, Origin, the student secret unless
the path is the projector's or ``/join``), then the room's limits: open connections,
requests per device per second, body size. A device is a random key in an HttpOnly,
SameSite=Strict cookie without an expiry date, valid only while this server runs.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from roleplay.core.facilitation import Clock, Facilitation
from roleplay.room import pages, qr
from roleplay.room.limits import CodeGate, RateLimit
from roleplay.room.options import RoomOptions
from roleplay.room.state import DEFAULT_MAX_DEVICES, RoomRefusal, RoomState
from roleplay.webguard import Guard, new_secret, refusal_page

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

COOKIE = "roleplay_room"
MAX_BODY = 8 * 1024
"""A vote is a few bytes and an answer at most 500 characters (2 KB in UTF-8, encoded)."""
DEFAULT_MAX_CONNECTIONS = 200


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port), ready for aiohttp."""
    if host == "::":
        return socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=128)


class RoomServer:
    """One room: a student page, a projector page and a join code for one group session."""

    def __init__(
        self,
        session: Facilitation,
        options: RoomOptions | None = None,
        *,
        clock: Clock = time.monotonic,
        max_devices: int = DEFAULT_MAX_DEVICES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        rate: float = 5.0,
        burst: float = 10.0,
    ) -> None:
        self.options = options or RoomOptions()
        self.state = RoomState(session, class_size=self.options.class_size, max_devices=max_devices)
        self.host = self.options.host
        self.port = self.options.port
        self.projector_secret = new_secret()
        self.guard = Guard.for_address(self.host, self.port, name="the room's facilitator")
        self.codes = CodeGate(clock=clock) if self.options.join_code else None
        self.per_device = RateLimit(rate, burst, clock)
        # New devices share one bucket: a class behind one address joins at once.
        self.newcomers = RateLimit(max(rate * 4, 20.0), max(burst * 6, 60.0), clock)
        self.max_connections = max_connections
        self.connections: set[Any] = set()
        self.runner: web.AppRunner | None = None

    # -- addresses ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self.runner is not None

    @property
    def code(self) -> str | None:
        """The join code, unless there is none or too many wrong tries closed it."""
        return None if self.codes is None or self.codes.closed else self.codes.code

    @property
    def student_url(self) -> str:
        """The link (and QR code) for students: it carries the student secret."""
        return self.guard.url(self.host, self.port, "/")

    @property
    def projector_url(self) -> str:
        """The projector's read-only page: its own secret."""
        return self.student_url.replace(self.guard.prefix + "/", f"/{self.projector_secret}/")

    @property
    def join_url(self) -> str:
        """Where a student types the join code."""
        return self.student_url.replace(self.guard.prefix + "/", "/join")

    # -- start and stop ------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen (raises ``OSError`` when the address is taken or not this computer's)."""
        listening = _listen(self.host, self.port)
        self.port = int(listening.getsockname()[1])
        self.guard = Guard.for_address(
            self.host,
            self.port,
            secret=self.guard.secret,
            open_paths=("/join", f"/{self.projector_secret}"),
            name="the room's facilitator",
        )
        app = web.Application(middlewares=[self._guarded, self._limited], client_max_size=MAX_BODY)
        student, projector = self.guard.prefix, f"/{self.projector_secret}"
        app.add_routes(
            [
                web.get(student, self._to_slash),
                web.get(student + "/", self.student_page),
                web.get(student + "/state", self.student_state),
                web.post(student + "/vote", self.vote),
                web.post(student + "/answer", self.answer),
                web.get(projector, self._to_slash),
                web.get(projector + "/", self.projector_page),
                web.get(projector + "/state", self.projector_state),
                web.get("/join", self.join_form),
                web.post("/join", self.join),
            ]
        )
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.SockSite(runner, listening).start()
        except BaseException:
            await runner.cleanup()
            listening.close()
            raise
        self.runner = runner

    async def stop(self) -> None:
        """Stop listening, close every connection, and forget the devices."""
        runner, self.runner = self.runner, None
        if runner is not None:
            await runner.cleanup()
        self.connections.clear()
        self.state.devices.clear()
        self.state.answered.clear()

    # -- middlewares ---------------------------------------------------------------------------
    @web.middleware
    async def _guarded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        return await self.guard.middleware(request, handler)

    @web.middleware
    async def _limited(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        transport = request.transport
        if transport is not None and transport not in self.connections:
            self.connections = {t for t in self.connections if not t.is_closing()}
            if len(self.connections) >= self.max_connections:
                return self._private(refusal_page(503, "The room is full", _FULL))
            self.connections.add(transport)
        device = request.cookies.get(COOKIE)
        if self.state.knows(device):
            allowed = self.per_device.allow(f"device:{device}")
        elif request.path == "/join" and request.method == "POST":
            allowed = self.per_device.allow(f"join:{request.remote}")
        else:
            allowed = self.newcomers.allow("new")
        if not allowed:
            response: web.StreamResponse = web.json_response(
                {"error": "Too many requests: wait a moment."}, status=429
            )
            response.headers["Retry-After"] = "2"
        else:
            response = await handler(request)
        return self._private(response)

    @staticmethod
    def _private(response: web.StreamResponse) -> web.StreamResponse:
        if not response.prepared:
            # The secret is in the page's address: never send it on as a Referer.
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    # -- pages -----------------------------------------------------------------------------------
    async def _to_slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(request.path + "/")

    def _html(self, text_of: Callable[[str], str]) -> web.Response:
        nonce = secrets.token_urlsafe(12)
        response = web.Response(text=text_of(nonce), content_type="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "style-src-attr 'unsafe-inline'; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        )
        return response

    def _device(self, request: web.Request) -> str | None:
        device = request.cookies.get(COOKIE)
        return device if self.state.knows(device) else None

    async def student_page(self, request: web.Request) -> web.StreamResponse:
        device = self._device(request)
        fresh = device is None
        if device is None:
            device = self.state.new_device()
            if device is None:
                return refusal_page(503, "The room is full", _FULL)
        view = self.state.view(device=device)
        response = self._html(lambda nonce: pages.page(view, nonce=nonce))
        if fresh:
            response.set_cookie(
                COOKIE,
                device,
                path=self.guard.prefix + "/",
                httponly=True,
                samesite="Strict",
            )
        return response

    async def student_state(self, request: web.Request) -> web.StreamResponse:
        return self._state(request, self.state.view(device=self._device(request)))

    async def projector_page(self, request: web.Request) -> web.StreamResponse:
        view = self.state.view(projector=True)
        join = pages.join_box(
            self.join_url.split("://", 1)[-1], self.code, qr.svg(self.student_url)
        )
        return self._html(lambda nonce: pages.page(view, nonce=nonce, projector=True, join=join))

    async def projector_state(self, request: web.Request) -> web.StreamResponse:
        return self._state(request, self.state.view(projector=True))

    @staticmethod
    def _state(request: web.Request, view: dict[str, Any]) -> web.StreamResponse:
        if request.query.get("v") == view["etag"]:
            return web.Response(status=204)
        return web.json_response(view, dumps=lambda v: json.dumps(v, ensure_ascii=True))

    # -- what students send ----------------------------------------------------------------------
    async def _sent(
        self, request: web.Request, act: Callable[[str, Any], None]
    ) -> web.StreamResponse:
        device = self._device(request)
        wants_json = "application/json" in request.headers.get("Accept", "")
        if device is None:
            return web.json_response(
                {"error": "This page has expired: reload it to join again."}, status=403
            )
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": "That is too long."}, status=413)
        error, status = None, 200
        try:
            act(device, form)
        except RoomRefusal as refusal:
            error, status = str(refusal), refusal.status
        except ValueError:
            error, status = "That request was not understood.", 400
        if not wants_json:
            if error is not None:
                return refusal_page(status, "Not sent", error)
            raise web.HTTPSeeOther("./")
        body = {"view": self.state.view(device=device), "error": error}
        return web.json_response(body, status=status)

    async def vote(self, request: web.Request) -> web.StreamResponse:
        def cast(device: str, form: Any) -> None:
            self.state.vote(
                device,
                str(form.get("letter", "")).upper(),
                int(str(form.get("moment", ""))),
                int(str(form.get("round", ""))),
            )

        return await self._sent(request, cast)

    async def answer(self, request: web.Request) -> web.StreamResponse:
        def send(device: str, form: Any) -> None:
            self.state.answer(device, str(form.get("text", "")), int(str(form.get("moment", ""))))

        return await self._sent(request, send)

    # -- the join code -------------------------------------------------------------------------
    async def join_form(self, request: web.Request) -> web.StreamResponse:
        if self.codes is None:
            return refusal_page(404, "No join code", "Use the link or QR code instead.")
        closed = self.codes.closed
        message = _CODE_MESSAGES["closed"] if closed else ""
        return self._html(lambda nonce: pages.join_page(nonce, message, closed=closed))

    async def join(self, request: web.Request) -> web.StreamResponse:
        if self.codes is None:
            return refusal_page(404, "No join code", "Use the link or QR code instead.")
        form = await request.post()
        verdict = self.codes.check(request.remote or "", str(form.get("code", "")))
        if verdict == "ok":
            raise web.HTTPSeeOther(self.guard.prefix + "/")
        status = 403 if verdict == "wrong" else 429
        closed = verdict == "closed"
        response = self._html(
            lambda nonce: pages.join_page(nonce, _CODE_MESSAGES[verdict], closed=closed)
        )
        response.set_status(status)
        return response


_FULL = "Every place in this room is taken. Ask the facilitator."
_CODE_MESSAGES = {
    "wrong": "That code is not right. Check it and try again.",
    "locked": "Too many wrong codes from this device: wait a few minutes, or scan the QR code.",
    "closed": "The join code no longer works: scan the QR code or ask for the link.",
}


async def stop_quietly(server: RoomServer) -> None:
    """Stop ``server``, whatever state it is in (for a screen that is going away)."""
    with contextlib.suppress(Exception):
        await server.stop()
