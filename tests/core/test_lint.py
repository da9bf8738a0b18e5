"""Every lint rule, with the line and column it points at.

Scenarios are built as dicts (scenario_kit) and dumped to YAML, so the text is predictable
and positions are computed from it with ``where``.
"""

from __future__ import annotations

from typing import Any

import pytest
from scenario_kit import (
    MINI,
    at,
    clone,
    dump,
    findings,
    load_dict,
    node,
    one,
    only,
    option,
    rupture,
    scenario,
    where,
)

from roleplay.core.diagnostics import Diagnostic, Severity
from roleplay.core.lint import trust_ranges
from roleplay.core.lint_content import CODES as CONTENT_CODES
from roleplay.core.yamlsource import parse_text


def lint_of(data: dict[str, Any]) -> tuple[str, list[Diagnostic]]:
    """The structural findings (the content rules have their own tests, test_lint_content)."""
    text = dump(data)
    return text, [d for d in findings(text) if d.code not in CONTENT_CODES]


def codes(found: list[Diagnostic]) -> set[str]:
    return {d.code for d in found}


def test_clean_scenarios_have_no_findings() -> None:
    assert lint_of(scenario())[1] == []
    text = MINI.read_text(encoding="utf-8")
    assert findings(text) == []


def test_findings_are_sorted_by_position() -> None:
    data = scenario(
        [
            node("a", option("x", "ennd", 1), option("y", "b", 1)),
            node("b", option("x", "ennd", 1), option("y", "end", 1)),
            node("end", ending="done"),
        ]
    )
    _, found = lint_of(data)
    assert found == sorted(found)
    assert [d.line for d in found] == sorted(d.line for d in found)


# -- references ------------------------------------------------------------------------------


def test_unknown_target_with_suggestion() -> None:
    data = scenario()
    data["nodes"][0]["options"][1]["next"] = "ennd"
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-target")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "next: ennd", at="ennd")
    assert "did you mean 'end'?" in diagnostic.message


def test_unknown_target_naming_an_ending_gets_a_hint() -> None:
    data = scenario()
    data["nodes"][0]["options"][0]["next"] = "done"
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-target")
    assert at(diagnostic) == where(text, "next: done", at="done")
    assert "it is an ending id" in diagnostic.message


def test_next_naming_an_ending_says_so_even_beside_a_similar_node() -> None:
    data = scenario(
        [
            node("a", option("x", "done", 5), option("y", "doner", 5)),
            node("doner", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-target")
    assert at(diagnostic) == where(text, "next: done\n", at="done")
    assert "it is an ending id" in diagnostic.message
    assert "did you mean" not in diagnostic.message


def test_a_finding_on_an_aliased_value_points_at_each_use() -> None:
    text = (
        dump(scenario())
        .replace("next: end", "next: &to ennd", 1)
        .replace("next: end", "next: *to", 1)
    )
    found = only(findings(text), "unknown-target")
    assert [d.line for d in found] == [
        where(text, "next: &to ennd")[0],
        where(text, "next: *to")[0],
    ]


def test_positions_inside_and_beside_aliases() -> None:
    text = "x: &t one\ny: [a, &b two, *b, *t]\nz:\n  - *t\n  - k: *t\n"
    source = parse_text(text, "a.yaml").source
    assert source.locate(("x",)) == where(text, "&t one")  # the anchor itself
    assert source.locate(("y", 1)) == where(text, "&b two")
    # An aliased item points at the list that uses it, on its own line.
    assert source.locate(("y", 2)) == where(text, "[a,")
    assert source.locate(("z", 0)) == where(text, "- *t")
    assert source.locate(("z", 1, "k")) == where(text, "k: *t")


def test_unknown_target_skips_graph_checks() -> None:
    data = scenario()
    data["nodes"][0]["options"][0]["next"] = "nowhere"
    data["nodes"][0]["options"][1]["next"] = "nowhere"
    _, found = lint_of(data)
    # 'end' is then unreachable, but the graph is not analysed on broken references.
    assert "unreachable" not in codes(found)
    assert len(only(found, "unknown-target")) == 2


def test_duplicate_node_id() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", -1)),
            node("end", ending="done"),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "duplicate-id")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "- id: end", 2, at="end")
    assert "'end'" in diagnostic.message and "nodes" in diagnostic.message


def test_duplicate_ending_id() -> None:
    data = scenario(
        endings=[
            {"id": "done", "title": "One", "description": "D."},
            {"id": "done", "title": "Two", "description": "E."},
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "duplicate-id")
    assert at(diagnostic) == where(text, "- id: done", 2, at="done")
    assert "endings" in diagnostic.message


def test_duplicate_rupture_id() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", -1, "harmful", open_rupture="r")),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r"), rupture("r")],
    )
    text, found = lint_of(data)
    diagnostic = one(found, "duplicate-id")
    assert at(diagnostic) == where(text, "- id: r\n", 2, at="r")


