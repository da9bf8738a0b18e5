"""The app factory, themes, and the in-memory journal with its HistorySink hook."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from tui_helpers import MINI, RAMP, RecordingSink, make_app, ready, record_notes

from roleplay.core.loader import load_scenario
from roleplay.settings import Settings
from roleplay.tui.session import Journal, Outcome, PracticeOptions
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


def test_journal_keeps_words_and_reflections() -> None:
    sink = RecordingSink()
    journal = Journal(sink)
    loaded = load_scenario(RAMP)
    attempt = journal.begin(loaded, PracticeOptions(write_first=True))
    journal.wrote(attempt, 0, "arrival", "draft")
    journal.wrote(attempt, 0, "arrival", "Sorry about the door")
    journal.chose(attempt, 0, "own-it", {"events": []})
    assert [(w.words, w.option_id) for w in attempt.own_words] == [
        ("Sorry about the door", "own-it")
    ]
    journal.reflect(attempt, "Q?", "An answer")
    journal.reflect(attempt, "Empty?", "   ")
    assert attempt.reflections == {"Q?": "An answer"}
    journal.finish(attempt, {"events": ["x"]}, "returns")
    assert attempt.outcome is Outcome.FINISHED and attempt.ending_id == "returns"
    assert sink.saved == [attempt]
    assert Journal().sink.save(attempt) is None  # the default sink keeps nothing


def test_session_module_does_not_import_textual() -> None:
    """The journal is storage-facing logic: it must stay importable without Textual."""
    code = "import sys, roleplay.tui.session; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
