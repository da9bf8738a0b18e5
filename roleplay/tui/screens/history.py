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
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from roleplay.core.engine import Engine
from roleplay.core.library import Entry
from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Rating, readable
from roleplay.session import (
    FAILURES,
    Attempt,
    FeedbackTiming,
    History,
    Journal,
    SavedAttempt,
    Step,
    failure_text,
)
from roleplay.session.review import (
    BEST_RULE,
    ScenarioGroup,
    choices,
    group_attempts,
    local_time,
    trajectory,
)
from roleplay.tui.screens.compare import AttemptPicker, CompareScreen
from roleplay.tui.screens.debrief import DebriefScreen, Reflection
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.text import clip, plain, quoted
from roleplay.tui.widgets.feedback import rating_class, rating_text
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.trust_chart import TrustChart

T = TypeVar("T")


def rating_of(step: Step) -> Rating | None:
    """A saved step's rating (None if the record holds something unknown)."""
    try:
        return Rating(step.rating)
    except ValueError:
        return None


def rating_content(step: Step) -> Content:
    """'++ Builds trust' in its rating's colour, for a saved step."""
    rating = rating_of(step)
    if rating is None:
        return Content("? unrated")
    return Content(rating_text(rating))


def trust_text(saved: SavedAttempt) -> str:
    """'trust 33' (final) or 'trust 30 so far'; empty before the first choice."""
    attempt = saved.attempt
    if attempt.finished and attempt.final_trust is not None:
        return f"trust {attempt.final_trust}"
    path = saved.path
    return f"trust {path[-1].trust_after} so far" if path else ""


def status_text(saved: SavedAttempt, loaded: LoadedScenario | None) -> str:
    """'✓ Dana takes a leaflet' or '… Not finished (set aside)'."""
    attempt = saved.attempt
    if attempt.finished:
        return f"✓ {ending_title(attempt, loaded)}"
    return "… Not finished" + (" (set aside)" if attempt.set_aside else "")


def ending_title(attempt: Attempt, loaded: LoadedScenario | None) -> str:
    """The ending's title now, or its id if the scenario no longer has it."""
    if loaded is not None and attempt.ending_id:
        for ending in loaded.scenario.endings:
            if ending.id == attempt.ending_id:
                return ending.title
    return attempt.ending_id or "ended"


