"""The garbage collector is paused while a library is scanned or paths are analysed, and
comes back as it was: on after the last of overlapping pauses, off if it was off. A library
kept after its scan is frozen out of the collector's walks; one only checked is not."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from benchmarks.graphs import BUILDERS
from roleplay.core import paths
from roleplay.core.gcpause import collector_paused
from roleplay.core.library import check_each, scan, summarise
from roleplay.core.models import Scenario
from roleplay.core.pathstates import StateSpace


def test_overlapping_pauses_turn_the_collector_back_on_after_the_last() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_path_analysis_pauses_the_collector_and_turns_it_back_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = Scenario.model_validate(BUILDERS["loops"](5))
    during: list[bool] = []

    class Watched(StateSpace):
        def __init__(self, scenario: Scenario) -> None:
            during.append(gc.isenabled())
            super().__init__(scenario)

    monkeypatch.setattr(paths, "StateSpace", Watched)
    report = paths.analyse(scenario)
    assert during == [False] and report.infinite and gc.isenabled()


SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _tracked_in_generations() -> set[int]:
    return {id(item) for item in gc.get_objects()}


def test_a_kept_library_is_frozen_out_of_the_collectors_walks() -> None:
    gc.unfreeze()
    entries = scan([SCENARIOS])
    scenario = entries[0].loaded
    assert scenario is not None and all(entry.ok for entry in entries)
    assert gc.isenabled()
    # Frozen: no generation holds the models any more, so no collection walks them.
    tracked = _tracked_in_generations()
    models = [scenario.scenario, *scenario.scenario.nodes, *scenario.scenario.endings]
    assert gc.get_freeze_count() > 1_000
    assert not any(id(model) in tracked for model in models)


def test_a_library_only_checked_freezes_nothing(tmp_path: Path) -> None:
    gc.unfreeze()
    assert all(entry.valid_id for entry in scan([SCENARIOS], keep=False))
    assert all(entry.valid_id for entry in check_each([SCENARIOS]))
    assert all(entry.summary for entry in summarise([SCENARIOS], tmp_path))
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_collector_turned_off_by_the_caller_is_left_to_the_caller() -> None:
    gc.unfreeze()
    gc.disable()
    try:
        entries = scan([SCENARIOS])
        assert entries and not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
