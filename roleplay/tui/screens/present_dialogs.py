"""Dialogs of the present screen: type the vote counts, and save the summary.

Counts are typed into masked fields: the projector shows the room what the facilitator
types, and the distribution stays hidden until the vote is locked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from roleplay.core.facilitation import Offered
from roleplay.tui.motion import calm
from roleplay.tui.text import clip, plain


class CountField(Static):
    """One option's count, masked: '••' once typed, '____' while empty (both drawn in the
    text colour on the field's own background, so an empty field is as plain to see)."""

    EMPTY = "____"

    def __init__(self, value: str, *, id: str) -> None:
        super().__init__(id=id, classes="count-field")
        self.value = value
        self.draw()

    def draw(self) -> None:
        """Show the masked value (the room sees this screen)."""
        self.set_class(not self.value, "-empty")
        self.update(Content("•" * len(self.value) if self.value else self.EMPTY))


def count_keys() -> list[BindingType]:
    """Every key the counts dialog takes, as priority bindings.

    Priority bindings run in the app's own queue, one key after another, so a fast burst
    ('3', Tab, '1', '2', Tab, '6') lands exactly where it was typed. Focusable inputs do
    not: the app hands each key to whichever input had focus when the key arrived, before
    an earlier Tab has moved it, and every digit of a burst ended up in the first field."""
    keys: list[BindingType] = [
        Binding(str(d), f"digit('{d}')", show=False, priority=True) for d in range(10)
    ]
    keys += [
        Binding("backspace", "erase", "Erase", show=False, priority=True),
        Binding("tab,down", "move(1)", "Next", show=False, priority=True),
        Binding("shift+tab,up", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "keep", "Keep", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", id="counts.cancel", priority=True),
    ]
    return keys


class CountsDialog(ModalScreen[dict[str, int] | None]):
    """One masked field per option; Enter keeps every count, Esc keeps none."""

    CSS_PATH = ["dialogs.tcss", "present_dialogs.tcss"]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = count_keys()

    def __init__(
        self,
        offered: Sequence[Offered],
        counts: dict[str, int],
        *,
        check: Callable[[dict[str, int]], str | None] | None = None,
        class_size: int | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.offered = list(offered)
        self.counts = dict(counts)
        self.check = check
        self.class_size = class_size
        self.digits = len(str(class_size)) if class_size else 4
        self.current = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="counts") as box:
            box.border_title = Content("Type the counts")
            box.border_subtitle = Content("Enter keep · Tab next · Esc cancel")
            size = f" The class has {self.class_size}." if self.class_size else ""
            yield Static(
                Content(f"Hidden from the room until you lock the vote. Empty means 0.{size}"),
                classes="message",
            )
            with VerticalScroll(id="counts-scroll"), Grid(id="counts-grid"):
                for offered in self.offered:
                    yield Static(
                        plain(f"{offered.letter}  {clip(offered.text, 40)}"), classes="label"
                    )
                    yield CountField(
                        str(self.counts.get(offered.option_id, 0) or ""),
                        id=f"count-{offered.letter.lower()}",
                    )
            yield Static(id="counts-problem", classes="problem")

    def on_mount(self) -> None:
        self.query_one("#counts-problem").display = False
        self.show_current()

    @property
    def fields(self) -> list[CountField]:
        return list(self.query(CountField))

    def show_current(self) -> None:
        """Mark the field being typed in (the others plain)."""
        for index, field in enumerate(self.fields):
            field.set_class(index == self.current, "-current")

    def action_digit(self, digit: str) -> None:
        field = self.fields[self.current]
        value = str(int(field.value + digit))
        if len(value) <= self.digits:
            field.value = value
            field.draw()
        self.query_one("#counts-problem").display = False

    def action_erase(self) -> None:
        field = self.fields[self.current]
        field.value = field.value[:-1]
        field.draw()

    def action_move(self, step: int) -> None:
        self.current = (self.current + step) % len(self.fields)
        self.show_current()

    def on_click(self, event: events.Click) -> None:
        widget = event.widget
        if isinstance(widget, CountField):
            self.current = self.fields.index(widget)
            self.show_current()

    def typed(self) -> dict[str, int]:
        """The counts as typed, by option id (empty is 0)."""
        return {
            offered.option_id: int(field.value or 0)
            for offered, field in zip(self.offered, self.fields, strict=True)
        }

    def action_keep(self) -> None:
        counts = self.typed()
        problem = self.check(counts) if self.check else None
        if problem is not None:
            widget = self.query_one("#counts-problem", Static)
            widget.update(plain(f"{problem} Correct it, or Esc to cancel."))
            widget.display = True
            return
        self.dismiss(counts)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveDialog(ModalScreen[Path | None]):
    """Ask where to save the summary; the default is a new file in the current folder."""

    CSS_PATH = ["dialogs.tcss", "present_dialogs.tcss"]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save.cancel"),
    ]

    def __init__(self, default: Path, save: Callable[[Path], Path]) -> None:
        super().__init__(classes="dialog-screen")
        self.default = default
        self.save = save
        self._replace: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save") as box:
            box.border_title = Content("Save the summary as Markdown")
            box.border_subtitle = Content("Enter save · Esc cancel")
            yield Static(
                Content(
                    "The group's path, the votes at every decision and the debrief. "
                    "Only you can read the file."
                ),
                classes="message",
            )
            yield calm(Input(str(self.default), id="save-path"), self.app)
            yield Static(id="save-problem", classes="problem")

    def on_mount(self) -> None:
        self.query_one("#save-problem").display = False
        self.query_one("#save-path", Input).focus()

    def problem(self, text: str) -> None:
        """Show what stopped the save (the dialog stays open)."""
        widget = self.query_one("#save-problem", Static)
        widget.update(plain(text))
        widget.display = True

    @on(Input.Changed, "#save-path")
    def _changed(self) -> None:
        self._replace = None
        self.query_one("#save-problem").display = False

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.problem("Type a file name, or Esc to cancel.")
            return
        target = Path(text).expanduser()
        if target.is_file() and target != self._replace:
            self._replace = target
            self.problem(f"{clip(target.name, 40)} exists. Enter again to replace it.")
            return
        try:
            saved = self.save(target)
        except OSError as exc:
            self.problem(f"Could not save: {exc.strerror or exc}")
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
