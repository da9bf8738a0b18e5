"""Running a scenario with a group: votes in rounds, the thinking timer, and the summary.

A facilitator at a projector shows one moment at a time; the room votes (a show of hands
or counted slips) and the facilitator types the tally in, hidden until they lock it. If
the room is split (no option has more than a set share of the votes) there can be a
discussion and one revote; both rounds are kept. The option the room chose is revealed,
then the group continues with it or with another option the facilitator picks.

No Textual here: the present screen draws this state, and the tests drive it with a fake
clock. Time comes from an injected callable returning monotonic seconds, never from
sleeping, so a timer can be tested by moving the clock.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from roleplay.core.debrief import Debrief, build_debrief
from roleplay.core.engine import Engine, Turn
from roleplay.core.models import Rating, Scenario
from roleplay.core.skills import skill_name
from roleplay.core.wording import quoted

Clock = Callable[[], float]
"""Returns monotonic seconds (``time.monotonic`` in real use, a fake in tests)."""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class FacilitationError(Exception):
    """The facilitator asked for something the session's state does not allow."""


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

    @property
    def discussion(self) -> float:
        """The discussion timer in seconds."""
        return self.discussion_seconds or 2 * self.thinking_seconds


def clock_text(seconds: float) -> str:
    """Seconds left as m:ss, rounded up so the display reaches 0:00 exactly at the end."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class TimerState(StrEnum):
    """Where a countdown stands."""

    READY = "ready"
    """Set but not started."""
    RUNNING = "running"
    PAUSED = "paused"
    EXPIRED = "expired"
    """Ran down to zero."""
    SKIPPED = "skipped"
    """Stopped early by the facilitator."""


class CountdownTimer:
    """A countdown read from a clock: nothing ticks, the state is worked out when asked."""

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic, label: str = "") -> None:
        self.clock = clock
        self.label = label
        self.duration = float(seconds)
        self._left = float(seconds)
        self._since: float | None = None
        self._state = TimerState.READY

    def _settle(self) -> None:
        running = self._state is TimerState.RUNNING and self._since is not None
        if running and self._left - (self.clock() - (self._since or 0.0)) <= 0:
            self._left = 0.0
            self._since = None
            self._state = TimerState.EXPIRED

    @property
    def state(self) -> TimerState:
        """The state now (a running timer whose time is up reads as expired)."""
        self._settle()
        return self._state

    @property
    def remaining(self) -> float:
        """Seconds left, never below zero."""
        self._settle()
        if self._state is TimerState.RUNNING and self._since is not None:
            return max(0.0, self._left - (self.clock() - self._since))
        return self._left

    @property
    def running(self) -> bool:
        """Whether it is counting down now."""
        return self.state is TimerState.RUNNING

    @property
    def active(self) -> bool:
        """Whether it has been started and not reset (running, paused or at its end)."""
        return self.state is not TimerState.READY

    def text(self) -> str:
        """The time left as m:ss."""
        return clock_text(self.remaining)

    def start(self) -> None:
        """Start or resume; a timer that has ended starts again from its full time."""
        state = self.state
        if state is TimerState.RUNNING:
            return
        if state in (TimerState.EXPIRED, TimerState.SKIPPED):
            self._left = self.duration
        self._since = self.clock()
        self._state = TimerState.RUNNING

    def pause(self) -> None:
        """Stop counting, keeping the time left."""
        if self.state is TimerState.RUNNING and self._since is not None:
            self._left = max(0.0, self._left - (self.clock() - self._since))
            self._since = None
            self._state = TimerState.PAUSED

    def toggle(self) -> None:
        """Pause if running, otherwise start (or resume)."""
        if self.running:
            self.pause()
        else:
            self.start()

    def add(self, seconds: float) -> None:
        """Give more time; after the end, the extra time starts running at once."""
        state = self.state
        if state in (TimerState.EXPIRED, TimerState.SKIPPED):
            self._left = float(seconds)
            self._since = self.clock()
            self._state = TimerState.RUNNING
            return
        self._left += seconds
        if state is TimerState.READY:
            self.duration += seconds

    def skip(self) -> None:
        """End the countdown now."""
        self._left = 0.0
        self._since = None
        self._state = TimerState.SKIPPED

    def reset(self, seconds: float | None = None, label: str | None = None) -> None:
        """Back to ready, with a new length and label if given."""
        if seconds is not None:
            self.duration = float(seconds)
        if label is not None:
            self.label = label
        self._left = self.duration
        self._since = None
        self._state = TimerState.READY


@dataclass
class Round:
    """One vote at one decision: a count per option, hidden until locked."""

    number: int
    """1 for the first vote, 2 for the revote."""
    option_ids: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    locked: bool = False

    def __post_init__(self) -> None:
        self.counts = {oid: self.counts.get(oid, 0) for oid in self.option_ids}

    def _changeable(self, option_id: str) -> None:
        if option_id not in self.counts:
            raise FacilitationError(f"there is no option '{option_id}' in this vote")
        if self.locked:
            raise FacilitationError("this vote is locked")

    def add(self, option_id: str, votes: int = 1) -> int:
        """Add votes to an option; returns its new count."""
        self._changeable(option_id)
        self.counts[option_id] = max(0, self.counts[option_id] + votes)
        return self.counts[option_id]

    def remove(self, option_id: str, votes: int = 1) -> int:
        """Take votes away from an option (never below zero); returns its new count."""
        return self.add(option_id, -votes)

    def set_count(self, option_id: str, count: int) -> None:
        """Set an option's count outright (a counted show of hands)."""
        self._changeable(option_id)
        if count < 0:
            raise FacilitationError("a count cannot be negative")
        self.counts[option_id] = count

    @property
    def total(self) -> int:
        """All votes cast in this round."""
        return sum(self.counts.values())

    def share(self, option_id: str) -> float:
        """An option's share of the votes, 0 to 1 (0 when nobody has voted)."""
        total = self.total
        return self.counts[option_id] / total if total else 0.0

    def leaders(self) -> list[str]:
        """The option(s) with the most votes (none when nobody has voted)."""
        if not self.total:
            return []
        most = max(self.counts.values())
        return [oid for oid, count in self.counts.items() if count == most]

    def leader(self) -> str | None:
        """The option with the most votes, or None on a tie or with no votes."""
        leaders = self.leaders()
        return leaders[0] if len(leaders) == 1 else None

    def is_split(self, threshold: float) -> bool:
        """Whether no option has more than ``threshold`` of the votes (never with no votes)."""
        total = self.total
        return total > 0 and max(self.counts.values()) / total <= threshold


