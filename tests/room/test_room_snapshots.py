"""Snapshots of the presenter's screen with a room (``present --room``) at 100x30 and
60x20. The room's addresses and code are fixed for the pictures (a real run makes new
secrets, a new code and a free port each time). Each test's docstring says what the
picture must show."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from room_kit import GROUP
from textual.pilot import Pilot

from roleplay.core.facilitation import FacilitationSettings
from roleplay.core.loader import load_scenario
from roleplay.room.options import RoomOptions
from roleplay.room.server import RoomServer
from roleplay.session import PresentRequest
from roleplay.settings import Settings
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.screens import room_present
from roleplay.tui.screens.room_present import RoomPresentScreen

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]


class FixedRoom(RoomServer):
    """A room whose addresses and code are the same in every run."""

    @property
    def student_url(self) -> str:
        return "http://127.0.0.1:8765/Student-Secret-0123456/"

    @property
    def projector_url(self) -> str:
        return "http://127.0.0.1:8765/Projector-Secret-98765/"

    @property
    def join_url(self) -> str:
        return "http://127.0.0.1:8765/join"

    @property
    def code(self) -> str | None:
        return "K7Q2XM"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RoleplayApp:
    monkeypatch.setattr(room_present, "RoomServer", FixedRoom)
    settings = Settings(data_dir=tmp_path / "data", scenario_dirs=(GROUP,), animation=False)
    request = PresentRequest(
        load_scenario(GROUP), FacilitationSettings(), room=RoomOptions(port=0, class_size=25)
    )
    return create_app(settings, present=request)


def _steps(*keys: str, answer: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RoomPresentScreen)
        state = screen.room.state
        devices = [state.new_device() for _ in range(3)]
        for key in keys:
            if key == "votes":
                for device, letter in zip(devices, "AAB", strict=True):
                    assert device is not None
                    state.vote(device, letter, 1, 1)
            else:
                await pilot.press(key)
        if answer is not None:
            assert devices[0] is not None
            state.answer(devices[0], answer, 1)
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_room_before_the_first_moment(
    snap_compare: SnapCompare, app: RoleplayApp, size: tuple[int, int]
) -> None:
    """The prebrief with the room open: on the right (at 60x20 across the whole width) a
    join panel with a QR code drawn in black half blocks on white, then 'Scan to vote, or
    open' and the student link, 'or 127.0.0.1:8765/join' 'and type K7Q2XM', and the
    projector's read-only link. Above the status line a bold room line 'Room open · 3
    devices joined · code K7Q2XM · j how to join' (at 60x20 'Room open · 3 devices · code
    K7Q2XM'); the footer lists j Join."""
    assert snap_compare(app, terminal_size=size, run_before=_steps())


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_room_vote_then_waiting_answer(
    snap_compare: SnapCompare, app: RoleplayApp, size: tuple[int, int]
) -> None:
    """After the reveal of moment 1 (the room chose A, 2 of 3 device votes): the join panel
    is gone and the revealed page has the full width. The room line reads 'Room · 3 of 25
    voted · 3 devices joined · j how to join' and a second line '1 answer waiting ·
    “Whose ramp is it?” · y show on the projector · z drop' (at 60x20 the short forms,
    one line each: 'Room · 3 of 25 voted · j join' and '1 waiting · “Whose ramp is it?” ·
    y show · z drop'); the footer offers y Show answer and z Drop answer."""
    run = _steps("enter", "votes", "l", "r", answer="Whose ramp is it?")
    assert snap_compare(app, terminal_size=size, run_before=run)
