"""The garbage collector is paused while a library is scanned or paths are analysed, and
comes back as it was: on after the last of overlapping pauses, off if it was off."""

from __future__ import annotations

import gc

import pytest

from benchmarks.graphs import BUILDERS
from roleplay.core import paths
from roleplay.core.gcpause import collector_paused
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
