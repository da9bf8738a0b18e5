"""Present mode: one scenario run with a room, on a projector or in a browser window.

The whole room sees this screen, so nothing is shown before the facilitator chooses to
show it: trust, ratings, feedback and facilitator notes stay hidden until the reveal (or,
for notes, until toggled, with a banner while they are on screen). The flow is a prebrief,
then at each decision: read, think (a timer), vote (counts typed by the facilitator and
hidden until locked), a revote when the room is split, the reveal, optionally every
option side by side, the discussion questions, and on to the next moment with the room's
choice or the facilitator's. At the end: the group's path, every vote, the debrief, and a
Markdown summary to save.

All the rules live in ``roleplay.core.facilitation``; this screen draws its state.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.facilitation import (
    Clock,
    Decision,
    Facilitation,
    FacilitationError,
    FacilitationSettings,
    Offered,
    Phase,
    TimerState,
    clock_text,
)
from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Rating
from roleplay.tui.screens.debrief import SkillTable
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.present_dialogs import CountsDialog, SaveDialog
from roleplay.tui.text import clip, plain, quoted, trust_move
from roleplay.tui.widgets.choices import ChoiceItem
from roleplay.tui.widgets.countdown import CountdownPanel
from roleplay.tui.widgets.feedback import FeedbackBody, RatingBadge
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.transcript import LearnerMessage, Notice, line_widgets
from roleplay.tui.widgets.trust_chart import TrustChart
from roleplay.tui.widgets.trust_meter import TrustMeter
from roleplay.tui.widgets.votes import VoteBars

PRESENT_THEME = "roleplay-high-contrast"
LETTER_KEYS = "abcdefghi"


def _letter_bindings() -> list[BindingType]:
    vote = Binding.Group("Vote", compact=True)
    pick = Binding.Group("Pick", compact=True)
    bindings: list[BindingType] = []
    for key in LETTER_KEYS:
        bindings.append(
            Binding(
                key,
                f"vote('{key}')",
                "Vote",
                id=f"present.vote-{key}",
                group=vote,
                tooltip="Add one vote for the option with that letter",
            )
        )
        bindings.append(
            Binding(
                key.upper(),
                f"unvote('{key}')",
                "Remove a vote",
                show=False,
                id=f"present.unvote-{key}",
                tooltip="Take one vote away (shift + the letter)",
            )
        )
        bindings.append(
            Binding(
                key,
                f"pick('{key}')",
                "Pick",
                id=f"present.pick-{key}",
                group=pick,
                tooltip="Pick the option to reveal, or to continue with instead",
            )
        )
    return bindings


class LetteredChoice(ChoiceItem):
    """An option with its letter (A, B, C…) instead of a number."""

    def __init__(self, offered: Offered) -> None:
        super().__init__(0, offered.text)
        self.letter = offered.letter

    def compose(self) -> ComposeResult:
        yield Static(Content(self.letter), classes="number")
        yield Static(plain(self.text), classes="text")

    def on_click(self, event: events.Click) -> None:
        event.stop()  # votes are entered by keys only


def band(text: str, *, id: str | None = None) -> Static:
    """A large heading: a full-width band of bold capitals."""
    return Static(plain(text.upper()), classes="band", id=id)


def heading(text: str) -> Static:
    return Static(plain(text), classes="heading")


class Bullet(Horizontal):
    """A list item whose wrapped lines hang under the text, not under the bullet."""

    DEFAULT_CSS = """
    Bullet {
        height: auto;
        padding-left: 1;
        & > .mark { width: 2; }
        & > .words { width: 1fr; }
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content("•"), classes="mark")
        yield Static(plain(self.text), classes="words")


def bullet(text: str) -> Bullet:
    return Bullet(text)


