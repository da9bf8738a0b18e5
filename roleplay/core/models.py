"""The scenario format: pydantic models for one scenario file.

Every field carries a docstring; they become the descriptions in ``roleplay schema`` (the
JSON Schema editors use for completion) and are the source for ``docs/scenario-format.md``.
Models forbid unknown keys so that a typo is an error, not a silently ignored default.
Cross-references between parts (``next`` targets, rupture names) are checked by
``roleplay.core.lint``, which can point at the exact line.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

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


class Model(BaseModel):
    """Base for every part of a scenario: strict about unknown keys, frozen once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )


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


class Provenance(Model):
    """Who wrote the scenario and how far it has been reviewed."""

    authors: list[Text] = Field(min_length=1)
    """The people (or team) who wrote it."""
    review_status: Literal["draft", "reviewed"] = "draft"
    """`draft` until people with lived experience of the client's situation have reviewed it;
    `reviewed` only after they have."""
    reviewers: list[Text] = []
    """Who reviewed it (roles are enough if names are private). Required when `reviewed`."""
    notes: Text | None = None
    """Anything a trainer should know about where the scenario came from."""

    @model_validator(mode="after")
    def _reviewed_needs_reviewers(self) -> Provenance:
        if self.review_status == "reviewed" and not self.reviewers:
            raise PydanticCustomError(
                "reviewers_missing",
                "review_status 'reviewed' needs at least one entry in 'reviewers'; "
                "keep 'draft' until the scenario has been reviewed",
            )
        return self


class Client(Model):
    """The person the learner meets."""

    name: Text
    """What the client asks to be called."""
    pronouns: Text
    """The client's pronouns, as they would write them (e.g. `she/her`, `they/them`)."""
    age: Whole = Field(ge=0, le=120)
    """Age in years."""
    introduction: Text
    """A short self-introduction in the client's own voice, shown in the briefing."""
    what_matters: list[Text] = Field(min_length=1)
    """What matters to this person: work, people, humour, goals, strengths."""


class Band(Model):
    """A named range of trust, used in conditions and on the trust meter."""

    id: Slug
    """The name used in conditions, such as `guarded`."""
    label: Text | None = None
    """The name shown on the meter; defaults to the id with a capital letter."""
    min: Whole = Field(ge=0, le=100)
    """The lowest trust value in this band; the band runs up to the next band's `min`."""

    @property
    def display(self) -> str:
        """The label to show."""
        return self.label or readable(self.id)


class Trust(Model):
    """The trust meter: where it starts and its named bands."""

    start: Whole = Field(ge=0, le=100)
    """Trust at the start, 0 to 100."""
    bands: list[Band] = Field(min_length=2)
    """Bands in ascending order of `min`; the first must start at 0."""

    @field_validator("bands")
    @classmethod
    def _bands_ascending(cls, bands: list[Band]) -> list[Band]:
        if bands[0].min != 0:
            raise PydanticCustomError(
                "bands_start", "the first band must have min: 0 so every trust value has a band"
            )
        mins = [band.min for band in bands]
        if mins != sorted(set(mins)) or len(set(mins)) != len(mins):
            raise PydanticCustomError(
                "bands_order", "bands must be listed with strictly increasing 'min' values"
            )
        ids = [band.id for band in bands]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("bands_duplicate", "two bands have the same id")
        return bands

    def band_for(self, value: int) -> Band:
        """The band that contains a trust value."""
        found = self.bands[0]
        for band in self.bands:
            if value >= band.min:
                found = band
        return found

    def band_range(self, band_id: str) -> tuple[int, int] | None:
        """The inclusive trust range of a band, or None if there is no such band."""
        for index, band in enumerate(self.bands):
            if band.id == band_id:
                upper = self.bands[index + 1].min - 1 if index + 1 < len(self.bands) else 100
                return band.min, upper
        return None


class Condition(Model):
    """When something applies. Every key given must hold (they are joined by AND)."""

    band: Slug | list[Slug] | None = None
    """Trust must be in this band (or in one of these bands)."""
    min_trust: Whole | None = Field(default=None, ge=0, le=100)
    """Trust must be at least this."""
    max_trust: Whole | None = Field(default=None, ge=0, le=100)
    """Trust must be at most this."""
    flags: list[Slug] = []
    """These flags must all be set."""
    not_flags: list[Slug] = []
    """None of these flags may be set."""
    rupture_open: list[Slug] = []
    """These ruptures must be open (caused and not yet repaired)."""
    rupture_repaired: list[Slug] = []
    """These ruptures must have been repaired."""
    rupture_not_open: list[Slug] = []
    """None of these ruptures may be open (never caused, or already repaired)."""
    no_open_ruptures: bool = False
    """If true, no rupture may be open."""

    @property
    def bands(self) -> list[str]:
        """The band ids named, as a list."""
        if self.band is None:
            return []
        return [self.band] if isinstance(self.band, str) else list(self.band)


