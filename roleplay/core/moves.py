"""The vocabulary of recurring moves, read from ``moves.yaml`` beside this module.

A move (promising total confidentiality, owning a lapse, ...) recurs across scenarios; the
vocabulary gives each one a default rating and trust range so that the same move is rated
the same way everywhere, and names the one exception (if any) that may justify another.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MOVES_FILE = Path(__file__).with_name("moves.yaml")

RATING_RANGES: dict[str, tuple[int, int]] = {
    "builds-trust": (3, 12),
    "partly-helpful": (-2, 5),
    "missed-opportunity": (-8, 0),
    "harmful": (-20, -5),
}
"""The trust range expected for each rating when an option carries no move."""


@dataclass(frozen=True)
class Calibration:
    """A rating with the trust change that goes with it (an inclusive range)."""

    rating: str
    low: int
    high: int
    when: str = ""
    """For an exception: the situation that justifies it."""

    def fits(self, rating: str, trust: int) -> bool:
        """Whether an option's rating and trust change fall inside this calibration."""
        return rating == self.rating and self.low <= trust <= self.high

    def describe(self) -> str:
        """E.g. ``missed-opportunity, trust -6..-2`` (zero is written without a sign)."""
        return f"{self.rating}, trust {signed(self.low)}..{signed(self.high)}"


def signed(value: int) -> str:
    """A trust change as written in the calibration table: ``+4``, ``-2``, ``0``."""
    return f"{value:+d}" if value else "0"


@dataclass(frozen=True)
class Move:
    """One recurring move with its calibration."""

    id: str
    name: str
    summary: str
    default: Calibration
    exception: Calibration | None = None


def _calibration(raw: dict[str, Any]) -> Calibration:
    low, high = raw["trust"]
    return Calibration(str(raw["rating"]), int(low), int(high), str(raw.get("when", "")))


@cache
def moves() -> dict[str, Move]:
    """All moves by id, in the order of the vocabulary file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(MOVES_FILE.read_text(encoding="utf-8"), Loader=loader)
    return {
        entry["id"]: Move(
            id=entry["id"],
            name=entry["name"],
            summary=entry["summary"],
            default=_calibration(entry["default"]),
            exception=_calibration(entry["exception"]) if entry.get("exception") else None,
        )
        for entry in raw
    }


def move_name(move_id: str) -> str:
    """The display name of a move, or the id itself if unknown."""
    found = moves().get(move_id)
    return found.name if found else move_id
