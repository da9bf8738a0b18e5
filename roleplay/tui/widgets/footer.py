"""The footer, rebuilt once per burst of binding changes.

Textual's ``Footer`` recomposes every time bindings change; a single choice changes them
several times (phase, focus), which made the footer most of the cost of a key press.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that coalesces binding changes arriving before the next refresh."""

    _rebuild_pending = False

    _chosen: tuple[bool, bool] | None = None

    def on_resize(self) -> None:
        # A projector terminal is narrow: tighter spacing, and the palette hint (ctrl+p still
        # works) gives its room to the keys, so '? Keys' stays visible at 60 columns. What a
        # screen chose itself is kept at any width.
        if self._chosen is None:
            self._chosen = (self.compact, self.show_command_palette)
        narrow = self.size.width < 80
        self.compact = self._chosen[0] or narrow
        self.show_command_palette = self._chosen[1] and not narrow

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._rebuild_pending:
            return  # the rebuild already scheduled will read the bindings as they are then
        self._rebuild_pending = True
        super().bindings_changed(screen)
        self.call_after_refresh(self._rebuilt)

    def _rebuilt(self) -> None:
        self._rebuild_pending = False
