"""Debrief data computed from a finished (or partial) run of the engine.

Follows the PEARLS phases: the path and trust over time (description), per-skill ratings,
the pivotal moments with an open question, what the client was thinking and unrepaired
ruptures (analysis), then reflection prompts and takeaways (summary). The first try at each
decision is what counts; choices made after rewinding are listed as explorations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.core.engine import Engine, RuptureStatus, Turn
from roleplay.core.models import Ending, Option, Rating, Rupture, Scenario
from roleplay.core.skills import skills
from roleplay.core.wording import quoted, shortened

EXPLORATION_LABEL = "exploration after going back"
"""How every screen and export labels a choice that is not a first try."""

EXPLORATIONS_HEADING = "Explorations after going back (not scored)"
"""The heading over an attempt's explorations, on every screen and export."""

REPAIR_EXPLORATION_LABEL = "repaired in an exploration after going back"
"""How every screen and export marks a rupture whose repair was made in an exploration:
the repair stands on the path actually played, but not in the scored first tries."""


REACTION_QUESTION = "How are you feeling after this conversation?"
"""roleplay's own first debrief question (the reactions phase), unless the scenario asks it."""
ACTION_QUESTION = "What is one thing you will do differently next time?"
SUPERVISION_QUESTION = "What would you bring to supervision?"

# A scenario prompt that already asks one of roleplay's own questions (in its own, more
# particular words) replaces it: the learner is never asked the same thing twice.
_ASKED_BY = {
    REACTION_QUESTION: ("how are you feeling",),
    ACTION_QUESTION: ("differently", "next time"),
    SUPERVISION_QUESTION: ("supervis",),
}


def _asked(question: str, scenario_prompts: list[str]) -> bool:
    text = " ".join(scenario_prompts).lower()
    return any(word in text for word in _ASKED_BY[question])


def opening_questions(scenario_prompts: list[str]) -> list[str]:
    """roleplay's own question before the analysis (how the learner is feeling), unless
    the scenario's prompts already ask it."""
    return [] if _asked(REACTION_QUESTION, scenario_prompts) else [REACTION_QUESTION]


def closing_questions(scenario_prompts: list[str]) -> list[str]:
    """roleplay's own action-plan questions after the scenario's prompts (Gibbs' action
    plan, and supervision), each unless the scenario's prompts already ask it."""
    return [q for q in (ACTION_QUESTION, SUPERVISION_QUESTION) if not _asked(q, scenario_prompts)]


def repair_text(title: str, explored: bool) -> str:
    """A repaired rupture's title, marked when the repair was made in an exploration."""
    return f"{title} ({REPAIR_EXPLORATION_LABEL})" if explored else title


@dataclass(frozen=True)
class DecisionReview:
    """One scored decision: what was chosen, beside the strongest option then on offer."""

    turn: Turn
    node_title: str
    strongest_id: str
    strongest: Option

    @property
    def chose_strongest(self) -> bool:
        """Whether the chosen option was (one of) the strongest available."""
        return self.turn.option.feedback.rating.rank >= self.strongest.feedback.rating.rank


@dataclass(frozen=True)
class PivotalMoment:
    """A decision with one of the largest trust swings, and an open question about it."""

    review: DecisionReview
    question: str


@dataclass
class Debrief:
    """Everything the debrief shows, independent of how it is shown."""

    scenario: Scenario
    finished: bool
    ending: Ending | None
    trajectory: list[int]
    """Trust at the start and after each decision of the final path."""
    decisions: list[DecisionReview]
    """First tries, in order: these are what the debrief scores."""
    explorations: list[Turn]
    """Choices made after rewinding, shown as such."""
    skill_tallies: dict[str, dict[Rating, int]]
    """For each skill tagged in a scored choice: how many choices at each rating."""
    pivotal: list[PivotalMoment]
    client_thoughts: list[tuple[str, str]]
    """(moment, the possible inner experience on its card) for each scored decision: the
    client's, or in a couple or group session another person's, named at its start."""
    unrepaired: list[Rupture]
    repaired: list[Rupture]
    reflection_prompts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    thinkers: list[str] = field(default_factory=list)
    """Whose inner experience the cards give, the client first, then the others in the order
    they first appear (a couple or group session names them: "Rob might think: ...")."""
    repaired_exploring: set[str] = field(default_factory=set)
    """Ids of the repaired ruptures whose repair on the path was made in an exploration."""

    @property
    def thoughts_heading(self) -> str:
        """The heading over the inner experiences, naming everyone they are about."""
        names = self.thinkers or [self.scenario.client.name]
        who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"What {who} may have been thinking"

    def repaired_text(self, rupture: Rupture) -> str:
        """A repaired rupture's title as every debrief shows it (see ``repair_text``)."""
        return repair_text(rupture.title, rupture.id in self.repaired_exploring)

    @property
    def rating_counts(self) -> dict[Rating, int]:
        """How many scored choices fell at each rating."""
        counts = dict.fromkeys(Rating, 0)
        for review in self.decisions:
            counts[review.turn.feedback.rating] += 1
        return counts


