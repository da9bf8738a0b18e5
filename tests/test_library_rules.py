"""The bundled library keeps every countable promise of the content standards."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from roleplay.core.library import scan
from roleplay.core.lint_content import MAX_OPTIONS_ON_OFFER, MAX_WORDS, MIN_EXAMPLES, most_on_offer
from roleplay.core.lintbase import flags_read, flags_set, lines_in, word_count
from roleplay.core.models import Option, Rating, Scenario
from roleplay.core.moves import RATING_RANGES, moves
from roleplay.core.paths import analyse
from roleplay.core.skills import skills

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
ENTRIES = scan([SCENARIOS])
LOADED = [entry.loaded.scenario for entry in ENTRIES if entry.loaded is not None]
IDS = [scenario.id for scenario in LOADED]


def test_the_library_has_at_least_eighteen_scenarios_and_every_file_is_strictly_clean() -> None:
    problems = [str(d) for entry in ENTRIES for d in entry.diagnostics]
    assert problems == []
    assert len(LOADED) >= 18
    warm_ups = [s.id for s in LOADED if s.minutes <= 6]
    assert warm_ups, "a short warm-up for a first-timer (issue 14, section 4)"


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_scenario_shape(scenario: Scenario) -> None:
    decisions = scenario.decision_points()
    if scenario.minutes <= 6:  # a warm-up for a first-timer (docs/content-guide.md)
        assert scenario.difficulty.value == "intro"
        assert len(decisions) == 3
    else:
        assert len(decisions) >= 4
        assert 8 <= scenario.minutes <= 20
    assert len(scenario.endings) >= 3
    assert scenario.content_notes and scenario.objectives and scenario.reflection_prompts
    assert scenario.debrief_notes
    assert scenario.provenance.review_status == "draft"
    for node in decisions:
        assert len(node.options) >= 3, node.id
        assert node.facilitator is not None and node.facilitator.questions, node.id
        ratings = {option.feedback.rating for option in node.options}
        assert Rating.BUILDS_TRUST in ratings, f"{node.id}: no option builds trust"
        assert ratings - {Rating.BUILDS_TRUST}, f"{node.id}: no plausible mistake on offer"


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_every_option_has_complete_feedback_and_a_reaction(scenario: Scenario) -> None:
    for node in scenario.decision_points():
        for option in node.options:
            feedback = option.feedback
            where = f"{node.id}/{option.id}"
            assert feedback.why and feedback.inner_experience and feedback.skills, where
            if feedback.rating is not Rating.BUILDS_TRUST:
                assert feedback.stronger, where
            assert option.reaction, f"{where}: the client does not react"


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_inner_experience_has_one_form(scenario: Scenario) -> None:
    """docs/content-guide.md: "She might think: ..." in the client's own pronoun, or a
    person's name (the client's or a declared speaker's), then the thought itself."""
    subject = scenario.client.pronouns.split("/")[0].strip().capitalize()
    who = {subject, scenario.client.name, scenario.client.name.split()[0], *scenario.speakers}
    for node in scenario.decision_points():
        for option in node.options:
            text = " ".join(option.feedback.inner_experience.split())
            person, hedge, thought = text.partition(" might think: ")
            assert hedge and person in who and thought, f"{node.id}/{option.id}: {text}"


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_a_rupture_can_be_caused_and_repaired_and_transparency_is_practised(
    scenario: Scenario,
) -> None:
    options = [o for n in scenario.decision_points() for o in n.options]
    opened = {o.effects.open_rupture for o in options} - {None}
    repaired = {o.effects.repair_rupture for o in options} - {None}
    assert opened & repaired, "no rupture that can be both caused and repaired"
    assert any("transparency" in o.feedback.skills for o in options)


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_every_ending_is_reachable_and_every_option_leads_somewhere(scenario: Scenario) -> None:
    report = analyse(scenario)
    assert report.paths is None or report.paths > 0  # None: infinitely many (a loop)
    assert all(count is None or count > 0 for count in report.endings.values()), report.endings
    assert report.dead_options == []
    assert report.unavailable_options == []


def test_every_skill_is_practised_in_at_least_three_scenarios() -> None:
    coverage: Counter[str] = Counter()
    for scenario in LOADED:
        tagged = {
            skill
            for node in scenario.decision_points()
            for option in node.options
            for skill in option.feedback.skills
        }
        coverage.update(tagged)
    assert {skill: coverage[skill] for skill in skills() if coverage[skill] < 3} == {}


def test_the_library_mixes_difficulties_and_covers_supervision_and_systems() -> None:
    assert {s.difficulty.value for s in LOADED} == {"intro", "intermediate", "advanced"}
    assert "supervision-excellent-english" in IDS
    assert "intake-form-burnout" in IDS


