"""The loader's shortcuts give what the long way gives.

Loading skips work a valid file does not need: the unsafe-character check of each value
when the whole text has none, PyYAML's resolver patterns for text that cannot be anything
else, a call per plain value when building the data, and a walk from the root for each
position a finding needs. Each is compared here with the long way on hostile and ordinary
input.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from scenario_kit import MINI
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.core.lint_text import lint_text
from roleplay.core.loader import load_bytes, validate_document
from roleplay.core.yamlcompose import Composer, Loader
from roleplay.core.yamlsource import PathKey, SourceMap, parse_text

MINI_TEXT = MINI.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "plain", "finds"),
    [
        ("say: Okay.", "say: Okay.", True, False),
        ("say: Okay.", 'say: "He\\u200bllo"', False, True),  # an escape writes one
        ("say: Okay.", 'say: "a\\\\b"', False, False),  # a backslash: the long way
        ("say: Okay.", "say: He\u200bllo", False, True),
        ("say: Okay.", "say: a\u202eb", False, True),
        ("say: Okay.", "say: !!binary AAc=", False, True),  # bytes, read as text
        ("title: A small test scenario", "title: A small\r\n  test scenario", False, False),
    ],
)
def test_the_text_wide_check_agrees_with_the_check_of_each_value(
    old: str, new: str, plain: bool, finds: bool
) -> None:
    assert old in MINI_TEXT
    text = MINI_TEXT.replace(old, new, 1)
    document = parse_text(text, "t.yaml")
    assert document.source.plain is plain
    try:
        scenario = validate_document(document)
    except Exception:
        return
    walked = SourceMap(document.source.file, document.source.root, plain=False)
    assert lint_text(scenario, document.source) == lint_text(scenario, walked)
    assert bool(lint_text(scenario, walked)) is finds


SCALARS = [
    *[
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "Y",
        "N",
        "~",
        "null",
        "Null",
        "NULL",
        "=",
        "<<",
        "!",
        "&",
        "*",
        "-",
        "+",
    ],
    *[
        "12",
        "-3",
        "+4.5",
        ".inf",
        "-.Inf",
        ".nan",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "190:20:30",
        "1e3",
        "1.0e+3",
        "3:25:45",
    ],
    "2026-12-06",
    "2026-12-06 10:00:00",
    "",
    "Option 1",
    "Okay",
    "true story",
    "1st",
    "12 monkeys",
    "null and void",
    "Yesterday",
    "no way",
]


@pytest.mark.parametrize("value", SCALARS)
def test_tags_resolve_as_pyyaml_resolves_them(value: str) -> None:
    for implicit in [(True, False), (False, True), (False, False)]:
        ours = Composer("").resolve(ScalarNode, value, implicit)
        assert ours == Loader("").resolve(ScalarNode, value, implicit), (value, implicit)
    for kind in (SequenceNode, MappingNode):
        assert Composer("").resolve(kind, None, (True, False)) == Loader("").resolve(
            kind, None, (True, False)
        )


def test_data_is_built_as_pyyaml_builds_it() -> None:
    plain = [value for value in SCALARS if value not in {"!", "&", "*", "-", "=", "<<"}]
    text = MINI_TEXT + "\n".join(["extra:", *(f"  k{i}: {v}" for i, v in enumerate(plain))])
    text += "\nlisted: [" + ", ".join(v for v in plain if v) + "]\n"
    ours = parse_text(text, "t.yaml").data
    assert ours == yaml.load(text, Loader=Loader)


def _walk_from_root(root: Node, path: PathKey, key: bool) -> tuple[int, int]:
    """Where ``SourceMap.locate`` pointed before it kept each mapping's keys and each list's
    aliases: everything looked for again from the root."""

    def mark(node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    node = root
    for index, part in enumerate(path):
        last = index == len(path) - 1
        found: Node | None = None
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    if last and key:
                        return mark(key_node)
                    if value_node.start_mark.index < key_node.start_mark.index:
                        return mark(key_node)
                    found = value_node
                    break
        elif (
            isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
        ):
            found = node.value[part]
            limit = node.start_mark.index
            for earlier in node.value[:part]:
                if not earlier.start_mark.index < limit:
                    limit = earlier.end_mark.index
            if found.start_mark.index < limit:
                return mark(node)
        if found is None:
            break
        node = found
    return mark(node)


def _paths(value: object, path: PathKey = ()) -> list[PathKey]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
        found.append((*path, "no-such-key"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
        found.append((*path, len(value)))
    return found


def test_positions_are_where_a_walk_from_the_root_finds_them() -> None:
    text = MINI_TEXT.replace("    title: Hello", "    title: &t Hello", 1)
    text += "reused:\n  - *t\n  - plain\n  - &m {a: 1, b: [x, *t]}\n  - *m\n  - [*m, *t, y]\n"
    text += "again: *m\n"
    document = parse_text(text, "t.yaml")
    source = document.source
    for path in _paths(document.data):
        for key in (False, True):
            expected = _walk_from_root(source.root, path, key)  # type: ignore[arg-type]
            assert source.locate(path, key=key) == expected, (path, key)


def test_a_valid_file_loads_the_same_with_every_shortcut() -> None:
    loaded = load_bytes(MINI.read_bytes(), Path("mini.yaml"))
    document = parse_text(MINI_TEXT, "mini.yaml")
    assert document.source.plain
    assert loaded.scenario == validate_document(document)
