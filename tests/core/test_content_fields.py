"""The content fields of issue 14/15: moves, examples, calibration notes, speakers, reviews,
and the language tag; plus the moves vocabulary and its table in the content guide."""

from __future__ import annotations

import re
from typing import Any

import pytest
from scenario_kit import (
    ROOT,
    at,
    dump,
    errors_of,
    load_dict,
    load_text,
    node,
    option,
    scenario,
    where,
)

from roleplay.core.fields import is_language_tag
from roleplay.core.models import Rating, Review
from roleplay.core.moves import RATING_RANGES, moves
from roleplay.core.schema import scenario_schema


def _tagged(**extra: Any) -> dict[str, Any]:
    first = option("good", "end", 6)
    first.update(extra)
    return scenario(
        [node("a", first, option("bad", "end", -6, "harmful")), node("end", ending="done")]
    )


def test_option_fields_load() -> None:
    data = _tagged(
        move="explain-confidentiality-limits",
        examples=["what stays private is", "ok so the limits are", "Before you tell me..."],
        calibration_note="Said at the right moment.",
    )
    option_ = load_dict(data).nodes[0].options[0]
    assert option_.move == "explain-confidentiality-limits"
    assert option_.examples[1] == "ok so the limits are"
    assert option_.calibration_note == "Said at the right moment."


def test_unknown_move_is_an_error_naming_the_vocabulary() -> None:
    text = dump(_tagged(move="promise-confidentiality"))
    (found,) = errors_of(text)
    assert found.code == "unknown-move"
    assert "promise-total-confidentiality" in found.message
    assert at(found) == where(text, "move: promise-confidentiality", at="promise")


def test_speakers_and_reviews_load() -> None:
    data = scenario()
    data["speakers"] = ["Amina (his daughter)"]
    data["version"] = "2"
    data["provenance"] = {
        "authors": ["tests"],
        "review_status": "reviewed",
        "reviews": [{"role": "Lived-experience reviewer", "date": "2026-03-14", "version": "2"}],
    }
    loaded = load_dict(data)
    assert loaded.speakers == ["Amina (his daughter)"]
    review = loaded.provenance.reviews[0]
    assert isinstance(review, Review)
    assert review.date.isoformat() == "2026-03-14" and review.version == "2"


def test_a_yaml_date_is_read_as_a_date() -> None:
    text = dump(scenario()).replace(
        "  authors:\n  - tests\n",
        "  authors:\n  - tests\n  reviews:\n  - {role: Panel, date: 2026-03-14, version: '1'}\n",
    )
    assert load_text(text).scenario.provenance.reviews[0].date.year == 2026


def test_reviewed_needs_a_review() -> None:
    data = scenario()
    data["provenance"] = {"authors": ["tests"], "review_status": "reviewed"}
    (found,) = errors_of(dump(data))
    assert found.code == "reviewers-missing"
    assert "'reviews'" in found.message


def test_a_review_needs_role_date_and_version() -> None:
    data = scenario()
    data["provenance"] = {"authors": ["tests"], "reviews": [{"role": "Panel"}]}
    found = errors_of(dump(data))
    assert {d.code for d in found} == {"missing-key"}
    assert {d.message.split("'")[1] for d in found} == {"date", "version"}


def test_the_old_reviewers_list_still_loads() -> None:
    data = scenario()
    data["provenance"] = {
        "authors": ["tests"],
        "review_status": "reviewed",
        "reviewers": ["A peer panel"],
    }
    assert load_dict(data).provenance.reviewers == ["A peer panel"]


@pytest.mark.parametrize(
    "tag", ["en", "en-GB", "pt-BR", "zh-Hant-TW", "zh-yue-HK", "es-419", "x-klingon", "de-CH-1996"]
)
def test_well_formed_language_tags(tag: str) -> None:
    assert is_language_tag(tag)
    data = scenario()
    data["language"] = tag
    assert load_dict(data).language == tag


@pytest.mark.parametrize("tag", ["en_GB", "english", "e", "en-", "en--GB", "12", "en-GB-"])
def test_malformed_language_tags_are_errors(tag: str) -> None:
    data = scenario()
    data["language"] = tag
    text = dump(data)
    (found,) = errors_of(text)
    assert found.code == "invalid-language"
    assert found.line == where(text, "language:")[0]
    if "_" in tag:
        assert "hyphen" in found.message


def test_the_schema_checks_language_tags_as_the_loader_does() -> None:
    pattern = scenario_schema()["properties"]["language"]["pattern"]
    for tag in ["en", "EN-gb", "zh-Hant-TW", "x-klingon", "X-Klingon", "de-CH-x-phonebk"]:
        assert re.match(pattern, tag) and is_language_tag(tag), tag
    for tag in ["en_GB", "english", "en-"]:
        assert not re.match(pattern, tag) and not is_language_tag(tag), tag


def test_empty_options_beside_an_ending_is_the_node_kind_error() -> None:
    data = scenario()
    data["nodes"][1]["options"] = []
    text = dump(data)
    (found,) = errors_of(text)
    assert found.code == "node-kind"


# -- the vocabulary ----------------------------------------------------------------------


def test_every_move_has_a_calibration_consistent_with_its_rating() -> None:
    assert len(moves()) == 16
    for move in moves().values():
        for calibration in filter(None, (move.default, move.exception)):
            Rating(calibration.rating)  # a real rating
            assert calibration.low <= calibration.high, move.id
        if move.exception is not None:
            assert move.exception.rating != move.default.rating, move.id
            assert move.exception.when, move.id
    assert set(RATING_RANGES) == {rating.value for rating in Rating}


def _guide_table() -> dict[str, tuple[str, str, str]]:
    guide = (ROOT / "docs" / "content-guide.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| ([a-z-]+) \| ([-+0-9.]+) \| (.+) \|$", guide, re.M)
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _span(low: int, high: int) -> str:
    return f"{low:+d}..{high:+d}".replace("+0", "0")


def test_the_content_guide_table_is_the_vocabulary() -> None:
    table = _guide_table()
    assert list(table) == list(moves())
    for move in moves().values():
        rating, trust, exception = table[move.id]
        assert (rating, trust) == (move.default.rating, _span(move.default.low, move.default.high))
        if move.exception is None:
            assert exception == "none", move.id
        else:
            expected = f"{move.exception.rating} ({_span(move.exception.low, move.exception.high)})"
            assert exception.startswith(expected), (move.id, exception)
