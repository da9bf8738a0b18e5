"""The one cleaning function (core/safetext.py) and its Markdown and CSV helpers."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from roleplay.core.safetext import (
    clean,
    csv_cell,
    markdown_text,
    neutralise_formula,
    unsafe_characters,
)

# Every code point the cleaner promises to replace (newline and tab counted separately).
DANGEROUS = (
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u2060", "\ufeff", "\u2028", "\u2029"]
)

# Text with a good share of the characters that matter, plus ordinary prose.
risky_text = st.text(
    alphabet=st.one_of(
        st.sampled_from([*DANGEROUS, "\n", "\t", "[", "]", "(", ")", "<", ">", "&", "\\", "#"]),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


def test_an_osc_52_clipboard_write_and_clear_screen_become_visible() -> None:
    attack = "\x1b]52;c;cHduZWQ=\x07\x1b[2Jx"
    assert clean(attack) == "␛]52;c;cHduZWQ=␇␛[2Jx"


def test_each_kind_has_its_documented_stand_in() -> None:
    assert clean("\x00\x1b\r\x7f") == "␀␛␍␡"
    assert clean("a\x9bb\x85") == "a<U+009B>b<U+0085>"
    assert clean("\u202eevil\u202c") == "<U+202E>evil<U+202C>"
    assert clean("\u2066x\u2069") == "<U+2066>x<U+2069>"
    assert clean("a\u200bb\ufeff") == "a<U+200B>b<U+FEFF>"
    assert clean("one\u2028two") == "one<U+2028>two"


def test_newlines_and_tabs_kept_only_where_allowed() -> None:
    assert clean("a\nb\tc") == "a\nb\tc"
    assert clean("a\nb\tc", newlines=False) == "a␊b\tc"
    assert clean("a\nb\tc", tabs=False) == "a\nb␉c"
    assert clean("a\nb\tc", newlines=False, tabs=False) == "a␊b␉c"


def test_writing_in_any_script_is_left_alone() -> None:
    # Persian needs the zero-width non-joiner, emoji need the joiner, Hebrew and Arabic
    # use direction marks: these are writing, not attacks.
    for text in ["می‌خواهم", "👩‍⚕️", "שלום\u200e123", "Ngā mihi", "Dương", "¿Qué tal?"]:
        assert clean(text) == text
        assert unsafe_characters(text) == []


def test_lone_surrogates_are_named_so_the_text_can_be_written() -> None:
    text = "a\ud800b"
    assert clean(text) == "a<U+D800>b"
    clean(text).encode("utf-8")
    assert [u.name for u in unsafe_characters(text)] == ["U+D800"]


def test_unsafe_characters_say_where_and_what() -> None:
    found = unsafe_characters("ok\x1b[1m\u202ex\u200b\n\t", newlines=True, tabs=True)
    assert [(u.index, u.name, u.kind) for u in found] == [
        (2, "U+001B", "control"),
        (6, "U+202E", "bidi"),
        (8, "U+200B", "invisible"),
    ]
    assert [u.name for u in unsafe_characters("\n\t", newlines=False, tabs=False)] == [
        "U+000A",
        "U+0009",
    ]


@settings(max_examples=300, database=None)
@given(risky_text)
def test_cleaned_text_holds_no_dangerous_character(text: str) -> None:
    out = clean(text)
    assert not any(ch in out for ch in DANGEROUS)
    assert not re.search("[\ud800-\udfff]", out)
    for ch in out:
        # Nothing a terminal treats as a control, except the newline and tab we kept.
        assert ch in "\n\t" or unicodedata.category(ch) != "Cc"
    out.encode("utf-8")
    assert unsafe_characters(out) == []


@settings(max_examples=200, database=None)
@given(risky_text)
def test_cleaning_changes_only_what_it_reports(text: str) -> None:
    found = unsafe_characters(text)
    assert (clean(text) == text) == (not found)
    assert clean(clean(text)) == clean(text)  # nothing left to clean


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs"))))
def test_ordinary_text_passes_through(text: str) -> None:
    text = text.replace("\u2028", "").replace("\u2029", "")
    assert clean(text) == text


# --- Markdown -----------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "em", "strong", "code", "pre", "br"}


def _tags(rendered: str) -> set[str]:
    return {m.lower() for m in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", rendered)}


@pytest.mark.parametrize(
    "attack",
    [
        "[click me](javascript:alert(1))",
        "![x](https://evil.example/p.png)",
        "[x]\n\n[x]: javascript:alert(1)",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<javascript:alert(1)>",
        "\\[x\\](javascript:alert(1))",
        "# Not a heading\n- not a list\n> not a quote\n1. not a list",
        "&lt;script&gt;",
    ],
)
def test_markdown_text_cannot_make_links_html_or_structure(attack: str) -> None:
    rendered = MarkdownIt("commonmark").render(markdown_text(attack))
    assert _tags(rendered) <= ALLOWED_TAGS, rendered
    assert "javascript:" not in rendered or "href" not in rendered


def test_markdown_text_reads_as_typed() -> None:
    rendered = MarkdownIt("commonmark").render(markdown_text("You & me [sic] <3\n# one"))
    assert rendered == "<p>You &amp; me [sic] &lt;3\n# one</p>\n"


@settings(max_examples=300, database=None)
@given(risky_text)
def test_markdown_text_never_renders_a_link_or_html(text: str) -> None:
    safe = markdown_text(text)
    assert not any(ch in safe for ch in DANGEROUS)
    rendered = MarkdownIt("commonmark").render(safe)
    assert _tags(rendered) <= ALLOWED_TAGS, (text, rendered)


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_start_gets_a_leading_apostrophe(start: str) -> None:
    assert neutralise_formula(start + "HYPERLINK(1)") == "'" + start + "HYPERLINK(1)"


def test_ordinary_cells_are_unchanged() -> None:
    for value in ["hello", "", " =not at start", "I said = fine", "'quoted"]:
        assert neutralise_formula(value) == value


def test_csv_cell_cleans_then_neutralises() -> None:
    assert csv_cell('=HYPERLINK("http://x","\x1b[2J")') == '\'=HYPERLINK("http://x","␛[2J")'
    assert csv_cell("\r=1") == "␍=1"  # the carriage return is cleaned, so no formula start
    assert csv_cell("\t=1") == "'\t=1"
    assert csv_cell("line one\nline two") == "line one\nline two"


@settings(max_examples=200, database=None)
@given(st.lists(risky_text, min_size=1, max_size=4))
def test_csv_cells_round_trip_and_never_start_a_formula(values: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([csv_cell(v) for v in values])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == [csv_cell(v) for v in values]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-12-06T02:34:26+00:00", "2026-12-06T02:34:26+00:00"),
        ("3.5 stars", "3.5 stars"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
    ],
)
def test_markdown_escapes_ordered_list_markers_but_not_dates_or_decimals(
    text: str, shown: str
) -> None:
    assert markdown_text(text) == shown


# Random text: mostly clean (as nearly all scenario text is), sometimes with a character
# the cleaner replaces, a newline, a tab or a lone surrogate.
_mixed_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from([*DANGEROUS, "\n", "\t", "\ud800", "\udfff", "\u200d", "\u200e"]),
    ),
    max_size=80,
)


@given(
    _mixed_text,
    st.sampled_from(["", "\n", "\t", "\ud800", *DANGEROUS, *map(chr, range(0x2060, 0x2070))]),
    st.integers(min_value=0),
    st.booleans(),
    st.booleans(),
)
def test_the_fast_path_agrees_with_the_slow_walk(
    prose: str, one: str, where: int, newlines: bool, tabs: bool
) -> None:
    """The one-search fast path of ``unsafe_characters`` and ``clean`` gives exactly what
    walking every character (and the replacement table) gives, for every setting, on
    random text with (at least) one chosen character put in somewhere."""
    from roleplay.core.safetext import _replace_unsafe, _walk_unsafe

    at = where % (len(prose) + 1)
    text = prose[:at] + one + prose[at:]
    walked = _walk_unsafe(text, newlines=newlines, tabs=tabs)
    assert unsafe_characters(text, newlines=newlines, tabs=tabs) == walked
    replaced = _replace_unsafe(text, newlines=newlines, tabs=tabs)
    assert clean(text, newlines=newlines, tabs=tabs) == replaced
    assert (replaced == text) == (not walked)


def test_the_fast_path_knows_every_character_the_walk_reports() -> None:
    """Each code point alone (the low planes, the specials and the surrogates), each setting."""
    from roleplay.core.safetext import _walk_unsafe

    codes = [*range(0x3000), *range(0xD800, 0xE000), *range(0xFE00, 0x10000)]
    for newlines in (True, False):
        for tabs in (True, False):
            for code in codes:
                char = chr(code)
                expected = _walk_unsafe(char, newlines=newlines, tabs=tabs)
                assert unsafe_characters(char, newlines=newlines, tabs=tabs) == expected, code
