"""Present mode's pages at one moment: the vote, the locked vote, the reveal and 'what if'
(every option side by side), plus the facilitator notes box.

Each page is the list of widgets the present screen mounts in its scrolling body; what
they say comes from the session and its flow (``roleplay.core.facilitation``).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.engine import ShownLine
from roleplay.core.facilitation import Decision, Facilitation, Offered, Phase
from roleplay.core.facilitation.flow import PresentFlow
from roleplay.tui.text import plain, trust_move
from roleplay.tui.widgets.bands import Bullet, band, heading
from roleplay.tui.widgets.choices import ChoiceItem
from roleplay.tui.widgets.feedback import FeedbackBody
from roleplay.tui.widgets.group_whatif import WhatIfTable, what_if_details
from roleplay.tui.widgets.transcript import (
    ClientMessage,
    LearnerMessage,
    Narration,
    Notice,
    line_widgets,
)
from roleplay.tui.widgets.votes import VoteBars


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


def room_lines(name: str, line: ShownLine) -> list[Widget]:
    """A line of the scenario for a projector: narration and cues in full-strength text
    with a bar beside them, not in faint italics (italics wash out on a projector)."""
    widgets: list[Widget] = []
    for widget in line_widgets(name, line):
        if isinstance(widget, Narration):
            widget.add_class("-room")
        elif isinstance(widget, ClientMessage):
            other = widget.has_class("-other")
            parts = [
                plain(widget.client_name, "bold $text-secondary" if other else "bold $text-accent")
            ]
            if widget.cue:
                parts.append(plain(f"[{widget.cue}]", "bold $text-secondary"))
            if widget.say:
                parts.append(plain(widget.say))
            widget.update(Content("\n").join(parts))
        widgets.append(widget)
    return widgets


def notes_box(session: Facilitation) -> Widget:
    """The facilitator notes for this moment, boxed and titled as being on screen."""
    facilitator = session.engine.node.facilitator
    parts: list[Widget] = []
    if session.phase is Phase.PREBRIEF:
        parts.append(Static(Content("No notes before the first moment."), classes="text"))
    elif facilitator is not None and facilitator.notes:
        parts.append(Static(plain(facilitator.notes), classes="text"))
    else:
        parts.append(Static(Content("This moment has no facilitator notes."), classes="text"))
    if facilitator is not None and facilitator.questions and session.current:
        parts.append(heading("Questions for after the reveal"))
        parts.extend(Bullet(q) for q in facilitator.questions)
    parts.append(
        Static(
            plain(
                f"Reminder: never ask someone who shares {session.scenario.client.name}'s "
                "identity to speak for that group."
            ),
            classes="reminder",
        )
    )
    box = Vertical(*parts, id="notes-box")
    box.border_title = Content("Facilitator notes · on screen")
    return box


def options_list(decision: Decision) -> Widget:
    """The options on offer, lettered."""
    return Vertical(*(LetteredChoice(o) for o in decision.offered), classes="options")


def moment_page(session: Facilitation, decision: Decision) -> list[Widget]:
    """Read, think and vote: the conversation so far, the prompt and the options."""
    name = session.scenario.client.name
    parts: list[Widget] = [band(f"Moment {len(session.decisions)} · {decision.title}")]
    if len(decision.rounds) > 1:
        parts.append(
            Static(
                Content("Revote: the first vote is kept. Vote again after the discussion."),
                classes="note",
            )
        )
    for line in session.engine.lines():
        parts.extend(room_lines(name, line))
    parts.append(Static(plain(decision.prompt), classes="prompt"))
    parts.append(options_list(decision))
    return parts


def locked_page(flow: PresentFlow, decision: Decision) -> list[Widget]:
    """The locked vote: its bars and what it says (a split room is marked)."""
    session = flow.session
    round_name = "Revote" if len(decision.rounds) > 1 else "The room's vote"
    said = flow.verdict(decision)[0]
    verdict = Vertical(
        Static(plain(said), classes="said"),
        id="verdict",
        classes="-split" if session.split else "",
    )
    return [
        band(f"{round_name} · Moment {len(session.decisions)}"),
        VoteBars(decision, id="vote-bars"),
        verdict,
        Static(plain(decision.prompt), classes="prompt"),
        options_list(decision),
    ]


def revealed_page(flow: PresentFlow, decision: Decision) -> list[Widget]:
    """What the followed option did: the reply, the reaction, trust, the feedback card and
    the questions for the room; then every option side by side when 'what if' is on."""
    session = flow.session
    scenario = session.scenario
    name = scenario.client.name
    assert decision.followed is not None
    followed = decision.by_id(decision.followed)
    turn = session.preview(followed.option_id)
    room = decision.room_choice
    if room is None:
        who = f"Facilitator's pick: {followed.letter} (the room did not settle on one option)"
    elif followed.option_id != room:
        who = (
            f"The facilitator continues with {followed.letter}; the room chose "
            f"{decision.letter(room)} (the room's choice counts in the group's ratings)"
        )
    else:
        who = f"The room chose {followed.letter}"
    band_name = scenario.trust.band_for(turn.trust_after).display
    parts: list[Widget] = [
        band(f"What happened · Moment {len(session.decisions)}"),
        Static(plain(who), classes="who"),
        LearnerMessage(
            f"{followed.letter} · "
            + ("the group's reply" if followed.option_id == room else "the facilitator's pick"),
            followed.text,
        ),
    ]
    for line in turn.reaction:
        parts.extend(room_lines(name, line))
    parts.append(
        Notice(
            plain(f"{trust_move(turn.trust_before, turn.trust_after)} · {band_name}"),
            classes="-trust",
        )
    )
    card = Vertical(FeedbackBody(turn.feedback, name), id="present-card")
    card.border_title = Content(f"Feedback · {followed.letter}")
    parts.append(card)
    node = scenario.node(decision.node_id)
    questions = node.facilitator.questions if node.facilitator else []
    if questions:
        parts.append(heading("Questions for the room"))
        parts.extend(Bullet(q) for q in questions)
    if flow.show_all:
        parts.append(band("What each option would have done", id="what-if-band"))
        parts.append(WhatIfTable(decision, session.previews(), id="what-if-table"))
        if flow.details:
            parts.append(what_if_details(session, name))
        else:
            parts.append(Static(Content("d shows each option's reaction and why"), classes="muted"))
    return parts
