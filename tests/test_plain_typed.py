"""Plain mode with typed replies: words instead of a number get a numbered proposal that is
applied only once confirmed (Enter or y), a number picks another, ``a`` shows every reply."""

from __future__ import annotations

import io
from pathlib import Path

from roleplay.core.loader import load_scenario
from roleplay.plain import PlainSession
from roleplay.session import FeedbackTiming, Journal, PracticeOptions

MINI = Path(__file__).parent / "data" / "mini.yaml"


def _play(answers: list[str], *, typed: bool = False) -> tuple[str, PlainSession, Journal]:
    loaded = load_scenario(MINI)
    journal = Journal()
    options = PracticeOptions(FeedbackTiming.AT_END, write_first=typed)
    attempt = journal.begin(loaded, options)
    out = io.StringIO()
    session = PlainSession(
        loaded.scenario,
        stdin=io.StringIO("\n".join(answers) + "\n"),
        stdout=out,
        options=options,
        style=None,
        journal=journal,
        attempt=attempt,
    )
    session.run()
    return out.getvalue(), session, journal


def _path(session: PlainSession) -> list[str]:
    return [turn.option_id for turn in session.engine.path]


def test_words_instead_of_a_number_get_a_proposal_confirmed_with_enter() -> None:
    text, session, journal = _play(["Hi Sam, welcome", "", "How are you finding this so far?", "y"])
    assert "Closest to what you wrote:" in text
    assert "1. Welcome, Sam. What would you like me to know?" in text
    assert "2. Welcome, Stan." in text and "a. None of these: show all replies" in text
    assert _path(session)[:2] == ["warm", "ask"]
    words = [(w.words, w.option_id) for w in journal.attempts[0].own_words]
    assert words == [("Hi Sam, welcome", "warm"), ("How are you finding this so far?", "ask")]
    assert "Your own words first: Hi Sam, welcome" in text  # the debrief keeps the words


def test_a_number_picks_the_runner_up_and_a_shows_all() -> None:
    text, session, _ = _play(["Hi Sam, welcome", "2", "I got your name wrong, sorry", "a", "1"])
    assert _path(session)[:2] == ["wrong-name", "repair"]
    # The proposal lists the repair as 1, then "a" lists every reply (the repair is 1 again).
    assert text.count("1. I got your name wrong. I'm sorry. Sam.") >= 2
    assert "2. Let's carry on." in text


def test_nothing_close_says_so_and_shows_every_reply() -> None:
    text, session, journal = _play(["what is the weather like", "1", "1"])
    assert "Nothing here is close to what you wrote" in text
    assert _path(session)[0] == "warm"
    assert journal.attempts[0].own_words[0].words == "what is the weather like"


def test_an_unclear_answer_at_the_proposal_asks_again_and_numbers_out_of_range_too() -> None:
    text, session, _ = _play(["9", "Hi Sam, welcome", "maybe", "y", "1"])
    assert "Please type a number from 1 to 2. Or type your reply." in text
    assert "Press Enter (or y) to confirm" in text
    assert _path(session)[0] == "warm"


def test_typed_mode_asks_for_words_before_the_options() -> None:
    text, session, journal = _play(["Hi Sam, welcome", "y", "", "2"], typed=True)
    assert "Type your reply (or press Enter to see the replies)" in text
    first_options = text.index("1. Let's carry on.")  # the options only after Enter alone
    assert text.index("Closest to what you wrote:") < first_options
    assert _path(session)[:2] == ["warm", "ask"]
    assert [w.words for w in journal.attempts[0].own_words] == ["Hi Sam, welcome"]