class LineContent(Model):
    """What one line shows: the client's words, a non-verbal cue, or narration."""

    speaker: Text | None = None
    """Who speaks, when it is not the client (e.g. `Amina (his daughter)`); default: the client."""
    say: Text | None = None
    """The words spoken (by the client unless `speaker` says otherwise)."""
    cue: Text | None = None
    """A non-verbal cue shown with (or instead of) the words: a pause, a look, a gesture."""
    narration: Text | None = None
    """Scene-setting narration in the third person, shown apart from the client's words."""

    def has_content(self) -> bool:
        """Whether any of the three kinds of text is present."""
        return bool(self.say or self.cue or self.narration)


class LineVariant(LineContent):
    """One version of a line; the first variant whose condition holds is shown."""

    when: Condition | None = None
    """When this variant applies; leave it out on the last variant to make a default."""

    @model_validator(mode="after")
    def _needs_content(self) -> LineVariant:
        if not self.has_content():
            raise PydanticCustomError(
                "empty_line", "a variant needs at least one of 'say', 'cue' or 'narration'"
            )
        return self


class Line(LineContent):
    """One line of a beat. Either text (`say`, `cue`, `narration`) or a list of `variants`."""

    when: Condition | None = None
    """Show this line only when the condition holds."""
    variants: list[LineVariant] = []
    """Alternatives chosen by state: the first whose `when` holds is shown (none: nothing)."""

    @model_validator(mode="after")
    def _content_or_variants(self) -> Line:
        if self.variants and self.has_content():
            raise PydanticCustomError(
                "line_mixed",
                "a line has either 'variants' or its own 'say'/'cue'/'narration', not both",
            )
        if not self.variants and not self.has_content():
            raise PydanticCustomError(
                "empty_line", "a line needs 'say', 'cue', 'narration' or 'variants'"
            )
        return self


class Effects(Model):
    """What a choice changes."""

    trust: Whole = Field(default=0, ge=-100, le=100)
    """Change in trust (clamped to 0-100 afterwards), e.g. `8` or `-15`."""
    set_flags: list[Slug] = []
    """Flags to set, to remember what happened (e.g. `asked-about-name`)."""
    clear_flags: list[Slug] = []
    """Flags to clear."""
    open_rupture: Slug | None = None
    """A rupture (declared under `ruptures`) this choice causes."""
    repair_rupture: Slug | None = None
    """A rupture (declared under `ruptures`) this choice repairs, if it is open."""


class Feedback(Model):
    """The feedback card for one choice."""

    rating: Rating
    """One of `builds-trust`, `partly-helpful`, `missed-opportunity`, `harmful`."""
    skills: list[SkillId] = Field(min_length=1)
    """Skill ids from the taxonomy (see `roleplay skills`) this choice exercises or misses."""
    why: Text
    """Why this choice helps or hurts, naming the skill and the principle behind it."""
    inner_experience: Text
    """One plausible inner reaction of this client (never a rule about a group)."""
    stronger: Text | None = None
    """A stronger alternative as example words. Required unless the rating is `builds-trust`."""
    evidence: Text | None = None
    """An optional one-line note on the research behind the point."""

    @model_validator(mode="after")
    def _stronger_required(self) -> Feedback:
        if self.rating is not Rating.BUILDS_TRUST and not self.stronger:
            raise PydanticCustomError(
                "stronger_missing",
                "feedback rated '{rating}' needs 'stronger': an example of a better reply",
                {"rating": self.rating.value},
            )
        return self


class Option(Model):
    """One reply the learner can choose at a decision point."""

    id: Slug | None = None
    """A stable id for the option (used in saved history); defaults to its number."""
    text: Text
    """What the learner says (or does)."""
    when: Condition | None = None
    """Offer this option only when the condition holds."""
    effects: Effects = Effects()
    """What choosing it changes."""
    reaction: list[Line] = []
    """The client's immediate reaction, shown before the next beat."""
    next: Slug
    """The id of the node that follows."""
    feedback: Feedback
    """The feedback card."""


class Facilitator(Model):
    """Notes for a trainer running the scenario with a group; hidden from learners' view."""

    notes: Text | None = None
    """What to watch for or draw out at this moment."""
    questions: list[Text] = []
    """Discussion questions for the room."""


class EndingChoice(Model):
    """Which ending a closing node leads to, when a condition holds."""

    when: Condition | None = None
    """When this ending applies; leave it out on the last entry to make a default."""
    ending: Slug
    """The id of an ending declared under `endings`."""


