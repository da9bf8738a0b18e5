"""The connection to the history store, and the ``HistorySink`` that saves each event of an
attempt the moment it happens.

Every read and write runs through a ``StoreRunner``, in the order asked. The app uses a
``StoreThread`` (one thread owns the SQLite connection), so the screen never waits for the
disk (a locked database can take seconds to report) and a read always sees the writes
asked for before it; plain mode uses ``StoreNow``, which runs each job at once. A failure
never reaches a front end as an exception: the attempt is marked as not being saved and
``on_problem`` is told why, once.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from roleplay.session import recording
from roleplay.store import Store, StoreError
from roleplay.store.errors import problem_words
from roleplay.store.records import Attempt

if TYPE_CHECKING:
    from roleplay.core.engine import Engine, Turn

T = TypeVar("T")
Job = Callable[[Store, int], None]

FAILURES = (StoreError, sqlite3.Error, OSError)
"""What saving can run into: locked or damaged database, full disk, unwritable folder."""


def failure_text(exc: BaseException) -> str:
    """A failure in words a learner can act on (a full disk and a read-only folder are
    named as such, whichever layer noticed them)."""
    return problem_words(exc)


class StoreRunner(Protocol):
    """Runs jobs against one ``Store``, one at a time, in the order they were asked for."""

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Queue a job; its Future holds the result or the exception."""
        ...

    def flush(self) -> None:
        """Wait until every job queued so far has run."""
        ...

    def close(self) -> None:
        """Finish the queued jobs, then close the database (safe to call twice)."""
        ...


class StoreNow:
    """Runs each job at once, on the caller's thread (for plain mode, which waits anyway)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._store: Store | None = None

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Run a job now; its Future holds the result or the exception."""
        future: Future[T] = Future()
        try:
            if self._store is None:
                self._store = Store(self.data_dir)
            future.set_result(job(self._store))
        except BaseException as exc:  # handed to the caller through the Future
            future.set_exception(exc)
        return future

    def flush(self) -> None:
        """Nothing is ever queued."""

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        if self._store is not None:
            self._store.close()
            self._store = None


