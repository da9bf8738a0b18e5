"""The practice transcript's pieces: the client's lines, the notices after a choice (trust,
rating) and the whole path so far replayed as segments, one per decision."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.content import Content
from textual.widget import Widget

from roleplay.core.engine import Engine, ShownLine, Turn
from roleplay.core.models import Scenario
from roleplay.tui.text import plain, trust_move
from roleplay.tui.widgets.feedback import rating_class, rating_text
from roleplay.tui.widgets.transcript import LearnerMessage, Notice, Segment, line_widgets


def client_lines(name: str, lines: Iterable[ShownLine]) -> list[Widget]:
    """The widgets for lines of the conversation (``name`` is the client's)."""
    widgets: list[Widget] = []
    for line in lines:
        widgets.extend(line_widgets(name, line))
    return widgets


_TYPED_SETTING = re.compile(
    r"\b(?:web ?chat|live chat|online chat|chat (?:service|session|line|window)"
    r"|text(?:ing| messages?)|instant messag\w*|messaging|sms|typed)\b",
    re.IGNORECASE,
)
"""Words in a scenario's setting that say the conversation is written, not spoken."""


def waiting_words(scenario: Scenario) -> str:
    """What the screen says while the client is about to answer: typing in a written chat;
    in a room, on the phone or on video, a pause that fits speech."""
    name = scenario.client.name
    if _TYPED_SETTING.search(scenario.setting):
        return f"{name} is typing…"
    return f"{name} takes a moment…"


def trust_notice(scenario: Scenario, turn: Turn) -> Notice:
    """How trust moved with a choice, and the band it reached."""
    band = scenario.trust.band_for(turn.trust_after).display
    return Notice(
        plain(f"{trust_move(turn.trust_before, turn.trust_after)} · {band}"),
        classes="-trust",
    )


def rating_notice(turn: Turn) -> Notice:
    """The rating of a choice, left in the transcript after its feedback card."""
    rating = turn.feedback.rating
    return Notice(
        Content(f"Feedback: {rating_text(rating)}"),
        classes=f"-rating {rating_class(rating)}",
    )


def own_words(words: str) -> LearnerMessage:
    """What the learner wrote before seeing the options."""
    return LearnerMessage("You, in your own words", words, own_words=True)


def replayed_segments(scenario: Scenario, engine: Engine, *, ratings: bool) -> list[Segment]:
    """The engine's path so far as the transcript shows it: the opening, then for each
    choice the learner's words, the reply, the reaction, trust (and the rating, when
    feedback comes after each choice) and the next lines."""
    name = scenario.client.name
    replay = Engine(scenario)
    segments = [Segment(*client_lines(name, replay.lines()))]
    for turn in engine.path:
        redo = replay.choose(turn.option_id, turn.own_words)
        widgets: list[Widget] = []
        if redo.own_words:
            widgets.append(own_words(redo.own_words))
        widgets.append(LearnerMessage("You", redo.option.text))
        widgets.extend(client_lines(name, redo.reaction))
        widgets.append(trust_notice(scenario, redo))
        if ratings:
            widgets.append(rating_notice(redo))
        widgets.extend(client_lines(name, replay.lines()))
        segments.append(Segment(*widgets))
    return segments
