"""What a library list needs of a scenario, without keeping the scenario: its summary, and a
private cache of summaries so the app's library opens without reading every file again.

A kept scenario is about 0.7 MiB of models; its summary is a few hundred bytes. The app
lists summaries and loads a scenario in full only when it is opened.

The cache (``library-cache.json`` in the data folder, readable only by the user) holds, for
each file, its summary or, for a broken file, its diagnostics, under the file's resolved
path, its size, modification and change times and inode: a file that changes in any way is
read and checked again. The whole cache is dropped when roleplay's version changes (the
checks may have changed). It is written only into a data folder that already exists:
opening the app creates nothing before the learner saves something.

Beside a valid file's summary the cache keeps the strongest option at each of its decision
points (``strongest_options``), which is all ``export --all`` needs of a scenario: an export
of a history whose scenarios are cached loads no scenario models.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay import __version__
from roleplay.core.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from roleplay.core.models import Scenario

CACHE_FILE = "library-cache.json"
CACHE_FORMAT = 1
"""Bumped when what is cached changes shape."""


@dataclass(frozen=True)
class Summary:
    """A valid scenario as the library list, its search and its detail panel show it."""

    id: str
    title: str
    summary: str
    client: str
    pronouns: str
    minutes: int
    difficulty: str
    skills: tuple[str, ...]
    objectives: tuple[str, ...]
    content_notes: tuple[str, ...]
    id_position: tuple[int, int] = (1, 1)
    """Where the file sets its ``id`` (for an error about a duplicate id)."""

    def to_json(self) -> dict[str, object]:
        """A plain dict for the cache."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        """Read back what ``to_json`` wrote (KeyError or TypeError if it is not that)."""
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            summary=str(data["summary"]),
            client=str(data["client"]),
            pronouns=str(data["pronouns"]),
            minutes=int(data["minutes"]),
            difficulty=str(data["difficulty"]),
            skills=tuple(str(s) for s in data["skills"]),
            objectives=tuple(str(s) for s in data["objectives"]),
            content_notes=tuple(str(s) for s in data["content_notes"]),
            id_position=(int(data["id_position"][0]), int(data["id_position"][1])),
        )


def summary_of(scenario: Scenario, id_position: tuple[int, int] = (1, 1)) -> Summary:
    """The summary of a loaded scenario."""
    return Summary(
        id=scenario.id,
        title=scenario.title,
        summary=scenario.summary,
        client=scenario.client.name,
        pronouns=scenario.client.pronouns,
        minutes=scenario.minutes,
        difficulty=scenario.difficulty.value,
        skills=tuple(scenario.skills),
        objectives=tuple(scenario.objectives),
        content_notes=tuple(scenario.content_notes),
        id_position=id_position,
    )


Picks = dict[str, tuple[str, str]]
"""Decision point id -> (option id, text) of the strongest option there."""


def strongest_options(scenario: Scenario) -> Picks:
    """The strongest option each decision point can offer, by rating then trust change (the
    debrief's order), first of equals. Unlike the debrief, which compares only the options
    on offer at the time, this ignores conditions, so a repair option offered only after a
    rupture can be named: replaying every attempt of a large export to know exactly would
    make it many times slower."""
    picks: Picks = {}
    for node in scenario.decision_points():
        ranked = sorted(
            enumerate(node.options),
            key=lambda p: (-p[1].feedback.rating.rank, -p[1].effects.trust, p[0]),
        )
        index, option = ranked[0]
        picks[node.id] = (node.option_id(index), option.text)
    return picks


def file_key(path: Path) -> list[int] | None:
    """What tells a file has changed: size, modification and change times, inode."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


@dataclass(frozen=True)
class Cached:
    """One file as it was when last checked: its summary if valid, and every diagnostic."""

    summary: Summary | None
    diagnostics: list[Diagnostic]
    strongest: Picks | None = None
    """The strongest options of a valid file, if they were recorded with it."""


def _diagnostic(data: Mapping[str, Any]) -> Diagnostic:
    return Diagnostic(
        str(data["path"]),
        int(data["line"]),
        int(data["column"]),
        Severity(data["severity"]),
        str(data["message"]),
        str(data["code"]),
    )


class SummaryCache:
    """Summaries by file, read from and written to one private file in the data folder."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_FILE if folder is not None else None
        self.files: dict[str, dict[str, Any]] = {}
        self.changed = False
        self.used: set[str] = set()
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no cache yet, or a damaged one: every file is read again
        if (
            isinstance(data, dict)
            and data.get("format") == CACHE_FORMAT
            and data.get("version") == __version__
            and isinstance(data.get("files"), dict)
        ):
            self.files = data["files"]

    def get(self, path: Path, key: list[int] | None) -> Cached | None:
        """The file as last checked, if it has not changed since; else None."""
        name = str(path)
        self.used.add(name)
        found = self.files.get(name)
        if key is None or not isinstance(found, dict) or found.get("key") != key:
            return None
        try:
            summary = found["summary"]
            picks = found.get("strongest")
            return Cached(
                Summary.from_json(summary) if summary is not None else None,
                [_diagnostic(d) for d in found["diagnostics"]],
                None if picks is None else {str(n): (str(o), str(t)) for n, o, t in picks},
            )
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def put(
        self,
        path: Path,
        key: list[int] | None,
        summary: Summary | None,
        diagnostics: list[Diagnostic],
        strongest: Picks | None = None,
    ) -> None:
        """Remember a file as checked now (with its strongest options, if known)."""
        name = str(path)
        self.used.add(name)
        if key is None:
            return
        self.files[name] = {
            "key": key,
            "summary": summary.to_json() if summary is not None else None,
            "diagnostics": [d.to_json() for d in diagnostics],
        }
        if strongest is not None:
            self.files[name]["strongest"] = [[n, o, t] for n, (o, t) in strongest.items()]
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed, keeping only files seen in this scan; only
        into a data folder that exists, privately, replacing the old file in one step."""
        if self.path is None or not self.path.parent.is_dir():
            return
        # Files not in this scan are kept while they exist (another folder set may list
        # them); files that are gone are dropped.
        stale = {name for name in set(self.files) - self.used if not os.path.exists(name)}
        if not self.changed and not stale:
            return
        for name in stale:
            del self.files[name]
        text = json.dumps(
            {"format": CACHE_FORMAT, "version": __version__, "files": self.files},
            separators=(",", ":"),
        )
        partial = self.path.with_name(f".{CACHE_FILE}.{os.getpid()}.tmp")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(partial, self.path)
        except OSError:
            # A cache that cannot be written only makes the next start slower.
            partial.unlink(missing_ok=True)
        self.changed = False
