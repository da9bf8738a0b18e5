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

from roleplay.core.library import Entry
from roleplay.core.loader import LoadedScenario
from roleplay.session import (
    FAILURES,
    Attempt,
    History,
    Journal,
    SavedAttempt,
    failure_text,
)
from roleplay.session.review import (
    BEST_RULE,
    choices,
    group_attempts,
    local_time,
    scores_of,
)
from roleplay.tui.screens.compare import AttemptPicker, CompareScreen
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.saved_attempt import SavedDebriefScreen, SavedRecordScreen
from roleplay.tui.text import clip, plain
from roleplay.tui.widgets.attempts import attempt_detail, attempt_prompt, group_prompt
from roleplay.tui.widgets.footer import KeyFooter

T = TypeVar("T")


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
            ("★ best", "The finished attempt with the highest final trust"),
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
        self.by_id: dict[int, SavedAttempt] = {}
        self.loaded_scenarios: dict[str, LoadedScenario] = {
            entry.loaded.scenario.id: entry.loaded
            for entry in entries
            if entry.ok and entry.loaded is not None
        }
        self.last_export: Path | None = None
        self.problem: str | None = None
        self.read = False

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
        """Read every attempt (on the store thread) and list them."""
        try:
            self.saved = await self._ask(self.history.load_all())
            self.problem = None
        except FAILURES as exc:
            self.saved = []
            self.problem = f"Your history could not be read: {failure_text(exc)}."
        self.read = True
        self.by_id = {saved.attempt.saved_id(): saved for saved in self.saved}
        self.relist()

    def loaded_for(self, scenario_id: str) -> LoadedScenario | None:
        return self.loaded_scenarios.get(scenario_id)

    def title_for(self, scenario_id: str) -> str:
        loaded = self.loaded_for(scenario_id)
        return loaded.scenario.title if loaded else scenario_id

    def relist(self) -> None:
        """Fill the list from ``self.saved``, keeping the highlighted attempt if it is there."""
        listing = self.query_one("#attempts", OptionList)
        keep = self.current()
        options: list[Option | None] = []
        groups = group_attempts((saved.attempt for saved in self.saved), scores_of(self.saved))
        for number, group in enumerate(groups):
            if number:
                options.append(None)
            title = self.title_for(group.scenario_id)
            options.append(Option(group_prompt(group, title), id=f"group-{number}", disabled=True))
            best = group.best
            for attempt in group.attempts:
                is_best = best is not None and attempt.id == best.id
                saved = self.by_id[attempt.saved_id()]
                prompt = attempt_prompt(saved, self.loaded_for(attempt.scenario_id), best=is_best)
                options.append(Option(prompt, id=f"attempt-{attempt.id}"))
        listing.set_options(options)
        ids = [option.id for option in listing.options]
        wanted = f"attempt-{keep.attempt.id}" if keep else None
        if wanted in ids:
            listing.highlighted = ids.index(wanted)
        else:
            listing.action_first()
            listing.scroll_home(animate=False)
        count = len(self.saved)
        scenarios = len(groups)
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
                return len(self.same_scenario(saved)) > 0
        return True

    def same_scenario(self, saved: SavedAttempt) -> list[SavedAttempt]:
        """The other attempts at the same scenario, newest first."""
        return [
            other
            for other in self.saved
            if other.attempt.scenario_id == saved.attempt.scenario_id
            and other.attempt.id != saved.attempt.id
        ]

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
        others = self.same_scenario(first)
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
            second = self.by_id.get(picked) if picked is not None else None
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
