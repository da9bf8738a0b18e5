"""Whole numbers are never guessed from other YAML values, and wrong shapes say what to write.

Each case edits the mini scenario, then checks the one message (exactly, as the author reads
it) and that it points at the value at fault.
"""

from __future__ import annotations

import pytest
from scenario_kit import MINI, at, errors_of, where

from roleplay.core.schema import scenario_schema

MINI_TEXT = MINI.read_text(encoding="utf-8")
CLOSE_ENDING = (
    "    ending:\n"
    "      - when: {band: open}\n"
    "        ending: good\n"
    "      - when: {rupture_open: [name-missed]}\n"
    "        ending: strained\n"
    "      - ending: neutral\n"
)
WARM_OPTION = MINI_TEXT[
    MINI_TEXT.index("      - id: warm\n") : MINI_TEXT.index("      - id: wrong-name")
]
SLUG_HELP = "lower-case letters and digits joined by single hyphens, such as first-visit"


def edited(old: str, new: str) -> str:
    assert MINI_TEXT.count(old) == 1, old
    return MINI_TEXT.replace(old, new)


def only_error(text: str) -> tuple[str, tuple[int, int]]:
    found = errors_of(text)
    assert len(found) == 1, [str(d) for d in found]
    assert found[0].code == "invalid-value"
    return found[0].message, at(found[0])


@pytest.mark.parametrize(
    ("old", "new", "value", "message"),
    [
        (
            "effects: {trust: 10, set_flags",
            "effects: {trust: yes, set_flags",
            "yes",
            "nodes[0].options[0].effects.trust: expected a whole number; YAML read yes as a "
            "boolean (true/false); write a whole number in digits, such as 10",
        ),
        (
            "  age: 30",
            "  age: true",
            "true",
            "client.age: expected a whole number; YAML read true as a boolean (true/false); "
            "write a whole number in digits, such as 10",
        ),
        (
            "  age: 30",
            "  age: 34.0",
            "34.0",
            "client.age: expected a whole number; YAML read 34.0 as a decimal number; write 34",
        ),
        (
            "minutes: 5",
            'minutes: "8"',
            '"8"',
            'minutes: expected a whole number; YAML read "8" as text; remove the quotes',
        ),
        (
            "  start: 40",
            "  start: '6'",
            "'6'",
            "trust.start: expected a whole number; YAML read '6' as text; remove the quotes",
        ),
        (
            "{id: cautious, min: 35}",
            "{id: cautious, min: 35.5}",
            "35.5",
            "trust.bands[1].min: expected a whole number; YAML read 35.5 as a decimal number; "
            "write a whole number in digits, such as 10",
        ),
        (
            "{band: [cautious, open]}",
            '{band: [cautious, open], min_trust: "60"}',
            '"60"',
            'nodes[1].options[2].when.min_trust: expected a whole number; YAML read "60" as '
            "text; remove the quotes",
        ),
        (
            "minutes: 5",
            "minutes: ten",
            "ten",
            "minutes: expected a whole number; YAML read ten as text; write a whole number in "
            "digits, such as 10",
        ),
    ],
)
def test_whole_numbers_are_strict(old: str, new: str, value: str, message: str) -> None:
    text = edited(old, new)
    assert only_error(text) == (message, where(text, new, at=value))


def test_whole_numbers_stay_integers_in_the_schema() -> None:
    schema = scenario_schema()
    assert schema["properties"]["minutes"]["type"] == "integer"
    assert schema["$defs"]["Effects"]["properties"]["trust"]["type"] == "integer"
    assert {"minimum": 0, "maximum": 100, "type": "integer"} in (
        schema["$defs"]["Condition"]["properties"]["min_trust"]["anyOf"]
    )


def test_empty_ending_list_says_what_an_ending_is() -> None:
    text = edited(CLOSE_ENDING, "    ending: []\n")
    assert only_error(text) == (
        "nodes[2].ending: an ending is an ending id, or a list of {when, ending} choices with "
        "at least one entry; YAML read [] (an empty list)",
        where(text, "ending: []", at="[]"),
    )


def test_ending_of_the_wrong_type_gives_one_message() -> None:
    text = edited(CLOSE_ENDING, "    ending: 5\n")
    message, position = only_error(text)
    assert message.endswith("with at least one entry; YAML read 5 as a number")
    assert position == where(text, "ending: 5", at="5")


def test_ending_choice_with_empty_list_asks_for_an_id() -> None:
    text = edited("      - ending: neutral\n", "      - ending: []\n")
    assert only_error(text) == (
        f"nodes[2].ending[2].ending: expected an id ({SLUG_HELP}), which is required; "
        "YAML read [] (an empty list)",
        where(text, "- ending: []", at="[]"),
    )


def test_option_written_as_plain_text_lists_the_keys() -> None:
    text = edited(WARM_OPTION, "      - Hello\n")
    assert only_error(text) == (
        "nodes[0].options[0]: expected an Option mapping with the keys text, next, feedback "
        "(required) and id, when, effects, reaction, move, examples, calibration_note (optional); "
        "YAML read Hello as text",
        where(text, "- Hello", at="Hello"),
    )


@pytest.mark.parametrize("empty", ["id: null", "id:"])
def test_null_id_says_an_id_is_required(empty: str) -> None:
    message, position = only_error(edited("id: mini\n", f"{empty}\n"))
    assert message == (
        f"id: expected an id ({SLUG_HELP}), which is required; YAML read null (empty)"
    )
    assert position[0] == 1


def test_null_optional_text_suggests_leaving_it_out() -> None:
    text = edited('version: "2"', "version: ~")
    assert only_error(text) == (
        "version: expected text (or leave the key out); YAML read null (empty)",
        where(text, "version: ~", at="~"),
    )


def test_bad_id_says_what_an_id_looks_like() -> None:
    text = edited("start: hello", "start: Hello there")
    assert only_error(text) == (
        f"start: 'Hello there' is not a valid id: {SLUG_HELP}",
        where(text, "start: Hello there", at="Hello"),
    )


def test_text_hint_shows_the_value_as_written() -> None:
    text = edited("          - say: Okay.", "          - say: No")
    assert only_error(text) == (
        "nodes[0].options[0].reaction[0].say: Input should be a valid string (YAML read No as "
        "a boolean (true/false); put the text in quotes)",
        where(text, "- say: No", at="No"),
    )
