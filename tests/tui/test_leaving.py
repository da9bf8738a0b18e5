"""Leaving says what it does: Esc asks "Leave this session?" and goes back to the library;
ctrl+q asks "Quit roleplay?" and quits the app (issue 13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.widgets import Button
from tui_helpers import MINI, make_app, press, ready, screen_text

from roleplay.settings import Settings
from roleplay.tui.screens.dialogs import ConfirmDialog, answer_for
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen

MakeSettings = Callable[..., Settings]


def yes_label(app: App[Any]) -> str:
    return str(app.screen.query_one("#yes", Button).label)


def test_the_going_ahead_button_repeats_the_questions_verb() -> None:
    assert answer_for("Quit roleplay?") == "Quit"
    assert answer_for("Leave the debrief?") == "Leave"
    assert answer_for("Delete attempt #3?") == "Delete"
    assert answer_for("") == "Leave" and answer_for("#3?") == "Leave"


async def test_escape_leaves_the_session_and_ctrl_q_says_it_quits(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "1")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Leave this session?" in screen_text(app)
        assert yes_label(app) == "Leave (y)"
        await press(pilot, "n", "ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        text = screen_text(app)
        assert "Quit roleplay?" in text and "Leave this session?" not in text
        assert dialog.title_text == "Quit roleplay?"
        # The button answers the question asked: it quits, it does not just "leave".
        assert yes_label(app) == "Quit (y)" and "Leave (y)" not in text
        assert dialog.message.startswith("You are part-way through the conversation with Sam.")
        assert "Your choices so far are saved" in dialog.message
        await press(pilot, "n")
        back: object = app.screen  # (mypy still thinks it is the dialog)
        assert back is practice and app.is_running
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, LibraryScreen) and app.is_running