def node_title(loaded: LoadedScenario | None, node_id: str) -> str:
    """A decision's title from the scenario, else its id made readable."""
    return loaded.scenario.moment_title(node_id) if loaded is not None else readable(node_id)


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
        groups = group_attempts(saved.attempt for saved in self.saved)
        for number, group in enumerate(groups):
            if number:
                options.append(None)
            options.append(Option(self.group_prompt(group), id=f"group-{number}", disabled=True))
            best = group.best
            for attempt in group.attempts:
                is_best = best is not None and attempt.id == best.id
                options.append(
                    Option(
                        self.attempt_prompt(self.by_id[attempt.saved_id()], best=is_best),
                        id=f"attempt-{attempt.id}",
                    )
                )
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

    def group_prompt(self, group: ScenarioGroup) -> Content:
        scenario_id = group.scenario_id
        count = len(group.attempts)
        latest = group.latest
        best = group.best
        title = Content.styled(clip(self.title_for(scenario_id), 60), "bold")
        facts = f" · {count} attempt{'s' if count != 1 else ''}"
        summary = f"latest #{latest.id}, {local_time(latest.started_at)}"
        if best is not None:
            summary += f" · ★ best #{best.id}, trust {best.final_trust}"
        else:
            summary += " · none finished yet"
        return Content("\n").join([title + plain(facts, "dim"), plain(summary, "italic")])

    def attempt_prompt(self, saved: SavedAttempt, *, best: bool) -> Content:
        """Two short lines (they fit 60 columns): number, date, trust, reflections and
        ★ best; then how it ended, or how far it got."""
        attempt = saved.attempt
        loaded = self.loaded_for(attempt.scenario_id)
        words = len(saved.reflections)
        facts = [local_time(attempt.started_at), trust_text(saved)]
        if words:
            facts.append(f"{words} reflection{'s' if words != 1 else ''}")
        first = Content.assemble(
            (f"#{attempt.id}", "bold"), "  " + " · ".join(fact for fact in facts if fact)
        )
        if best:
            first += Content.styled("  ★ best", "bold")
        status = status_text(saved, loaded)
        if not attempt.finished:
            made = len(saved.path)
            status += f": {made} choice{'s' if made != 1 else ''} so far"
        return Content("\n").join([first, plain("   " + clip(status, 50), "dim")])

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
        body.mount_all(self.detail(saved))

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

    def detail(self, saved: SavedAttempt) -> list[Widget]:
        attempt = saved.attempt
        loaded = self.loaded_for(attempt.scenario_id)
        timing = (
            "feedback at the end"
            if attempt.feedback_timing is FeedbackTiming.AT_END
            else "feedback after each choice"
        )
        parts: list[Widget] = [
            Static(
                plain(f"{clip(self.title_for(attempt.scenario_id), 60)} · attempt #{attempt.id}"),
                classes="title",
            ),
            Static(plain(f"Started {local_time(attempt.started_at, year=True)}"), classes="muted"),
            Static(
                plain(f"{timing}{' · write-first' if attempt.write_first else ''}"),
                classes="muted",
            ),
        ]
        if attempt.finished:
            parts.append(
                Static(
                    plain(
                        f"Ended “{ending_title(attempt, loaded)}” with trust "
                        f"{attempt.final_trust} ({local_time(attempt.finished_at, year=True)})"
                    ),
                    classes="text",
                )
            )
        else:
            parts.append(
                Static(
                    plain("Not finished. Press r to carry on where it stopped."),
                    classes="text",
                )
            )
        path = saved.path
        parts.append(Static(Content("Path"), classes="heading"))
        if not path:
            parts.append(Static(Content("No choices yet."), classes="muted"))
        for number, step in enumerate(path, start=1):
            rating = rating_of(step)
            parts.append(
                Static(
                    Content.assemble(
                        f"{number}. ",
                        Content.styled(rating.symbol if rating else "?", "bold"),
                        " ",
                        plain(clip(quoted(step.option_text or step.option_id), 64)),
                    ),
                    classes=f"step {rating_class(rating) if rating else ''}",
                )
            )
        explored = len(choices(saved.steps)) - len(path)
        if explored > 0:
            parts.append(
                Static(
                    plain(
                        f"+ {explored} choice{'s' if explored != 1 else ''} explored after "
                        "going back"
                    ),
                    classes="muted",
                )
            )
        parts.append(Static(Content("Reflections"), classes="heading"))
        if saved.reflections:
            parts.extend(
                Static(plain(f"• {clip(r.prompt, 70)}"), classes="item") for r in saved.reflections
            )
        else:
            parts.append(Static(Content("None written yet."), classes="muted"))
        if self.last_export is not None and self.last_export.name.startswith(
            f"attempt-{attempt.id}-"
        ):
            parts.append(Static(Content("Exported to"), classes="heading"))
            parts.append(Static(plain(str(self.last_export)), classes="item"))
        return parts

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


class SavedDebriefScreen(DebriefScreen):
    """The debrief of a past attempt, rebuilt from its saved choices, with the reflections
    saved then (still editable: changes are saved as they are typed)."""

    HELP_TITLE = "past debrief"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "l",
            "library",
            "History",
            id="debrief.library",
            tooltip="Back to your history (your answers are saved)",
        ),
    ]

    def __init__(
        self, saved: SavedAttempt, engine: Engine, *, journal: Journal, attempt: Attempt
    ) -> None:
        assert saved.loaded is not None
        super().__init__(
            saved.loaded, engine, saved.attempt.options, journal=journal, attempt=attempt
        )
        self.saved = saved

    def ending_part(self) -> list[Widget]:
        if self.engine.finished:
            return super().ending_part()
        count = len(self.engine.path)
        box = Vertical(
            Static(Content("Not finished yet"), classes="ending-title"),
            Static(
                plain(
                    f"This attempt stopped after {count} choice{'s' if count != 1 else ''}. "
                    "Resume it from your history (r) to reach an ending."
                )
            ),
            id="ending",
        )
        box.border_title = Content("So far")
        return [box]

    async def on_mount(self) -> None:
        record = self.saved.attempt
        state = "finished" if record.finished else "not finished"
        body = self.query_one("#debrief-body")
        await body.mount(
            Static(
                plain(
                    f"Attempt #{record.id}, {local_time(record.started_at, year=True)} "
                    f"({state}). Your saved reflections are filled in below; changes are "
                    "saved as you type."
                ),
                id="saved-note",
            ),
            before=0,
        )
        self.query_one("#library", Button).label = Content("Back to history (l)")
        shown = {reflection.question for reflection in self.query(Reflection)}
        extra = [r for r in self.saved.reflections if r.prompt not in shown]
        if extra:
            widgets: list[Widget] = [
                Static(Content("Other reflections you saved"), classes="heading")
            ]
            widgets.extend(self.reflection(r.prompt) for r in extra)
            await body.mount_all(widgets, before="#debrief-actions")


