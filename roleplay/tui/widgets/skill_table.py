"""A table of skills against ratings, for the debrief and the group's ending."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from roleplay.core.models import Rating
from roleplay.core.skills import skill_name
from roleplay.tui.text import plain
from roleplay.tui.widgets.feedback import rating_class


class SkillTable(Grid):
    """For each skill tagged in a scored choice: how many choices at each rating."""

    DEFAULT_CSS = """
    SkillTable {
        grid-size: 5;
        grid-columns: 1fr 5 5 5 5;
        grid-gutter: 0 1;
        height: auto;
        margin-top: 1;
        & > .head { text-style: bold; text-align: right; }
        & > .skill-head { text-style: bold; }
        & > .count { text-align: right; }
        & > .zero { color: $text-disabled; text-align: right; }
    }
    """

    def __init__(self, tallies: dict[str, dict[Rating, int]]) -> None:
        super().__init__()
        self.tallies = tallies

    def compose(self) -> ComposeResult:
        yield Static(Content("Skill"), classes="skill-head")
        for rating in Rating:
            yield Static(Content(rating.symbol), classes=f"head {rating_class(rating)}")
        for skill, counts in self.tallies.items():
            yield Static(plain(skill_name(skill)))
            for rating in Rating:
                count = counts.get(rating, 0)
                if count:
                    yield Static(Content(str(count)), classes=f"count {rating_class(rating)}")
                else:
                    yield Static(Content("·"), classes="zero")
