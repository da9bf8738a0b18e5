"""What the present screen shows and allows at each phase of a group session, without Textual.

The screen draws; this object decides. It holds the session and the screen's own state
(facilitator notes on screen, every option side by side, votes not yet saved), says which
of present mode's keys apply now, and words the phase label, the verdict on a locked vote
and the status line that names the next keys. The keys named here are present mode's
bindings (``roleplay.tui.screens.present``).
"""

from __future__ import annotations

from roleplay.core.facilitation.session import Facilitation, Phase
from roleplay.core.facilitation.timer import clock_text
from roleplay.core.facilitation.votes import Decision, FacilitationError

PHASE_LABELS = {
    Phase.PREBRIEF: "BEFORE WE BEGIN",
    Phase.LOCKED: "VOTE LOCKED",
    Phase.REVEALED: "REVEAL",
    Phase.ENDED: "THE END",
}

_ACTIVE = (Phase.VOTING, Phase.LOCKED)


class PresentFlow:
    """One group session as the facilitator's screen runs it."""

    def __init__(self, session: Facilitation) -> None:
        self.session = session
        self.notes_on = False
        """Whether the facilitator notes are on screen (the room sees them too)."""
        self.show_all = False
        """Whether every option is compared after the reveal ('what if')."""
        self.details = False
        """Whether the comparison shows each option's reaction and why as well."""
        self.unsaved = False
        """Whether there are votes or choices the summary has not been saved with."""
        self.refusal: str | None = None
        """Why the last vote was refused, when a reason is worth showing."""

    # -- which actions apply now -----------------------------------------------------------
    def allows(self, action: str, parameters: tuple[object, ...] = ()) -> bool:
        """Whether a screen action applies in this phase (unknown actions always do)."""
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
            "details": phase is Phase.REVEALED and self.show_all,
            "timer": phase in _ACTIVE,
            "add_time": phase in _ACTIVE,
            "skip_timer": phase in _ACTIVE,
            "save": phase is Phase.ENDED,
            "save_now": phase in (Phase.VOTING, Phase.LOCKED, Phase.REVEALED),
            "leave": phase is not Phase.ENDED,
            "library": phase is Phase.ENDED,
        }
        return rules.get(action, True)

    @property
    def timer_visible(self) -> bool:
        """Whether the countdown belongs on screen now."""
        return self.session.timer.active and self.session.phase in _ACTIVE

    @property
    def asks_before_leaving(self) -> bool:
        """Whether leaving would lose votes or a path not saved in a summary."""
        return self.unsaved and bool(self.session.decisions)

    # -- moving on (each returns whether anything changed) ---------------------------------
    def begin(self) -> None:
        self.session.begin()

    def vote(self, key: str, votes: int = 1) -> bool:
        """Add (or, with a negative number, take away) votes for an option by letter.
        False when refused; ``refusal`` then says why (e.g. more votes than the class)."""
        self.refusal = None
        try:
            self.session.vote(key, votes)
        except FacilitationError as exc:
            if self.session.phase is Phase.VOTING and votes > 0:
                self.refusal = str(exc)
            return False
        if votes > 0:
            self.unsaved = True
        return True

    def set_counts(self, counts: dict[str, int]) -> bool:
        """Set the counts typed in a dialog, unless the vote closed meanwhile (the dialog
        checks them against the class size first, with ``session.count_problem``)."""
        if self.session.phase is not Phase.VOTING:
            return False
        try:
            self.session.set_counts(counts)
        except FacilitationError as exc:
            self.refusal = str(exc)
            return False
        self.unsaved = True
        return True

    def lock(self) -> None:
        self.session.lock()
        self.unsaved = True

    def unlock(self) -> None:
        self.session.unlock()

    def revote(self) -> None:
        self.session.revote()

    def pick(self, key: str) -> bool:
        """The facilitator picks the option to reveal, or to continue with instead."""
        try:
            self.session.choose(key)
        except FacilitationError:
            return False
        self.unsaved = True
        return True

    def reveal(self) -> bool:
        """Reveal the chosen option; False when no option has the most votes and none is
        picked (the facilitator must pick one first)."""
        decision = self.session.current
        if decision is None or decision.shown is None:
            return False
        self.session.reveal()
        self.show_all = self.details = False
        return True

    def proceed(self) -> None:
        self.session.proceed()
        self.show_all = self.details = False
        self.unsaved = True

    def toggle_what_if(self) -> None:
        self.show_all = not self.show_all
        self.details = False

    def toggle_details(self) -> None:
        self.details = not self.details

    def toggle_notes(self) -> None:
        self.notes_on = not self.notes_on

    def saved(self) -> None:
        self.unsaved = False

    # -- wording -----------------------------------------------------------------------------
    def phase_label(self) -> str:
        """The phase in capitals, for the top bar."""
        decision = self.session.current
        phase = self.session.phase
        if phase is Phase.VOTING and decision is not None:
            return "REVOTE" if len(decision.rounds) > 1 else "VOTE"
        return PHASE_LABELS.get(phase, "")

    def verdict(self, decision: Decision) -> tuple[str, str]:
        """What the locked vote says, and what the facilitator can do next."""
        session = self.session
        round_ = decision.round
        total = round_.total
        room = decision.room_choice
        pick = decision.pick
        if pick is not None and pick == room:
            # Picking the room's own option (say, after picking another) is no override.
            return (f"The room chose {decision.letter(room)}.", f"r reveal {decision.letter(room)}")
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
            said = f"{letter} has {count} of {total} votes ({round_.percent_text(room)})."
            reveal = f"r reveal {letter}"
        if session.split:
            threshold = round(100 * session.settings.split_threshold)
            said = f"The room is split: no option has more than {threshold}%. {said}"
            if session.can_revote:
                timer = clock_text(session.settings.discussion)
                return (said, f"t start a {timer} discussion · v revote · {reveal}")
            return (said, reveal if room is None else f"{reveal} · a letter picks another")
        if room is None:
            return (said, "Press a letter to pick the option to reveal.")
        return (
            f"The room chose {decision.letter(room)}. {said}",
            f"r reveal what happens after {decision.letter(room)}",
        )

    def status(self) -> str:
        """The line above the footer: where the session stands and what to press next."""
        session = self.session
        decision = session.current
        phase = session.phase
        if phase is Phase.PREBRIEF:
            return "Enter begins the first moment · n notes · ? every key"
        if phase is Phase.VOTING and decision is not None:
            round_ = "Revote" if len(decision.rounds) > 1 else "Round 1"
            total = decision.round.total
            votes = "1 vote" if total == 1 else f"{total} votes"
            # Short enough for one line at 60 columns: every row counts on a projector.
            return f"{round_} · {votes}, hidden · {_span(decision)} +1 · shift −1 · # counts"
        if phase is Phase.LOCKED and decision is not None:
            text = self.verdict(decision)[1]
            timer = session.timer
            if timer.active:
                pause = "t pause" if timer.running else "t resume"
                rest = text.split(" · ", 1)[-1] if text.startswith("t start") else text
                text = f"{timer.label}: {pause} · + 30 s · x stop · {rest}"
            return text
        if phase is Phase.REVEALED and decision is not None:
            assert decision.followed is not None
            letter = decision.letter(decision.followed)
            what_if = "w what if"
            if self.show_all:
                what_if = "w hide · d " + ("fewer" if self.details else "details")
            # One line at 60 columns, like the voting line.
            return f"Enter continue with {letter} · {_span(decision)} another · {what_if}"
        return "s save the summary as Markdown · Esc back to the library"


def _span(decision: Decision) -> str:
    """The option keys as a range, e.g. 'a–d' (one letter alone)."""
    offered = decision.offered[:9]
    first, last = offered[0].letter.lower(), offered[-1].letter.lower()
    return first if first == last else f"{first}–{last}"
