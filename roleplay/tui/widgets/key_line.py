"""The practice screen's footer: its keys drawn by one widget, as one line of styled text.

Each key press on the practice screen changes the keys on offer (Choose becomes Continue,
Fold appears). Textual's footer is a row of key widgets: a change relabelled or showed
one of them, and the row was laid out again, each key measured, moved and drawn anew,
about a tenth of the work of a key press. ``KeyLine`` draws the same keys in the same
cells (the footer's own styles, spacing and order, the palette key at the right edge)
and behaves the same way: a click presses a key, the pointer highlights a key and shows
its tooltip, a narrow terminal gets the compact style without the palette key, and the
spare keys (``SPARE_KEYS``) are left out when the keys would not fit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from roleplay.tui.widgets.footer import SPARE_KEYS, style_for_width


class Key(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class Place(NamedTuple):
    """Where a key is drawn on the line: from column ``start``, ``width`` cells."""

    start: int
    width: int
    key: Key


def footer_keys(screen: Screen[object]) -> tuple[list[Key], Key | None]:
    """The keys a Textual footer shows for ``screen`` (the first binding of each action, in
    order) and the command palette's key, if the screen offers it."""
    app = screen.app
    active = screen.active_bindings
    by_action: defaultdict[str, list[Key]] = defaultdict(list)
    for _, binding, enabled, tooltip in active.values():
        if binding.show:
            by_action[binding.action].append(
                _key(app.get_key_display(binding), binding, enabled, tooltip)
            )
    keys = [shown[0] for shown in by_action.values()]
    palette: Key | None = None
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
        display = app.get_key_display(binding)
        palette = _key(display, binding, enabled, binding.tooltip or binding.description)
    return keys, palette


def _key(display: str, binding: Binding, enabled: bool, tooltip: str) -> Key:
    return Key(binding.key, display, binding.description, binding.action, enabled, tooltip)


