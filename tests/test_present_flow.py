"""Present mode's flow without a screen: which keys apply in each phase, what the status
line and the verdict say, and when leaving must ask first (votes not saved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.facilitation import Facilitation, FacilitationSettings, Phase
from roleplay.core.facilitation.flow import PresentFlow
from roleplay.core.loader import load_scenario

GROUP = Path(__file__).parent / "tui" / "data" / "group.yaml"


@pytest.fixture
def flow() -> PresentFlow:
    scenario = load_scenario(GROUP).scenario
    settings = FacilitationSettings(thinking_seconds=60, split_threshold=0.6)
    return PresentFlow(Facilitation(scenario, settings, clock=lambda: 0.0))


def test_each_phase_allows_its_own_keys(flow: PresentFlow) -> None:
    assert flow.allows("begin") and not flow.allows("lock")
    assert not flow.allows("vote", ("a",))
    flow.begin()
    assert flow.session.phase is Phase.VOTING
    assert flow.allows("vote", ("a",)) and flow.allows("unvote", ("c",))
    assert not flow.allows("vote", ("z",))  # no option Z here
    assert not flow.allows("pick", ("a",)) and not flow.allows("begin")
    assert flow.allows("lock") and flow.allows("timer") and flow.allows("save_now")
    flow.vote("a")
    flow.lock()
    assert flow.allows("pick", ("b",)) and flow.allows("reveal") and flow.allows("unlock")
    assert not flow.allows("vote", ("a",))
    assert flow.allows("some_other_action")


def test_votes_mark_the_session_unsaved_until_saved(flow: PresentFlow) -> None:
    flow.begin()
    assert not flow.asks_before_leaving
    assert flow.vote("a", -1) and not flow.unsaved  # taking a vote away adds nothing to save
    assert flow.vote("a") and flow.unsaved and flow.asks_before_leaving
    assert not flow.vote("zz")  # an unknown option changes nothing
    flow.saved()
    assert not flow.asks_before_leaving


def test_status_and_verdict_words(flow: PresentFlow) -> None:
    assert flow.status().startswith("Enter begins the first moment")
    assert flow.phase_label() == "BEFORE WE BEGIN"
    flow.begin()
    flow.vote("a")
    assert flow.phase_label() == "VOTE"
    assert flow.status() == "Round 1 · 1 vote, hidden · a–c +1 · shift −1 · # counts"
    flow.vote("b")
    flow.lock()
    decision = flow.session.current
    assert decision is not None
    said, then = flow.verdict(decision)
    assert said.startswith("The room is split: no option has more than 60%.")
    assert "A and B are tied with 1 of 2 votes each." in said
    assert then.startswith("t start a 2:00 discussion · v revote")
    assert not flow.reveal()  # a tie: the facilitator picks first
    assert flow.pick("b") and flow.reveal()
    assert flow.session.phase is Phase.REVEALED
    assert flow.status() == "Enter continue with B · a–c another · w what if"
    flow.toggle_what_if()
    assert flow.status().endswith("w hide · d details")
    assert flow.allows("details")
    flow.toggle_details()
    assert flow.status().endswith("d fewer")
    flow.proceed()
    assert not flow.show_all  # the next moment starts without every option shown


def test_picking_the_room_s_own_option_is_not_a_facilitator_s_pick(flow: PresentFlow) -> None:
    flow.begin()
    flow.vote("b", 3)
    flow.vote("a")
    flow.lock()
    decision = flow.session.current
    assert decision is not None
    assert flow.pick("a")
    assert flow.verdict(decision)[0] == "The room chose B. Facilitator's pick: A."
    assert flow.pick("b")  # back to the room's own choice
    said, then = flow.verdict(decision)
    assert said == "The room chose B." and "Facilitator" not in said
    assert then == "r reveal B"


def test_votes_beyond_the_class_size_are_refused_with_a_reason() -> None:
    scenario = load_scenario(GROUP).scenario
    flow = PresentFlow(Facilitation(scenario, FacilitationSettings(class_size=2)))
    flow.begin()
    assert flow.vote("a") and flow.vote("b")
    assert not flow.vote("c")
    assert flow.refusal == "3 votes would be more than the class of 2."
    assert flow.vote("c", -1) and flow.refusal is None
    assert not flow.set_counts({"own-it": 3})
    assert flow.refusal == "A: 3 is more than the class of 2."
    assert flow.set_counts({"own-it": 1, "reassure": 0, "procedure": 1})