def thinker(scenario: Scenario, inner_experience: str) -> str:
    """Whose inner experience a card gives: a declared speaker whose name opens it ("Rob
    might think: ..."), otherwise the client."""
    text = inner_experience.lstrip()
    # Longest name first, so "Rob Senior" is not read as "Rob".
    for name in sorted(scenario.speakers, key=len, reverse=True):
        rest = text[len(name) :]
        if text.startswith(name) and rest[:1] in (" ", ":", ",", "'", "’"):
            return name
    return scenario.client.name


def strongest_option(scenario: Scenario, turn: Turn) -> tuple[str, Option]:
    """The best option that was on offer when a turn was chosen.

    Best by rating, then by trust change; the chosen option wins ties so a learner who
    picked one of two equally strong replies is not shown the other as 'stronger'.
    """
    node = scenario.node(turn.node_id)
    by_id = {node.option_id(i): option for i, option in enumerate(node.options)}
    best_id, best = turn.option_id, turn.option
    for option_id in turn.available:
        option = by_id[option_id]
        key = (option.feedback.rating.rank, option.effects.trust)
        if key > (best.feedback.rating.rank, best.effects.trust):
            best_id, best = option_id, option
    return best_id, best


def pivotal_question(review: DecisionReview, *, group: bool = False) -> str:
    """An advocacy-inquiry question: name what happened, then ask about the reasoning.

    ``group`` words it for a room that voted (present mode) instead of one learner."""
    turn = review.turn
    moved = "rose" if turn.delta > 0 else "fell"
    title = review.node_title.strip("\"'“”‘’")
    said = quoted(shortened(turn.option.text))
    change = f"and trust {moved} from {turn.trust_before} to {turn.trust_after}"
    if group:
        return (
            f"At “{title}” the group went with {said}, {change}. What was the room weighing "
            "at that moment, and what did people notice in the client?"
        )
    return (
        f"At “{title}” you said {said}, {change}. What were you weighing at that moment, "
        "and what did you notice in the client?"
    )


def _thinkers(scenario: Scenario, reviews: list[DecisionReview]) -> list[str]:
    names = [scenario.client.name]
    for review in reviews:
        name = thinker(scenario, review.turn.feedback.inner_experience)
        if name not in names:
            names.append(name)
    return names


def build_debrief(engine: Engine, *, group: bool = False) -> Debrief:
    """Compute the debrief for an engine's run so far (``group``: a room's session)."""
    scenario = engine.scenario
    scored = [turn for turn in engine.log if not turn.exploration]
    reviews = []
    for turn in scored:
        node = scenario.node(turn.node_id)
        best_id, best = strongest_option(scenario, turn)
        reviews.append(
            DecisionReview(
                turn=turn,
                node_title=node.display_title,
                strongest_id=best_id,
                strongest=best,
            )
        )
    order = list(skills())
    tallies: dict[str, dict[Rating, int]] = {}
    for review in reviews:
        for skill in review.turn.feedback.skills:
            tallies.setdefault(skill, dict.fromkeys(Rating, 0))[review.turn.feedback.rating] += 1
    tallies = dict(sorted(tallies.items(), key=lambda item: order.index(item[0])))
    swings = sorted(
        (r for r in reviews if r.turn.delta != 0),
        key=lambda r: (-abs(r.turn.delta), r.turn.step),
    )[:2]
    pivotal = [
        PivotalMoment(review, pivotal_question(review, group=group))
        for review in sorted(swings, key=lambda r: reviews.index(r))
    ]
    path = engine.path
    trajectory = [scenario.trust.start, *(turn.trust_after for turn in path)]
    state = engine.state
    unrepaired = [
        rupture
        for name, status in state.ruptures.items()
        if status is RuptureStatus.OPEN and (rupture := scenario.rupture(name)) is not None
    ]
    repaired = [
        rupture
        for name, status in state.ruptures.items()
        if status is RuptureStatus.REPAIRED and (rupture := scenario.rupture(name)) is not None
    ]
    return Debrief(
        scenario=scenario,
        finished=engine.finished,
        ending=engine.ending,
        trajectory=trajectory,
        decisions=reviews,
        explorations=[turn for turn in engine.log if turn.exploration],
        skill_tallies=tallies,
        pivotal=pivotal,
        client_thoughts=[(r.node_title, r.turn.feedback.inner_experience) for r in reviews],
        thinkers=_thinkers(scenario, reviews),
        unrepaired=unrepaired,
        repaired=repaired,
        reflection_prompts=list(scenario.reflection_prompts),
        notes=list(scenario.debrief_notes),
        repaired_exploring=repaired_exploring(path, {r.id for r in repaired}),
    )


def repaired_exploring(path: list[Turn], repaired: set[str]) -> set[str]:
    """Of the ``repaired`` ruptures, those whose last repair on the path was an exploration."""
    last: dict[str, Turn] = {}
    for turn in path:
        if turn.rupture_repaired in repaired:
            last[turn.rupture_repaired] = turn
    return {name for name, turn in last.items() if turn.exploration}
