"""Loading and validation: every bad input gives the right code, line and column.

Inputs are written as text in the tests; expected positions are computed from the text
with ``where`` (1-based, as editors count) rather than hard-coded where the text is long.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from scenario_kit import FILE, MINI, at, errors_of, one, where

from roleplay.core import yamlsource
from roleplay.core.diagnostics import Diagnostic, ScenarioError, Severity
from roleplay.core.loader import check_file, load_bytes, load_scenario
from roleplay.core.yamlsource import parse_text

MINI_TEXT = MINI.read_text(encoding="utf-8")


def mini_with(old: str, new: str, count: int = 1) -> str:
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, count)


def single(text: str | bytes) -> Diagnostic:
    found = errors_of(text)
    assert len(found) == 1, [str(d) for d in found]
    return found[0]


# -- a valid file ----------------------------------------------------------------------------


def test_valid_file_loads_with_digest_and_no_findings() -> None:
    loaded = load_scenario(MINI)
    assert loaded.scenario.id == "mini"
    assert loaded.scenario.version == "2"
    assert [n.id for n in loaded.scenario.nodes] == ["hello", "middle", "close"]
    assert loaded.warnings == []
    assert loaded.digest == hashlib.sha256(MINI.read_bytes()).hexdigest()
    assert loaded.path == MINI


def test_check_file_on_valid_file_returns_scenario() -> None:
    loaded, diagnostics = check_file(MINI)
    assert loaded is not None and loaded.scenario.id == "mini"
    assert diagnostics == []


def test_source_map_points_at_values_and_keys() -> None:
    source = parse_text(MINI_TEXT, str(MINI)).source
    assert source.locate(("nodes", 1, "id")) == where(MINI_TEXT, "- id: middle", at="middle")
    assert source.locate(("minutes",), key=True) == where(MINI_TEXT, "minutes: 5")
    # A path that does not exist falls back to its nearest ancestor.
    assert source.locate(("client", "nope")) == source.locate(("client",))
    assert load_scenario(MINI).id_position == where(MINI_TEXT, "id: mini", at="mini")


def test_utf8_bom_is_accepted() -> None:
    loaded = load_bytes(b"\xef\xbb\xbf" + MINI.read_bytes(), Path(FILE))
    assert loaded.scenario.id == "mini"


# -- YAML-level problems ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pos"),
    [
        ("id: x\n  title: y\n", (2, 8)),  # the ':' of the wrongly indented key
        ("id: x\ntitle: [a, b\nsummary: c\n", (3, 8)),  # flow list never closed
        ("a:\n- b\nc: d\n  e: f\n", (4, 4)),
    ],
)
def test_yaml_syntax_error_position(text: str, pos: tuple[int, int]) -> None:
    found = single(text)
    assert found.code == "yaml-syntax"
    assert found.severity is Severity.ERROR
    assert at(found) == pos
    assert found.message.startswith("YAML syntax:")


def test_duplicate_key_points_at_second_and_names_first() -> None:
    text = mini_with("minutes: 5\n", "minutes: 5\ndifficulty: intro\n")
    found = single(text)
    assert found.code == "duplicate-key"
    first = where(text, "difficulty: intro", 1)
    assert at(found) == where(text, "difficulty: intro", 2)
    assert f"line {first[0]}" in found.message
    assert "'difficulty'" in found.message


def test_duplicate_key_nested() -> None:
    text = mini_with("  age: 30\n", "  age: 30\n  age: 31\n")
    found = single(text)
    assert found.code == "duplicate-key"
    assert at(found) == where(text, "  age: 31", at="age")
    assert f"line {where(text, 'age: 30')[0]}" in found.message


def test_unknown_key_suggests_nearest() -> None:
    text = mini_with("summary:", "sumary:")
    found = [d for d in errors_of(text) if d.code == "unknown-key"]
    assert len(found) == 1
    assert at(found[0]) == where(text, "sumary:")
    assert "did you mean 'summary'?" in found[0].message


def test_unknown_nested_key_suggests_nearest_in_its_model() -> None:
    text = mini_with(
        "effects: {trust: 10, set_flags: [welcomed]}", "effects: {trust: 10, set_flag: [welcomed]}"
    )
    found = single(text)
    assert found.code == "unknown-key"
    assert at(found) == where(text, "set_flag: [welcomed]")
    assert "did you mean 'set_flags'?" in found.message
    assert "nodes[0].options[0].effects" in found.message


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    text = mini_with(
        "effects: {trust: 10, set_flags: [welcomed]}",
        "effects: {trust: 10, set_flags: [welcomed], zzzz: 1}",
    )
    found = single(text)
    assert found.code == "unknown-key"
    assert at(found) == where(text, "zzzz: 1")
    assert "keys allowed here:" in found.message and "repair_rupture" in found.message


def test_missing_required_key_points_at_its_mapping() -> None:
    text = mini_with("  pronouns: they/them\n", "")
    found = single(text)
    assert found.code == "missing-key"
    assert "'pronouns'" in found.message and "client" in found.message
    assert at(found) == where(text, "  name: Sam", at="name")


def test_missing_top_level_key() -> None:
    text = mini_with("setting: A test room.\n", "")
    found = single(text)
    assert found.code == "missing-key"
    assert "'setting'" in found.message and "top level" in found.message
    assert at(found) == (1, 1)


def test_wrong_type_points_at_value() -> None:
    text = mini_with("minutes: 5", 'minutes: "ten"')
    found = single(text)
    assert found.code == "invalid-value"
    assert found.message.startswith("minutes:")
    assert at(found) == where(text, 'minutes: "ten"', at='"ten"')


def test_say_yes_read_as_bool_gets_quoting_hint() -> None:
    text = mini_with("          - say: Okay.", "          - say: yes")
    found = single(text)
    assert at(found) == where(text, "- say: yes", at="yes")
    assert "bool" in found.message and "quotes" in found.message
    assert "nodes[0].options[0].reaction[0].say" in found.message


def test_number_where_text_expected_gets_quoting_hint() -> None:
    text = mini_with("title: A small test scenario", "title: 1984")
    found = single(text)
    assert at(found) == where(text, "title: 1984", at="1984")
    assert "quotes" in found.message


def test_non_utf8_byte_position() -> None:
    raw = b"id: mini\ntitle: caf\xe9 au lait\n"
    found = single(raw)
    assert found.code == "encoding"
    assert at(found) == (2, 11)
    assert "0xe9" in found.message and "UTF-8" in found.message


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n# and another\n"])
def test_empty_and_comment_only_files(text: str) -> None:
    found = single(text)
    assert found.code == "empty"
    assert at(found) == (1, 1)
    assert "roleplay new" in found.message


@pytest.mark.parametrize("text", ["---\n", "# header\n---\n# nothing else\n"])
def test_document_marker_only_is_empty(text: str) -> None:
    found = single(text)
    assert found.code == "empty"


@pytest.mark.parametrize(
    ("text", "pos"),
    [
        ("- a\n- b\n", (1, 1)),
        ("# header\n\n- a\n", (3, 1)),
        ("just some words\n", (1, 1)),
        ("42\n", (1, 1)),
    ],
)
def test_top_level_not_a_mapping(text: str, pos: tuple[int, int]) -> None:
    found = single(text)
    assert found.code == "not-a-mapping"
    assert at(found) == pos


def test_directory_is_refused(tmp_path: Path) -> None:
    loaded, found = check_file(tmp_path)
    assert loaded is None
    assert [(d.code, d.line, d.column) for d in found] == [("not-a-file", 1, 1)]
    assert found[0].path == str(tmp_path)


def test_missing_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    loaded, found = check_file(missing)
    assert loaded is None
    assert [(d.code, d.line, d.column) for d in found] == [("not-found", 1, 1)]
    with pytest.raises(ScenarioError):
        load_scenario(missing)


def test_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 100)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"id: x\n" + b"#" * 200 + b"\n")
    loaded, found = check_file(big)
    assert loaded is None
    assert [(d.code, d.line, d.column) for d in found] == [("too-large", 1, 1)]
    assert "100" in found[0].message
    # At the cap exactly the file is read (and then fails for another reason).
    edge = tmp_path / "edge.yaml"
    edge.write_bytes(b"- " + b"a" * 97 + b"\n")
    assert edge.stat().st_size == 100
    _, found = check_file(edge)
    assert [d.code for d in found] == ["not-a-mapping"]


def billion_laughs(levels: int = 9) -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, levels):
        name, prev = chr(ord("a") + index), chr(ord("a") + index - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_bomb_is_refused() -> None:
    # 10**9 values if expanded; must be refused, not built.
    found = single(billion_laughs())
    assert found.code == "too-large"
    assert found.line >= 1 and found.column >= 1


def test_moderate_alias_use_is_fine_until_schema() -> None:
    # Aliases themselves are allowed; this fails only on the schema (unknown key 'x').
    text = mini_with(
        "objectives: [Check the engine]", "objectives: &obj [Check the engine]\nx: *obj"
    )
    found = single(text)
    assert found.code == "unknown-key"
    assert at(found) == where(text, "x: *obj")


def test_deep_nesting_is_refused() -> None:
    depth = 200
    text = "id: " + "[" * depth + "]" * depth + "\n"
    found = single(text)
    assert found.code == "too-deep"
    assert found.line == 1
    assert found.column == 5 + yamlsource.MAX_DEPTH  # the first list too deep


def test_deep_block_nesting_is_refused() -> None:
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 150))
    found = single(text)
    assert found.code == "too-deep"
    assert found.line >= 2


def _load_in_subprocess(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    code = (
        "import sys\n"
        "from roleplay.core.loader import check_file\n"
        "loaded, found = check_file(sys.argv[1])\n"
        "print(','.join(d.code for d in found))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )


def test_very_deep_flow_nesting_does_not_crash(tmp_path: Path) -> None:
    depth = 50_000
    result = _load_in_subprocess(tmp_path, "id: " + "[" * depth + "]" * depth + "\n")
    assert result.returncode == 0, f"crashed with {result.returncode}"
    assert result.stdout.strip() == "too-deep"


@pytest.mark.parametrize("unit", ["- ", "? "])
def test_very_deep_block_nesting_does_not_crash(tmp_path: Path, unit: str) -> None:
    result = _load_in_subprocess(tmp_path, "id: x\nnodes:\n" + unit * 50_000 + "x\n")
    assert result.returncode == 0, f"crashed with {result.returncode}"
    assert result.stdout.strip() in ("too-deep", "yaml-key")


def test_recursive_alias_is_refused() -> None:
    text = "id: x\nloop: &a [1, *a]\n"
    found = single(text)
    assert found.code == "yaml-recursive"
    assert at(found) == where(text, "&a")  # the anchor that loops


def test_recursive_alias_in_mapping_is_refused() -> None:
    text = "id: x\nloop: &a\n  me: *a\n"
    found = single(text)
    assert found.code == "yaml-recursive"
    assert at(found) == where(text, "&a")


def test_merge_key_is_refused_at_the_key() -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"
    found = single(text)
    assert found.code == "yaml-merge"
    assert at(found) == (3, 3)


def test_non_scalar_key_is_refused() -> None:
    text = "id: x\n? [a, b]\n: 1\n"
    found = single(text)
    assert found.code == "yaml-key"
    assert found.line == 2


def test_unknown_skill_tag_flow_list() -> None:
    text = mini_with("          skills: [repair]\n", "          skills: [repiar]\n")
    found = single(text)
    assert found.code == "unknown-skill"
    assert "'repiar'" in found.message
    assert found.line == where(text, "skills: [repiar]")[0]


def test_unknown_top_level_skill() -> None:
    text = mini_with("skills: [humility, repair]", "skills: [humility, repairing]")
    found = single(text)
    assert found.code == "unknown-skill"
    assert found.line == where(text, "repairing")[0]


def test_unknown_skill_in_block_list_points_at_the_tag() -> None:
    text = mini_with("skills: [humility, repair]", "skills:\n  - humility\n  - repairs")
    found = single(text)
    assert found.code == "unknown-skill"
    assert at(found) == where(text, "- repairs", at="repairs")


def test_stronger_missing_for_non_builds_trust_rating() -> None:
    text = mini_with("          stronger: Check the name.\n", "")
    found = single(text)
    assert found.code == "stronger-missing"
    assert "harmful" in found.message
    # The feedback mapping that lacks it (its first key, 'rating: harmful').
    assert at(found) == where(text, "rating: harmful")


def test_builds_trust_needs_no_stronger() -> None:
    # The mini scenario's builds-trust options have no 'stronger' and load fine.
    assert load_scenario(MINI).scenario.nodes[0].options[0].feedback.stronger is None


def test_reviewed_without_reviewers() -> None:
    text = mini_with(
        "  authors: [roleplay tests]\n", "  authors: [roleplay tests]\n  review_status: reviewed\n"
    )
    found = single(text)
    assert found.code == "reviewers-missing"
    assert at(found) == where(text, "  authors:", at="authors")


def test_reviewed_with_reviewers_is_fine() -> None:
    text = mini_with(
        "  authors: [roleplay tests]\n",
        "  authors: [roleplay tests]\n  review_status: reviewed\n  reviewers: [A peer panel]\n",
    )
    loaded = load_bytes(text.encode(), Path(FILE))
    assert loaded.scenario.provenance.review_status == "reviewed"


def test_bands_not_starting_at_zero() -> None:
    text = mini_with("{id: guarded, min: 0}", "{id: guarded, min: 5}")
    found = single(text)
    assert found.code == "bands-start"
    assert at(found) == where(text, "- {id: guarded")  # the bands list


def test_bands_out_of_order() -> None:
    text = mini_with("{id: open, min: 50}", "{id: open, min: 20}")
    found = single(text)
    assert found.code == "bands-order"
    assert found.line == where(text, "{id: guarded")[0]


def test_node_with_options_and_ending() -> None:
    # An ending on a decision point.
    text = mini_with("  - id: middle\n", "  - id: middle\n    ending: neutral\n")
    found = single(text)
    assert found.code == "node-kind"
    assert at(found) == where(text, "  - id: middle", at="id:")


def test_several_errors_are_all_reported_in_order() -> None:
    text = mini_with("minutes: 5", "minutes: many").replace("  age: 30", "  age: old")
    found = errors_of(text)
    assert [d.code for d in found] == ["invalid-value", "invalid-value"]
    assert [at(d) for d in found] == [
        where(text, "minutes: many", at="many"),
        where(text, "age: old", at="old"),
    ]


def test_diagnostic_text_format() -> None:
    found = single(mini_with("minutes: 5", 'minutes: "ten"'))
    line, column = where(mini_with("minutes: 5", 'minutes: "ten"'), '"ten"')
    assert str(found) == f"{FILE}:{line}:{column}: error: {found.message} [invalid-value]"


# -- odd YAML that must still give one positioned, one-line diagnostic ---------------------------


@pytest.mark.parametrize("value", ["!!bool maybe", "!!timestamp nope"])
def test_bad_explicit_scalar_tag_is_a_diagnostic(value: str) -> None:
    text = f"id: x\ntitle: {value}\n"
    found = single(text)
    assert found.code == "yaml-value"
    assert at(found) == (2, 8)


@pytest.mark.parametrize(
    "text",
    ["id: x\n!!int abc: 1\n", "id: x\n? !!bool x\n: 1\n", "id: x\n1: one\n", "id: x\nyes: 1\n"],
)
def test_key_that_is_not_text_is_a_diagnostic(text: str) -> None:
    found = single(text)
    assert found.code == "yaml-key"
    assert found.line == 2


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b"])
def test_control_character_position(char: str) -> None:
    text = f"id: x\ntitle: y\nsummary: a{char}b\n"
    found = single(text)
    assert found.code == "yaml-syntax"
    assert at(found) == (3, 11)
    assert "\n" not in found.message


@pytest.mark.parametrize(("char", "code"), [("\x07", "#x0007"), ("\x00", "#x0000")])
def test_control_character_is_named(char: str, code: str) -> None:
    found = single(f"id: x\nsummary: a{char}b\n")
    assert code in found.message


def test_unknown_tag_message_is_one_line() -> None:
    found = single("id: x\ntitle: !!python/object:os.system echo\n")
    assert found.code == "yaml-value"
    assert at(found) == (2, 8)
    assert "\n" not in str(found)


def test_typo_inside_union_field_gives_one_diagnostic() -> None:
    text = mini_with(
        "      - when: {band: open}\n        ending: good",
        "      - whn: {band: open}\n        ending: good",
    )
    found = errors_of(text)
    assert [d.code for d in found] == ["unknown-key"]
    assert at(found[0]) == where(text, "whn:")
    assert "did you mean 'when'?" in found[0].message


# -- check_file never raises for bad input ---------------------------------------------------

BAD_INPUTS: list[bytes] = [
    b"",
    b"# comment\n",
    b"- a\n",
    b"id: x\n  title: y\n",
    b"id: mini\ntitle: caf\xe9\n",
    b"a: &a [1, *a]\n",
    b"base: &b {x: 1}\nother:\n  <<: *b\n",
    billion_laughs().encode(),
    ("id: " + "[" * 100 + "]" * 100).encode(),
    mini_with("minutes: 5", 'minutes: "ten"').encode(),
    mini_with("summary:", "sumary:").encode(),
    mini_with("          - say: Okay.", "          - say: yes").encode(),
    mini_with("          stronger: Check the name.\n", "").encode(),
    mini_with("{id: guarded, min: 0}", "{id: guarded, min: 5}").encode(),
    mini_with("next: middle", "next: midle").encode(),
    b"id: x\n? [a]\n: 1\n",
    b"\x00\x01\x02",
    b"\xff\xfe\x00i\x00d",
]


@pytest.mark.parametrize("raw", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_check_file_never_raises(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(raw)
    loaded, found = check_file(path)
    assert loaded is None
    assert found, "a refused file must say why"
    for diagnostic in found:
        assert diagnostic.path == str(path)
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.code and diagnostic.message
    assert any(d.severity is Severity.ERROR for d in found)


def test_lint_errors_are_reported_with_warnings(tmp_path: Path) -> None:
    text = mini_with("next: middle", "next: midle")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, found = check_file(path)
    assert loaded is None
    target = one(found, "unknown-target")
    assert at(target) == where(text, "next: midle", at="midle")
    assert "did you mean 'middle'?" in target.message


def test_textwrap_helper_sanity() -> None:
    # Guards the position helper the other tests rely on.
    text = textwrap.dedent("""\
        a: 1
        bb: [x, y]
        """)
    assert where(text, "bb") == (2, 1)
    assert where(text, "bb: [x, y]", at="y") == (2, 9)


@pytest.mark.parametrize("depth", [100, 1_200, 5_000])
def test_flow_nesting_past_the_limit_is_too_deep_at_any_depth(depth: int) -> None:
    """Past MAX_DEPTH, and past libYAML's own limit (about 1,000 levels in PyYAML 6.0.4's
    bundled libYAML), the error is always `too-deep` on the first line, never a syntax
    error."""
    found = single("id: " + "[" * depth + "]" * depth + "\n")
    assert found.code == "too-deep"
    assert found.line == 1


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("id: x\nclient:\n\tname: Sam\n", "indented with a tab: indent with spaces only"),
        ("id: x\ntitle: @home visit\n", "text cannot start with '@' unquoted: put the whole"),
        ("id: x\ntitle: `x`\n", "text cannot start with '`' unquoted"),
        ("id: x\nsummary: Note: read this\n", "put the whole text in quotes or write it as a '>-'"),
        ('id: x\ntitle: "A first" visit\n', "text that starts with a quote must end with it"),
        ("id: x\nskills: [repair, humility\n", "close the '[' or '{' with its bracket"),
        ("id: x\ntitle: *nowhere\n", "'*name' must name an anchor '&name' written above it"),
        ("id: x\n---\nid: y\n", "remove the '---' line or split the file"),
        ('id: x\ntitle: "\\ud800"\n', "a valid escape such as"),
    ],
)
def test_yaml_syntax_error_says_what_to_do(text: str, hint: str) -> None:
    found = single(text)
    assert found.code == "yaml-syntax"
    assert found.message.startswith("YAML syntax:")
    assert hint in found.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_pipe_in_place_of_a_scenario_is_refused_without_waiting(tmp_path: Path) -> None:
    """A scenario file replaced by a named pipe (then reloaded with ctrl+r) froze the app
    until something wrote to the pipe."""
    pipe = tmp_path / "first-visit.yaml"
    os.mkfifo(pipe)
    found: list[list[Diagnostic]] = []
    reader = threading.Thread(target=lambda: found.append(check_file(pipe)[1]), daemon=True)
    reader.start()
    reader.join(60)  # a safety stop for the old behaviour, not a timed assertion
    if reader.is_alive():
        with open(pipe, "wb"):  # let the stuck reader go before failing
            pass
        pytest.fail("reading a named pipe waited for a writer")
    (diagnostic,) = found[0]
    assert diagnostic.code == "not-a-file"
    assert "not a regular file" in diagnostic.message
