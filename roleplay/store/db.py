"""History in SQLite: attempts, every choice and rewind, and reflections.

Design goals, in order: never lose a learner's work, never leak it. Every step and every
reflection is committed the moment it happens (a ``kill -9`` costs nothing). WAL mode and a
busy timeout let two roleplay processes write at once. The folder is created on first
write, private to the user (0700), the files 0600. A database that cannot be read is never
deleted: it is moved aside, the move is reported, and a fresh one is started.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from roleplay.store.errors import StoreError, problem_words
from roleplay.store.reads import PagedReads, attempt_from_row, step_from_row
from roleplay.store.records import (
    Attempt,
    Draft,
    FeedbackTiming,
    Reflection,
    Step,
)
from roleplay.store.records import now_stamp as _now
from roleplay.store.schema import SCHEMA_VERSION, migrate

__all__ = ["DB_NAME", "SCHEMA_VERSION", "Store", "StoreError"]

DB_NAME = "history.sqlite3"
BUSY_TIMEOUT_MS = 3000
OPEN_PATIENCE_S = 10.0
"""How long opening keeps retrying while another process holds the file in a busy moment."""


class _Busy(Exception):
    """Opening met another process's lock; worth retrying."""


_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def _is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite said another connection holds the database (its primary result
    code: the extended codes such as SQLITE_BUSY_RECOVERY carry it in the low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in _BUSY_CODES


class Store(PagedReads):
    """The history database in a data folder. Opened lazily on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self._db: sqlite3.Connection | None = None
        self.notices: list[str] = []
        """Things the user should be told (e.g. a damaged database was moved aside)."""

    # -- opening -------------------------------------------------------------------------
    def _make_private_folder(self) -> None:
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder {self.data_dir}: {problem_words(exc)}"
            ) from None
        try:
            os.chmod(self.data_dir, 0o700)
        except OSError as exc:
            # An existing folder on a read-only disk can still be read; writing will say
            # that it is read-only. Any other refusal is a folder we should not use.
            if exc.errno != errno.EROFS:
                raise StoreError(
                    f"cannot make the data folder {self.data_dir} private: {exc.strerror}"
                ) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":  # pragma: no cover - only on filesystems without WAL
            db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = NORMAL")
        # 'with db:' needs Python-managed transactions; isolation_level None + explicit BEGIN.
        db.isolation_level = "DEFERRED"
        return db

    def _restrict_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            candidate = Path(str(self.path) + suffix)
            if candidate.exists():
                with contextlib.suppress(OSError):
                    os.chmod(candidate, 0o600)

    def _move_aside(self, reason: str) -> None:
        # A name no other process can pick: rename() would silently replace an older backup.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(
            f"{DB_NAME}.damaged-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                source.rename(Path(str(backup) + suffix))
        self.notices.append(
            f"Your history database could not be read ({reason}). It was kept as {backup} "
            "and a new, empty one was started. Nothing was deleted."
        )

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection (creating folder and file on first use)."""
        if self._db is None:
            self._db = self._open()
        return self._db

    def _reader(self) -> sqlite3.Connection | None:
        """The connection for reading, or None when there is no database yet.

        Reading must not create the data folder or the file: history starts at the first
        write, so looking at an empty history leaves nothing behind.
        """
        if self._db is None and not self.path.exists():
            return None
        return self.db

    def _open(self) -> sqlite3.Connection:
        # SQLite answers "busy" at once, without waiting on the busy timeout, in a few
        # moments of opening: while another process switches a new file to WAL or recovers
        # its index. Those moments are short, so opening is retried for a while before the
        # learner is told anything.
        deadline = time.monotonic() + OPEN_PATIENCE_S
        pause = 0.02
        while True:
            try:
                return self._open_once()
            except _Busy:
                if time.monotonic() + pause > deadline:
                    raise StoreError(
                        "the history database is busy in another roleplay window; "
                        "close it or try again in a moment"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    def _open_once(self) -> sqlite3.Connection:
        self._make_private_folder()
        old_umask = os.umask(0o077)
        db: sqlite3.Connection | None = None
        try:
            try:
                db = self._connect()
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise sqlite3.DatabaseError(check)
                migrate(db)
            except sqlite3.OperationalError as exc:
                if db is not None:
                    db.close()
                if _is_busy(exc):
                    raise _Busy from None
                raise StoreError(
                    f"cannot open the history database {self.path}: "
                    f"{problem_words(exc, self.data_dir)}"
                ) from None
            except sqlite3.DatabaseError as exc:
                if db is not None:
                    with contextlib.suppress(Exception):
                        db.close()
                self._move_aside(str(exc))
                db = self._connect()
                migrate(db)
        finally:
            os.umask(old_umask)
        self._restrict_files()
        return db

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction. SQLite itself waits up to the busy timeout for another writer."""
        db = self.db
        try:
            # IMMEDIATE takes the write lock before the first read (e.g. the next step
            # number), so what is read cannot change before it is written, and a waiting
            # writer queues on the busy timeout instead of failing at once.
            db.execute("BEGIN IMMEDIATE")
            with db:
                yield db
        except (sqlite3.Error, OSError) as exc:
            # A failed COMMIT (a full disk) can leave the transaction open: roll it back so
            # the next write starts clean and nothing half-written is kept.
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.rollback()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise StoreError(
                    "could not save to history: another roleplay process is holding it; "
                    "close other roleplay windows and try again"
                ) from None
            raise StoreError(problem_words(exc)) from exc

    # -- writing -------------------------------------------------------------------------
    def start_attempt(
        self,
        *,
        scenario_id: str,
        scenario_path: str,
        scenario_digest: str,
        scenario_version: str,
        feedback_timing: FeedbackTiming,
        write_first: bool,
    ) -> int:
        """Record a new attempt; returns its id."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO attempts (scenario_id, scenario_path, scenario_digest, "
                "scenario_version, feedback_timing, write_first, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    # A path can hold bytes that are not UTF-8 (Python keeps them as lone
                    # surrogates), which SQLite cannot store: they are kept as \xNN.
                    scenario_path.encode("utf-8", "surrogateescape").decode(
                        "utf-8", "backslashreplace"
                    ),
                    scenario_digest,
                    scenario_version,
                    feedback_timing.value,
                    int(write_first),
                    _now(),
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def _next_seq(self, db: sqlite3.Connection, attempt_id: int) -> int:
        row = db.execute(
            "SELECT COALESCE(MAX(seq), -1) + 1 FROM steps WHERE attempt_id = ?", (attempt_id,)
        ).fetchone()
        return int(row[0])

    def add_choice(
        self,
        attempt_id: int,
        *,
        node_id: str,
        option_id: str,
        own_words: str | None,
        trust_before: int,
        trust_after: int,
        flags: list[str],
        ruptures: dict[str, str],
        exploration: bool,
        rating: str,
        option_text: str = "",
    ) -> None:
        """Record one choice, committed at once."""
        with self._write() as db:
            db.execute(
                "INSERT INTO steps (attempt_id, seq, kind, node_id, option_id, own_words, "
                "trust_before, trust_after, flags, ruptures, exploration, rating, at, "
                "option_text) VALUES (?, ?, 'choose', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt_id,
                    self._next_seq(db, attempt_id),
                    node_id,
                    option_id,
                    own_words,
                    trust_before,
                    trust_after,
                    json.dumps(sorted(flags)),
                    json.dumps(ruptures, sort_keys=True),
                    int(exploration),
                    rating,
                    _now(),
                    option_text,
                ),
            )
            if not exploration:  # the latest first try is the attempt's score (schema 4)
                db.execute("UPDATE attempts SET score = ? WHERE id = ?", (trust_after, attempt_id))
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))

    def add_rewind(self, attempt_id: int, to_step: int, node_id: str, trust: int) -> None:
        """Record a rewind to before decision ``to_step``."""
        with self._write() as db:
            db.execute(
                "INSERT INTO steps (attempt_id, seq, kind, node_id, option_id, trust_before, "
                "trust_after, flags, ruptures, exploration, rating, at, rewind_to) "
                "VALUES (?, ?, 'rewind', ?, '', ?, ?, '[]', '{}', 0, '', ?, ?)",
                (
                    attempt_id,
                    self._next_seq(db, attempt_id),
                    node_id,
                    trust,
                    trust,
                    _now(),
                    to_step,
                ),
            )
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))

    def finish_attempt(self, attempt_id: int, ending_id: str | None, final_trust: int) -> None:
        """Mark an attempt finished."""
        with self._write() as db:
            db.execute(
                "UPDATE attempts SET finished_at = ?, ending_id = ?, final_trust = ? WHERE id = ?",
                (_now(), ending_id, final_trust, attempt_id),
            )

    def save_reflection(self, attempt_id: int, prompt: str, answer: str) -> None:
        """Save (or replace) the answer to one prompt, committed at once."""
        with self._write() as db:
            db.execute(
                "INSERT INTO reflections (attempt_id, prompt, answer, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (attempt_id, prompt) DO UPDATE SET answer = excluded.answer, "
                "at = excluded.at",
                (attempt_id, prompt, answer, _now()),
            )

    def forget_reflection(self, attempt_id: int, prompt: str) -> None:
        """Remove the answer to one prompt (the learner emptied it)."""
        with self._write() as db:
            db.execute(
                "DELETE FROM reflections WHERE attempt_id = ? AND prompt = ?", (attempt_id, prompt)
            )

    def save_draft(self, attempt_id: int, step: int, node_id: str, words: str) -> None:
        """Keep words written first at a decision not yet made (replacing an earlier draft).
        The next choice or rewind clears it."""
        with self._write() as db:
            db.execute(
                "INSERT INTO drafts (attempt_id, step, node_id, words, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (attempt_id) DO UPDATE SET step = excluded.step, "
                "node_id = excluded.node_id, words = excluded.words, at = excluded.at",
                (attempt_id, step, node_id, words, _now()),
            )

    def set_aside(self, attempt_id: int) -> None:
        """Stop offering an unfinished attempt for resume; it stays in history."""
        with self._write() as db:
            db.execute(
                "UPDATE attempts SET set_aside_at = ? WHERE id = ? AND set_aside_at IS NULL",
                (_now(), attempt_id),
            )

    def delete_attempt(self, attempt_id: int) -> bool:
        """Delete one attempt with its steps and reflections; False if there was none."""
        if self._reader() is None:
            return False
        with self._write() as db:
            cursor = db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            return cursor.rowcount > 0

    def forget_all(self) -> int:
        """Delete every attempt; returns how many there were."""
        if self._reader() is None:
            return 0
        with self._write() as db:
            cursor = db.execute("DELETE FROM attempts")
            count = cursor.rowcount
        self.db.execute("VACUUM")
        return count

    # -- reading -------------------------------------------------------------------------
    def attempts(self, scenario_id: str | None = None) -> list[Attempt]:
        """Attempts, newest first (optionally for one scenario)."""
        db = self._reader()
        if db is None:
            return []
        if scenario_id is None:
            rows = db.execute("SELECT * FROM attempts ORDER BY id DESC").fetchall()
        else:
            rows = db.execute(
                "SELECT * FROM attempts WHERE scenario_id = ? ORDER BY id DESC", (scenario_id,)
            ).fetchall()
        return [attempt_from_row(row) for row in rows]

    def attempt(self, attempt_id: int) -> Attempt | None:
        """One attempt by id."""
        db = self._reader()
        if db is None:
            return None
        row = db.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        return attempt_from_row(row) if row else None

    def unfinished(self) -> list[Attempt]:
        """Attempts not finished, newest first."""
        db = self._reader()
        if db is None:
            return []
        # Asked at every start (to offer a resume): read only these, not every attempt
        # (50 ms at 10,000 attempts, on the thread the history screen then waits for).
        rows = db.execute(
            "SELECT * FROM attempts WHERE finished_at IS NULL ORDER BY id DESC"
        ).fetchall()
        return [attempt_from_row(row) for row in rows]

    def steps(self, attempt_id: int) -> list[Step]:
        """An attempt's saved events in order."""
        db = self._reader()
        if db is None:
            return []
        rows = db.execute(
            "SELECT * FROM steps WHERE attempt_id = ? ORDER BY seq", (attempt_id,)
        ).fetchall()
        return [step_from_row(row) for row in rows]

    def choice_rows(self) -> Iterator[tuple[Any, ...]]:
        """Every choice of every attempt, by attempt then step, read by one query as it is
        consumed (an export of thousands of attempts holds one row at a time). Each row is
        a plain tuple in ``CHOICE_COLUMNS`` order; rewinds are left out."""
        db = self._reader()
        if db is None:
            return
        cursor = db.cursor()
        cursor.row_factory = None  # plain tuples: no per-row mapping object
        cursor.execute(
            "SELECT a.id, a.scenario_id, a.started_at, a.finished_at, a.ending_id, "
            "a.final_trust, s.seq, s.node_id, s.option_id, s.option_text, s.own_words, "
            "s.rating, s.trust_before, s.trust_after, s.exploration, s.at "
            "FROM steps AS s JOIN attempts AS a ON a.id = s.attempt_id "
            "WHERE s.kind = 'choose' ORDER BY s.attempt_id, s.seq"
        )
        # Ordered by the steps' own columns, the rows come in the order of the index on
        # (attempt_id, seq): SQLite reads them as they go out, with no sort of every step
        # first (a quarter less time, and the first row at once).
        try:
            while batch := cursor.fetchmany(500):
                yield from batch
        finally:
            cursor.close()

    def reflections(self, attempt_id: int) -> list[Reflection]:
        """An attempt's reflections, in the order first written."""
        db = self._reader()
        if db is None:
            return []
        rows = db.execute(
            "SELECT prompt, answer, at FROM reflections WHERE attempt_id = ? ORDER BY id",
            (attempt_id,),
        ).fetchall()
        return [Reflection(row["prompt"], row["answer"], row["at"]) for row in rows]

    def draft(self, attempt_id: int) -> Draft | None:
        """Words written first at the decision the attempt stopped at, if any."""
        db = self._reader()
        if db is None:
            return None
        row = db.execute(
            "SELECT step, node_id, words, at FROM drafts WHERE attempt_id = ?", (attempt_id,)
        ).fetchone()
        return Draft(row["step"], row["node_id"], row["words"], row["at"]) if row else None