@dataclass(frozen=True)
class Offered:
    """An option as the room sees it: its letter, id and words."""

    letter: str
    option_id: str
    text: str


@dataclass
class Decision:
    """One decision point as the group went through it."""

    step: int
    node_id: str
    title: str
    prompt: str
    offered: tuple[Offered, ...]
    rounds: list[Round]
    pick: str | None = None
    """The facilitator's pick before the reveal (needed on a tie), if any."""
    revealed: bool = False
    followed: str | None = None
    """The option the group continues with (set at the reveal; the facilitator may change it)."""
    turn: Turn | None = None
    """What the followed option did, once the group has moved on."""

    @property
    def round(self) -> Round:
        """The round being voted or last voted."""
        return self.rounds[-1]

    @property
    def room_choice(self) -> str | None:
        """The option with the most votes in the latest round; None on a tie or no votes."""
        return self.round.leader()

    @property
    def shown(self) -> str | None:
        """The option the reveal shows: the facilitator's pick, else the room's choice."""
        return self.pick or self.room_choice

    @property
    def overridden(self) -> bool:
        """Whether the group went on with an option other than the room's clear choice."""
        room = self.room_choice
        return self.followed is not None and room is not None and self.followed != room

    def by_id(self, option_id: str) -> Offered:
        """The offered option with this id."""
        for offered in self.offered:
            if offered.option_id == option_id:
                return offered
        raise FacilitationError(f"option '{option_id}' is not on offer here")

    def resolve(self, key: str) -> str:
        """An option id from a letter (any case) or an id; a letter wins over an id."""
        for offered in self.offered:
            if key.upper() == offered.letter:
                return offered.option_id
        for offered in self.offered:
            if key == offered.option_id:
                return offered.option_id
        raise FacilitationError(f"there is no option {key!r} here")

    def letter(self, option_id: str) -> str:
        """The letter of an option id."""
        return self.by_id(option_id).letter


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
        """Add votes (negative: remove) for an option by letter or id; returns its count."""
        decision = self._decision(Phase.VOTING)
        return decision.round.add(decision.resolve(key), votes)

    def set_count(self, key: str, count: int) -> None:
        """Set one option's count outright."""
        decision = self._decision(Phase.VOTING)
        decision.round.set_count(decision.resolve(key), count)

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
        decision.turn = self.engine.choose(decision.followed)
        self._arrive()
        return decision.turn

    @property
    def finished(self) -> bool:
        """Whether the scenario has ended."""
        return self.phase is Phase.ENDED

    def debrief(self) -> Debrief:
        """The debrief of the group's path so far."""
        return build_debrief(self.engine, group=True)

    # -- the summary -----------------------------------------------------------------------
    def summary_markdown(self, when: datetime | None = None) -> str:
        """The session as Markdown: path, votes at every decision, debrief essentials."""
        return "\n".join(_summary_lines(self, when or datetime.now().astimezone())) + "\n"

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


