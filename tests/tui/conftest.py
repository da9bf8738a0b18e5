"""Fixtures for the TUI tests: a private data folder per test and a fixed set of scenario
files (never the user's or the bundled library, which change under us)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import BROKEN, MINI, RAMP, RecordingSink

from roleplay.settings import Settings


@pytest.fixture(autouse=True)
def _tui_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the tester's environment out; colour on, so snapshots show the themes."""
    monkeypatch.delenv("ROLEPLAY_SCENARIOS", raising=False)
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Callable[..., Settings]:
    """Make Settings with a temp data dir, no animation and the given scenario files."""

    def make(*files: Path, theme: str | None = None, animation: bool = False) -> Settings:
        return Settings(
            data_dir=tmp_path / "data",
            scenario_dirs=tuple(files) or (MINI, RAMP, BROKEN),
            theme=theme,
            animation=animation,
        )

    return make


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()
