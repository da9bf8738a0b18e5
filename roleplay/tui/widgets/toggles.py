"""A radio button and a checkbox whose state shows without colour: blank when off.

Textual draws the same glyph in both states and tells them apart by colour alone.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class _ShowsState:
    """Draws ``ON`` inside the button when its value is true, and a blank when not."""

    ON = " "
    BUTTON_INNER: str
    value: bool

    def _show_state(self) -> None:
        self.BUTTON_INNER = self.ON if self.value else " "
        self.refresh()  # type: ignore[attr-defined]


class ClearRadioButton(_ShowsState, RadioButton):
    """A radio button drawn as ● when selected and blank when not."""

    ON = "●"

    def __init__(self, label: Content, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()


class ClearCheckbox(_ShowsState, Checkbox):
    """A checkbox drawn as X when ticked and blank when not."""

    ON = "X"

    def __init__(self, label: Content, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()
