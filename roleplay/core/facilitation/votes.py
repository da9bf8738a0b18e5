"""The votes at one decision of a group session: the options as lettered for the room,
each round's counts (hidden until locked), and who chose what."""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.engine import Turn

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class FacilitationError(Exception):
    """The facilitator asked for something the session's state does not allow."""


@dataclass
class Round:
    """One vote at one decision: a count per option, hidden until locked."""

    number: int
    """1 for the first vote, 2 for the revote."""
    option_ids: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    """Every vote per option: those typed by the facilitator plus those from devices."""
    locked: bool = False
    devices: dict[str, str] = field(default_factory=dict)
    """The option each device voted for (a room server's votes), by an opaque key that
    means nothing outside this run; included in ``counts``. Never saved anywhere."""

    def __post_init__(self) -> None:
        self.counts = {oid: self.counts.get(oid, 0) for oid in self.option_ids}

    def _changeable(self, option_id: str) -> None:
        if option_id not in self.counts:
            raise FacilitationError(f"there is no option '{option_id}' in this vote")
        if self.locked:
            raise FacilitationError("this vote is locked")

    def add(self, option_id: str, votes: int = 1) -> int:
        """Add votes to an option; returns its new count (never below its device votes:
        the facilitator takes away only votes they added)."""
        self._changeable(option_id)
        floor = self.device_count(option_id)
        self.counts[option_id] = max(floor, self.counts[option_id] + votes)
        return self.counts[option_id]

    def remove(self, option_id: str, votes: int = 1) -> int:
        """Take votes away from an option (never below zero); returns its new count."""
        return self.add(option_id, -votes)

    def set_count(self, option_id: str, count: int) -> None:
        """Set an option's count of hands outright (a counted show of hands); votes from
        devices are added to it (a mixed room)."""
        self._changeable(option_id)
        if count < 0:
            raise FacilitationError("a count cannot be negative")
        self.counts[option_id] = count + self.device_count(option_id)

    def cast(self, device: str, option_id: str) -> None:
        """One device's vote: a device has one vote per round, moved if it votes again."""
        self._changeable(option_id)
        before = self.devices.get(device)
        if before == option_id:
            return
        if before is not None:
            self.counts[before] -= 1
        self.devices[device] = option_id
        self.counts[option_id] += 1

    def device_count(self, option_id: str) -> int:
        """How many devices voted for an option."""
        return sum(1 for chosen in self.devices.values() if chosen == option_id)

    @property
    def hand_counts(self) -> dict[str, int]:
        """Each option's votes apart from the devices' (what the facilitator typed)."""
        return {oid: count - self.device_count(oid) for oid, count in self.counts.items()}

    @property
    def total(self) -> int:
        """All votes cast in this round."""
        return sum(self.counts.values())

    def percentages(self) -> dict[str, int]:
        """Each option's whole-number share, summing to exactly 100 (none with no votes).

        Largest remainder: every share is rounded down, then the points left over go to
        the largest remainders (ties to the earlier option), so 1-1-1 reads 34-33-33 and
        never 33-33-33 or 101 in all."""
        total = self.total
        if not total:
            return dict.fromkeys(self.counts, 0)
        # Whole numbers throughout: float remainders that should tie can differ in the
        # last bit and give the point to the wrong option.
        shares = {oid: 100 * count // total for oid, count in self.counts.items()}
        remainders = {oid: 100 * count % total for oid, count in self.counts.items()}
        left = 100 - sum(shares.values())
        order = sorted(remainders, key=lambda oid: -remainders[oid])
        for oid in order[:left]:
            shares[oid] += 1
        return shares

    def percent_text(self, option_id: str) -> str:
        """An option's share as '64%', or '-' when nobody has voted."""
        return f"{self.percentages()[option_id]}%" if self.total else "-"

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
    room_turn: Turn | None = None
    """After an override: what the room's own choice would have done at this moment (the
    group's ratings and skills count it, since the room's vote is what the group chose)."""

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

    @property
    def group_turn(self) -> Turn | None:
        """The turn that counts as the group's choice once the group has moved on: the
        room's choice when the facilitator overrode it, else the option followed (on a tie
        or with no votes the room did not choose, and the facilitator's pick stands)."""
        if self.turn is None:
            return None
        return self.room_turn if self.overridden and self.room_turn else self.turn

    def chosen_by(self) -> str:
        """Who chose the option followed, in words for the summary and the end page:
        'the room's choice', or 'the facilitator continued with A; the room chose B'."""
        followed = self.followed
        if followed is None:
            return "not yet decided"
        room = self.room_choice
        letter = self.letter(followed)
        if room is None:
            return f"the facilitator's pick, {letter} (the room did not settle on one option)"
        if followed != room:
            return f"the facilitator continued with {letter}; the room chose {self.letter(room)}"
        return f"the room's choice, {letter}"

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
