"""The skill taxonomy, read from ``skills.yaml`` beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SKILLS_FILE = Path(__file__).with_name("skills.yaml")


@dataclass(frozen=True)
class Skill:
    """One skill every choice can be scored on."""

    id: str
    name: str
    summary: str
    grounded_in: str


@cache
def skills() -> dict[str, Skill]:
    """All skills by id, in the order of the taxonomy file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(SKILLS_FILE.read_text(encoding="utf-8"), Loader=loader)
    return {entry["id"]: Skill(**entry) for entry in raw}


def skill_name(skill_id: str) -> str:
    """The display name of a skill, or the id itself if unknown."""
    found = skills().get(skill_id)
    return found.name if found else skill_id
