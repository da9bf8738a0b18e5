"""Resuming unfinished attempts: the offer on launch, ``roleplay play ID --resume``, and
resume from the history screen. Also tells the learner when history cannot be used.

The app owns one ``Resumer``; what to resume comes from the application layer's
``History`` (read on the store thread, awaited in async workers so the screen never waits);
this module asks the learner and opens the practice screen where the attempt stopped. It is
given what it uses (the app to draw on, the history, the journal, the library), so it does
not import the app module.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from textual.app import App
from textual.message import Message

from roleplay.core.library import Entry
from roleplay.session import FAILURES, Attempt, History, Journal, SavedAttempt, failure_text
from roleplay.tui.preferences import METER_HIDDEN
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.resume import cannot_resume, resume_offer

T = TypeVar("T")


class HistoryProblem(Message):
    """Saving failed (posted from the store thread)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


NOT_SAVED = "Not saved"


class Resumer:
    """Offers and carries out the resume of unfinished attempts."""

    def __init__(
        self,
        app: App[None],
        *,
        history: History,
        journal: Journal,
        entries: Callable[[], list[Entry]],
        open_entry: Callable[[Entry], None],
        animation: bool = True,
        meter: Callable[[], bool] = lambda: True,
    ) -> None:
        self.app = app
        self.history = history
        self.journal = journal
        self.entries = entries
        self.open_entry = open_entry
        self.animation = animation
        self.meter = meter
        """Whether the learner last left the trust meter shown."""

    # -- start-up ----------------------------------------------------------------------
    def check_store(self) -> None:
        """Open the history now: report a damaged database moved aside, or no history."""
        self.app.run_worker(self._check(), group="history-open", exit_on_error=False)

    async def _check(self) -> None:
        app = self.app
        try:
            notices = await asyncio.wrap_future(self.history.check())
        except FAILURES as exc:
            app.notify(
                f"History is unavailable: {failure_text(exc)}. You can practise, but this "
                "session is not being saved.",
                title=NOT_SAVED,
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        for notice in notices:
            app.notify(notice, title="History", severity="warning", timeout=30, markup=False)

    def report(self, text: str) -> None:
        """Say that saving failed (the attempt goes on in memory)."""
        self.app.notify(text, title=NOT_SAVED, severity="error", timeout=30, markup=False)

    # -- the three ways in ---------------------------------------------------------------
    def offer(self) -> None:
        """On launch: offer the newest unfinished attempt, if there is one."""
        self.app.run_worker(self._offer(), group="resume", exclusive=True, exit_on_error=False)

    async def _offer(self) -> None:
        saved = await self._read(self.history.pending(list(self.entries())))
        if saved is None or not isinstance(self.app.screen, LibraryScreen):
            return  # nothing to offer, or the learner has already gone somewhere
        if saved.engine is None:
            await self._cannot(saved)
            return
        answer = await self.app.push_screen_wait(resume_offer(saved))
        if answer == "resume":
            self.start(saved)
        elif answer == "later":
            self._set_aside(saved)

    def resume_named(self, entry: Entry) -> None:
        """``roleplay play ID --resume``: the newest unfinished attempt at that scenario."""
        self.app.run_worker(self._named(entry), group="resume", exclusive=True)

    async def _named(self, entry: Entry) -> None:
        about = entry.about
        assert about is not None
        entries = [entry, *self.entries()]
        saved = await self._read(self.history.pending(entries, scenario_id=about.id))
        if saved is None:
            self.app.notify(
                f"There is no unfinished attempt at “{about.title}” to resume; here is its "
                "briefing to start a new one.",
                title="Nothing to resume",
                markup=False,
            )
            self.open_entry(entry)
        elif saved.engine is None:
            await self._cannot(saved)
        else:
            self.start(saved)

    def resume_saved(self, attempt: Attempt) -> None:
        """From the history screen: resume this attempt."""
        self.app.run_worker(self._saved(attempt), group="resume", exclusive=True)

    async def _saved(self, attempt: Attempt) -> None:
        saved = await self._read(self.history.open(attempt, self.entries()))
        if saved is None:
            return
        if saved.engine is None:
            await self._cannot(saved)
        else:
            self.start(saved)

    # -- outcomes ------------------------------------------------------------------------
    def start(self, saved: SavedAttempt) -> None:
        """Open the practice screen where the saved attempt stopped."""
        assert saved.loaded is not None and saved.engine is not None
        attempt = self.journal.take_up(saved)
        from roleplay.tui.screens.practice import PracticeScreen  # on first use: see app.py

        screen = PracticeScreen(
            saved.loaded,
            attempt.options,
            journal=self.journal,
            attempt=attempt,
            animation=self.animation,
            engine=saved.engine,
            words=saved.draft.words if saved.draft else None,
        )
        self.app.push_screen(screen.set_class(not self.meter(), METER_HIDDEN))

    async def _cannot(self, saved: SavedAttempt) -> None:
        """Say clearly why the attempt cannot be resumed; offer a fresh start."""
        entry = self._entry(saved.attempt.scenario_id)
        answer = await self.app.push_screen_wait(cannot_resume(saved, can_start=entry is not None))
        if answer == "fresh" and entry is not None:
            self._set_aside(saved)
            self.open_entry(entry)
        elif answer == "later":
            self._set_aside(saved)

    def _entry(self, scenario_id: str) -> Entry | None:
        for entry in self.entries():
            if entry.ok and entry.id == scenario_id:
                return entry
        return None

    def _set_aside(self, saved: SavedAttempt) -> None:
        future = self.history.set_aside(saved.attempt)

        def done(result: Future[None]) -> None:  # runs on the store thread
            problem = result.exception()
            if problem is not None:
                self.app.post_message(
                    HistoryProblem(f"History could not be saved: {failure_text(problem)}.")
                )

        future.add_done_callback(done)

    async def _read(self, job: Future[T]) -> T | None:
        try:
            return await asyncio.wrap_future(job)
        except FAILURES as exc:
            self.report(f"History could not be read: {failure_text(exc)}.")
            return None
