"""Debrief data: trajectory, tallies, strongest options, pivotal moments, ruptures, partial runs."""

from __future__ import annotations

from typing import Any

import pytest
from scenario_kit import engine_for, mini, node, option, rupture, scenario

from roleplay.core.debrief import build_debrief, strongest_option
from roleplay.core.engine import Engine
from roleplay.core.models import Rating
from roleplay.core.textreport import debrief_text


def chain(deltas: list[int], start: int = 50) -> dict[str, Any]:
    """Decisions n0..nK in a row; option 'pick' moves trust by the given delta."""
    nodes = []
    for index, delta in enumerate(deltas):
        nxt = f"n{index + 1}" if index + 1 < len(deltas) else "end"
        rating = "builds-trust" if delta >= 0 else "harmful"
        nodes.append(
            node(
                f"n{index}",
                option("pick", nxt, delta, rating, text=f"Pick {index}."),
                option("other", nxt, 0, "partly-helpful", text=f"Other {index}."),
                title=f"Moment {index}",
            )
        )
    nodes.append(node("end", ending="done"))
    return scenario(nodes, trust_start=start)


def play_all(engine: Engine, choice: str = "pick") -> Engine:
    while not engine.finished:
        engine.choose(choice)
    return engine


def test_trajectory_and_basic_fields() -> None:
    engine = play_all(engine_for(chain([5, -20, 3, 15])))
    debrief = build_debrief(engine)
    assert debrief.finished
    assert debrief.ending is not None and debrief.ending.id == "done"
    assert debrief.trajectory == [50, 55, 35, 38, 53]
    assert [r.turn.node_id for r in debrief.decisions] == ["n0", "n1", "n2", "n3"]
    assert [r.node_title for r in debrief.decisions] == [f"Moment {i}" for i in range(4)]
    assert debrief.explorations == []
    assert debrief.reflection_prompts == ["What now?"]
    assert debrief.client_thoughts == [(f"Moment {i}", "Hmm.") for i in range(4)]
    assert debrief.rating_counts == {
        Rating.BUILDS_TRUST: 3,
        Rating.PARTLY_HELPFUL: 0,
        Rating.MISSED_OPPORTUNITY: 0,
        Rating.HARMFUL: 1,
    }


def test_trajectory_uses_clamped_values() -> None:
    engine = play_all(engine_for(chain([30, -50, -80], start=90)))
    assert build_debrief(engine).trajectory == [90, 100, 50, 0]


def test_pivotal_moments_are_the_two_largest_swings_in_order() -> None:
    engine = play_all(engine_for(chain([5, -20, 3, 15])))
    pivotal = build_debrief(engine).pivotal
    assert [m.review.turn.node_id for m in pivotal] == ["n1", "n3"]
    assert "trust fell from 55 to 35" in pivotal[0].question
    assert "trust rose from 38 to 53" in pivotal[1].question
    assert "“Pick 1.”" in pivotal[0].question and "“Moment 1”" in pivotal[0].question


def test_pivotal_order_is_chronological_not_by_size() -> None:
    engine = play_all(engine_for(chain([25, 2, -10, 1])))
    pivotal = build_debrief(engine).pivotal
    assert [m.review.turn.node_id for m in pivotal] == ["n0", "n2"]


def test_pivotal_ties_prefer_earlier_and_zero_swings_are_ignored() -> None:
    engine = play_all(engine_for(chain([10, -10, 10])))
    assert [m.review.turn.step for m in build_debrief(engine).pivotal] == [0, 1]
    flat = play_all(engine_for(chain([0, 0, 0])))
    assert build_debrief(flat).pivotal == []
    one_move = play_all(engine_for(chain([0, 7, 0])))
    assert [m.review.turn.node_id for m in build_debrief(one_move).pivotal] == ["n1"]


def test_pivotal_uses_actual_swing_after_clamping() -> None:
    # +40 at 90 is only +10 in fact; -15 is then the largest swing with -12.
    engine = play_all(engine_for(chain([40, -15, -12, 3], start=90)))
    assert [m.review.turn.node_id for m in build_debrief(engine).pivotal] == ["n1", "n2"]


