"""Saving attempts straight into a store for tests, through the same path the app and plain
mode use (``Journal`` -> ``StoreHistory`` -> the store), run at once on a given ``Store``."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
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
