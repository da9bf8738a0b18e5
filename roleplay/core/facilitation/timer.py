"""The thinking and discussion countdown of a group session, read from an injected clock.

Nothing ticks: the state is worked out from the clock whenever it is asked for, so tests
move a fake clock instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import StrEnum

Clock = Callable[[], float]
"""Returns monotonic seconds (``time.monotonic`` in real use, a fake in tests)."""


def clock_text(seconds: float) -> str:
    """Seconds left as m:ss, rounded up so the display reaches 0:00 exactly at the end."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class TimerState(StrEnum):
    """Where a countdown stands."""

    READY = "ready"
    """Set but not started."""
    RUNNING = "running"
    PAUSED = "paused"
    EXPIRED = "expired"
    """Ran down to zero."""
    SKIPPED = "skipped"
    """Stopped early by the facilitator."""


class CountdownTimer:
    """A countdown read from a clock: nothing ticks, the state is worked out when asked."""

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic, label: str = "") -> None:
        self.clock = clock
        self.label = label
        self.duration = float(seconds)
        self._left = float(seconds)
        self._since: float | None = None
        self._state = TimerState.READY

    def _settle(self) -> None:
        running = self._state is TimerState.RUNNING and self._since is not None
        if running and self._left - (self.clock() - (self._since or 0.0)) <= 0:
            self._left = 0.0
            self._since = None
            self._state = TimerState.EXPIRED

    @property
    def state(self) -> TimerState:
        """The state now (a running timer whose time is up reads as expired)."""
        self._settle()
        return self._state

    @property
    def remaining(self) -> float:
        """Seconds left, never below zero."""
        self._settle()
        if self._state is TimerState.RUNNING and self._since is not None:
            return max(0.0, self._left - (self.clock() - self._since))
        return self._left

    @property
    def running(self) -> bool:
        """Whether it is counting down now."""
        return self.state is TimerState.RUNNING

    @property
    def active(self) -> bool:
        """Whether it has been started and not reset (running, paused or at its end)."""
        return self.state is not TimerState.READY

    def text(self) -> str:
        """The time left as m:ss."""
        return clock_text(self.remaining)

    def start(self) -> None:
        """Start or resume; a timer that has ended starts again from its full time."""
        state = self.state
        if state is TimerState.RUNNING:
            return
        if state in (TimerState.EXPIRED, TimerState.SKIPPED):
            self._left = self.duration
        self._since = self.clock()
        self._state = TimerState.RUNNING

    def pause(self) -> None:
        """Stop counting, keeping the time left."""
        if self.state is TimerState.RUNNING and self._since is not None:
            self._left = max(0.0, self._left - (self.clock() - self._since))
            self._since = None
            self._state = TimerState.PAUSED

    def toggle(self) -> None:
        """Pause if running, otherwise start (or resume)."""
        if self.running:
            self.pause()
        else:
            self.start()

    def add(self, seconds: float) -> None:
        """Give more time; after the end, the extra time starts running at once."""
        state = self.state
        if state in (TimerState.EXPIRED, TimerState.SKIPPED):
            self._left = float(seconds)
            self._since = self.clock()
            self._state = TimerState.RUNNING
            return
        self._left += seconds
        if state is TimerState.READY:
            self.duration += seconds

    def skip(self) -> None:
        """End the countdown now."""
        self._left = 0.0
        self._since = None
        self._state = TimerState.SKIPPED

    def reset(self, seconds: float | None = None, label: str | None = None) -> None:
        """Back to ready, with a new length and label if given."""
        if seconds is not None:
            self.duration = float(seconds)
        if label is not None:
            self.label = label
        self._left = self.duration
        self._since = None
        self._state = TimerState.READY
