"""The tests' screen reader (``tui_helpers.screen_text``) reads what the terminal shows:
row by row, in place, with the screen under a dialog, and nothing that is not drawn."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static
from tui_helpers import screen_lines, screen_text


class Dialog(ModalScreen[None]):
    DEFAULT_CSS = "Dialog { align: center middle; }"

    def compose(self) -> ComposeResult:
        yield Static(Content("Sure? y/n"))


class Page(App[None]):
    CSS = "Static { width: auto; } #hidden { display: none; }"

    def compose(self) -> ComposeResult:
        yield Static(Content("First row"))
        with Horizontal():
            yield Static(Content("left"))
            yield Static(Content("  ·  right"))
        yield Static(Content("Never drawn"), id="hidden")


async def test_rows_columns_and_a_dialog_over_the_screen() -> None:
    app = Page()
    async with app.run_test(size=(40, 8)) as pilot:
        lines = screen_lines(app)
        assert len(lines) == 8  # one line per terminal row
        assert lines[0] == "First row"
        assert lines[1] == "left  ·  right"  # side-by-side widgets keep their columns
        assert "Never drawn" not in screen_text(app)
        await app.push_screen(Dialog())
        await pilot.pause()
        text = screen_text(app)
        assert "Sure? y/n" in text
        assert "First row" in text  # the screen below still shows around the dialog
        row = next(line for line in screen_lines(app) if "Sure?" in line)
        assert row.index("Sure?") == (40 - len("Sure? y/n")) // 2  # centred, as drawn
