"""Quitting the app while history cannot be saved (a full disk) never loses a learner's
words without a word: the waiting events are tried once more, and what still cannot be
saved is said after the screen is gone, with the reflection answers to copy."""

from __future__ import annotations

import contextlib
import errno
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from history_kit import OnStore
from textual.widgets import TextArea
from tui_helpers import MINI, make_app, press, ready

from roleplay.cli_app import _run_until_quit
from roleplay.core.debrief import REACTION_QUESTION
from roleplay.session import StoreHistory
from roleplay.settings import Settings
from roleplay.store import Store
from roleplay.tui.screens.debrief import DebriefScreen, Reflection

MakeSettings = Callable[..., Settings]


def failing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, list[bool]]:
    """A store whose writes fail with a full disk while ``full[0]`` is true."""
    store = Store(tmp_path / "history")
    full = [False]
    real = store._write

    def write() -> contextlib.AbstractContextManager[sqlite3.Connection]:
        if full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real()

    monkeypatch.setattr(store, "_write", write)
    return store, full


async def test_quitting_with_unsaved_reflections_says_so_and_gives_them_back(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, full = failing_store(tmp_path, monkeypatch)
    app = make_app(settings(MINI), history=StoreHistory(OnStore(store)))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "1", "enter")  # the first step is saved
        full[0] = True  # then the disk fills up
        await press(pilot, "2", "enter", "enter")
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        debrief.query(Reflection).first().query_one(TextArea).load_text("Rattled.\nBut OK.")
        await pilot.pause()
        await press(pilot, "ctrl+q")
    notice = app.exit_notice
    assert notice is not None
    assert "the disk is full" in notice
    assert f"{REACTION_QUESTION}\nRattled.\nBut OK." in notice
    store.close()


async def test_quitting_after_saving_recovered_says_nothing(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, full = failing_store(tmp_path, monkeypatch)
    app = make_app(settings(MINI), history=StoreHistory(OnStore(store)))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        full[0] = True
        await press(pilot, "enter", "enter", "1", "enter", "2", "enter", "enter")
        full[0] = False  # room again: the quit's last try saves everything
        await press(pilot, "ctrl+q")
    assert app.exit_notice is None
    (attempt,) = store.attempts()
    assert attempt.finished
    store.close()


class _Finished:
    """A stand-in for the app that has quit, leaving a notice."""

    return_code = 0
    exit_notice = "could not be saved.\n\nQ?\nmy words \x1b[2J\u202e"

    def run(self) -> None:
        """Nothing to run."""


def test_the_notice_is_printed_after_the_app_cleaned(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    assert _run_until_quit(_Finished(), hint="") == 0  # type: ignore[arg-type]
    printed = err.getvalue()
    assert printed.startswith("roleplay: could not be saved.\n\nQ?\nmy words ")
    assert "\x1b" not in printed and "\u202e" not in printed
