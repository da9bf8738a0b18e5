"""The building blocks of the scenario format: ids, text, whole numbers, ratings and the
taxonomy ids (skills, moves) that every model in ``roleplay.core.models`` is made of."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from roleplay.core.moves import moves
from roleplay.core.skills import skills

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)

SLUG_MAX = 80
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
"""A lower-case id made of letters, digits and single hyphens, such as ``first-visit``."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
"""Non-empty prose shown to the learner."""

Whole = Annotated[int, Strict()]
"""A whole number written as one. Strict because pydantic would otherwise convert what YAML
read as something else: ``trust: yes`` to 1, ``age: 34.0`` to 34, ``minutes: "8"`` to 8."""


MODEL_CONFIG = ConfigDict(
    extra="forbid",
    frozen=True,
    use_attribute_docstrings=True,
    str_strip_whitespace=True,
)
"""Every part of a scenario is strict about unknown keys and frozen once loaded. (Each module
subclasses ``BaseModel`` itself with this config, so linters can see the models are
pydantic's and their list defaults are copied, not shared.)"""


def empty_list() -> Any:
    """The default of an optional list: a new empty list for each model, ``[]`` in the schema.

    Written ``= []``, pydantic deep-copies the default on every validation because a list is
    unhashable: that was most of the time spent building a scenario's models. A factory
    makes the same fresh list without the copy."""
    return Field(default_factory=list, json_schema_extra={"default": []})


class Rating(StrEnum):
    """How well a choice served the relationship, on four levels (never right/wrong)."""

    BUILDS_TRUST = "builds-trust"
    PARTLY_HELPFUL = "partly-helpful"
    MISSED_OPPORTUNITY = "missed-opportunity"
    HARMFUL = "harmful"

    @property
    def rank(self) -> int:
        """Higher is better: 3 for builds-trust down to 0 for harmful."""
        return _RATING_RANK[self]

    @property
    def label(self) -> str:
        """The words shown to people: 'Builds trust', 'Harmful', ..."""
        return self.value.replace("-", " ").capitalize()

    @property
    def symbol(self) -> str:
        """A symbol that carries the rating without colour (for screens and plain text)."""
        return _RATING_SYMBOL[self]


_RATING_RANK = {
    Rating.BUILDS_TRUST: 3,
    Rating.PARTLY_HELPFUL: 2,
    Rating.MISSED_OPPORTUNITY: 1,
    Rating.HARMFUL: 0,
}
_RATING_SYMBOL = {
    Rating.BUILDS_TRUST: "++",
    Rating.PARTLY_HELPFUL: "+",
    Rating.MISSED_OPPORTUNITY: "~",
    Rating.HARMFUL: "!!",
}


class Difficulty(StrEnum):
    """How much the scenario asks of the learner."""

    INTRO = "intro"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


def _check_skill_id(value: str) -> str:
    known = skills()
    if value not in known:
        raise PydanticCustomError(
            "unknown_skill",
            "unknown skill '{skill}'; use one of: {known}",
            {"skill": value, "known": ", ".join(known)},
        )
    return value


SkillId = Annotated[
    str,
    AfterValidator(_check_skill_id),
    # Editors offer (and check) the taxonomy's ids from the JSON Schema.
    WithJsonSchema({"type": "string", "enum": list(skills())}),
]
"""An id from the skill taxonomy (``roleplay skills`` lists them)."""


def readable(slug: str) -> str:
    """An id made readable: ``first-visit`` -> ``First visit``."""
    return slug.replace("-", " ").capitalize()


def is_slug(value: str) -> bool:
    """Whether a string is a valid id."""
    return len(value) <= SLUG_MAX and bool(_SLUG.match(value))


def _check_move_id(value: str) -> str:
    known = moves()
    if value not in known:
        raise PydanticCustomError(
            "unknown_move",
            "unknown move '{move}'; use one of: {known} (or leave 'move' out)",
            {"move": value, "known": ", ".join(known)},
        )
    return value


MoveId = Annotated[
    str,
    AfterValidator(_check_move_id),
    WithJsonSchema({"type": "string", "enum": list(moves())}),
]
"""An id from the vocabulary of recurring moves (``roleplay moves`` lists them)."""

# RFC 5646 tags: language[-extlang][-script][-region](-variant)*(-extension)*[-privateuse],
# or a private-use tag on its own. Case does not matter. The language subtag must have 2-3
# letters: the 4-8 letter form is well-formed but no such subtag is registered, and it
# catches a language written as a word ("english").
_BCP47 = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+)$",
    re.IGNORECASE,
)


_JSON_PATTERN = (
    _BCP47.pattern.replace("[a-z", "[a-zA-Z")
    .replace("a-wy-z", "a-wA-Wy-zY-Z")
    .replace("-x(", "-[xX](")
    .replace("|x(", "|[xX](")
)


def is_language_tag(value: str) -> bool:
    """Whether a string is a well-formed BCP 47 language tag, such as ``en`` or ``en-GB``."""
    return bool(_BCP47.match(value))


def _check_language(value: str) -> str:
    if not is_language_tag(value):
        hint = " (use a hyphen, not an underscore)" if "_" in value else ""
        raise PydanticCustomError(
            "invalid_language",
            "'{tag}' is not a BCP 47 language tag such as en, en-GB or pt-BR{hint}",
            {"tag": value, "hint": hint},
        )
    return value


LanguageTag = Annotated[
    str,
    AfterValidator(_check_language),
    # Editors check the same pattern; JSON Schema has no case-insensitive flag, so both cases.
    WithJsonSchema({"type": "string", "pattern": _JSON_PATTERN}),
]
"""A BCP 47 language tag such as ``en`` or ``en-GB``."""
