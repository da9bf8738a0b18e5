"""A room's live state beside the group session: the devices that joined, the anonymous
answers to a moment's discussion questions (pending until the facilitator approves them
one by one), and the views sent to students and to the projector.

The phase, the options and the counts are read from the group session itself
(``roleplay.core.facilitation``): a device's vote goes straight into the round it is cast
in. A device is a random key in a cookie; the keys live only in this process, so nothing
about a device outlives the session except the votes it cast, counted in the rounds.

Every string a view carries is cleaned with ``roleplay.core.safetext``; the pages put it
on screen as text (never as HTML).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.facilitation import Decision, Facilitation, FacilitationError, Phase
from roleplay.core.safetext import clean

MAX_ANSWER = 500
"""The longest free-text answer, in characters."""
ANSWERS_PER_MOMENT = 3
"""How many answers one device may send at one moment."""
MAX_PENDING = 300
"""Answers waiting for the facilitator at once; more are refused until some are handled."""
DEFAULT_MAX_DEVICES = 200

PHASES = {
    Phase.PREBRIEF: "waiting",
    Phase.VOTING: "voting",
    Phase.LOCKED: "locked",
    Phase.REVEALED: "revealed",
    Phase.ENDED: "ended",
}


class RoomRefusal(Exception):
    """A student's request that the room cannot take; the message says why, to them."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    """One anonymous free-text answer."""

    number: int
    moment: int
    text: str


def _text(value: str | None) -> str:
    return clean(value or "")


