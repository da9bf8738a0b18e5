"""Turning scenario text (data, never markup) into something safe to put on screen.

Scenario files are written by people we do not control. Textual markup such as
``[bold]`` or ``[@click=app.quit]`` must show as the characters typed, and terminal
escape sequences must not reach the terminal. Every scenario string shown by the app
goes through ``clean`` or ``plain``.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from roleplay.core.safetext import clean as _clean
from roleplay.core.wording import quoted

__all__ = ["clean", "clip", "plain", "quoted", "trust_move"]


def clean(text: str) -> str:
    """The text with every control character made visible and harmless.

    The core's one cleaner (``roleplay.core.safetext.clean``) does the work; in prose on
    screen a tab is just a space.
    """
    return _clean(text.replace("\t", " "))


def plain(text: str, style: Style | str = "") -> Content:
    """Scenario text as Content: shown exactly as written, never parsed as markup."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def clip(text: str, limit: int = 80) -> str:
    """One line of at most ``limit`` characters, for titles and lists."""
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def trust_move(before: int, after: int) -> str:
    """A change of trust as text, e.g. ``trust 40 → 52 (▲12)``: arrows, not colour alone."""
    delta = after - before
    arrow = f"▲{delta}" if delta > 0 else f"▼{-delta}" if delta else "±0"
    return f"trust {before} → {after} ({arrow})"
