"""A full disk or an I/O error never ends a session: the learner is told once, the session
goes on, and the unsaved events are written in order at the next successful save, so
history never holds an attempt with a gap and resume replays the state that was played.

Failures are injected into the store's writes; one test fills a real small filesystem
(a tmpfs, when this machine lets the tests mount one)."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from history_kit import OnStore

from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.session import Journal, PracticeOptions, StoreHistory, StoreNow
from roleplay.session.review import events, replay
from roleplay.store import Store, StoreError

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


class Disk:
    """Switches a store's writes between working and failing with a given error."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.error: BaseException | None = None
        real = store._write

        def write() -> contextlib.AbstractContextManager[sqlite3.Connection]:
            if self.error is not None:
                raise self.error
            return real()

        monkeypatch.setattr(store, "_write", write)


class Watch:
    """What the learner is told."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.saved_again = 0

    def again(self) -> None:
        self.saved_again += 1


def _history(store: Store, watch: Watch) -> StoreHistory:
    return StoreHistory(OnStore(store), watch.problems.append, watch.again)


@pytest.mark.parametrize(
    "failure",
    [
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.DatabaseError("disk I/O error"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system"),
    ],
)
def test_unsaved_events_are_written_in_order_once_the_disk_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    store = Store(tmp_path)
    disk = Disk(store, monkeypatch)
    watch = Watch()
    journal = Journal(_history(store, watch))
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, PracticeOptions(write_first=True))
    engine = Engine(loaded.scenario)

    journal.chose(attempt, engine, engine.choose("wrong-name"))  # saved
    disk.error = failure
    engine.rewind(0)
    journal.rewound(attempt, engine, 0)  # fails: told once
    journal.wrote(attempt, 0, "hello", "Welcome, Sam.")
    journal.chose(attempt, engine, engine.choose("warm", "Welcome, Sam."))
    assert len(watch.problems) == 1 and attempt.problem == watch.problems[0]
    assert not journal.keeps(attempt)
    # Nothing after the failure reached history: no gap, no later step without the earlier.
    assert [s.kind for s in store.steps(attempt.saved_id())] == ["choose"]

    disk.error = None
    journal.chose(attempt, engine, engine.choose("ask"))  # catches up, in order
    assert watch.saved_again == 1 and attempt.problem is None and journal.keeps(attempt)
    journal.finish(attempt, engine)
    journal.reflect(attempt, "What did you notice?", "The name matters.")

    assert len(watch.problems) == 1  # said once
    steps = store.steps(attempt.saved_id())
    assert [(s.kind, s.option_id, s.own_words) for s in steps] == [
        ("choose", "wrong-name", None),
        ("rewind", "", None),
        ("choose", "warm", "Welcome, Sam."),
        ("choose", "ask", None),
    ]
    assert events(steps) == engine.events
    assert replay(loaded, steps).to_state() == engine.to_state()
    (saved,) = store.attempts()
    assert saved.finished and saved.final_trust == engine.trust
    assert [(r.prompt, r.answer) for r in store.reflections(saved.saved_id())] == [
        ("What did you notice?", "The name matters.")
    ]
    store.close()


def test_a_failing_first_event_keeps_the_attempt_unwritten_until_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    disk = Disk(store, monkeypatch)
    watch = Watch()
    history = _history(store, watch)
    journal = Journal(history)
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, PracticeOptions())
    engine = Engine(loaded.scenario)
    disk.error = sqlite3.OperationalError("database or disk is full")
    journal.chose(attempt, engine, engine.choose("warm"))
    journal.chose(attempt, engine, engine.choose("ask"))
    journal.finish(attempt, engine)
    journal.reflect(attempt, "Q", "first answer")
    journal.reflect(attempt, "Q", "second answer")  # merged with the waiting one
    assert attempt.id is None and store.attempts() == []
    assert history.retry() == history.unsaved() > 0  # still full
    disk.error = None
    assert history.retry() == 0  # e.g. before the program ends
    (saved,) = store.attempts()
    assert saved.finished and [s.option_id for s in store.steps(saved.saved_id())] == [
        "warm",
        "ask",
    ]
    assert [(r.prompt, r.answer) for r in store.reflections(saved.saved_id())] == [
        ("Q", "second answer")
    ]
    assert len(watch.problems) == 1 and watch.saved_again == 1
    store.close()


# --- a real small filesystem ----------------------------------------------------------------


@contextlib.contextmanager
def _small_filesystem(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the tests mount a tmpfs")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _fill(folder: Path) -> Callable[[], None]:
    """Fill ``folder``'s filesystem to the last byte; returns how to free it again."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(handle, b"x" * chunk)
    finally:
        os.close(handle)
    return filler.unlink