def test_duplicate_option_id() -> None:
    data = scenario(
        [
            node("a", option("same", "end", 1), option("same", "end", -1)),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "duplicate-id")
    assert at(diagnostic) == where(text, "- id: same", 2, at="same")
    assert "option" in diagnostic.message and "'a'" in diagnostic.message


def test_duplicate_option_id_with_default_number() -> None:
    # The second option has no id, so its id is its number '2', same as the first's id.
    data = scenario(
        [
            node("a", option("2", "end", 1), option(None, "end", -1)),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "duplicate-id")
    assert "'2'" in diagnostic.message
    # No 'id' key to point at: the option itself.
    assert at(diagnostic) == where(text, "- text: Say something.", at="text")


def test_unknown_start() -> None:
    data = scenario(start="aa")
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-start")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "start: aa", at="aa")


def test_unknown_ending_string_form() -> None:
    data = scenario()
    data["nodes"][1]["ending"] = "don"
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-ending")
    assert at(diagnostic) == where(text, "ending: don", at="don")
    assert "did you mean 'done'?" in diagnostic.message


def test_unknown_ending_list_form() -> None:
    data = scenario(
        endings=[
            {"id": "good", "title": "Good", "description": "G."},
            {"id": "done", "title": "Done", "description": "D."},
        ]
    )
    data["nodes"][1]["ending"] = [{"when": {"band": "high"}, "ending": "good"}, {"ending": "dne"}]
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-ending")
    assert at(diagnostic) == where(text, "ending: dne", at="dne")


def test_unknown_rupture_in_effects() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", -1, "harmful", open_rupture="rud")),
            node("end", ending="done"),
        ],
        ruptures=[rupture("rude")],
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-rupture")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "open_rupture: rud", at="rud")
    assert "did you mean 'rude'?" in diagnostic.message


def test_unknown_rupture_in_condition() -> None:
    data = scenario(
        [
            node(
                "a",
                option("x", "end", 1),
                option("y", "end", -1, "harmful", open_rupture="rude"),
                option("z", "end", 1, when={"rupture_open": ["rood"]}),
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("rude")],
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-rupture")
    # Points at the condition that names it.
    assert at(diagnostic) == where(text, "when:\n      rupture_open", at="rupture_open")
    assert "'rood'" in diagnostic.message


def test_unknown_band_in_option_condition() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", 1, when={"band": "hihg"})),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unknown-band")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "band: hihg", at="hihg")
    assert "did you mean 'high'?" in diagnostic.message


def test_unknown_band_in_line_variant_and_ending_choice() -> None:
    data = scenario(
        [
            node(
                "a",
                option("x", "end", 1),
                option("y", "end", -1),
                lines=[{"variants": [{"when": {"band": "lo"}, "say": "Hm."}, {"say": "Hi."}]}],
            ),
            node("end", ending=[{"when": {"band": "top"}, "ending": "done"}, {"ending": "done"}]),
        ]
    )
    text, found = lint_of(data)
    bad = only(found, "unknown-band")
    assert [at(d) for d in bad] == [
        where(text, "band: lo", at="lo"),
        where(text, "band: top", at="top"),
    ]


# -- the shape of the graph --------------------------------------------------------------------


def test_unreachable_node() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", -1)),
            node("orphan", option("x", "end", 1), option("y", "end", -1)),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unreachable")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "- id: orphan", at="orphan")


def test_dead_end() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "stuck", -1)),
            node("stuck"),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "dead-end")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "- id: stuck", at="stuck")
    # A dead end is not reported a second time as a trapped cycle.
    assert "trapped-cycle" not in codes(found)


