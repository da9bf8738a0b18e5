"""The room's part of the presenter's screen (``roleplay present --room``): a line with
the live count ("18 of 25 voted") and the answers waiting for approval, and a join panel
with the QR code, the join address and code, and the projector's address.

These widgets only draw; the room server (``roleplay.room``) holds the state.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from roleplay.core.facilitation import Phase
from roleplay.room.qr import half_blocks
from roleplay.room.server import RoomServer
from roleplay.tui.text import clip, plain

NARROW = 76
"""Below this many columns the room's lines use their short forms."""


def room_line(room: RoomServer, width: int = 100) -> str:
    """Where the room stands: devices joined, votes in (short forms on a narrow screen)."""
    state = room.state
    phase = state.session.phase
    joined = len(state.devices)
    devices = "1 device" if joined == 1 else f"{joined} devices"
    narrow = width < NARROW
    if not room.running:
        return "Room closed"
    if phase is Phase.VOTING:
        return f"Room · {state.voted_text()}" + ("" if narrow else f" · {devices} joined")
    if phase in (Phase.LOCKED, Phase.REVEALED):
        if narrow:
            return f"Room · {state.voted_text()} · j join"
        return f"Room · {state.voted_text()} · {devices} joined · j how to join"
    code = f" · code {room.code}" if room.code else ""
    if narrow:
        return f"Room open · {devices}{code}"
    return f"Room open · {devices} joined{code} · j how to join"


def pending_line(room: RoomServer, width: int = 100) -> str | None:
    """The oldest answer waiting for approval, with the keys that handle it, on one line."""
    pending = room.state.pending
    if not pending:
        return None
    if width < NARROW:
        count, keys = f"{len(pending)} waiting", "y show · z drop"
    else:
        count = "1 answer waiting" if len(pending) == 1 else f"{len(pending)} answers waiting"
        keys = "y show on the projector · z drop"
    room_for_text = max(10, width - 2 - len(count) - len(keys) - 8)
    text = clip(pending[0].text.replace("\n", " "), room_for_text)
    return f"{count} · “{text}” · {keys}"


class RoomLine(Static):
    """One or two lines above the status line: the room's count and the next answer."""

    DEFAULT_CSS = """
    RoomLine {
        height: auto;
        padding: 0 1;
        background: $boost;
        color: $text;
        text-style: bold;
    }
    """

    def show(self, room: RoomServer) -> None:
        """Redraw from the room's state."""
        width = self.size.width or 100
        lines = [room_line(room, width)]
        waiting = pending_line(room, width)
        if waiting is not None:
            lines.append(waiting)
        self.update(plain("\n".join(lines)))


class JoinPanel(VerticalScroll):
    """How to join: the QR code (dark on light, as scanners want), the join address and
    code, and where the projector's page is. Empty until the room has started."""

    DEFAULT_CSS = """
    JoinPanel {
        width: 42;
        max-width: 50%;
        height: 100%;
        padding: 0 1;
        background: $panel;
        scrollbar-size-vertical: 1;
    }
    JoinPanel #room-qr {
        width: auto;
        background: white;
        color: black;
    }
    JoinPanel .room-text {
        width: 100%;
        margin-top: 1;
    }
    """

    async def show(self, room: RoomServer) -> None:
        """Fill the panel for a started room."""
        parts = ["Scan to vote, or open", room.student_url]
        if room.code:
            parts += ["", f"or {room.join_url.split('://', 1)[-1]}", f"and type {room.code}"]
        parts += ["", "Projector (read-only):", room.projector_url]
        if room.options.loopback:
            parts += [
                "",
                "Only this computer can join: start with --host 0.0.0.0 to let phones "
                "on this network join.",
            ]
        await self.remove_children()
        await self.mount_all(
            [
                Static(Content("\n".join(half_blocks(room.student_url))), id="room-qr"),
                Static(plain("\n".join(parts)), classes="room-text", id="room-join-text"),
            ]
        )
