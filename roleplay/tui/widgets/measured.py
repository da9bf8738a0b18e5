"""A container laid out once per layout instead of twice.

Textual lays out a container whose height is its content's (``height: auto``) twice in
each layout: once to measure its height (for the layout around it) and once at that height
to place its parts. When no part's height depends on the container's (each is as tall as
its own content), the second places every part exactly where the first did; the second
then reuses the first.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.widget import Widget


class MeasuredOnce(Widget):
    """Reuses the arrangement made to measure the container when it is laid out at the
    height measured. Only for containers whose parts are as tall as their own content."""

    _measured: tuple[int, int, bool, DockArrangeResult] | None = None
    """The last arrangement: for which width, children and ``optimal``."""

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        measured = self._measured
        if (
            measured is not None
            and measured[:3] == (size.width, self._nodes._updates, optimal)
            and measured[3].total_region.height == size.height
        ):
            return measured[3]
        arrangement = super().arrange(size, optimal)
        self._measured = (size.width, self._nodes._updates, optimal, arrangement)
        return arrangement

    def _clear_arrangement_cache(self) -> None:
        # Textual forgets its own arrangements when a part needs laying out anew.
        super()._clear_arrangement_cache()
        self._measured = None
