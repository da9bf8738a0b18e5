"""Running a scenario with a group: votes in rounds, the thinking timer, and the summary.

A facilitator at a projector shows one moment at a time; the room votes (a show of hands
or counted slips) and the facilitator types the tally in, hidden until they lock it. If
the room is split (no option has more than a set share of the votes) there can be a
discussion and one revote; both rounds are kept. The option the room chose is revealed,
then the group continues with it or with another option the facilitator picks.

No Textual here: the present screen draws this state, and the tests drive it with a fake
clock. Time comes from an injected callable returning monotonic seconds, never from
sleeping, so a timer can be tested by moving the clock.

- ``session``: the settings, the phases and the moves between them (``Facilitation``).
- ``votes``: the lettered options and each round's counts at one decision.
- ``timer``: the countdown, read from the clock.
- ``summary``: the Markdown summary and its private file.
"""

from __future__ import annotations

from roleplay.core.facilitation.session import Facilitation, FacilitationSettings, Phase
from roleplay.core.facilitation.summary import summary_markdown, write_private
from roleplay.core.facilitation.timer import Clock, CountdownTimer, TimerState, clock_text
from roleplay.core.facilitation.votes import (
    LETTERS,
    Decision,
    FacilitationError,
    Offered,
    Round,
)

__all__ = [
    "LETTERS",
    "Clock",
    "CountdownTimer",
    "Decision",
    "Facilitation",
    "FacilitationError",
    "FacilitationSettings",
    "Offered",
    "Phase",
    "Round",
    "TimerState",
    "clock_text",
    "summary_markdown",
    "write_private",
]
