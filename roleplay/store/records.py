"""What history holds: an attempt, its steps, reflections and draft, and how it was practised.

These are the one set of record types: the store reads and writes them, the application
layer (``roleplay.session``) plays and reviews them, the front ends show them. An
``Attempt`` is the same object whether it is being played now or was read back from
history; the fields after ``set_aside_at`` exist only in memory while it is played.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roleplay.core.loader import LoadedScenario


def now_stamp() -> str:
    """The time now as history keeps it: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackTiming(StrEnum):
    """When the feedback card is shown (saved in history by its value)."""

    IMMEDIATE = "immediate"
    """After each choice (the default: best for people new to the skills)."""
    AT_END = "end"
    """Only in the debrief; during play the learner sees just the consequences."""

    @classmethod
    def _missing_(cls, value: object) -> FeedbackTiming | None:
        # An early build of the app spelt 'at the end' this way.
        return cls.AT_END if value == "at-end" else None


@dataclass(frozen=True)
class PracticeOptions:
    """How the learner chose to practise (on the briefing screen or the command line)."""

    feedback: FeedbackTiming = FeedbackTiming.IMMEDIATE
    write_first: bool = False


class Outcome(StrEnum):
    """How an attempt stands."""

    IN_PROGRESS = "in-progress"
    FINISHED = "finished"
    LEFT = "left"
    """The learner left before the end (in memory only: history sees it as unfinished)."""


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
    """One go at one scenario, being played or read back from history."""

    scenario_id: str
    scenario_path: str
    scenario_digest: str
    scenario_version: str
    feedback_timing: FeedbackTiming
    write_first: bool
    started_at: str = field(default_factory=now_stamp)
    finished_at: str | None = None
    ending_id: str | None = None
    final_trust: int | None = None
    set_aside_at: str | None = None
    """When the learner chose not to resume it (it stays in history)."""
    id: int | None = None
    """The attempt's number in history; None until its first event is saved."""
    # -- in memory only, while it is played --------------------------------------------
    outcome: Outcome = Outcome.IN_PROGRESS
    engine_state: dict[str, Any] = field(default_factory=dict)
    """``Engine.to_state()``: replays the whole attempt, rewinds included."""
    own_words: list[OwnWords] = field(default_factory=list)
    reflections: dict[str, str] = field(default_factory=dict)
    """Answers typed in the debrief, by the question they answer."""
    loaded: LoadedScenario | None = field(default=None, repr=False, compare=False)
    """The scenario as played (None for a saved attempt whose scenario is not at hand)."""
    problem: str | None = None
    """Why this attempt is not being saved, if it is not."""

    def saved_id(self) -> int:
        """Its number in history (ValueError if it has not been saved: a bug)."""
        if self.id is None:
            raise ValueError("this attempt has not been saved to history")
        return self.id

    @property
    def finished(self) -> bool:
        """Whether the attempt reached an ending."""
        return self.finished_at is not None

    @property
    def set_aside(self) -> bool:
        """Whether the learner set this unfinished attempt aside (not offered for resume)."""
        return self.set_aside_at is not None

    @property
    def options(self) -> PracticeOptions:
        """How it was practised."""
        return PracticeOptions(self.feedback_timing, self.write_first)

    def saved_fields(self) -> dict[str, Any]:
        """What history keeps of it, by column name (for JSON listings)."""
        return {
            "id": self.id,
            "scenario_id": self.scenario_id,
            "scenario_path": self.scenario_path,
            "scenario_digest": self.scenario_digest,
            "scenario_version": self.scenario_version,
            "feedback_timing": self.feedback_timing.value,
            "write_first": self.write_first,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "ending_id": self.ending_id,
            "final_trust": self.final_trust,
            "set_aside_at": self.set_aside_at,
        }


@dataclass(frozen=True)
class Step:
    """One saved event: a choice (with what it changed) or a rewind."""

    seq: int
    kind: str
    node_id: str
    option_id: str
    own_words: str | None
    trust_before: int
    trust_after: int
    flags: list[str]
    ruptures: dict[str, str]
    exploration: bool
    rating: str
    at: str
    rewind_to: int | None
    option_text: str | None


@dataclass(frozen=True)
class Draft:
    """Words written first (write-first mode) at a decision not yet made."""

    step: int
    node_id: str
    words: str
    at: str


@dataclass(frozen=True)
class Reflection:
    """A learner's answer to a reflection prompt."""

    prompt: str
    answer: str
    at: str


CHOICE_COLUMNS = (
    "attempt_id",
    "scenario_id",
    "started_at",
    "finished_at",
    "ending_id",
    "final_trust",
    "seq",
    "node_id",
    "option_id",
    "option_text",
    "own_words",
    "rating",
    "trust_before",
    "trust_after",
    "exploration",
    "at",
)
"""The fields of each row ``Store.choice_rows`` yields, in order."""
