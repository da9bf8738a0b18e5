"""The chat-style transcript: client lines, the learner's replies, cues and narration.

Every piece of scenario text goes through ``plain`` so it is shown as written.
"""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
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

    _laid_out: Size | None = None
    """The size of the area inside the padding, as the layout in progress gives it."""

    def on_mount(self) -> None:
        self.anchor()

    def _get_scrollable_region(self, region: Region) -> Region:
        # Textual calls this while it lays the screen out, with the area inside the padding
        # this layout gives the transcript: remember it for ``container_size`` below.
        self._laid_out = region.size
        return super()._get_scrollable_region(region)

    @property
    def container_size(self) -> Size:
        """The size inside the padding, as of the layout in progress.

        Textual keeps the bottom of an anchored transcript in view using this size, but
        only updates it after the layout: when the transcript changes height in the same
        layout as it gains lines (the feedback card replaces the options below it), the
        scroll was worked out for the old height and a second layout and frame followed
        to correct it. With the new height the first frame is already right."""
        return self._laid_out or super().container_size


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


class ClientMessage(Static):
    """One line from the client (or another speaker): the name, a non-verbal cue, the words.

    One widget per message, its parts styled inside its content: a transcript of many
    messages re-lays out on every new line, and fewer widgets keep that quick.
    """

    DEFAULT_CSS = """
    ClientMessage {
        height: auto;
        margin: 1 6 0 0;
        padding: 0 1;
        background: $boost;
        border-left: wide $accent;
        &.-other { border-left: wide $secondary; }
        &.-cue-only { background: transparent; }
    }
    """

    def __init__(
        self, name: str, say: str | None, cue: str | None, *, other_speaker: bool = False
    ) -> None:
        classes = ("-other " if other_speaker else "") + ("" if say else "-cue-only")
        super().__init__(message_content(name, say, cue, other_speaker), classes=classes)
        self.client_name = name
        self.say = say
        self.cue = cue


def message_content(name: str, say: str | None, cue: str | None, other: bool) -> Content:
    """A client message as one piece of styled content (text shown as written)."""
    parts = [plain(name, "bold $text-secondary" if other else "bold $text-accent")]
    if cue:
        parts.append(plain(f"({cue})", "italic $text-muted"))
    if say:
        parts.append(plain(say))
    return Content("\n").join(parts)


class LearnerMessage(Static):
    """What the learner said (the option chosen), or the words they wrote first."""

    DEFAULT_CSS = """
    LearnerMessage {
        height: auto;
        margin: 1 0 0 6;
        padding: 0 1;
        background: $primary-muted;
        border-right: wide $primary;
        &.-own-words {
            background: $surface;
            border-right: wide $secondary;
        }
    }
    """

    def __init__(self, label: str, text: str, *, own_words: bool = False) -> None:
        words = plain(text, "italic") if own_words else plain(text)
        super().__init__(
            Content("\n").join([plain(label, "bold $text-primary"), words]),
            classes="-own-words" if own_words else "",
        )
        self.label = label
        self.text = text


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
        widgets.append(
            ClientMessage(
                line.speaker or name, line.say, line.cue, other_speaker=line.speaker is not None
            )
        )
    return widgets
