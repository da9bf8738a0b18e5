"""The app factory, themes, and the journal with its HistorySink hook."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from functools import cached_property

import pytest
from tui_helpers import MINI, RAMP, RecordingSink, make_app, ready, record_notes

from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.session import History, Journal, Outcome, PracticeOptions
from roleplay.settings import Settings
from roleplay.tui.app import RoleplayApp
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.themes import THEMES

MakeSettings = Callable[..., Settings]


async def test_themes_are_registered_and_selectable(settings: MakeSettings) -> None:
    names = {theme.name for theme in THEMES}
    assert names == {"roleplay-dark", "roleplay-light", "roleplay-high-contrast"}
    app = make_app(settings(MINI))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "roleplay-dark"
        assert names <= set(app.available_themes)
        app.theme = "roleplay-light"
        await pilot.pause()
        assert app.current_theme.name == "roleplay-light"
    app = make_app(settings(MINI, theme="roleplay-high-contrast"))
    async with app.run_test() as pilot:
        assert app.theme == "roleplay-high-contrast"


async def test_unknown_theme_falls_back_with_a_warning(settings: MakeSettings) -> None:
    app = make_app(settings(MINI, theme="no-such-theme"))
    notes = record_notes(app)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "roleplay-dark"
        assert notes and notes[0][1] == "warning" and "no-such-theme" in notes[0][0]


async def test_a_remembered_theme_name_cannot_write_to_the_terminal(
    settings: MakeSettings,
) -> None:
    """The name comes from preferences.json; an escape sequence in it (a title change, a
    clear screen) reached the terminal raw in the warning."""
    made = settings(MINI)
    made.data_dir.mkdir()
    theme = "\x1b]0;pwned\x07\x1b[2Jno-such-theme"
    (made.data_dir / "preferences.json").write_text(json.dumps({"theme": theme}))
    app = make_app(made)
    notes = record_notes(app)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "roleplay-dark"
    (warning, _), *_ = notes
    assert "no-such-theme" in warning
    assert "\x1b" not in warning and "\x07" not in warning


async def test_the_history_is_opened_only_after_the_first_frame(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the history imports the application layer (about 180 ms): at start-up it
    waits until the first frame, the list from the summary cache, has been written. The
    resume check and the library's progress still come once it has."""
    made = settings(MINI, RAMP)
    made.data_dir.mkdir()
    async with make_app(made).run_test() as pilot:  # writes the summary cache
        await ready(pilot)
    opened: list[bool] = []

    def history(app: RoleplayApp) -> History:
        opened.append(getattr(app, "painted", False))
        return History(app.store)

    cached = cached_property(history)
    cached.__set_name__(RoleplayApp, "history")
    monkeypatch.setattr(RoleplayApp, "history", cached)
    app = make_app(made)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.scanned  # listed on mount
        await ready(pilot)
        await pilot.pause()
        assert opened == [True]  # opened once, after the first frame
        assert "history" in app.__dict__ and app.checked_store and app.offered_resume


def test_journal_keeps_words_and_reflections() -> None:
    sink = RecordingSink()
    journal = Journal(sink)
    loaded = load_scenario(RAMP)
    attempt = journal.begin(loaded, PracticeOptions(write_first=True))
    engine = Engine(loaded.scenario)
    journal.wrote(attempt, 0, "arrival", "draft")
    journal.wrote(attempt, 0, "arrival", "Sorry about the door")
    journal.chose(attempt, engine, engine.choose("own-it", "Sorry about the door"))
    assert [(w.words, w.option_id) for w in attempt.own_words] == [
        ("Sorry about the door", "own-it")
    ]
    journal.reflect(attempt, "Q?", "An answer")
    journal.reflect(attempt, "Empty?", "   ")
    assert attempt.reflections == {"Q?": "An answer"}
    journal.finish(attempt, engine)
    journal.finish(attempt, engine)  # once only
    assert attempt.outcome is Outcome.FINISHED
    # Every event went to the sink the moment it happened, in order.
    assert sink.names() == [
        "begin",
        "wrote",
        "wrote",
        "chose",
        "reflected",
        "reflected",
        "finished",
    ]
    assert not Journal().keeps(attempt)  # the default sink keeps nothing


def test_session_module_does_not_import_textual() -> None:
    """The application layer (journal, saving, history) imports no Textual."""
    code = (
        "import sys, roleplay.session, roleplay.session.history, roleplay.session.export; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
