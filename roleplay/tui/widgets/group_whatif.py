"""Present mode's 'what if': every option at the decision compared on one line each.

Letter, rating, trust change, the option's words cut to one line, the room's count in the
vote that decided, and a mark on the room's choice: a room of 25 can take in four options
at a glance on a 60x20 projector. ``d`` adds the details (the client's reaction and why,
as cards); the screen asks for them, this module draws both.
"""

from __future__ import annotations

from typing import ClassVar

from textual.containers import Grid, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.engine import Turn
from roleplay.core.facilitation import Decision, Facilitation, Offered
from roleplay.tui.text import plain, quoted, trust_move
from roleplay.tui.widgets.feedback import RatingBadge

ROOM_MARK = "◀ room"


class WhatIfTable(Widget):
    """One row per option: letter, rating, trust change, one line of words, votes, the
    room's choice marked (and the option the group went on with, when it differs)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "what-if-table--letter",
        "what-if-table--room",
        "what-if-table--muted",
    }

    DEFAULT_CSS = """
    WhatIfTable {
        height: auto;
        width: 100%;
        & > .what-if-table--letter { text-style: bold; color: $text-accent; }
        & > .what-if-table--room { text-style: bold; color: $text-accent; }
        & > .what-if-table--muted { color: $text-muted; }
    }
    """

    def __init__(
        self, decision: Decision, previews: list[tuple[Offered, Turn]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.decision = decision
        self.previews = previews

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.previews) + 1

    def render(self) -> Content:
        style = self.get_visual_style
        decision = self.decision
        round_ = decision.round
        room = decision.room_choice
        width = max(30, self.size.width)
        votes_width = max(5, len(str(round_.total)) + 1)
        # "A " + "!! " + "▲15   " + words + " 16" + " ◀ room"
        words_width = max(8, width - 2 - 3 - 6 - votes_width - len(ROOM_MARK) - 2)
        head = (
            "  "
            + "".ljust(3)
            + "trust".ljust(6)
            + "what they would say".ljust(words_width)
            + "votes".rjust(votes_width)
        )
        lines = [Content.styled(head, style("what-if-table--muted"))]
        for offered, turn in self.previews:
            delta = turn.delta
            arrow = f"▲{delta}" if delta > 0 else f"▼{-delta}" if delta else "±0"
            words = " ".join(offered.text.split())
            if len(words) > words_width - 1:
                words = words[: words_width - 2].rstrip() + "…"
            count = str(round_.counts.get(offered.option_id, 0))
            is_room = offered.option_id == room
            mark = f" {ROOM_MARK}" if is_room else ""
            lines.append(
                Content.assemble(
                    (f"{offered.letter} ", style("what-if-table--letter")),
                    plain(turn.feedback.rating.symbol.ljust(3)),
                    plain(arrow.ljust(6)),
                    plain(words.ljust(words_width)),
                    plain(count.rjust(votes_width)),
                    (mark, style("what-if-table--room")),
                )
            )
        return Content("\n").join(lines)


def what_if_details(session: Facilitation, name: str) -> Widget:
    """A card per option: its rating, words, trust change, the reaction and why."""
    cards: list[Widget] = []
    for offered, turn in session.previews():
        rows: list[Widget] = [
            RatingBadge(turn.feedback.rating),
            Static(plain(quoted(offered.text)), classes="said"),
            Static(Content(trust_move(turn.trust_before, turn.trust_after)), classes="move"),
        ]
        for line in turn.reaction:
            if line.cue:
                rows.append(Static(plain(f"[{line.cue}]"), classes="cue"))
            if line.say:
                rows.append(Static(plain(f"{name}: {quoted(line.say)}"), classes="say"))
        if turn.rupture_opened:
            rupture = session.scenario.rupture(turn.rupture_opened)
            title = rupture.title if rupture else turn.rupture_opened
            rows.append(Static(plain(f"! opens a rupture: {title}"), classes="rupture"))
        if turn.rupture_repaired:
            rows.append(Static(Content("✓ repairs a rupture"), classes="move"))
        rows.append(Static(plain(turn.feedback.why), classes="why"))
        card = Vertical(*rows, classes="what-if-card")
        card.border_title = Content(offered.letter)
        cards.append(card)
    return Grid(*cards, id="what-if")
