"""Modal dialogs: confirm leaving, the list of keys, and a broken scenario's problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.core.diagnostics import Diagnostic
from roleplay.tui.text import plain


def describe(diagnostic: Diagnostic) -> str:
    """A diagnostic as 'file.yaml:LINE:COL: message [code]' (file name only, for screens)."""
    from pathlib import Path

    name = Path(diagnostic.path).name
    return f"{name}:{diagnostic.line}:{diagnostic.column}: {diagnostic.message} [{diagnostic.code}]"


def answer_for(question: str) -> str:
    """The going-ahead button for a yes/no ``question``: its first word ("Leave" if none)."""
    verb = question.split(maxsplit=1)[0].rstrip("?") if question.strip() else ""
    return verb.capitalize() if verb.isalpha() else "Leave"


class ConfirmDialog(ModalScreen[bool]):
    """Asks a yes/no question; answers True to go ahead. The safe answer has the focus."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Stay", id="confirm.no"),
        Binding("y", "answer(True)", "Leave", id="confirm.yes"),
    ]
    AUTO_FOCUS = "#no"

    def __init__(self, title: str, message: str, yes: str | None = None, no: str = "Stay") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.message = message
        # By default the button repeats the question's verb ("Quit roleplay?" -> Quit,
        # "Leave this session?" -> Leave), so one dialog serves every caller's question.
        self.yes = yes or answer_for(title)
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm") as box:
            box.border_title = plain(self.title_text)
            yield Static(Content(self.message), classes="message")
            with Horizontal(classes="buttons"):
                yield Button(Content(f"{self.no} (n)"), id="no", variant="primary")
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="error")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class HelpDialog(ModalScreen[None]):
    """Every key that works on the screen below, with what it does."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,enter,q,f1", "close", "Close", id="help.close")
    ]
    AUTO_FOCUS = "#help-scroll"  # so ↑ ↓ scroll a long list at 60x20

    def __init__(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help") as box:
            box.border_title = plain(self.title_text)
            box.border_subtitle = Content("Esc close")
            with VerticalScroll(id="help-scroll"), Grid(id="help-grid"):
                for keys, description in self.rows:
                    yield Static(Content(keys), classes="key")
                    yield Static(Content(description), classes="what")

    def action_close(self) -> None:
        self.dismiss(None)


class ProblemsDialog(ModalScreen[None]):
    """The problems that stop a scenario file from being played."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="problems.close")
    ]
    LIMIT = 20
    AUTO_FOCUS = "#problems-scroll"

    def __init__(self, title: str, intro: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.intro = intro
        self.diagnostics = list(diagnostics)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problems") as box:
            box.border_title = plain(self.title_text)
            box.border_subtitle = Content("Esc close")
            yield Static(plain(self.intro), classes="message")
            with VerticalScroll(id="problems-scroll"):
                for diagnostic in self.diagnostics[: self.LIMIT]:
                    yield Static(plain(describe(diagnostic)), classes="problem")
                if len(self.diagnostics) > self.LIMIT:
                    more = len(self.diagnostics) - self.LIMIT
                    yield Static(Content(f"… and {more} more"), classes="problem")

    def action_close(self) -> None:
        self.dismiss(None)
