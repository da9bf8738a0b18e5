"""Dialogs of the present screen: type the vote counts, and save the summary.

Counts are typed into masked fields: the projector shows the room what the facilitator
types, and the distribution stays hidden until the vote is locked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from roleplay.core.facilitation import Offered
from roleplay.tui.text import clip, plain


class CountsDialog(ModalScreen[dict[str, int] | None]):
    """One masked field per option; Enter keeps every count, Esc keeps none."""

    CSS_PATH = ["dialogs.tcss", "present_dialogs.tcss"]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="counts.cancel"),
    ]

    def __init__(self, offered: Sequence[Offered], counts: dict[str, int]) -> None:
        super().__init__(classes="dialog-screen")
        self.offered = list(offered)
        self.counts = dict(counts)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="counts") as box:
            box.border_title = Content("Type the counts")
            box.border_subtitle = Content("Enter keep · Tab next · Esc cancel")
            yield Static(
                Content("Hidden from the room until you lock the vote. Empty means 0."),
                classes="message",
            )
            with VerticalScroll(id="counts-scroll"), Grid(id="counts-grid"):
                for offered in self.offered:
                    yield Static(
                        plain(f"{offered.letter}  {clip(offered.text, 40)}"), classes="label"
                    )
                    yield Input(
                        str(self.counts.get(offered.option_id, 0) or ""),
                        password=True,
                        restrict=r"\d{0,4}",
                        max_length=4,
                        compact=True,
                        id=f"count-{offered.letter.lower()}",
                    )

    def on_mount(self) -> None:
        first = self.query(Input).first()
        first.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        counts: dict[str, int] = {}
        for offered in self.offered:
            value = self.query_one(f"#count-{offered.letter.lower()}", Input).value.strip()
            counts[offered.option_id] = int(value) if value.isdigit() else 0
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
            yield Input(str(self.default), id="save-path")
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
