"""The chat-style transcript: client lines, the learner's replies, cues and narration.

Every piece of scenario text goes through ``plain`` so it is shown as written.
"""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.style import Style as RichStyle
from textual import events
from textual.app import RenderResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
from textual.renderables.blank import Blank
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.engine import ShownLine
from roleplay.tui.text import plain
from roleplay.tui.widgets.measured import MeasuredOnce


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

    def render_lines(self, crop: Region) -> list[Strip]:
        # Its own lines (the padding and the room around the chapters) are blank: drawn as
        # such, without Textual working out its styles for each.
        color = self.background_colors[1].rich_color
        return [Strip.blank(crop.width, RichStyle.from_color(bgcolor=color))] * crop.height

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

    @property
    def last_segment(self) -> Segment | None:
        """The newest segment (the decision in progress), if any."""
        chapter = self.children[-1] if self.children else None
        last = chapter.children[-1] if chapter is not None and chapter.children else None
        return last if isinstance(last, Segment) else None

    async def show_segments(self, segments: list[Segment]) -> None:
        """Show a whole replayed path (the transcript is empty), in chapters."""
        starts = range(0, len(segments), CHAPTER)
        await self.mount_all(Chapter(*segments[start : start + CHAPTER]) for start in starts)

    async def add_segment(self, segment: Segment) -> None:
        """Add a decision's segment at the end: to the last chapter, or a new one if it is
        full."""
        last = self.children[-1] if self.children else None
        if isinstance(last, Chapter) and len(last.children) < CHAPTER:
            await last.mount(segment)
        else:
            await self.mount(Chapter(segment))

    async def drop_segment(self, segment: Segment) -> None:
        """Remove a segment (a rewind), and its chapter if nothing else is left in it."""
        chapter = segment.parent
        if isinstance(chapter, Chapter) and len(chapter.children) == 1:
            await chapter.remove()
        else:
            await segment.remove()


CHAPTER = 8
"""Segments per chapter."""


class Column(MeasuredOnce, Vertical):
    """A column as tall as what it holds, each part as tall as its own content: laid out
    once per layout (``MeasuredOnce``)."""


class Chapter(Column):
    """A run of consecutive segments. The screen looks its widgets up level by level
    (``query_one`` walks breadth first, and every mount in the transcript empties its
    cache): with every segment a child of the transcript, each look-up of the options or
    the card walked past all the decisions so far, a cost on every key press that grew
    with the conversation. In chapters it walks past a few; and the transcript lays out a
    few chapters, of which only the last changes as the conversation goes on."""

    DEFAULT_CSS = """
    Chapter { height: auto; }
    """

    BLANK = True
    """A chapter draws nothing of its own (no background, border or text): it is drawn as
    blank lines without Textual working out its styles for each of them."""


class Segment(Column):
    """Everything that followed one decision; removed as a whole when it is rewound.

    Once its decision is over a segment is *collapsed* (``collapse``): its messages stay
    in the DOM (styled, queried, themed as before) but leave the screen's layout map, and
    the segment paints them itself as one widget, in the same cells (see ``segment_art``).
    A transcript of many decisions is then a few widgets to lay out, place and cut into
    strips on every frame instead of several per decision. ``restore`` puts the messages
    back (a rewind to this decision, or the mouse arriving to select text)."""

    DEFAULT_CSS = """
    Segment { height: auto; }
    """

    collapsed: bool = False
    _art: tuple[tuple[object, ...], list[Strip]] | None = None
    """The picture painted while collapsed, and what it was painted for."""
    _height: tuple[tuple[object, ...], int] | None = None
    """The height measured while collapsed, and what it was measured for."""

    def collapse(self) -> None:
        """Paint the messages as one widget from the next layout on."""
        if not self.collapsed:
            self.collapsed = True
            self._art = None
            self.refresh(layout=True)

    def restore(self) -> None:
        """Put the messages back on screen as widgets of their own."""
        if self.collapsed:
            self.collapsed = False
            self._art = None
            self.refresh(layout=True)

    @property
    def is_container(self) -> bool:
        # Collapsed, the compositor places the segment alone, not its messages.
        return not self.collapsed and super().is_container

    @property
    def is_scrollable(self) -> bool:
        return not self.collapsed and super().is_scrollable

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.collapsed:
            return super().get_content_height(container, viewport, width)
        # As tall as the messages laid out as a container lays them out. The chapter around
        # a segment measures it again whenever a decision is added to the chapter; its
        # height depends only on the width and on its messages (their number, content and
        # styles), so it is measured once for those.
        key = (
            width,
            self._layout_updates,
            self._nodes._updates,
            tuple(child.styles._cache_key for child in self.children),
        )
        if self._height is None or self._height[0] != key:
            layout = self.layout
            height = layout.get_content_height(self, container, viewport, width) if width else 0
            self._height = (key, height)
        return self._height[1]

    @property
    def _blank_color(self) -> RichColor:
        return self.background_colors[1].rich_color

    def render(self) -> RenderResult:
        # What a container paints beneath its children, collapsed or not.
        return Blank(self.background_colors[1])

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.collapsed:
            # Its own lines are blank (``render``): drawn as such, without Textual working
            # out its styles for each.
            blank = Strip.blank(crop.width, RichStyle.from_color(bgcolor=self._blank_color))
            return [blank] * crop.height
        art = segment_art(self)
        x1, x2 = crop.column_span
        whole = (x1, x2) == (0, self.size.width)
        return [art[y] if whole else art[y].crop(x1, x2) for y in crop.line_range]

    def _on_enter(self, event: events.Enter) -> None:
        # Text is selected in the messages' own widgets: give them back to the mouse.
        self.restore()


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


