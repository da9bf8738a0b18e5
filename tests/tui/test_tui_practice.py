# mypy: disable-error-code="comparison-overlap"
# (each test checks a state, awaits a key press, then checks the next state; mypy narrows
# across the await and calls the second check impossible)
"""Pilot tests: complete playthroughs in both feedback timings, write-first, rewind,
the typing pause, the trust meter and leaving mid-scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.widgets import TextArea
from tui_helpers import (
    MINI,
    RAMP,
    RecordingSink,
    into_practice,
    make_app,
    press,
    ready,
    screen_text,
)

from roleplay.core.models import Rating
from roleplay.session import FeedbackTiming, Outcome
from roleplay.settings import Settings
from roleplay.tui.screens.briefing import BriefingScreen
from roleplay.tui.screens.debrief import DebriefScreen, DecisionView, Reflection
from roleplay.tui.screens.dialogs import ConfirmDialog, HelpDialog
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.feedback import FeedbackBody, FeedbackCard
from roleplay.tui.widgets.transcript import LearnerMessage, Notice, Typing
from roleplay.tui.widgets.trust_meter import TrustMeter

MakeSettings = Callable[..., Settings]


async def test_full_playthrough_with_immediate_feedback(
    settings: MakeSettings, sink: RecordingSink
) -> None:
    app = make_app(settings(MINI), history=sink)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, BriefingScreen)
        await press(pilot, "enter")  # "Agree and begin" has the focus
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.options.feedback is FeedbackTiming.IMMEDIATE
        assert practice.phase is Phase.CHOOSE
        assert practice.query_one(TrustMeter).value == 40

        await press(pilot, "1")  # warm welcome
        assert practice.phase is Phase.CARD
        card = practice.query_one(FeedbackCard)
        assert card.display
        assert card.feedback is not None and card.feedback.rating is Rating.BUILDS_TRUST
        assert "++ Builds trust" in screen_text(app)  # a symbol and words, not colour alone
        assert "Open and curious." in screen_text(app)
        assert practice.query_one(TrustMeter).value == 50
        assert practice.query_one(TrustMeter).delta == 10

        await press(pilot, "enter")
        assert practice.phase is Phase.CHOOSE
        assert "So, what now?" in screen_text(app)
        await press(pilot, "2")  # "How is this going for you so far?"
        assert card.feedback.rating is Rating.PARTLY_HELPFUL
        assert "+ Partly helpful" in screen_text(app)
        await press(pilot, "enter")
        assert practice.phase is Phase.ENDED
        await press(pilot, "enter")

        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        ending = practice.engine.ending
        assert ending is not None and debrief.debrief.ending == ending
        assert len(debrief.query(DecisionView)) == 2
        text = screen_text(app)
        assert "How it ended" in text and ending.title in text

        attempt = app.journal.attempts[-1]
        assert attempt.outcome is Outcome.FINISHED
        assert attempt.ending_id == ending.id
        assert sink.names() == ["begin", "chose", "chose", "finished"]
        assert all(saved is attempt for _, saved, _ in sink.events)

        # Reflection answers are kept with the attempt.
        area = debrief.query(Reflection).first().query_one(TextArea)
        area.focus()
        await pilot.pause()
        await press(pilot, "o", "k")
        assert attempt.reflections[area.parent.question] == "ok"
        await press(pilot, "escape")  # leaves the box, not the screen
        assert isinstance(app.screen, DebriefScreen)
        assert sink.events[-1][0] == "reflected" and sink.events[-1][2][1] == "ok"
        await press(pilot, "l")  # other questions are unanswered: it asks first
        assert isinstance(app.screen, ConfirmDialog)
        assert "no answer yet" in screen_text(app)
        await press(pilot, "y")
        assert isinstance(app.screen, LibraryScreen)


async def test_full_playthrough_with_feedback_at_the_end(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "f", "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.options.feedback is FeedbackTiming.AT_END
        await press(pilot, "2")  # wrong name: harmful
        # No card: the consequences only, and straight on to the next beat.
        assert practice.phase is Phase.CHOOSE
        assert not practice.query_one(FeedbackCard).display
        assert "It's Sam, actually." in screen_text(app)
        assert "Harmful" not in screen_text(app)
        await press(pilot, "1")  # repair
        assert practice.phase is Phase.ENDED
        await press(pilot, "enter")
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert [r.turn.option_id for r in debrief.debrief.decisions] == ["wrong-name", "repair"]
        assert not debrief.debrief.unrepaired
        # Every decision's feedback is in the debrief.
        bodies = " ".join(str(body.content) for body in debrief.query(FeedbackBody))
        assert "Wrong name." in bodies and "Owns it briefly." in bodies
        # Practise again (from the page; the reflections are unanswered, so it asks first):
        # a fresh attempt with the same options.
        await press(pilot, "escape", "r")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        again = app.screen
        assert isinstance(again, PracticeScreen)
        assert again.options.feedback is FeedbackTiming.AT_END
        assert len(app.journal.attempts) == 2


async def test_rewind_explores_but_the_first_try_counts(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        assert not practice.check_action("rewind", ())  # nothing to go back to yet
        await press(pilot, "2")  # harmful
        assert practice.query_one(TrustMeter).value == 25
        await press(pilot, "u")
        assert practice.phase is Phase.CHOOSE
        assert practice.engine.step == 0
        assert practice.query_one(TrustMeter).value == 40
        assert len(practice.segments) == 1
        assert "Welcome, Stan." not in [m.text for m in practice.query(LearnerMessage)]
        assert practice.query(Notice).filter(".-rewind")
        await press(pilot, "1", "enter", "1", "enter")  # warm, then carry on
        assert practice.phase is Phase.ENDED
        await press(pilot, "u")  # back from the end to the last decision
        assert practice.phase is Phase.CHOOSE and practice.engine.step == 1
        await press(pilot, "2", "enter", "enter")
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        scored = [r.turn.option_id for r in debrief.debrief.decisions]
        explored = [t.option_id for t in debrief.debrief.explorations]
        assert scored == ["wrong-name", "carry-on"]
        assert explored == ["warm", "ask"]
        assert "Explorations after going back (not scored)" in " ".join(
            str(s.content) for s in debrief.query(".heading")
        )


async def test_leaving_mid_scenario_asks_first(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(80, 24)) as pilot:
        practice = await into_practice(pilot)
        await press(pilot, "escape")  # nothing chosen yet: leaves without asking
        assert isinstance(app.screen, LibraryScreen)

        await press(pilot, "enter", "enter", "1")
        assert isinstance(app.screen, PracticeScreen)
        practice = app.screen
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "enter")  # the focused answer is "Stay"
        assert app.screen is practice
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert app.screen is practice and app.is_running
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, LibraryScreen)
        assert app.journal.attempts[-1].outcome is Outcome.LEFT


async def test_quit_mid_scenario_confirmed_exits(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "1")
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
    assert app.return_code == 0
    assert app.journal.attempts[-1].outcome is Outcome.LEFT


async def test_quit_from_library_does_not_ask(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "ctrl+q")
        assert not app.is_running


async def test_typing_pause_is_skipped_by_any_key(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pause that cannot run out while a busy machine gets to the checks below.
    monkeypatch.setattr("roleplay.tui.screens.practice.typing_delay", lambda lines: 3600.0)
    app = make_app(settings(MINI, animation=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "1")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.phase is Phase.PAUSE
        assert practice.query(Typing)
        assert "Sam takes a moment…" in screen_text(app)  # a room, not a chat
        await press(pilot, "x")  # any key: skips, and does nothing else
        assert practice.phase is Phase.CARD
        assert not practice.query(Typing)
        assert "Okay." in screen_text(app)


async def test_trust_meter_hides_and_shows(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        meter = app.screen.query_one(TrustMeter)
        assert meter.display and "Trust" in screen_text(app)
        await press(pilot, "t")
        assert not meter.display
        assert app.screen.engine.band.display not in screen_text(app)
        await press(pilot, "t")
        assert meter.display


async def test_help_lists_the_keys_of_the_screen(settings: MakeSettings) -> None:
    app = make_app(settings(RAMP))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "1", "question_mark")
        assert isinstance(app.screen, HelpDialog)
        text = screen_text(app)
        for expected in ("go on", "previous decision", "Back to the library", "1–9", "Quit"):
            assert expected in text
        await press(pilot, "escape")
        assert isinstance(app.screen, PracticeScreen)


async def test_long_scenario_at_the_smallest_size(settings: MakeSettings) -> None:
    """60x20: options wrap, the meter and the footer stay on screen, nothing crashes."""
    app = make_app(settings(RAMP))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        lines = screen_text(app).splitlines()
        assert "Trust" in lines[0] and "35 Wary" in lines[0]
        assert "1." in screen_text(app) and "3." in screen_text(app)
        assert all(len(line) <= 60 for line in lines)
        await press(pilot, "down", "down", "enter")  # arrows and Enter choose too
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.engine.log[0].option_id == "procedure"
        lines = screen_text(app).splitlines()
        assert "Trust" in lines[0] and "25 Guarded" in lines[0]
        assert any("Feedback" in line and line.rstrip().endswith("╮") for line in lines)
        assert any("Enter continue" in line and line.rstrip().endswith("╯") for line in lines)


def test_a_line_from_another_speaker_is_labelled_as_theirs() -> None:
    from roleplay.core.engine import ShownLine
    from roleplay.tui.widgets.transcript import ClientMessage, line_widgets

    (interpreter,) = line_widgets("Sam", ShownLine(say="He says yes.", speaker="Interpreter"))
    (client,) = line_widgets("Sam", ShownLine(say="Yes.", cue="nods"))
    assert isinstance(interpreter, ClientMessage) and isinstance(client, ClientMessage)
    assert str(interpreter.content).splitlines() == ["Interpreter", "He says yes."]
    assert interpreter.has_class("-other") and not client.has_class("-other")
    assert str(client.content).splitlines() == ["Sam", "(nods)", "Yes."]


async def test_at_60x20_options_and_card_out_of_view_are_announced(
    settings: MakeSettings,
) -> None:
    """On a projector-sized terminal long options and a long card scroll; the screen says
    so, or the last option and the stronger reply go unseen."""
    from roleplay.core.locations import bundled_scenarios_dir
    from roleplay.tui.widgets.choices import ChoiceList

    scenario = bundled_scenarios_dir() / "daughter-interprets.yaml"
    app = make_app(settings(scenario), scenario=str(scenario))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.query_one(ChoiceList).more
        assert "more options: the list scrolls" in screen_text(app)
        await press(pilot, "2")
        card = practice.query_one(FeedbackCard)
        assert card.max_scroll_y > 0
        assert "↓ more · Enter continue" in screen_text(app)
    async with make_app(settings(scenario), scenario=str(scenario)).run_test(
        size=(100, 40)
    ) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        assert "more options" not in screen_text(pilot.app)


async def test_the_card_names_whose_inner_experience_it_gives(settings: MakeSettings) -> None:
    """In a couple session a card can give the other partner's thoughts ("Rob might think:
    ..."): its heading names that person, not the client."""
    from roleplay.core.engine import Engine
    from roleplay.core.loader import load_scenario

    couple = Path(__file__).resolve().parents[2] / "scenarios" / "whose-side.yaml"
    scenario = load_scenario(couple).scenario
    client, other = scenario.client.name, scenario.speakers[-1]
    offered = Engine(scenario).choices()
    number = next(
        i
        for i, choice in enumerate(offered, start=1)
        if choice.option.feedback.inner_experience.startswith(f"{other} might")
    )
    app = make_app(settings(couple))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", str(number))
        assert isinstance(app.screen, PracticeScreen) and app.screen.phase is Phase.CARD
        text = screen_text(app)
        assert f"What {other} might be feeling" in text
        assert f"What {client} might be feeling" not in text


