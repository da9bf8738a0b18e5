"""The engine: transitions, conditions, lines, trust, rewind, endings, save and resume."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scenario_kit import (
    MINI,
    engine_for,
    load_dict,
    load_text,
    mini,
    node,
    option,
    rupture,
    scenario,
)

from roleplay.core.engine import (
    Engine,
    EngineError,
    ResumeError,
    RuptureStatus,
    ShownLine,
    State,
    holds,
)
from roleplay.core.models import Condition


@pytest.fixture
def engine() -> Engine:
    return Engine(mini())


def snapshot(engine: Engine) -> tuple[Any, ...]:
    return (engine.node.id, engine.trust, engine.state.flags, dict(engine.state.ruptures))


# -- the first moment and transitions ------------------------------------------------------------


def test_initial_state(engine: Engine) -> None:
    assert engine.node.id == "hello"
    assert engine.trust == 40
    assert engine.band.id == "cautious"
    assert engine.state == State(trust=40)
    assert engine.step == 0
    assert not engine.finished and engine.ending is None
    assert not engine.can_rewind
    assert engine.lines() == [
        ShownLine(narration="Sam sits down."),
        ShownLine(say="Hi. [bold]Not[/] sure about this.", cue="looks at the door"),
    ]
    assert [(c.number, c.id, c.text) for c in engine.choices()] == [
        (1, "warm", "Welcome, Sam. What would you like me to know?"),
        (2, "wrong-name", "Welcome, Stan."),
    ]


def test_choose_by_number_returns_turn(engine: Engine) -> None:
    turn = engine.choose(1)
    assert turn.step == 0
    assert turn.node_id == "hello"
    assert turn.option_id == "warm"
    assert (turn.trust_before, turn.trust_after, turn.delta) == (40, 50, 10)
    assert turn.flags_set == ("welcomed",)
    assert turn.flags_cleared == ()
    assert turn.rupture_opened is None and turn.rupture_repaired is None
    assert turn.next_node == "middle"
    assert turn.reaction == (ShownLine(say="Okay."),)
    assert turn.available == ("warm", "wrong-name")
    assert turn.exploration is False
    assert turn.feedback.rating.value == "builds-trust"
    assert engine.node.id == "middle"
    assert engine.state.flags == frozenset({"welcomed"})
    assert engine.step == 1
    assert engine.path == [turn] and engine.log == [turn]


def test_choose_by_id_opens_rupture(engine: Engine) -> None:
    turn = engine.choose("wrong-name")
    assert turn.option_id == "wrong-name"
    assert turn.rupture_opened == "name-missed"
    assert (turn.trust_after, engine.band.id) == (25, "guarded")
    assert engine.state.ruptures == {"name-missed": RuptureStatus.OPEN}
    assert engine.state.open_ruptures() == ["name-missed"]


def test_conditions_decide_what_is_offered(engine: Engine) -> None:
    engine.choose("warm")
    # No rupture: no repair; cautious: the check-in is offered. Numbers are renumbered.
    assert [(c.number, c.id) for c in engine.choices()] == [(1, "carry-on"), (2, "ask")]
    assert engine.lines() == [ShownLine(say="So, what now?")]

    other = Engine(mini())
    other.choose("wrong-name")
    assert [(c.number, c.id) for c in other.choices()] == [(1, "repair"), (2, "carry-on")]
    assert other.lines() == [ShownLine(say="It's Sam, actually.")]


def test_choosing_unavailable_option_raises(engine: Engine) -> None:
    engine.choose("wrong-name")
    before = snapshot(engine)
    for bad in ("ask", "nope", 3, 0, -1, "1"):
        with pytest.raises(EngineError):
            engine.choose(bad)
    assert snapshot(engine) == before
    assert engine.step == 1 and len(engine.log) == 1


def test_repair_then_ending_fallback(engine: Engine) -> None:
    engine.choose("wrong-name")
    turn = engine.choose("repair")
    assert turn.rupture_repaired == "name-missed"
    assert engine.state.ruptures == {"name-missed": RuptureStatus.REPAIRED}
    assert engine.state.open_ruptures() == []
    assert engine.finished
    assert engine.choices() == []
    # 37 is cautious and no rupture is open: the unconditional 'neutral'.
    assert engine.trust == 37
    assert engine.ending is not None and engine.ending.id == "neutral"
    with pytest.raises(EngineError):
        engine.choose(1)


def test_ending_chosen_by_condition(engine: Engine) -> None:
    engine.choose("wrong-name")
    engine.choose("carry-on")
    assert engine.trust == 20
    assert engine.ending is not None and engine.ending.id == "strained"


def test_ending_by_band_and_fallback_to_last_when_none_holds() -> None:
    endings = [
        {"id": "good", "title": "Good", "description": "G."},
        {"id": "poor", "title": "Poor", "description": "P."},
    ]
    rule = [
        {"when": {"band": "high"}, "ending": "good"},
        {"when": {"band": "low"}, "ending": "poor"},
    ]
    data = scenario(
        [node("a", option("up", "end", 30), option("flat", "end", 0)), node("end", ending=rule)],
        endings=endings,
    )
    up = engine_for(data)
    up.choose("up")
    assert up.ending is not None and up.ending.id == "good"
    flat = engine_for(data)
    flat.choose("flat")  # 50 is 'mid': neither holds, the last entry is used
    assert flat.ending is not None and flat.ending.id == "poor"


def test_reaction_lines_use_state_after_the_choice() -> None:
    reaction: list[dict[str, Any]] = [
        {"variants": [{"when": {"band": "high"}, "say": "Oh!"}, {"say": "Hm."}]},
        {"when": {"flags": ["asked"]}, "cue": "smiles"},
    ]
    data = scenario(
        [
            node(
                "a",
                option("x", "end", 25, reaction=reaction, set_flags=["asked"]),
                option("y", "end", 0, reaction=reaction),
            ),
            node("end", ending="done"),
        ]
    )
    first = engine_for(data).choose("x")
    assert first.reaction == (ShownLine(say="Oh!"), ShownLine(cue="smiles"))
    second = engine_for(data).choose("y")
    assert second.reaction == (ShownLine(say="Hm."),)


def test_line_when_and_variants_without_default() -> None:
    lines: list[dict[str, Any]] = [
        {"say": "Always."},
        {"when": {"flags": ["f"]}, "say": "Only with f."},
        {"when": {"not_flags": ["f"]}, "narration": "Only without f."},
        {"variants": [{"when": {"band": "high"}, "say": "High."}]},  # no default: maybe nothing
    ]
    data = scenario(
        [
            node("a", option("set", "b", 25, set_flags=["f"]), option("plain", "b", 0)),
            node("b", option("x", "end"), option("y", "end"), lines=lines),
            node("end", ending="done"),
        ]
    )
    with_flag = engine_for(data)
    with_flag.choose("set")
    assert with_flag.lines() == [
        ShownLine(say="Always."),
        ShownLine(say="Only with f."),
        ShownLine(say="High."),
    ]
    without = engine_for(data)
    without.choose("plain")
    assert without.lines() == [ShownLine(say="Always."), ShownLine(narration="Only without f.")]


def test_flags_set_and_cleared() -> None:
    data = scenario(
        [
            node("a", option("set", "b", 0, set_flags=["f", "g"]), option("none", "b", 0)),
            node(
                "b",
                option("clear", "end", 0, clear_flags=["f", "never"]),
                option("keep", "end", 0, set_flags=["g"]),
            ),
            node("end", ending="done"),
        ]
    )
    engine = engine_for(data)
    assert engine.choose("set").flags_set == ("f", "g")
    turn = engine.choose("clear")
    assert turn.flags_cleared == ("f",)  # 'never' was not set
    assert engine.state.flags == frozenset({"g"})
    other = engine_for(data)
    other.choose("set")
    assert other.choose("keep").flags_set == ()  # already set


@pytest.mark.parametrize(
    ("start", "delta", "after"), [(95, 20, 100), (5, -20, 0), (100, 100, 100), (0, -100, 0)]
)
def test_trust_is_clamped(start: int, delta: int, after: int) -> None:
    data = scenario(
        [node("a", option("x", "end", delta), option("y", "end", 0)), node("end", ending="done")],
        trust_start=start,
    )
    engine = engine_for(data)
    turn = engine.choose("x")
    assert engine.trust == after
    assert turn.trust_after == after
    assert turn.delta == after - start


# -- conditions ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bands_scenario() -> Any:
    return load_dict(
        scenario(
            [
                node(
                    "a", option("x", "end", 1), option("y", "end", -1, "harmful", open_rupture="r")
                ),
                node("end", ending="done"),
            ],
            ruptures=[rupture("r"), rupture("s")],
        )
    )


@pytest.mark.parametrize(
    ("condition", "state", "expected"),
    [
        (None, State(50), True),
        (Condition(), State(50), True),
        (Condition(band="mid"), State(40), True),
        (Condition(band="mid"), State(39), False),
        (Condition(band="mid"), State(69), True),
        (Condition(band="mid"), State(70), False),
        (Condition(band=["low", "high"]), State(10), True),
        (Condition(band=["low", "high"]), State(50), False),
        (Condition(band="high"), State(100), True),
        (Condition(min_trust=30), State(30), True),
        (Condition(min_trust=30), State(29), False),
        (Condition(max_trust=30), State(30), True),
        (Condition(max_trust=30), State(31), False),
        (Condition(min_trust=20, max_trust=30, band="low"), State(25), True),
        (Condition(flags=["a", "b"]), State(50, frozenset({"a"})), False),
        (Condition(flags=["a", "b"]), State(50, frozenset({"a", "b", "c"})), True),
        (Condition(not_flags=["a"]), State(50, frozenset({"a"})), False),
        (Condition(not_flags=["a"]), State(50, frozenset({"b"})), True),
        (Condition(flags=["b"], not_flags=["a"]), State(50, frozenset({"b"})), True),
        (Condition(rupture_open=["r"]), State(50), False),
        (Condition(rupture_open=["r"]), State(50, ruptures={"r": RuptureStatus.OPEN}), True),
        (Condition(rupture_open=["r"]), State(50, ruptures={"r": RuptureStatus.REPAIRED}), False),
        (
            Condition(rupture_repaired=["r"]),
            State(50, ruptures={"r": RuptureStatus.REPAIRED}),
            True,
        ),
        (Condition(rupture_repaired=["r"]), State(50, ruptures={"r": RuptureStatus.OPEN}), False),
        (Condition(no_open_ruptures=True), State(50), True),
        (Condition(no_open_ruptures=True), State(50, ruptures={"r": RuptureStatus.REPAIRED}), True),
        (Condition(no_open_ruptures=True), State(50, ruptures={"s": RuptureStatus.OPEN}), False),
    ],
)
def test_holds(
    bands_scenario: Any, condition: Condition | None, state: State, expected: bool
) -> None:
    assert holds(condition, state, bands_scenario) is expected


def test_no_option_available_means_finished_without_ending() -> None:
    data = scenario(
        [
            node("a", option("x", "b", 0), option("y", "b", 0)),
            node(
                "b",
                option("p", "end", 0, when={"flags": ["never"]}),
                option("q", "end", 0, when={"flags": ["never"]}),
            ),
            node("end", ending="done"),
        ]
    )
    engine = engine_for(data)
    engine.choose("x")
    assert engine.choices() == []
    assert engine.finished
    assert engine.ending is None
    with pytest.raises(EngineError):
        engine.choose("p")


# -- rewind ----------------------------------------------------------------------------------------


def test_rewind_restores_everything_exactly(engine: Engine) -> None:
    start = snapshot(engine)
    engine.choose("wrong-name")
    middle = snapshot(engine)
    engine.choose("repair")
    assert engine.finished
    engine.rewind()  # the latest decision
    assert snapshot(engine) == middle
    assert engine.step == 1 and not engine.finished
    engine.rewind(0)
    assert snapshot(engine) == start
    assert engine.step == 0 and engine.path == []
    assert not engine.can_rewind
    assert len(engine.log) == 2  # the log keeps what was rewound
    assert engine.lines()[0] == ShownLine(narration="Sam sits down.")


def test_rewind_errors(engine: Engine) -> None:
    with pytest.raises(EngineError):
        engine.rewind()
    engine.choose(1)
    for bad in (1, 5, -1):
        with pytest.raises(EngineError):
            engine.rewind(bad)
    assert engine.step == 1


def test_exploration_flag_after_rewind(engine: Engine) -> None:
    first = engine.choose("wrong-name")
    assert not first.exploration
    assert not engine.choose("carry-on").exploration
    engine.rewind(0)
    again = engine.choose("warm")
    assert again.exploration
    assert again.step == 0
    # The next decision ('middle' at step 1) was made before too.
    later = engine.choose("ask")
    assert later.exploration
    assert [t.option_id for t in engine.path] == ["warm", "ask"]
    assert [t.option_id for t in engine.log] == ["wrong-name", "carry-on", "warm", "ask"]
    assert [t.exploration for t in engine.log] == [False, False, True, True]


def test_first_visit_after_rewind_is_not_exploration() -> None:
    data = scenario(
        [
            node("a", option("to-b", "b", 0), option("to-c", "c", 0)),
            node("b", option("x", "end", 0), option("y", "end", 0)),
            node("c", option("x", "end", 0), option("y", "end", 0)),
            node("end", ending="done"),
        ]
    )
    engine = engine_for(data)
    engine.choose("to-b")
    engine.rewind(0)
    assert engine.choose("to-c").exploration
    assert not engine.choose("x").exploration  # 'c' was never decided before


# -- save and resume -------------------------------------------------------------------------------


def played(engine: Engine) -> Engine:
    engine.choose("wrong-name")
    engine.choose("carry-on", own_words="Let's just go on, I think.")
    engine.rewind(1)
    engine.choose("repair")
    engine.rewind(0)
    engine.choose("warm")
    return engine


def test_state_is_json_and_round_trips(engine: Engine) -> None:
    played(engine)
    saved = engine.to_state()
    text = json.dumps(saved)
    restored = Engine.from_state(engine.scenario, json.loads(text))
    assert restored.to_state() == saved
    assert snapshot(restored) == snapshot(engine)
    assert restored.state == engine.state
    assert restored.path == engine.path
    assert restored.log == engine.log
    assert [t.own_words for t in restored.log] == [None, "Let's just go on, I think.", None, None]
    assert [t.exploration for t in restored.log] == [t.exploration for t in engine.log]
    assert saved["scenario"] == "mini" and saved["node"] == "middle" and saved["trust"] == 50
    # The restored engine goes on exactly like the original.
    assert restored.choose("ask") == engine.choose("ask")


def test_round_trip_of_a_fresh_and_of_a_finished_engine(engine: Engine) -> None:
    fresh = Engine.from_state(engine.scenario, json.loads(json.dumps(engine.to_state())))
    assert snapshot(fresh) == snapshot(engine) and fresh.log == []
    engine.choose(2)
    engine.choose(1)
    finished = Engine.from_state(engine.scenario, json.loads(json.dumps(engine.to_state())))
    assert finished.finished and finished.ending == engine.ending
    assert finished.path == engine.path


def test_resume_on_a_different_scenario_fails(engine: Engine) -> None:
    engine.choose(1)
    other = load_dict(scenario())
    with pytest.raises(ResumeError, match="mini"):
        Engine.from_state(other, engine.to_state())


def test_resume_when_option_no_longer_exists(engine: Engine) -> None:
    engine.choose("wrong-name")
    saved = engine.to_state()
    text = MINI.read_text(encoding="utf-8").replace("id: wrong-name", "id: wrong-name-2")
    changed = load_text(text).scenario
    assert changed.id == "mini"
    with pytest.raises(ResumeError, match="changed"):
        Engine.from_state(changed, saved)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "a string",
        [],
        {},
        {"format": 99, "scenario": "mini", "events": []},
        {"format": 1, "scenario": "mini"},
        {"format": 1, "scenario": "mini", "events": "choose warm"},
        {"format": 1, "scenario": "mini", "events": [{"what": 1}]},
        {"format": 1, "scenario": "mini", "events": [{"choose": 1}]},
        {"format": 1, "scenario": "mini", "events": ["warm"]},
        {"format": 1, "scenario": "mini", "events": [{"rewind": 0}]},
        {"format": 1, "scenario": "mini", "events": [{"choose": "warm"}, {"rewind": 3}]},
        {"format": 1, "scenario": "mini", "events": [{"choose": "warm"}, {"choose": "repair"}]},
    ],
)
def test_resume_garbage_raises_resume_error(data: Any) -> None:
    with pytest.raises(ResumeError):
        Engine.from_state(mini(), data)


@pytest.mark.parametrize(
    "data",
    [
        {"format": True, "scenario": "mini", "events": []},
        {
            "format": 1,
            "scenario": "mini",
            "events": [{"choose": "warm"}, {"choose": "ask"}, {"rewind": True}],
        },
    ],
)
def test_resume_rejects_booleans(data: Any) -> None:
    with pytest.raises(ResumeError):
        Engine.from_state(mini(), data)


def test_copy_and_preview_do_not_change_the_engine(engine: Engine) -> None:
    engine.choose("wrong-name")
    before = (snapshot(engine), engine.log, engine.to_state())
    preview = engine.preview("repair")
    assert preview.rupture_repaired == "name-missed"
    copy = engine.copy()
    copy.choose("carry-on")
    assert (snapshot(engine), engine.log, engine.to_state()) == before


@pytest.mark.parametrize(
    ("ruptures", "expected"),
    [({}, True), ({"r": RuptureStatus.REPAIRED}, True), ({"r": RuptureStatus.OPEN}, False)],
)
def test_holds_rupture_not_open(
    bands_scenario: Any, ruptures: dict[str, RuptureStatus], expected: bool
) -> None:
    assert (
        holds(Condition(rupture_not_open=["r"]), State(50, ruptures=ruptures), bands_scenario)
        is expected
    )


def test_rupture_reopened_after_repair_and_repair_of_closed_rupture() -> None:
    data = scenario(
        [
            node(
                "a",
                option("open", "b", -5, "harmful", open_rupture="r"),
                option("fix", "b", 0, repair_rupture="r"),
            ),
            node("b", option("fix", "c", 5, repair_rupture="r"), option("stay", "c", 0)),
            node(
                "c",
                option("again", "end", -5, "harmful", open_rupture="r"),
                option("fix", "end", 0, repair_rupture="r"),
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )
    engine = engine_for(data)
    engine.choose("open")
    assert engine.choose("fix").rupture_repaired == "r"
    assert engine.state.ruptures == {"r": RuptureStatus.REPAIRED}
    assert engine.choose("again").rupture_opened == "r"
    assert engine.state.ruptures == {"r": RuptureStatus.OPEN}
    # Repairing a rupture that is not open changes nothing and reports nothing.
    other = engine_for(data)
    turn = other.choose("fix")
    assert turn.rupture_repaired is None and other.state.ruptures == {}


def test_speaker_is_carried_to_shown_lines() -> None:
    lines = [{"speaker": "Amina (daughter)", "say": "She means yes."}, {"say": "Yes."}]
    data = scenario(
        [node("a", option("x", "end"), option("y", "end"), lines=lines), node("end", ending="done")]
    )
    assert engine_for(data).lines() == [
        ShownLine(say="She means yes.", speaker="Amina (daughter)"),
        ShownLine(say="Yes."),
    ]
