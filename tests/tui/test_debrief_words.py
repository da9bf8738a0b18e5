"""Never lose what the learner wrote in the debrief: the first answer box has the focus,
letters typed into a box are words and never keys, and leaving with unanswered questions
asks first (issue 13 §1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea
from tui_helpers import MINI, make_app, press, ready, screen_text

from roleplay.core.debrief import REACTION_QUESTION
from roleplay.settings import Settings
from roleplay.tui.screens.debrief import DebriefScreen, Reflection
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.library import LibraryScreen

MakeSettings = Callable[..., Settings]


def keys_for(text: str) -> list[str]:
    """The key names that type ``text``."""
    return ["space" if char == " " else char for char in text]


async def finish_mini(pilot: Pilot[Any]) -> DebriefScreen:
    """Play mini.yaml to its debrief (first reply, then the second) and return the screen."""
    await ready(pilot)
    await press(pilot, "enter", "enter", "1", "enter", "2", "enter", "enter")
    debrief = pilot.app.screen
    assert isinstance(debrief, DebriefScreen)
    return debrief


def first_box(debrief: DebriefScreen) -> TextArea:
    return debrief.query(Reflection).first().query_one(TextArea)


@pytest.mark.parametrize("words", ["rough", "A bit shaken", "replay later, plp"])
async def test_words_typed_on_opening_go_into_the_first_box(
    settings: MakeSettings, words: str
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await finish_mini(pilot)
        box = first_box(debrief)
        assert debrief.focused is box
        assert "How it ended" in screen_text(app)  # the page still starts at the top
        await press(pilot, *keys_for(words))
        # `r` did not start a new attempt, `l` did not leave, `p` opened nothing.
        assert app.screen is debrief
        assert box.text == words
        assert app.journal.attempts[-1].reflections == {REACTION_QUESTION: words}
        assert len(app.journal.attempts) == 1


async def test_letters_are_keys_again_once_out_of_the_box(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await finish_mini(pilot)
        assert debrief.check_action("library", ()) is False
        assert debrief.check_action("replay", ()) is False
        await press(pilot, "escape")  # leaves the box, not the screen
        assert app.screen is debrief and not isinstance(debrief.focused, TextArea)
        assert debrief.check_action("library", ()) is True
        await press(pilot, "r")
        assert isinstance(app.screen, ConfirmDialog)


async def test_leaving_with_unanswered_questions_asks_and_can_stay(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await finish_mini(pilot)
        box = first_box(debrief)
        await press(pilot, *keys_for("tired"), "escape", "l")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        unanswered = len(debrief.query(Reflection)) - 1
        assert f"{unanswered} reflection questions have no answer yet" in screen_text(app)
        await press(pilot, "n")  # stay
        assert app.screen is debrief
        assert box.text == "tired"
        await press(pilot, "escape")  # Esc from the page leaves too, and asks too
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert isinstance(app.screen, LibraryScreen)
        assert app.journal.attempts[-1].reflections == {REACTION_QUESTION: "tired"}


async def test_leaving_with_every_question_answered_does_not_ask(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await finish_mini(pilot)
        for number, reflection in enumerate(debrief.query(Reflection)):
            reflection.query_one(TextArea).text = f"answer {number}"
        await pilot.pause()
        await press(pilot, "escape", "l")
        assert isinstance(app.screen, LibraryScreen)


async def test_an_answer_not_yet_passed_on_is_saved_before_leaving(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        debrief = await finish_mini(pilot)
        attempt = app.journal.attempts[-1]
        # Changed straight before leaving, with no time for the change message to arrive.
        first_box(debrief).load_text("still typing")
        debrief.action_replay()
        assert attempt.reflections == {REACTION_QUESTION: "still typing"}
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert len(app.journal.attempts) == 2  # practising again
        assert attempt.reflections == {REACTION_QUESTION: "still typing"}


async def test_on_a_small_screen_the_page_scrolls_and_typing_shows_the_box(
    settings: MakeSettings,
) -> None:
    """On a short window the first answer box is below the fold (a bundled scenario's longer
    ending puts it there at 60x20): PgDn still scrolls the page while the box has the focus,
    and typing brings the box into view so the words are seen landing."""
    from textual.containers import VerticalScroll

    app = make_app(settings(MINI))
    async with app.run_test(size=(60, 12)) as pilot:
        debrief = await finish_mini(pilot)
        body = debrief.query_one("#debrief-body", VerticalScroll)
        box = first_box(debrief)
        assert body.scroll_y == 0 and debrief.focused is box
        await press(pilot, "pagedown")
        assert body.scroll_y > 0 and debrief.focused is box
        await press(pilot, "pageup")
        assert body.scroll_y == 0
        assert not body.region.overlaps(box.region)  # below the fold
        await press(pilot, "o", "k")
        assert box.text == "ok"
        await pilot.pause()
        assert body.region.overlaps(box.region)
