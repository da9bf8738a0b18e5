"""Present mode with a room (``roleplay present SCENARIO --room``): the present screen,
plus a room server in the same asyncio loop that students vote on from their own
devices and a projector shows.

The server starts when the screen mounts and stops when it goes away. Device votes go
into the group session's rounds, so the present screen's counts, lock, revote and reveal
work as without a room; typed counts add to the devices' votes (a mixed room). Answers
to the discussion questions wait here, seen only on this screen, until ``y`` shows the
oldest on the projector or ``z`` drops it.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal

from roleplay.core.facilitation import Clock, FacilitationSettings, Phase
from roleplay.core.loader import LoadedScenario
from roleplay.room.options import RoomOptions
from roleplay.room.server import RoomServer, stop_quietly
from roleplay.tui.screens.present import PresentScreen
from roleplay.tui.widgets.room_panel import JoinPanel, RoomLine

ROOM_BINDINGS: list[BindingType] = [
    Binding("j", "join_panel", "Join", id="room.join", tooltip="Show or hide how to join"),
    Binding(
        "y",
        "approve",
        "Show answer",
        id="room.approve",
        tooltip="Show the oldest waiting answer on the projector",
    ),
    Binding("z", "drop", "Drop answer", id="room.drop", tooltip="Drop the oldest waiting answer"),
]


class RoomPresentScreen(PresentScreen):
    """The present screen with a room server behind it."""

    BINDINGS: ClassVar[list[BindingType]] = ROOM_BINDINGS
    DEFAULT_CSS = """
    #room-middle {
        height: 1fr;
    }
    #room-middle #present-body {
        width: 1fr;
    }
    RoomPresentScreen.-narrow #join-panel {
        width: 100%;
        max-width: 100%;
    }
    """

    def __init__(
        self,
        loaded: LoadedScenario,
        settings: FacilitationSettings | None = None,
        *,
        room: RoomOptions,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(loaded, settings, clock=clock)
        self.room = RoomServer(self.session, room)
        self.room.state.listeners.append(self.show_room)
        self.room_error: str | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.id == "present-body":
                # The join details sit beside the page, between the top bar and the status.
                yield Horizontal(widget, JoinPanel(id="join-panel"), id="room-middle")
                continue
            if widget.id == "present-status":
                yield RoomLine(id="room-line")
            yield widget

    async def on_mount(self) -> None:
        # PresentScreen.on_mount runs as well (Textual calls each class's handler).
        try:
            await self.room.start()
        except OSError as exc:
            self.room_error = f"The room could not start: {exc.strerror or exc}"
            self.notify(self.room_error, severity="error", markup=False, timeout=30)
        else:
            await self.query_one(JoinPanel).show(self.room)
        self.query_one(JoinPanel).display = self.room.running
        self.show_room()

    @on(events.Unmount)
    async def _stop_room(self) -> None:
        await stop_quietly(self.room)

    def show_room(self) -> None:
        """Redraw the room's line (a vote or an answer came in, or the phase moved)."""
        lines = self.query(RoomLine)
        if not lines:
            return  # not composed yet, or gone
        line = lines.first()
        if self.room_error is not None:
            line.update(self.room_error)
            return
        line.show(self.room)
        self.refresh_bindings()

    def update_status(self) -> None:
        super().update_status()
        self.show_room()

    async def refresh_view(self) -> None:
        # A resumed session (--resume) replaces the screen's session when it mounts: the
        # room must count into the session on screen.
        state = self.room.state
        state.session = self.session
        state.class_size = self.room.options.class_size or self.session.settings.class_size
        await super().refresh_view()
        if self.session.phase is not Phase.PREBRIEF:
            # The join details make room for the moment once voting starts (j brings them back).
            self.query_one(JoinPanel).display = False

    def action_join_panel(self) -> None:
        panel = self.query_one(JoinPanel)
        panel.display = not panel.display

    def action_approve(self) -> None:
        if self.room.state.approve_next() is not None:
            self.show_room()

    def action_drop(self) -> None:
        if self.room.state.drop_next() is not None:
            self.show_room()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "drop"):
            return bool(self.room.state.pending)
        if action == "join_panel":
            return self.room.running
        return super().check_action(action, parameters)
