"""The footer, rebuilt only when the keys it shows have changed.

Textual's ``Footer`` recomposes (new widgets for every key) each time the bindings might
have changed; a single choice triggers that several times (phase, focus), usually with
the same keys as before, which made the footer most of the cost of a key press.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

SPARE_KEYS = ("quit",)
"""Keys the footer leaves out, in this order, when they do not all fit (a projector
terminal at 60 columns): each is still listed under '?' and still works."""


def style_for_width(chosen: tuple[bool, bool], width: int) -> tuple[bool, bool]:
    """(compact, palette key shown) for a footer ``width`` wide, given what its screen chose.

    A projector terminal is narrow: tighter spacing, and the palette key (ctrl+p still
    works) gives its room to the keys, so '? Keys' stays visible at 60 columns. What a
    screen chose itself is kept at any width."""
    narrow = width < 80
    return chosen[0] or narrow, chosen[1] and not narrow


class KeyFooter(Footer):
    """A ``Footer`` that rebuilds once per burst of changes, and only if the keys differ."""

    _rebuild_pending = False

    _held = 0
    """While above 0 (a screen is making the changes of one key press), rebuilds wait."""

    _settling = False
    """While ``settle`` waits for its read of the keys: a change told meanwhile is read by
    it."""

    _chosen: tuple[bool, bool] | None = None

    _shown: Hashable = None
    """What the footer last showed: keys, words, enabled state, and its own layout."""

    def compose(self) -> ComposeResult:
        # Each key is made in the compact state it will have. A FooterKey starts compact
        # and is then bound to the footer's setting: at mount it was styled once as made,
        # again when its -compact class was added and again when it was removed (at
        # start-up 13 of the 17 times the library's widgets were styled).
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A key not bound to the footer (the palette's) stays compact, as made.
                compact = self.compact if "compact" in (widget._reactive_connect or {}) else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def on_resize(self) -> None:
        self._fit_width(self.size.width)
        if self._bindings_ready:
            self._schedule()

    def _fit_width(self, width: int) -> None:
        if self._chosen is None:
            self._chosen = (self.compact, self.show_command_palette)
        self.compact, self.show_command_palette = style_for_width(self._chosen, width)

    def _on_mount(self, event: events.Mount) -> None:
        # Instead of Textual's footer's subscription, not as well (what Widget does at
        # mount, before that, still done).
        event.prevent_default()
        super()._on_mount(event)
        # Told at once (Textual's footer is told through its message queue, so a change a
        # screen made while holding the footer arrived after ``settle`` had read it, and
        # asked the screen again once the frame was painted: about one ask per key press,
        # each checking every binding on the focus chain, always finding nothing new).
        self.screen.bindings_updated_signal.subscribe(self, self._published, immediate=True)

    def _published(self, screen: Screen[object]) -> None:
        if self._held or self._settling:
            self._bindings_ready = True
            return  # ``settle`` reads the keys once the screen has made all its changes
        self.call_next(self.bindings_changed, screen)  # in the footer's own context

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule()

    def hold(self) -> None:
        """Wait for ``settle`` before rebuilding: the keys change several times while a
        screen reacts to one key press (phase, then focus), and only the last counts."""
        self._held += 1

    def _schedule(self) -> None:
        if self._held or self._rebuild_pending:
            return  # the rebuild already scheduled will read the bindings as they are then
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild_if_changed)

    def _keys_shown(self, active: list[ActiveBinding]) -> Hashable:
        keys = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active
            if binding.show
        )
        return (keys, self.compact, self.show_command_palette)

    async def settle(self) -> None:
        """Rebuild now if the keys changed (a screen calls this inside a batched update, so
        the new keys are painted in the same frame as what changed them); ends a
        ``hold``."""
        self._held = max(0, self._held - 1)
        if self._held or not (self.is_attached and self.is_running):
            return
        done = asyncio.Event()

        async def rebuild() -> None:
            try:
                await self._rebuild_if_changed(relabel=True)
            finally:
                self._settling = False
                done.set()

        # Textual's ``Screen.set_focus`` announces a focus change again once the screen
        # is idle, which is while this waits: the read below sees that change (it had the
        # footer ask the screen again after the frame, finding nothing new).
        self._settling = True
        # The footer composes its keys in its own context (they bind to its reactives).
        self.call_next(rebuild)
        await done.wait()

    async def _rebuild_if_changed(self, *, relabel: bool = False) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        if self._chosen is None:
            # Not laid out yet (keys made for the first frame): the footer spans the
            # screen, so its style for the width is known now, before any key is styled.
            self._fit_width(self.app.size.width)
        # The screen works its keys out afresh each time it is asked (every binding on the
        # focus chain checked): once serves the comparison and the relabel.
        active = list(self.screen.active_bindings.values())
        shown = self._keys_shown(active)
        if shown == self._shown:
            return
        layout_same = self._shown is not None and shown[1:] == self._shown[1:]  # type: ignore[index]
        self._shown = shown
        if not (relabel and layout_same and self._relabel(active)):
            await self.recompose()
        self.call_after_refresh(self._fit)

    def _relabel(self, active: list[ActiveBinding]) -> bool:
        """Show the current keys on the key widgets already there (hiding any left over),
        if there are enough of them; False if the footer must be composed anew.

        Composing makes a widget per key and styles each twice (about 20 ms per key press
        on the practice screen, most of what a key press cost); relabelling costs a
        layout of the footer alone."""
        wanted: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in active:
            if binding.show:
                if binding.group is not None:
                    return False  # grouped keys are composed differently
                wanted.setdefault(binding.action, (binding, enabled, tooltip))
        keys = [
            key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")
        ]
        if len(keys) < len(wanted):
            return False
        display = self.app.get_key_display
        labels: list[Label] = [
            (binding.key, display(binding), binding.description, binding.action, not enabled)
            for binding, enabled, _ in wanted.values()
        ]
        places = _placement(
            [(k.key, k.key_display, k.description, k.action, k._disabled) for k in keys], labels
        )
        for place, label, (binding, enabled, tooltip) in zip(
            places, labels, wanted.values(), strict=True
        ):
            key = keys[place]
            if label != (key.key, key.key_display, key.description, key.action, key._disabled):
                # Only a key whose words changed is drawn (and measured) again.
                key.key = binding.key
                key.key_display = label[1]
                key.description = binding.description
                key.action = binding.action
                key._disabled = not enabled  # what FooterKey reads on a click
                key.set_class(not enabled, "-disabled")
                key.refresh(layout=True)
            if key.tooltip != (tooltip or None):
                key.tooltip = tooltip or None
            key.display = True
        for place in set(range(len(keys))).difference(places):
            keys[place].display = False
        return True

    def fit(self) -> None:
        """Leave out a spare key if the keys overflow, so '? Keys' is never cut off (a
        screen that relabels the footer inside a batched update calls this once the
        update is laid out)."""
        self._fit()

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


Label = tuple[str, str, str, str, bool]


def _placement(current: list[Label], wanted: list[Label]) -> list[int]:
    """Which key widgets (by index, in order) show the wanted keys, so that as many as
    possible already show their key: only those whose words change are drawn again, and
    the others keep their place in the row (a key that appears or goes, such as Continue
    after a choice, no longer relabels every key after it). Needs as many widgets as
    wanted keys."""
    rows, columns = len(current), len(wanted)
    # best[i][j]: the most keys left as they are when the first j wanted keys are shown by
    # widgets among the first i.
    best = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, min(i, columns) + 1):
            shown = best[i - 1][j - 1] + (current[i - 1] == wanted[j - 1])
            best[i][j] = shown if i == j else max(shown, best[i - 1][j])
    places: list[int] = []
    i, j = rows, columns
    while j:
        if i > j and best[i][j] == best[i - 1][j]:
            i -= 1  # widget i-1 is hidden
        else:
            places.append(i - 1)
            i, j = i - 1, j - 1
    return places[::-1]
