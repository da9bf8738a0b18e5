"""What the library shows over its list while the scenario files are checked: how many of
how many, redrawn four times a second.

Textual's loading indicator is redrawn sixteen times a second; over a large library (1,000
files take about ten seconds) those frames, on the interface's thread, took about a tenth
as much time as the check itself, which runs in a worker thread sharing the interpreter.
"""

from __future__ import annotations

from textual import on
from textual.app import RenderResult
from textual.content import Content
from textual.events import InputEvent, Mount
from textual.widget import Widget


class ScanCount:
    """Files checked so far and in all: written by the scanning thread, read by the screen.

    One tuple, replaced whole, so a reader never sees a count from one file and a total
    from another scan."""

    def __init__(self) -> None:
        self.state: tuple[int, int] = (0, 0)

    def tell(self, done: int, total: int) -> None:
        """The scan's progress (``core.library.summarise``'s ``progress``)."""
        self.state = (done, total)


def progress_text(done: int, total: int) -> str:
    """The line shown: a count once the files are known and there is more than a moment's
    work (a small library is listed before the count could be read)."""
    if total < 2:
        return "Reading the scenarios…"
    return f"Reading the scenarios: {done:,} of {total:,}"


class ScanProgress(Widget):
    """Covers the list while it is loading (the list's ``loading`` widget), as Textual's
    indicator does, and like it keeps the pointer and keys from the list beneath."""

    DEFAULT_CSS = """
    ScanProgress {
        width: 100%;
        height: 100%;
        min-height: 1;
        content-align: center middle;
        color: $text-muted;
    }
    ScanProgress.-textual-loading-indicator {
        layer: _loading;
        background: $boost;
        dock: top;
    }
    """

    def __init__(self, count: ScanCount) -> None:
        super().__init__()
        self.count = count

    def _on_mount(self, _: Mount) -> None:
        self.auto_refresh = 1 / 4

    @on(InputEvent)
    def _swallow(self, event: InputEvent) -> None:
        # What Textual's indicator does: the list beneath is not there to click yet.
        event.stop()
        event.prevent_default()

    def render(self) -> RenderResult:
        return Content(progress_text(*self.count.state))
