"""A repair made in an exploration is marked as such, in one wording (core.debrief's
``REPAIR_EXPLORATION_LABEL``): the debrief, its plain text and the exports (issue 13 §2)."""

from __future__ import annotations

from pathlib import Path

import history_kit

from roleplay.core.debrief import REPAIR_EXPLORATION_LABEL, build_debrief
from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.core.textreport import debrief_text
from roleplay.session.export import build_record, to_html, to_markdown
from roleplay.session.review import EXPLORATIONS_HEADING, repairs
from roleplay.store import Store

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
MARKED = f"Name missed ({REPAIR_EXPLORATION_LABEL})"


def engine_of(*moves: str | int) -> Engine:
    engine = Engine(load_scenario(MINI).scenario)
    for move in moves:
        if isinstance(move, int):
            engine.rewind(move)
        else:
            engine.choose(move)
    return engine


def test_a_repair_made_going_back_is_marked_in_the_debrief() -> None:
    # The name is missed and left (scored); going back, the repair is an exploration.
    debrief = build_debrief(engine_of("wrong-name", "carry-on", 1, "repair"))
    assert [r.id for r in debrief.repaired] == ["name-missed"]
    assert debrief.repaired_exploring == {"name-missed"}
    text = "\n".join(debrief_text(debrief, with_feedback=False))
    assert f"Ruptures you repaired\n- {MARKED}" in text


def test_a_repair_on_the_first_try_is_not_marked() -> None:
    debrief = build_debrief(engine_of("wrong-name", "repair"))
    assert debrief.repaired_exploring == set()
    assert debrief.repaired_text(debrief.repaired[0]) == "Name missed"
    # Explored earlier, repaired on a later first try: the repair itself is not explored.
    later = build_debrief(engine_of("warm", 0, "wrong-name", "repair"))
    assert later.repaired_exploring == set()


def test_the_exports_mark_the_repair_on_the_explored_step(tmp_path: Path) -> None:
    store = Store(tmp_path)
    loaded = load_scenario(MINI)
    attempt_id = history_kit.play(store, loaded, "wrong-name", "carry-on", 1, "repair")
    steps = store.steps(attempt_id)
    repaired_at = repairs(steps)
    assert list(repaired_at.values()) == [["name-missed"]]
    attempt = store.attempt(attempt_id)
    assert attempt is not None
    record = build_record(store, attempt, loaded)
    path, explored = to_markdown(record).split(f"## {EXPLORATIONS_HEADING}")
    assert "Repaired" not in path
    assert f"   - Repaired: {MARKED}" in explored
    assert f"<br>Repaired: {MARKED}" in to_html(record)
    # Without the scenario, the rupture is named by its id, still marked.
    bare = build_record(store, attempt, None)
    assert f"Repaired: name-missed ({REPAIR_EXPLORATION_LABEL})" in to_markdown(bare)
