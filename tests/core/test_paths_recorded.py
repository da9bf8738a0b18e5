"""Path analysis gives, figure for figure, the reports recorded before it was made faster.

``tests/data/path_reports.json`` holds ``analyse(...).to_json()`` of every generated graph
(``benchmarks.graphs``: chains, loops, wide graphs, flags read later) at sizes up to 1,000
decisions, as the analysis gave them before its speed-ups (exact counts of hundreds of
digits, trust per ending, states, dead and unavailable options, loops named). A faster
analysis must not change a single one. (Bundled scenarios are checked against the
state-by-state oracle in ``test_paths_oracle``, so their authors can still edit them.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.graphs import BUILDERS
from roleplay.core.models import Scenario
from roleplay.core.paths import analyse

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "data" / "path_reports.json").read_text(encoding="utf-8")
)


def test_every_graph_kind_and_size_is_recorded() -> None:
    sizes = {1, 2, 5, 9, 40, 250, 1000}
    assert set(RECORDED) == {f"{kind}-{size}" for kind in BUILDERS for size in sizes}
    assert RECORDED["chain-1000"]["paths"] == 2**1000  # exact, as JSON keeps it


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_the_report_is_the_one_recorded(name: str) -> None:
    kind, size = name.rsplit("-", 1)
    report = analyse(Scenario.model_validate(BUILDERS[kind](int(size))))
    assert report.to_json() == RECORDED[name]
