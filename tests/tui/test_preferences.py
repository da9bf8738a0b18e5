"""Text the learner reads, and what the app remembers for them (issue 13 §5): the trust
meter, reply mode, feedback timing and theme are kept in the data folder's preferences file;
the theme list offers roleplay's three themes; the briefing speaks of the client with their
own pronouns; the debrief's and the resume offer's words match what the learner chose."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import MINI, RAMP, make_app, open_debrief, press, ready, record_notes, screen_text

from roleplay.session import FeedbackTiming, PracticeOptions
from roleplay.session.replies import PREFERENCES_FILE, Preferences, load_preferences, remember
from roleplay.settings import THEME_NAMES, Settings
from roleplay.tui.screens.briefing import BriefingScreen
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen

MakeSettings = Callable[..., Settings]


async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
    await pilot.pause()


def everything(app: Any) -> str:
    """Every Static on the active screen, scrolled into view or not."""
    return " ".join(" ".join(str(s.render()).split()) for s in app.screen.query(Static))


async def test_the_theme_list_offers_only_roleplays_themes(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert set(app.available_themes) == set(THEME_NAMES)
        app.action_change_theme()
        await pilot.pause(0.3)
        text = screen_text(app)
        assert all(name in text for name in THEME_NAMES)
        assert "textual-dark" not in text and "nord" not in text and "gruvbox" not in text


async def test_a_theme_picked_in_the_app_is_remembered(settings: MakeSettings) -> None:
    made = settings(MINI)
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert not (made.data_dir / PREFERENCES_FILE).exists()  # starting writes nothing
        app.theme = "roleplay-light"  # what the command palette does
        await pilot.pause()
    assert load_preferences(made.data_dir).theme == "roleplay-light"
    again = make_app(made)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert again.theme == "roleplay-light"


async def test_a_remembered_theme_that_is_gone_falls_back_with_a_warning(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    remember(made.data_dir, theme="roleplay-sepia")
    app = make_app(made)
    notes = record_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "roleplay-dark"
        warnings = [text for text, severity in notes if severity == "warning"]
        assert warnings and "roleplay-sepia" in warnings[0] and "roleplay-light" in warnings[0]


async def test_a_hidden_trust_meter_stays_hidden_next_time(settings: MakeSettings) -> None:
    made = settings(MINI)
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen) and not practice.has_class("-meter-hidden")
        await press(pilot, "t")
        assert practice.has_class("-meter-hidden")
        assert load_preferences(made.data_dir).meter is False
        await press(pilot, "1")
        await until(pilot, lambda: practice.engine.step == 1)
        await press(pilot, "escape", "y")  # leave; the next scenario starts hidden too
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await press(pilot, "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        assert app.screen.has_class("-meter-hidden")
    again = make_app(made)  # and so does the next run, resuming included
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "r")  # resume the attempt left above
        await until(pilot, lambda: isinstance(again.screen, PracticeScreen))
        assert again.screen.has_class("-meter-hidden")
        await press(pilot, "t")
        assert not again.screen.has_class("-meter-hidden")
    assert load_preferences(made.data_dir).meter is True


async def test_the_briefing_starts_with_the_feedback_timing_and_reply_mode_last_chosen(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "f", "enter")  # feedback at the end
        assert isinstance(app.screen, PracticeScreen)
    assert load_preferences(made.data_dir) == Preferences(feedback=FeedbackTiming.AT_END)
    saved = json.loads((made.data_dir / PREFERENCES_FILE).read_text(encoding="utf-8"))
    assert saved["feedback"] == "end"
    again = make_app(made)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "n", "enter")
        await until(pilot, lambda: isinstance(again.screen, BriefingScreen))
        briefing = again.screen
        assert isinstance(briefing, BriefingScreen)
        assert briefing.chosen() == PracticeOptions(FeedbackTiming.AT_END, write_first=False)


async def test_the_briefing_uses_the_clients_pronouns(settings: MakeSettings) -> None:
    app = make_app(settings(RAMP, MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        she = everything(app)
        name = briefing.loaded.scenario.client.name
        assert "notice your own reactions as well as hers." in she, name
        await press(pilot, "escape", "down", "enter")
        briefing = app.screen
        assert isinstance(briefing, BriefingScreen)
        assert briefing.loaded.scenario.client.pronouns == "they/them"
        assert "notice your own reactions as well as theirs." in everything(app)


async def test_the_debrief_says_the_feedback_was_chosen_for_the_end(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_debrief(
            pilot, MINI, ["warm", "ask"], PracticeOptions(feedback=FeedbackTiming.AT_END)
        )
        text = everything(app)
        assert "You chose to see the feedback at the end. Here it is" in text
        assert "all feedback now" not in text
