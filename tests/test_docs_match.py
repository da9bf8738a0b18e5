"""The docs say what the program does: the shipped schema and the messages the docs quote.

Messages are compared with runs of spaces and line breaks made single spaces, since the docs
wrap long quotes over lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.diagnostics import ScenarioError
from roleplay.core.graph import to_dot, to_mermaid
from roleplay.core.loader import load_bytes
from roleplay.core.schema import schema_json

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MINI = ROOT / "tests" / "data" / "mini.yaml"
MINI_TEXT = MINI.read_text(encoding="utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def messages(old: str, new: str) -> list[str]:
    assert MINI_TEXT.count(old) == 1, old
    raw = MINI_TEXT.replace(old, new).encode("utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_bytes(raw, Path("t.yaml"))
    return [d.message for d in caught.value.diagnostics]


def test_shipped_schema_is_what_roleplay_schema_prints() -> None:
    # `roleplay schema` prints schema_json() and a newline; regenerate with
    # `roleplay schema > docs/scenario.schema.json` after changing the models.
    shipped = (DOCS / "scenario.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_json() + "\n"


@pytest.mark.parametrize(
    ("old", "new", "quoted"),
    [
        (
            "minutes: 5",
            'minutes: "8"',
            'expected a whole number; YAML read "8" as text; remove the quotes',
        ),
        (
            "title: A small test scenario",
            "title: 2",
            "Input should be a valid string (YAML read 2 as a number; put the text in quotes)",
        ),
        (
            "summary: Used by the tests; exercises every feature of the format.",
            "summary: ~",
            "expected text, which is required; YAML read null (empty)",
        ),
        (
            "          - say: Okay.",
            "          - say: No",
            "Input should be a valid string (YAML read No as a boolean (true/false); put the "
            "text in quotes)",
        ),
    ],
)
def test_messages_quoted_in_the_format_reference_are_real(old: str, new: str, quoted: str) -> None:
    found = messages(old, new)
    assert len(found) == 1 and found[0].endswith(quoted), found
    assert quoted in flat((DOCS / "scenario-format.md").read_text(encoding="utf-8"))


def test_graph_labels_described_in_authoring_are_real() -> None:
    scenario = load_bytes(MINI.read_bytes(), MINI).scenario
    authoring = (DOCS / "authoring.md").read_text(encoding="utf-8")
    assert '-.->|"if"|' in to_mermaid(scenario) and '`-.->|"if"|`' in authoring
    assert 'label="(if)"' in to_dot(scenario) and "`(if)` in DOT" in flat(authoring)
