"""Helpers for building scenarios as dicts and locating text positions in them.

Scenarios are built as plain dicts, dumped with ``yaml.safe_dump(sort_keys=False)`` and
loaded through the real loader, so that diagnostics carry real line numbers. ``where``
finds the expected (line, column) of a piece of text, so tests never hard-code positions
that depend on the dumper's layout.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from roleplay.core.diagnostics import Diagnostic, ScenarioError
from roleplay.core.engine import Engine
from roleplay.core.lint import lint
from roleplay.core.loader import LoadedScenario, load_bytes, validate_document
from roleplay.core.models import Scenario
from roleplay.core.yamlsource import parse_text

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
FILE = "t.yaml"


def feedback(
    rating: str = "builds-trust", skills: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "rating": rating,
        "skills": skills or ["humility"],
        "why": f"Because ({rating}).",
        "inner_experience": "Hmm.",
    }
    if rating != "builds-trust":
        card["stronger"] = "Say it better."
    card.update(extra)
    return card


def option(
    oid: str | None,
    nxt: str,
    trust: int = 0,
    rating: str = "builds-trust",
    *,
    when: dict[str, Any] | None = None,
    skills: list[str] | None = None,
    text: str | None = None,
    reaction: list[dict[str, Any]] | None = None,
    examples: list[str] | None = None,
    **effects: Any,
) -> dict[str, Any]:
    """An option dict; it has three examples unless ``examples`` says otherwise."""
    out: dict[str, Any] = {}
    if oid is not None:
        out["id"] = oid
    out["text"] = text or f"Say {oid or 'something'}."
    if when is not None:
        out["when"] = when
    eff = {"trust": trust, **effects}
    out["effects"] = eff
    if reaction is not None:
        out["reaction"] = reaction
    out["next"] = nxt
    out["feedback"] = feedback(rating, skills)
    out["examples"] = (
        [f"{oid} one way", f"{oid} another way", f"{oid} a third way"]
        if examples is None
        else examples
    )
    return out


def node(
    nid: str,
    *options: dict[str, Any],
    lines: list[dict[str, Any]] | None = None,
    title: str | None = None,
    ending: Any = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": nid}
    if title is not None:
        out["title"] = title
    out["lines"] = lines if lines is not None else [{"say": f"Line at {nid}."}]
    if options:
        out["options"] = list(options)
    if ending is not None:
        out["ending"] = ending
    return out


def scenario(
    nodes: list[dict[str, Any]] | None = None,
    *,
    start: str | None = None,
    trust_start: int = 50,
    bands: list[dict[str, Any]] | None = None,
    endings: list[dict[str, Any]] | None = None,
    ruptures: list[dict[str, Any]] | None = None,
    skills: list[str] | None = None,
    sid: str = "kit",
) -> dict[str, Any]:
    """A complete scenario dict; by default two decision options leading to one ending."""
    if nodes is None:
        nodes = [
            node("a", option("good", "end", 10), option("bad", "end", -5, "missed-opportunity")),
            node("end", ending="done"),
        ]
    data: dict[str, Any] = {
        "id": sid,
        "title": "Kit scenario",
        "summary": "Built by a test.",
        "minutes": 5,
        "difficulty": "intro",
        "objectives": ["Test"],
        "skills": skills or ["humility"],
        "provenance": {"authors": ["tests"]},
        "setting": "A room.",
        "client": {
            "name": "Ana",
            "pronouns": "she/her",
            "age": 40,
            "introduction": "Hello.",
            "what_matters": ["Tests"],
        },
        "trust": {
            "start": trust_start,
            "bands": bands
            or [{"id": "low", "min": 0}, {"id": "mid", "min": 40}, {"id": "high", "min": 70}],
        },
    }
    if ruptures is not None:
        data["ruptures"] = ruptures
    data["start"] = start or nodes[0]["id"]
    data["nodes"] = nodes
    data["endings"] = endings or [{"id": "done", "title": "Done", "description": "It ends."}]
    data["reflection_prompts"] = ["What now?"]
    return data


def rupture(rid: str) -> dict[str, Any]:
    return {"id": rid, "title": f"Rupture {rid}", "description": f"What {rid} felt like."}


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def clone(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)


def findings(text: str) -> list[Diagnostic]:
    """Every lint finding (errors and warnings) for schema-valid YAML text."""
    document = parse_text(text, FILE)
    return lint(validate_document(document), document.source)


def errors_of(text: str | bytes) -> list[Diagnostic]:
    """The diagnostics of a file that must fail to load."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        load_bytes(raw, Path(FILE))
    except ScenarioError as exc:
        return list(exc.diagnostics)
    raise AssertionError("expected the text to be refused")


def load_text(text: str) -> LoadedScenario:
    return load_bytes(text.encode("utf-8"), Path(FILE))


def load_dict(data: dict[str, Any]) -> Scenario:
    return load_text(dump(data)).scenario


def engine_for(data: dict[str, Any]) -> Engine:
    return Engine(load_dict(data))


def mini() -> Scenario:
    return load_bytes(MINI.read_bytes(), MINI).scenario


def where(text: str, needle: str, occurrence: int = 1, at: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` (its ``occurrence``-th match) in ``text``.

    With ``at``, the position of the last occurrence of the substring ``at`` inside that
    match (e.g. the value after the key).
    """
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    if at is not None:
        index += needle.rindex(at)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = only(diagnostics, code)
    assert len(found) == 1, f"expected one [{code}], got: {[str(d) for d in diagnostics]}"
    return found[0]


def at(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column
