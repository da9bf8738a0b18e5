"""The command line's scenario commands: finding a scenario by id or path, ``validate``,
``list``, ``graph``, ``paths``, ``schema``, ``skills`` and ``new``."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from roleplay.cli_errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from roleplay.core.diagnostics import ScenarioError, Severity
from roleplay.core.library import Entry, check_each, find, scan, scenario_files
from roleplay.core.safetext import clean
from roleplay.core.yamlsource import missing_reason
from roleplay.settings import Settings, UnknownTheme

if TYPE_CHECKING:
    from roleplay.core.models import Scenario


def settings_of(args: argparse.Namespace) -> Settings:
    """The run's settings from the options shared by every command (an unknown
    ``--theme`` is a usage error: exit 2, naming the themes)."""
    try:
        return Settings.resolve(
            data=args.data_dir,
            scenarios=list(args.scenarios),
            theme=getattr(args, "theme", None),
            animation=not getattr(args, "no_animation", False),
        )
    except UnknownTheme as exc:
        raise UsageError(str(exc)) from None


def resolve_scenario(reference: str, settings: Settings) -> Entry:
    """Find a scenario by id in the library, or load it from a path."""
    as_path = Path(reference)
    looks_like_path = as_path.suffix in (".yaml", ".yml") or "/" in reference
    if looks_like_path and not as_path.is_file():
        if as_path.is_dir():
            raise UsageError(
                f"{reference} is a folder, not a scenario file: name a .yaml file in it, "
                f"or use --scenarios {shlex.quote(reference)} and the scenario's id"
            )
        if as_path.exists():
            raise UsageError(f"{reference} is not a regular file: name a scenario (.yaml) file")
        raise UsageError(f"no scenario file at {reference}")
    entries = scan([as_path]) if looks_like_path else scan(settings.scenario_dirs)
    entry = find(reference, entries)
    if entry is None:
        if looks_like_path:
            raise UsageError(f"no scenario file at {reference}")
        known = ", ".join(sorted(e.id for e in entries if e.ok)) or "none"
        raise UsageError(f"no scenario with id '{reference}' (known: {known})")
    if not entry.ok:
        raise ScenarioError(entry.errors)
    return entry


def scenario_of(args: argparse.Namespace) -> Scenario:
    """The scenario ``args.scenario`` names (by id or path), loaded."""
    entry = resolve_scenario(args.scenario, settings_of(args))
    assert entry.loaded is not None
    return entry.loaded.scenario


def validate(args: argparse.Namespace) -> int:
    """``roleplay validate``: check files or the library; report every problem."""
    settings = settings_of(args)
    paths = list(args.paths) or list(settings.scenario_dirs)
    for path in args.paths:
        if (missing := missing_reason(path)) is not None:
            raise UsageError(f"{missing}: {clean(str(path), newlines=False)}")
        # A pipe or device would be read until it ends, perhaps never.
        if not path.is_file() and not path.is_dir():
            raise UsageError(
                f"{clean(str(path), newlines=False)} is not a regular file: name scenario "
                "files or folders"
            )
        if path.is_dir() and not scenario_files([path]):
            print(
                f"roleplay: no scenario files (.yaml or .yml) in {clean(str(path))}; name the "
                "folder that "
                "holds them, or start one with: roleplay new ID --dir " + shlex.quote(str(path)),
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    # Each file is reported as soon as it is checked and then dropped: memory stays flat
    # however many files there are (only the totals outlive a file).
    entries = check_each(paths)
    if args.format == "json":
        try:
            failed = _validate_json(entries, args.strict, sys.stdout)
        except _SpoolFull as exc:
            print(
                f"roleplay: cannot keep the JSON report in a temporary file ({exc.strerror}); "
                f"free some space in {clean(tempfile.gettempdir())} or set TMPDIR to a folder "
                "with room, or use --format text (which needs none)",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    else:
        failed = _validate_text(entries, args.strict, sys.stdout)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _counts(entry: Entry) -> tuple[int, int]:
    """(errors, warnings) among an entry's diagnostics."""
    errors = sum(1 for d in entry.diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in entry.diagnostics if d.severity is Severity.WARNING)
    return errors, warnings


def _validate_text(entries: Iterable[Entry], strict: bool, out: IO[str]) -> bool:
    """Print each file's diagnostics as it is checked, then the totals; whether it failed."""
    files = errors = warnings = 0
    for entry in entries:
        files += 1
        for diagnostic in entry.diagnostics:
            print(diagnostic, file=out)
        found = _counts(entry)
        errors += found[0]
        warnings += found[1]
    print(
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}",
        file=out,
    )
    return errors > 0 or (strict and warnings > 0)


