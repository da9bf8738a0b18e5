"""The room's vote as bars: one row per option (two when there was a revote).

The bars carry the count and the share as numbers too, so they read without colour and
from the back of a room.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.style import Style as VisualStyle
from textual.widget import Widget

from roleplay.core.facilitation import Decision, Round


class VoteBars(Widget):
    """Counts and shares per option for every round of one decision."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vote-bars--letter",
        "vote-bars--round",
        "vote-bars--fill",
        "vote-bars--lead",
        "vote-bars--empty",
        "vote-bars--number",
    }

    DEFAULT_CSS = """
    VoteBars {
        height: auto;
        width: 100%;
        & > .vote-bars--letter { color: $text-accent; text-style: bold; }
        & > .vote-bars--round { color: $text-muted; }
        & > .vote-bars--fill { color: $primary; }
        & > .vote-bars--lead { color: $accent; }
        & > .vote-bars--empty { color: $panel-lighten-2; }
        & > .vote-bars--number { text-style: bold; }
    }
    """

    def __init__(self, decision: Decision, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.decision = decision

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.decision.offered) * len(self.decision.rounds)

    def render(self) -> Content:
        style = self.get_visual_style
        rounds = self.decision.rounds
        two = len(rounds) > 1
        label_width = 7 if two else 0
        # "A " + label + bar + " 999  100%"
        bar_width = max(4, self.size.width - 2 - label_width - 11)
        lines: list[Content] = []
        for offered in self.decision.offered:
            for index, round_ in enumerate(rounds):
                letter = offered.letter if index == 0 else " "
                name = "1st" if round_.number == 1 else "revote"
                label = name.ljust(label_width) if two else ""
                lines.append(
                    Content.assemble(
                        (f"{letter} ", style("vote-bars--letter")),
                        (label, style("vote-bars--round")),
                        *self._bar(round_, offered.option_id, bar_width),
                    )
                )
        return Content("\n").join(lines)

    def _bar(self, round_: Round, option_id: str, width: int) -> list[tuple[str, VisualStyle]]:
        style = self.get_visual_style
        count = round_.counts[option_id]
        total = round_.total
        filled = round(width * count / total) if total else 0
        leading = option_id in round_.leaders()
        fill = style("vote-bars--lead" if leading else "vote-bars--fill")
        share = round_.percent_text(option_id)
        return [
            ("█" * filled, fill),
            ("░" * (width - filled), style("vote-bars--empty")),
            (f" {count:>3} {share:>5}", style("vote-bars--number")),
        ]