def strongest_scenario() -> dict[str, Any]:
    return scenario(
        [
            node(
                "a",
                option("best", "end", 10, "builds-trust"),
                option("ok", "end", 3, "partly-helpful"),
                option("tie", "end", 10, "builds-trust"),
                option("weaker", "end", 2, "builds-trust"),
                option("hidden", "end", 50, "builds-trust", when={"min_trust": 90}),
            ),
            node("end", ending="done"),
        ]
    )


@pytest.mark.parametrize(
    ("chosen", "strongest", "chose_strongest"),
    [
        ("ok", "best", False),
        ("best", "best", True),
        ("tie", "tie", True),  # the chosen option wins ties
        ("weaker", "best", True),  # same rating: not shown as a weaker choice
    ],
)
def test_strongest_option_beside_chosen(chosen: str, strongest: str, chose_strongest: bool) -> None:
    engine = engine_for(strongest_scenario())
    engine.choose(chosen)
    review = build_debrief(engine).decisions[0]
    assert review.turn.option_id == chosen
    assert review.strongest_id == strongest  # 'hidden' was not on offer
    assert review.chose_strongest is chose_strongest
    assert strongest_option(engine.scenario, review.turn)[0] == strongest


def test_debrief_text_names_stronger_option_only_when_weaker() -> None:
    engine = engine_for(strongest_scenario())
    engine.choose("ok")
    text = "\n".join(debrief_text(build_debrief(engine), with_feedback=False))
    assert "Strongest option then: Say best." in text
    engine = engine_for(strongest_scenario())
    engine.choose("tie")
    text = "\n".join(debrief_text(build_debrief(engine), with_feedback=False))
    assert "Strongest option then" not in text


def test_skill_tallies_by_rating_in_taxonomy_order() -> None:
    data = scenario(
        [
            node(
                "a",
                option("x", "b", 5, "builds-trust", skills=["repair", "humility"]),
                option("y", "b", -5, "harmful", skills=["humility"]),
            ),
            node(
                "b",
                option("x", "end", 0, "missed-opportunity", skills=["humility"]),
                option("y", "end", 0, "builds-trust", skills=["attunement"]),
            ),
            node("end", ending="done"),
        ],
        skills=["humility", "repair", "attunement"],
    )
    engine = engine_for(data)
    engine.choose("x")
    engine.choose("x")
    tallies = build_debrief(engine).skill_tallies
    # humility comes first in skills.yaml, repair after attunement.
    assert list(tallies) == ["humility", "repair"]
    assert tallies["humility"] == {
        Rating.BUILDS_TRUST: 1,
        Rating.PARTLY_HELPFUL: 0,
        Rating.MISSED_OPPORTUNITY: 1,
        Rating.HARMFUL: 0,
    }
    assert tallies["repair"][Rating.BUILDS_TRUST] == 1


def test_explorations_are_excluded_from_scoring() -> None:
    engine = Engine(mini())
    engine.choose("wrong-name")  # harmful, first try: scored
    engine.rewind(0)
    engine.choose("warm")  # exploration: not scored
    engine.choose("ask")  # middle at step 1 for the first time: scored
    debrief = build_debrief(engine)
    assert [r.turn.option_id for r in debrief.decisions] == ["wrong-name", "ask"]
    assert [t.option_id for t in debrief.explorations] == ["warm"]
    assert debrief.skill_tallies["humility"][Rating.HARMFUL] == 1
    assert debrief.skill_tallies["humility"][Rating.BUILDS_TRUST] == 0
    assert debrief.rating_counts[Rating.BUILDS_TRUST] == 0
    # Pivotal moments come from scored decisions only (warm's +10 is left out).
    assert [m.review.turn.option_id for m in debrief.pivotal] == ["wrong-name", "ask"]
    # The trajectory follows the conversation as it now stands.
    assert debrief.trajectory == [40, 50, 55]
    text = "\n".join(debrief_text(debrief, with_feedback=False))
    assert "Explorations after going back (not scored)" in text
    # Each exploration carries the same label as on every screen and export.
    assert "Welcome, Sam. What would you like me to know? (exploration after going back)" in text


