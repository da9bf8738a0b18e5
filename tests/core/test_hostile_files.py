"""Hostile scenario files: control, bidi and invisible characters are warned about (with a
code and a position) and never printed raw; tags on lists and mappings are refused; a loop
of symbolic links is called what it is; graphs of such a file are clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scenario_kit import MINI, where

from roleplay.core.diagnostics import ScenarioError, Severity
from roleplay.core.graph import to_dot, to_mermaid
from roleplay.core.loader import load_bytes
from roleplay.core.yamlsource import missing_reason, read_bytes

MINI_TEXT = MINI.read_text(encoding="utf-8")
OSC52 = "\\e]52;c;cHduZWQ=\\a\\e[2Jx"  # as written in a double-quoted YAML string
RAW_BYTES = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066")


def _mini(old: str, new: str) -> bytes:
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, 1).encode("utf-8")


def test_an_osc_52_title_is_warned_about_where_it_is() -> None:
    raw = _mini("title: A small test scenario", f'title: "A small {OSC52}"')
    loaded = load_bytes(raw, Path("t.yaml"))
    (found,) = [d for d in loaded.warnings if d.code == "control-character"]
    assert found.severity is Severity.WARNING
    assert (found.line, found.column) == where(raw.decode(), '"A small')
    assert "U+001B ESC" in found.message and "U+0007 BEL" in found.message
    assert "␛␇" in found.message  # how it will be shown
    assert "\x1b" not in str(found) and "\x07" not in str(found)


@pytest.mark.parametrize(
    ("written", "code", "named"),
    [
        ("\\u202eevil", "bidi-character", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\\u2066x\\u2069", "bidi-character", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("He\\u200bllo", "invisible-character", "U+200B ZERO WIDTH SPACE"),
        ("He\\ufeffllo", "invisible-character", "U+FEFF"),
        ("a\\x9bb", "control-character", "U+009B CSI"),
        ("a\\rb", "control-character", "U+000D CARRIAGE RETURN"),
    ],
)
def test_each_kind_has_its_code(written: str, code: str, named: str) -> None:
    raw = _mini("say: Okay.", f'say: "{written}"')
    loaded = load_bytes(raw, Path("t.yaml"))
    found = [d for d in loaded.warnings if d.code == code]
    assert len(found) == 1 and named in found[0].message
    assert (found[0].line, found[0].column) == where(raw.decode(), f'"{written}"')


def test_an_id_with_an_invisible_character_is_refused_and_shown_escaped() -> None:
    text = MINI_TEXT.replace("middle", "mid\u200bdle")
    with pytest.raises(ScenarioError) as caught:
        load_bytes(text.encode("utf-8"), Path("t.yaml"))
    printed = "\n".join(str(d) for d in caught.value.diagnostics)
    assert "is not a valid id" in printed and "\u200b" not in printed


def test_keys_are_checked_too() -> None:
    raw = _mini("title: A small test scenario", 'title: A small test scenario\n"ti\u202etle": x')
    with pytest.raises(ScenarioError) as caught:
        load_bytes(raw, Path("t.yaml"))
    assert "\u202e" not in str(caught.value.diagnostics[0])


def test_writing_in_any_script_gets_no_warning() -> None:
    raw = _mini("say: Okay.", 'say: "می‌خواهم — 👩‍⚕️ שלום\u200e ok\\tthen"')
    loaded = load_bytes(raw, Path("t.yaml"))
    assert loaded.warnings == []


def test_an_unknown_key_with_an_escape_is_printed_visibly() -> None:
    raw = _mini("title: A small test scenario", 'title: A small test scenario\n"bad\\ekey": 1')
    with pytest.raises(ScenarioError) as caught:
        load_bytes(raw, Path("t\x1b[2J.yaml"))
    (found,) = [d for d in caught.value.diagnostics if d.code == "unknown-key"]
    printed = str(found)
    assert "bad␛key" in printed and "t␛[2J.yaml" in printed
    assert "\x1b" not in printed
    assert "bad\x1bkey" in str(found.to_json()["message"])  # JSON stays exact


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ('!!python/object/apply:os.system ["echo owned"]', "list"),
        ("!!python/object/new:os.system {cmd: ls}", "mapping"),
        ("!!set {a, b}", "mapping"),
        ("!custom [1]", "list"),
    ],
)
def test_a_tag_on_a_list_or_mapping_is_refused(value: str, kind: str) -> None:
    raw = _mini("skills: [humility]", f"skills: {value}")
    with pytest.raises(ScenarioError) as caught:
        load_bytes(raw, Path("t.yaml"))
    (found,) = caught.value.diagnostics
    assert found.code == "yaml-value"
    assert f"cannot read this {kind}" in found.message and "remove the tag" in found.message
    assert (found.line, found.column) == where(raw.decode(), value)


def test_plain_seq_and_map_tags_are_fine() -> None:
    raw = _mini("skills: [humility]", "skills: !!seq [humility]")
    assert load_bytes(raw, Path("t.yaml")).warnings == []
    raw = _mini("effects: {trust: 10", "effects: !!map {trust: 10")
    assert load_bytes(raw, Path("t.yaml")).warnings == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symlink_loop_is_called_a_loop(tmp_path: Path) -> None:
    a, b, dangling = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "d.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    assert "loop of symbolic links" in (missing_reason(a) or "")
    assert "symbolic link to something that does not exist" in (missing_reason(dangling) or "")
    assert missing_reason(tmp_path / "none.yaml") == "no such file or folder"
    assert missing_reason(MINI) is None
    with pytest.raises(ScenarioError) as caught:
        read_bytes(a)
    assert "loop of symbolic links" in caught.value.first.message


def test_graphs_of_a_hostile_scenario_are_clean() -> None:
    raw = _mini("title: Hello", f'title: "Hel{OSC52}\\x9b\\u202e<b>\\"q\\nline"')
    raw = raw.replace(b"title: Name missed", b'title: "\\x9dName\\x07"')
    scenario = load_bytes(raw, Path("t.yaml")).scenario
    for out in (to_mermaid(scenario), to_dot(scenario)):
        for char in RAW_BYTES:
            assert char not in out
        assert "Hel␛]52;c;cHduZWQ=␇␛[2Jx<U+009B>" in out.replace("#lt;", "<").replace("#gt;", ">")
    mermaid = to_mermaid(scenario)
    assert "<b>" not in mermaid and "#lt;b#gt;" in mermaid
    assert "#quot;q␊line" in mermaid  # one line per label: the newline is shown