@dataclass
class RoomState:
    """Everything the room server knows beyond the group session."""

    session: Facilitation
    class_size: int | None = None
    max_devices: int = DEFAULT_MAX_DEVICES
    devices: set[str] = field(default_factory=set)
    pending: list[Answer] = field(default_factory=list)
    approved: list[Answer] = field(default_factory=list)
    answered: dict[tuple[str, int], int] = field(default_factory=dict)
    """How many answers each device sent at each moment."""
    listeners: list[Callable[[], None]] = field(default_factory=list)
    _numbers: int = 0

    # -- devices -----------------------------------------------------------------------------
    def new_device(self) -> str | None:
        """A key for a device joining now, or None when the room is full."""
        if len(self.devices) >= self.max_devices:
            return None
        key = secrets.token_urlsafe(16)
        self.devices.add(key)
        self.changed()
        return key

    def knows(self, device: str | None) -> bool:
        """Whether ``device`` is a key this room gave out."""
        return device is not None and device in self.devices

    def changed(self) -> None:
        """Tell the presenter's screen that a vote or an answer came in."""
        for listener in list(self.listeners):
            listener()

    # -- what students do ------------------------------------------------------------------
    @property
    def moment(self) -> int:
        """The number of the moment under way (0 before the first)."""
        return len(self.session.decisions) if self.session.current is not None else 0

    def vote(self, device: str, letter: str, moment: int, round_number: int) -> None:
        """A device's vote for the option with ``letter``, in the round the student saw."""
        session = self.session
        decision = session.current
        if session.phase is not Phase.VOTING or decision is None:
            raise RoomRefusal("Voting is closed for now.")
        if moment != self.moment or round_number != decision.round.number:
            raise RoomRefusal("The vote has moved on: here is the current one.")
        if not any(o.letter == letter for o in decision.offered):
            raise RoomRefusal("There is no such option.", 400)
        try:
            session.cast(device, letter)
        except FacilitationError as exc:
            raise RoomRefusal(str(exc)) from None
        self.changed()

    def mine(self, device: str | None) -> str | None:
        """The letter this device voted for in the current round, if any."""
        decision = self.session.current
        if device is None or decision is None:
            return None
        chosen = decision.round.devices.get(device)
        return decision.letter(chosen) if chosen is not None else None

    def questions(self) -> list[str]:
        """The discussion questions open for answers now (after the reveal)."""
        decision = self.session.current
        if decision is None or self.session.phase is not Phase.REVEALED:
            return []
        node = self.session.scenario.node(decision.node_id)
        return [_text(q) for q in node.facilitator.questions] if node.facilitator else []

    def answer(self, device: str, text: str, moment: int) -> None:
        """An anonymous answer to this moment's questions, held for the facilitator."""
        if not self.questions() or moment != self.moment:
            raise RoomRefusal("Answers are closed for now.")
        words = text.strip()
        if not words:
            raise RoomRefusal("Write an answer first.", 400)
        if len(words) > MAX_ANSWER:
            raise RoomRefusal(f"An answer can be at most {MAX_ANSWER} characters.", 413)
        sent = self.answered.get((device, moment), 0)
        if sent >= ANSWERS_PER_MOMENT:
            raise RoomRefusal(f"You have sent {ANSWERS_PER_MOMENT} answers at this moment.")
        if len(self.pending) >= MAX_PENDING:
            raise RoomRefusal("Too many answers are waiting: try again in a moment.", 503)
        self._numbers += 1
        self.pending.append(Answer(self._numbers, moment, _text(words)))
        self.answered[(device, moment)] = sent + 1
        self.changed()

    # -- what the facilitator does ---------------------------------------------------------
    def approve_next(self) -> Answer | None:
        """Show the oldest pending answer on the projector."""
        if not self.pending:
            return None
        answer = self.pending.pop(0)
        self.approved.append(answer)
        return answer

    def drop_next(self) -> Answer | None:
        """Discard the oldest pending answer (it is never shown)."""
        return self.pending.pop(0) if self.pending else None

    @property
    def voted(self) -> int:
        """Votes in the current round (devices and typed counts together)."""
        decision = self.session.current
        return decision.round.total if decision is not None else 0

    def voted_text(self) -> str:
        """'18 of 25 voted', or '18 voted' without a class size."""
        of = f" of {self.class_size}" if self.class_size else ""
        return f"{self.voted}{of} voted"

    # -- views -------------------------------------------------------------------------------
    def view(self, *, device: str | None = None, projector: bool = False) -> dict[str, Any]:
        """What a student's device (or the projector) may see now, with an ``etag``."""
        session = self.session
        decision = session.current
        phase = session.phase
        view: dict[str, Any] = {
            "phase": PHASES[phase],
            "scenario": _text(session.scenario.title),
            "moment": self.moment,
        }
        if decision is not None:
            view.update(_moment(decision))
            if phase is not Phase.VOTING:
                counts = decision.round.counts
                view["counts"] = {o.letter: counts[o.option_id] for o in decision.offered}
                view["total"] = decision.round.total
            if phase is Phase.REVEALED:
                view["revealed"] = _revealed(session, decision)
                view["questions"] = self.questions()
        view["answers"] = [a.text for a in self.approved if a.moment == self.moment]
        if projector:
            view["room"] = "projector"
        else:
            view["mine"] = self.mine(device)
            sent = self.answered.get((device or "", self.moment), 0)
            view["can_answer"] = bool(view.get("questions")) and sent < ANSWERS_PER_MOMENT
            view["sent"] = sent
            view["max_answer"] = MAX_ANSWER
        encoded = json.dumps(view, sort_keys=True, ensure_ascii=True).encode()
        view["etag"] = hashlib.sha256(encoded).hexdigest()[:16]
        return view


def _moment(decision: Decision) -> dict[str, Any]:
    return {
        "round": decision.round.number,
        "title": _text(decision.title),
        "prompt": _text(decision.prompt),
        "options": [{"letter": o.letter, "text": _text(o.text)} for o in decision.offered],
    }


def _revealed(session: Facilitation, decision: Decision) -> dict[str, Any]:
    """The option the group goes on with and what it did, as the present screen reveals."""
    assert decision.followed is not None
    followed = decision.by_id(decision.followed)
    turn = session.preview(followed.option_id)
    room = decision.room_choice
    if room is None:
        who = f"The facilitator picked {followed.letter}."
    elif room != followed.option_id:
        who = (
            f"The room chose {decision.letter(room)}; the group continues with "
            f"{followed.letter}, the facilitator's choice."
        )
    else:
        who = f"The room chose {followed.letter}."
    name = session.scenario.client.name
    lines = [
        {
            "speaker": _text(line.speaker or name),
            "say": _text(line.say),
            "cue": _text(line.cue),
            "narration": _text(line.narration),
        }
        for line in turn.reaction
    ]
    return {
        "letter": followed.letter,
        "text": _text(followed.text),
        "who": who,
        "lines": lines,
        "why": _text(turn.feedback.why),
    }
