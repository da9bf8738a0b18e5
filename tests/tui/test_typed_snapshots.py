"""SVG snapshots of a typed reply's proposal at 100x30 and 60x20.

Each test's docstring says what the picture must show; check that when a snapshot changes
(``pytest tests/tui/test_typed_snapshots.py --snapshot-update``, then read the SVGs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import MINI, make_app, press, ready

from roleplay.settings import Settings
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase

MakeSettings = Callable[..., Settings]
SnapCompare = Callable[..., bool]


async def _proposed(pilot: Pilot[Any]) -> None:
    """Typed mode in mini.yaml: 'Hi Sam, welcome' typed and sent, the proposal shown."""
    await ready(pilot)
    await press(pilot, "enter", "w", "enter")
    practice = pilot.app.screen
    assert isinstance(practice, PracticeScreen)
    practice.query_one("#own-words", Input).value = "Hi Sam, welcome"
    await press(pilot, "enter")
    for _ in range(400):  # the proposal is found in a thread
        if practice.phase is Phase.PROPOSE:
            break
        await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize(
    "size", [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]
)
def test_typed_reply_proposal(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The learner's words 'Hi Sam, welcome' on the right of the transcript under 'You, in
    your own words'; below, the prompt 'Closest to what you wrote:' and a numbered list:
    1 'Welcome, Sam. What would you like me to know?' (highlighted), 2 'Welcome, Stan.'
    (the runner-up), 3 'None of these: show all replies'; the hint 'Enter confirm · 2 the
    other · 3 show all replies'. No option has been applied: the meter still
    shows the starting trust and there is no client reaction."""
    app = make_app(settings(MINI))
    assert snap_compare(app, terminal_size=size, run_before=_proposed)
