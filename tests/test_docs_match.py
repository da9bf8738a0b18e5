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


# -- what the learner sees, as the format reference describes it (issue 13 §6) ----------
FORMAT = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
AUTHORING = (DOCS / "authoring.md").read_text(encoding="utf-8")


def test_cues_are_shown_as_documented() -> None:
    from roleplay.core.engine import ShownLine
    from roleplay.core.textreport import line_text
    from roleplay.tui.widgets.transcript import message_content

    alone = line_text(ShownLine(cue="looks at the door"), "Tee")
    with_words = line_text(ShownLine(say="Fine.", cue="looks at the door"), "Tee")
    assert alone == ["Tee: (looks at the door)"] and "`Tee: (looks at the door)`" in FORMAT
    assert with_words == ["Tee: (looks at the door) Fine."]
    assert "`Tee: (looks at the door) ...`" in FORMAT
    app = message_content("Tee", "Fine.", "looks at the door", False).plain
    assert "(looks at the door)" in app  # the app shows the same parentheses
    assert "[looks at the door]" not in FORMAT


def test_kept_line_breaks_are_shown_as_line_breaks() -> None:
    import io

    from roleplay.plain import PlainSession

    raw = MINI_TEXT.replace("introduction: I'm a fixture.", "introduction: |-\n    One.\n    Two.")
    scenario = load_bytes(raw.encode("utf-8"), Path("t.yaml")).scenario
    assert scenario.client.introduction == "One.\nTwo."
    out = io.StringIO()
    PlainSession(scenario, stdin=io.StringIO(""), stdout=out).briefing()
    assert '"One.\nTwo."' in out.getvalue()  # a new line, no blank line between
    assert "are shown as line breaks" in flat(FORMAT)
    assert "paragraph break" not in FORMAT


def test_an_untitled_node_is_shown_by_its_id_made_readable() -> None:
    from roleplay.core.fields import readable

    assert readable("next-steps") == "Next steps"
    assert "`next-steps` shows as `Next steps`" in FORMAT
    scenario = load_bytes(MINI.read_bytes(), MINI).scenario
    untitled = [node for node in scenario.nodes if node.title is None]
    assert untitled and any(node.is_ending for node in untitled)
    for node in untitled:
        assert f'("{readable(node.id)}")' in to_mermaid(scenario) or (
            f'["{readable(node.id)}"]' in to_mermaid(scenario)
        )
        assert f'"{node.id}"' not in to_mermaid(scenario)


def test_the_ending_title_is_shown_where_documented() -> None:
    import io

    from roleplay.plain import PlainSession

    scenario = load_bytes(MINI.read_bytes(), MINI).scenario
    out = io.StringIO()
    assert PlainSession(scenario, stdin=io.StringIO("1\n1\n"), stdout=out).run() == 0
    text = out.getvalue()
    ending = next(e for e in scenario.endings if f"--- {e.title} ---" in text)
    assert text.index(f"--- {ending.title} ---") < text.index("=== Debrief ===")
    assert text.index("=== Debrief ===") < text.index(f"Ending: {ending.title}")
    assert "Shown at the top of the debrief" in FORMAT
    assert "Shown when the scenario ends" not in FORMAT


def test_roleplays_own_debrief_questions_are_documented() -> None:
    from roleplay.core.debrief import (
        ACTION_QUESTION,
        REACTION_QUESTION,
        SUPERVISION_QUESTION,
        closing_questions,
        opening_questions,
    )

    documented = flat(FORMAT)
    for question in (REACTION_QUESTION, ACTION_QUESTION, SUPERVISION_QUESTION):
        assert f'"{question}"' in documented, question
    # ... and a prompt that asks one of them, in the words the reference names, replaces it.
    assert opening_questions(["How are you feeling now?"]) == []
    assert closing_questions(["What would you do differently?"]) == [SUPERVISION_QUESTION]
    assert closing_questions(["What would you take to supervision?"]) == [ACTION_QUESTION]
    for words in ('"how are you feeling"', '"differently"', '"next time"', '"supervis"'):
        assert words in documented


def test_the_schema_modeline_is_what_roleplay_new_writes(tmp_path: Path) -> None:
    from roleplay.core.template import write_template

    first = write_template("first-visit", tmp_path / "drafts").read_text(encoding="utf-8")
    line = first.splitlines()[0]
    assert line == "# yaml-language-server: $schema=./scenario.schema.json"
    assert f"```yaml\n{line}\n```" in AUTHORING and f"```yaml\n{line}\n```" in FORMAT
    # In roleplay's own scenarios/ folder it names the copy in docs/, as the review
    # checklist and every bundled scenario do.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scenario.schema.json").write_text("{}", encoding="utf-8")
    bundled = write_template("new-one", tmp_path / "scenarios").read_text(encoding="utf-8")
    line = bundled.splitlines()[0]
    assert line == "# yaml-language-server: $schema=../docs/scenario.schema.json"
    assert not (tmp_path / "scenarios" / "scenario.schema.json").exists()
    guide = (DOCS / "content-guide.md").read_text(encoding="utf-8")
    assert f"`{line}`" in guide and f"```yaml\n{line}\n```" in FORMAT
    for scenario in (ROOT / "scenarios").glob("*.yaml"):
        assert scenario.read_text(encoding="utf-8").splitlines()[0] == line, scenario.name


def test_validate_json_names_a_broken_file_by_its_path_and_no_id(tmp_path: Path) -> None:
    import json

    from cli_kit import run_cli

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: not-the-file-name\ntitle: 3\n", encoding="utf-8")
    result = run_cli("validate", str(broken), str(MINI), "--format", "json")
    assert result.returncode == 1
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert files[str(broken)]["id"] is None and not files[str(broken)]["ok"]
    assert files[str(MINI)]["id"] == "mini"
    assert "`null` for a file that could not be loaded" in flat(AUTHORING)
