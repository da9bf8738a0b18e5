"""Who may use a web server that roleplay runs: one guard for ``roleplay serve`` and the
classroom room server.

A server on loopback is not private: every web page the user visits can send requests to
``127.0.0.1`` (and open WebSockets to it), a rebound DNS name can point at it, and every
other account on the same computer can connect to it. The guard turns those away:

- **Host**: the ``Host`` header must name an address the server was started for (with its
  port). A DNS-rebinding page sends its own name, so it is refused.
- **Origin**: when a browser says where a request comes from (``Origin``, always sent
  with a WebSocket), it must be this same server; ``null`` and other sites are refused.
  A browser's ``Sec-Fetch-Site: cross-site`` is refused too.
- **Secret**: every path outside a few listed exceptions must start with
  ``/<secret>/``, a random value made for this run and shown only to whoever started
  the server. Another account on the computer, or a page guessing ports, lacks it.

Every refusal is a 403 with a short page saying why and what to do.
``SessionLimit`` caps how many app sessions run at once.
"""

from __future__ import annotations

import html
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web

__all__ = ["Guard", "SessionLimit", "new_secret", "refusal_page"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def new_secret() -> str:
    """A fresh random secret for one run (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def _host_with_port(host: str, port: int) -> list[str]:
    """How a browser writes ``host`` and ``port`` in a Host header (and in an Origin)."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    name = f"[{host}]" if literal is not None and literal.version == 6 else host
    names = [f"{name}:{port}"]
    if port == 80:
        names.append(name)  # browsers leave out the default port
    return [n.lower() for n in names]


def primary_address() -> str | None:
    """This computer's address on its main network (the one its default route uses).

    Connecting a UDP socket sends nothing; it only asks the system which address it would
    send from.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            return str(probe.getsockname()[0])
    except OSError:
        return None


def _addresses_for(host: str) -> list[str]:
    """The names a browser may use to reach a server bound to ``host``."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return list(LOOPBACK_NAMES)
    if host in WILDCARDS:
        # Bound to every interface: loopback, this computer's name and its addresses.
        found = [*LOOPBACK_NAMES, socket.gethostname()]
        if (address := primary_address()) is not None:
            found.append(address)
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None):
                found.append(str(info[4][0]))
        except OSError:
            pass
        return found
    return [host]


def refusal_page(status: int, title: str, detail: str) -> web.Response:
    """A short, plain HTML page that says why a request was refused."""
    body = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head>"
        "<body style='font-family: sans-serif; max-width: 40em; margin: 3em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(detail)}</p></body></html>"
    )
    return web.Response(
        status=status,
        text=body,
        content_type="text/html",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@dataclass
class Guard:
    """The checks every request to one server must pass."""

    hosts: frozenset[str]
    """Accepted ``Host`` header values, lower case, as ``name:port``."""
    secret: str
    """The per-run secret every guarded path starts with."""
    open_paths: tuple[str, ...] = ()
    """Path prefixes that need no secret (they carry their own unguessable key)."""
    name: str = "roleplay serve"
    """What started the server, as its refusal pages name it."""

    @classmethod
    def for_address(
        cls,
        host: str,
        port: int,
        *,
        secret: str | None = None,
        open_paths: Iterable[str] = (),
        extra_hosts: Iterable[str] = (),
        name: str = "roleplay serve",
    ) -> Guard:
        """The guard for a server listening on ``host``:``port``."""
        hosts: set[str] = set()
        for address in [*_addresses_for(host), *extra_hosts]:
            hosts.update(_host_with_port(address, port))
        return cls(frozenset(hosts), secret or new_secret(), tuple(open_paths), name)

    @property
    def prefix(self) -> str:
        """The path every guarded URL starts with: ``/<secret>``."""
        return f"/{self.secret}"

    def url(self, host: str, port: int, path: str = "/") -> str:
        """The full URL of ``path`` under the secret, for printing or opening."""
        if host in WILDCARDS:
            host = primary_address() or "localhost"
        (name, *_) = _host_with_port(host, port)
        return f"http://{name}{self.prefix}{path}"

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` is refused, or ``None`` when it may go ahead."""
        host = (request.headers.get("Host") or "").lower()
        if host not in self.hosts:
            return "host"
        origin = request.headers.get("Origin")
        is_websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if origin is None:
            # Browsers always send Origin with a WebSocket; only a plain page or file
            # request (a navigation, a script, an image) may come without one.
            if is_websocket:
                return "origin"
        elif origin.lower() != f"http://{host}":
            return "origin"  # another site, "null" (a sandboxed or file page), or https
        if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
            return "origin"
        path = request.path
        if self.open_paths and path.startswith(self.open_paths):
            return None
        if path == self.prefix or path.startswith(self.prefix + "/"):
            return None
        return "secret"

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """aiohttp middleware: refuse with 403 before any handler runs."""
        reason = self.refusal(request)
        if reason == "host":
            return refusal_page(
                403,
                "Wrong address",
                "This server only answers to the address it printed when it started. "
                f"Open the link that {self.name} printed.",
            )
        if reason == "origin":
            return refusal_page(
                403,
                "Refused",
                f"Another web page tried to use this server. Only the page {self.name} "
                "printed may use it.",
            )
        if reason == "secret":
            return refusal_page(
                403,
                "This link is not complete",
                f"Open the full link that {self.name} printed: it ends in a secret "
                "made for this run, so that nobody else can use it.",
            )
        return await handler(request)


@dataclass
class SessionLimit:
    """At most ``limit`` sessions at once; ``acquire`` says whether another may start."""

    limit: int
    active: set[object] = field(default_factory=set)

    def acquire(self, session: object) -> bool:
        """Count ``session`` in, unless the limit is reached."""
        if len(self.active) >= self.limit:
            return False
        self.active.add(session)
        return True

    def release(self, session: object) -> None:
        """Count ``session`` out (it is fine to release one twice)."""
        self.active.discard(session)

    @property
    def full(self) -> bool:
        """No room for another session now."""
        return len(self.active) >= self.limit
