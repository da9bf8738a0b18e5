"""One cleaning function for every human-readable output of untrusted text.

Scenario files come from people we do not control and a learner types whatever they like,
so text from either must never reach a terminal, a Markdown/HTML/CSV file or a graph as
raw control characters: an ``ESC`` can start a sequence that clears the screen, rewrites
the clipboard (OSC 52) or retitles the window; a C1 byte does the same on some
terminals; a bidi override makes text display in another order than it is stored.

``clean`` turns every such character into a visible, harmless stand-in:

=====================================  =========================  ==================
characters                             example                    shown as
=====================================  =========================  ==================
C0 controls U+0000-U+001F              ESC, BEL, CR               ``␛`` ``␇`` ``␍``
  (newline and tab kept where allowed)                            (control pictures)
DEL U+007F                                                        ``␡``
C1 controls U+0080-U+009F              CSI U+009B                 ``<U+009B>``
bidi embeddings, overrides, isolates   U+202A-U+202E,             ``<U+202E>``
                                       U+2066-U+2069
invisible characters                   U+200B zero-width space,   ``<U+200B>``
                                       U+2060 word joiner,
                                       U+FEFF, U+2061-U+2064,
                                       U+206A-U+206F, U+FFF9-FFFB
line and paragraph separators          U+2028, U+2029             ``<U+2028>``
lone surrogates                        U+D800-U+DFFF              ``<U+D800>``
=====================================  =========================  ==================

The stand-ins are chosen to be read back by a person: a control picture is the symbol
Unicode gives that control, and ``<U+XXXX>`` is the code point's standard name. They are
not an encoding (a file that already held ``␛`` looks the same), so JSON output, which
must stay exact, never uses them: its encoder escapes control characters itself.

Kept on purpose: the zero-width joiner and non-joiner (U+200D, U+200C) spell words in
Persian, Hindi and other scripts and join emoji such as 👩‍⚕️; the left-to-right and
right-to-left marks (U+200E, U+200F, U+061C) are how bidirectional writing is done
right. None of them can move text out of its line or run a terminal command.

Helpers for particular formats build on ``clean``: ``markdown_text`` (learner or author
text that must stay text in Markdown: no live links, no raw HTML, no headings), and
``csv_cell`` (a spreadsheet cell that cannot run a formula). ``json_text`` is the JSON
counterpart: every string exact, with each character ``clean`` would replace written as a
``\\uXXXX`` escape (the encoder does this for C0 controls; C1, bidi and invisible
characters need it too, since other scripts are kept readable rather than escaped).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = [
    "UnsafeChar",
    "clean",
    "csv_cell",
    "json_text",
    "markdown_text",
    "neutralise_formula",
    "unsafe_characters",
]


def _picture(code: int) -> str:
    return chr(0x2400 + code)


def _named(code: int) -> str:
    return f"<U+{code:04X}>"


# What each unsafe code point belongs to: the lint names it, the cleaner replaces it.
_CONTROL = "control"
_BIDI = "bidi"
_INVISIBLE = "invisible"

_KINDS: dict[int, str] = {}
_KINDS.update({code: _CONTROL for code in range(0x20)})
_KINDS[0x7F] = _CONTROL
_KINDS.update({code: _CONTROL for code in range(0x80, 0xA0)})
_KINDS.update({code: _CONTROL for code in (0x2028, 0x2029)})
_KINDS.update({code: _BIDI for code in range(0x202A, 0x202F)})
_KINDS.update({code: _BIDI for code in range(0x2066, 0x206A)})
_KINDS.update(
    {
        code: _INVISIBLE
        for code in (0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0xFFF9, 0xFFFA)
    }
)
_KINDS[0xFFFB] = _INVISIBLE
_KINDS.update({code: _INVISIBLE for code in range(0x206A, 0x2070)})


def _stand_in(code: int) -> str:
    if code < 0x20:
        return _picture(code)
    if code == 0x7F:
        return "\u2421"  # ␡, the control picture for DEL
    return _named(code)


_TABLE: dict[int, str] = {code: _stand_in(code) for code in _KINDS}
_KEEP_NEWLINE = {**_TABLE}
del _KEEP_NEWLINE[0x0A]
_KEEP_TAB = {**_TABLE}
del _KEEP_TAB[0x09]
_KEEP_BOTH = {**_KEEP_NEWLINE}
del _KEEP_BOTH[0x09]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _any_unsafe(newlines: bool, tabs: bool) -> re.Pattern[str]:
    """One character class of everything ``clean`` would replace with these settings."""
    kept = {0x0A} if newlines else set()
    kept |= {0x09} if tabs else set()
    codes = "".join(f"\\u{code:04x}" for code in sorted(_KINDS) if code not in kept)
    return re.compile(f"[{codes}\\ud800-\\udfff]")


# Nearly every string is clean: one search in C answers that at once, where the cleaner's
# table or a walk a character at a time would visit every character in Python.
_ANY_UNSAFE: dict[tuple[bool, bool], re.Pattern[str]] = {
    (newlines, tabs): _any_unsafe(newlines, tabs)
    for newlines in (True, False)
    for tabs in (True, False)
}


def clean(text: str, *, newlines: bool = True, tabs: bool = True) -> str:
    """``text`` with every control, bidi-override and invisible character made visible.

    ``newlines`` and ``tabs`` keep ``\\n`` and ``\\t`` as they are (for output where they
    are layout, not a threat); pass ``False`` for one-line output such as a table cell,
    where they become ``␊`` and ``␉``. A carriage return is always replaced: alone it
    moves the cursor back over what was already written.
    """
    if not _ANY_UNSAFE[(newlines, tabs)].search(text):
        return text
    return _replace_unsafe(text, newlines=newlines, tabs=tabs)


def _replace_unsafe(text: str, *, newlines: bool, tabs: bool) -> str:
    """``clean`` by the replacement table (for text known to hold an unsafe character)."""
    if newlines and tabs:
        table = _KEEP_BOTH
    elif newlines:
        table = _KEEP_NEWLINE
    elif tabs:
        table = _KEEP_TAB
    else:
        table = _TABLE
    cleaned = text.translate(table)
    # Lone surrogates cannot be written as UTF-8 at all: a file or terminal write would
    # fail on them, so they are named like the other invisible characters.
    if _SURROGATE.search(cleaned):
        cleaned = _SURROGATE.sub(lambda m: _named(ord(m.group())), cleaned)
    return cleaned


@dataclass(frozen=True)
class UnsafeChar:
    """One character ``clean`` would replace, where it is and what sort it is."""

    index: int
    """Position in the text (0-based)."""
    char: str
    kind: str
    """``control``, ``bidi`` or ``invisible``."""

    @property
    def name(self) -> str:
        """The code point as ``U+XXXX``."""
        return f"U+{ord(self.char):04X}"


def unsafe_characters(text: str, *, newlines: bool = True, tabs: bool = True) -> list[UnsafeChar]:
    """Every character of ``text`` that ``clean`` would replace, in order."""
    if not _ANY_UNSAFE[(newlines, tabs)].search(text):
        return []
    return _walk_unsafe(text, newlines=newlines, tabs=tabs)


def _walk_unsafe(text: str, *, newlines: bool, tabs: bool) -> list[UnsafeChar]:
    """``unsafe_characters`` a character at a time (for text known to hold one)."""
    found: list[UnsafeChar] = []
    for index, char in enumerate(text):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            found.append(UnsafeChar(index, char, _INVISIBLE))
            continue
        kind = _KINDS.get(code)
        if kind is None or (newlines and char == "\n") or (tabs and char == "\t"):
            continue
        found.append(UnsafeChar(index, char, kind))
    return found


# A Markdown marker at the start of a line: heading, list, rule, fence, table, or the
# punctuation after an ordered list's number. (A quote's ">" is an entity by then.)
# Digits count only before "." or ")" (an ordered list): a date such as 2026-12-06 at the
# start of a value is not a marker and stays unescaped.
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*(?:\d+(?=[.)](?:\s|$)))?)([#*+\-=`~|.)])", re.MULTILINE)
# Only an ampersand that starts a character reference (&lt; &#60;) needs escaping; a plain
# "you & me" already shows as typed, and stays readable.
_REFERENCE_START = re.compile(r"&(?=#?\w+;)")
# Brackets make links and images ([x](javascript:...), ![x](...), [x]: url); a backslash
# before one would undo our escape, so backslashes are escaped too.
_LINK_SYNTAX = re.compile(r"([\\\[\]])")


def markdown_text(text: str) -> str:
    """Untrusted text made inert in Markdown, still readable as plain text.

    Cleaned first (``clean``); then HTML cannot form (``<`` and ``>`` become entities, and
    ``&`` where it would start one), links and images cannot form (``[``, ``]`` and ``\\``
    are backslash-escaped), and a line that starts with a Markdown marker is escaped so it
    stays a line of text, not a heading, list, quote or fence. Emphasis such as ``*word*``
    is left alone: it can change how text looks, never what it does.
    """
    escaped = _REFERENCE_START.sub("&amp;", clean(text))
    escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    escaped = _LINK_SYNTAX.sub(r"\\\1", escaped)
    return _MARKDOWN_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


# The characters a spreadsheet reads as the start of a formula (or, for tab and carriage
# return, as the start of a cell it then evaluates).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a ``'``."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_cell(value: str) -> str:
    """Untrusted text for a CSV cell: cleaned (newlines and tabs kept), then neutralised.

    Newlines and tabs are legitimate inside a quoted CSV field; ``csv`` quotes them.
    """
    return neutralise_formula(clean(value))


def _json_escape(match: re.Match[str]) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in match.group())


# Characters JSON with ensure_ascii=False would write raw that ``clean`` replaces (C0
# controls are escaped by the encoder already). Outside strings JSON is plain ASCII, so
# these only ever occur inside strings, where a \uXXXX escape means the same character.
_JSON_UNSAFE = re.compile(
    "[" + "".join(chr(code) for code in sorted(_KINDS) if code >= 0x7F) + "\ud800-\udfff]+"
)


def json_text(value: object, *, indent: int | None = 2) -> str:
    """``value`` as JSON text: strings exact, nothing a terminal or editor would act on."""
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(value, indent=indent, ensure_ascii=False))