async def test_a_key_press_lays_out_and_paints_once(settings: MakeSettings, tmp_path: Path) -> None:
    """Choosing an option and going on each lay the screen out and paint it once: the
    layout that shows the card (or the next options) is not followed by a second layout
    and an identical repaint. Counted from the third decision on, once the transcript has
    its scrollbar (its arrival is a real second layout: the lines re-wrap a column
    narrower)."""
    from benchmarks.generate import marked

    scenario = tmp_path / "frames.yaml"
    scenario.write_text(yaml.safe_dump(marked("frames", 6), sort_keys=False), encoding="utf-8")
    app = make_app(settings(scenario))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        layouts: list[bool] = []
        paints: list[bool] = []
        lay_out, paint = practice._refresh_layout, practice._compositor_refresh

        def counting_layout(size: Any = None, scroll: bool = False) -> None:
            layouts.append(scroll)
            lay_out(size, scroll)

        def counting_paint() -> None:
            paints.append(True)
            paint()

        practice._refresh_layout = counting_layout  # type: ignore[method-assign]
        practice._compositor_refresh = counting_paint  # type: ignore[method-assign]
        counts = []
        for key in ["1", "enter"] * 5:
            layouts.clear()
            paints.clear()
            await pilot.press(key)
            for _ in range(3):
                await pilot.pause()
            await pilot.pause(0.05)
            await pilot.pause()
            counts.append((len(layouts), len(paints)))
        assert practice.phase is Phase.CHOOSE and "ql005" in screen_text(app)
        assert counts[4:] == [(1, 1)] * 6, counts
