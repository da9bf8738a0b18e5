"""The benchmark script runs (tiny sizes, no timing asserted), and its figures add up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from benchmarks.graphs import BUILDERS
from benchmarks.stats import Figure, Target, percentile
from roleplay.core.loader import load_bytes

ROOT = Path(__file__).resolve().parent.parent


def test_figures_show_minimum_median_and_the_ratio_of_medians() -> None:
    figure = Figure("x", "ms", [0.010, 0.030, 0.020], [0.010, 0.012, 0.011], "bare")
    _, measured, baseline, ratio, count = figure.row()
    assert (measured, baseline, ratio, count) == (
        "10 ms / 20 ms",
        "10 ms / 11 ms (bare)",
        "1.82x",
        "3",
    )
    assert percentile([5, 1, 4, 2, 3], 0.95) == 5 and percentile([5, 1, 4, 2, 3], 0.5) == 3


def test_growing_graphs_are_valid_scenarios() -> None:
    for kind, build in BUILDERS.items():
        # Raises ScenarioError, listing every error, if the loader or lint finds one.
        loaded = load_bytes(yaml.safe_dump(build(8)).encode(), Path(f"{kind}.yaml"))
        assert loaded.scenario.id.startswith(kind)


def test_the_benchmark_script_runs_in_tiny_mode() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--tiny", "--only", "library", "paths", "history"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "paths, flags of 4: CPU" in result.stdout
    assert "(libYAML + plain pydantic)" in result.stdout
    assert "(sqlite3 JOIN -> csv.writer)" in result.stdout


def test_a_target_is_met_only_when_the_ratio_and_the_limit_both_hold() -> None:
    within = Figure("x", "s", [1.0, 1.4], [1.0, 1.0], "floor")
    assert Target(ratio=1.5).judge(within) == "<= 1.50x: met"
    assert Target(ratio=1.1).judge(within) == "<= 1.10x: NOT met"
    assert Target(ratio=1.5, limit=1.1).judge(within) == "<= 1.50x, <= 1.10 s: NOT met"
    assert Target(limit=2.0).judge(Figure("y", "s")) == "-"


def test_every_issue_17_figure_has_its_target() -> None:
    from benchmarks.run import target_of

    card = Figure("key press -> feedback card painted", "ms")
    tail = Figure("key press -> feedback card painted", "ms", stat="p95")
    assert target_of(card) == Target(ratio=1.5) and target_of(tail) == Target(ratio=2.0)
    assert target_of(Figure("paths, loops of 7,000: CPU", "s")) == Target(ratio=1.5, limit=2.0)
    assert target_of(Figure("paths, loops of 1,000: CPU", "s")) == Target(ratio=1.5)
    assert target_of(Figure("load 1,000 scenarios: CPU per file", "ms")) == Target(ratio=1.3)
    assert target_of(Figure("load 1,000 scenarios: peak memory", "MiB")) is None
    assert target_of(Figure("validate 1,000 scenarios: peak", "MiB")) == Target(ratio=1.2)
    assert target_of(Figure("validate 1,000 scenarios: wall", "s")) is None
