"""What present mode was asked for (a scenario, timer and split settings, the clock, a
session to resume), and where a group session's files go: kept apart from the present
screen so the command line and the app can name it without importing that screen.

A group session's files live in the data folder's ``sessions`` folder (0700), each file
0600 and written atomically (a temporary file renamed over the old one), so a session
killed at any moment leaves the last complete record: ``group-SCENARIO-STAMP.json`` is
saved after every step and resumed with ``roleplay present SCENARIO --resume``. Saving the
summary writes ``.md`` with the class's votes as ``.csv`` and ``.json`` beside it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from roleplay.core.facilitation import Clock, Facilitation, FacilitationSettings
from roleplay.core.facilitation.record import (
    RecordError,
    check_record,
    session_record,
    votes_csv,
)
from roleplay.core.loader import LoadedScenario
from roleplay.core.safetext import json_text
from roleplay.room.options import RoomOptions

SESSIONS = "sessions"


@dataclass(frozen=True)
class PresentRequest:
    """Present mode as asked for on the command line (or the defaults, from the library)."""

    loaded: LoadedScenario | None = None
    """A scenario to present at once; None opens the library (``p`` presents from there)."""
    settings: FacilitationSettings = field(default_factory=FacilitationSettings)
    clock: Clock = time.monotonic
    """Monotonic seconds for the timers (tests pass a fake clock)."""
    room: RoomOptions | None = None
    """A room server for students' own devices (``--room``), or None."""
    resume: SavedSession | None = None
    """A saved session of ``loaded`` to carry on with (``--resume``)."""


def sessions_dir(data_dir: Path) -> Path:
    """Where group sessions are kept inside the data folder."""
    return data_dir / SESSIONS


def write_atomic(path: Path, text: str) -> None:
    """Write a private file (0600) so that a crash leaves the old file or the new, never half."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@dataclass(frozen=True)
class SavedSession:
    """A group session's record as read from its file."""

    path: Path
    record: Mapping[str, Any]

    @property
    def scenario_id(self) -> str:
        return str(self.record["scenario"].get("id"))

    @property
    def saved(self) -> str:
        return str(self.record.get("saved", ""))

    @property
    def moments(self) -> int:
        return len(self.record["moments"])

    @property
    def finished(self) -> bool:
        return self.record.get("phase") == "ended"


def read_session(path: Path) -> SavedSession:
    """A session record from a file; RecordError (saying what is wrong) when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecordError(f"it cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"it is not valid JSON ({exc})") from None
    return SavedSession(path, check_record(data))


def saved_sessions(data_dir: Path, scenario_id: str | None = None) -> list[SavedSession]:
    """Readable saved sessions, newest first (of one scenario when named)."""
    folder = sessions_dir(data_dir)
    found: list[SavedSession] = []
    for path in sorted(folder.glob("group-*.json")) if folder.is_dir() else []:
        try:
            saved = read_session(path)
        except RecordError:
            continue  # an exported copy someone edited, say: not ours to resume
        if scenario_id is None or saved.scenario_id == scenario_id:
            found.append(saved)
    return sorted(found, key=lambda s: (s.saved, s.path.name), reverse=True)


def latest_unfinished(data_dir: Path, scenario_id: str) -> SavedSession | None:
    """The newest saved session of a scenario that did not reach the end."""
    return next((s for s in saved_sessions(data_dir, scenario_id) if not s.finished), None)


@dataclass(frozen=True)
class SavedFiles:
    """The files a summary save wrote."""

    summary: Path
    votes_csv: Path
    votes_json: Path


class GroupFiles:
    """One group session's files: the autosaved record, and the summary with its votes."""

    def __init__(
        self,
        session: Facilitation,
        data_dir: Path,
        *,
        path: Path | None = None,
        started: datetime | None = None,
    ) -> None:
        self.session = session
        self.folder = sessions_dir(data_dir)
        self.started = started or datetime.now().astimezone()
        stamp = self.started.strftime("%Y%m%d-%H%M%S")
        self.path = path or self.folder / f"group-{session.scenario.id}-{stamp}.json"
        self.problem: str | None = None
        """Why the last autosave failed (None when it worked)."""

    def record(self, when: datetime | None = None) -> dict[str, Any]:
        """The session's record now."""
        saved = when or datetime.now().astimezone()
        return session_record(self.session, saved=saved, started=self.started)

    def autosave(self) -> bool:
        """Save the record now; False (with ``problem`` set) when the disk refused."""
        try:
            _private_folder(self.path.parent)
            write_atomic(self.path, json_text(self.record()) + "\n")
        except OSError as exc:
            self.problem = exc.strerror or str(exc)
            return False
        self.problem = None
        return True

    def default_summary(self, when: datetime | None = None) -> Path:
        """Where the summary goes unless the facilitator says otherwise."""
        return self.folder / self.session.default_summary_name(when)

    def save_summary(self, target: Path, when: datetime | None = None) -> SavedFiles:
        """The Markdown summary at ``target`` (a folder gets the default name), with the
        votes as ``.csv`` and ``.json`` beside it; every file private."""
        when = when or datetime.now().astimezone()
        target = target.expanduser()
        if target == self.default_summary(when) or target.parent == self.folder:
            _private_folder(self.folder)
        summary = self.session.save_summary(target, when)
        record = self.record(when)
        csv_path = summary.with_suffix(".csv")
        json_path = summary.with_suffix(".json")
        write_atomic(csv_path, votes_csv(record))
        write_atomic(json_path, json_text(record) + "\n")
        return SavedFiles(summary, csv_path, json_path)
