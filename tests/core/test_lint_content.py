"""The content rules (roleplay.core.lint_content): each warning, where it points, and the
cases that must stay quiet."""

from __future__ import annotations

from typing import Any

import pytest
from scenario_kit import at, dump, findings, node, one, only, option, rupture, scenario, where

from roleplay.core.diagnostics import Diagnostic, Severity
from roleplay.core.lint_content import CODES


def lint_of(data: dict[str, Any]) -> tuple[str, list[Diagnostic]]:
    text = dump(data)
    return text, [d for d in findings(text) if d.code in CODES]


def two_step(*first: dict[str, Any], second: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Two decision points then an ending; ``first`` are the first point's options."""
    second = second or [option("on", "end", 5), option("off", "end", -3, "missed-opportunity")]
    return scenario([node("a", *first), node("b", *second), node("end", ending="done")])


def test_a_clean_scenario_has_no_content_findings() -> None:
    assert lint_of(scenario())[1] == []
    for found in lint_of(scenario())[1]:
        assert found.severity is Severity.WARNING


# -- calibration --------------------------------------------------------------------------------
def test_a_move_outside_its_default_is_a_warning_at_the_move() -> None:
    bad = option("promise", "end", -10, "harmful", open_rupture="r")
    bad["move"] = "promise-total-confidentiality"
    data = scenario(
        [node("a", option("good", "end", 8), bad), node("end", ending="done")],
        ruptures=[rupture("r")],
    )
    text, found = lint_of(data)
    warning = one(found, "move-calibration")
    assert at(warning) == where(text, "move: promise-total-confidentiality", at="promise")
    assert "missed-opportunity, trust -6..-2 by default" in warning.message
    assert "harmful, trust -12..-6" in warning.message  # names the exception
    assert "harmful, trust -10" in warning.message


def test_a_calibration_note_accepts_the_departure() -> None:
    bad = option("promise", "end", -10, "harmful", open_rupture="r")
    bad["move"] = "promise-total-confidentiality"
    bad["calibration_note"] = "A court report is due next week: the promise will be broken."
    data = scenario(
        [node("a", option("good", "end", 8), bad), node("end", ending="done")],
        ruptures=[rupture("r")],
    )
    assert lint_of(data)[1] == []


def test_a_move_inside_its_default_is_quiet() -> None:
    good = option("limits", "end", 7)
    good["move"] = "explain-confidentiality-limits"
    data = scenario(
        [node("a", good, option("x", "end", -2, "missed-opportunity")), node("end", ending="done")]
    )
    assert lint_of(data)[1] == []


@pytest.mark.parametrize(
    ("rating", "trust", "code"),
    [
        ("missed-opportunity", 2, "rating-sign"),
        ("harmful", 1, "rating-sign"),
        ("builds-trust", -1, "rating-sign"),
        ("builds-trust", 14, "rating-range"),
        ("missed-opportunity", -9, "rating-range"),
        ("partly-helpful", 6, "rating-range"),
        ("harmful", -3, "rating-range"),
    ],
)
def test_an_untagged_option_is_checked_against_its_ratings_range(
    rating: str, trust: int, code: str
) -> None:
    odd = option("odd", "end", trust, rating, set_flags=["f"])
    data = scenario(
        [
            node("a", option("good", "end", 5), odd),
            node(
                "end",
                lines=[{"say": "Bye.", "when": {"flags": ["f"]}}, {"say": "Bye."}],
                ending="done",
            ),
        ]
    )
    text, found = lint_of(data)
    warning = one(found, code)
    assert at(warning) == where(text, f"trust: {trust}", at=str(trust))
    assert {d.code for d in found} == {code}


# -- length -----------------------------------------------------------------------------------
def _long(oid: str, words: int) -> str:
    return " ".join([oid] * words)


def test_the_best_reply_longest_at_more_than_half_of_the_decision_points() -> None:
    def point(nid: str, nxt: str, best_longer: bool) -> dict[str, Any]:
        good = option("good", nxt, 5, text=_long("good", 12 if best_longer else 4))
        bad = option("bad", nxt, -3, "missed-opportunity", text=_long("bad", 8))
        return node(nid, good, bad)

    data = scenario(
        [
            point("a", "b", True),
            point("b", "c", True),
            point("c", "end", False),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    warning = one(found, "longest-is-best")
    assert "at 2 of 3 decision points (a, b)" in warning.message
    assert at(warning) == where(text, "- id: a")
    data["nodes"][1]["options"][0]["text"] = _long("good", 8)  # a tie does not count
    assert only(lint_of(data)[1], "longest-is-best") == []


def test_too_long_say_and_option_text() -> None:
    data = scenario(
        [
            node(
                "a",
                option("good", "end", 5, text=_long("w", 61)),
                option("bad", "end", -3, "missed-opportunity", text=_long("v", 60)),
                lines=[{"variants": [{"say": _long("s", 70)}]}],
            ),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    long = only(found, "too-long")
    assert [at(d) for d in long] == [
        where(text, "say: s s", at="s s"),
        where(text, "text: w w", at="w w"),
    ]
    assert "70 words" in long[0].message and "61 words" in long[1].message


def test_more_than_four_options_on_offer() -> None:
    opts = [option(f"o{i}", "end", 3) for i in range(5)]
    _, found = lint_of(scenario([node("a", *opts), node("end", ending="done")]))
    assert "5 options can be on offer at once" in one(found, "too-many-options").message


def test_five_options_of_which_never_more_than_four_together_is_fine() -> None:
    opts = [option(f"o{i}", "b", 3) for i in range(3)]
    opts.append(option("if-asked", "b", 3, when={"flags": ["asked"]}))
    opts.append(option("if-not", "b", 3, when={"not_flags": ["asked"]}))
    first = [
        option("ask", "a", 3, set_flags=["asked"]),
        option("skip", "a", 0, "missed-opportunity"),
    ]
    data = scenario(
        [
            node("s", *first),
            node("a", *opts),
            node("b", option("x", "end", 3), option("y", "end", 3)),
            node("end", ending="done"),
        ]
    )
    assert only(lint_of(data)[1], "too-many-options") == []
    # trust windows that cannot overlap also keep options apart
    opts[3]["when"] = {"max_trust": 30}
    opts[4]["when"] = {"min_trust": 60}
    assert only(lint_of(data)[1], "too-many-options") == []


# -- traces and repair ------------------------------------------------------------------------
def test_harmful_with_no_trace() -> None:
    data = scenario(
        [
            node("a", option("good", "end", 5), option("bad", "end", -8, "harmful")),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    assert at(one(found, "harmful-no-trace")) == where(text, "rating: harmful", at="harmful")


def test_harmful_that_sets_a_flag_nobody_reads_still_leaves_no_trace() -> None:
    bad = option("bad", "end", -8, "harmful", set_flags=["hurt"])
    data = scenario([node("a", option("good", "end", 5), bad), node("end", ending="done")])
    assert {d.code for d in lint_of(data)[1]} == {"harmful-no-trace", "unread-flag"}
    data["nodes"][1]["lines"] = [{"say": "Hm.", "when": {"flags": ["hurt"]}}, {"say": "Bye."}]
    assert lint_of(data)[1] == []


def _repair_data(guarded: bool) -> dict[str, Any]:
    repair = option("repair", "end", 8, repair_rupture="r")
    if guarded:
        repair["when"] = {"rupture_open": ["r"]}
    return scenario(
        [
            node("a", option("good", "b", 5), option("bad", "b", -8, "harmful", open_rupture="r")),
            node(
                "b", repair, option("on", "end", 4), option("off", "end", -2, "missed-opportunity")
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )


def test_a_repair_offered_when_nothing_needs_repairing() -> None:
    text, found = lint_of(_repair_data(guarded=False))
    warning = one(found, "unguarded-repair")
    assert at(warning) == where(text, "repair_rupture: r", at="r")
    assert "rupture_open: [r]" in warning.message
    assert lint_of(_repair_data(guarded=True))[1] == []


def test_a_flag_set_only_with_the_rupture_is_a_guard_too() -> None:
    data = _repair_data(guarded=False)
    data["nodes"][0]["options"][1]["effects"]["set_flags"] = ["hurt"]
    data["nodes"][1]["options"][0]["when"] = {"flags": ["hurt"]}
    assert lint_of(data)[1] == []
    # ...but not a flag that other choices set as well
    data["nodes"][0]["options"][0]["effects"]["set_flags"] = ["hurt"]
    assert only(lint_of(data)[1], "unguarded-repair") != []


def test_a_repair_reachable_only_after_the_rupture_needs_no_guard() -> None:
    data = scenario(
        [
            node(
                "a",
                option("good", "end", 5),
                option("bad", "sorry", -8, "harmful", open_rupture="r"),
            ),
            node(
                "sorry",
                option("repair", "end", 8, repair_rupture="r"),
                option("shrug", "end", -2, "missed-opportunity"),
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )
    assert lint_of(data)[1] == []


# -- flags and speakers -----------------------------------------------------------------------
def test_unknown_and_unread_flags() -> None:
    data = two_step(
        option("good", "b", 5, set_flags=["kept"], clear_flags=["ghost"]),
        option("bad", "b", -3, "missed-opportunity", set_flags=["lost"]),
    )
    data["nodes"][1]["lines"] = [
        {"say": "Yes.", "when": {"flags": ["kept"], "not_flags": ["phantom"]}},
        {"say": "Hm."},
    ]
    text, found = lint_of(data)
    unknown = only(found, "unknown-flag")
    assert [at(d) for d in unknown] == [
        where(text, "- ghost", at="ghost"),
        where(text, "- phantom", at="phantom"),
    ]
    assert at(one(found, "unread-flag")) == where(text, "- lost", at="lost")


def test_undeclared_speaker_and_declared_one() -> None:
    data = scenario()
    data["nodes"][0]["lines"] = [
        {"speaker": "Amina", "say": "He says hello."},
        {"variants": [{"speaker": "Amnia", "say": "Typo."}]},
    ]
    data["speakers"] = ["Amina"]
    text, found = lint_of(data)
    warning = one(found, "undeclared-speaker")
    assert at(warning) == where(text, "speaker: Amnia", at="Amnia")


# -- examples ---------------------------------------------------------------------------------
def test_a_file_without_examples_gets_one_summary_warning() -> None:
    data = scenario(
        [
            node(
                "a",
                option("g", "b", 5, examples=[]),
                option("m", "b", -2, "missed-opportunity", examples=[]),
            ),
            node(
                "b",
                option("x", "end", 5, examples=[]),
                option("y", "end", -2, "missed-opportunity", examples=[]),
            ),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    warning = one(found, "few-examples")
    assert "no option has 'examples' (4 options)" in warning.message
    assert at(warning) == where(text, "- id: a")


def test_an_option_with_fewer_than_three_examples() -> None:
    data = scenario(
        [
            node(
                "a",
                option("g", "end", 5),
                option("m", "end", -2, "missed-opportunity", examples=["one", "two"]),
                option("n", "end", -1, "missed-opportunity", examples=[]),
            ),
            node("end", ending="done"),
        ]
    )
    text, found = lint_of(data)
    few = only(found, "few-examples")
    assert [at(d) for d in few] == [
        where(text, "- one"),
        where(text, "text: Say n.", at="Say"),
    ]
    assert "2 example(s)" in few[0].message


# -- reviews ----------------------------------------------------------------------------------
def test_reviewers_are_deprecated_and_reviews_must_cover_the_version() -> None:
    data = scenario()
    data["version"] = "3"
    data["provenance"] = {
        "authors": ["tests"],
        "review_status": "reviewed",
        "reviews": [{"role": "Panel", "date": "2026-01-02", "version": "2"}],
        "reviewers": ["Panel"],
    }
    text, found = lint_of(data)
    assert one(found, "reviewers-deprecated").line == where(text, "reviewers:")[0] + 1
    outdated = one(found, "review-outdated")
    assert "version '3'" in outdated.message and "reviewed: 2" in outdated.message
    data["provenance"]["reviews"][0]["version"] = "3"
    del data["provenance"]["reviewers"]
    assert lint_of(data)[1] == []
