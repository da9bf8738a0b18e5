"""The debrief, in the PEARLS phases: reactions, what happened (trust over time and every
decision beside the strongest option), a closer look (skills, pivotal moments, what the
client was thinking, ruptures) and taking it forward (notes and reflection prompts).

Answers typed here go to the app's ``Journal``, which saves each change to history at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from roleplay.core.debrief import (
    EXPLORATION_LABEL,
    EXPLORATIONS_HEADING,
    Debrief,
    DecisionReview,
    build_debrief,
    closing_questions,
    opening_questions,
    thinker,
)
from roleplay.core.engine import Engine, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.session import Attempt, FeedbackTiming, Journal, PracticeOptions
from roleplay.tui.motion import calm
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.text import clip, plain, quoted, trust_move
from roleplay.tui.widgets.bands import bullet
from roleplay.tui.widgets.feedback import FeedbackBody, RatingBadge
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.skill_table import SkillTable
from roleplay.tui.widgets.trust_chart import TrustChart


class Reflection(Vertical):
    """A question and a text area for the learner's answer."""

    DEFAULT_CSS = """
    Reflection {
        height: auto;
        margin-top: 1;
        & > .question { color: $text; text-style: bold; }
        & > TextArea { height: auto; min-height: 4; max-height: 12; }
    }
    """

    class Answered(Message):
        """The answer changed."""

        def __init__(self, question: str, answer: str) -> None:
            super().__init__()
            self.question = question
            self.answer = answer

    def __init__(self, question: str, answer: str = "", *, label: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.answer = answer
        self.label = label or question

    def compose(self) -> ComposeResult:
        yield Static(plain(self.label), classes="question")
        box = TextArea(
            self.answer,
            soft_wrap=True,
            show_line_numbers=False,
            placeholder="Type your answer (Esc to leave the box)",
            tab_behavior="focus",
        )
        yield calm(box, self.app)

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        # The first answer box has the focus while the page shows the ending; once the
        # learner types, bring the box into view so they see their words land.
        if event.text_area.has_focus:
            event.text_area.scroll_visible(animate=False)
        self.post_message(self.Answered(self.question, event.text_area.text))


def said(text: str) -> Content:
    return plain(quoted(text))


class DecisionView(Vertical):
    """One scored decision: the chosen option beside the strongest, with the feedback."""

    DEFAULT_CSS = """
    DecisionView {
        height: auto;
        margin-top: 1;
        padding: 0 1;
        border: round $border-blurred;
        border-title-color: $text-accent;
        border-title-style: bold;
        & > .own-words { color: $text-muted; text-style: italic; }
        & > .pair { height: auto; }
        & > .pair > Vertical { width: 1fr; height: auto; }
        & > .pair > .strongest {
            margin-left: 2;
            padding-left: 2;
            border-left: solid $border-blurred;
        }
        & .label { color: $text-muted; text-style: bold; }
        & .rated { height: auto; }
        & .move { color: $text-muted; padding-left: 1; }
        & > FeedbackBody { margin-top: 1; }
    }
    """

    def __init__(self, number: int, review: DecisionReview, whose: str) -> None:
        super().__init__()
        self.number = number
        self.review = review
        self.whose = whose
        """Whose inner experience the card gives (in a couple or group, maybe not the client's)."""
        self.border_title = plain(clip(f"{number} · {review.node_title}", 70))

    def compose(self) -> ComposeResult:
        review = self.review
        turn = review.turn
        if turn.own_words:
            yield Static(plain(f"You first wrote: {quoted(turn.own_words)}"), classes="own-words")
        with Horizontal(classes="pair"):
            with Vertical(classes="chosen"):
                label = "You chose"
                if review.chose_strongest:
                    label = "You chose the strongest option here"
                yield Static(Content(label), classes="label")
                yield Static(said(turn.option.text))
                # Each rating sits under the reply it rates (stacked on a narrow screen, the
                # strongest option's rating must not read as the learner's).
                with Horizontal(classes="rated"):
                    yield RatingBadge(turn.feedback.rating)
                    yield Static(
                        Content(trust_move(turn.trust_before, turn.trust_after)), classes="move"
                    )
            if not review.chose_strongest:
                with Vertical(classes="strongest"):
                    yield Static(Content("Strongest option here"), classes="label")
                    yield Static(said(review.strongest.text))
                    yield RatingBadge(review.strongest.feedback.rating)
        yield FeedbackBody(turn.feedback, self.whose, rating=False)


class DebriefScreen(Screen[None]):
    """What happened, why, and what to take forward."""

    CSS_PATH = "debrief.tcss"
    AUTO_FOCUS = "#debrief-body"
    # The page invites typing, so the first answer box has the focus (see ``_focus_first_answer``).
    FOCUS_FIRST_ANSWER = True
    # Leaving with unanswered questions asks first (a past debrief, opened only to read,
    # does not).
    ASK_BEFORE_LEAVING = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "replay",
            "Practise again",
            id="debrief.replay",
            tooltip="Play this scenario again with the same choices of feedback",
        ),
        Binding(
            "l",
            "library",
            "Library",
            id="debrief.library",
            tooltip="Back to the library (your answers are kept)",
        ),
        Binding("escape", "escape", "Library", id="debrief.escape", show=False),
        # Priority: the page scrolls even while an answer box (which would take the keys
        # for its own cursor) has the focus, as the keys help says.
        Binding("pagedown", "scroll_page(1)", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll_page(-1)", "Scroll", show=False, priority=True),
    ]
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓ PgUp PgDn", "Scroll the debrief"),
        ("Tab", "Move to the next answer box (your answers are kept)"),
        ("Esc", "Leave an answer box; from the page, back to the library"),
    ]

    class Replay(Message):
        """Play the same scenario again with the same options."""

        def __init__(self, loaded: LoadedScenario, options: PracticeOptions) -> None:
            super().__init__()
            self.loaded = loaded
            self.options = options

    def __init__(
        self,
        loaded: LoadedScenario,
        engine: Engine,
        options: PracticeOptions,
        *,
        journal: Journal,
        attempt: Attempt,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.engine = engine
        self.options = options
        self.journal = journal
        self.attempt = attempt
        self.debrief: Debrief = build_debrief(engine)

    @on(events.Mount)
    def _focus_first_answer(self) -> None:
        # Letters typed at once go into the first answer box instead of acting as keys; the
        # page stays at the top so the ending is read first.
        if self.FOCUS_FIRST_ANSWER:
            self.query(Reflection).first().query_one(TextArea).focus(scroll_visible=False)

    def action_scroll_page(self, direction: int) -> None:
        body = self.query_one("#debrief-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def reflection(self, question: str, label: str | None = None) -> Reflection:
        return Reflection(question, self.attempt.reflections.get(question, ""), label=label)

    def compose(self) -> ComposeResult:
        debrief = self.debrief
        scenario = debrief.scenario
        yield Static(plain(f"Debrief · {clip(scenario.title, 80)}"), id="debrief-title")
        with VerticalScroll(id="debrief-body"):
            yield from self.ending_part()
            yield Static(Content("1 · Reactions"), classes="phase")
            yield Static(
                Content(
                    "Take a moment before the analysis. Conversations like this can stir up "
                    "your own experiences; noticing that is part of the work."
                ),
                classes="text",
            )
            for question in opening_questions(debrief.reflection_prompts):
                yield self.reflection(question)

            yield Static(Content("2 · What happened"), classes="phase")
            yield Static(Content("Trust over the conversation"), classes="heading")
            yield TrustChart(debrief.trajectory, id="chart")
            yield Static(plain(self.trajectory_sentence()), classes="text")
            if self.options.feedback is FeedbackTiming.AT_END:
                yield Static(
                    Content(
                        "You chose to see the feedback at the end. Here it is, decision by "
                        "decision."
                    ),
                    classes="text",
                )
            for number, review in enumerate(debrief.decisions, start=1):
                whose = thinker(scenario, review.turn.feedback.inner_experience)
                yield DecisionView(number, review, whose)
            if debrief.explorations:
                yield Static(Content(EXPLORATIONS_HEADING), classes="heading")
                yield Static(
                    Content(
                        "These did not count towards the debrief; they show what else you tried."
                    ),
                    classes="muted",
                )
                for turn in debrief.explorations:
                    yield from self.exploration(turn)

            yield Static(Content("3 · Looking closer"), classes="phase")
            yield Static(Content("Skills, by rating of your first tries"), classes="heading")
            if debrief.skill_tallies:
                yield SkillTable(debrief.skill_tallies)
                yield Static(
                    Content(
                        "++ builds trust · + partly helpful · ~ missed opportunity · !! harmful"
                    ),
                    classes="muted legend",
                )
            else:
                yield Static(Content("No decisions were made."), classes="muted")
            if debrief.pivotal:
                yield Static(Content("Pivotal moments"), classes="heading")
                for pivot in debrief.pivotal:
                    yield self.reflection(pivot.question)
            if debrief.client_thoughts:
                yield Static(plain(debrief.thoughts_heading), classes="heading")
                for title, thought in debrief.client_thoughts:
                    yield Static(plain(title), classes="label")
                    yield Static(plain(thought), classes="thought")
            if debrief.unrepaired:
                yield Static(Content("Ruptures left unrepaired"), classes="heading warn")
                for rupture in debrief.unrepaired:
                    yield Static(plain(f"! {rupture.title}"), classes="label warn")
                    yield Static(plain(rupture.description), classes="text")
            if debrief.repaired:
                yield Static(Content("Ruptures you repaired"), classes="heading")
                for rupture in debrief.repaired:
                    yield Static(plain(f"✓ {debrief.repaired_text(rupture)}"), classes="text")

            yield Static(Content("4 · Taking it forward"), classes="phase")
            if debrief.notes:
                for note in debrief.notes:
                    yield bullet(note)
            for prompt in debrief.reflection_prompts:
                yield self.reflection(prompt)
            for question in closing_questions(debrief.reflection_prompts):
                yield self.reflection(question)
            with Horizontal(id="debrief-actions"):
                yield Button(Content("Practise again (r)"), id="replay", variant="primary")
                yield Button(Content("Back to library (l)"), id="library")
        yield KeyFooter()

    def ending_part(self) -> list[Widget]:
        ending = self.debrief.ending
        name = self.debrief.scenario.client.name
        if ending is None:
            parts: list[Widget] = [
                Static(Content("The conversation stopped"), classes="ending-title"),
                Static(
                    Content("This beat offers no options and no ending (a problem in the file)."),
                ),
            ]
        else:
            parts = [
                Static(plain(ending.title), classes="ending-title"),
                Static(plain(ending.description)),
            ]
            if ending.client_view:
                parts.append(
                    Static(
                        plain(f"{name}, leaving: {quoted(ending.client_view)}"), classes="thought"
                    )
                )
        box = Vertical(*parts, id="ending")
        box.border_title = Content("How it ended")
        return [box]

    def trajectory_sentence(self) -> str:
        trust = self.debrief.scenario.trust
        values = self.debrief.trajectory
        first, last = values[0], values[-1]
        low, high = min(values), max(values)
        sentence = (
            f"Trust went from {first} ({trust.band_for(first).display}) to {last} "
            f"({trust.band_for(last).display}); lowest {low}, highest {high}. The first "
            "column is the start; each column after it follows one decision."
        )
        if self.debrief.explorations:
            sentence += (
                " You went back to try other replies, so this follows the conversation as it "
                "finally went; the ratings below count your first tries."
            )
        return sentence

    def exploration(self, turn: Turn) -> list[Widget]:
        node = self.debrief.scenario.node(turn.node_id)
        title = node.display_title
        return [
            Static(
                plain(f"At “{clip(title, 60)}” you also tried ({EXPLORATION_LABEL})"),
                classes="label",
            ),
            Static(said(turn.option.text), classes="item"),
            Horizontal(
                RatingBadge(turn.feedback.rating),
                Static(Content(trust_move(turn.trust_before, turn.trust_after)), classes="move"),
                classes="badge-row",
            ),
        ]

    # Every change is passed on at once: the history sink merges a burst of keystrokes
    # into one write, so nothing typed is lost if the app is killed.
    @on(Reflection.Answered)
    def _answered(self, event: Reflection.Answered) -> None:
        self.journal.reflect(self.attempt, event.question, event.answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While an answer box has the focus, letters are words, never keys (the box takes
        # printable keys itself; this also keeps them out of the footer meanwhile).
        typing = isinstance(self.focused, (TextArea, Input))
        return not (typing and action in {"replay", "library"})

    def save_answers(self) -> None:
        """Pass on any answer the journal does not have yet (normally each keystroke is
        already saved; this covers a change still waiting in the message queue)."""
        for reflection in self.query(Reflection):
            text = reflection.query_one(TextArea).text
            if self.attempt.reflections.get(reflection.question, "") != text:
                self.journal.reflect(self.attempt, reflection.question, text)

    def unanswered(self) -> int:
        """How many reflection questions on this page have no answer."""
        return sum(
            not reflection.query_one(TextArea).text.strip() for reflection in self.query(Reflection)
        )

    def leave(self, then: Callable[[], object], where: str) -> None:
        """Save what was typed, ask first if questions are unanswered, then go."""
        self.save_answers()
        missing = self.unanswered() if self.ASK_BEFORE_LEAVING else 0
        if not missing:
            then()
            return
        questions = "question has" if missing == 1 else "questions have"

        def answered(go: bool | None) -> None:
            if go:
                self.save_answers()
                then()

        self.app.push_screen(
            ConfirmDialog(
                "Leave the debrief?",
                f"{missing} reflection {questions} no answer yet. What you have written is "
                f"saved. {where}",
                yes="Leave",
                no="Stay and answer",
            ),
            answered,
        )

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.leave(
            lambda: self.post_message(self.Replay(self.loaded, self.options)),
            "Practise this scenario again now?",
        )

    @on(Button.Pressed, "#library")
    def action_library(self) -> None:
        self.leave(lambda: self.dismiss(None), "Go back now?")

    def action_escape(self) -> None:
        if isinstance(self.focused, (TextArea, Input)):
            self.query_one("#debrief-body").focus()
        else:
            self.action_library()
