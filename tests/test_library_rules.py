"""The bundled library keeps every countable promise of the content standards."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from roleplay.core.library import scan
from roleplay.core.models import Rating, Scenario
from roleplay.core.paths import analyse
from roleplay.core.skills import skills

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
ENTRIES = scan([SCENARIOS])
LOADED = [entry.loaded.scenario for entry in ENTRIES if entry.loaded is not None]
IDS = [scenario.id for scenario in LOADED]


def test_the_library_has_twelve_scenarios_and_every_file_is_strictly_clean() -> None:
    problems = [str(d) for entry in ENTRIES for d in entry.diagnostics]
    assert problems == []
    assert len(LOADED) == 12


@pytest.mark.parametrize("scenario", LOADED, ids=IDS)
def test_scenario_shape(scenario: Scenario) -> None:
    decisions = scenario.decision_points()
    assert len(decisions) >= 4
    assert len(scenario.endings) >= 3
    assert scenario.content_notes and scenario.objectives and scenario.reflection_prompts
    assert scenario.debrief_notes
    assert scenario.provenance.review_status == "draft"
    assert 8 <= scenario.minutes <= 20
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


@pytest.mark.parametrize("scenario_id", ["papers-and-records", "court-referral"])
def test_scenarios_where_law_varies_say_so(scenario_id: str) -> None:
    (scenario,) = [s for s in LOADED if s.id == scenario_id]
    assert scenario.jurisdiction_note
