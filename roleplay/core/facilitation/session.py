"""One group session on one scenario: its settings, its phases and the moves between them.

The rules of voting rounds live in ``votes``, the timer in ``timer`` and the Markdown
summary in ``summary``; this module ties them to the engine.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from roleplay.core.debrief import Debrief, build_debrief
from roleplay.core.engine import Engine, Turn
from roleplay.core.facilitation.credit import group_debrief
from roleplay.core.facilitation.summary import summary_markdown, write_private
from roleplay.core.facilitation.timer import Clock, CountdownTimer
from roleplay.core.facilitation.votes import (
    LETTERS,
    Decision,
    FacilitationError,
    Offered,
    Round,
)
from roleplay.core.models import Scenario

MAX_CLASS = 9999
"""The most votes one option can have (and the largest class size)."""


@dataclass(frozen=True)
class FacilitationSettings:
    """How a group session runs."""

    thinking_seconds: float = 60.0
    """The silent thinking timer at each decision."""
    discussion_seconds: float | None = None
    """The discussion timer when the room is split; None means twice the thinking time."""
    split_threshold: float = 0.6
    """The room is split when no option has more than this share of the votes."""
    add_seconds: float = 30.0
    """How much 'add time' adds."""
    class_size: int | None = None
    """How many people can vote; no count or total may be above it. None: not set."""

    def __post_init__(self) -> None:
        if not self.thinking_seconds > 0 or not math.isfinite(self.thinking_seconds):
            raise ValueError("the thinking timer must be a positive number of seconds")
        if self.discussion_seconds is not None and not (
            self.discussion_seconds > 0 and math.isfinite(self.discussion_seconds)
        ):
            raise ValueError("the discussion timer must be a positive number of seconds")
        if not 0 < self.split_threshold < 1:
            raise ValueError("the split threshold is a share between 0 and 1, e.g. 0.6")
        if not self.add_seconds > 0:
            raise ValueError("'add time' must add a positive number of seconds")
        if self.class_size is not None and not 1 <= self.class_size <= MAX_CLASS:
            raise ValueError(f"the class size is a whole number from 1 to {MAX_CLASS}")

    @property
    def discussion(self) -> float:
        """The discussion timer in seconds."""
        return self.discussion_seconds or 2 * self.thinking_seconds


class Phase(StrEnum):
    """What the facilitator is doing."""

    PREBRIEF = "prebrief"
    VOTING = "voting"
    """The room is reading, thinking and voting; counts are being entered, hidden."""
    LOCKED = "locked"
    """The vote is locked and its distribution shown; revote or reveal next."""
    REVEALED = "revealed"
    """The chosen option's reaction and feedback are shown."""
    ENDED = "ended"


