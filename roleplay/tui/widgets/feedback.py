"""The feedback card and the rating badge (colour AND symbol and words, never colour alone)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from roleplay.core.models import Feedback, Rating
from roleplay.core.skills import skill_name
from roleplay.tui.text import plain

RATING_CSS = """
.rating--builds-trust { color: $text-success; }
.rating--partly-helpful { color: $text-primary; }
.rating--missed-opportunity { color: $text-warning; }
.rating--harmful { color: $text-error; }
"""


def rating_text(rating: Rating) -> str:
    """The rating as symbol and words, e.g. '++ Builds trust'."""
    return f"{rating.symbol} {rating.label}"


def rating_class(rating: Rating) -> str:
    """The CSS class that colours a rating."""
    return f"rating--{rating.value}"


class RatingBadge(Static):
    """A rating as a small coloured badge that also carries a symbol and words."""

    DEFAULT_CSS = """
    RatingBadge {
        width: auto;
        padding: 0 1;
        text-style: bold;
        &.rating--builds-trust { background: $success-muted; color: $text; }
        &.rating--partly-helpful { background: $primary-muted; color: $text; }
        &.rating--missed-opportunity { background: $warning-muted; color: $text; }
        &.rating--harmful { background: $error-muted; color: $text; }
    }
    """

    def __init__(self, rating: Rating, *, id: str | None = None) -> None:
        super().__init__(Content(rating_text(rating)), classes=rating_class(rating), id=id)
        self.rating = rating


def skills_text(skill_ids: list[str]) -> str:
    """Skill ids as their names, joined."""
    return " · ".join(skill_name(skill) for skill in skill_ids)


class FeedbackBody(Vertical):
    """The parts of a feedback card: rating, skills, why, inner experience, stronger reply."""

    DEFAULT_CSS = """
    FeedbackBody {
        height: auto;
        & > .card-head { height: auto; }
        & > .card-head > .skills { width: 1fr; color: $text-muted; padding: 0 1; }
        & > .heading { color: $text-accent; text-style: bold; margin-top: 1; }
        & > .evidence { color: $text-muted; text-style: italic; margin-top: 1; }
    }
    """

    def __init__(self, feedback: Feedback, client_name: str) -> None:
        super().__init__()
        self.feedback = feedback
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        feedback = self.feedback
        with Vertical(classes="card-head"):
            yield RatingBadge(feedback.rating, id="rating")
            yield Static(Content(f"Skills: {skills_text(feedback.skills)}"), classes="skills")
        yield Static(Content("Why"), classes="heading")
        yield Static(plain(feedback.why), classes="why")
        yield Static(plain(f"What {self.client_name} might be feeling"), classes="heading")
        yield Static(plain(feedback.inner_experience), classes="inner")
        if feedback.stronger:
            yield Static(Content("A stronger reply"), classes="heading")
            yield Static(plain(feedback.stronger), classes="stronger")
        if feedback.evidence:
            yield Static(plain(f"Evidence: {feedback.evidence}"), classes="evidence")


class FeedbackCard(VerticalScroll):
    """The card shown after a choice in immediate mode; scrolls if it is taller than its room."""

    DEFAULT_CSS = """
    FeedbackCard {
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text-primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        background: $surface;
        scrollbar-size-vertical: 1;
        &:focus { border: round $accent; }
    }
    """

    def show(self, feedback: Feedback, client_name: str, *, exploration: bool = False) -> None:
        """Replace the card's contents (an exploration after a rewind is marked as such)."""
        self.remove_children()
        self.mount(FeedbackBody(feedback, client_name))
        self.border_title = Content(
            "Feedback · exploration, not scored" if exploration else "Feedback"
        )
        self.border_subtitle = Content("Enter continue · u try another reply")
        self.scroll_home(animate=False)
