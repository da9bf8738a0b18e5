"""Load a scenario file: safe YAML, schema validation and lint, with line-accurate errors."""

from __future__ import annotations

import difflib
import hashlib
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from roleplay.core.diagnostics import Diagnostic, ScenarioError, Severity, error
from roleplay.core.lint import lint
from roleplay.core.models import Scenario
from roleplay.core.yamlsource import (
    Document,
    PathKey,
    decode_text,
    parse_text,
    read_bytes,
)


@dataclass
class LoadedScenario:
    """A valid scenario with where it came from and any warnings about it."""

    scenario: Scenario
    path: Path
    id_position: tuple[int, int]
    """Line and column of the scenario's ``id`` (for errors about the file as a whole)."""
    digest: str
    """SHA-256 of the file's bytes: tells a saved attempt whether the file has changed."""
    warnings: list[Diagnostic] = field(default_factory=list)


def load_scenario(path: Path | str) -> LoadedScenario:
    """Load and check a scenario file; raise ScenarioError listing every error found."""
    path = Path(path)
    raw = read_bytes(path)
    return load_bytes(raw, path)


def load_bytes(raw: bytes, path: Path) -> LoadedScenario:
    """Load a scenario from bytes already read (``path`` names it in messages)."""
    file = str(path)
    document = parse_text(decode_text(raw, file), file)
    scenario = validate_document(document)
    findings = lint(scenario, document.source)
    errors = [d for d in findings if d.severity is Severity.ERROR]
    if errors:
        raise ScenarioError(sorted(findings))
    return LoadedScenario(
        scenario=scenario,
        path=path,
        # Only the id's position is kept: holding every file's node tree would make a large
        # library slow to load (the garbage collector walks them all) and heavy in memory.
        id_position=document.source.locate(("id",)),
        digest=hashlib.sha256(raw).hexdigest(),
        warnings=sorted(findings),
    )


def check_file(path: Path | str) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    """Load a file and return (scenario or None, every diagnostic), never raising for bad input."""
    try:
        loaded = load_scenario(path)
    except ScenarioError as exc:
        return None, list(exc.diagnostics)
    return loaded, list(loaded.warnings)


def validate_document(document: Document) -> Scenario:
    """Validate parsed data against the schema, mapping each error to its line."""
    try:
        return Scenario.model_validate(document.data)
    except ValidationError as exc:
        raise ScenarioError(_map_errors(exc, document)) from None


def _map_errors(exc: ValidationError, document: Document) -> list[Diagnostic]:
    details = [
        (_data_path(detail["loc"], document.data), detail)
        for detail in exc.errors(include_url=False)
    ]
    # A value that fails every member of a union (``ending: id`` or a list of choices) gets
    # one error per member. The member that matched the value's shape reports errors deeper
    # inside it; the others only say 'wrong type' at the value itself, so those are dropped.
    deeper = {path[:n] for path, _ in details for n in range(len(path))}
    found: dict[tuple[object, ...], Diagnostic] = {}
    for data_path, detail in details:
        if detail["type"].endswith("_type") and data_path in deeper:
            continue
        diagnostic = _diagnostic(detail, data_path, document)
        found.setdefault((*data_path, diagnostic.code), diagnostic)
    return sorted(found.values())


def _data_path(loc: tuple[int | str, ...], data: Any) -> PathKey:
    """Turn pydantic's error location into a path through the data.

    Pydantic inserts union member names (``str``, ``list[EndingChoice]``, ...) and validator
    names into locations; they are skipped because they are not keys in the document.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        is_last = index == len(loc) - 1
        if isinstance(current, dict) and isinstance(part, str):
            if part in current:
                path.append(part)
                current = current[part]
            elif is_last:
                path.append(part)  # a missing or unknown key: keep it for the message
            continue
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def _diagnostic(detail: ErrorDetails, path: PathKey, document: Document) -> Diagnostic:
    source = document.source
    file = source.file
    kind = detail["type"]
    where = _describe(path)
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        line, column = source.locate(path, key=True)
        valid = _valid_keys(path[:-1])
        hint = ""
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        if close:
            hint = f"; did you mean '{close[0]}'?"
        elif valid:
            hint = f"; keys allowed here: {', '.join(valid)}"
        return error(
            file, line, column, f"unknown key '{key}'{_in(path[:-1])}{hint}", "unknown-key"
        )
    if kind == "missing":
        key = str(path[-1]) if path else "?"
        line, column = source.locate(path[:-1])
        return error(
            file, line, column, f"missing required key '{key}'{_in(path[:-1])}", "missing-key"
        )
    line, column = source.locate(path)
    message = detail["msg"]
    given = detail.get("input")
    if kind == "string_type" and isinstance(given, bool | int | float | date):
        kind_name = {bool: "a boolean (true/false)", int: "a number", float: "a number"}.get(
            type(given), "a date"
        )
        message += f" (YAML read {given!r} as {kind_name}; put the text in quotes)"
    elif kind == "string_type" and isinstance(given, dict):
        message += (
            " (YAML read this text as a mapping because it contains ': '; put the text in "
            "quotes or write it as a '>-' block)"
        )
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    code = kind.replace("_", "-") if kind in _OWN_CODES else "invalid-value"
    prefix = f"{where}: " if where else ""
    return error(file, line, column, f"{prefix}{message}", code)


_OWN_CODES = {
    "unknown_skill",
    "stronger_missing",
    "reviewers_missing",
    "bands_start",
    "bands_order",
    "bands_duplicate",
    "empty_line",
    "line_mixed",
    "node_kind",
}


def _describe(path: PathKey) -> str:
    """A readable name for a location, e.g. ``nodes[2].options[0].next``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _in(path: PathKey) -> str:
    where = _describe(path)
    return f" in {where}" if where else " at the top level"


def _valid_keys(path: PathKey) -> list[str]:
    """The keys the schema allows in the mapping at ``path``."""
    candidates: list[type[BaseModel]] = [Scenario]
    for part in path:
        if isinstance(part, int):
            continue
        next_candidates: list[type[BaseModel]] = []
        for model in candidates:
            info = model.model_fields.get(part)
            if info is not None:
                next_candidates.extend(_models_in(info.annotation))
        candidates = next_candidates
    keys: list[str] = []
    for model in candidates:
        keys.extend(name for name in model.model_fields if name not in keys)
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found