class PresentScreen(Screen[None]):
    """Run one scenario with a group."""

    CSS_PATH = "present.tcss"
    AUTO_FOCUS = "#present-body"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-medium"), (110, "-wide")]  # noqa: RUF012
    # Tall screens get three-row heading bands.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "Begin", id="present.begin", tooltip="Begin the first moment"),
        Binding(
            "enter",
            "proceed",
            "Continue",
            id="present.continue",
            tooltip="Continue with the option shown (the room's choice unless you picked another)",
        ),
        *_letter_bindings(),
        Binding("l", "lock", "Lock", id="present.lock", tooltip="Lock the vote and show it"),
        Binding(
            "l",
            "unlock",
            "Unlock",
            show=False,
            id="present.unlock",
            tooltip="Unlock the vote to correct a count (before the reveal)",
        ),
        Binding(
            "number_sign",
            "counts",
            "Counts",
            show=False,
            key_display="#",
            id="present.counts",
            tooltip="Type each option's count (masked on screen)",
        ),
        Binding(
            "r",
            "reveal",
            "Reveal",
            id="present.reveal",
            tooltip="Reveal the client's reaction and the feedback for the chosen option",
        ),
        Binding(
            "v",
            "revote",
            "Revote",
            id="present.revote",
            tooltip="Vote again after a discussion (the first vote is kept)",
        ),
        Binding(
            "w",
            "what_if",
            "What if",
            id="present.what-if",
            tooltip="Show or hide what every option would have done, side by side",
        ),
        Binding(
            "t",
            "timer",
            "Timer",
            id="present.timer",
            tooltip="Start, pause or resume the timer",
        ),
        Binding(
            "plus,equals_sign",
            "add_time",
            "Add time",
            show=False,
            key_display="+",
            id="present.add-time",
            tooltip="Add 30 seconds to the timer",
        ),
        Binding(
            "x",
            "skip_timer",
            "Skip timer",
            show=False,
            id="present.skip-timer",
            tooltip="Stop the timer now",
        ),
        Binding(
            "n",
            "notes",
            "Notes",
            id="present.notes",
            tooltip="Show or hide the facilitator notes (the room sees them too)",
        ),
        Binding(
            "s",
            "save",
            "Save summary",
            id="present.save",
            tooltip="Save the summary as Markdown (path, votes, debrief)",
        ),
        Binding(
            "s",
            "save_now",
            "Save summary",
            show=False,
            id="present.save-now",
            tooltip="Save the summary as Markdown (path, votes, debrief)",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            show=False,
            id="present.leave",
            tooltip="Back to the library (asks first if the summary is not saved)",
        ),
        Binding(
            "escape",
            "library",
            "Library",
            id="present.library",
            tooltip="Back to the library (asks first if the summary is not saved)",
        ),
    ]

    def __init__(
        self,
        loaded: LoadedScenario,
        settings: FacilitationSettings | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.session = Facilitation(loaded.scenario, settings, clock=clock)
        self.notes_on = False
        self.show_all = False
        self.unsaved = False
        self._theme_before: str | None = None
        self._timer_seen: tuple[TimerState, str] | None = None

    @property
    def scenario_name(self) -> str:
        return self.loaded.scenario.client.name

    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓ PgUp PgDn", "Scroll the page"),
        ("Tab", "Move between the fields of a dialog"),
    ]

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="present-top"):
            yield Static(id="present-title")
            yield Static(id="present-phase")
            yield TrustMeter(id="present-meter")
        yield Static(Content("⚠ FACILITATOR NOTES ARE ON SCREEN · n hides them"), id="notes-banner")
        yield CountdownPanel(id="countdown")
        yield VerticalScroll(id="present-body")
        yield Static(id="present-status")
        # No palette entry: at 60 columns the footer needs every cell (^p still works).
        yield KeyFooter(show_command_palette=False, compact=True)

    async def on_mount(self) -> None:
        settings = getattr(self.app, "settings", None)
        if getattr(settings, "theme", None) is None and self.app.theme != PRESENT_THEME:
            # Projectors wash colours out: present mode defaults to high contrast, unless
            # the facilitator chose a theme on the command line.
            self._theme_before = self.app.theme
            self.app.theme = PRESENT_THEME
        self.set_interval(0.25, self.tick)
        await self.refresh_view()

    def on_unmount(self) -> None:
        if self._theme_before is not None:
            self.app.theme = self._theme_before

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(TrustMeter).bar_width = 10 if event.size.width < 80 else 16
        # Big digits cost two rows that a 60x20 projector zoom cannot spare.
        self.query_one(CountdownPanel).set_class(event.size.height < 24, "-one-line")

    # -- drawing --------------------------------------------------------------------------
    async def refresh_view(self) -> None:
        """Redraw everything for the session's phase."""
        session = self.session
        decision = session.current
        title = clip(self.loaded.scenario.title, 50)
        if decision is not None:
            # The moment first: on a narrow projector it is the title that gets shortened.
            title = f"Moment {len(session.decisions)} · {title}"
        self.query_one("#present-title", Static).update(plain(title))
        self.query_one("#present-phase", Static).update(Content(self.phase_label()))
        self.show_meter()
        self.query_one("#notes-banner").display = self.notes_on
        body = self.query_one("#present-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Widget] = []
        if self.notes_on:
            widgets.append(self.notes_box())
        widgets.extend(self.body_widgets())
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        self.update_status()
        self.tick()
        self.refresh_bindings()
        body.focus()

    def phase_label(self) -> str:
        session = self.session
        decision = session.current
        phase = session.phase
        if phase is Phase.VOTING and decision is not None:
            return "REVOTE" if len(decision.rounds) > 1 else "VOTE"
        return {
            Phase.PREBRIEF: "BEFORE WE BEGIN",
            Phase.LOCKED: "VOTE LOCKED",
            Phase.REVEALED: "REVEAL",
            Phase.ENDED: "THE END",
        }.get(phase, "")

    def show_meter(self) -> None:
        """The trust meter: hidden until a reveal, then showing what was revealed."""
        meter = self.query_one(TrustMeter)
        session = self.session
        scenario = self.loaded.scenario
        decision = session.current
        if session.phase is Phase.REVEALED and decision is not None and decision.followed:
            turn = session.preview(decision.followed)
            band_name = scenario.trust.band_for(turn.trust_after).display
            meter.show(turn.trust_after, band_name, turn.delta)
            meter.display = True
        elif session.phase is Phase.ENDED:
            meter.show(session.engine.trust, session.engine.band.display)
            meter.display = True
        else:
            meter.display = False

    def body_widgets(self) -> list[Widget]:
        phase = self.session.phase
        if phase is Phase.PREBRIEF:
            return self.prebrief()
        if phase is Phase.ENDED:
            return self.ending()
        decision = self.session.current
        assert decision is not None
        if phase is Phase.VOTING:
            return self.moment(decision)
        if phase is Phase.LOCKED:
            return self.locked(decision)
        return self.revealed(decision)

    def notes_box(self) -> Widget:
        node = self.session.engine.node
        facilitator = node.facilitator
        parts: list[Widget] = []
        if self.session.phase is Phase.PREBRIEF:
            parts.append(Static(Content("No notes before the first moment."), classes="text"))
        elif facilitator is not None and facilitator.notes:
            parts.append(Static(plain(facilitator.notes), classes="text"))
        else:
            parts.append(Static(Content("This moment has no facilitator notes."), classes="text"))
        if facilitator is not None and facilitator.questions and self.session.current:
            parts.append(heading("Questions for after the reveal"))
            parts.extend(bullet(q) for q in facilitator.questions)
        parts.append(
            Static(
                plain(
                    f"Reminder: never ask someone who shares {self.scenario_name}'s identity "
                    "to speak for that group."
                ),
                classes="reminder",
            )
        )
        box = Vertical(*parts, id="notes-box")
        box.border_title = Content("Facilitator notes · on screen")
        return box

    def prebrief(self) -> list[Widget]:
        """Safety first (content notes, ground rules), then who and what."""
        scenario = self.loaded.scenario
        client = scenario.client
        name = client.name
        parts: list[Widget] = [
            band(scenario.title),
            Static(plain(scenario.summary), classes="lead"),
        ]
        if scenario.content_notes:
            notes = Vertical(
                *(bullet(note) for note in scenario.content_notes),
                Static(
                    Content(
                        "Anyone may step out at any point, without giving a reason, and "
                        "come back when they are ready."
                    ),
                    classes="text",
                ),
                id="content-notes",
            )
            notes.border_title = Content("⚑ Content notes")
            parts.append(notes)
        rules = Vertical(
            bullet(
                f"Treat it as real, despite its limits. {name} is fictional and a few written "
                "options cannot hold a whole conversation; speak to the moment as you would "
                "to the person in front of you."
            ),
            bullet("Anyone may step out at any time, and come back when ready."),
            bullet(
                f"Nobody is asked to speak for a group. If someone shares {name}'s identity, "
                "they speak for themselves, and only if they choose to."
            ),
            bullet(
                "We vote on replies, not on each other. Mistakes here are how the skill is learned."
            ),
            id="ground-rules",
        )
        rules.border_title = Content("Ground rules")
        parts.append(rules)
        parts.append(heading("What we will practise"))
        parts.extend(bullet(objective) for objective in scenario.objectives)
        parts += [
            heading("Who we will meet"),
            Static(plain(f"{name} ({client.pronouns}), {client.age}"), classes="client"),
            Static(plain(quoted(client.introduction)), classes="quote"),
            heading("The setting"),
            Static(plain(scenario.setting), classes="text"),
        ]
        if scenario.jurisdiction_note:
            parts.append(Static(plain(scenario.jurisdiction_note), classes="note"))
        parts.append(heading("How this works"))
        parts.append(
            Static(
                Content(
                    "At each moment: read, think in silence, then vote for A, B, C… The "
                    "votes stay hidden until they are locked; then we see what happens, "
                    "what each option would have done, and talk about it."
                ),
                classes="text",
            )
        )
        return parts

    def moment_lines(self) -> list[Widget]:
        widgets: list[Widget] = []
        for line in self.session.engine.lines():
            widgets.extend(line_widgets(self.scenario_name, line))
        return widgets

    def options_list(self, decision: Decision) -> Widget:
        return Vertical(*(LetteredChoice(o) for o in decision.offered), classes="options")

    def moment(self, decision: Decision) -> list[Widget]:
        parts: list[Widget] = [band(f"Moment {len(self.session.decisions)} · {decision.title}")]
        if len(decision.rounds) > 1:
            parts.append(
                Static(
                    Content("Revote: the first vote is kept. Vote again after the discussion."),
                    classes="note",
                )
            )
        parts.extend(self.moment_lines())
        parts.append(Static(plain(decision.prompt), classes="prompt"))
        parts.append(self.options_list(decision))
        return parts

    def verdict(self, decision: Decision) -> tuple[str, str]:
        """What the locked vote says, and what the facilitator can do next."""
        round_ = decision.round
        total = round_.total
        room = decision.room_choice
        pick = decision.pick
        if pick is not None:
            base = (
                f"The room chose {decision.letter(room)}."
                if room
                else "The room did not settle on one option."
            )
            return (
                f"{base} Facilitator's pick: {decision.letter(pick)}.",
                f"r reveal {decision.letter(pick)} · another letter picks again",
            )
        if total == 0:
            return ("No votes were entered.", "Press a letter to pick the option to reveal.")
        if room is None:
            letters = [decision.letter(o) for o in round_.leaders()]
            tied = ", ".join(letters[:-1]) + f" and {letters[-1]}"
            count = round_.counts[round_.leaders()[0]]
            said = f"{tied} are tied with {count} of {total} votes each."
            reveal = "a letter picks the option to reveal"
        else:
            count = round_.counts[room]
            letter = decision.letter(room)
            said = f"{letter} has {count} of {total} votes ({round(100 * count / total)}%)."
            reveal = f"r reveal {letter}"
        if self.session.split:
            threshold = round(100 * self.session.settings.split_threshold)
            said = f"The room is split: no option has more than {threshold}%. {said}"
            if self.session.can_revote:
                timer = clock_text(self.session.settings.discussion)
                return (said, f"t start a {timer} discussion · v revote · {reveal}")
            return (said, reveal if room is None else f"{reveal} · a letter picks another")
        if room is None:
            return (said, "Press a letter to pick the option to reveal.")
        return (
            f"The room chose {decision.letter(room)}. {said}",
            f"r reveal what happens after {decision.letter(room)}",
        )

    def locked(self, decision: Decision) -> list[Widget]:
        round_name = "Revote" if len(decision.rounds) > 1 else "The room's vote"
        said = self.verdict(decision)[0]
        split = self.session.split
        verdict = Vertical(
            Static(plain(said), classes="said"),
            id="verdict",
            classes="-split" if split else "",
        )
        return [
            band(f"{round_name} · Moment {len(self.session.decisions)}"),
            VoteBars(decision, id="vote-bars"),
            verdict,
            Static(plain(decision.prompt), classes="prompt"),
            self.options_list(decision),
        ]

    def revealed(self, decision: Decision) -> list[Widget]:
        assert decision.followed is not None
        followed = decision.by_id(decision.followed)
        turn = self.session.preview(followed.option_id)
        scenario = self.loaded.scenario
        room = decision.room_choice
        if room is None:
            who = f"Facilitator's pick: {followed.letter} (the room did not settle on one option)"
        elif followed.option_id != room:
            who = (
                f"Continuing with {followed.letter}, the facilitator's choice "
                f"(the room chose {decision.letter(room)})"
            )
        else:
            who = f"The room chose {followed.letter}"
        band_name = scenario.trust.band_for(turn.trust_after).display
        parts: list[Widget] = [
            band(f"What happened · Moment {len(self.session.decisions)}"),
            Static(plain(who), classes="who"),
            LearnerMessage(
                f"{followed.letter} · "
                + ("the group's reply" if followed.option_id == room else "the facilitator's pick"),
                followed.text,
            ),
        ]
        for line in turn.reaction:
            parts.extend(line_widgets(self.scenario_name, line))
        parts.append(
            Notice(
                plain(f"{trust_move(turn.trust_before, turn.trust_after)} · {band_name}"),
                classes="-trust",
            )
        )
        card = Vertical(FeedbackBody(turn.feedback, self.scenario_name), id="present-card")
        card.border_title = Content(f"Feedback · {followed.letter}")
        parts.append(card)
        node = scenario.node(decision.node_id)
        questions = node.facilitator.questions if node.facilitator else []
        if questions:
            parts.append(heading("Questions for the room"))
            parts.extend(bullet(q) for q in questions)
        if self.show_all:
            parts.append(band("What each option would have done", id="what-if-band"))
            parts.append(self.what_if_grid())
        return parts

    def what_if_grid(self) -> Widget:
        cards: list[Widget] = []
        for offered, turn in self.session.previews():
            rows: list[Widget] = [
                RatingBadge(turn.feedback.rating),
                Static(plain(quoted(offered.text)), classes="said"),
                Static(Content(trust_move(turn.trust_before, turn.trust_after)), classes="move"),
            ]
            for line in turn.reaction:
                if line.cue:
                    rows.append(Static(plain(f"({line.cue})"), classes="cue"))
                if line.say:
                    rows.append(
                        Static(plain(f"{self.scenario_name}: {quoted(line.say)}"), classes="say")
                    )
            if turn.rupture_opened:
                rupture = self.loaded.scenario.rupture(turn.rupture_opened)
                title = rupture.title if rupture else turn.rupture_opened
                rows.append(Static(plain(f"! opens a rupture: {title}"), classes="rupture"))
            if turn.rupture_repaired:
                rows.append(Static(Content("✓ repairs a rupture"), classes="move"))
            rows.append(Static(plain(turn.feedback.why), classes="why"))
            card = Vertical(*rows, classes="what-if-card")
            card.border_title = Content(offered.letter)
            cards.append(card)
        return Grid(*cards, id="what-if")

    def ending(self) -> list[Widget]:
        session = self.session
        debrief = session.debrief()
        name = self.scenario_name
        parts: list[Widget] = [band("The end")]
        ending = debrief.ending
        if ending is not None:
            rows: list[Widget] = [
                Static(plain(ending.title), classes="ending-title"),
                Static(plain(ending.description), classes="text"),
            ]
            if ending.client_view:
                view = f"{name}, leaving: {quoted(ending.client_view)}"
                rows.append(Static(plain(view), classes="quote"))
            box = Vertical(*rows, id="ending")
            box.border_title = Content("How it ended")
            parts.append(box)
        parts.append(heading("The group's path"))
        taken = [d for d in session.decisions if d.turn is not None]
        for number, decision in enumerate(taken, start=1):
            turn = decision.turn
            assert turn is not None
            letter = decision.letter(turn.option_id)
            rating = turn.feedback.rating
            chooser = (
                "facilitator's choice"
                if decision.overridden or decision.room_choice is None
                else "room's choice"
            )
            parts.append(
                Static(plain(f"{number} · {decision.title}"), classes="label"),
            )
            parts.append(Static(plain(f"{letter} “{clip(turn.option.text, 160)}”"), classes="item"))
            parts.append(
                Horizontal(
                    RatingBadge(rating),
                    Static(
                        Content(f"{trust_move(turn.trust_before, turn.trust_after)} · {chooser}"),
                        classes="move",
                    ),
                    classes="badge-row",
                )
            )
        parts.append(heading("The votes"))
        for number, decision in enumerate(session.decisions, start=1):
            rounds = "two rounds" if len(decision.rounds) > 1 else "one round"
            parts.append(Static(plain(f"{number} · {decision.title} ({rounds})"), classes="label"))
            parts.append(VoteBars(decision))
        parts.append(heading("Trust over the session"))
        parts.append(TrustChart(debrief.trajectory, id="chart"))
        if debrief.skill_tallies:
            parts.append(heading("Skills, by rating of the group's choices"))
            parts.append(SkillTable(debrief.skill_tallies))
            parts.append(
                Static(
                    Content(
                        " · ".join(f"{rating.symbol} {rating.label.lower()}" for rating in Rating)
                    ),
                    classes="muted",
                )
            )
        if debrief.pivotal:
            parts.append(heading("Pivotal moments"))
            parts.extend(bullet(p.question) for p in debrief.pivotal)
        if debrief.client_thoughts:
            parts.append(heading(f"What {name} may have been thinking"))
            for title, thought in debrief.client_thoughts:
                parts.append(Static(plain(title), classes="label"))
                parts.append(Static(plain(thought), classes="quote"))
        if debrief.unrepaired:
            parts.append(heading("Ruptures left unrepaired"))
            for rupture in debrief.unrepaired:
                parts.append(Static(plain(f"! {rupture.title}"), classes="label"))
                parts.append(Static(plain(rupture.description), classes="text"))
        if debrief.repaired:
            parts.append(heading("Ruptures repaired"))
            parts.extend(Static(plain(f"✓ {r.title}"), classes="text") for r in debrief.repaired)
        if debrief.notes:
            parts.append(heading("Takeaways"))
            parts.extend(bullet(note) for note in debrief.notes)
        parts.append(heading("Questions for the room"))
        parts.extend(bullet(prompt) for prompt in debrief.reflection_prompts)
        return parts

    def update_status(self) -> None:
        """The line above the footer: where the session stands and what to press next."""
        session = self.session
        decision = session.current
        phase = session.phase
        letters = " ".join(o.letter.lower() for o in decision.offered[:9]) if decision else ""
        if phase is Phase.PREBRIEF:
            text = "Enter begins the first moment · n notes · ? every key"
        elif phase is Phase.VOTING and decision is not None:
            round_ = "Revote" if len(decision.rounds) > 1 else "Round 1"
            total = decision.round.total
            votes = "1 vote" if total == 1 else f"{total} votes"
            text = (
                f"{round_} · {votes}, hidden until you lock · {letters} +1 · "
                f"{letters.upper()} −1 · # counts"
            )
        elif phase is Phase.LOCKED and decision is not None:
            text = self.verdict(decision)[1]
            timer = session.timer
            if timer.active:
                pause = "t pause" if timer.running else "t resume"
                rest = text.split(" · ", 1)[-1] if text.startswith("t start") else text
                text = f"{timer.label}: {pause} · + 30 s · x stop · {rest}"
        elif phase is Phase.REVEALED and decision is not None:
            assert decision.followed is not None
            letter = decision.letter(decision.followed)
            what_if = "w hide the others" if self.show_all else "w what if"
            text = f"Enter continue with {letter} · {letters} continue with another · {what_if}"
        else:
            text = "s save the summary as Markdown · Esc back to the library"
        self.query_one("#present-status", Static).update(Content(text))

    def tick(self) -> None:
        """Redraw the timer (on an interval; tests call it after moving a fake clock)."""
        timer = self.session.timer
        panel = self.query_one(CountdownPanel)
        visible = timer.active and self.session.phase in (Phase.VOTING, Phase.LOCKED)
        panel.display = visible
        if visible:
            panel.show(timer)
        state = (timer.state, timer.label)
        if state != self._timer_seen:
            self._timer_seen = state
            self.update_status()

    # -- actions --------------------------------------------------------------------------
    async def action_begin(self) -> None:
        self.session.begin()
        await self.refresh_view()

    def action_vote(self, key: str) -> None:
        try:
            self.session.vote(key)
        except FacilitationError:
            return
        self.unsaved = True
        self.update_status()

    def action_unvote(self, key: str) -> None:
        try:
            self.session.vote(key, -1)
        except FacilitationError:
            return
        self.update_status()

    def action_counts(self) -> None:
        decision = self.session.current
        if decision is None or self.session.phase is not Phase.VOTING:
            return

        def typed(counts: dict[str, int] | None) -> None:
            if counts is None or self.session.phase is not Phase.VOTING:
                return
            for option_id, count in counts.items():
                self.session.set_count(option_id, count)
            self.unsaved = True
            self.update_status()

        self.app.push_screen(CountsDialog(decision.offered, decision.round.counts), typed)

    async def action_lock(self) -> None:
        self.session.lock()
        self.unsaved = True
        await self.refresh_view()

    async def action_unlock(self) -> None:
        self.session.unlock()
        await self.refresh_view()

    async def action_revote(self) -> None:
        self.session.revote()
        await self.refresh_view()

    async def action_pick(self, key: str) -> None:
        try:
            self.session.choose(key)
        except FacilitationError:
            return
        self.unsaved = True
        await self.refresh_view()

    async def action_reveal(self) -> None:
        decision = self.session.current
        if decision is None or decision.shown is None:
            self.notify(
                "No option has the most votes: press a letter to pick the one to reveal.",
                markup=False,
            )
            return
        self.session.reveal()
        self.show_all = False
        await self.refresh_view()

    async def action_what_if(self) -> None:
        self.show_all = not self.show_all
        await self.refresh_view()
        if self.show_all:
            grid = self.query_one("#what-if-band")
            body = self.query_one("#present-body", VerticalScroll)
            # After the next refresh: the grid has no place on the page until it is laid out.
            self.call_after_refresh(body.scroll_to_widget, grid, top=True, animate=False)

    async def action_proceed(self) -> None:
        self.session.proceed()
        self.show_all = False
        self.unsaved = True
        await self.refresh_view()

    def action_timer(self) -> None:
        self.session.timer.toggle()
        self.tick()

    def action_add_time(self) -> None:
        self.session.timer.add(self.session.settings.add_seconds)
        self.tick()

    def action_skip_timer(self) -> None:
        self.session.timer.skip()
        self.tick()

    async def action_notes(self) -> None:
        self.notes_on = not self.notes_on
        await self.refresh_view()

    def action_save(self) -> None:
        if self.app.is_web:
            # In a browser (``roleplay serve``) the file goes to the browser as a download:
            # whoever is connected must not be able to write files on the serving machine.
            name = self.session.default_summary_name()
            self.app.deliver_text(io.StringIO(self.session.summary_markdown()), save_filename=name)
            self.unsaved = False
            self.notify(f"The summary downloads in your browser as {name}", markup=False)
            return

        def save(path: Path) -> Path:
            return self.session.save_summary(path)

        def saved(path: Path | None) -> None:
            if path is not None:
                self.unsaved = False
                self.notify(f"Summary saved to {path}", title="Saved", markup=False)

        default = Path.cwd() / self.session.default_summary_name()
        self.app.push_screen(SaveDialog(default, save), saved)

    def action_save_now(self) -> None:
        self.action_save()

    def action_leave(self) -> None:
        self.confirm_leave(lambda: self.dismiss(None))

    def action_library(self) -> None:
        self.action_leave()

    def confirm_leave(self, then: Callable[[], object]) -> None:
        """Leave (running ``then``), asking first if there are votes not saved."""
        if not self.unsaved or not self.session.decisions:
            then()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                then()

        self.app.push_screen(
            ConfirmDialog(
                "Leave this group session?",
                "The votes and the path so far have not been saved. Stay and press s to save "
                "the summary, or leave without it.",
            ),
            answered,
        )

    # -- which keys apply now -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        phase = session.phase
        decision = session.current
        if action in ("vote", "unvote", "pick"):
            key = parameters[0] if parameters else ""
            offered = decision.offered if decision else ()
            exists = isinstance(key, str) and any(o.letter == key.upper() for o in offered)
            wanted = (Phase.VOTING,) if action != "pick" else (Phase.LOCKED, Phase.REVEALED)
            return exists and phase in wanted
        rules = {
            "begin": phase is Phase.PREBRIEF,
            "proceed": phase is Phase.REVEALED,
            "lock": phase is Phase.VOTING,
            "counts": phase is Phase.VOTING,
            "unlock": phase is Phase.LOCKED,
            "reveal": phase is Phase.LOCKED,
            "revote": session.can_revote,
            "what_if": phase is Phase.REVEALED,
            "timer": phase in (Phase.VOTING, Phase.LOCKED),
            "add_time": phase in (Phase.VOTING, Phase.LOCKED),
            "skip_timer": phase in (Phase.VOTING, Phase.LOCKED),
            "save": phase is Phase.ENDED,
            "save_now": phase in (Phase.VOTING, Phase.LOCKED, Phase.REVEALED),
            "leave": phase is not Phase.ENDED,
            "library": phase is Phase.ENDED,
        }
        return rules.get(action, True)
