"""What the app remembers about each attempt, and the hook for storing it.

No Textual here: a later issue stores attempts in SQLite by implementing ``HistorySink``
(one method) and passing it to ``create_app``. Until then attempts, the learner's own
words and reflection answers live in memory in a ``Journal`` the app owns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from roleplay.core.loader import LoadedScenario


class FeedbackTiming(StrEnum):
    """When the feedback card is shown."""

    IMMEDIATE = "immediate"
    """After each choice (the default: best for people new to the skills)."""
    AT_END = "at-end"
    """Only in the debrief; during play the learner sees just the consequences."""


@dataclass(frozen=True)
class PracticeOptions:
    """The learner's choices on the briefing screen."""

    feedback: FeedbackTiming = FeedbackTiming.IMMEDIATE
    write_first: bool = False


class Outcome(StrEnum):
    """How an attempt stands."""

    IN_PROGRESS = "in-progress"
    FINISHED = "finished"
    LEFT = "left"
    """The learner left before the end."""


@dataclass
class OwnWords:
    """What the learner wrote before seeing the options (write-first mode)."""

    step: int
    node_id: str
    words: str
    option_id: str | None = None
    """The option then chosen as closest; None until chosen."""


@dataclass
class Attempt:
    """One play of one scenario."""

    scenario_id: str
    scenario_version: str
    digest: str
    path: str
    options: PracticeOptions
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    ended: datetime | None = None
    outcome: Outcome = Outcome.IN_PROGRESS
    ending_id: str | None = None
    engine_state: dict[str, Any] = field(default_factory=dict)
    """``Engine.to_state()``: replays the whole attempt, rewinds included."""
    own_words: list[OwnWords] = field(default_factory=list)
    reflections: dict[str, str] = field(default_factory=dict)
    """Answers typed in the debrief, by the question they answer."""


class HistorySink(Protocol):
    """Somewhere attempts are kept beyond this run. ``save`` may be called repeatedly for
    the same attempt as it changes; implementations update rather than duplicate."""

    def save(self, attempt: Attempt) -> None:
        """Store (or update) an attempt."""


class NullHistory:
    """Keeps nothing: the default until history storage exists."""

    def save(self, attempt: Attempt) -> None:
        """Do nothing."""


class Journal:
    """The attempts of this run, in memory, passed on to a ``HistorySink``."""

    def __init__(self, sink: HistorySink | None = None) -> None:
        self.sink: HistorySink = sink if sink is not None else NullHistory()
        self.attempts: list[Attempt] = []

    def begin(self, loaded: LoadedScenario, options: PracticeOptions) -> Attempt:
        """Start recording an attempt."""
        attempt = Attempt(
            scenario_id=loaded.scenario.id,
            scenario_version=loaded.scenario.version,
            digest=loaded.digest,
            path=str(loaded.path),
            options=options,
        )
        self.attempts.append(attempt)
        return attempt

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        """Keep the learner's own words for a decision (replacing an earlier draft)."""
        attempt.own_words = [w for w in attempt.own_words if w.step != step or w.option_id]
        attempt.own_words.append(OwnWords(step=step, node_id=node_id, words=words))

    def chose(self, attempt: Attempt, step: int, option_id: str, state: dict[str, Any]) -> None:
        """Note a choice: links pending own words to it and keeps the engine state."""
        for words in attempt.own_words:
            if words.step == step and words.option_id is None:
                words.option_id = option_id
        attempt.engine_state = state

    def finish(self, attempt: Attempt, state: dict[str, Any], ending_id: str | None) -> None:
        """Mark an attempt finished and save it."""
        attempt.engine_state = state
        attempt.ending_id = ending_id
        attempt.outcome = Outcome.FINISHED
        attempt.ended = datetime.now(UTC)
        self.save(attempt)

    def leave(self, attempt: Attempt, state: dict[str, Any]) -> None:
        """Mark an attempt left before its end and save it."""
        attempt.engine_state = state
        attempt.outcome = Outcome.LEFT
        attempt.ended = datetime.now(UTC)
        self.save(attempt)

    def reflect(self, attempt: Attempt, question: str, answer: str) -> None:
        """Keep (in memory) the answer to a debrief question; empty answers are dropped."""
        if answer.strip():
            attempt.reflections[question] = answer
        else:
            attempt.reflections.pop(question, None)

    def save(self, attempt: Attempt) -> None:
        """Pass an attempt to the sink."""
        self.sink.save(attempt)
