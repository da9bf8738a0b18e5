"""A small column chart of trust over the decisions of one attempt."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.style import Style
from textual.widget import Widget

_EIGHTHS = " ▁▂▃▄▅▆▇█"


class TrustChart(Widget):
    """Trust at the start and after each decision, as columns with their values below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trust-chart--bar",
        "trust-chart--last",
        "trust-chart--axis",
    }

    DEFAULT_CSS = """
    TrustChart {
        height: auto;
        width: 100%;
        & > .trust-chart--bar { color: $primary; }
        & > .trust-chart--last { color: $accent; }
        & > .trust-chart--axis { color: $text-muted; }
    }
    """

    ROWS = 5

    def __init__(self, values: list[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values = values

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.ROWS + 2

    def render(self) -> Content:
        values = self.values or [0]
        axis = self.get_visual_style("trust-chart--axis")
        bar = self.get_visual_style("trust-chart--bar")
        last = self.get_visual_style("trust-chart--last")
        room = max(8, self.size.width - 5)
        column = 4 if len(values) * 4 <= room else 3
        shown = values[-(room // column) :]  # if there are too many, the latest matter most
        lines: list[Content] = []
        for row in range(self.ROWS, 0, -1):
            label = "100 " if row == self.ROWS else "  0 " if row == 1 else "    "
            cells: list[tuple[str, Style]] = []
            for index, value in enumerate(shown):
                eighths = round(value * self.ROWS * 8 / 100)
                level = max(0, min(8, eighths - (row - 1) * 8))
                block = _EIGHTHS[level] * (column - 1) + " "
                cells.append((block, last if index == len(shown) - 1 else bar))
            lines.append(Content.assemble((label + "│", axis), *cells))
        lines.append(Content.styled("    └" + "─" * (len(shown) * column), axis))
        numbers = "".join(f"{value:>{column - 1}} " for value in shown)
        lines.append(Content.assemble(("     ", axis), numbers))
        return Content("\n").join(lines)