class KeyLine(Widget, can_focus=False):
    """The keys that apply now, in one line (see the module's docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "key-line--item",
        "key-line--hover",
        "key-line--edge",
    }
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-line--item { background: $footer-item-background; }
        & > .key-line--hover { background: $block-hover-background; }
        & > .key-line--edge { color: $foreground 20%; background: $footer-item-background; }
    }
    """

    compact = False
    """Textual's footer's compact style: less space around each key's words."""
    show_palette = True
    """Whether the command palette's key is shown, at the right edge."""

    _held = 0
    """While above 0 (a screen is making the changes of one key press), the keys are read
    by ``settle``, not at each change."""

    def __init__(self, *, compact: bool = False, show_palette: bool = True) -> None:
        super().__init__()
        self._chosen = (compact, show_palette)
        self._keys: tuple[tuple[Key, ...], Key | None] = ((), None)
        self._places: list[Place] = []
        self._hover: int | None = None
        self._lines: dict[object, tuple[list[Place], Strip]] = {}
        """Lines drawn, by what they show: the keys alternate between a few sets (a choice,
        then its card), each drawn once."""

    # -- which keys ------------------------------------------------------------------------
    def on_mount(self) -> None:
        # Told at once, so that a change made while held is read by ``settle``, not after
        # the frame; the keys are read once now (the screen's bindings are in place).
        self.screen.bindings_updated_signal.subscribe(self, self._published, immediate=True)
        self.read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _published(self, screen: Screen[object]) -> None:
        if not self._held and screen is self.screen:
            self.call_next(self.read_keys)

    def hold(self) -> None:
        """Leave the keys as they are until ``settle``: they change several times while a
        screen reacts to one key press (phase, then focus), and only the last counts."""
        self._held += 1

    async def settle(self) -> None:
        """Show the keys as they are now (inside the key press's batched update, so the
        new keys are painted in its frame); ends a ``hold``."""
        self._held = max(0, self._held - 1)
        if not self._held and self.is_attached:
            self.read_keys()

    def read_keys(self) -> None:
        """Read the screen's keys; draw them again if they changed."""
        if not self.is_attached:
            return
        keys, palette = footer_keys(self.screen)
        shown = (tuple(keys), palette)
        if shown != self._keys:
            self._keys = shown
            self._repaint()

    def _repaint(self) -> None:
        """Have the screen's next frame paint the line.

        ``refresh`` hands the line to the screen only once the line's own message queue is
        idle, which after a key press comes after the screen has painted the key press's
        frame: the frame showed the old keys, and a second frame the new. This hands it
        over now, as the screen does when that message arrives (Textual 8.2.8)."""
        self.refresh()
        screen = self.screen
        if self._repaint_required and screen.is_current:
            self._repaint_required = False
            screen._dirty_widgets.add(self)
            screen.check_idle()

    def on_resize(self, event: events.Resize) -> None:
        # The style for the width, as on every other screen.
        self.compact, self.show_palette = style_for_width(self._chosen, event.size.width)
        self._repaint()

    # -- drawing ---------------------------------------------------------------------------
    def _key_cells(self, key: Key, *, compact: bool | None = None) -> list[tuple[str, str]]:
        """A key's text as Textual's footer key draws it: (text, component) pairs."""
        name, words = "footer-key--key", "footer-key--description"
        if not key.description:
            return [(key.display, name)]
        if self.compact if compact is None else compact:
            return [(key.display, name), (f" {key.description}", words)]
        return [(f" {key.display} ", name), (f"{key.description} ", words)]

    def _key_width(self, key: Key, *, compact: bool | None = None) -> int:
        return sum(cell_len(text) for text, _ in self._key_cells(key, compact=compact))

    def _layout(self, width: int) -> tuple[list[Place], Place | None]:
        """Where each key goes: from the left, a space after each in the compact style,
        leaving out spare keys while they do not fit; the palette's key at the right."""
        keys, palette = list(self._keys[0]), self._keys[1] if self.show_palette else None
        gap = 1 if self.compact else 0
        edge: Place | None = None
        room = width
        if palette is not None:
            # Textual's footer draws the palette's key in the compact style at any width.
            size = 1 + self._key_width(palette, compact=True)
            size += 0 if self.compact else 1  # its padding on the right
            edge = Place(width - size, size, palette)
            room -= size

        for action in SPARE_KEYS:
            if sum(self._key_width(key) + gap for key in keys) <= room:
                break
            keys = [key for key in keys if key.action != action]
        places: list[Place] = []
        x = 0
        for key in keys:
            size = self._key_width(key)
            places.append(Place(x, size, key))
            x += size + gap
        return places, edge

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (
            width,
            self._keys,
            self.compact,
            self.show_palette,
            self._hover,
            self.styles._cache_key,
            self.app.theme,
            self.app.ansi_color,
        )
        drawn = self._lines.get(key)
        if drawn is None:
            if len(self._lines) > 32:
                self._lines.clear()
            drawn = self._lines[key] = self._draw(width)
        self._places = drawn[0]
        return drawn[1]

    def _draw(self, width: int) -> tuple[list[Place], Strip]:
        places, edge = self._layout(width)
        # Between keys, the footer's own background (no colour: Textual draws it blank).
        base = Style(bgcolor=self.rich_style.bgcolor)
        segments: list[Segment] = []
        x = 0
        for index, place in enumerate(places):
            if place.start > x:
                segments.append(Segment(" " * (place.start - x), base))
            segments.extend(self._key_segments(place.key, index == self._hover))
            x = place.start + place.width
        if edge is not None:
            room = edge.start
            strip = Strip(segments, x).crop(0, room) if x > room else Strip(segments, x)
            segments = list(strip)
            x = min(x, room)
            if room > x:
                segments.append(Segment(" " * (room - x), base))
            hovered = self._hover == len(places)
            item = self._item_style(hovered)
            segments.append(Segment("▏", item + self.get_component_rich_style("key-line--edge")))
            segments.extend(self._key_segments(edge.key, hovered, compact=True))
            if not self.compact:
                segments.append(Segment(" ", Style(bgcolor=item.bgcolor)))  # its padding
            x = width
        line = Strip(segments).adjust_cell_length(width, base).crop(0, width)
        return ([*places, edge] if edge is not None else places), line

    def _item_style(self, hovered: bool) -> Style:
        names = ("key-line--item", "key-line--hover") if hovered else ("key-line--item",)
        return self.get_component_rich_style(*names)

    def _key_segments(
        self, key: Key, hovered: bool, *, compact: bool | None = None
    ) -> list[Segment]:
        item = self._item_style(hovered)
        if not key.enabled:
            item += Style(dim=True)
        extra = ("key-line--hover",) if hovered else ()
        return [
            Segment(text, item + self.get_component_rich_style("key-line--item", name, *extra))
            for text, name in self._key_cells(key, compact=compact)
        ]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    # -- the mouse ---------------------------------------------------------------------------
    def _place_at(self, x: int) -> int | None:
        for index, place in enumerate(self._places):
            if place.start <= x < place.start + place.width:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._place_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            self._hover = index
            self.tooltip = (self._places[index].key.tooltip or None) if index is not None else None
            self._repaint()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._place_at(event.x)
        if index is None:
            return
        key = self._places[index].key
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
