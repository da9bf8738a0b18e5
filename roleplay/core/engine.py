"""The engine: a pure, deterministic state machine that plays one scenario.

It knows nothing about screens, files or storage. A front end asks it for the current
beat's lines and options, calls ``choose`` and shows the returned ``Turn``; ``rewind`` goes
back to an earlier decision to explore another option. Its saved form is the list of
events (choices and rewinds), replayed on load, so a resumed session is exactly the one
that was saved, or a clear ``ResumeError`` if the scenario has changed under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from roleplay.core.models import (
    Band,
    Condition,
    Effects,
    Ending,
    Feedback,
    Line,
    LineContent,
    Node,
    Option,
    Scenario,
)

STATE_FORMAT = 1
"""The version of ``Engine.to_state``'s record; ``from_state`` refuses any other."""


class RuptureStatus(StrEnum):
    """Where a named rupture stands."""

    OPEN = "open"
    REPAIRED = "repaired"


@dataclass(frozen=True)
class State:
    """Everything that conditions can look at."""

    trust: int
    flags: frozenset[str] = frozenset()
    ruptures: Mapping[str, RuptureStatus] = field(default_factory=dict)

    def open_ruptures(self) -> list[str]:
        """Ruptures caused and not repaired, in the order they were opened."""
        return [name for name, status in self.ruptures.items() if status is RuptureStatus.OPEN]


def holds(condition: Condition | None, state: State, scenario: Scenario) -> bool:
    """Whether a condition holds in a state (no condition always holds)."""
    if condition is None:
        return True
    trust = state.trust
    if condition.bands and scenario.trust.band_for(trust).id not in condition.bands:
        return False
    if condition.min_trust is not None and trust < condition.min_trust:
        return False
    if condition.max_trust is not None and trust > condition.max_trust:
        return False
    if any(flag not in state.flags for flag in condition.flags):
        return False
    if any(flag in state.flags for flag in condition.not_flags):
        return False
    if any(state.ruptures.get(r) is not RuptureStatus.OPEN for r in condition.rupture_open):
        return False
    if any(state.ruptures.get(r) is not RuptureStatus.REPAIRED for r in condition.rupture_repaired):
        return False
    if any(state.ruptures.get(r) is RuptureStatus.OPEN for r in condition.rupture_not_open):
        return False
    return not (condition.no_open_ruptures and state.open_ruptures())


def apply_effects(state: State, effects: Effects) -> State:
    """The state after a choice's effects: trust clamped to 0-100, flags, ruptures.

    Repairing a rupture that is not open changes nothing; opening one that was repaired
    opens it again.
    """
    flags = (set(state.flags) | set(effects.set_flags)) - set(effects.clear_flags)
    ruptures = dict(state.ruptures)
    if effects.open_rupture is not None:
        ruptures[effects.open_rupture] = RuptureStatus.OPEN
    if (
        effects.repair_rupture is not None
        and ruptures.get(effects.repair_rupture) is RuptureStatus.OPEN
    ):
        ruptures[effects.repair_rupture] = RuptureStatus.REPAIRED
    return State(
        trust=max(0, min(100, state.trust + effects.trust)),
        flags=frozenset(flags),
        ruptures=ruptures,
    )


@dataclass(frozen=True)
class ShownLine:
    """A line as it is shown: the client's words, a non-verbal cue and/or narration."""

    say: str | None = None
    cue: str | None = None
    narration: str | None = None
    speaker: str | None = None
    """Who speaks when it is not the client; None means the client."""

    @classmethod
    def of(cls, content: LineContent) -> ShownLine:
        """Copy the visible parts of a line or variant."""
        return cls(
            say=content.say, cue=content.cue, narration=content.narration, speaker=content.speaker
        )


def resolve_lines(lines: Iterable[Line], state: State, scenario: Scenario) -> list[ShownLine]:
    """The lines to show in a state: conditions applied, variants chosen."""
    shown: list[ShownLine] = []
    for line in lines:
        if not holds(line.when, state, scenario):
            continue
        if line.variants:
            for variant in line.variants:
                if holds(variant.when, state, scenario):
                    shown.append(ShownLine.of(variant))
                    break
        else:
            shown.append(ShownLine.of(line))
    return shown


@dataclass(frozen=True)
class Choice:
    """An option as offered now: its number on screen, its id and the option itself."""

    number: int
    id: str
    option: Option

    @property
    def text(self) -> str:
        """What the learner would say."""
        return self.option.text


