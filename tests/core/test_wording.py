"""Quoting author text once, shortening at a word boundary, and the pivotal questions."""

from __future__ import annotations

from scenario_kit import MINI

from roleplay.core.debrief import build_debrief
from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.core.wording import quoted, shortened


def test_text_already_in_quotes_is_not_quoted_again() -> None:
    assert quoted("Fine.") == "“Fine.”"
    assert quoted('  "Fine," she said. "Fine."  ') == '"Fine," she said. "Fine."'
    assert quoted("“Already curly.”") == "“Already curly.”"


def test_shortened_cuts_between_words_without_trailing_punctuation() -> None:
    text = "I know people not turning up can be really hard, and I am sorry it was me today."
    short = shortened(text, 40)
    assert len(short) <= 40 and short.endswith("…")
    assert short == "I know people not turning up can be…"
    assert shortened("Short enough.", 40) == "Short enough."


def test_pivotal_questions_for_a_learner_and_for_a_room() -> None:
    loaded = load_scenario(MINI)
    engine = Engine(loaded.scenario)
    engine.choose("wrong-name")
    alone = build_debrief(engine).pivotal[0].question
    room = build_debrief(engine, group=True).pivotal[0].question
    assert " you said “" in alone and "What were you weighing" in alone
    assert " the group went with “" in room and "you said" not in room
    assert "”." not in alone and "”." not in room  # no stray full stop after the quote