def test_unrepaired_rupture() -> None:
    engine = Engine(mini())
    engine.choose("wrong-name")
    engine.choose("carry-on")
    debrief = build_debrief(engine)
    assert [r.id for r in debrief.unrepaired] == ["name-missed"]
    assert debrief.repaired == []
    assert debrief.ending is not None and debrief.ending.id == "strained"
    text = "\n".join(debrief_text(debrief, with_feedback=False))
    assert "Ruptures left unrepaired" in text
    assert "Name missed: The clinician got the name wrong and moved on." in text


def test_repaired_rupture() -> None:
    engine = Engine(mini())
    engine.choose("wrong-name")
    engine.choose("repair")
    debrief = build_debrief(engine)
    assert debrief.unrepaired == []
    assert [r.id for r in debrief.repaired] == ["name-missed"]


def test_several_ruptures_open_and_repaired() -> None:
    data = scenario(
        [
            node("a", option("x", "b", -5, "harmful", open_rupture="r1"), option("y", "b", 0)),
            node("b", option("x", "c", -5, "harmful", open_rupture="r2"), option("y", "c", 0)),
            node("c", option("fix", "end", 5, repair_rupture="r1"), option("y", "end", 0)),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r1"), rupture("r2")],
    )
    engine = engine_for(data)
    for choice in ("x", "x", "fix"):
        engine.choose(choice)
    debrief = build_debrief(engine)
    assert [r.id for r in debrief.unrepaired] == ["r2"]
    assert [r.id for r in debrief.repaired] == ["r1"]


def test_partial_run() -> None:
    engine = Engine(mini())
    engine.choose("wrong-name")
    debrief = build_debrief(engine)
    assert not debrief.finished
    assert debrief.ending is None
    assert debrief.trajectory == [40, 25]
    assert len(debrief.decisions) == 1
    assert [r.id for r in debrief.unrepaired] == ["name-missed"]
    text = debrief_text(debrief, with_feedback=True)
    assert "The conversation was not finished." in text
    assert any("Why: Wrong name." in line for line in text)


def test_empty_run() -> None:
    debrief = build_debrief(Engine(mini()))
    assert debrief.trajectory == [40]
    assert debrief.decisions == [] and debrief.pivotal == [] and debrief.skill_tallies == {}
    assert not debrief.finished and debrief.ending is None


def couple(thoughts: list[str]) -> dict[str, Any]:
    """Decisions in a row whose chosen cards give the given inner experiences; Ana is the
    client and Rob and Robin speak too."""
    data = chain([5] * len(thoughts))
    data["speakers"] = ["Rob", "Robin"]
    for index, thought in enumerate(thoughts):
        data["nodes"][index]["options"][0]["feedback"]["inner_experience"] = thought
    return data


def test_thoughts_heading_names_the_client_when_every_card_is_theirs() -> None:
    debrief = build_debrief(play_all(engine_for(couple(["She might think: fine.", "Hmm."]))))
    assert debrief.thinkers == ["Ana"]
    assert debrief.thoughts_heading == "What Ana may have been thinking"
    text = "\n".join(debrief_text(debrief, with_feedback=False))
    assert "What Ana may have been thinking" in text


def test_thoughts_heading_names_everyone_whose_card_is_listed() -> None:
    """In a couple or group session a card may give another person's thoughts; the heading
    must not file them under the client's name."""
    thoughts = [
        "Robin might think: at last.",
        "Ana might think: we'll see.",
        "Rob might think: not again.",
        "Robin might think: still here.",
        "Roberta might think: she is not a speaker, so this is read as the client's.",
    ]
    debrief = build_debrief(play_all(engine_for(couple(thoughts))))
    assert debrief.thinkers == ["Ana", "Robin", "Rob"]
    assert debrief.thoughts_heading == "What Ana, Robin and Rob may have been thinking"
    assert [thought for _, thought in debrief.client_thoughts] == thoughts
    text = "\n".join(debrief_text(debrief, with_feedback=False))
    assert "What Ana, Robin and Rob may have been thinking" in text
    assert "What Ana may have been thinking" not in text


def test_thoughts_heading_with_two_people() -> None:
    debrief = build_debrief(play_all(engine_for(couple(["Rob might think: hm."]))))
    assert debrief.thoughts_heading == "What Ana and Rob may have been thinking"
