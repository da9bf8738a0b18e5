"""The scenario library: every scenario file in the bundled, user and extra folders.

A file that fails validation is kept in the library as broken, with its diagnostics, so a
front end can list it with its first error instead of failing.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from roleplay.core.diagnostics import Diagnostic, Severity, error
from roleplay.core.loader import LoadedScenario, check_file
from roleplay.core.locations import bundled_scenarios_dir, extra_scenario_dirs

SUFFIXES = (".yaml", ".yml")


@dataclass
class Entry:
    """One scenario file in the library, valid or not."""

    path: Path
    loaded: LoadedScenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    valid_id: str | None = None
    """The id of a valid scenario that was checked but not kept (``scan(keep=False)``)."""

    @property
    def ok(self) -> bool:
        """Whether the scenario can be played."""
        return (self.loaded is not None or self.valid_id is not None) and not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors found (warnings left out)."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def id(self) -> str:
        """The scenario id, or the file name for a broken file."""
        if self.loaded is not None:
            return self.loaded.scenario.id
        return self.valid_id or self.path.stem


def default_dirs(extra: Sequence[Path] = (), user_dir: Path | None = None) -> list[Path]:
    """Bundled folder, the user's folder, ``$ROLEPLAY_SCENARIOS``, then ``extra``, deduplicated."""
    # Implicit folders that do not exist are skipped; folders the user named are kept so
    # that a mistyped path shows up as an error rather than an empty library.
    implicit = [bundled_scenarios_dir(), *([user_dir] if user_dir else [])]
    candidates = [path for path in implicit if path.is_dir()]
    candidates.extend(extra_scenario_dirs())
    candidates.extend(extra)
    seen: list[Path] = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved not in seen:
            seen.append(resolved)
    return seen


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """Scenario files named directly or found (not recursively) in folders, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


_pause_lock = threading.Lock()
_pauses = [0, True]  # scans under way, and whether the collector was on before the first


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while scenarios are loaded.

    Each kept scenario is a few thousand tracked objects; with the collector on, every
    collection during a scan walks all those already loaded, which tripled the time per file
    and made it grow with the library. Loading creates no garbage cycles worth chasing
    (parse trees and models are freed by reference counting), so collecting once afterwards,
    as Python does on its own, costs one walk instead of hundreds. Scans may overlap (a
    rescan while one is running): the collector comes back on after the last one.
    """
    with _pause_lock:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def scan(paths: Iterable[Path], *, keep: bool = True) -> list[Entry]:
    """Load every scenario file; later files reusing an id are marked broken.

    With ``keep=False`` (checking, as ``validate`` does) a valid scenario is dropped once
    checked, its id kept in ``Entry.valid_id``: memory stays flat however large the library.
    """
    with _collector_paused():
        return _scan(paths, keep)


def _scan(paths: Iterable[Path], keep: bool) -> list[Entry]:
    entries: list[Entry] = []
    owners: dict[str, Path] = {}
    for path in scenario_files(paths):
        if path.exists() and not path.is_file():
            # A pipe or device named as a scenario would be read until it ends, perhaps never.
            message = "not a regular file: a scenario must be a .yaml file"
            entries.append(Entry(path, None, [error(path, 1, 1, message, "not-a-file")]))
            continue
        loaded, diagnostics = check_file(path)
        entry = Entry(path=path, loaded=loaded, diagnostics=diagnostics)
        if loaded is not None:
            scenario_id = loaded.scenario.id
            if scenario_id in owners and owners[scenario_id] != path:
                line, column = loaded.id_position
                entry.diagnostics.insert(
                    0,
                    error(
                        path,
                        line,
                        column,
                        f"scenario id '{scenario_id}' is already used by {owners[scenario_id]}; "
                        "give this scenario its own id",
                        "duplicate-scenario",
                    ),
                )
            else:
                owners[scenario_id] = path
            if not keep:
                entry.loaded, entry.valid_id = None, scenario_id
        entries.append(entry)
    return entries


def find(reference: str, entries: Sequence[Entry]) -> Entry | None:
    """The entry with this scenario id, or whose file is at this path."""
    for entry in entries:
        if entry.loaded is not None and entry.loaded.scenario.id == reference and entry.ok:
            return entry
    for entry in entries:
        # A broken file by id (or by file name when its id could not be read), so that the
        # caller can show its errors rather than say it does not exist.
        if not entry.ok and entry.id == reference:
            return entry
    target = Path(reference)
    if target.suffix in SUFFIXES or target.exists():
        resolved = target.resolve()
        for entry in entries:
            if entry.path.resolve() == resolved:
                return entry
    return None
