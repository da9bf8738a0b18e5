"""A radio button and a checkbox whose state shows without colour: blank when off.

Textual draws the same glyph in both states and tells them apart by colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

if TYPE_CHECKING:
    # Textual's common base of both buttons (in a private module, so only for typing).
    from textual.widgets._toggle_button import ToggleButton as _Toggle
else:
    _Toggle = object


class _ShowsState(_Toggle):
    """Draws ``ON`` inside the button when its value is true, and a blank when not."""

    ON = " "

    def __init__(self, label: Content, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()

    def _show_state(self) -> None:
        self.BUTTON_INNER = self.ON if self.value else " "
        self.refresh()


class ClearRadioButton(_ShowsState, RadioButton):
    """A radio button drawn as ● when selected and blank when not."""

    ON = "●"


class ClearCheckbox(_ShowsState, Checkbox):
    """A checkbox drawn as X when ticked and blank when not."""

    ON = "X"
