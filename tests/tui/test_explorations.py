"""The one rule for first tries and explorations on screen: the History panel and Compare
show the first try at each decision, and list a choice made after going back beside it,
labelled "exploration after going back"."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import history_kit
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import MINI, into_history, make_app, press, ready, screen_text

from roleplay.core.debrief import REPAIR_EXPLORATION_LABEL
from roleplay.core.loader import load_scenario
from roleplay.session.review import EXPLORATION_LABEL
from roleplay.settings import Settings
from roleplay.store import Store
from roleplay.tui.screens.compare import CompareScreen
from roleplay.tui.screens.history import HistoryScreen
from roleplay.tui.screens.resume import ChoiceDialog
from roleplay.tui.screens.saved_attempt import SavedDebriefScreen, SavedRecordScreen

MakeSettings = Callable[..., Settings]


def play(store: Store, *moves: str | int) -> int:
    """Save an attempt at mini.yaml (see ``history_kit.play``)."""
    return history_kit.play(store, load_scenario(MINI), *moves)


def flat(text: str) -> str:
    """Screen text as one line, without the panels' borders (lines wrap inside them)."""
    return " ".join(text.replace("│", " ").split())


async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
    await pilot.pause()


async def test_history_and_compare_show_the_first_try_and_label_the_exploration(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    store = Store(made.data_dir)
    # #1: warm first, then back to the start for wrong-name (an exploration), then repair.
    explored = play(store, "warm", 0, "wrong-name", "repair")
    other = play(store, "warm", "ask")
    store.close()
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        if isinstance(app.screen, ChoiceDialog):
            await press(pilot, "n")
        await press(pilot, "h")
        await ready(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await press(pilot, "down")  # the list is newest first: #2, then #1
        current = history.current()
        assert current is not None and current.attempt.id == explored
        panel = flat(screen_text(app))
        path = panel.split("Path", 1)[1].split("Reflections", 1)[0]
        # The first try is step 1; the exploration is beside it, labelled, not numbered.
        assert "1. ++ “Welcome, Sam." in path and "2. " in path and "3. " not in path
        assert f"↺ !! “Welcome, Stan.” ({EXPLORATION_LABEL})" in path
        await press(pilot, "c")  # one other attempt: straight to compare
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        view = app.screen
        assert isinstance(view, CompareScreen)
        assert (view.left.attempt.id, view.right.attempt.id) == (explored, other)
        first = view.comparison.pairs[0]
        assert first.left is not None and first.left.option_id == "warm"  # the first try
        assert first.same  # both first chose warm, whatever #1 explored later
        assert view.comparison.split == 2
        text = flat(screen_text(app))
        assert f"↺ “Welcome, Stan.” ({EXPLORATION_LABEL})" in text
        assert "Both made the same first choice" in text


async def test_a_repair_made_in_an_exploration_is_marked_in_history(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """History's debrief of the attempt, and the saved record once the scenario changed,
    both mark the repair as made in an exploration (issue 13 §2)."""
    scenario = tmp_path / "s" / "mini.yaml"
    scenario.parent.mkdir()
    shutil.copy(MINI, scenario)
    made = settings(scenario)
    store = Store(made.data_dir)
    play_at(store, scenario, "wrong-name", "carry-on", 1, "repair")
    store.close()
    marked = f"Name missed ({REPAIR_EXPLORATION_LABEL})"
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SavedDebriefScreen))
        assert f"✓ {marked}" in flat(screen_text_all(app))
    # The scenario changes: the saved record still marks the repair on the explored step.
    scenario.write_text(MINI.read_text().replace("id: carry-on", "id: carry-on-2"))
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SavedRecordScreen))
        text = flat(screen_text_all(app))
        assert f"✓ Repaired: {marked}" in text
        assert text.count("Repaired:") == 1


def play_at(store: Store, path: Path, *moves: str | int) -> int:
    return history_kit.play(store, load_scenario(path), *moves)


def screen_text_all(app: Any) -> str:
    """Every Static on the active screen, scrolled or not (the debrief is long)."""
    return "\n".join(str(static.render()) for static in app.screen.query(Static))