@dataclass(frozen=True)
class Turn:
    """The result of one choice: what changed and the feedback for it."""

    step: int
    """Position in the conversation (0 for the first decision)."""
    node_id: str
    option_id: str
    option: Option
    trust_before: int
    trust_after: int
    flags_set: tuple[str, ...]
    flags_cleared: tuple[str, ...]
    rupture_opened: str | None
    rupture_repaired: str | None
    next_node: str
    reaction: tuple[ShownLine, ...]
    available: tuple[str, ...]
    """Ids of every option on offer at the moment of choosing."""
    exploration: bool
    """True when this decision was already made once and the learner rewound to try again."""
    own_words: str | None = None
    """What the learner wrote first, in write-first mode."""

    @property
    def feedback(self) -> Feedback:
        """The feedback card for the chosen option."""
        return self.option.feedback

    @property
    def delta(self) -> int:
        """The actual change in trust (after clamping to 0-100)."""
        return self.trust_after - self.trust_before


@dataclass(frozen=True)
class Chose:
    """A saved event: the option chosen (by id), with the learner's own words if any."""

    option_id: str
    words: str | None = None


@dataclass(frozen=True)
class Rewound:
    """A saved event: the learner went back to just before decision ``to_step``."""

    to_step: int


Event = Chose | Rewound
"""What the engine's saved form is made of: replaying the events rebuilds the engine."""


def _event_json(event: Event) -> dict[str, Any]:
    if isinstance(event, Rewound):
        return {"rewind": event.to_step}
    data: dict[str, Any] = {"choose": event.option_id}
    if event.words:
        data["words"] = event.words
    return data


class EngineError(Exception):
    """A front end asked for something the current state does not allow."""


class ResumeError(Exception):
    """A saved state cannot be replayed on this scenario (it has changed, or is not ours)."""


