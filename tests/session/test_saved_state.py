"""A choice is saved with the flags and ruptures of the moment it was made, however late the
store gets to it (the app's store thread can run behind the learner)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.session import Journal, PracticeOptions, StoreHistory
from roleplay.store import Store

T = TypeVar("T")
MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


class Later:
    """A ``StoreRunner`` that runs nothing until ``flush``: the store far behind."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.jobs: list[tuple[Callable[[Store], object], Future[object]]] = []

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        future: Future[T] = Future()
        self.jobs.append((job, future))  # type: ignore[arg-type]
        return future

    def flush(self) -> None:
        for job, future in self.jobs:
            future.set_result(job(self.store))
        self.jobs.clear()

    def close(self) -> None:
        self.flush()


def test_each_choice_keeps_the_state_it_was_made_in(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    runner = Later(store)
    journal = Journal(StoreHistory(runner))
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, PracticeOptions())
    engine = Engine(loaded.scenario)
    expected = []
    for option in ("wrong-name", "repair"):
        turn = engine.choose(option)
        journal.chose(attempt, engine, turn)
        state = engine.state
        expected.append(
            (
                sorted(state.flags),
                {name: status.value for name, status in state.ruptures.items()},
                turn.trust_after,
            )
        )
    assert runner.jobs, "nothing may be saved before the store runs"
    runner.flush()
    assert attempt.id is not None
    steps = store.steps(attempt.id)
    assert [(step.flags, step.ruptures, step.trust_after) for step in steps] == expected
    assert expected[0][1] == {"name-missed": "open"}
    assert expected[1][1] == {"name-missed": "repaired"}
    store.close()
