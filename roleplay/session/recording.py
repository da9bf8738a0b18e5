"""How each event of a played attempt is written to the history store.

The one path for every front end: ``StoreHistory`` (``roleplay.session.saving``) runs these
on the store's thread for the app, and at once for plain mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.store import Store, StoreError
from roleplay.store.records import Attempt

if TYPE_CHECKING:
    from roleplay.core.engine import Engine, State, Turn


def start(store: Store, attempt: Attempt) -> int:
    """Write a new attempt; returns its number in history."""
    loaded = attempt.loaded
    if loaded is None:
        raise StoreError("this attempt has no scenario to save it under")
    return store.start_attempt(
        scenario_id=loaded.scenario.id,
        scenario_path=str(loaded.path.resolve()),
        scenario_digest=loaded.digest,
        scenario_version=loaded.scenario.version,
        feedback_timing=attempt.feedback_timing,
        write_first=attempt.write_first,
    )


def save_turn(store: Store, attempt_id: int, state: State, turn: Turn) -> None:
    """Save a choice just made (``state``: the engine's right after it)."""
    store.add_choice(
        attempt_id,
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


def save_rewind(store: Store, attempt_id: int, engine: Engine, to_step: int) -> None:
    """Save a rewind just made (``engine`` as it stands after it)."""
    store.add_rewind(attempt_id, to_step, engine.node.id, engine.trust)


def save_finish(store: Store, attempt_id: int, engine: Engine) -> None:
    """Mark the attempt finished with its ending."""
    ending = engine.ending
    store.finish_attempt(attempt_id, ending.id if ending else None, engine.trust)


def save_reflection(store: Store, attempt_id: int, question: str, answer: str) -> None:
    """Save a reflection answer; an empty one removes it."""
    if answer.strip():
        store.save_reflection(attempt_id, question, answer)
    else:
        store.forget_reflection(attempt_id, question)