class Engine:
    """Plays one scenario. Deterministic: the same events always give the same state."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._state = State(trust=scenario.trust.start)
        self._node = scenario.node(scenario.start)
        self._path: list[Turn] = []
        self._states: list[tuple[State, Node]] = []
        self._log: list[Turn] = []
        self._events: list[Event] = []
        self._decided: set[tuple[int, str]] = set()

    # -- reading the current moment -----------------------------------------------------
    @property
    def state(self) -> State:
        """Trust, flags and ruptures now."""
        return self._state

    @property
    def node(self) -> Node:
        """The current beat."""
        return self._node

    @property
    def trust(self) -> int:
        """Trust now, 0-100."""
        return self._state.trust

    @property
    def band(self) -> Band:
        """The trust band now."""
        return self.scenario.trust.band_for(self._state.trust)

    @property
    def step(self) -> int:
        """How many decisions the current path holds."""
        return len(self._path)

    def lines(self) -> list[ShownLine]:
        """The current beat's lines, resolved for the current state."""
        return resolve_lines(self._node.lines, self._state, self.scenario)

    def choices(self) -> list[Choice]:
        """The options on offer now, numbered from 1 (empty at an ending)."""
        if self.finished:
            return []
        offered: list[Choice] = []
        for index, option in enumerate(self._node.options):
            if holds(option.when, self._state, self.scenario):
                offered.append(Choice(len(offered) + 1, self._node.option_id(index), option))
        return offered

    @property
    def finished(self) -> bool:
        """Whether the current beat closes the scenario (or, defensively, offers nothing)."""
        return self._node.is_ending or not any(
            holds(o.when, self._state, self.scenario) for o in self._node.options
        )

    @property
    def ending(self) -> Ending | None:
        """The ending reached, once finished; None before."""
        if not self._node.is_ending:
            return None
        choices = self._node.ending_choices()
        for choice in choices:
            if holds(choice.when, self._state, self.scenario):
                return self.scenario.ending(choice.ending)
        return self.scenario.ending(choices[-1].ending)

    @property
    def path(self) -> list[Turn]:
        """The decisions of the conversation as it now stands."""
        return list(self._path)

    @property
    def log(self) -> list[Turn]:
        """Every decision made, including those later rewound, in order."""
        return list(self._log)

    # -- acting ----------------------------------------------------------------------------
    def choose(self, choice: int | str, own_words: str | None = None) -> Turn:
        """Choose an option by its number on screen (int) or its id (str)."""
        offered = self.choices()
        if not offered:
            raise EngineError("the scenario has ended; there is nothing to choose")
        picked: Choice | None = None
        for candidate in offered:
            if candidate.number == choice if isinstance(choice, int) else candidate.id == choice:
                picked = candidate
                break
        if picked is None:
            raise EngineError(f"option {choice!r} is not on offer at '{self._node.id}'")
        return self._apply(picked, offered, own_words)

    def _apply(self, picked: Choice, offered: list[Choice], own_words: str | None) -> Turn:
        before = self._state
        effects = picked.option.effects
        after = apply_effects(before, effects)
        opened = effects.open_rupture
        repaired = (
            effects.repair_rupture
            if effects.repair_rupture is not None
            and before.ruptures.get(effects.repair_rupture) is RuptureStatus.OPEN
            else None
        )
        position = (len(self._path), self._node.id)
        turn = Turn(
            step=len(self._path),
            node_id=self._node.id,
            option_id=picked.id,
            option=picked.option,
            trust_before=before.trust,
            trust_after=after.trust,
            flags_set=tuple(f for f in effects.set_flags if f not in before.flags),
            flags_cleared=tuple(f for f in effects.clear_flags if f in before.flags),
            rupture_opened=opened,
            rupture_repaired=repaired,
            next_node=picked.option.next,
            reaction=tuple(resolve_lines(picked.option.reaction, after, self.scenario)),
            available=tuple(c.id for c in offered),
            exploration=position in self._decided,
            own_words=own_words or None,
        )
        self._decided.add(position)
        self._states.append((before, self._node))
        self._path.append(turn)
        self._log.append(turn)
        self._events.append(Chose(picked.id, own_words or None))
        self._state = after
        self._node = self.scenario.node(picked.option.next)
        return turn

    @property
    def can_rewind(self) -> bool:
        """Whether there is an earlier decision to go back to."""
        return bool(self._path)

    def rewind(self, step: int | None = None) -> None:
        """Go back to just before decision ``step`` (default: the latest one)."""
        if not self._path:
            raise EngineError("there is no earlier decision to go back to")
        target = len(self._path) - 1 if step is None else step
        if not 0 <= target < len(self._path):
            raise EngineError(f"there is no decision {step} to go back to")
        self._state, self._node = self._states[target]
        del self._states[target:]
        del self._path[target:]
        self._events.append(Rewound(target))

    # -- saving and resuming ---------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        """Every choice and rewind so far, in order: what ``replay`` rebuilds from."""
        return list(self._events)

    def to_state(self) -> dict[str, Any]:
        """A JSON-serialisable record from which ``from_state`` rebuilds this engine."""
        return {
            "format": STATE_FORMAT,
            "scenario": self.scenario.id,
            "version": self.scenario.version,
            "events": [_event_json(event) for event in self._events],
            # For people reading the file; replay does not use these.
            "node": self._node.id,
            "trust": self._state.trust,
        }

    @classmethod
    def replay(cls, scenario: Scenario, events: Iterable[Event]) -> Engine:
        """Rebuild an engine from its events (kept elsewhere, e.g. a history of steps);
        ResumeError if they no longer fit the scenario."""
        state = {
            "format": STATE_FORMAT,
            "scenario": scenario.id,
            "events": [_event_json(event) for event in events],
        }
        return cls.from_state(scenario, state)

    @classmethod
    def from_state(cls, scenario: Scenario, data: Mapping[str, Any]) -> Engine:
        """Rebuild an engine by replaying saved events; ResumeError if they no longer fit."""
        saved_format = data.get("format") if isinstance(data, Mapping) else None
        if type(saved_format) is not int or saved_format != STATE_FORMAT:
            raise ResumeError("the saved state is not in a format this version understands")
        if data.get("scenario") != scenario.id:
            raise ResumeError(
                f"the saved state belongs to scenario '{data.get('scenario')}', not '{scenario.id}'"
            )
        engine = cls(scenario)
        events = data.get("events")
        if not isinstance(events, list):
            raise ResumeError("the saved state has no list of events")
        for number, event in enumerate(events, start=1):
            try:
                if isinstance(event, Mapping) and isinstance(event.get("choose"), str):
                    words = event.get("words")
                    engine.choose(event["choose"], words if isinstance(words, str) else None)
                elif isinstance(event, Mapping) and type(event.get("rewind")) is int:
                    engine.rewind(event["rewind"])
                else:
                    raise ResumeError(f"saved event {number} is not understood: {event!r}")
            except EngineError as exc:
                raise ResumeError(
                    f"the scenario has changed since this attempt was saved (event {number}: {exc})"
                ) from None
        return engine

    def copy(self) -> Engine:
        """An independent engine in the same state (for 'what would happen if' views)."""
        return Engine.from_state(self.scenario, self.to_state())

    def preview(self, choice: int | str) -> Turn:
        """What choosing an option would do, without choosing it."""
        return self.copy().choose(choice)
