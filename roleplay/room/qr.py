"""The join link as a QR code: half-block characters for the terminal (two rows of
modules per line of text) and inline SVG for the projector page. Encoding is segno's."""

from __future__ import annotations

import segno

QUIET = 2
"""Light modules around the code; scanners want some, and the terminal has few rows."""


def qr_matrix(text: str) -> list[list[bool]]:
    """The code's modules, True for dark, with a quiet border."""
    code = segno.make(text, error="l", micro=False)
    rows = [[bool(cell) for cell in row] for row in code.matrix]
    width = len(rows[0]) + 2 * QUIET
    blank = [False] * width
    padded = [[False] * QUIET + row + [False] * QUIET for row in rows]
    return [list(blank) for _ in range(QUIET)] + padded + [list(blank) for _ in range(QUIET)]


def half_blocks(text: str) -> list[str]:
    """The code as lines of ``█ ▀ ▄`` and spaces, meant as dark ink on a light background."""
    matrix = qr_matrix(text)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return [
        "".join(glyphs[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    ]


def svg(text: str, scale: int = 6) -> str:
    """The code as an inline ``<svg>`` element (black on white), for an HTML page."""
    code = segno.make(text, error="l", micro=False)
    inline: str = code.svg_inline(scale=scale, border=QUIET, dark="#000", light="#fff")
    return inline
