"""The scenario format: pydantic models for one scenario file.

Every field carries a docstring; they become the descriptions in ``roleplay schema`` (the
JSON Schema editors use for completion) and are the source for ``docs/scenario-format.md``.
Models forbid unknown keys so that a typo is an error, not a silently ignored default.
Cross-references between parts (``next`` targets, rupture names) are checked by
``roleplay.core.lint``, which can point at the exact line.

The building blocks (ids, text, ratings) live in ``roleplay.core.fields`` and the
provenance block in ``roleplay.core.provenance``; both are re-exported here, so
``from roleplay.core.models import ...`` is the one import path for the format.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from roleplay.core.fields import (
    MODEL_CONFIG,
    SLUG_MAX,
    SLUG_PATTERN,
    Difficulty,
    LanguageTag,
    MoveId,
    Rating,
    SkillId,
    Slug,
    Text,
    Whole,
    empty_list,
    is_language_tag,
    is_slug,
    readable,
)
from roleplay.core.provenance import Provenance, Review


class Model(BaseModel):
    """Base for every part of a scenario: strict about unknown keys, frozen once loaded."""

    model_config = MODEL_CONFIG


__all__ = [
    "SLUG_MAX",
    "SLUG_PATTERN",
    "Band",
    "Client",
    "Condition",
    "Difficulty",
    "Effects",
    "Ending",
    "EndingChoice",
    "Facilitator",
    "Feedback",
    "LanguageTag",
    "Line",
    "LineContent",
    "LineVariant",
    "Model",
    "MoveId",
    "Node",
    "Option",
    "Provenance",
    "Rating",
    "Review",
    "Rupture",
    "Scenario",
    "SkillId",
    "Slug",
    "Text",
    "Trust",
    "Whole",
    "is_language_tag",
    "is_slug",
    "readable",
]


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
    flags: list[Slug] = empty_list()
    """These flags must all be set."""
    not_flags: list[Slug] = empty_list()
    """None of these flags may be set."""
    rupture_open: list[Slug] = empty_list()
    """These ruptures must be open (caused and not yet repaired)."""
    rupture_repaired: list[Slug] = empty_list()
    """These ruptures must have been repaired."""
    rupture_not_open: list[Slug] = empty_list()
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
    variants: list[LineVariant] = empty_list()
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
    set_flags: list[Slug] = empty_list()
    """Flags to set, to remember what happened (e.g. `asked-about-name`)."""
    clear_flags: list[Slug] = empty_list()
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
    reaction: list[Line] = empty_list()
    """The client's immediate reaction, shown before the next beat."""
    next: Slug
    """The id of the node that follows."""
    feedback: Feedback
    """The feedback card."""
    move: MoveId | None = None
    """The recurring move this option is, from the vocabulary (`roleplay moves`), e.g.
    `promise-total-confidentiality`. Lint checks the rating and trust change against the
    move's calibration."""
    examples: list[Text] = empty_list()
    """Other ways a learner might type the same move with the same stance (at least 3 in a
    finished scenario), written as students type; used to match a learner's own words."""
    calibration_note: Text | None = None
    """Why this option departs from its move's default rating or trust range (or from the
    range for its rating), or why its trust change has the other sign from its rating."""


class Facilitator(Model):
    """Notes for a trainer running the scenario with a group; hidden from learners' view."""

    notes: Text | None = None
    """What to watch for or draw out at this moment."""
    questions: list[Text] = empty_list()
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
    lines: list[Line] = empty_list()
    """What happens and what the client says, in order."""
    prompt: Text | None = None
    """A question put to the learner before the options (default: 'What do you say?')."""
    options: list[Option] = empty_list()
    """The replies on offer. A node has options or `ending`, not both."""
    ending: Slug | Annotated[list[EndingChoice], Field(min_length=1)] | None = None
    """The ending this node closes with: an ending id, or a list of `{when, ending}` tried in
    order (e.g. chosen by trust band)."""
    facilitator: Facilitator | None = None
    """Notes and discussion questions for a facilitator at this decision point."""

    @model_validator(mode="after")
    def _options_or_ending(self) -> Node:
        # 'options: []' beside 'ending' is refused too: the author meant one kind of beat.
        if self.ending is not None and (self.options or "options" in self.model_fields_set):
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
    language: LanguageTag = "en"
    """The language of the text, as a BCP 47 tag such as `en` or `en-GB`."""
    minutes: Whole = Field(ge=1, le=240)
    """Estimated play time in minutes."""
    difficulty: Difficulty
    """`intro`, `intermediate` or `advanced`."""
    objectives: list[Text] = Field(min_length=1)
    """What the learner should be able to do afterwards."""
    content_notes: list[Text] = empty_list()
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
    speakers: list[Text] = empty_list()
    """Everyone other than the client who speaks a line (each line's `speaker` must be one
    of these, so a misspelt name is caught rather than becoming a new person)."""
    trust: Trust
    """The trust meter."""
    ruptures: list[Rupture] = empty_list()
    """Named ruptures that choices can open and repair."""
    start: Slug
    """The id of the first node."""
    nodes: list[Node] = Field(min_length=1)
    """The beats of the conversation."""
    endings: list[Ending] = Field(min_length=1)
    """The ways the session can end."""
    reflection_prompts: list[Text] = Field(min_length=1)
    """Questions the learner answers in writing after the debrief."""
    debrief_notes: list[Text] = empty_list()
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