def write_private(path: Path, text: str) -> None:
    """Write a text file with mode 0600 (also when replacing an existing file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)
        handle.write(text)


# -- Markdown -------------------------------------------------------------------------------
def _inline(text: str) -> str:
    """Scenario text on one Markdown line, table pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "-"


def _chosen_by(decision: Decision) -> str:
    followed = decision.followed
    if followed is None:
        return "not yet decided"
    room = decision.room_choice
    if room is None:
        return "the facilitator's pick (no option had the most votes)"
    if followed != room:
        return f"the facilitator's choice (the room chose {decision.letter(room)})"
    return "the room's choice"


def _round_cell(round_: Round, option_id: str) -> str:
    count = round_.counts[option_id]
    return f"{count} ({_percent(count, round_.total)})"


def _vote_lines(decision: Decision, threshold: float) -> Iterable[str]:
    rounds = decision.rounds
    head = ["Option", *(("First vote" if r.number == 1 else "Revote") for r in rounds)]
    yield "| " + " | ".join(head) + " |"
    yield "|" + "---|" * len(head)
    for offered in decision.offered:
        cells = [f"{offered.letter}: {_inline(offered.text)}"]
        cells += [_round_cell(r, offered.option_id) for r in rounds]
        yield "| " + " | ".join(cells) + " |"
    yield "| Total | " + " | ".join(str(r.total) for r in rounds) + " |"
    yield ""
    for round_ in rounds:
        name = "First vote" if round_.number == 1 else "Revote"
        if not round_.locked:
            verdict = "not locked"
        elif not round_.total:
            verdict = "no votes entered"
        elif round_.is_split(threshold):
            verdict = f"split (no option above {round(100 * threshold)}%)"
        elif (leader := round_.leader()) is not None:
            verdict = f"clear choice: {decision.letter(leader)}"
        else:
            verdict = "tie"
        yield f"- {name}: {verdict}."


