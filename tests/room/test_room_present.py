"""``roleplay present SCENARIO --room`` in the app (Textual Pilot): the presenter's screen
shows the join code, the QR code and the live count, keeps the distribution hidden until
the lock, lets typed counts add to the devices' votes, handles waiting answers with y and
z, and stops the server with the session. Without --room nothing of this appears."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from room_kit import GROUP, Student
from textual.app import App
from textual.pilot import Pilot

from roleplay import cli
from roleplay.core.facilitation import Facilitation, FacilitationSettings, Phase
from roleplay.core.facilitation.flow import PresentFlow
from roleplay.core.loader import load_scenario
from roleplay.room.options import RoomOptions
from roleplay.session import PresentRequest
from roleplay.settings import Settings
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.screens.present import PresentScreen
from roleplay.tui.screens.room_present import RoomPresentScreen


def _text(app: App[Any]) -> str:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def _app(tmp_path: Path, room: RoomOptions | None) -> RoleplayApp:
    settings = Settings(data_dir=tmp_path / "data", scenario_dirs=(GROUP,), animation=False)
    request = PresentRequest(load_scenario(GROUP), FacilitationSettings(), room=room)
    return create_app(settings, present=request)


async def _screen(pilot: Pilot[Any]) -> RoomPresentScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RoomPresentScreen)
    return screen


async def test_the_presenter_sees_the_join_code_the_qr_code_and_the_live_count(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, RoomOptions(port=0, class_size=25))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _screen(pilot)
        room = screen.room
        assert room.running and room.code is not None
        shown = _text(app)
        assert room.code in shown and "j how to join" in shown
        assert "▀" in shown and "▄" in shown  # the QR code, in half blocks
        assert room.student_url.split("//")[1][:30] in shown.replace("\n", "")

        students = [Student(room) for _ in range(3)]
        try:
            for student in students:
                await student.join()
            await pilot.press("enter")
            await pilot.pause()
            assert not screen.query_one("#join-panel").display  # the moment gets the room
            for student, letter in zip(students, "AAB", strict=True):
                await student.vote(letter, 1, 1)
            await pilot.pause()
            shown = _text(app)
            assert "3 of 25 voted" in shown and "votes, hidden" in shown
            assert "67%" not in shown
            # Typed counts (hands in the room) add to the devices' votes.
            await pilot.press("number_sign")
            await pilot.pause()
            for key in ("2", "tab", "tab", "1", "enter"):
                await pilot.press(key)
            await pilot.pause()
            assert "6 of 25 voted" in _text(app)
            decision = screen.session.current
            assert decision is not None
            assert decision.round.counts == {
                decision.resolve("A"): 4,
                decision.resolve("B"): 1,
                decision.resolve("C"): 1,
            }
            await pilot.press("l")
            await pilot.pause()
            assert screen.session.phase is Phase.LOCKED and "67%" in _text(app)

            # An answer after the reveal waits on this screen only; y shows it.
            await pilot.press("r")
            await pilot.pause()
            status, _ = await students[0].answer("Whose ramp is it anyway?", 1)
            assert status == 200
            await pilot.pause()
            shown = _text(app)
            assert "1 answer waiting" in shown and "Whose ramp is it anyway?" in shown
            await pilot.press("y")
            await pilot.pause()
            assert room.state.approved[0].text == "Whose ramp is it anyway?"
            assert "answer waiting" not in _text(app)
            await students[1].answer("Not mine", 1)
            await pilot.pause()
            await pilot.press("z")
            await pilot.pause()
            assert not room.state.pending and len(room.state.approved) == 1
            await pilot.press("j")
            await pilot.pause()
            assert screen.query_one("#join-panel").display
        finally:
            for student in students:
                await student.close()
    assert not room.running


async def test_present_without_a_room_has_no_server(tmp_path: Path) -> None:
    app = _app(tmp_path, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen) is PresentScreen
        assert "Room" not in _text(app)


async def test_a_room_that_cannot_start_says_so_and_present_mode_goes_on(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, RoomOptions(host="192.0.2.1", port=0))  # not this computer's
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _screen(pilot)
        assert not screen.room.running
        assert "The room could not start" in _text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.phase is Phase.VOTING


def test_room_options_need_room_and_a_free_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # --class-size alone is fine: it caps typed counts without a room (present's own).
    assert cli.main(["present", str(GROUP), "--host", "0.0.0.0"]) == 2
    assert "--host needs --room" in capsys.readouterr().err
    assert cli.main(["present", str(GROUP), "--room", "--host", "192.0.2.1"]) == 2
    assert "cannot listen on 192.0.2.1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        cli.main(["present", str(GROUP), "--room", "--class-size", "0"])
    assert exited.value.code == 2
    assert "use a number from 1 to 500" in capsys.readouterr().err


async def test_the_room_counts_into_the_session_on_screen_after_a_resume(tmp_path: Path) -> None:
    app = _app(tmp_path, RoomOptions(port=0))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _screen(pilot)
        # What --resume does on mount: the screen's session is replaced by the saved one.
        resumed = Facilitation(
            screen.session.scenario, FacilitationSettings(class_size=12), clock=screen.clock
        )
        screen.flow = PresentFlow(resumed)
        await screen.refresh_view()
        assert screen.room.state.session is resumed
        student = Student(screen.room)
        try:
            await student.join()
            await pilot.press("enter")
            status, _ = await student.vote("A", 1, 1)
            assert status == 200 and resumed.current is not None
            assert resumed.current.round.total == 1
            await pilot.pause()
            assert "1 of 12 voted" in _text(app)
        finally:
            await student.close()
