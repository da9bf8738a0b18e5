"""The footer, rebuilt only when the keys it shows have changed.

Textual's ``Footer`` recomposes (new widgets for every key) each time the bindings might
have changed; a single choice triggers that several times (phase, focus), usually with
the same keys as before, which made the footer most of the cost of a key press.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

SPARE_KEYS = ("quit",)
"""Keys the footer leaves out, in this order, when they do not all fit (a projector
terminal at 60 columns): each is still listed under '?' and still works."""


class KeyFooter(Footer):
    """A ``Footer`` that rebuilds once per burst of changes, and only if the keys differ."""

    _rebuild_pending = False

    _chosen: tuple[bool, bool] | None = None

    _shown: Hashable = None
    """What the footer last showed: keys, words, enabled state, and its own layout."""

    def on_resize(self) -> None:
        # A projector terminal is narrow: tighter spacing, and the palette hint (ctrl+p still
        # works) gives its room to the keys, so '? Keys' stays visible at 60 columns. What a
        # screen chose itself is kept at any width.
        if self._chosen is None:
            self._chosen = (self.compact, self.show_command_palette)
        narrow = self.size.width < 80
        self.compact = self._chosen[0] or narrow
        self.show_command_palette = self._chosen[1] and not narrow
        if self._bindings_ready:
            self._schedule()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule()

    def _schedule(self) -> None:
        if self._rebuild_pending:
            return  # the rebuild already scheduled will read the bindings as they are then
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild_if_changed)

    def _keys_shown(self) -> Hashable:
        keys = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.compact, self.show_command_palette)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Leave out a spare key if the keys overflow, so '? Keys' is never cut off."""
        if self.max_scroll_x <= 0:
            return
        for action in SPARE_KEYS:
            for key in self.query(FooterKey):
                if key.action == action and key.display:
                    key.display = False
                    self.call_after_refresh(self._fit)
                    return
