"""A learner's history as the front ends use it: list, open, resume, set aside, export and
delete attempts, each as a job on the store's runner.

Every method returns a ``Future`` at once (the app awaits it in a worker; plain mode and the
command line, whose runner works at once, read it straight away). What can go wrong is in
``FAILURES``; ``failure_text`` words it for the learner.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from roleplay.session.rows import (
    Strongest,
    iter_step_rows,
    write_choices_csv,
    write_rows_json,
)
from roleplay.store.reads import ScenarioStats

if TYPE_CHECKING:
    from roleplay.core.library import Entry
    from roleplay.core.loader import LoadedScenario
    from roleplay.session.export import AttemptRecord
    from roleplay.session.review import Resumed, SavedAttempt
    from roleplay.session.saving import StoreRunner
    from roleplay.store import Store
    from roleplay.store.records import Attempt

# The records, replays and resumes need the scenario models (and the debrief); they are
# imported when first asked for, so that the command line's export of every step, which
# needs none of them, starts in a fraction of the time.


def open_existing(store: Store) -> list[str]:
    """Open the database if there is one (a damaged one is moved aside); its notices.
    A missing one is left to be created by the first write."""
    if store.path.exists():
        store.db  # noqa: B018 - opening is the point
    return list(store.notices)


def open_now(store: Store) -> list[str]:
    """Open the database now, creating it if need be; what the learner should be told."""
    store.db  # noqa: B018 - opening is the point
    return list(store.notices)


def export_markdown(
    store: Store, attempt: Attempt, loaded: LoadedScenario | None, folder: Path
) -> Path:
    """Write one attempt's record as Markdown in ``folder`` (private to the user)."""
    from roleplay.session.export import build_record, to_markdown

    text = to_markdown(build_record(store, attempt, loaded))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"attempt-{attempt.id}-{attempt.scenario_id}.md"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _delete(store: Store, attempt_id: int | None) -> bool:
    return attempt_id is not None and store.delete_attempt(attempt_id)


def _attempts(store: Store) -> list[Attempt]:
    return store.attempts()


def _forget_all(store: Store) -> int:
    return store.forget_all()


def _exists(store: Store) -> bool:
    return store.path.exists()


def _write_rows(store: Store, fmt: str, out: TextIO, strongest: Strongest | None) -> int:
    if fmt == "csv":
        return write_choices_csv(store, out, strongest)
    return write_rows_json(iter_step_rows(store, strongest), out)


def _saved(store: Store, attempts: list[Attempt]) -> list[SavedAttempt]:
    """Attempts with their steps and reflections, read by two queries for them all."""
    from roleplay.session.review import SavedAttempt

    ids = [attempt.saved_id() for attempt in attempts]
    steps, reflections = store.steps_of(ids), store.reflections_of(ids)
    return [
        SavedAttempt(attempt, steps[number], reflections[number], loaded=None, engine=None)
        for attempt, number in zip(attempts, ids, strict=True)
    ]


def page(store: Store, offset: int, limit: int) -> list[SavedAttempt]:
    """A page of the history list: attempts grouped by scenario (the one practised most
    recently first), newest first, with their steps and reflections; no replay."""
    return _saved(store, store.attempt_page(offset, limit))


def attempts_at(store: Store, scenario_id: str) -> list[SavedAttempt]:
    """Every attempt at one scenario, newest first, with steps and reflections."""
    return _saved(store, store.attempts(scenario_id))


def _stats(store: Store) -> list[ScenarioStats]:
    return store.scenario_stats()


def _step_counts(store: Store) -> dict[int, tuple[int, int]]:
    return store.step_counts()


def _scenario_ids(store: Store) -> set[str]:
    return store.scenario_ids()


def _set_aside(store: Store, attempt_id: int | None) -> None:
    if attempt_id is not None:
        store.set_aside(attempt_id)