@pytest.mark.parametrize(
    "scenario_id", ["papers-and-records", "court-referral", "did-not-attend", "camp-wifi"]
)
def test_scenarios_where_law_varies_say_so(scenario_id: str) -> None:
    (scenario,) = [s for s in LOADED if s.id == scenario_id]
    assert scenario.jurisdiction_note


# -- the content rules of issue 14 (docs/content-guide.md), counted --------------------------


def _options(scenario: Scenario) -> list[tuple[str, Option]]:
    return [(f"{n.id}/{o.id}", o) for n in scenario.decision_points() for o in n.options]


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_the_best_reply_does_not_give_itself_away_by_length(scenario: Scenario) -> None:
    best_longest = mistake_longest = 0
    decisions = scenario.decision_points()
    for node in decisions:
        ranked = sorted(node.options, key=lambda o: word_count(o.text), reverse=True)
        if word_count(ranked[0].text) == word_count(ranked[1].text):
            continue
        if ranked[0].feedback.rating is Rating.BUILDS_TRUST:
            best_longest += 1
        else:
            mistake_longest += 1
    assert 2 * best_longest <= len(decisions), f"{best_longest} of {len(decisions)}"
    assert mistake_longest >= 1, "a mistake is never the longest option"


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_counts_and_lengths(scenario: Scenario) -> None:
    for node in scenario.decision_points():
        assert most_on_offer(scenario, node.options) <= MAX_OPTIONS_ON_OFFER, node.id
    for where, option in _options(scenario):
        assert word_count(option.text) <= MAX_WORDS, where
        assert len(option.examples) >= MIN_EXAMPLES, where
    says = [
        text
        for node in scenario.nodes
        for line in [*node.lines, *(line for o in node.options for line in o.reaction)]
        for text in [line.say, *(v.say for v in line.variants)]
        if text is not None
    ]
    assert [text for text in says if word_count(text) > MAX_WORDS] == []


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_harm_leaves_a_trace_and_ratings_are_calibrated(scenario: Scenario) -> None:
    read = flags_read(scenario)
    repaired = {o.effects.repair_rupture for _, o in _options(scenario)}
    for where, option in _options(scenario):
        effects, rating = option.effects, option.feedback.rating.value
        if rating == "harmful":
            assert effects.open_rupture or set(effects.set_flags) & read, where
            if effects.open_rupture:
                assert effects.open_rupture in repaired, f"{where}: no route to repair"
        if option.calibration_note:
            continue
        if option.move is not None:
            assert moves()[option.move].default.fits(rating, effects.trust), where
        else:
            low, high = RATING_RANGES[rating]
            assert low <= effects.trust <= high, where
    assert flags_set(scenario) <= read, "a flag is set and never read"
    speakers = {line.speaker for _, line in lines_in(scenario) if line.speaker is not None} | {
        v.speaker for _, line in lines_in(scenario) for v in line.variants if v.speaker
    }
    assert speakers <= set(scenario.speakers)


def test_recurring_moves_are_tagged_across_the_library() -> None:
    tagged = {o.move for s in LOADED for _, o in _options(s)} - {None}
    risk = [
        s.id for s in LOADED if any(o.move == "transparent-risk-enquiry" for _, o in _options(s))
    ]
    assert {"promise-total-confidentiality", "explain-confidentiality-limits"} <= tagged
    assert len(risk) >= 2, "a transparent risk enquiry is practised in at least two"


@pytest.mark.parametrize("after", ["drop-it", "duty-of-care"])
def test_an_over_reaction_to_a_passive_thought_can_still_be_repaired_with_the_question(
    after: str,
) -> None:
    """Kit's crisis-team path: backing off or insisting leaves the alarm open and the risk
    question unasked; goals offers a late repair that asks it, and the repair counts."""
    from roleplay.core.engine import Engine

    (scenario,) = [s for s in LOADED if s.id == "intake-form-burnout"]
    engine = Engine(scenario)
    while engine.node.id != "goals":
        offered = [c.id for c in engine.choices()]
        wanted = [o for o in ("crisis-team", after) if o in offered]
        engine.choose(wanted[0] if wanted else offered[0])
    offered = [c.id for c in engine.choices()]
    assert "back-after-alarm" in offered
    assert "back-to-the-drive" not in offered  # its words ("I moved past it") don't fit here
    assert len(offered) <= MAX_OPTIONS_ON_OFFER
    engine.choose("back-after-alarm")
    assert "alarm-raised" not in engine.state.open_ruptures()
    assert "risk-asked" in engine.state.flags