class SavedRecordScreen(Screen[None]):
    """A past attempt whose scenario has changed or gone: the saved path, the trust curve
    and the reflections, with a clear note that the full debrief cannot be rebuilt."""

    CSS_PATH = ["debrief.tcss", "history.tcss"]  # noqa: RUF012
    AUTO_FOCUS = "#record-body"
    HELP_TITLE = "saved record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,l", "back", "History", id="record.back", tooltip="Back to your history"),
    ]

    def __init__(self, saved: SavedAttempt, *, journal: Journal, attempt: Attempt) -> None:
        super().__init__()
        self.saved = saved
        self.journal = journal
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        saved = self.saved
        record = saved.attempt
        loaded = saved.loaded
        yield Static(
            plain(f"Saved record · {clip(saved.title, 60)} · attempt #{record.id}"),
            id="debrief-title",
        )
        with VerticalScroll(id="record-body"):
            note = Vertical(
                Static(plain(saved.problem or "")),
                Static(
                    Content(
                        "So the full debrief cannot be rebuilt. Here is what was saved: the "
                        "path you took, how trust moved, and your reflections."
                    )
                ),
                id="record-note",
            )
            note.border_title = Content("Scenario changed")
            yield note
            finished = (
                f"Ended “{ending_title(record, loaded)}” with trust {record.final_trust}."
                if record.finished
                else "Not finished."
            )
            yield Static(
                plain(f"Started {local_time(record.started_at, year=True)}. {finished}"),
                classes="text",
            )
            yield Static(Content("Path"), classes="heading")
            made = choices(saved.steps)
            path_ids = {id(step) for step in saved.path}
            if not made:
                yield Static(Content("No choices were made."), classes="muted")
            for number, step in enumerate(made, start=1):
                yield from self.step_widgets(number, step, explored=id(step) not in path_ids)
            yield Static(Content("Trust over the conversation"), classes="heading")
            yield TrustChart(trajectory(saved.path), id="chart")
            yield Static(Content("Reflections"), classes="heading")
            if not saved.reflections:
                yield Static(Content("None written."), classes="muted")
            for reflection in saved.reflections:
                yield Reflection(reflection.prompt, reflection.answer)
        yield KeyFooter()

    def step_widgets(self, number: int, step: Step, *, explored: bool) -> list[Widget]:
        rating = rating_of(step)
        title = node_title(self.saved.loaded, step.node_id)
        label = f"{number} · {clip(title, 60)}" + (
            " (left behind after going back)" if explored else ""
        )
        widgets: list[Widget] = [Static(plain(label), classes="label")]
        if step.own_words:
            widgets.append(
                Static(plain(f"You first wrote: {quoted(step.own_words)}"), classes="muted")
            )
        widgets.append(Static(plain(quoted(step.option_text or step.option_id)), classes="item"))
        widgets.append(
            Static(
                Content.assemble(
                    rating_content(step),
                    f" · trust {step.trust_before} → {step.trust_after}",
                ),
                classes=f"move {rating_class(rating) if rating else ''}",
            )
        )
        return widgets

    @on(Reflection.Answered)
    def _answered(self, event: Reflection.Answered) -> None:
        self.journal.reflect(self.attempt, event.question, event.answer)

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea):  # Esc first leaves an answer box
            self.query_one("#record-body").focus()
            return
        self.dismiss(None)
