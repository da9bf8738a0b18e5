"""Two attempts at the same scenario side by side: where the paths split, how trust moved
in each, and the rating of every decision.

Everything comes from the saved steps, so a comparison still works after the scenario file
has changed (titles of decisions then fall back to their ids). The older attempt is on the
left.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Rating, readable
from roleplay.session import Step
from roleplay.session.review import (
    EXPLORATION_LABEL,
    Comparison,
    DecisionPair,
    SavedAttempt,
    compare,
    local_time,
)
from roleplay.tui.text import clip, plain, quoted, trust_move
from roleplay.tui.widgets.attempts import marked_best
from roleplay.tui.widgets.feedback import rating_class, rating_text
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.trust_chart import TrustChart


def _rating(step: Step) -> Rating | None:
    try:
        return Rating(step.rating)
    except ValueError:
        return None


def _title(loaded: LoadedScenario | None, node_id: str) -> str:
    return loaded.scenario.moment_title(node_id) if loaded is not None else readable(node_id)


def outcome(saved: SavedAttempt, loaded: LoadedScenario | None) -> str:
    """'ended “Good”, trust 52' or 'not finished, 2 choices'."""
    attempt = saved.attempt
    if attempt.finished:
        ending = attempt.ending_id or "ended"
        if loaded is not None:
            ending = next((e.title for e in loaded.scenario.endings if e.id == ending), ending)
        trust = saved.tries.trust if saved.tries.scored else attempt.final_trust
        return f"ended “{ending}”, trust {trust}"  # the first tries', as "best" uses
    count = len(saved.tries.scored)
    return f"not finished, {count} choice{'s' if count != 1 else ''}"


def split_sentence(
    comparison: Comparison, left: int, right: int, loaded: LoadedScenario | None
) -> str:
    """Where the two paths part, in one sentence."""
    split = comparison.split
    shared = comparison.shared
    if split is not None:
        pair = comparison.pairs[split - 1]
        assert pair.left is not None
        where = clip(_title(loaded, pair.left.node_id), 50)
        if not shared:
            return f"The paths split at the first decision, “{where}”."
        same = "the same first choice" if shared == 1 else f"the same first {shared} choices"
        return f"Both made {same}; the paths split at decision {split}, “{where}”."
    lengths = (len(comparison.left_trust) - 1, len(comparison.right_trust) - 1)
    if lengths[0] == lengths[1]:
        return "The paths never split: both made the same choices all the way."
    shorter = left if lengths[0] < lengths[1] else right
    return (
        f"The paths never split: the same choices as far as #{shorter} went "
        f"({min(lengths)} decision{'s' if min(lengths) != 1 else ''}); #{shorter} stops there."
    )


class StepCell(Vertical):
    """One attempt's choice at one decision: rating, words, trust change."""

    DEFAULT_CSS = """
    StepCell {
        width: 1fr;
        height: auto;
        padding-right: 1;
        & > .rating { text-style: bold; }
        & > .move { color: $text-muted; }
        & > .where { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(self, step: Step | None, where: str | None = None) -> None:
        super().__init__()
        self.step = step
        self.where = where

    def compose(self) -> ComposeResult:
        step = self.step
        if step is None:
            yield Static(Content("(stopped before this)"), classes="move")
            return
        if self.where:
            yield Static(plain(f"at “{clip(self.where, 40)}”"), classes="where")
        rating = _rating(step)
        yield Static(
            Content(rating_text(rating) if rating else "? unrated"),
            classes=f"rating {rating_class(rating) if rating else ''}",
        )
        yield Static(plain(quoted(step.option_text or step.option_id)))
        yield Static(Content(trust_move(step.trust_before, step.trust_after)), classes="move")


class PairView(Vertical):
    """One decision of both attempts, in a box; the box of the split is marked."""

    DEFAULT_CSS = """
    PairView {
        height: auto;
        margin-top: 1;
        padding: 0 1;
        border: round $border-blurred;
        border-title-color: $text-accent;
        border-title-style: bold;
        & > Horizontal { height: auto; }
        & > .both { color: $text-muted; }
        &.-split { border: round $warning; border-subtitle-color: $text-warning; }
        &.-split { border-subtitle-style: bold; }
    }
    """

    def __init__(self, pair: DecisionPair, loaded: LoadedScenario | None, *, split: bool) -> None:
        super().__init__(classes="-split" if split else "")
        self.pair = pair
        self.loaded = loaded
        left, right = pair.left, pair.right
        same_node = left is not None and right is not None and left.node_id == right.node_id
        anchor = left or right
        assert anchor is not None
        mark = "◆ " if split else ""
        if same_node or left is None or right is None:
            title = _title(loaded, anchor.node_id)
            self.border_title = plain(clip(f"{mark}{pair.number} · {title}", 70))
            self.where = False
        else:
            self.border_title = Content(f"{mark}{pair.number}")
            self.where = True
        if split:
            self.border_subtitle = Content("◆ the paths split here")

    def compose(self) -> ComposeResult:
        pair = self.pair
        if pair.same:
            yield Static(Content("Both chose"), classes="both")
            yield StepCell(pair.left)
            return
        with Horizontal():
            for step in (pair.left, pair.right):
                where = _title(self.loaded, step.node_id) if self.where and step else None
                yield StepCell(step, where)


class CompareScreen(Screen[None]):
    """Two attempts at one scenario, side by side."""

    CSS_PATH = "compare.tcss"
    AUTO_FOCUS = "#compare-body"
    HELP_TITLE = "compare"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "to_split",
            "Go to split",
            id="compare.split",
            tooltip="Scroll to the decision where the paths split",
        ),
        Binding("escape", "back", "Back", id="compare.back", tooltip="Back to your history"),
    ]
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓ PgUp PgDn", "Scroll the comparison"),
    ]

    def __init__(
        self, left: SavedAttempt, right: SavedAttempt, loaded: LoadedScenario | None
    ) -> None:
        super().__init__()
        self.left = left
        self.right = right
        self.loaded = loaded
        start = loaded.scenario.trust.start if loaded else None
        self.comparison = compare(left.tries.scored, right.tries.scored, start)

    def compose(self) -> ComposeResult:
        left, right = self.left, self.right
        title = self.loaded.scenario.title if self.loaded else left.attempt.scenario_id
        yield Static(
            plain(f"Compare · {clip(title, 60)} · #{left.attempt.id} and #{right.attempt.id}"),
            id="compare-title",
        )
        comparison = self.comparison
        with VerticalScroll(id="compare-body"):
            with Horizontal(classes="sides"):
                for saved in (left, right):
                    yield self.side(saved)
            yield Static(Content("Where the paths split"), classes="heading")
            yield Static(
                plain(
                    split_sentence(
                        comparison, left.attempt.saved_id(), right.attempt.saved_id(), self.loaded
                    )
                ),
                id="split-sentence",
            )
            yield Static(Content("Trust over the conversation"), classes="heading")
            with Horizontal(classes="sides charts"):
                for saved, values in (
                    (left, comparison.left_trust),
                    (right, comparison.right_trust),
                ):
                    with Vertical(classes="side"):
                        yield Static(Content(f"#{saved.attempt.id}"), classes="label")
                        yield TrustChart(values)
            yield Static(Content("Decision by decision"), classes="heading")
            if not comparison.pairs:
                yield Static(Content("Neither attempt has a decision yet."), classes="muted")
            for pair in comparison.pairs:
                yield PairView(
                    pair,
                    self.loaded,
                    split=pair.number == comparison.split,
                )
        yield KeyFooter()

    def side(self, saved: SavedAttempt) -> Widget:
        attempt = saved.attempt
        best = marked_best([self.left, self.right])
        star = "  ★ best" if best is not None and best.id == attempt.id else ""
        return Vertical(
            Static(
                Content.assemble(
                    (f"#{attempt.id}", "bold"),
                    f" · {local_time(attempt.started_at)}",
                    (star, "bold"),
                ),
                classes="name",
            ),
            Static(plain(outcome(saved, self.loaded)), classes="muted"),
            *(
                Static(
                    plain(
                        f"↺ {clip(quoted(step.option_text or step.option_id), 40)} "
                        f"({EXPLORATION_LABEL})"
                    ),
                    classes="muted exploration",
                )
                for step in saved.tries.explorations
            ),
            classes="side",
        )

    def action_to_split(self) -> None:
        split = self.query(PairView).filter(".-split")
        if split:
            self.query_one("#compare-body", VerticalScroll).scroll_to_widget(
                split.first(), top=True, animate=False
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_split":
            return self.comparison.split is not None
        return True

    def action_back(self) -> None:
        self.dismiss(None)


class AttemptPicker(ModalScreen[int | None]):
    """Which attempt to compare with (when there are several)."""

    CSS_PATH = "compare.tcss"
    AUTO_FOCUS = "#pick"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(
        self, first: SavedAttempt, others: list[SavedAttempt], loaded: LoadedScenario | None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.first = first
        self.others = others
        self.loaded = loaded

    def compose(self) -> ComposeResult:
        best = marked_best([self.first, *self.others])
        with Vertical(classes="dialog", id="picker") as box:
            box.border_title = Content(f"Compare #{self.first.attempt.id} with…")
            box.border_subtitle = Content("↑ ↓ Enter · Esc cancel")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (f"#{saved.attempt.id}", "bold"),
                            f"  {local_time(saved.attempt.started_at)}  ",
                            plain(outcome(saved, self.loaded)),
                            (
                                "  ★ best"
                                if best is not None and best.id == saved.attempt.id
                                else "",
                                "bold",
                            ),
                        ),
                        id=f"pick-{saved.attempt.id}",
                    )
                    for saved in self.others
                ),
                id="pick",
            )

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.dismiss(int(event.option.id.removeprefix("pick-")))

    def action_cancel(self) -> None:
        self.dismiss(None)