def _validate_json(entries: Iterable[Entry], strict: bool, out: IO[str]) -> bool:
    """The report as one JSON object, the same text as ``json.dumps(report, indent=2)``;
    whether it failed.

    The report opens with ``ok``, known only once every file is checked: each file's part
    is written to a spool (a private temporary file once it grows) as its file is checked,
    and copied out after the head."""
    files = errors = warnings = 0
    with _Spool() as body:
        for entry in entries:
            item = {
                "path": str(entry.path),
                # A file that did not load has no id: null, never its file name passed
                # off as one (the path says which file it is).
                "id": entry.id if entry.loaded is not None or entry.valid_id is not None else None,
                "ok": entry.ok,
                "diagnostics": [d.to_json() for d in entry.diagnostics],
            }
            # Newlines occur only between tokens (the encoder escapes them in strings), so
            # indenting each line nests the object in the list as one dump would.
            lines = json.dumps(item, indent=2).split("\n")
            body.write((",\n" if files else "") + "\n".join("    " + line for line in lines))
            files += 1
            found = _counts(entry)
            errors += found[0]
            warnings += found[1]
        failed = errors > 0 or (strict and warnings > 0)
        report = {
            "ok": not failed,
            "strict": strict,
            "files": [],
            "errors": errors,
            "warnings": warnings,
        }
        text = json.dumps(report, indent=2)
        if not files:
            print(text, file=out)
            return failed
        head, tail = text.split('"files": []')
        out.write(head + '"files": [\n')
        body.copy_to(out)
        out.write("\n  ]" + tail + "\n")
    return failed


class _SpoolFull(OSError):
    """The spool's temporary file could not be written (a full disk)."""


class _Spool:
    """Text written once and read back once: in memory while small, then in a temporary
    file (private to the user, deleted when closed); in memory still if no temporary file
    can be made."""

    LIMIT = 1 << 20
    """Characters kept in memory before the rest goes to a temporary file."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0
        self._file: IO[str] | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()

    def write(self, text: str) -> None:
        """Add text at the end."""
        if self._file is not None:
            try:
                self._file.write(text)
            except OSError as exc:
                raise _SpoolFull(exc.errno, exc.strerror) from None
            return
        self._parts.append(text)
        self._size += len(text)
        if self._size > self.LIMIT:
            try:
                # Closed in __exit__: the spool lives across many writes.
                self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            except OSError:
                return  # no room for a temporary file: memory it is
            parts, self._parts, self._size = self._parts, [], 0
            self.write("".join(parts))

    def copy_to(self, out: IO[str]) -> None:
        """Write everything written so far to ``out``."""
        if self._file is None:
            out.writelines(self._parts)
            return
        self._file.seek(0)
        shutil.copyfileobj(self._file, out)


def list_scenarios(args: argparse.Namespace) -> int:
    """``roleplay list``: the playable scenarios (broken ones named on stderr)."""
    settings = settings_of(args)
    entries = scan(settings.scenario_dirs)
    rows = []
    for entry in entries:
        if not entry.ok or entry.loaded is None:
            continue
        scenario = entry.loaded.scenario
        rows.append(
            {
                "id": scenario.id,
                "title": scenario.title,
                "path": str(entry.path),
                "client": scenario.client.name,
                "minutes": scenario.minutes,
                "difficulty": scenario.difficulty.value,
                "skills": list(scenario.skills),
                "decision_points": len(scenario.decision_points()),
                "endings": len(scenario.endings),
                "content_notes": list(scenario.content_notes),
                "review_status": scenario.provenance.review_status,
            }
        )
    broken = [entry for entry in entries if not entry.ok]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        if rows:
            width = max(len(str(row["id"])) for row in rows)
            for row in rows:
                title = clean(str(row["title"]), newlines=False, tabs=False)
                print(
                    f"{row['id']!s:{width}}  {row['minutes']!s:>3} min  "
                    f"{row['difficulty']!s:12}  {title}"
                )
        else:
            print("no scenarios found")
    for entry in broken:
        problem = entry.errors[0] if entry.errors else clean(str(entry.path), newlines=False)
        print(f"broken: {problem}", file=sys.stderr)
    return EXIT_OK


def schema() -> int:
    """``roleplay schema``: the JSON Schema of the scenario format."""
    from roleplay.core.schema import schema_json

    print(schema_json())
    return EXIT_OK


def skills() -> int:
    """``roleplay skills``: the skill taxonomy."""
    from roleplay.core.skills import skills as taxonomy

    for skill in taxonomy().values():
        print(f"{skill.id:22} {skill.name}: {skill.summary}")
    return EXIT_OK


def graph(args: argparse.Namespace) -> int:
    """``roleplay graph``: a scenario's branches as Mermaid or Graphviz."""
    from roleplay.core.graph import to_dot, to_mermaid

    scenario = scenario_of(args)
    print(to_mermaid(scenario) if args.format == "mermaid" else to_dot(scenario), end="")
    return EXIT_OK


def paths(args: argparse.Namespace) -> int:
    """``roleplay paths``: the paths through a scenario and where they end."""
    from roleplay.core.paths import analyse, report_text

    report = analyse(scenario_of(args))
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(clean("\n".join(report_text(report))))
    return EXIT_OK


def new(args: argparse.Namespace) -> int:
    """``roleplay new``: a small valid scenario to start from."""
    from roleplay.core.template import TemplateError, write_template

    try:
        path = write_template(args.id, args.dir)
    except TemplateError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {path}; check it with: roleplay validate --strict {shlex.quote(str(path))}")
    return EXIT_OK
