"""What ``roleplay present SCENARIO --room`` asked for, apart from the server itself so the
command line can name it without importing aiohttp."""

from __future__ import annotations

import socket
from dataclasses import dataclass

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8765


@dataclass(frozen=True)
class RoomOptions:
    """The room server's address and the class it expects."""

    host: str = "127.0.0.1"
    """Where to listen: loopback (this computer only) unless the facilitator says otherwise."""
    port: int = DEFAULT_PORT
    """The port; 0 picks a free one."""
    class_size: int | None = None
    """How many students are expected ("18 of 25 voted"); None shows the count alone."""
    join_code: bool = True
    """Whether a short code typed at ``/join`` may stand in for the link (rate-limited)."""

    @property
    def loopback(self) -> bool:
        """Whether only this computer can reach the server."""
        return self.host in LOOPBACK

    def risk(self) -> str | None:
        """What listening beyond loopback exposes, to print before the session starts."""
        if self.loopback:
            return None
        return (
            f"roleplay: the room listens on {self.host}: anyone on this network who has the "
            "link, the QR code or the join code can vote and send answers, and can see the "
            "prompt, the options and what you reveal. Use this only on a network you trust "
            "(see docs/facilitating.md, Running a room)."
        )


def check_address(host: str, port: int) -> str | None:
    """Why the room could not listen on ``host``:``port``, or None when it can (checked
    before the app takes the screen, so the facilitator reads the reason)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (
            f"the room cannot listen on {host}:{port} ({reason}): choose another --port, "
            "or a --host address that belongs to this computer"
        )
    return None
