"""History: every saved attempt, grouped by scenario with the latest and the best.

From here a learner opens any attempt's debrief (with the reflections they saved), resumes
an unfinished one, compares two attempts at the same scenario, exports one as Markdown for
supervision, or deletes one (after a confirmation). Reading and writing run on the store
thread; the screen waits in async workers, never in the drawing code.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core.library import Entry, loaded_by_id
from roleplay.core.loader import LoadedScenario
from roleplay.session import (
    FAILURES,
    Attempt,
    History,
    Journal,
    SavedAttempt,
    ScenarioStats,
    failure_text,
)
from roleplay.session.review import BEST_RULE, choices, local_time
from roleplay.tui.screens.compare import AttemptPicker, CompareScreen
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.saved_attempt import SavedDebriefScreen, SavedRecordScreen
from roleplay.tui.text import clip, plain
from roleplay.tui.widgets.attempts import attempt_detail, attempt_prompt, group_prompt
from roleplay.tui.widgets.footer import KeyFooter

T = TypeVar("T")

PAGE = 100
"""Attempts read at a time: the list holds the pages read so far, never the whole history."""
READ_AHEAD = 10
"""Rows from the end of the list at which the next page is read."""


class HistoryScreen(Screen[None]):
    """Past attempts: open, resume, compare, export, delete."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#attempts"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Open",
            id="history.open",
            priority=True,
            tooltip="Open the highlighted attempt's debrief, with your saved reflections",
        ),
        Binding(
            "r",
            "resume",
            "Resume",
            id="history.resume",
            tooltip="Carry on with the highlighted unfinished attempt",
        ),
        Binding(
            "c",
            "compare",
            "Compare",
            id="history.compare",
            tooltip="Compare with another attempt at the same scenario, side by side",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="history.export",
            tooltip="Write the attempt as a Markdown file, e.g. for supervision",
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            id="history.delete",
            tooltip="Delete the attempt with its reflections (asks first)",
        ),
        Binding("escape", "back", "Back", id="history.back", tooltip="Back to the library"),
    ]

    @property
    def HELP_EXTRA(self) -> list[tuple[str, str]]:  # read by the app's help (? key)
        rows = [
            ("↑ ↓ PgUp PgDn", "Move through the attempts"),
            ("★ best", "Among two or more finished attempts: the highest trust on first tries"),
        ]
        if not self.check_action("resume", ()):
            rows.insert(0, ("r", "Resume an unfinished attempt (highlight one first)"))
        return rows

    class Resume(Message):
        """Resume a saved attempt (the app does it, as on launch)."""

        def __init__(self, attempt: Attempt) -> None:
            super().__init__()
            self.attempt = attempt

    def __init__(
        self, history: History, entries: list[Entry], journal: Journal, exports: Path
    ) -> None:
        super().__init__()
        self.history = history
        self.entries = entries
        self.journal = journal
        self.exports = exports
        self.saved: list[SavedAttempt] = []
        """The attempts read so far, in the list's order (a page at a time)."""
        self.by_id: dict[int, SavedAttempt] = {}
        self.stats: dict[str, ScenarioStats] = {}
        self.total = 0
        self.loaded_scenarios: dict[str, LoadedScenario | None] = {}
        self.titles = {entry.id: entry.about.title for entry in entries if entry.about}
        self.last_export: Path | None = None
        self.problem: str | None = None
        self.read = False
        self.reading_more = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="history-top"):
            yield Static(Content("History"), id="history-brand")
            yield Static(Content(""), id="history-count")
        with Horizontal(id="history-body"):
            yield OptionList(id="attempts")
            with VerticalScroll(id="attempt-detail"):
                yield Vertical(id="attempt-detail-body")
        yield Static(Content(f"★ {BEST_RULE}"), id="history-legend")
        yield KeyFooter()

    # -- reading -----------------------------------------------------------------------
    async def _ask(self, job: Future[T]) -> T:
        return await asyncio.wrap_future(job)

    def on_screen_resume(self) -> None:
        self.reload()  # also after a debrief, a resumed practice or a delete

    @work(exclusive=True, group="history-read")
    async def reload(self) -> None:
        """Read each scenario's figures and the first page of attempts (on the store
        thread), and list them; as many pages as were read before, so the learner's
        place is kept after a debrief."""
        wanted = max(PAGE, len(self.saved))
        try:
            stats = await self._ask(self.history.stats())
            saved = await self._ask(self.history.page(0, wanted))
            await self._scenarios_for(saved)
            self.problem = None
        except FAILURES as exc:
            stats, saved = [], []
            self.problem = f"Your history could not be read: {failure_text(exc)}."
        self.read = True
        self.stats = {figures.scenario_id: figures for figures in stats}
        self.total = sum(figures.attempts for figures in stats)
        self.saved = saved
        self.by_id = {item.attempt.saved_id(): item for item in saved}
        self.relist()

    async def _scenarios_for(self, saved: list[SavedAttempt]) -> None:
        """Load (in a thread) the scenarios of these attempts not loaded yet: their rows
        name endings and decisions as the scenario does now."""
        wanted = {item.attempt.scenario_id for item in saved} - set(self.loaded_scenarios)
        if wanted:
            found = await asyncio.to_thread(self._load_scenarios, wanted)
            self.loaded_scenarios.update(found)

    def _load_scenarios(self, wanted: set[str]) -> dict[str, LoadedScenario | None]:
        return {scenario_id: loaded_by_id(self.entries, scenario_id) for scenario_id in wanted}

    @work(exclusive=True, group="history-more")
    async def read_more(self) -> None:
        """The next page of attempts, added to the end of the list."""
        if self.reading_more or len(self.saved) >= self.total:
            return
        self.reading_more = True
        try:
            more = await self._ask(self.history.page(len(self.saved), PAGE))
            await self._scenarios_for(more)
        except FAILURES as exc:
            self.notify(
                f"More of your history could not be read: {failure_text(exc)}.",
                severity="error",
                markup=False,
            )
            return
        finally:
            self.reading_more = False
        listing = self.query_one("#attempts", OptionList)
        if listing.option_count and listing.options[-1].id == "more":
            listing.remove_option("more")
        previous = self.saved[-1].attempt.scenario_id if self.saved else None
        self.saved.extend(more)
        self.by_id.update((item.attempt.saved_id(), item) for item in more)
        listing.add_options(self.options_for(more, previous))
        self.refresh_bindings()

    def loaded_for(self, scenario_id: str) -> LoadedScenario | None:
        return self.loaded_scenarios.get(scenario_id)

    def title_for(self, scenario_id: str) -> str:
        loaded = self.loaded_for(scenario_id)
        if loaded is not None:
            return loaded.scenario.title
        return self.titles.get(scenario_id, scenario_id)

    def options_for(self, saved: list[SavedAttempt], previous: str | None) -> list[Option | None]:
        """List rows for attempts that follow an attempt at ``previous``: a heading where a
        scenario starts, then its attempts; a last row while more remain to be read."""
        options: list[Option | None] = []
        for item in saved:
            attempt = item.attempt
            scenario_id = attempt.scenario_id
            stats = self.stats.get(scenario_id)
            if scenario_id != previous:
                if previous is not None:
                    options.append(None)
                if stats is not None:
                    title = self.title_for(scenario_id)
                    options.append(
                        Option(group_prompt(stats, title), id=f"group-{attempt.id}", disabled=True)
                    )
                previous = scenario_id
            best = stats is not None and stats.finished >= 2 and stats.best_id == attempt.id
            prompt = attempt_prompt(item, self.loaded_for(scenario_id), best=best)
            options.append(Option(prompt, id=f"attempt-{attempt.id}"))
        left = self.total - len(self.saved)
        if left > 0:
            options.append(
                Option(
                    plain(f"… {left} older attempt{'s' if left != 1 else ''}: reading on", "dim"),
                    id="more",
                    disabled=True,
                )
            )
        return options

    def relist(self) -> None:
        """Fill the list from ``self.saved``, keeping the highlighted attempt if it is there."""
        listing = self.query_one("#attempts", OptionList)
        keep = self.current()
        listing.set_options(self.options_for(self.saved, None))
        ids = [option.id for option in listing.options]
        wanted = f"attempt-{keep.attempt.id}" if keep else None
        if wanted in ids:
            listing.highlighted = ids.index(wanted)
        else:
            listing.action_first()
            listing.scroll_home(animate=False)
        count = self.total
        scenarios = len(self.stats)
        self.query_one("#history-count", Static).update(
            Content(
                f"{count} attempt{'s' if count != 1 else ''} at {scenarios} "
                f"scenario{'s' if scenarios != 1 else ''}"
                if count
                else ""
            )
        )
        self.query_one("#history-body").set_class(not self.saved, "-empty")
        self.query_one("#history-legend").display = bool(self.saved)
        self.show_detail()
        self.refresh_bindings()

    def current(self) -> SavedAttempt | None:
        """The highlighted attempt."""
        option = self.query_one("#attempts", OptionList).highlighted_option
        if option is None or option.id is None or not option.id.startswith("attempt-"):
            return None
        return self.by_id.get(int(option.id.removeprefix("attempt-")))

    @on(OptionList.OptionHighlighted, "#attempts")
    def _highlighted(self) -> None:
        self.show_detail()
        self.refresh_bindings()
        listing = self.query_one("#attempts", OptionList)
        near_end = (listing.highlighted or 0) >= listing.option_count - READ_AHEAD
        if near_end and len(self.saved) < self.total:
            self.read_more()

    @on(OptionList.OptionSelected, "#attempts")
    def _selected(self) -> None:
        self.action_open()

    def show_detail(self) -> None:
        """The side panel (wide terminals): the highlighted attempt in full."""
        body = self.query_one("#attempt-detail-body", Vertical)
        body.remove_children()
        saved = self.current()
        if saved is None:
            body.mount(Static(self.empty_text(), classes="empty"))
            return
        scenario_id = saved.attempt.scenario_id
        body.mount_all(
            attempt_detail(
                saved, self.loaded_for(scenario_id), self.title_for(scenario_id), self.last_export
            )
        )

    def empty_text(self) -> Content:
        if self.problem:
            return plain(self.problem)
        if not self.read:
            return Content("Reading your history…")
        if not self.saved:
            return Content(
                "No attempts yet. Practise a scenario from the library: every choice and "
                "reflection is saved here as you go, so you can come back to it, compare "
                "attempts and export a record for supervision."
            )
        return Content("Highlight an attempt to see it here.")

    # -- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "export", "delete", "resume", "compare"):
            if self.focused is not self.query_one("#attempts", OptionList):
                return False
            saved = self.current()
            if saved is None:
                return False
            if action == "resume":
                return not saved.attempt.finished
            if action == "compare":
                # Shown, greyed, with one attempt: the key is there once there are two.
                stats = self.stats.get(saved.attempt.scenario_id)
                return True if stats is not None and stats.attempts > 1 else None
        return True

    async def same_scenario(self, saved: SavedAttempt) -> list[SavedAttempt]:
        """The other attempts at the same scenario, newest first (read now: they may not
        be on the pages read so far)."""
        every = await self._ask(self.history.attempts_at(saved.attempt.scenario_id))
        return [other for other in every if other.attempt.id != saved.attempt.id]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_resume(self) -> None:
        saved = self.current()
        if saved is not None and not saved.attempt.finished:
            self.post_message(self.Resume(saved.attempt))

    @work(exclusive=True, group="history-open")
    async def action_open(self) -> None:
        """The debrief of the highlighted attempt, rebuilt on the scenario as it is now."""
        chosen = self.current()
        if chosen is None:
            return
        entries = self.entries
        try:
            saved = await self._ask(self.history.open(chosen.attempt, entries))
        except FAILURES as exc:
            self.notify(
                f"This attempt could not be read: {failure_text(exc)}.",
                severity="error",
                markup=False,
            )
            return
        attempt = self.adopt(saved)
        if saved.engine is not None and saved.loaded is not None:
            await self.app.push_screen(
                SavedDebriefScreen(saved, saved.engine, journal=self.journal, attempt=attempt)
            )
        else:
            await self.app.push_screen(
                SavedRecordScreen(saved, journal=self.journal, attempt=attempt)
            )

    def adopt(self, saved: SavedAttempt) -> Attempt:
        return self.journal.take_up(saved)

    @work(exclusive=True, group="history-compare")
    async def action_compare(self) -> None:
        """Compare with another attempt at the same scenario (asks which, if several)."""
        first = self.current()
        if first is None:
            return
        try:
            others = await self.same_scenario(first)
        except FAILURES as exc:
            self.notify(
                f"The other attempts could not be read: {failure_text(exc)}.",
                severity="error",
                markup=False,
            )
            return
        if not others:
            self.notify(
                "There is only one attempt at this scenario. Practise it again to compare.",
                markup=False,
            )
            return
        if len(others) == 1:
            second: SavedAttempt | None = others[0]
        else:
            picked = await self.app.push_screen_wait(
                AttemptPicker(first, others, self.loaded_for(first.attempt.scenario_id))
            )
            second = next((o for o in others if o.attempt.id == picked), None)
        if second is None:
            return
        left, right = sorted((first, second), key=lambda s: s.attempt.saved_id())
        await self.app.push_screen(
            CompareScreen(left, right, self.loaded_for(first.attempt.scenario_id))
        )

    @work(exclusive=True, group="history-export")
    async def action_export(self) -> None:
        """Write the highlighted attempt as Markdown in the exports folder; show where."""
        saved = self.current()
        if saved is None:
            return
        record = saved.attempt
        loaded = self.loaded_for(record.scenario_id)
        folder = self.exports
        try:
            path = await self._ask(self.history.export_markdown(record, loaded, folder))
        except FAILURES as exc:
            self.notify(
                f"The export could not be written: {failure_text(exc)}.",
                title="Not exported",
                severity="error",
                markup=False,
            )
            return
        self.last_export = path
        self.notify(
            f"Attempt #{record.id} was written to {path} (readable only by you).",
            title="Exported",
            timeout=30,
            markup=False,
        )
        self.show_detail()

    @work(exclusive=True, group="history-delete")
    async def action_delete(self) -> None:
        """Delete the highlighted attempt, after asking."""
        saved = self.current()
        if saved is None:
            return
        record = saved.attempt
        sure = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete attempt #{record.id}?",
                f"Your attempt at “{clip(self.title_for(record.scenario_id), 50)}” from "
                f"{local_time(record.started_at, year=True)} will be deleted with its "
                f"{len(choices(saved.steps))} choices and {len(saved.reflections)} "
                "reflections. This cannot be undone.",
                yes="Delete",
                no="Keep",
            )
        )
        if not sure:
            return
        try:
            await self._ask(self.history.delete(record))
        except FAILURES as exc:
            self.notify(
                f"The attempt could not be deleted: {failure_text(exc)}.",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Attempt #{record.id} deleted.", title="Deleted", markup=False)
        self.reload()