def test_no_reachable_ending() -> None:
    data = scenario(
        [
            node("a", option("x", "b", 1), option("y", "b", -1)),
            node("b", option("x", "a", 1), option("y", "a", -1)),
        ]
    )
    data["endings"] = [{"id": "done", "title": "Done", "description": "D."}]
    text, found = lint_of(data)
    diagnostic = one(found, "no-ending")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "start: a", at="a")


def test_trapped_cycle() -> None:
    data = scenario(
        [
            node("a", option("out", "end", 1), option("in", "loop1", -1)),
            node("loop1", option("x", "loop2", 1), option("y", "loop2", -1)),
            node("loop2", option("x", "loop1", 1), option("y", "loop1", -1)),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    trapped = only(found, "trapped-cycle")
    assert [at(d) for d in trapped] == [
        where(text, "- id: loop1", at="loop1"),
        where(text, "- id: loop2", at="loop2"),
    ]
    assert all(d.severity is Severity.ERROR for d in trapped)


def test_cycle_with_a_way_out_is_fine() -> None:
    data = scenario(
        [
            node("a", option("again", "a", -1), option("on", "end", 1)),
            node("end", ending="done"),
        ]
    )
    _, found = lint_of(data)
    assert found == []


# -- ruptures ----------------------------------------------------------------------------------


def test_repair_never_opened() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", 1, repair_rupture="r")),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )
    text, found = lint_of(data)
    diagnostic = one(found, "repair-never-opened")
    assert diagnostic.severity is Severity.ERROR
    assert at(diagnostic) == where(text, "repair_rupture: r", at="r")
    # And the rupture itself is unused.
    assert at(one(found, "unused-rupture")) == where(text, "- id: r\n", at="r")


def test_unused_rupture_is_a_warning() -> None:
    data = scenario(ruptures=[rupture("never")])
    text, found = lint_of(data)
    diagnostic = one(found, "unused-rupture")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "- id: never", at="never")
    assert [d.code for d in found] == ["unused-rupture"]


# -- conditions --------------------------------------------------------------------------------


def _with_third_option(extra: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return scenario(
        [
            node("a", option("x", "b", 10, set_flags=["seen"]), option("y", "b", -10)),
            node("b", option("p", "end", 1), option("q", "end", -1), extra),
            node("end", ending="done"),
        ],
        **kw,
    )


def test_impossible_condition_flag_never_set() -> None:
    data = _with_third_option(option("z", "end", 1, when={"flags": ["ghost"]}))
    text, found = lint_of(data)
    diagnostic = one(found, "impossible-condition")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "when:\n      flags:", at="flags")
    assert "'ghost'" in diagnostic.message and "never set" in diagnostic.message


def test_flag_set_somewhere_is_possible() -> None:
    data = _with_third_option(option("z", "end", 1, when={"flags": ["seen"]}))
    _, found = lint_of(data)
    assert found == []


def test_impossible_condition_band_outside_reachable_trust() -> None:
    # Trust starts at 50 and moves by +-10 before 'b': 40..60, never 'high' (70+).
    data = _with_third_option(option("z", "end", 1, when={"band": "high"}))
    text, found = lint_of(data)
    diagnostic = one(found, "impossible-condition")
    assert at(diagnostic) == where(text, "when:\n      band: high", at="band")
    assert "40" in diagnostic.message and "60" in diagnostic.message


def test_band_inside_reachable_trust_is_possible() -> None:
    data = _with_third_option(option("z", "end", 1, when={"band": "mid", "min_trust": 55}))
    _, found = lint_of(data)
    assert found == []


def test_impossible_condition_contradictory_flags() -> None:
    data = _with_third_option(
        option("z", "end", 1, when={"flags": ["seen"], "not_flags": ["seen"]})
    )
    text, found = lint_of(data)
    diagnostic = one(found, "impossible-condition")
    assert at(diagnostic) == where(text, "when:\n      flags:", at="flags")
    assert "both set and not set" in diagnostic.message


def test_impossible_condition_min_above_max() -> None:
    data = _with_third_option(option("z", "end", 1, when={"min_trust": 60, "max_trust": 50}))
    _, found = lint_of(data)
    assert "no possible value" in one(found, "impossible-condition").message


def test_impossible_condition_rupture_never_opened() -> None:
    data = _with_third_option(
        option("z", "end", 1, when={"rupture_open": ["r"]}), ruptures=[rupture("r")]
    )
    _, found = lint_of(data)
    assert "never opened" in one(found, "impossible-condition").message
    assert codes(found) == {"impossible-condition", "unused-rupture"}


def test_few_options_single_option() -> None:
    data = scenario(
        [
            node("a", option("only", "end", 1)),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "few-options")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "  options:\n  - id: only", at="- id")
    assert "at most 1" in diagnostic.message


def test_few_options_when_the_second_can_never_hold() -> None:
    data = scenario(
        [
            node("a", option("x", "end", 1), option("y", "end", 1, when={"flags": ["ghost"]})),
            node("end", ending="done"),
        ]
    )
    _, found = lint_of(data)
    assert codes(found) == {"impossible-condition", "few-options"}


def test_maybe_no_options() -> None:
    data = scenario(
        [
            node("a", option("x", "b", 10), option("y", "b", -10)),
            node(
                "b",
                option("p", "end", 1, when={"min_trust": 50}),
                option("q", "end", -1, when={"max_trust": 49}),
            ),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "maybe-no-options")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "  options:\n  - id: p", at="- id")


# -- unused things and defaults ------------------------------------------------------------------


def test_unused_ending() -> None:
    data = scenario(
        endings=[
            {"id": "done", "title": "Done", "description": "D."},
            {"id": "spare", "title": "Spare", "description": "S."},
        ]
    )
    text, found = lint_of(data)
    diagnostic = one(found, "unused-ending")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "- id: spare", at="spare")