class History:
    """The learner's saved attempts, read and changed in the order asked."""

    def __init__(self, runner: StoreRunner) -> None:
        self.runner = runner

    def check(self) -> Future[list[str]]:
        """Open the history now; what the learner should be told (a database moved aside)."""
        return self.runner.submit(open_existing)

    def open_now(self) -> Future[list[str]]:
        """Open (or create) the history now, so a problem is known before play starts."""
        return self.runner.submit(open_now)

    def resume_latest(self, loaded: LoadedScenario) -> Future[Resumed | None]:
        """The newest unfinished attempt at a scenario, replayed (see ``resume_latest``)."""
        from roleplay.session.review import resume_latest

        return self.runner.submit(partial(resume_latest, loaded=loaded))

    def exists(self) -> Future[bool]:
        """Whether anything has ever been saved (the database is made by the first write)."""
        return self.runner.submit(_exists)

    def attempts(self) -> Future[list[Attempt]]:
        """Every attempt, newest first (records only: quick)."""
        return self.runner.submit(_attempts)

    def attempt(self, number: int) -> Future[Attempt | None]:
        """One attempt by its number, or None."""
        return self.runner.submit(lambda store: store.attempt(number))

    def record(self, attempt: Attempt, loaded: LoadedScenario | None) -> Future[AttemptRecord]:
        """What an export of one attempt shows (with its debrief if the scenario still fits)."""
        from roleplay.session.export import build_record

        return self.runner.submit(partial(build_record, attempt=attempt, loaded=loaded))

    def write_rows(self, fmt: str, out: TextIO, strongest: Strongest | None = None) -> Future[int]:
        """Write every choice of every attempt to ``out`` as ``csv`` or ``json``, streamed
        from one query as it is read (on the store's thread); how many rows."""
        return self.runner.submit(partial(_write_rows, fmt=fmt, out=out, strongest=strongest))

    def forget_all(self) -> Future[int]:
        """Delete every attempt; how many there were."""
        return self.runner.submit(_forget_all)

    def stats(self) -> Future[list[ScenarioStats]]:
        """Each practised scenario's attempts in figures (count, latest, best), most
        recently practised first: one query, however long the history."""
        return self.runner.submit(_stats)

    def page(self, offset: int, limit: int) -> Future[list[SavedAttempt]]:
        """One page of the history list (see ``page``)."""
        return self.runner.submit(partial(page, offset=offset, limit=limit))

    def attempts_at(self, scenario_id: str) -> Future[list[SavedAttempt]]:
        """Every attempt at one scenario with its steps, newest first (to compare)."""
        return self.runner.submit(partial(attempts_at, scenario_id=scenario_id))

    def step_counts(self) -> Future[dict[int, tuple[int, int]]]:
        """For every attempt: how many first tries (scored) and explorations (one query)."""
        return self.runner.submit(_step_counts)

    def scenario_ids(self) -> Future[set[str]]:
        """Every scenario with an attempt."""
        return self.runner.submit(_scenario_ids)

    def load_all(self) -> Future[list[SavedAttempt]]:
        """Every attempt with its steps and reflections, newest first."""
        from roleplay.session.review import load_all

        return self.runner.submit(load_all)

    def open(self, attempt: Attempt, entries: Sequence[Entry]) -> Future[SavedAttempt]:
        """One attempt, replayed on its scenario as it is now (for its debrief or resume)."""
        from roleplay.session.review import open_saved

        return self.runner.submit(partial(open_saved, attempt=attempt, entries=entries))

    def pending(
        self, entries: Sequence[Entry], *, scenario_id: str | None = None
    ) -> Future[SavedAttempt | None]:
        """The newest unfinished attempt worth offering for resume, opened; or None."""
        from roleplay.session.review import pending

        return self.runner.submit(partial(pending, entries=entries, scenario_id=scenario_id))

    def set_aside(self, attempt: Attempt) -> Future[None]:
        """Keep an unfinished attempt but stop offering it for resume."""
        return self.runner.submit(partial(_set_aside, attempt_id=attempt.id))

    def delete(self, attempt: Attempt) -> Future[bool]:
        """Delete an attempt with its steps and reflections; False if it was not there."""
        return self.runner.submit(partial(_delete, attempt_id=attempt.id))

    def export_markdown(
        self, attempt: Attempt, loaded: LoadedScenario | None, folder: Path
    ) -> Future[Path]:
        """Write an attempt's record as Markdown in ``folder``; the file's path."""
        return self.runner.submit(
            partial(export_markdown, attempt=attempt, loaded=loaded, folder=folder)
        )
