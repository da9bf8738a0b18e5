"""Connects a playing engine to the history store: each event is saved as it happens.

Front ends (plain mode, the app) call these few methods; the engine knows nothing of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.core.engine import Engine, ResumeError, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.store.db import Attempt, Store


@dataclass
class Resumed:
    """The outcome of trying to resume: an engine, or why not (the old attempt is kept)."""

    engine: Engine | None
    attempt: Attempt
    problem: str | None = None


class Recorder:
    """Saves one attempt at one scenario."""

    def __init__(self, store: Store, loaded: LoadedScenario, attempt_id: int) -> None:
        self.store = store
        self.loaded = loaded
        self.attempt_id = attempt_id

    @classmethod
    def begin(
        cls, store: Store, loaded: LoadedScenario, *, feedback_timing: str, write_first: bool
    ) -> Recorder:
        """Start recording a new attempt."""
        attempt_id = store.start_attempt(
            scenario_id=loaded.scenario.id,
            scenario_path=str(loaded.path.resolve()),
            scenario_digest=loaded.digest,
            scenario_version=loaded.scenario.version,
            feedback_timing=feedback_timing,
            write_first=write_first,
        )
        return cls(store, loaded, attempt_id)

    def turn(self, engine: Engine, turn: Turn, *, finish_at_end: bool = True) -> None:
        """Save a choice just made. At an ending the attempt is marked finished, unless
        ``finish_at_end`` is False (the app can still go back from the end, so it finishes
        when the learner moves on to the debrief)."""
        state = engine.state
        self.store.add_choice(
            self.attempt_id,
            node_id=turn.node_id,
            option_id=turn.option_id,
            own_words=turn.own_words,
            trust_before=turn.trust_before,
            trust_after=turn.trust_after,
            flags=sorted(state.flags),
            ruptures={name: status.value for name, status in state.ruptures.items()},
            exploration=turn.exploration,
            rating=turn.feedback.rating.value,
            option_text=turn.option.text,
        )
        if finish_at_end and engine.finished:
            self.finish(engine)

    def rewind(self, engine: Engine, to_step: int) -> None:
        """Save a rewind just made."""
        self.store.add_rewind(self.attempt_id, to_step, engine.node.id, engine.trust)

    def finish(self, engine: Engine) -> None:
        """Mark the attempt finished with its ending."""
        ending = engine.ending
        self.store.finish_attempt(self.attempt_id, ending.id if ending else None, engine.trust)

    def reflection(self, prompt: str, answer: str) -> None:
        """Save a reflection answer."""
        self.store.save_reflection(self.attempt_id, prompt, answer)

    def words(self, step: int, node_id: str, words: str) -> None:
        """Save words written first at a decision not yet made (write-first mode)."""
        self.store.save_draft(self.attempt_id, step, node_id, words)

    def set_aside(self) -> None:
        """Keep this unfinished attempt in history but stop offering it for resume."""
        self.store.set_aside(self.attempt_id)


def resume(store: Store, loaded: LoadedScenario, attempt: Attempt) -> Resumed:
    """Rebuild the engine of a saved attempt on the scenario as it is now."""
    try:
        engine = Engine.from_state(loaded.scenario, store.engine_state(attempt))
    except ResumeError as exc:
        changed = attempt.scenario_digest != loaded.digest
        why = "the scenario file has changed since" if changed else "it cannot be replayed"
        return Resumed(
            None,
            attempt,
            f"Attempt {attempt.id} cannot be resumed: {why} ({exc}). "
            "It is kept in your history; you can start afresh.",
        )
    return Resumed(engine, attempt)


def latest_unfinished(store: Store, scenario_id: str) -> Attempt | None:
    """The newest unfinished attempt at a scenario, if any."""
    for attempt in store.attempts(scenario_id):
        if not attempt.finished:
            return attempt
    return None
