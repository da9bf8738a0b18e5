"""Pilot tests of typed replies: type -> propose -> confirm -> feedback, the runner-up,
"None of these", nothing close, rewind keeping the words, the reply mode remembered, and
single-letter keys inert while the learner types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import MINI, make_app, press, ready, screen_text

from roleplay.session.replies import PREFERENCES_FILE
from roleplay.settings import Settings
from roleplay.tui.screens.briefing import BriefingScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.transcript import LearnerMessage

MakeSettings = Callable[..., Settings]


async def until(pilot: Pilot[Any], ready_now: Callable[[], bool]) -> None:
    """Let the app run until a condition holds (the proposal is found in a thread)."""
    for _ in range(400):
        if ready_now():
            return
        await pilot.pause()
    raise AssertionError("the screen never got there")


async def typed_practice(pilot: Pilot[Any]) -> PracticeScreen:
    """From the library: the first scenario (mini) in typed mode, at its first decision."""
    await ready(pilot)
    await press(pilot, "enter", "w", "enter")
    practice = pilot.app.screen
    assert isinstance(practice, PracticeScreen)
    assert practice.options.write_first
    return practice


async def send(pilot: Pilot[Any], practice: PracticeScreen, words: str) -> None:
    practice.query_one("#own-words", Input).value = words
    await press(pilot, "enter")
    await until(pilot, lambda: practice.phase in (Phase.PROPOSE, Phase.CHOOSE))
    await pilot.pause()


def ids(practice: PracticeScreen) -> list[str]:
    return [turn.option_id for turn in practice.engine.path]


def own(practice: PracticeScreen) -> list[str]:
    return [m.text for m in practice.query(LearnerMessage) if m.has_class("-own-words")]


async def test_type_propose_confirm_then_feedback(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        assert practice.phase is Phase.WRITE
        assert practice.query_one("#own-words", Input).has_focus
        await press(pilot, "enter")  # nothing typed: asked again
        assert practice.phase is Phase.WRITE and "Type a few words first" in screen_text(app)
        await pilot.press(*"Hi Sam")  # typed for real once
        await send(pilot, practice, "Hi Sam, welcome")
        assert own(practice) == ["Hi Sam, welcome"]  # their message in the transcript
        assert practice.phase.value == "propose"  # (mypy narrowed the phase above)
        text = screen_text(app)
        assert "Closest to what you wrote:" in text
        assert "Welcome, Sam. What would you like me to know?" in text
        assert "Welcome, Stan." in text  # the runner-up
        assert "None of these: show all replies" in text
        assert practice.engine.step == 0  # nothing applied before confirming
        await press(pilot, "enter")  # confirms the proposal
        await until(pilot, lambda: practice.phase is Phase.CARD)
        assert ids(practice) == ["warm"]
        assert "Builds trust" in screen_text(app)
        attempt = app.journal.attempts[-1]
        assert [(w.words, w.option_id) for w in attempt.own_words] == [("Hi Sam, welcome", "warm")]


async def test_the_runner_up_by_its_number_and_words_in_the_debrief(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "Hi Sam, welcome")
        await press(pilot, "2")  # the runner-up: 'Welcome, Stan.'
        await until(pilot, lambda: practice.phase is Phase.CARD)
        assert ids(practice) == ["wrong-name"]
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase is Phase.WRITE)
        await send(pilot, practice, "Sorry, I said your name wrong, Sam")
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase in (Phase.CARD, Phase.ENDED))
        assert ids(practice) == ["wrong-name", "repair"]
        while practice.phase is not Phase.ENDED:
            await press(pilot, "enter")
            if practice.phase is Phase.WRITE:
                await send(pilot, practice, "How is this going for you so far?")
                await press(pilot, "enter")
            await until(pilot, lambda: practice.phase in (Phase.CARD, Phase.ENDED))
        await press(pilot, "enter")
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        words = [r.turn.own_words for r in debrief.debrief.decisions]
        assert words[:2] == ["Hi Sam, welcome", "Sorry, I said your name wrong, Sam"]
        shown = [str(s.content) for s in debrief.query(".own-words").results(Static)]
        assert any("Hi Sam, welcome" in line for line in shown)


async def test_none_of_these_shows_every_reply(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "Hi Sam, welcome")
        proposal = practice.proposal
        assert proposal is not None
        await press(pilot, str(len(proposal.offered) + 1))
        assert practice.phase is Phase.CHOOSE
        listing = practice.query_one(ChoiceList)
        assert [i.text for i in listing.items] == [c.text for c in practice.engine.choices()]
        assert "closest to what you wrote" in screen_text(app)
        assert practice.engine.step == 0
        await press(pilot, "2")
        await until(pilot, lambda: practice.phase is Phase.CARD)
        assert ids(practice) == ["wrong-name"]
        assert app.journal.attempts[-1].own_words[0].option_id == "wrong-name"


async def test_nothing_close_says_so_and_shows_every_reply(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "what is the weather like")
        assert practice.phase is Phase.CHOOSE
        assert "Nothing here is close to what you wrote" in screen_text(app)
        assert len(practice.query_one(ChoiceList).items) == len(practice.engine.choices())
        assert own(practice) == ["what is the weather like"]


async def test_rewind_keeps_what_was_typed(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "hello there stan")
        await press(pilot, "enter")  # confirms 'Welcome, Stan.'
        await until(pilot, lambda: practice.phase is Phase.CARD)
        await press(pilot, "u")
        assert practice.phase is Phase.WRITE and practice.engine.step == 0
        field = practice.query_one("#own-words", Input)
        assert field.value == "hello there stan"  # offered again, to edit or replace
        assert own(practice) == ["hello there stan"]  # still in the transcript
        await send(pilot, practice, "Hi Sam, welcome")
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase is Phase.CARD)
        turns = [t.own_words for t in practice.engine.log]
        assert turns == ["hello there stan", "Hi Sam, welcome"]  # every version kept
        assert own(practice) == ["hello there stan", "Hi Sam, welcome"]


async def test_letters_are_inert_while_typing(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "hello there stan")
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase is Phase.CARD)
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase is Phase.WRITE)
        step = practice.engine.step
        await press(pilot, "u", "t", "1", "2")  # rewind, meter, options: all just letters
        assert practice.query_one("#own-words", Input).value == "ut12"
        assert practice.engine.step == step and practice.phase is Phase.WRITE
        assert not practice.has_class("-meter-hidden")


async def test_the_reply_mode_is_remembered(settings: MakeSettings) -> None:
    first = settings(MINI)
    app = make_app(first)
    async with app.run_test(size=(100, 30)) as pilot:
        await typed_practice(pilot)
    assert (first.data_dir / PREFERENCES_FILE).exists()
    again = make_app(first)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        briefing = again.screen
        assert isinstance(briefing, BriefingScreen)
        assert briefing.chosen().write_first


async def test_a_resumed_attempt_keeps_typed_mode_and_proposes_for_its_words(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        await send(pilot, practice, "hello there stan")  # typed, not yet confirmed
        app.store.flush()
    again = make_app(made, scenario="mini", resume=True)
    async with again.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(again.screen, PracticeScreen))
        resumed = again.screen
        assert isinstance(resumed, PracticeScreen)
        assert resumed.options.write_first  # the mode was saved with the attempt
        await until(pilot, lambda: resumed.phase is Phase.PROPOSE)
        assert own(resumed) == ["hello there stan"]
        assert resumed.proposal is not None and resumed.proposal.closest is not None
        assert resumed.proposal.closest.id == "wrong-name"
        assert resumed.engine.step == 0  # still waiting for the learner's confirmation


async def test_a_reply_pasted_on_several_lines_keeps_every_line(settings: MakeSettings) -> None:
    """Pasted into the reply box, a reply written on several lines arrives whole, its lines
    joined by spaces (blank lines dropped), at the cursor; it is proposed for as typed."""
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await typed_practice(pilot)
        field = practice.query_one("#own-words", Input)
        field.value = "So: "
        field.cursor_position = len(field.value)
        field.post_message(events.Paste("hello there\n\n  stan, welcome\r\n"))
        await pilot.pause()
        assert field.value == "So: hello there stan, welcome"
        await press(pilot, "enter")
        await until(pilot, lambda: practice.phase in (Phase.PROPOSE, Phase.CHOOSE))
        assert practice.words == "So: hello there stan, welcome"
