"""The attempts of this run, and the hook for keeping them.

A front end (the app's screens, plain mode) tells the ``Journal`` each thing the learner
does: words written first, a choice, a rewind, the end, a reflection. The journal keeps the
attempt in memory and passes each event at once to a ``HistorySink``; ``StoreHistory``
(``roleplay.session.saving``) saves it to SQLite. The engine knows nothing of this.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from roleplay.core.engine import Engine, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.session.review import SavedAttempt
from roleplay.store.records import Attempt, Outcome, OwnWords, PracticeOptions, now_stamp


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
            scenario_path=str(loaded.path.resolve()),
            scenario_digest=loaded.digest,
            scenario_version=loaded.scenario.version,
            feedback_timing=options.feedback,
            write_first=options.write_first,
            loaded=loaded,
        )
        self.attempts.append(attempt)
        self.sink.begin(attempt)
        return attempt

    def adopt(
        self,
        saved: Attempt,
        loaded: LoadedScenario | None,
        *,
        engine: Engine | None = None,
        reflections: dict[str, str] | None = None,
    ) -> Attempt:
        """Take up an attempt read from history (to resume it, or to open its debrief):
        later events are saved to the same attempt. ``saved`` itself is left as read."""
        attempt = replace(
            saved,
            engine_state=engine.to_state() if engine else {},
            own_words=[],
            reflections=dict(reflections or {}),
            loaded=loaded,
            problem=None,
        )
        self.attempts.append(attempt)
        return attempt

    def take_up(self, saved: SavedAttempt) -> Attempt:
        """Adopt an attempt opened from history with its engine and reflections."""
        return self.adopt(
            saved.attempt,
            saved.loaded,
            engine=saved.engine,
            reflections={r.prompt: r.answer for r in saved.reflections},
        )

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
        attempt.final_trust = engine.trust
        attempt.outcome = Outcome.FINISHED
        attempt.finished_at = now_stamp()
        self.sink.finished(attempt, engine)

    def leave(self, attempt: Attempt, engine: Engine) -> None:
        """Mark an attempt left before its end (what was done so far is already saved)."""
        attempt.engine_state = engine.to_state()
        attempt.outcome = Outcome.LEFT

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
