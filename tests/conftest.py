"""Shared test setup: the project root is importable (for ``benchmarks.generate``) and no test
touches the tester's own roleplay data or scenario folders."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path_factory.mktemp("roleplay-home")))
    monkeypatch.delenv("ROLEPLAY_SCENARIOS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(autouse=True)
def _nothing_frozen_between_tests() -> Iterator[None]:
    # A kept library is frozen out of the collector's walks (``core.gcpause``); in a long test
    # run that would hold each test's leftover cycles for the rest of the run.
    yield
    gc.unfreeze()
