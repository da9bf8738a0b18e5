"""A countdown in large digits, readable from the back of a room.

It only draws a ``CountdownTimer`` (from the core); the screen calls ``show`` on a short
interval, and tests call it after moving a fake clock.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from roleplay.core.facilitation import CountdownTimer, TimerState


class CountdownPanel(Horizontal):
    """The timer's name and state beside its time in big digits."""

    DEFAULT_CSS = """
    CountdownPanel {
        height: 3;
        padding: 0 1;
        background: $panel;
        & > Vertical { width: 1fr; height: 3; }
        & .name { text-style: bold; color: $text-accent; }
        & .state { color: $text-muted; }
        & > Digits { width: auto; color: $text; }
        &.-expired { background: $warning; }
        &.-expired .name, &.-expired .state, &.-expired > Digits { color: $background; }
        &.-paused > Digits { color: $text-muted; }
        & > .line { display: none; width: 1fr; text-style: bold; }
        /* One line (the screen sets -one-line when it is short): no big digits. */
        &.-one-line { height: 1; }
        &.-one-line > Vertical, &.-one-line > Digits { display: none; }
        &.-one-line > .line { display: block; }
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="countdown-name", classes="name")
            yield Static(id="countdown-state", classes="state")
        yield Digits("0:00", id="countdown-digits")
        yield Static(id="countdown-line", classes="line")

    def show(self, timer: CountdownTimer) -> None:
        """Draw the timer as it is now."""
        state = timer.state
        words = {
            TimerState.READY: "ready · t starts",
            TimerState.RUNNING: "running · t pauses",
            TimerState.PAUSED: "paused · t resumes",
            TimerState.EXPIRED: "TIME IS UP",
            TimerState.SKIPPED: "stopped",
        }
        self.query_one("#countdown-name", Static).update(Content(f"{timer.label} time".upper()))
        self.query_one("#countdown-state", Static).update(Content(words[state]))
        self.query_one("#countdown-digits", Digits).update(timer.text())
        line = f"{timer.label.upper()} TIME {timer.text()} · {words[state]}"
        self.query_one("#countdown-line", Static).update(Content(line))
        self.set_class(state is TimerState.EXPIRED, "-expired")
        self.set_class(state is TimerState.PAUSED, "-paused")
