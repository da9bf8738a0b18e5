"""What the app remembers about each attempt, and the hook for storing it.

No Textual here. Screens tell the app's ``Journal`` each thing the learner does (words
written first, a choice, a rewind, the end, a reflection); the journal keeps the attempt in
memory and passes each event at once to a ``HistorySink``. The app's sink saves to SQLite
(``roleplay.tui.saving``); the engine knows nothing of any of this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from roleplay.core.engine import Engine, Turn
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
    loaded: LoadedScenario | None = field(default=None, repr=False, compare=False)
    """The scenario as played (None for a saved attempt whose scenario is gone)."""
    history_id: int | None = None
    """The attempt's number in the history store, once saved there."""
    problem: str | None = None
    """Why this attempt is not being saved, if it is not (set by the sink)."""


class HistorySink(Protocol):
    """Somewhere attempts are kept beyond this run. Each method is one event, called the
    moment it happens; an implementation saves it then (a crash later loses nothing)."""

    persistent: bool
    """Whether attempts outlive the app (False for the in-memory default)."""

    def begin(self, attempt: Attempt) -> None:
        """A new attempt started (``attempt.loaded`` is set)."""

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        """Words written first at a decision not yet made."""

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        """A choice was just made."""

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        """The learner went back to before decision ``to_step``."""

    def finished(self, attempt: Attempt, engine: Engine) -> None:
        """The attempt reached its end and the learner moved on."""

    def reflected(self, attempt: Attempt, question: str, answer: str) -> None:
        """A reflection answer changed (an empty answer removes it)."""

    def set_aside(self, attempt: Attempt) -> None:
        """Keep an unfinished attempt but stop offering it for resume."""


class NullHistory:
    """Keeps nothing beyond memory (tests, and a sink to fall back on)."""

    persistent = False

    def begin(self, attempt: Attempt) -> None:
        """Do nothing."""

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        """Do nothing."""

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        """Do nothing."""

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        """Do nothing."""

    def finished(self, attempt: Attempt, engine: Engine) -> None:
        """Do nothing."""

    def reflected(self, attempt: Attempt, question: str, answer: str) -> None:
        """Do nothing."""

    def set_aside(self, attempt: Attempt) -> None:
        """Do nothing."""


def stored_timing(timing: FeedbackTiming) -> str:
    """Feedback timing as the history store and ``roleplay play --feedback`` spell it."""
    return "end" if timing is FeedbackTiming.AT_END else "immediate"


def timing_from_store(value: str) -> FeedbackTiming:
    """The inverse of ``stored_timing`` (either spelling of 'at the end' is accepted)."""
    return FeedbackTiming.AT_END if value in ("end", "at-end") else FeedbackTiming.IMMEDIATE


class Journal:
    """The attempts of this run, in memory; each event is passed on to a ``HistorySink``."""

    def __init__(self, sink: HistorySink | None = None) -> None:
        self.sink: HistorySink = sink if sink is not None else NullHistory()
        self.attempts: list[Attempt] = []

    def keeps(self, attempt: Attempt) -> bool:
        """Whether this attempt is being saved beyond this run."""
        return self.sink.persistent and attempt.problem is None

    def begin(self, loaded: LoadedScenario, options: PracticeOptions) -> Attempt:
        """Start recording an attempt."""
        attempt = Attempt(
            scenario_id=loaded.scenario.id,
            scenario_version=loaded.scenario.version,
            digest=loaded.digest,
            path=str(loaded.path),
            options=options,
            loaded=loaded,
        )
        self.attempts.append(attempt)
        self.sink.begin(attempt)
        return attempt

    def adopt(
        self,
        loaded: LoadedScenario | None,
        *,
        scenario_id: str,
        history_id: int,
        options: PracticeOptions,
        engine: Engine | None = None,
        reflections: dict[str, str] | None = None,
        finished: bool = False,
    ) -> Attempt:
        """Take up an attempt saved earlier (to resume it, or to open its debrief): later
        events are saved to the same attempt."""
        attempt = Attempt(
            scenario_id=scenario_id,
            scenario_version=loaded.scenario.version if loaded else "",
            digest=loaded.digest if loaded else "",
            path=str(loaded.path) if loaded else "",
            options=options,
            outcome=Outcome.FINISHED if finished else Outcome.IN_PROGRESS,
            engine_state=engine.to_state() if engine else {},
            reflections=dict(reflections or {}),
            loaded=loaded,
            history_id=history_id,
        )
        self.attempts.append(attempt)
        return attempt

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        """Keep the learner's own words for a decision (replacing an earlier draft)."""
        attempt.own_words = [w for w in attempt.own_words if w.step != step or w.option_id]
        attempt.own_words.append(OwnWords(step=step, node_id=node_id, words=words))
        self.sink.wrote(attempt, step, node_id, words)

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        """Note a choice: links pending own words to it and keeps the engine state."""
        for words in attempt.own_words:
            if words.step == turn.step and words.option_id is None:
                words.option_id = turn.option_id
        attempt.engine_state = engine.to_state()
        self.sink.chose(attempt, engine, turn)

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        """Note a rewind to before decision ``to_step``."""
        attempt.engine_state = engine.to_state()
        self.sink.rewound(attempt, engine, to_step)

    def finish(self, attempt: Attempt, engine: Engine) -> None:
        """Mark an attempt finished (once: leaving the end and opening the debrief agree)."""
        attempt.engine_state = engine.to_state()
        if attempt.outcome is Outcome.FINISHED:
            return
        ending = engine.ending
        attempt.ending_id = ending.id if ending else None
        attempt.outcome = Outcome.FINISHED
        attempt.ended = datetime.now(UTC)
        self.sink.finished(attempt, engine)

    def leave(self, attempt: Attempt, engine: Engine) -> None:
        """Mark an attempt left before its end (what was done so far is already saved)."""
        attempt.engine_state = engine.to_state()
        attempt.outcome = Outcome.LEFT
        attempt.ended = datetime.now(UTC)

    def reflect(self, attempt: Attempt, question: str, answer: str) -> None:
        """Keep the answer to a debrief question; an emptied answer is removed."""
        if answer.strip():
            attempt.reflections[question] = answer
        else:
            attempt.reflections.pop(question, None)
        self.sink.reflected(attempt, question, answer)

    def set_aside(self, attempt: Attempt) -> None:
        """Keep an unfinished attempt in history without offering it for resume again."""
        self.sink.set_aside(attempt)