class StoreThread:
    """Runs jobs against one ``Store`` on one background thread, first come first served."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._executor: ThreadPoolExecutor | None = None
        self._store: Store | None = None  # created and used only on the store thread
        self._lock = threading.Lock()

    def submit(self, job: Callable[[Store], T]) -> Future[T]:
        """Queue a job; its Future holds the result or the exception."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="roleplay-history")
            return self._executor.submit(self._call, job)

    def _call(self, job: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store(self.data_dir)
        return job(self._store)

    def flush(self) -> None:
        """Wait until every job queued so far has run."""
        self.submit(lambda store: None).result()

    def close(self) -> None:
        """Finish the queued jobs, then close the database (safe to call twice)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        executor.submit(self._close_store)
        executor.shutdown(wait=True)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class StoreHistory:
    """Saves every event of every attempt to the store, each as it happens.

    A new attempt is written with its first event (words or a choice), so opening a
    briefing and going back leaves nothing behind. Reflection answers are saved on every
    change; changes arriving faster than the disk are merged into one write.

    When a write fails (a full disk, a read-only folder, a locked or damaged database) the
    session goes on: the attempt is marked as not being saved, ``on_problem`` is told once,
    and that event and every later one wait in the attempt's backlog, in order. Each new
    event tries the backlog again from its oldest entry, so once the disk has room history
    catches up with no gap and no step out of order; ``on_saved_again`` is told then.
    Each store method is one transaction, so a failed event wrote nothing and retrying it
    cannot write it twice.
    """

    persistent = True

    def __init__(
        self,
        store: StoreRunner,
        on_problem: Callable[[str], object] | None = None,
        on_saved_again: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self.on_problem = on_problem
        self.on_saved_again = on_saved_again
        self._pending: dict[tuple[int, str], str] = {}
        self._lock = threading.Lock()
        # Events not yet saved, per attempt (keyed by id(); the attempt is kept alive with
        # them). Only the store's thread touches this.
        self._backlogs: dict[int, tuple[Attempt, list[tuple[Job, bool]]]] = {}

    # -- running jobs ------------------------------------------------------------------
    def _run(self, attempt: Attempt, job: Job, *, start: bool = True) -> None:
        """Queue ``job(store, attempt's id)``, first writing the attempt itself if it is not
        in the store yet (unless ``start`` is False: then there is nothing to do)."""

        def guarded(store: Store) -> None:
            _, backlog = self._backlogs.setdefault(id(attempt), (attempt, []))
            backlog.append((job, start))
            self._catch_up(store, attempt, backlog)

        self.store.submit(guarded)

    def _catch_up(self, store: Store, attempt: Attempt, backlog: list[tuple[Job, bool]]) -> None:
        """Save the attempt's waiting events, oldest first, stopping at the first failure."""
        while backlog:
            job, start = backlog[0]
            try:
                if attempt.id is None:
                    if not start:
                        backlog.pop(0)
                        continue
                    attempt.id = recording.start(store, attempt)
                job(store, attempt.id)
            except Exception as exc:
                # An unexpected error left the event first in the backlog, so every later
                # one waited behind it, unsaved and unannounced: it is said like the rest.
                first = attempt.problem is None
                attempt.problem = (
                    failure_text(exc)
                    if isinstance(exc, FAILURES)
                    else f"an unexpected error ({type(exc).__name__}: {exc}); please report it"
                )
                if first and self.on_problem is not None:
                    self.on_problem(attempt.problem)
                return
            backlog.pop(0)
        self._backlogs.pop(id(attempt), None)
        if attempt.problem is not None:
            attempt.problem = None
            if self.on_saved_again is not None:
                self.on_saved_again()

    def last_chance(self) -> str | None:
        """Before the program ends: try every waiting event once more. When some still
        cannot be saved, the words to leave the learner with: why, and every reflection
        answer that would otherwise be lost, so that they can copy it. Else None."""

        def again(store: Store) -> tuple[str | None, list[tuple[str, str]]]:
            # On the store's thread, after every event queued before it.
            for attempt, backlog in list(self._backlogs.values()):
                self._catch_up(store, attempt, backlog)
            if not self.unsaved():
                return None, []
            problems = (a.problem for a, _ in self._backlogs.values() if a.problem)
            with self._lock:
                answers = [(question, text) for (_, question), text in self._pending.items()]
            return next(problems, "saving failed"), answers

        problem, answers = self.store.submit(again).result()
        if problem is None:
            return None
        said = f"the end of this session could not be saved to history ({problem})."
        kept = [(question, answer) for question, answer in answers if answer.strip()]
        if kept:
            said += " Your reflections that were not saved, to copy somewhere safe:\n"
            said += "".join(f"\n{question}\n{answer}\n" for question, answer in kept)
        return said

    def unsaved(self) -> int:
        """How many events are still waiting to be saved (after ``retry``)."""
        return sum(len(backlog) for _, backlog in self._backlogs.values())

    def retry(self) -> int:
        """Try every waiting event once more (e.g. before the program ends); wait for it and
        return how many are still unsaved."""

        def again(store: Store) -> int:
            for attempt, backlog in list(self._backlogs.values()):
                self._catch_up(store, attempt, backlog)
            return self.unsaved()

        return self.store.submit(again).result()

    # -- HistorySink -------------------------------------------------------------------
    def begin(self, attempt: Attempt) -> None:
        """Nothing to save until the first event."""

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        self._run(attempt, lambda store, aid: store.save_draft(aid, step, node_id, words))

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        # The engine moves on at once; what the job needs is captured now. Its state is
        # immutable (each choice makes a new one), so keeping it is enough: copying the
        # engine replayed the whole path on every key press.
        state = engine.state
        self._run(attempt, lambda store, aid: recording.save_turn(store, aid, state, turn))

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        copy = engine.copy()
        self._run(attempt, lambda store, aid: recording.save_rewind(store, aid, copy, to_step))

    def finished(self, attempt: Attempt, engine: Engine) -> None:
        copy = engine.copy()
        self._run(attempt, lambda store, aid: recording.save_finish(store, aid, copy))

    def reflected(self, attempt: Attempt, question: str, answer: str) -> None:
        key = (id(attempt), question)
        with self._lock:
            queued = key in self._pending
            self._pending[key] = answer
        if queued:
            return  # the write already queued will save the newest answer

        def save(store: Store, attempt_id: int) -> None:
            with self._lock:
                latest = self._pending.pop(key, None)
            if latest is None:
                return  # an earlier write, retried, already saved the newest answer
            try:
                recording.save_reflection(store, attempt_id, question, latest)
            except FAILURES:
                with self._lock:  # unless a newer answer came meanwhile, retry this one
                    self._pending.setdefault(key, latest)
                raise

        self._run(attempt, save)

    def set_aside(self, attempt: Attempt) -> None:
        # An attempt with nothing saved yet has nothing to set aside.
        self._run(attempt, lambda store, aid: store.set_aside(aid), start=False)