class Facilitation:
    """One group session on one scenario."""

    def __init__(
        self,
        scenario: Scenario,
        settings: FacilitationSettings | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self.scenario = scenario
        self.settings = settings or FacilitationSettings()
        self.engine = Engine(scenario)
        self.timer = CountdownTimer(self.settings.thinking_seconds, clock=clock, label="Thinking")
        self.decisions: list[Decision] = []
        self.phase = Phase.PREBRIEF

    # -- reading the state ----------------------------------------------------------------
    @property
    def current(self) -> Decision | None:
        """The decision under way, or None before the first and after the end."""
        if self.phase in (Phase.VOTING, Phase.LOCKED, Phase.REVEALED):
            return self.decisions[-1]
        return None

    def _decision(self, *phases: Phase) -> Decision:
        decision = self.current
        if decision is None or self.phase not in phases:
            wanted = " or ".join(p.value for p in phases)
            raise FacilitationError(f"this needs the {wanted} phase (now: {self.phase.value})")
        return decision

    @property
    def split(self) -> bool:
        """Whether the locked vote shows a split room."""
        decision = self.current
        return (
            decision is not None
            and self.phase is Phase.LOCKED
            and decision.round.is_split(self.settings.split_threshold)
        )

    @property
    def can_revote(self) -> bool:
        """Whether a revote is possible now (once per decision, after locking the first)."""
        decision = self.current
        return decision is not None and self.phase is Phase.LOCKED and len(decision.rounds) == 1

    # -- moving through the session -------------------------------------------------------
    def begin(self) -> None:
        """Leave the prebrief for the first decision."""
        if self.phase is not Phase.PREBRIEF:
            raise FacilitationError("the session has already begun")
        self._arrive()

    def _arrive(self) -> None:
        self.timer.reset(self.settings.thinking_seconds, "Thinking")
        engine = self.engine
        if engine.finished:
            self.phase = Phase.ENDED
            return
        choices = engine.choices()
        if len(choices) > len(LETTERS):
            raise FacilitationError(f"more than {len(LETTERS)} options cannot be lettered")
        node = engine.node
        offered = tuple(
            Offered(LETTERS[index], choice.id, choice.text) for index, choice in enumerate(choices)
        )
        self.decisions.append(
            Decision(
                step=engine.step,
                node_id=node.id,
                title=node.display_title,
                prompt=node.prompt or "What do you say?",
                offered=offered,
                rounds=[Round(1, tuple(o.option_id for o in offered))],
            )
        )
        self.phase = Phase.VOTING

    def vote(self, key: str, votes: int = 1) -> int:
        """Add votes (negative: remove) for an option by letter or id; returns its count.
        Refused when it would make more votes than the class has people."""
        decision = self._decision(Phase.VOTING)
        option_id = decision.resolve(key)
        limit = self.settings.class_size or MAX_CLASS
        if votes > 0 and decision.round.total + votes > limit:
            raise FacilitationError(self._over(decision.round.total + votes))
        return decision.round.add(option_id, votes)

    def count_problem(self, counts: dict[str, int]) -> str | None:
        """What is wrong with a set of typed counts (by option id), or None when they fit:
        no count above the class size and no more votes in all than the class has people
        (votes from devices, in a room, count too)."""
        decision = self._decision(Phase.VOTING)
        round_ = decision.round
        limit = self.settings.class_size or MAX_CLASS
        totals = dict(round_.counts)
        for option_id, count in counts.items():
            letter = decision.letter(option_id)
            if count < 0:
                return f"{letter}: a count cannot be negative."
            totals[option_id] = count + round_.device_count(option_id)
            if totals[option_id] > limit:
                return f"{letter}: {totals[option_id]} is more than {self._people()}."
        total = sum(totals.values())
        if total > limit:
            return f"The counts add up to {total}, more than {self._people()}."
        return None

    def _people(self) -> str:
        size = self.settings.class_size
        return f"the class of {size}" if size else f"{MAX_CLASS} votes"

    def _over(self, total: int) -> str:
        return f"{total} votes would be more than {self._people()}."

    def set_counts(self, counts: dict[str, int]) -> None:
        """Set every typed count at once (by option id), after checking them together."""
        problem = self.count_problem(counts)
        if problem is not None:
            raise FacilitationError(problem)
        decision = self._decision(Phase.VOTING)
        for option_id, count in counts.items():
            decision.round.set_count(decision.resolve(option_id), count)

    def set_count(self, key: str, count: int) -> None:
        """Set one option's count outright (the others as they are)."""
        decision = self._decision(Phase.VOTING)
        counts = dict(decision.round.counts)
        counts[decision.resolve(key)] = count
        self.set_counts(counts)

    def cast(self, device: str, key: str) -> str:
        """One device's vote (a room server) by letter or id; returns the option id."""
        decision = self._decision(Phase.VOTING)
        option_id = decision.resolve(key)
        decision.round.cast(device, option_id)
        return option_id

    def lock(self) -> None:
        """Lock the vote and show it; a split room gets a discussion timer, ready to start."""
        decision = self._decision(Phase.VOTING)
        decision.round.locked = True
        decision.pick = None
        self.phase = Phase.LOCKED
        if self.split:
            self.timer.reset(self.settings.discussion, "Discussion")
        else:
            self.timer.reset(self.settings.thinking_seconds, "Thinking")

    def unlock(self) -> None:
        """Reopen the locked vote to correct a count (before the reveal)."""
        decision = self._decision(Phase.LOCKED)
        decision.round.locked = False
        decision.pick = None
        self.phase = Phase.VOTING
        self.timer.reset(self.settings.thinking_seconds, "Thinking")

    def revote(self) -> None:
        """Start the second round; the first is kept."""
        decision = self._decision(Phase.LOCKED)
        if len(decision.rounds) > 1:
            raise FacilitationError("there has already been a revote at this decision")
        decision.rounds.append(Round(2, decision.round.option_ids))
        decision.pick = None
        self.phase = Phase.VOTING
        # The discussion timer may still be running: the revote has a fresh thinking timer.
        self.timer.reset(self.settings.thinking_seconds, "Thinking")

    def choose(self, key: str) -> str:
        """The facilitator picks an option: before the reveal, the one to reveal (a tie needs
        this); after it, the one to continue with instead of the room's choice."""
        decision = self._decision(Phase.LOCKED, Phase.REVEALED)
        option_id = decision.resolve(key)
        if self.phase is Phase.LOCKED:
            decision.pick = option_id
        else:
            decision.followed = option_id
        return option_id

    def reveal(self) -> Turn:
        """Show what the chosen option does; returns its preview (nothing is chosen yet)."""
        decision = self._decision(Phase.LOCKED)
        shown = decision.shown
        if shown is None:
            raise FacilitationError("no option has the most votes: pick one to reveal first")
        decision.revealed = True
        decision.followed = shown
        self.phase = Phase.REVEALED
        self.timer.reset(self.settings.thinking_seconds, "Thinking")
        return self.engine.preview(shown)

    def preview(self, option_id: str) -> Turn:
        """What an option would do at the current decision, without choosing it."""
        return self.engine.preview(option_id)

    def previews(self) -> list[tuple[Offered, Turn]]:
        """Every option on offer beside what it would do ('reveal all')."""
        decision = self._decision(Phase.REVEALED)
        return [(offered, self.engine.preview(offered.option_id)) for offered in decision.offered]

    def proceed(self) -> Turn:
        """Continue with the followed option and arrive at the next decision (or the end)."""
        decision = self._decision(Phase.REVEALED)
        assert decision.followed is not None
        room = decision.room_choice
        if room is not None and room != decision.followed:
            # The group's ratings count the room's vote: keep what it would have done.
            decision.room_turn = self.engine.preview(room)
        decision.turn = self.engine.choose(decision.followed)
        self._arrive()
        return decision.turn

    @property
    def finished(self) -> bool:
        """Whether the scenario has ended."""
        return self.phase is Phase.ENDED

    def debrief(self) -> Debrief:
        """The debrief of the group's path so far; its ratings and skills count the room's
        vote where the facilitator continued with another option (``credit``)."""
        return group_debrief(build_debrief(self.engine, group=True), self.decisions)

    # -- the summary -----------------------------------------------------------------------
    def summary_markdown(self, when: datetime | None = None) -> str:
        """The session as Markdown: path, votes at every decision, debrief essentials."""
        decision = self.current
        pending = None
        if self.phase is Phase.REVEALED and decision is not None and decision.followed:
            # Saved mid-moment: the revealed step belongs on the path, marked as such.
            pending = self.preview(decision.followed)
        return summary_markdown(
            self.scenario,
            self.decisions,
            self.debrief(),
            pending=pending,
            split_threshold=self.settings.split_threshold,
            when=when or datetime.now().astimezone(),
        )

    def default_summary_name(self, when: datetime | None = None) -> str:
        """A file name for the summary, e.g. ``roleplay-group-mini-20250101-0930.md``."""
        stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M")
        return f"roleplay-group-{self.scenario.id}-{stamp}.md"

    def save_summary(self, path: Path | str | None = None, when: datetime | None = None) -> Path:
        """Write the summary (readable by this user only); a folder gets the default name."""
        when = when or datetime.now().astimezone()
        target = Path(path).expanduser() if path else Path.cwd()
        if target.is_dir():
            target = target / self.default_summary_name(when)
        if not target.parent.is_dir():
            raise FileNotFoundError(f"there is no folder {target.parent}")
        write_private(target, self.summary_markdown(when))
        return target