def line_widgets(name: str, line: ShownLine) -> list[Static]:
    """The widgets that show one line of the scenario."""
    widgets: list[Static] = []
    if line.narration:
        widgets.append(Narration(line.narration))
    if line.say or line.cue:
        widgets.append(
            ClientMessage(
                line.speaker or name, line.say, line.cue, other_speaker=line.speaker is not None
            )
        )
    return widgets


def segment_art(segment: Segment) -> list[Strip]:
    """Every line of a collapsed segment as the compositor would paint the segment and its
    messages: the segment's own (blank) lines with each message's lines laid over them,
    each message rendered by Textual's own renderer from its own styles (borders, padding,
    background, text) at the size the segment's layout gives it."""
    size = segment.size
    app = segment.app
    # Painted again when the size, the messages, their styles (a class, a theme) or the
    # theme's colours around them change.
    key = (
        size,
        segment._layout_updates,
        segment._nodes._updates,
        tuple(child.styles._cache_key for child in segment.children),
        app.theme,
        app.ansi_color,
    )
    if segment._art is not None and segment._art[0] == key:
        return segment._art[1]
    # A segment has no border or padding: every line beneath its messages is the same.
    blank = Widget.render_lines(segment, Region(0, 0, size.width, 1)) if size else []
    lines = blank * size.height
    for placement in segment.arrange(size).placements:
        region = placement.region
        if not region:
            continue
        over = _widget_lines(placement.widget, region.size)
        for y, strip in enumerate(over, region.y):
            if 0 <= y < len(lines):
                base = lines[y]
                lines[y] = Strip.join(
                    [base.crop(0, region.x), strip, base.crop(region.right, size.width)]
                )
    segment._art = (key, lines)
    return lines


def _widget_lines(widget: Widget, size: Size) -> list[Strip]:
    """A widget's lines at ``size``, as ``Widget.render_lines`` gives them in the map.

    Through the widget's own caches: the lines it painted while it was live are reused
    (collapsing costs no new rendering), and a new size or style renders them anew."""
    styles = widget.styles
    content = size - styles.gutter.totals
    rendered = widget._render_cache
    body = rendered.lines if not widget._dirty_regions and rendered.size == content else None

    def content_line(y: int) -> Strip:
        nonlocal body
        if body is None:
            visual = widget._render()
            style = widget.visual_style
            body = Visual.to_strips(widget, visual, content.width, content.height, style)
        if y < len(body):
            return body[y]
        return Strip.blank(content.width, widget.visual_style.rich_style)

    base_background, background = widget.background_colors
    title = widget._border_title
    subtitle = widget._border_subtitle
    return widget._styles_cache.render(
        styles,
        size,
        base_background,
        background,
        content_line,
        widget.get_line_filters(),
        None if title is None else (title, *widget._get_title_style_information(base_background)),
        None
        if subtitle is None
        else (subtitle, *widget._get_subtitle_style_information(base_background)),
        content_size=content,
        padding=styles.padding,
        crop=size.region,
        opacity=widget.opacity,
        ansi_theme=widget.app.ansi_theme,
        native_ansi=widget.app.native_ansi_color,
    )
