"""The trust meter: a bar, the number, the band name and the last change."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.tui.text import clip


class TrustMeter(Widget):
    """Shows trust 0-100 with its band; the change is given as a word-free arrow and number
    so it reads without colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trust-meter--label",
        "trust-meter--fill",
        "trust-meter--empty",
        "trust-meter--band",
        "trust-meter--up",
        "trust-meter--down",
    }

    DEFAULT_CSS = """
    TrustMeter {
        height: 1;
        width: auto;
        padding: 0 1;
        & > .trust-meter--label { color: $text-muted; }
        & > .trust-meter--fill { color: $primary; }
        & > .trust-meter--empty { color: $panel-lighten-2; }
        & > .trust-meter--band { color: $text; text-style: bold; }
        & > .trust-meter--up { color: $text-success; text-style: bold; }
        & > .trust-meter--down { color: $text-error; text-style: bold; }
    }
    """

    value: reactive[int] = reactive(0)
    band: reactive[str] = reactive("", layout=True)
    """Laid out again when it changes: a longer band ('Closed off' after 'Open') would
    otherwise wrap inside the old width and show its first word only."""
    delta: reactive[int] = reactive(0)
    bar_width: reactive[int] = reactive(16, layout=True)

    def show(self, value: int, band: str, delta: int = 0) -> None:
        """Update everything at once."""
        self.value = value
        self.band = clip(band, 18)
        self.delta = delta

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 6 + self.bar_width + 5 + len(self.band) + 5

    def render(self) -> Content:
        style = self.get_visual_style
        filled = round(self.bar_width * self.value / 100)
        if self.delta > 0:
            change = (f" ▲{self.delta}", style("trust-meter--up"))
        elif self.delta < 0:
            change = (f" ▼{-self.delta}", style("trust-meter--down"))
        else:
            change = ("", style("trust-meter--label"))
        return Content.assemble(
            ("Trust ", style("trust-meter--label")),
            ("█" * filled, style("trust-meter--fill")),
            ("░" * (self.bar_width - filled), style("trust-meter--empty")),
            f" {self.value:>3} ",
            (self.band, style("trust-meter--band")),
            change,
        )
