"""The chat-style transcript: client lines, the learner's replies, cues and narration.

Every piece of scenario text goes through ``plain`` so it is shown as written.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from roleplay.core.engine import ShownLine
from roleplay.tui.text import plain


class Transcript(VerticalScroll):
    """The conversation so far, kept scrolled to the newest message."""

    DEFAULT_CSS = """
    Transcript {
        height: 1fr;
        padding: 0 1 1 1;
        background: $background;
        scrollbar-size-vertical: 1;
    }
    """

    def on_mount(self) -> None:
        self.anchor()


class Segment(Vertical):
    """Everything that followed one decision; removed as a whole when it is rewound."""

    DEFAULT_CSS = """
    Segment { height: auto; }
    """


class Narration(Static):
    """Scene-setting narration, shown apart from anyone's words."""

    DEFAULT_CSS = """
    Narration {
        margin: 1 4 0 2;
        color: $text-muted;
        text-style: italic;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(plain(text))


class ClientMessage(Vertical):
    """One line from the client: their name, a non-verbal cue and/or their words."""

    DEFAULT_CSS = """
    ClientMessage {
        height: auto;
        margin: 1 6 0 0;
        & > .speaker { color: $text-accent; text-style: bold; }
        & > .cue { color: $text-muted; text-style: italic; padding: 0 1; }
        & > .say {
            background: $boost;
            border-left: wide $accent;
            padding: 0 1;
        }
    }
    """

    def __init__(self, name: str, say: str | None, cue: str | None) -> None:
        super().__init__()
        self.client_name = name
        self.say = say
        self.cue = cue

    def compose(self) -> ComposeResult:
        yield Static(plain(self.client_name), classes="speaker")
        if self.cue:
            yield Static(plain(f"({self.cue})"), classes="cue")
        if self.say:
            yield Static(plain(self.say), classes="say")


class LearnerMessage(Vertical):
    """What the learner said (the option chosen), or the words they wrote first."""

    DEFAULT_CSS = """
    LearnerMessage {
        height: auto;
        margin: 1 0 0 6;
        & > .speaker { color: $text-primary; text-style: bold; text-align: right; }
        & > .say {
            background: $primary-muted;
            border-right: wide $primary;
            padding: 0 1;
        }
        &.-own-words > .say {
            background: $surface;
            border-right: wide $secondary;
            text-style: italic;
        }
    }
    """

    def __init__(self, label: str, text: str, *, own_words: bool = False) -> None:
        super().__init__(classes="-own-words" if own_words else "")
        self.label = label
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(plain(self.label), classes="speaker")
        yield Static(plain(self.text), classes="say")


class Notice(Static):
    """A quiet note from the app itself: a rewind, the trust change, a rating chip."""

    DEFAULT_CSS = """
    Notice {
        margin: 1 2 0 2;
        color: $text-muted;
        text-align: center;
        &.-trust { margin: 0 0 0 2; text-align: right; }
        &.-rewind { color: $text-warning; }
        &.-ended { color: $text; text-style: bold; border: round $border; padding: 0 1; }
    }
    """


class Typing(Static):
    """The 'client is typing' pause before a reaction (skippable)."""

    DEFAULT_CSS = """
    Typing {
        margin: 1 0 0 0;
        color: $text-muted;
        text-style: italic;
    }
    """


def line_widgets(name: str, line: ShownLine) -> list[Static | Vertical]:
    """The widgets that show one line of the scenario."""
    widgets: list[Static | Vertical] = []
    if line.narration:
        widgets.append(Narration(line.narration))
    if line.say or line.cue:
        widgets.append(ClientMessage(name, line.say, line.cue))
    return widgets
