"""A small printable document, written once and rendered as Markdown or as HTML.

``roleplay guide`` builds its three parts (facilitator guide, student handout, portrayal
brief) as a list of blocks (headings, paragraphs, lists, quotes, page breaks) whose text is
a sequence of spans, plain, bold or italic. The two renderers are the only places that
turn a span into output, so every piece of scenario text goes through
``roleplay.core.safetext`` on the way out: ``markdown_text`` for Markdown, ``clean`` and
HTML escaping for HTML. White space inside a span is folded to single spaces, so a line
break in a scenario string cannot start a new Markdown block (a list item or a quote).

The HTML is one self-contained file: its style sheet is inline, it loads nothing (a
Content-Security-Policy says so to the browser as well), holds no script, and prints with
each part on new pages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from roleplay.core.safetext import clean, markdown_text

__all__ = [
    "Block",
    "Bullets",
    "Heading",
    "Inline",
    "PageBreak",
    "Para",
    "Quote",
    "Span",
    "Style",
    "WriteSpace",
    "b",
    "i",
    "markdown_inline",
    "t",
    "to_html",
    "to_markdown",
]


class Style(StrEnum):
    """How a span looks."""

    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"


@dataclass(frozen=True)
class Span:
    """A run of text in one style; ``text`` may be anything (it is escaped on output)."""

    text: str
    style: Style = Style.PLAIN


def t(text: str) -> Span:
    """Plain text."""
    return Span(text)


def b(text: str) -> Span:
    """Bold text."""
    return Span(text, Style.BOLD)


def i(text: str) -> Span:
    """Italic text."""
    return Span(text, Style.ITALIC)


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    """A heading; ``level`` 1 is a part's title."""

    level: int
    spans: Inline


@dataclass(frozen=True)
class Para:
    """A paragraph; ``css`` names a class for the HTML (e.g. ``note``, ``line``)."""

    spans: Inline
    css: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list of items, each one run of spans; ``numbered`` for an ordered list."""

    items: tuple[Inline, ...]
    numbered: bool = False
    css: str = ""


@dataclass(frozen=True)
class Quote:
    """A set-off paragraph: feedback, a note, a line said."""

    spans: Inline


@dataclass(frozen=True)
class WriteSpace:
    """Room to write by hand on the printed page (HTML only; nothing in Markdown)."""


@dataclass(frozen=True)
class PageBreak:
    """The next part starts on a new page."""


Block = Heading | Para | Bullets | Quote | WriteSpace | PageBreak


_SPACES = re.compile(r"\s+")


def _folded(span: Span) -> str:
    """The span's text with each run of white space (a line break too) as one space."""
    return _SPACES.sub(" ", span.text)


def markdown_inline(spans: Sequence[Span]) -> str:
    """Spans as one line of Markdown, each span's text made inert by ``markdown_text``."""
    out: list[str] = []
    for span in spans:
        text = _folded(span)
        core = text.strip()
        if not core:
            out.append(" " if text else "")
            continue
        safe = markdown_text(core)
        if span.style is Style.BOLD:
            safe = f"**{safe}**"
        elif span.style is Style.ITALIC:
            safe = f"*{safe}*"
        # Emphasis cannot start or end in a space, so the span's edges go outside it.
        lead = " " if text[0] == " " else ""
        trail = " " if text[-1] == " " else ""
        out.append(lead + safe + trail)
    return "".join(out)


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * min(block.level, 6) + " " + markdown_inline(block.spans)]
    if isinstance(block, Para):
        return [markdown_inline(block.spans)]
    if isinstance(block, Bullets):
        return [
            f"{n}. {markdown_inline(item)}" if block.numbered else f"- {markdown_inline(item)}"
            for n, item in enumerate(block.items, start=1)
        ]
    if isinstance(block, Quote):
        return ["> " + markdown_inline(block.spans)]
    if isinstance(block, PageBreak):
        return ["---"]
    return []  # WriteSpace: a Markdown reader writes elsewhere


def to_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as a Markdown document (blank lines between blocks)."""
    out: list[str] = []
    for block in blocks:
        lines = _md_block(block)
        if lines:
            out.extend([*lines, ""])
    return "\n".join(out).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; background: #fff;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin: 0 0 .4em; border-bottom: 2px solid #111; }
h2 { font-size: 1.25em; margin: 1.4em 0 .4em; }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
h4 { font-size: 1em; margin: 1em 0 .2em; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p, li, blockquote { break-inside: avoid; page-break-inside: avoid; }
p { margin: .35em 0; }
ul, ol { margin: .3em 0 .6em; padding-left: 1.4em; }
blockquote { margin: .4em 0 .6em; padding: .3em .8em; border-left: 3px solid #555;
  background: #f3f3f3; }
.line { margin-left: 1em; }
.note { font-style: italic; }
.draft { border: 2px solid #111; padding: .4em .6em; font-weight: bold; }
.write { height: 3.2em; border-bottom: 1px solid #999; margin-bottom: .4em; }
hr.page { border: 0; border-top: 1px dashed #999; margin: 2.5em 0; }
@page { margin: 12mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; line-height: 1.35; }
  h1 { font-size: 1.45em; }
  h2 { font-size: 1.12em; margin: .9em 0 .3em; }
  .write { height: 2em; }
  p { margin: .25em 0; }
  ul, ol { margin: .2em 0 .4em; }
  hr.page { border: 0; margin: 0; break-after: page; page-break-after: always; }
  blockquote { background: none; }
}
"""


def _e(text: str) -> str:
    return html.escape(clean(text, newlines=False, tabs=False), quote=True)


def _html_inline(spans: Sequence[Span]) -> str:
    out: list[str] = []
    for span in spans:
        text = _e(_folded(span))
        if span.style is Style.BOLD:
            text = f"<strong>{text}</strong>"
        elif span.style is Style.ITALIC:
            text = f"<em>{text}</em>"
        out.append(text)
    return "".join(out)


def _class(css: str) -> str:
    return f' class="{html.escape(css, quote=True)}"' if css else ""


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(block.level, 6)
        return f"<h{level}>{_html_inline(block.spans)}</h{level}>"
    if isinstance(block, Para):
        return f"<p{_class(block.css)}>{_html_inline(block.spans)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.numbered else "ul"
        items = "".join(f"<li>{_html_inline(item)}</li>" for item in block.items)
        return f"<{tag}{_class(block.css)}>{items}</{tag}>"
    if isinstance(block, Quote):
        return f"<blockquote>{_html_inline(block.spans)}</blockquote>"
    if isinstance(block, WriteSpace):
        return '<div class="write"></div>'
    return '<hr class="page">'


def to_html(title: str, blocks: Sequence[Block], *, language: str = "en") -> str:
    """The blocks as one self-contained HTML page: inline styles, no script, no assets."""
    body = "\n".join(_html_block(block) for block in blocks)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(language)}"><head><meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
