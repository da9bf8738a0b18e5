"""Lint warnings for characters in scenario text and ids that no reader can see.

A scenario may hold, through YAML escapes such as ``"\\e"`` or pasted text, characters
that act on a terminal (control characters), make text display in another order than it
is stored (bidi overrides and isolates), or cannot be seen at all (zero-width space, word
joiner). Every output of roleplay shows them as visible stand-ins (``core.safetext``), so
they are harmless there; the author still almost certainly did not mean them, and an id
holding one looks the same as an id without it. One warning per value and kind:

- ``control-character``: C0 (except newline and tab), DEL, C1, line/paragraph separator
- ``bidi-character``: U+202A-U+202E, U+2066-U+2069
- ``invisible-character``: zero-width space, word joiner, BOM and the like
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from roleplay.core.diagnostics import Diagnostic, warning
from roleplay.core.models import Scenario
from roleplay.core.safetext import clean, unsafe_characters
from roleplay.core.yamlsource import PathKey, SourceMap

__all__ = ["lint_text"]

_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BACKSPACE",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEXT LINE",
    0x9B: "CSI",
    0x9D: "OSC",
}

_WHY = {
    "control": (
        "control-character",
        "a control character",
        "terminals act on these (clear the screen, rewrite the clipboard)",
    ),
    "bidi": (
        "bidi-character",
        "a bidi override or isolate",
        "it makes text display in another order than it is stored",
    ),
    "invisible": (
        "invisible-character",
        "an invisible character",
        "readers cannot see it, and an id with one looks like an id without",
    ),
}


def _describe(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip()


def _strings(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str, bool]]:
    """Every string in ``value`` with its path; the flag says it is a mapping key."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key, True
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def lint_text(scenario: Scenario, source: SourceMap) -> list[Diagnostic]:
    """A warning for each value (or key) of the scenario that holds an unsafe character."""
    found: list[Diagnostic] = []
    if source.plain:  # nothing in the file can hold one (checked once over its text)
        return found
    # Only what the file set: a default value is ours, and has no path in the file.
    data = scenario.model_dump(mode="json", exclude_unset=True)
    for path, text, is_key in _strings(data, ()):
        unsafe = unsafe_characters(text)
        if not unsafe:
            continue
        line, column = source.locate(path, key=is_key)
        for kind, (code, what, why) in _WHY.items():
            chars = list(dict.fromkeys(u.char for u in unsafe if u.kind == kind))
            if not chars:
                continue
            listed = ", ".join(_describe(c) for c in chars[:3])
            more = f" and {len(chars) - 3} more" if len(chars) > 3 else ""
            shown = clean("".join(chars[:3]))
            found.append(
                warning(
                    source.file,
                    line,
                    column,
                    f"{'this key' if is_key else 'this text'} holds {what} ({listed}{more}): "
                    f"{why}. roleplay shows it as {shown}; remove it, or write what you "
                    "meant as plain text",
                    code,
                )
            )
    return found
