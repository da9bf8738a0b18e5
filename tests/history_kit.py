"""Saving attempts straight into a store for tests, through the same path the app and plain
mode use (``Journal`` -> ``StoreHistory`` -> the store), run at once on a given ``Store``;
and a random long history written straight to a store (``random_history``)."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from roleplay.core.engine import Engine, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.session import FeedbackTiming, Journal, PracticeOptions, StoreHistory
from roleplay.store import Store

T = TypeVar("T")


class OnStore:
    """A ``StoreRunner`` that runs each job at once on one given store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(job(self.store))
        except BaseException as exc:
            future.set_exception(exc)
        return future

    def flush(self) -> None:
        """Nothing is queued."""

    def close(self) -> None:
        """The store is the caller's to close."""


class Recorder:
    """One attempt at one scenario, saved event by event as it is played."""

    def __init__(
        self,
        store: Store,
        loaded: LoadedScenario,
        attempt_id: int | None = None,
        *,
        options: PracticeOptions | None = None,
    ) -> None:
        self.problems: list[str] = []
        self.journal = Journal(StoreHistory(OnStore(store), self.problems.append))
        saved = store.attempt(attempt_id) if attempt_id is not None else None
        if saved is not None:
            self.attempt = self.journal.adopt(saved, loaded)
        else:
            self.attempt = self.journal.begin(loaded, options or PracticeOptions())

    @classmethod
    def begin(
        cls,
        store: Store,
        loaded: LoadedScenario,
        *,
        feedback_timing: FeedbackTiming = FeedbackTiming.IMMEDIATE,
        write_first: bool = False,
    ) -> Recorder:
        """A new attempt (written to the store with its first event, as in the app)."""
        return cls(store, loaded, options=PracticeOptions(feedback_timing, write_first))

    @property
    def attempt_id(self) -> int:
        """The attempt's number in history."""
        return self.attempt.saved_id()

    def turn(self, engine: Engine, turn: Turn, *, finish_at_end: bool = True) -> None:
        """A choice just made; at an ending the attempt is finished unless told not to."""
        self.journal.chose(self.attempt, engine, turn)
        if finish_at_end and engine.finished:
            self.journal.finish(self.attempt, engine)

    def rewind(self, engine: Engine, to_step: int) -> None:
        self.journal.rewound(self.attempt, engine, to_step)

    def finish(self, engine: Engine) -> None:
        self.journal.finish(self.attempt, engine)

    def reflection(self, prompt: str, answer: str) -> None:
        self.journal.reflect(self.attempt, prompt, answer)

    def words(self, step: int, node_id: str, words: str) -> None:
        self.journal.wrote(self.attempt, step, node_id, words)


def play(store: Store, loaded: LoadedScenario, *moves: str | int) -> int:
    """Save an attempt: an option id is a choice, an int goes back to that decision."""
    recorder = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    for move in moves:
        if isinstance(move, int):
            engine.rewind(move)
            recorder.rewind(engine, move)
        else:
            recorder.turn(engine, engine.choose(move))
    return recorder.attempt_id


HOSTILE_TEXTS = [
    "Hi Sam, I'm Alex.",
    '=HYPERLINK("http://x")',
    "+1 and -1",
    "@SUM(1+1)",
    "line one\nline two",
    "\ttabbed",
    "\rreturn",
    "esc \x1b[2J here",
    "bidi \u202e reversed",
    'say "hello", then \\ leave',
    "Ngā mihi; مرحبا; 👩‍⚕️",
    "zero\u200bwidth",
    "",
]
"""Text a hostile scenario or a learner might put in a cell: formulas, controls, a bidi
override, newlines and tabs, quotes, other scripts."""


def random_history(home: Path, count: int, *, seed: int = 5, events: int = 6) -> Store:
    """``count`` attempts on five scenarios (``scenario-0`` to ``-4``, the first practised
    most) started in a shuffled order, with about ``events`` choices or rewinds each, written
    interleaved (so storage order is not attempt order): some choices explorations, with
    hostile texts as options and own words; half the attempts finished (some with no
    ending), a quarter with reflections."""
    rng = random.Random(seed)
    store = Store(home)
    attempts = []
    for _ in range(count):
        scenario = f"scenario-{rng.choice([0, 0, 0, 1, 2, 3, 4])}"
        attempts.append(
            store.start_attempt(
                scenario_id=scenario,
                scenario_path=f"{scenario}.yaml",
                scenario_digest="d",
                scenario_version="1",
                feedback_timing=FeedbackTiming.IMMEDIATE,
                write_first=rng.random() < 0.5,
            )
        )
    for _ in range(count * events):
        attempt = rng.choice(attempts)
        if rng.random() < 0.1:
            store.add_rewind(attempt, to_step=0, node_id="start", trust=30)
            continue
        store.add_choice(
            attempt,
            node_id=f"node-{rng.randrange(4)}",
            option_id=f"option-{rng.randrange(3)}",
            own_words=rng.choice([None, *HOSTILE_TEXTS]),
            trust_before=rng.randrange(-10, 60),
            trust_after=rng.randrange(-10, 60),
            flags=rng.choice([[], ["a"]]),
            ruptures={},
            exploration=rng.random() < 0.25,
            rating=rng.choice(["builds-trust", "partly-helpful", "harmful"]),
            option_text=rng.choice(HOSTILE_TEXTS),
        )
    for attempt in rng.sample(attempts, count // 2):
        ending = rng.choice([None, "open-door", "open-door"])
        store.finish_attempt(attempt, ending_id=ending, final_trust=rng.randrange(60))
    for attempt in rng.sample(attempts, count // 4):
        store.save_reflection(attempt, "What did you notice?", f"note {attempt}")
        if rng.random() < 0.5:
            store.save_reflection(attempt, "What next?", rng.choice(HOSTILE_TEXTS) or "more")
    return store
