"""Reduced motion: with animation off the reply box's cursor is steady; with it on, it
blinks as Textual's does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input
from tui_helpers import RAMP, make_app, press, ready

from roleplay.settings import Settings

MakeSettings = Callable[..., Settings]


@pytest.mark.parametrize("animation", [False, True])
async def test_the_reply_cursor_blinks_only_when_animation_is_on(
    settings: MakeSettings, animation: bool
) -> None:
    app = make_app(settings(RAMP, animation=animation))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "w", "enter")  # type-my-own-reply mode
        field = app.screen.query_one("#own-words", Input)
        assert field.has_focus
        assert field.cursor_blink is animation
        if not animation:
            await pilot.pause(0.7)  # longer than a blink: still lit
            assert field._cursor_visible
