"""A past attempt opened from the history: its debrief rebuilt on the scenario as it is now
(``SavedDebriefScreen``), or, when the scenario has changed or gone, the saved record
itself (``SavedRecordScreen``). Reflections stay editable in both and are saved as typed."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea

from roleplay.core.engine import Engine
from roleplay.session import Attempt, Journal, SavedAttempt, Step
from roleplay.session.review import (
    EXPLORATION_LABEL,
    local_time,
    repair_text,
    repairs,
    trajectory,
)
from roleplay.tui.screens.debrief import DebriefScreen, Reflection
from roleplay.tui.text import clip, plain, quoted
from roleplay.tui.widgets.attempts import ending_title, node_title, rating_content, rating_of
from roleplay.tui.widgets.feedback import rating_class
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.trust_chart import TrustChart


class SavedDebriefScreen(DebriefScreen):
    """The debrief of a past attempt, rebuilt from its saved choices, with the reflections
    saved then (still editable: changes are saved as they are typed)."""

    HELP_TITLE = "past debrief"
    # Opened to read: the page has the focus and leaving never asks.
    FOCUS_FIRST_ANSWER = False
    ASK_BEFORE_LEAVING = False
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
        self.repairs = repairs(saved.steps)
        """The ruptures each saved choice repaired, by step."""
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
            split = saved.tries
            if not split.scored:
                yield Static(Content("No choices were made."), classes="muted")
            for number, step in enumerate(split.scored, start=1):
                yield from self.step_widgets(f"{number}", step)
            for step in split.explorations:
                yield from self.step_widgets("↺", step, explored=True)
            yield Static(Content("Trust over the conversation"), classes="heading")
            if split.explorations:
                yield Static(
                    Content("The chart follows the path actually played, explorations included."),
                    classes="muted",
                )
            yield TrustChart(trajectory(saved.path), id="chart")
            yield Static(Content("Reflections"), classes="heading")
            if not saved.reflections:
                yield Static(Content("None written."), classes="muted")
            for reflection in saved.reflections:
                yield Reflection(reflection.prompt, reflection.answer)
        yield KeyFooter()

    def step_widgets(self, number: str, step: Step, *, explored: bool = False) -> list[Widget]:
        rating = rating_of(step)
        title = node_title(self.saved.loaded, step.node_id)
        label = f"{number} · {clip(title, 60)}" + (f" ({EXPLORATION_LABEL})" if explored else "")
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
        for name in self.repairs.get(step.seq, []):
            found = self.saved.loaded.scenario.rupture(name) if self.saved.loaded else None
            title = repair_text(found.title if found else name, explored)
            widgets.append(Static(plain(f"✓ Repaired: {title}"), classes="muted"))
        return widgets

    @on(Reflection.Answered)
    def _answered(self, event: Reflection.Answered) -> None:
        self.journal.reflect(self.attempt, event.question, event.answer)

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea):  # Esc first leaves an answer box
            self.query_one("#record-body").focus()
            return
        self.dismiss(None)
