"""Keep Python's cyclic garbage collector out of the frame a key press paints.

A practice screen holds a hundred thousand or more tracked objects (Textual, the scenario,
every widget of the transcript), and a key press allocates thousands more, so a collection
often starts in the middle of one: a young one costs about a millisecond, and every few
decisions a full one walks everything (70-100 ms at 30 decisions, more as the transcript
grows) while the learner waits for the feedback card. While a key press's changes are made
and painted the collector is held off; it comes back on once the frame is written and
collects then, while the learner reads. Reference counting still frees almost everything
at once: only objects in cycles wait, for a moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from textual.screen import Screen

from roleplay.core.gcpause import collector_paused


class FrameHold:
    """The collector held off from creation until ``release`` (safe to call more than
    once). Holds nest with any other pause (a library scan on another thread): the
    collector comes back on after the last."""

    def __init__(self) -> None:
        self._pause: AbstractContextManager[None] | None = collector_paused()
        self._pause.__enter__()

    @property
    def held(self) -> bool:
        """Whether this hold still keeps the collector off."""
        return self._pause is not None

    def release(self) -> None:
        """Let the collector run again (it collects at the next allocation if one is due)."""
        pause, self._pause = self._pause, None
        if pause is not None:
            pause.__exit__(None, None, None)


class KeyPressHolds:
    """A screen's holds, one key press at a time: a new hold ends the one before (a key
    pressed before the last frame was written), and ``release`` ends the current one
    (the screen is going away, so its frame may never come)."""

    def __init__(self) -> None:
        self._current: FrameHold | None = None

    def hold(self) -> FrameHold:
        """Hold the collector off for a new key press."""
        self.release()
        self._current = hold = FrameHold()
        return hold

    def release(self) -> None:
        """End the current hold, if any."""
        if self._current is not None:
            self._current.release()
            self._current = None

    @contextmanager
    def until_painted(self, screen: Screen[Any]) -> Iterator[None]:
        """Hold the collector off from now until ``screen`` has written its next frame
        (callbacks after a refresh run even when there is nothing to paint)."""
        hold = self.hold()
        try:
            yield
        finally:
            screen.call_after_refresh(hold.release)
