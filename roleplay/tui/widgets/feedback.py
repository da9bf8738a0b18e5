"""The feedback card and the rating badge (colour AND symbol and words, never colour alone)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import _RenderCache
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


_BADGE_BACKGROUND = {
    Rating.BUILDS_TRUST: "$success-muted",
    Rating.PARTLY_HELPFUL: "$primary-muted",
    Rating.MISSED_OPPORTUNITY: "$warning-muted",
    Rating.HARMFUL: "$error-muted",
}


def badge_content(rating: Rating) -> Content:
    """The rating as an inline badge: symbol and words on a tinted background."""
    return Content.styled(f" {rating_text(rating)} ", f"bold $text on {_BADGE_BACKGROUND[rating]}")


def feedback_content(feedback: Feedback, client_name: str, *, rating: bool = True) -> Content:
    """A feedback card's text: rating, skills, why, inner experience, a stronger reply
    (without the rating where the page shows it beside the reply it rates).

    ``client_name`` names whose inner experience it is: in a couple or group session the
    caller passes ``core.debrief.thinker`` (another person's, when the card names them)."""
    heading = "bold $text-accent"
    skills = Content.styled(f"Skills: {skills_text(feedback.skills)}", "$text-muted")
    blocks = [
        Content("\n").join([badge_content(feedback.rating), skills]) if rating else skills,
        Content("\n").join([Content.styled("Why", heading), plain(feedback.why)]),
        Content("\n").join(
            [
                plain(f"What {client_name} might be feeling", heading),
                plain(feedback.inner_experience),
            ]
        ),
    ]
    if feedback.stronger:
        blocks.append(
            Content("\n").join(
                [Content.styled("A stronger reply", heading), plain(feedback.stronger)]
            )
        )
    if feedback.evidence:
        blocks.append(plain(f"Evidence: {feedback.evidence}", "italic $text-muted"))
    return Content("\n\n").join(blocks)


class FeedbackBody(Static):
    """The parts of a feedback card, as one widget of styled content (quick to lay out)."""

    DEFAULT_CSS = """
    FeedbackBody { height: auto; }
    """

    def __init__(self, feedback: Feedback, client_name: str, *, rating: bool = True) -> None:
        super().__init__(feedback_content(feedback, client_name, rating=rating))
        self.feedback = feedback
        self.client_name = client_name


class CardText(Static):
    """The card's text, wrapped once: the lines that measure its height are the ones drawn.

    Textual wraps a Static's text once to measure its height and again to draw it; a new
    card is both measured and drawn in the key press that shows it."""

    _wrapped: tuple[Visual, object, list[Strip]] | None = None
    """The text last wrapped, what its drawing depended on, and its lines."""

    def _strips(self, width: int) -> list[Strip] | None:
        styles = self.styles
        if (
            self.text_selection is not None
            or self.screen._selecting
            or styles.content_align != ("left", "top")
            or styles.line_pad
        ):
            return None  # a selection, alignment or padded lines take Textual's own path
        visual = self._render()
        # The text is compared by identity (Content compares equal on its words alone); the
        # style holds the background, which is all the colour of any link depends on.
        key = (width, self.visual_style)
        if self._wrapped is None or self._wrapped[0] is not visual or self._wrapped[1] != key:
            strips = Visual.to_strips(self, visual, width, None, self.visual_style)
            self._wrapped = (visual, key, strips)
        return self._wrapped[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        strips = self._strips(width) if width else None
        if strips is None:
            return super().get_content_height(container, viewport, width)
        return len(strips)

    def _render_content(self) -> None:
        width, height = self.size
        strips = self._strips(width)
        if strips is None:
            super()._render_content()
            return
        self._render_cache = _RenderCache(self.size, strips[:height])
        self._dirty_regions.clear()


class FeedbackCard(VerticalScroll):
    """The card shown after a choice in immediate mode; scrolls if it is taller than its room.

    Folded (``c``), it is one line: the rating and how to open it again, for a small
    terminal where the whole card would cover the conversation."""

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
        &.-folded { border: none; height: 1; }
    }
    """

    feedback: Feedback | None = None
    """The feedback on show."""
    folded = False
    """Whether the card shows only its one-line rating."""
    client_name = ""
    exploration = False

    def compose(self) -> ComposeResult:
        yield CardText(id="card-text")

    def show(
        self,
        feedback: Feedback,
        client_name: str,
        *,
        exploration: bool = False,
        folded: bool | None = None,
    ) -> None:
        """Replace the card's contents (an exploration after a rewind is marked as such);
        ``folded`` shows only the rating line (None keeps the card as it was)."""
        self.feedback = feedback
        self.client_name = client_name
        self.exploration = exploration
        if folded is not None:
            self.folded = folded
        self.set_class(self.folded, "-folded")
        text = self.query_one("#card-text", Static)
        if self.folded:
            label = "Feedback (exploration, not scored)" if exploration else "Feedback"
            text.update(
                Content.assemble(
                    Content.styled(f"{label} ", "bold $text-primary"),
                    badge_content(feedback.rating),
                    Content.styled("  c open", "$text-muted"),
                )
            )
        else:
            text.update(feedback_content(feedback, client_name))
        self.border_title = Content(
            "Feedback · exploration, not scored" if exploration else "Feedback"
        )
        self.scroll_home(animate=False)
        self._mark_more()

    def fold(self, folded: bool) -> None:
        """Fold the card to its rating line, or open it again."""
        if self.feedback is not None:
            self.show(self.feedback, self.client_name, exploration=self.exploration, folded=folded)

    def _mark_more(self) -> None:
        # On a small terminal the card scrolls; say so, or the stronger reply goes unseen,
        # and stop saying so once the end is in view.
        more = self.max_scroll_y > 0 and round(self.scroll_y) < self.max_scroll_y
        subtitle = (
            "↓ more · Enter continue · c fold" if more else "Enter continue · u try another reply"
        )
        if str(self.border_subtitle) != subtitle:
            self.border_subtitle = Content(subtitle)

    def watch_has_focus(self, has_focus: bool) -> None:
        # Only the card's own border follows the focus (``&:focus``): the card alone (and
        # its scrollbar) is restyled, where Textual restyles every descendant, its text
        # too, in the key press that shows the card.
        self.app.stylesheet.update_nodes([self], animate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._mark_more()

    def watch_virtual_size(self) -> None:
        self._mark_more()

    def on_resize(self) -> None:
        self._mark_more()