def test_a_full_tmpfs_does_not_end_the_session(tmp_path: Path) -> None:
    with _small_filesystem(tmp_path / "small", "512k") as home:
        store = Store(home / "data")
        watch = Watch()
        journal = Journal(_history(store, watch))
        loaded = load_scenario(MINI)
        attempt = journal.begin(loaded, PracticeOptions())
        engine = Engine(loaded.scenario)
        journal.chose(attempt, engine, engine.choose("wrong-name"))
        free = _fill(home)
        engine.rewind(0)
        journal.rewound(attempt, engine, 0)
        # A few hundred words of reflection: more than the last free bytes can take.
        journal.chose(attempt, engine, engine.choose("warm", "Welcome, Sam. " * 200))
        assert len(watch.problems) == 1, watch.problems
        assert "full" in watch.problems[0] or "space" in watch.problems[0]
        free()
        journal.chose(attempt, engine, engine.choose("ask"))
        journal.finish(attempt, engine)
        assert watch.saved_again == 1
        steps = store.steps(attempt.saved_id())
        assert [(s.kind, s.option_id) for s in steps] == [
            ("choose", "wrong-name"),
            ("rewind", ""),
            ("choose", "warm"),
            ("choose", "ask"),
        ]
        assert replay(loaded, steps).to_state() == engine.to_state()
        store.close()


def test_a_read_only_data_folder_is_named_as_such(tmp_path: Path) -> None:
    with _small_filesystem(tmp_path / "ro", "1m") as home:
        Store(home / "data").close()  # history exists, then the folder becomes read-only
        remount = ["mount", "-o", "remount,ro", str(home)]
        if subprocess.run(remount, capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot remount read-only here")
        watch = Watch()
        run = StoreNow(home / "data")
        journal = Journal(StoreHistory(run, watch.problems.append, watch.again))
        loaded = load_scenario(MINI)
        attempt = journal.begin(loaded, PracticeOptions())
        engine = Engine(loaded.scenario)
        journal.chose(attempt, engine, engine.choose("warm"))
        journal.chose(attempt, engine, engine.choose("ask"))
        assert len(watch.problems) == 1, watch.problems
        assert "read-only" in watch.problems[0].lower()
        assert attempt.id is None  # nothing half-written
        run.close()
        subprocess.run(["mount", "-o", "remount,rw", str(home)], check=True)


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(errno.EACCES, "Permission denied"), "read-only"),
        (sqlite3.DatabaseError("database disk image is malformed"), "malformed"),
    ],
)
def test_failures_are_said_in_words_to_act_on(failure: BaseException, said: str) -> None:
    from roleplay.session import failure_text

    assert said in failure_text(failure)


def test_what_cannot_be_saved_by_the_end_is_said_with_the_unsaved_reflections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    disk = Disk(store, monkeypatch)
    history = _history(store, Watch())
    journal = Journal(history)
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, PracticeOptions())
    engine = Engine(loaded.scenario)
    journal.chose(attempt, engine, engine.choose("wrong-name"))
    assert history.last_chance() is None  # everything saved: nothing to say

    disk.error = OSError(errno.ENOSPC, "No space left on device")
    journal.chose(attempt, engine, engine.choose("carry-on"))
    journal.finish(attempt, engine)
    journal.reflect(attempt, "How are you feeling?", "Shaken,\nbut I learnt a lot")
    journal.reflect(attempt, "What next?", "   ")
    said = history.last_chance()
    assert said is not None
    assert "the disk is full" in said
    # The words the learner wrote, which would otherwise be gone with the program.
    assert "How are you feeling?\nShaken,\nbut I learnt a lot" in said
    assert "What next?" not in said  # a blank answer is nothing to copy

    disk.error = None  # the disk has room again before the program ends
    assert history.last_chance() is None
    saved = [(r.prompt, r.answer) for r in store.reflections(attempt.saved_id())]
    assert saved == [("How are you feeling?", "Shaken,\nbut I learnt a lot")]
    store.close()


def test_a_disk_already_full_when_history_opens_is_named_as_such(tmp_path: Path) -> None:
    # SQLite says only "disk I/O error" when it cannot make the shared-memory file.
    with _small_filesystem(tmp_path / "small", "256k") as home:
        (home / "data").mkdir()
        free = _fill(home)
        store = Store(home / "data")
        with pytest.raises(StoreError, match="the disk is full: free some space"):
            store.db  # noqa: B018 (opening is what is tested)
        store.close()
        free()


def test_an_unexpected_error_while_saving_is_said_not_swallowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any error, not only the disk's: one the saver did not expect stayed first in the
    backlog, so every later event waited behind it and nobody was told."""
    store = Store(tmp_path)
    disk = Disk(store, monkeypatch)
    watch = Watch()
    journal = Journal(_history(store, watch))
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, PracticeOptions())
    engine = Engine(loaded.scenario)
    disk.error = ValueError("surrogates not allowed")
    journal.chose(attempt, engine, engine.choose("warm"))
    assert watch.problems == [
        "an unexpected error (ValueError: surrogates not allowed); please report it"
    ]
    disk.error = None
    journal.chose(attempt, engine, engine.choose("ask"))  # and it catches up after all
    assert watch.saved_again == 1
    assert [s.option_id for s in store.steps(attempt.saved_id())] == ["warm", "ask"]
    store.close()
