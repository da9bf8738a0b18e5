"""Property tests: random valid scenarios walked at random, and the loader fed junk.

The scenario strategy builds a random graph whose decision nodes form a chain (so every
node is reachable and can reach an ending) plus random extra edges (back edges make loops),
random effects, random conditions on options, lines and endings. Each is checked to load
with no errors, then walked with random choices and random rewinds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_kit import MINI, clone, dump, feedback, scenario

from roleplay.core.debrief import build_debrief
from roleplay.core.diagnostics import Diagnostic, ScenarioError, Severity
from roleplay.core.engine import Engine
from roleplay.core.lint import lint
from roleplay.core.loader import load_bytes, validate_document
from roleplay.core.skills import skills
from roleplay.core.yamlsource import parse_text

SETTINGS = settings(
    max_examples=int(os.environ.get("ROLEPLAY_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SKILL_IDS = list(skills())
FLAGS = ["f0", "f1", "f2"]
RATINGS = ["builds-trust", "partly-helpful", "missed-opportunity", "harmful"]


@st.composite
def conditions(draw: st.DrawFn, bands: list[str], ruptures: list[str]) -> dict[str, Any]:
    cond: dict[str, Any] = {}
    if draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(bands), min_size=1, max_size=2, unique=True))
        cond["band"] = chosen[0] if len(chosen) == 1 and draw(st.booleans()) else chosen
    if draw(st.integers(0, 3)) == 0:
        cond["min_trust"] = draw(st.integers(0, 100))
    if draw(st.integers(0, 3)) == 0:
        cond["max_trust"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        cond["flags"] = draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
    if draw(st.booleans()):
        cond["not_flags"] = draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
    if ruptures and draw(st.integers(0, 3)) == 0:
        cond["rupture_open"] = draw(st.lists(st.sampled_from(ruptures), max_size=1))
    if ruptures and draw(st.integers(0, 3)) == 0:
        cond["rupture_repaired"] = draw(st.lists(st.sampled_from(ruptures), max_size=1))
    if ruptures and draw(st.integers(0, 3)) == 0:
        cond["rupture_not_open"] = draw(st.lists(st.sampled_from(ruptures), max_size=1))
    if draw(st.integers(0, 4)) == 0:
        cond["no_open_ruptures"] = True
    return cond


@st.composite
def lines(draw: st.DrawFn, bands: list[str], ruptures: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["say", "cue", "narration", "variants"]))
        if kind == "variants":
            variants = [
                {"when": draw(conditions(bands, ruptures)), "say": f"Variant {index}.{v}"}
                for v in range(draw(st.integers(1, 3)))
            ]
            if draw(st.booleans()):
                variants.append({"say": f"Default {index}."})
            line: dict[str, Any] = {"variants": variants}
        else:
            line = {kind: f"{kind} {index} [bold]x[/]"}
            if kind == "say" and draw(st.booleans()):
                line["speaker"] = "A friend"
        if draw(st.integers(0, 3)) == 0:
            line["when"] = draw(conditions(bands, ruptures))
        out.append(line)
    return out


@st.composite
def random_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    decisions = draw(st.integers(1, 6))
    closing = draw(st.integers(1, 3))
    mins = sorted(draw(st.sets(st.integers(1, 100), min_size=1, max_size=3)))
    band_ids = [f"b{i}" for i in range(len(mins) + 1)]
    bands = [{"id": b, "min": m} for b, m in zip(band_ids, [0, *mins], strict=True)]
    ruptures = [f"r{i}" for i in range(draw(st.integers(0, 2)))]
    decision_ids = [f"d{i}" for i in range(decisions)]
    closing_ids = [f"e{i}" for i in range(closing)]
    targets = decision_ids + closing_ids
    endings = [f"end{i}" for i in range(draw(st.integers(1, 3)))]

    def make_option(oid: str, nxt: str, conditional: bool) -> dict[str, Any]:
        effects: dict[str, Any] = {"trust": draw(st.integers(-40, 40))}
        if draw(st.booleans()):
            effects["set_flags"] = draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
        if draw(st.integers(0, 3)) == 0:
            effects["clear_flags"] = draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True))
        if ruptures and draw(st.integers(0, 2)) == 0:
            effects["open_rupture"] = draw(st.sampled_from(ruptures))
        if ruptures and draw(st.integers(0, 2)) == 0:
            effects["repair_rupture"] = draw(st.sampled_from(ruptures))
        out: dict[str, Any] = {"id": oid, "text": f"Option {oid}."}
        if conditional and draw(st.booleans()):
            out["when"] = draw(conditions(band_ids, ruptures))
        out["effects"] = effects
        if draw(st.booleans()):
            out["reaction"] = draw(lines(band_ids, ruptures))
        out["next"] = nxt
        rating = draw(st.sampled_from(RATINGS))
        out["feedback"] = feedback(
            rating, draw(st.lists(st.sampled_from(SKILL_IDS), min_size=1, max_size=2, unique=True))
        )
        return out

    nodes: list[dict[str, Any]] = []
    for index, node_id in enumerate(decision_ids):
        chain_next = (
            decision_ids[index + 1] if index + 1 < decisions else draw(st.sampled_from(closing_ids))
        )
        options = [make_option("o0", chain_next, conditional=False)]
        for extra in range(1, draw(st.integers(2, 4))):
            options.append(
                make_option(f"o{extra}", draw(st.sampled_from(targets)), conditional=True)
            )
        nodes.append({"id": node_id, "lines": draw(lines(band_ids, ruptures)), "options": options})
    # Every closing node must be the target of some option.
    for closing_id in closing_ids:
        if not any(o["next"] == closing_id for n in nodes for o in n["options"]):
            host = draw(st.sampled_from(nodes))
            host["options"].append(make_option(f"o{len(host['options'])}", closing_id, True))
    # A repair needs some option that opens the rupture.
    opened = {o["effects"].get("open_rupture") for n in nodes for o in n["options"]}
    for n in nodes:
        for o in n["options"]:
            name = o["effects"].get("repair_rupture")
            if name is not None and name not in opened:
                del o["effects"]["repair_rupture"]
    for closing_id in closing_ids:
        if draw(st.booleans()):
            ending: Any = draw(st.sampled_from(endings))
        else:
            ending = [
                {
                    "when": draw(conditions(band_ids, ruptures)),
                    "ending": draw(st.sampled_from(endings)),
                }
                for _ in range(draw(st.integers(1, 3)))
            ]
            if draw(st.booleans()):
                ending.append({"ending": draw(st.sampled_from(endings))})
        nodes.append({"id": closing_id, "lines": draw(lines(band_ids, ruptures)), "ending": ending})
    tagged = sorted(
        {s for n in nodes for o in n.get("options", []) for s in o["feedback"]["skills"]}
    )
    data = scenario(
        nodes,
        trust_start=draw(st.integers(0, 100)),
        bands=bands,
        endings=[{"id": e, "title": f"Ending {e}", "description": "D."} for e in endings],
        ruptures=[{"id": r, "title": f"R {r}", "description": "D."} for r in ruptures] or None,
        skills=tagged,
    )
    return data


def load_valid(data: dict[str, Any]) -> Engine:
    text = dump(data)
    document = parse_text(text, "random.yaml")
    scenario_model = validate_document(document)
    found = lint(scenario_model, document.source)
    assert [d for d in found if d.severity is Severity.ERROR] == [], [str(d) for d in found]
    # The full loader agrees.
    loaded = load_bytes(text.encode("utf-8"), Path("random.yaml"))
    assert loaded.scenario == scenario_model
    return Engine(loaded.scenario)


def check_invariants(engine: Engine) -> None:
    assert 0 <= engine.trust <= 100
    assert engine.band == engine.scenario.trust.band_for(engine.trust)
    engine.lines()
    choices = engine.choices()
    if engine.finished:
        assert choices == []
        if engine.node.is_ending:
            assert engine.ending is not None
        else:
            assert engine.ending is None
    else:
        assert choices, "not finished, so something must be on offer"
        assert [c.number for c in choices] == list(range(1, len(choices) + 1))
        assert engine.ending is None


@SETTINGS
@given(data=random_scenarios(), moves=st.data())
def test_random_scenarios_walked_at_random(data: dict[str, Any], moves: st.DataObject) -> None:
    engine = load_valid(data)
    check_invariants(engine)
    for _ in range(30):
        if engine.can_rewind and moves.draw(st.integers(0, 5)) == 0:
            step = moves.draw(st.integers(0, engine.step - 1))
            before = engine.path[step]
            engine.rewind(step)
            assert engine.step == step
            assert engine.trust == before.trust_before
            assert engine.node.id == before.node_id
        elif engine.finished:
            break
        else:
            choices = engine.choices()
            picked = moves.draw(st.sampled_from(choices))
            by_id = moves.draw(st.booleans())
            turn = engine.choose(picked.id if by_id else picked.number)
            assert turn.option_id == picked.id
            assert 0 <= turn.trust_after <= 100
            assert turn.trust_after == max(
                0, min(100, turn.trust_before + picked.option.effects.trust)
            )
            assert engine.node.id == picked.option.next
        check_invariants(engine)
    saved = json.loads(json.dumps(engine.to_state()))
    restored = Engine.from_state(engine.scenario, saved)
    assert restored.node.id == engine.node.id
    assert restored.state == engine.state
    assert restored.path == engine.path
    assert restored.log == engine.log
    assert restored.to_state() == engine.to_state()
    debrief = build_debrief(engine)
    assert debrief.trajectory[0] == engine.scenario.trust.start
    assert all(0 <= value <= 100 for value in debrief.trajectory)
    assert len(debrief.decisions) + len(debrief.explorations) == len(engine.log)


# -- the loader never fails with anything but ScenarioError ----------------------------------------


def check_refusal_or_load(raw: bytes, line_count: int | None = None) -> None:
    try:
        loaded = load_bytes(raw, Path("fuzz.yaml"))
    except ScenarioError as exc:
        found: list[Diagnostic] = exc.diagnostics
        assert found
        assert any(d.severity is Severity.ERROR for d in found)
    else:
        found = loaded.warnings
    for diagnostic in found:
        assert diagnostic.line >= 1 and diagnostic.column >= 1, str(diagnostic)
        assert diagnostic.path == "fuzz.yaml"
        if line_count is not None:
            assert diagnostic.line <= line_count + 1, str(diagnostic)


@SETTINGS
@given(st.text(max_size=300))
def test_loader_random_text(text: str) -> None:
    check_refusal_or_load(text.encode("utf-8"), text.count("\n") + 1)


@SETTINGS
@given(st.binary(max_size=300))
def test_loader_random_bytes(raw: bytes) -> None:
    check_refusal_or_load(raw)


MINI_DATA: dict[str, Any] = yaml.safe_load(MINI.read_text(encoding="utf-8"))


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(paths_in(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(paths_in(item, (*prefix, index)))
    return out


MINI_PATHS = paths_in(MINI_DATA)
REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False),
    st.text(max_size=10),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["id", "x", "when", "say"]), st.integers(), max_size=2),
)
GARBAGE_LINES = st.one_of(
    st.text(max_size=30).map(lambda s: s.replace("\n", " ")),
    st.sampled_from(
        [
            "{{",
            "]",
            "- :",
            "key: [unclosed",
            "  - id: hello",
            "&a x: *b",
            "? complex",
            "---",
            "...",
            "\tindented: tab",
            "<<: *nothing",
            "id: mini",
            "nodes:",
            "    - say: yes",
            "%YAML 1.1",
            "x: &a [*a]",
        ]
    ),
)


def get_parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@SETTINGS
@given(st.sampled_from(MINI_PATHS), st.sampled_from(["delete", "replace"]), REPLACEMENTS)
def test_loader_mutated_scenarios(path: tuple[Any, ...], action: str, replacement: Any) -> None:
    data = clone(MINI_DATA)
    parent = get_parent(data, path)
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    text = dump(data)
    check_refusal_or_load(text.encode("utf-8"), text.count("\n") + 1)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 200), GARBAGE_LINES), min_size=1, max_size=4))
def test_loader_garbage_lines(insertions: list[tuple[int, str]]) -> None:
    text_lines = MINI.read_text(encoding="utf-8").splitlines()
    for position, garbage in insertions:
        text_lines.insert(position % (len(text_lines) + 1), garbage)
    text = "\n".join(text_lines) + "\n"
    check_refusal_or_load(text.encode("utf-8"), text.count("\n") + 1)


@SETTINGS
@given(data=random_scenarios(), cut=st.integers(0, 10_000))
def test_truncated_valid_scenarios(data: dict[str, Any], cut: int) -> None:
    raw = dump(data).encode("utf-8")
    truncated = raw[: cut % (len(raw) + 1)]
    check_refusal_or_load(truncated, truncated.count(b"\n") + 1)