def _summary_lines(session: Facilitation, when: datetime) -> Iterable[str]:
    scenario = session.scenario
    client = scenario.client
    debrief = session.debrief()
    yield f"# Group session: {_inline(scenario.title)}"
    yield ""
    yield f"- Date: {when.strftime('%Y-%m-%d %H:%M')}"
    yield f"- Scenario: `{scenario.id}` (version {_inline(scenario.version)})"
    yield f"- Client: {_inline(client.name)} ({_inline(client.pronouns)})"
    yield f"- Split threshold: no option above {round(100 * session.settings.split_threshold)}%"
    if debrief.ending is not None:
        yield f"- Ending: {_inline(debrief.ending.title)}"
    else:
        yield "- Ending: not reached (the session stopped before the end)"
    yield ""

    yield "## The group's path"
    yield ""
    taken = [d for d in session.decisions if d.turn is not None]
    if not taken:
        yield "No decision was completed."
    for number, decision in enumerate(taken, start=1):
        turn = decision.turn
        assert turn is not None
        offered = decision.by_id(turn.option_id)
        rating = turn.feedback.rating
        yield (
            f"{number}. **{_inline(decision.title)}**: {offered.letter}, "
            f"\u201c{_inline(offered.text)}\u201d"
        )
        yield (
            f"   - {_chosen_by(decision)}; {rating.symbol} {rating.label}; "
            f"trust {turn.trust_before} \u2192 {turn.trust_after}"
        )
    yield ""

    yield "## Votes at each decision"
    for number, decision in enumerate(session.decisions, start=1):
        yield ""
        yield f"### {number}. {_inline(decision.title)}"
        yield ""
        yield from _vote_lines(decision, session.settings.split_threshold)

    yield ""
    yield "## Debrief"
    yield ""
    if debrief.ending is not None:
        yield f"### How it ended: {_inline(debrief.ending.title)}"
        yield ""
        yield _inline(debrief.ending.description)
        if debrief.ending.client_view:
            yield ""
            view = _inline(quoted(debrief.ending.client_view))
            yield f"{_inline(client.name)}, leaving: {view}"
        yield ""
    yield "### Trust over the session"
    yield ""
    yield " \u2192 ".join(str(value) for value in debrief.trajectory)
    yield ""
    counts = debrief.rating_counts
    if debrief.decisions:
        yield "### Ratings of the group's choices"
        yield ""
        for rating in Rating:
            yield f"- {rating.symbol} {rating.label}: {counts[rating]}"
        yield ""
    if debrief.skill_tallies:
        yield "### Skills"
        yield ""
        yield "| Skill | " + " | ".join(r.symbol for r in Rating) + " |"
        yield "|" + "---|" * (1 + len(Rating))
        for skill, tally in debrief.skill_tallies.items():
            cells = " | ".join(str(tally.get(r, 0)) for r in Rating)
            yield f"| {skill_name(skill)} | {cells} |"
        yield ""
    if debrief.pivotal:
        yield "### Pivotal moments"
        yield ""
        for pivot in debrief.pivotal:
            yield f"- {_inline(pivot.question)}"
        yield ""
    if debrief.client_thoughts:
        yield f"### What {_inline(client.name)} may have been thinking"
        yield ""
        for title, thought in debrief.client_thoughts:
            yield f"- {_inline(title)}: {_inline(thought)}"
        yield ""
    if debrief.unrepaired:
        yield "### Ruptures left unrepaired"
        yield ""
        for rupture in debrief.unrepaired:
            yield f"- {_inline(rupture.title)}: {_inline(rupture.description)}"
        yield ""
    if debrief.repaired:
        yield "### Ruptures repaired"
        yield ""
        for rupture in debrief.repaired:
            yield f"- {_inline(rupture.title)}"
        yield ""
    if debrief.notes:
        yield "### Takeaways"
        yield ""
        for note in debrief.notes:
            yield f"- {_inline(note)}"
        yield ""
    yield "### Questions to reflect on"
    yield ""
    for prompt in debrief.reflection_prompts:
        yield f"- {_inline(prompt)}"
