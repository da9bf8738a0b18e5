"""The projected page's type: full-width heading bands, smaller headings and hanging bullets.

Present mode's stylesheet (``screens/present.tcss``) sizes them for a room.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from roleplay.tui.text import plain


def band(text: str, *, id: str | None = None) -> Static:
    """A large heading: a full-width band of bold capitals."""
    return Static(plain(text.upper()), classes="band", id=id)


def heading(text: str) -> Static:
    """A section heading within a page."""
    return Static(plain(text), classes="heading")


class Bullet(Horizontal):
    """A list item whose wrapped lines hang under the text, not under the bullet."""

    DEFAULT_CSS = """
    Bullet {
        height: auto;
        padding-left: 1;
        & > .mark { width: 2; }
        & > .words { width: 1fr; }
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content("•"), classes="mark")
        yield Static(plain(self.text), classes="words")


def bullet(text: str) -> Bullet:
    """One item of a bulleted list."""
    return Bullet(text)
