"""The thinking and discussion countdown, in the top bar: a bold block of colour with the
time, readable from the back of a room, that takes no row from the page.

Earlier the timer was a band of big digits above the page: starting it pushed the moment's
heading and the client's first lines out of sight (at 60x20, two of the client's lines).
In the top bar it hides nothing, at every size. Each state looks different, in words as
well as colour: running (▶), PAUSED (❚❚, no fill), TIME IS UP (the warning colour).

It only draws a ``CountdownTimer`` (from the core); the screen calls ``show`` on a short
interval, and tests call it after moving a fake clock.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from roleplay.core.facilitation import CountdownTimer, TimerState


class CountdownPanel(Static):
    """The timer's name, its time and its state, on one line of the top bar."""

    DEFAULT_CSS = """
    CountdownPanel {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $accent;
        color: $background;
        /* Paused: no fill (a running timer is a filled block), the words in the
           warning colour. */
        &.-paused {
            background: $background;
            color: $text-warning;
            text-style: bold;
        }
        &.-expired { background: $warning; color: $background; }
        &.-skipped { background: $panel; color: $text-muted; text-style: none; }
    }
    """

    time_text = ""
    """The time left as shown (m:ss), for tests and screen readers."""

    def show(self, timer: CountdownTimer) -> None:
        """Draw the timer as it is now."""
        state = timer.state
        self.time_text = timer.text()
        name = timer.label.upper()
        narrow = self.screen.size.width < 76
        words = {
            TimerState.READY: f"{name} {self.time_text}",
            TimerState.RUNNING: f"▶ {name} {self.time_text}",
            TimerState.PAUSED: f"❚❚ PAUSED {self.time_text}"
            if narrow
            else f"❚❚ {name} PAUSED {self.time_text}",
            TimerState.EXPIRED: "TIME IS UP 0:00" if narrow else f"{name}: TIME IS UP 0:00",
            TimerState.SKIPPED: f"{name} stopped",
        }
        self.update(Content(words[state]))
        self.set_class(state is TimerState.EXPIRED, "-expired")
        self.set_class(state is TimerState.PAUSED, "-paused")
        self.set_class(state is TimerState.SKIPPED, "-skipped")