def test_unused_skill() -> None:
    data = scenario(skills=["humility", "repair"])
    text, found = lint_of(data)
    diagnostic = one(found, "unused-skill")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "skills:\n- humility\n- repair", at="repair")
    assert "'repair'" in diagnostic.message


def test_ending_no_default() -> None:
    data = scenario(
        endings=[
            {"id": "good", "title": "Good", "description": "G."},
            {"id": "done", "title": "Done", "description": "D."},
        ]
    )
    data["nodes"][1]["ending"] = [
        {"when": {"band": "high"}, "ending": "good"},
        {"when": {"band": "low"}, "ending": "done"},
    ]
    text, found = lint_of(data)
    diagnostic = one(found, "ending-no-default")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "  ending:\n  - when:", at="- when")


def test_ending_with_default_is_fine() -> None:
    data = scenario(
        endings=[
            {"id": "good", "title": "Good", "description": "G."},
            {"id": "done", "title": "Done", "description": "D."},
        ]
    )
    data["nodes"][1]["ending"] = [{"when": {"band": "mid"}, "ending": "good"}, {"ending": "done"}]
    assert lint_of(data)[1] == []


def test_ambiguous_id_node_and_ending() -> None:
    data = scenario(endings=[{"id": "end", "title": "End", "description": "E."}])
    data["nodes"][1]["ending"] = "end"
    text, found = lint_of(data)
    diagnostic = one(found, "ambiguous-id")
    assert diagnostic.severity is Severity.WARNING
    assert at(diagnostic) == where(text, "- id: end", at="end")


# -- the trust range analysis behind band checks ---------------------------------------------------


