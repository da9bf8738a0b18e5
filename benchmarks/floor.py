"""The loading floor: plain pydantic models of the scenario format's shape, fed by libYAML.

Not roleplay's models: no docstrings, constraints, strictness or cross-field validators;
what any program reading these files into typed objects would at least do. Unknown keys
are ignored, so the floor keeps working as the format gains fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Condition(BaseModel):
    band: str | list[str] | None = None
    min_trust: int | None = None
    max_trust: int | None = None
    flags: list[str] = Field(default_factory=list)
    not_flags: list[str] = Field(default_factory=list)
    rupture_open: list[str] = Field(default_factory=list)
    rupture_repaired: list[str] = Field(default_factory=list)
    rupture_not_open: list[str] = Field(default_factory=list)
    no_open_ruptures: bool = False


class Variant(BaseModel):
    when: Condition | None = None
    say: str | None = None
    cue: str | None = None
    narration: str | None = None
    speaker: str | None = None


class Line(Variant):
    variants: list[Variant] = Field(default_factory=list)


class Effects(BaseModel):
    trust: int = 0
    set_flags: list[str] = Field(default_factory=list)
    clear_flags: list[str] = Field(default_factory=list)
    open_rupture: str | None = None
    repair_rupture: str | None = None


class Feedback(BaseModel):
    rating: str
    skills: list[str]
    why: str
    inner_experience: str
    stronger: str | None = None
    evidence: str | None = None


class Option(BaseModel):
    id: str | None = None
    text: str
    when: Condition | None = None
    effects: Effects = Field(default_factory=Effects)
    reaction: list[Line] = Field(default_factory=list)
    next: str
    feedback: Feedback


class Facilitator(BaseModel):
    notes: str | None = None
    questions: list[str] = Field(default_factory=list)


class EndingChoice(BaseModel):
    when: Condition | None = None
    ending: str


class Node(BaseModel):
    id: str
    title: str | None = None
    lines: list[Line] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    ending: str | list[EndingChoice] | None = None
    facilitator: Facilitator | None = None


class Band(BaseModel):
    id: str
    min: int


class Trust(BaseModel):
    start: int
    bands: list[Band]


class Client(BaseModel):
    name: str
    pronouns: str | None = None
    age: int | None = None
    introduction: str
    what_matters: list[str] = Field(default_factory=list)


class Ending(BaseModel):
    id: str
    title: str
    description: str


class Rupture(BaseModel):
    id: str
    title: str
    description: str


class Scenario(BaseModel):
    id: str
    title: str
    summary: str
    version: str = "1"
    language: str = "en"
    minutes: int
    difficulty: str
    objectives: list[str]
    content_notes: list[str] = Field(default_factory=list)
    skills: list[str]
    provenance: dict[str, Any]
    setting: str
    jurisdiction_note: str | None = None
    client: Client
    trust: Trust
    ruptures: list[Rupture] = Field(default_factory=list)
    start: str
    nodes: list[Node]
    endings: list[Ending]
    reflection_prompts: list[str]
    debrief_notes: list[str] = Field(default_factory=list)


def load(path: Path) -> Scenario:
    """Parse a file with libYAML and validate it with the plain models."""
    return Scenario.model_validate(yaml.load(path.read_bytes(), Loader=_LOADER))
