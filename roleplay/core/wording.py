"""Small helpers for putting author and learner text into sentences: quoting it once, and
shortening it at a word boundary."""

from __future__ import annotations

_QUOTES = "\"'“”‘’«»"


def quoted(text: str) -> str:
    """Text in curly quotes, unless the author already quoted it (no doubled quotes)."""
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES:
        return stripped
    return f"“{stripped}”"


def shortened(text: str, limit: int = 90) -> str:
    """One line of at most ``limit`` characters, cut between words and marked with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


_POSSESSIVE = {"she": "hers", "he": "his", "they": "theirs", "ze": "hirs", "xe": "xyrs"}


def possessive(name: str, pronouns: str) -> str:
    """The client's possessive pronoun from how they write their pronouns ("she/her" ->
    "hers", "they/them" -> "theirs"); for pronouns not known here, their name ("Ari's")
    rather than a guess."""
    first = pronouns.split("/")[0].strip().lower()
    return _POSSESSIVE.get(first, f"{name}’s")