class Node(Model):
    """One beat: the client's lines, then either options (a decision point) or an ending."""

    id: Slug
    """Unique id within the scenario, used by `next` and `start`."""
    title: Text | None = None
    """A short name for the moment, shown in the debrief and the graph."""
    lines: list[Line] = []
    """What happens and what the client says, in order."""
    prompt: Text | None = None
    """A question put to the learner before the options (default: 'What do you say?')."""
    options: list[Option] = []
    """The replies on offer. A node has options or `ending`, not both."""
    ending: Slug | Annotated[list[EndingChoice], Field(min_length=1)] | None = None
    """The ending this node closes with: an ending id, or a list of `{when, ending}` tried in
    order (e.g. chosen by trust band)."""
    facilitator: Facilitator | None = None
    """Notes and discussion questions for a facilitator at this decision point."""

    @model_validator(mode="after")
    def _options_or_ending(self) -> Node:
        if self.options and self.ending is not None:
            raise PydanticCustomError(
                "node_kind",
                "node '{node}' has both 'options' and 'ending'; a beat either asks the learner "
                "to choose or closes the scenario",
                {"node": self.id},
            )
        return self

    @property
    def display_title(self) -> str:
        """The title to show: the author's, else the id made readable."""
        return self.title or readable(self.id)

    @property
    def is_ending(self) -> bool:
        """Whether this node closes the scenario."""
        return self.ending is not None

    def ending_choices(self) -> list[EndingChoice]:
        """The ending rule as a list, whichever form the author used."""
        if self.ending is None:
            return []
        if isinstance(self.ending, str):
            return [EndingChoice(ending=self.ending)]
        return list(self.ending)

    def option_id(self, index: int) -> str:
        """The id of the option at ``index`` (its own id, or its 1-based number)."""
        return self.options[index].id or str(index + 1)


class Ending(Model):
    """One way the session can end. Endings should differ in more than success or failure."""

    id: Slug
    """Unique id, named by a closing node's `ending`."""
    title: Text
    """A short title, e.g. 'She books a second session, on her terms'."""
    description: Text
    """What happens and what it means for the client."""
    client_view: Text | None = None
    """What the client might be thinking as they leave (shown in the debrief)."""


class Rupture(Model):
    """A named strain in the relationship that a choice can cause and a later choice repair."""

    id: Slug
    """The name used by `open_rupture`, `repair_rupture` and conditions."""
    title: Text
    """A short name shown in the debrief, e.g. 'Name mispronounced and laughed off'."""
    description: Text
    """What happened from the client's side, shown if it is left unrepaired."""


class Scenario(Model):
    """One scenario: a client, the trust meter, the beats and the endings."""

    id: Slug
    """Unique id of the scenario, used on the command line (`roleplay play ID`)."""
    title: Text
    """The title shown in the library."""
    summary: Text
    """One or two sentences on what the learner will practise."""
    version: Text = "1"
    """The scenario's own version, to tell edits apart in history."""
    language: Text = "en"
    """The language of the text, as a BCP 47 tag such as `en` or `en-GB`."""
    minutes: Whole = Field(ge=1, le=240)
    """Estimated play time in minutes."""
    difficulty: Difficulty
    """`intro`, `intermediate` or `advanced`."""
    objectives: list[Text] = Field(min_length=1)
    """What the learner should be able to do afterwards."""
    content_notes: list[Text] = []
    """Topics that may be activating (shown before starting, with a way back)."""
    skills: list[SkillId] = Field(min_length=1)
    """The skills the scenario practises (ids from the taxonomy)."""
    provenance: Provenance
    """Authors and review status."""
    setting: Text
    """What the learner knows before the session starts: the service, the referral, the room."""
    jurisdiction_note: Text | None = None
    """Where law differs by place (reporting duties, records, immigration), say so here."""
    client: Client
    """The person the learner meets."""
    trust: Trust
    """The trust meter."""
    ruptures: list[Rupture] = []
    """Named ruptures that choices can open and repair."""
    start: Slug
    """The id of the first node."""
    nodes: list[Node] = Field(min_length=1)
    """The beats of the conversation."""
    endings: list[Ending] = Field(min_length=1)
    """The ways the session can end."""
    reflection_prompts: list[Text] = Field(min_length=1)
    """Questions the learner answers in writing after the debrief."""
    debrief_notes: list[Text] = []
    """Takeaways and context for the debrief."""

    # Derived lookup tables, built on first use (private attributes may be set on frozen models).
    _lookup: tuple[dict[str, Node], dict[str, Ending], dict[str, Rupture]] | None = PrivateAttr(
        default=None
    )

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if there is none)."""
        return self._index()[0][node_id]

    def ending(self, ending_id: str) -> Ending:
        """The ending with this id (KeyError if there is none)."""
        return self._index()[1][ending_id]

    def rupture(self, rupture_id: str) -> Rupture | None:
        """The declared rupture with this id, if any."""
        return self._index()[2].get(rupture_id)

    def moment_title(self, node_id: str) -> str:
        """A node's display title, or the id made readable if the node is gone (e.g. a saved
        attempt from an older version of the file)."""
        node = self._index()[0].get(node_id)
        return node.display_title if node is not None else readable(node_id)

    def decision_points(self) -> list[Node]:
        """The nodes that offer options."""
        return [node for node in self.nodes if node.options]

    def _index(self) -> tuple[dict[str, Node], dict[str, Ending], dict[str, Rupture]]:
        if self._lookup is None:
            self._lookup = (
                {node.id: node for node in self.nodes},
                {ending.id: ending for ending in self.endings},
                {rupture.id: rupture for rupture in self.ruptures},
            )
        return self._lookup


def readable(slug: str) -> str:
    """An id made readable: ``first-visit`` -> ``First visit``."""
    return slug.replace("-", " ").capitalize()


def is_slug(value: str) -> bool:
    """Whether a string is a valid id."""
    return len(value) <= SLUG_MAX and bool(_SLUG.match(value))
