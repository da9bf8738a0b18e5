"""Leaving says what it does: Esc asks "Leave this session?" and goes back to the library;
ctrl+q asks "Quit roleplay?" and quits the app (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

from tui_helpers import MINI, make_app, press, ready, screen_text

from roleplay.settings import Settings
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen

MakeSettings = Callable[..., Settings]


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
        await press(pilot, "n", "ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        text = screen_text(app)
        assert "Quit roleplay?" in text and "Leave this session?" not in text
        assert dialog.title_text == "Quit roleplay?"
        assert dialog.message.startswith("You are part-way through the conversation with Sam.")
        assert "Your choices so far are saved" in dialog.message
        await press(pilot, "n")
        back: object = app.screen  # (mypy still thinks it is the dialog)
        assert back is practice and app.is_running
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, LibraryScreen) and app.is_running
