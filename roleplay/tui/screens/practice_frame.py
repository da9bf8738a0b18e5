"""One frame per key press on the practice screen: the layout pass that paints a key
press's changes also stands for the refreshes that layout itself asks for.

After Textual lays a screen out, it tells every widget whose size changed (and every
widget just mounted) its new size; setting a widget's ``virtual_size`` then asks for
another layout and a repaint of that widget. The widget was already laid out at that size
and painted in the frame that follows, so that second layout finds nothing to move and
repaints the same cells: a second full frame after every key press (about 10 KB, and a
layout and render of the whole transcript again). This module drops those requests when
the frame just painted covered the widget, so a key press writes one frame.

A request is kept when it can matter: a scrollable widget whose scrollbar appeared or went
(its content area changed width, so it must be laid out again), a widget the frame did not
repaint, and anything asked for after the frame (a handler reacting to its new size).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


class FramePass:
    """What one layout pass painted, for ``absorb`` (kept on the screen)."""

    def __init__(self) -> None:
        self.painted = False
        self.whole_screen = False


def _scrollbars(widget: Widget) -> tuple[bool, bool]:
    return (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar)


@contextmanager
def absorb(screen: Screen[Any], frame: FramePass, *, scroll: bool) -> Iterator[None]:
    """Run one of the screen's layout passes; afterwards drop the layout and repaint
    requests it caused for widgets the frame it painted already covers."""
    compositor = screen._compositor
    if not scroll or screen._layout_widgets:
        # A full layout follows, which builds the whole map anew. Textual first marks the
        # map stale when a widget to repaint is new, and a scrollbar refreshed in the middle
        # of the layout then builds the whole map a second time to find itself; the map
        # of the last layout serves it as well (the layout repaints what moved).
        compositor.update_widgets(screen._dirty_widgets)
        screen._dirty_widgets.clear()
        compositor._full_map_invalidated = False
    before = compositor._full_map
    scrollable = {widget: _scrollbars(widget) for widget in before if widget.is_scrollable}
    frame.painted = frame.whole_screen = False
    yield
    after = compositor._full_map
    if after is before or not frame.painted:
        return  # the fast path for scrolling, or nothing painted yet (a batch)
    changed = {widget for widget, geometry in after.items() if before.get(widget) != geometry}
    for widget in after:
        if not (widget._layout_required or widget._repaint_required):
            continue
        if widget.is_scrollable and scrollable.get(widget, (False, False)) != _scrollbars(widget):
            continue  # a scrollbar came or went: the content area must be laid out anew
        covered = frame.whole_screen or widget in changed
        if not covered:
            covered = any(ancestor in changed for ancestor in widget.ancestors)
        if covered:
            widget._layout_required = False
            widget._repaint_required = False


def painting(screen: Screen[Any], frame: FramePass) -> None:
    """Note that the screen is about to paint (and whether all of it)."""
    frame.painted = True
    compositor = screen._compositor
    frame.whole_screen = compositor.size.region in compositor._dirty_regions
