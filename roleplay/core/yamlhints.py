"""What to do about a YAML syntax error: PyYAML says what it met, not how to fix it.

The hints cover the mistakes authors actually make (see "YAML pitfalls" in
docs/scenario-format.md): a tab in the indentation, a ': ' inside unquoted text, a quote
that opens text but does not close it, text starting with a character YAML reserves, a
flow list left open. Anything else gets the general advice of where to look.
"""

from __future__ import annotations

_RESERVED = "@`%|>!&*"
"""Characters that cannot start unquoted text (they mean something else to YAML)."""


def syntax_hint(text: str, line: int, column: int, problem: str) -> str:
    """What to do, for a syntax error at 1-based ``line`` and ``column`` of ``text``."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    char = here[column - 1] if 0 < column <= len(here) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if char == "\t" or "\t" in indent:
        return "this line is indented with a tab: indent with spaces only"
    if "cannot start any token" in problem and char in _RESERVED:
        return f"text cannot start with '{char}' unquoted: put the whole text in quotes"
    if "mapping values are not allowed" in problem:
        return (
            "if this text holds ': ', put the whole text in quotes or write it as a '>-' "
            "block; if it is a key, line it up with the keys above it"
        )
    if "expected ',' or" in problem or "flow" in problem:
        return (
            "close the '[' or '{' with its bracket, and put any text holding a comma, "
            "colon or bracket in quotes"
        )
    if "end of stream" in problem or "quoted scalar" in problem:
        return "a quoted text is not closed: add the closing quote"
    if "did not find expected key" in problem:
        return (
            "text that starts with a quote must end with it (quote all of it, and write a "
            "' inside '...' as ''), and keys of one mapping must line up"
        )
    if "undefined alias" in problem:
        return "'*name' must name an anchor '&name' written above it; quote text starting with '*'"
    if "another document" in problem:
        return "a scenario file holds one scenario: remove the '---' line or split the file"
    if "escape" in problem:
        return "write the character itself, or a valid escape such as \\u00e9"
    return (
        "look at this line and the one before it: an unquoted ': ', a stray quote, a tab "
        "or a wrong indent"
    )
