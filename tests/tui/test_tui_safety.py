"""Scenario text is data: markup and escape sequences show as harmless text. ctrl+r reloads
an edited file; a broken edit is reported and the session goes on. Broken files never
crash the library."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tui_helpers import BROKEN, MINI, RAMP, make_app, press, ready, record_notes, screen_text

from roleplay.settings import Settings
from roleplay.tui.screens.briefing import BriefingScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.dialogs import ProblemsDialog
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.text import clean, plain
from roleplay.tui.widgets.answer_area import Phase

MakeSettings = Callable[..., Settings]

HOSTILE = Path(__file__).parent / "data" / "hostile.yaml"


def test_clean_makes_control_characters_visible() -> None:
    assert clean("a\x1b[31mb\x07\x9b\tc\nd") == "a␛[31mb␇<U+009B> c\nd"
    assert str(plain("[bold]x[/]")) == "[bold]x[/]"
    assert not plain("[bold]x[/]").spans


async def test_markup_and_escapes_in_a_scenario_are_shown_as_text(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(HOSTILE, MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "[bold red]Loud[/] title" in text and "[link=https://example.com]x[/link]" in text
        assert "Hi. [bold]Not[/] sure" not in text  # mini's line is only in its briefing
        await press(pilot, "enter")
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "[@click=app.quit]Sam[/]" in text and "[i]they[/i]/them" in text
        assert "Summary with [/] an unmatched close tag." in text
        await press(pilot, "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        text = screen_text(app)
        assert "Hi. [bold]Not[/] sure about this." in text
        assert "␛[31mRed narration␛[0m" in text
        assert "([@click=app.bell]looks[/] at the door)" in text
        assert "[reverse]Welcome[/reverse] ␛[31mred␛[0m ␛]8;;https://x␛\\link [/] ok" in text, text
        assert "[blink]Low[/]" in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x9b" not in svg
        # Clicking where an action link would be does nothing: there are no links.
        await pilot.click("#transcript")
        assert app.is_running
        await press(pilot, "1")
        assert practice.phase is Phase.CARD
        assert "[@click=app.quit]Open[/] and [dim]curious[/dim]." in screen_text(app)
        assert "Evidence: [link=https://example.com]source[/link]" in screen_text(app)
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, DebriefScreen)
        assert "[b]Done[/b]" in screen_text(app)
        await press(pilot, "escape", "end")  # out of the first answer box, then down
        assert "[b]What[/b] did you notice? [/]" in screen_text(app)
        assert app.is_running


async def test_minis_markup_line_is_shown_as_written(settings: MakeSettings) -> None:
    app = make_app(settings(MINI), scenario="mini")
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        assert "[bold]Not[/]" in screen_text(app)


async def test_reload_with_a_broken_edit_keeps_the_session(
    settings: MakeSettings, tmp_path: Path
) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(MINI, path)
    app = make_app(settings(path), scenario=str(path))
    notes = record_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, BriefingScreen)  # opened straight at the briefing
        await press(pilot, "enter", "1", "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.engine.step == 1

        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("start: hello", "start: nowhere"), encoding="utf-8")
        await press(pilot, "ctrl+r")
        assert app.screen is practice and practice.phase is Phase.CHOOSE
        assert practice.engine.step == 1
        message, severity = notes[-1]
        assert severity == "error"
        assert "mini.yaml:" in message and "nowhere" in message
        assert "Still playing" in message

        path.write_text(good.replace("So, what now?", "So. What now, then?"), encoding="utf-8")
        await press(pilot, "ctrl+r")
        assert app.screen is practice
        assert practice.engine.step == 1  # the path so far is replayed on the new file
        assert "So. What now, then?" in screen_text(app)
        assert notes[-1][1] == "information"
        await press(pilot, "1", "enter", "enter")
        assert isinstance(app.screen, DebriefScreen)


async def test_reload_on_the_briefing(settings: MakeSettings, tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(MINI, path)
    app = make_app(settings(path), scenario="mini")
    notes = record_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("setting: A test room.", "setting: [oops"), encoding="utf-8")
        await press(pilot, "ctrl+r")
        assert app.screen is briefing and notes[-1][1] == "error"
        path.write_text(good.replace("A test room.", "A quiet room."), encoding="utf-8")
        await press(pilot, "ctrl+r")
        assert app.screen is briefing and notes[-1][1] == "information"
        assert "A quiet room." in screen_text(app)


async def test_reload_restarts_when_the_path_no_longer_fits(
    settings: MakeSettings, tmp_path: Path
) -> None:
    path = tmp_path / "mini.yaml"
    shutil.copy(MINI, path)
    app = make_app(settings(path), scenario="mini")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "1", "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        path.write_text(
            path.read_text(encoding="utf-8").replace("id: warm", "id: kind"), encoding="utf-8"
        )
        await press(pilot, "ctrl+r")
        assert practice.engine.step == 0
        assert practice.phase is Phase.CHOOSE


async def test_library_lists_broken_files_and_filters(settings: MakeSettings) -> None:
    app = make_app(settings(MINI, RAMP, BROKEN))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert [e.path.name for e in library.shown] == ["mini.yaml", "ramp.yaml", "broken.yaml"]
        text = screen_text(app)
        assert "✗ Broken" in text and "unknown-start" in text
        await press(pilot, "end", "enter")
        assert isinstance(app.screen, ProblemsDialog)
        assert "start node 'missing-node' does not exist" in screen_text(app)
        await press(pilot, "escape")
        await press(pilot, "slash", "d", "a", "n", "a")
        assert [e.path.name for e in library.shown] == ["ramp.yaml"]
        await press(pilot, "escape")
        assert len(library.shown) == 3
        library.query_one("#skill").value = "repair"  # type: ignore[attr-defined]
        await pilot.pause()
        assert [e.path.name for e in library.shown] == ["mini.yaml", "ramp.yaml"]
        library.query_one("#skill").value = "reliability"  # type: ignore[attr-defined]
        await pilot.pause()
        assert library.shown == []
        assert "No scenario matches" in screen_text(app)


async def test_library_survives_missing_and_garbage_files(
    settings: MakeSettings, tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\x00\xff[[[: not yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    app = make_app(settings(garbage, empty, tmp_path / "missing.yaml", MINI))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert sum(not e.ok for e in library.shown) == 3
        assert library.shown[0].ok
        await press(pilot, "ctrl+r")
        await ready(pilot)
        assert len(library.shown) == 4


async def test_empty_library_says_where_it_looked(settings: MakeSettings, tmp_path: Path) -> None:
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    app = make_app(settings(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "No scenario files were found" in screen_text(app)
        await press(pilot, "enter")  # nothing to open: nothing happens
        assert isinstance(app.screen, LibraryScreen)


async def test_unknown_scenario_reference_is_reported(settings: MakeSettings) -> None:
    app = make_app(settings(MINI), scenario="no-such-scenario")
    notes = record_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert notes == [("No scenario 'no-such-scenario' in the library.", "error")]


async def test_scenario_path_outside_the_library_opens(
    settings: MakeSettings, tmp_path: Path
) -> None:
    app = make_app(settings(MINI), scenario=str(RAMP))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.loaded.scenario.id == "fixture-ramp"


async def test_broken_scenario_reference_shows_its_problems(settings: MakeSettings) -> None:
    app = make_app(settings(MINI, BROKEN), scenario=str(BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ProblemsDialog)
