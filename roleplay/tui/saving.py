"""The app's connection to the history store: one thread that owns the SQLite connection,
and the ``HistorySink`` that saves each event of an attempt the moment it happens.

No Textual here. Every read and write runs on the one store thread, in the order asked,
so the screen never waits for the disk (a locked database can take seconds to report) and
a read always sees the writes asked for before it. A failure never reaches the screens as
an exception: the attempt is marked as not being saved and ``on_problem`` is told, once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from roleplay.core.engine import Engine, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.store import Store, StoreError
from roleplay.store.db import Attempt as SavedRecord
from roleplay.store.export import build_record, to_markdown
from roleplay.store.recorder import Recorder
from roleplay.tui.session import Attempt, stored_timing

T = TypeVar("T")

FAILURES = (StoreError, sqlite3.Error, OSError)
"""What saving can run into: locked or damaged database, full disk, unwritable folder."""


def failure_text(exc: BaseException) -> str:
    """A failure in words a learner can act on."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"the database reported: {exc}"


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
    """

    persistent = True

    def __init__(
        self, store: StoreThread, on_problem: Callable[[str], object] | None = None
    ) -> None:
        self.store = store
        self.on_problem = on_problem
        self._pending: dict[tuple[int, str], str] = {}
        self._lock = threading.Lock()

    # -- running jobs ------------------------------------------------------------------
    def _run(
        self, attempt: Attempt, job: Callable[[Store, int], None], *, start: bool = True
    ) -> None:
        """Queue ``job(store, attempt's id)``, first writing the attempt itself if it is not
        in the store yet (unless ``start`` is False: then there is nothing to do)."""

        def guarded(store: Store) -> None:
            if attempt.problem is not None:
                return  # one failure ends saving for this attempt: no gaps in its steps
            try:
                if attempt.history_id is None:
                    if not start:
                        return
                    attempt.history_id = self._start(store, attempt)
                job(store, attempt.history_id)
            except FAILURES as exc:
                attempt.problem = failure_text(exc)
                if self.on_problem is not None:
                    self.on_problem(
                        f"History could not be saved: {attempt.problem}. This session is "
                        "not being saved from here on; you can keep practising."
                    )

        self.store.submit(guarded)

    @staticmethod
    def _start(store: Store, attempt: Attempt) -> int:
        loaded = attempt.loaded
        if loaded is None:
            raise StoreError("this attempt has no scenario to save it under")
        recorder = Recorder.begin(
            store,
            loaded,
            feedback_timing=stored_timing(attempt.options.feedback),
            write_first=attempt.options.write_first,
        )
        return recorder.attempt_id

    @staticmethod
    def _recorder(store: Store, attempt: Attempt, attempt_id: int) -> Recorder:
        assert attempt.loaded is not None, "an attempt being played has its scenario"
        return Recorder(store, attempt.loaded, attempt_id)

    # -- HistorySink -------------------------------------------------------------------
    def begin(self, attempt: Attempt) -> None:
        """Nothing to save until the first event."""

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        self._run(
            attempt,
            lambda store, aid: self._recorder(store, attempt, aid).words(step, node_id, words),
        )

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        # The engine moves on at once; what the job needs is captured now.
        copy = engine.copy()
        self._run(
            attempt,
            lambda store, aid: self._recorder(store, attempt, aid).turn(
                copy, turn, finish_at_end=False
            ),
        )

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        copy = engine.copy()
        self._run(
            attempt, lambda store, aid: self._recorder(store, attempt, aid).rewind(copy, to_step)
        )

    def finished(self, attempt: Attempt, engine: Engine) -> None:
        copy = engine.copy()
        self._run(attempt, lambda store, aid: self._recorder(store, attempt, aid).finish(copy))

    def reflected(self, attempt: Attempt, question: str, answer: str) -> None:
        key = (id(attempt), question)
        with self._lock:
            queued = key in self._pending
            self._pending[key] = answer
        if queued:
            return  # the write already queued will save the newest answer

        def save(store: Store, attempt_id: int) -> None:
            with self._lock:
                latest = self._pending.pop(key)
            if latest.strip():
                store.save_reflection(attempt_id, question, latest)
            else:
                store.forget_reflection(attempt_id, question)

        self._run(attempt, save)

    def set_aside(self, attempt: Attempt) -> None:
        # An attempt with nothing saved yet has nothing to set aside.
        self._run(attempt, lambda store, aid: store.set_aside(aid), start=False)


# -- jobs the screens ask for ------------------------------------------------------------
def export_markdown(
    store: Store, attempt: SavedRecord, loaded: LoadedScenario | None, folder: Path
) -> Path:
    """Write one attempt's record as Markdown in ``folder`` (private to the user)."""
    text = to_markdown(build_record(store, attempt, loaded))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"attempt-{attempt.id}-{attempt.scenario_id}.md"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