def test_trust_ranges_clamp_and_widen() -> None:
    data = scenario(
        [
            node("a", option("up", "b", 80), option("down", "b", -80)),
            node("b", option("x", "end", 0), option("y", "end", 0)),
            node("end", ending="done"),
        ]
    )
    ranges = trust_ranges(load_dict(data))
    assert ranges["a"] == (50, 50)
    assert ranges["b"] == (0, 100)
    assert ranges["end"] == (0, 100)


def test_trust_ranges_terminate_on_cycles() -> None:
    data = scenario(
        [
            node("a", option("again", "a", 7), option("on", "end", 0)),
            node("end", ending="done"),
        ]
    )
    ranges = trust_ranges(load_dict(data))
    assert ranges["a"] == (50, 100)


@pytest.mark.parametrize("band", ["low", ["low"], ["low", "guarded-typo"]])
def test_band_lists_and_single_bands_both_checked(band: Any) -> None:
    data = _with_third_option(option("z", "end", 1, when={"band": band}))
    _, found = lint_of(clone(data))
    # 'low' is 0-39 and trust at 'b' is always 40-60.
    expected = {"impossible-condition"}
    if isinstance(band, list) and len(band) > 1:
        expected.add("unknown-band")
    assert codes(found) == expected


def test_impossible_condition_rupture_never_repaired() -> None:
    data = scenario(
        [
            node("a", option("x", "b", 1), option("y", "b", -1, "harmful", open_rupture="r")),
            node(
                "b",
                option("p", "end", 1),
                option("q", "end", -1),
                option("z", "end", 1, when={"rupture_repaired": ["r"]}),
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )
    text, found = lint_of(data)
    diagnostic = one(found, "impossible-condition")
    assert at(diagnostic) == where(text, "when:\n      rupture_repaired", at="rupture_repaired")
    assert "never repaired" in diagnostic.message


def test_a_flag_and_not_flag_pair_is_not_maybe_no_options_but_is_one_choice() -> None:
    data = scenario(
        [
            node("a", option("x", "b", 0, set_flags=["asked"]), option("y", "b", 0)),
            node(
                "b",
                option("p", "end", 1, when={"flags": ["asked"]}),
                option("q", "end", -1, when={"not_flags": ["asked"]}),
            ),
            node("end", ending="done"),
        ]
    )
    # Never stuck (one of the pair always holds), but only one option is ever on offer.
    assert [d.code for d in lint_of(data)[1]] == ["few-options"]


def test_impossible_condition_on_a_line_and_an_ending_choice() -> None:
    # Trust is 40-60 at 'b' and 'end': 'high' (70+) can never hold there.
    data = scenario(
        [
            node("a", option("x", "b", 10), option("y", "b", -10)),
            node(
                "b",
                option("p", "end", 0),
                option("q", "end", 0),
                lines=[{"when": {"band": "high"}, "say": "Never shown."}, {"say": "Shown."}],
            ),
            node("end", ending=[{"when": {"band": "high"}, "ending": "good"}, {"ending": "done"}]),
        ],
        endings=[
            {"id": "good", "title": "Good", "description": "G."},
            {"id": "done", "title": "Done", "description": "D."},
        ],
    )
    text, found = lint_of(data)
    impossible = only(found, "impossible-condition")
    assert [at(d) for d in impossible] == [
        where(text, "- when:\n      band: high", at="band"),
        where(text, "  - when:\n      band: high", 2, at="band"),
    ]
    assert all("can never hold" in d.message for d in impossible)
    assert codes(found) == {"impossible-condition"}


def test_rupture_required_open_and_not_open() -> None:
    data = _with_third_option(
        option("z", "end", 1, when={"rupture_open": ["r"], "rupture_not_open": ["r"]}),
        ruptures=[rupture("r")],
    )
    data["nodes"][0]["options"][1]["effects"]["open_rupture"] = "r"
    _, found = lint_of(data)
    diagnostic = one(found, "impossible-condition")
    assert "both open and not open" in diagnostic.message


def test_unknown_rupture_in_rupture_not_open() -> None:
    data = _with_third_option(option("z", "end", 1, when={"rupture_not_open": ["nope"]}))
    _, found = lint_of(data)
    assert "'nope'" in one(found, "unknown-rupture").message
