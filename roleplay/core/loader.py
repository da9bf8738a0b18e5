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
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from roleplay.core.diagnostics import Diagnostic, ScenarioError, Severity, error
from roleplay.core.lint import lint
from roleplay.core.models import SLUG_PATTERN, Node, Scenario
from roleplay.core.yamlsource import (
    Document,
    PathKey,
    SourceMap,
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
    read = _yaml_read(given, _written(source, path))
    field = _field(path)
    if field is not None and field in _SHAPES and kind in {"string_type", "list_type", "too_short"}:
        # A union (an id or a list of choices) that matched neither member: say both shapes.
        message = f"{_SHAPES[field]}; YAML read {read}"
    elif kind == "int_type":
        message = f"expected a whole number; YAML read {read}; {_number_fix(given)}"
    elif kind == "string_type" and (given is None or isinstance(given, list)):
        message = f"expected {_expected_text(field)}; YAML read {read}"
    elif kind == "string_type" and isinstance(given, bool | int | float | date):
        message += f" (YAML read {read}; put the text in quotes)"
    elif kind == "string_type" and isinstance(given, dict):
        message += (
            " (YAML read this text as a mapping because it contains ': '; put the text in "
            "quotes or write it as a '>-' block)"
        )
    elif kind == "string_pattern_mismatch" and detail.get("ctx", {}).get("pattern") == SLUG_PATTERN:
        message = f"{given!r} is not a valid id: {_SLUG_HELP}"
    elif kind == "model_type":
        message = f"expected {_mapping_help(path)}; YAML read {read}"
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    code = kind.replace("_", "-") if kind in _OWN_CODES else "invalid-value"
    prefix = f"{where}: " if where else ""
    return error(file, line, column, f"{prefix}{message}", code)


_OWN_CODES = {
    "unknown_skill",
    "unknown_move",
    "invalid_language",
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
    keys: list[str] = []
    for model in _models_at(path):
        keys.extend(name for name in model.model_fields if name not in keys)
    return keys


def _models_at(path: PathKey) -> list[type[BaseModel]]:
    """The models a mapping at ``path`` may be (list indexes are passed through)."""
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
    return candidates


def _field(path: PathKey) -> tuple[type[BaseModel], str] | None:
    """The model and field name of the key at the end of ``path``, if it is a known key."""
    if not path or not isinstance(path[-1], str):
        return None
    for model in _models_at(path[:-1]):
        if path[-1] in model.model_fields:
            return model, path[-1]
    return None


_SLUG_HELP = "lower-case letters and digits joined by single hyphens, such as first-visit"

_SHAPES: dict[tuple[type[BaseModel], str], str] = {
    (Node, "ending"): (
        "an ending is an ending id, or a list of {when, ending} choices with at least one entry"
    ),
}
"""What belongs in a field that takes one of several shapes, for when a value fits none."""


def _written(source: SourceMap, path: PathKey) -> str | None:
    """A scalar as the author wrote it (``yes``, ``"8"``, ``0x1F``), not as YAML read it."""
    node = source.root
    for part in path:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return None
    if not isinstance(node, ScalarNode):
        return None
    text = " ".join(node.value.split())  # one line, even for a '|' block
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{node.style}{text}{node.style}" if node.style in ("'", '"') else text


def _yaml_read(given: object, written: str | None) -> str:
    """What YAML made of a value, e.g. ``yes as a boolean (true/false)``."""
    shown = written if written is not None else str(given)
    if given is None:
        return "null (empty)"
    if isinstance(given, list):
        return "[] (an empty list)" if not given else "a list"
    if isinstance(given, dict):
        return "a mapping"
    kind = next((name for cls, name in _KINDS if isinstance(given, cls)), "a value")
    return f"{shown} as {kind}"


_KINDS: list[tuple[type, str]] = [
    (bool, "a boolean (true/false)"),  # before int: a bool is an int in Python
    (int, "a number"),
    (float, "a decimal number"),
    (str, "text"),
    (date, "a date"),
]


def _number_fix(given: object) -> str:
    """What to write instead of a value that is not a whole number."""
    if isinstance(given, str) and given.strip().lstrip("+-").isdigit():
        return "remove the quotes"
    if isinstance(given, float) and given.is_integer():
        return f"write {int(given)}"
    return "write a whole number in digits, such as 10"


def _expected_text(field: tuple[type[BaseModel], str] | None) -> str:
    """The text a key needs, for a message about a value that is empty or a list."""
    if field is None:
        return "text"
    info = field[0].model_fields[field[1]]
    is_slug = any(getattr(item, "pattern", None) == SLUG_PATTERN for item in info.metadata)
    what = f"an id ({_SLUG_HELP})" if is_slug else "text"
    return f"{what}, which is required" if info.is_required() else f"{what} (or leave the key out)"


def _mapping_help(path: PathKey) -> str:
    """The keys of the model expected at ``path``, e.g. for an option written as plain text."""
    models = _models_at(path)
    if not models:
        return "a mapping"
    model = models[0]
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    optional = [name for name in model.model_fields if name not in required]
    article = "an" if model.__name__[0] in "AEIOU" else "a"
    keys = [f"{', '.join(required)} (required)"] if required else []
    if optional:
        keys.append(f"{', '.join(optional)} (optional)")
    return f"{article} {model.__name__} mapping with the keys {' and '.join(keys)}"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found
