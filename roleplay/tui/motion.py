"""Reduced motion: with animation off (``--no-animation``, and in the tests), a text cursor
stays lit instead of blinking. A blinking cursor is motion some learners ask to be spared,
and a screenshot taken half a second later would show a different picture."""

from __future__ import annotations

from typing import TypeVar

from textual.app import App
from textual.widgets import Input, TextArea

Field = TypeVar("Field", Input, TextArea)


def calm(field: Field, app: App[object]) -> Field:
    """``field``, its cursor steady when the app's animation is off."""
    if app.animation_level == "none":
        field.cursor_blink = False
    return field
