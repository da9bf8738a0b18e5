"""Authoring commands: path analysis (checked against brute force), graph drawing, new."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import Counter
from pathlib import Path

import yaml
from cli_kit import Ran, run_cli

from benchmarks.generate import layered
from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.core.models import Scenario
from roleplay.core.paths import analyse, report_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _walk_all(scenario: Scenario) -> tuple[Counter[str], list[int], list[int]]:
    """Enumerate every path with the real engine: ending counts, lengths, final trusts."""
    endings: Counter[str] = Counter()
    lengths: list[int] = []
    trusts: list[int] = []

    def visit(engine: Engine) -> None:
        if engine.finished:
            ending = engine.ending
            assert ending is not None
            endings[ending.id] += 1
            lengths.append(engine.step)
            trusts.append(engine.trust)
            return
        for choice in engine.choices():
            branch = engine.copy()
            branch.choose(choice.id)
            visit(branch)

    visit(Engine(scenario))
    return endings, lengths, trusts


def _check_against_brute_force(scenario: Scenario) -> None:
    report = analyse(scenario)
    endings, lengths, trusts = _walk_all(scenario)
    assert report.paths == sum(endings.values())
    assert {k: v for k, v in report.endings.items() if v} == dict(endings)
    assert report.shortest == min(lengths) and report.longest == max(lengths)
    assert report.trust == (min(trusts), max(trusts))


def test_path_analysis_matches_enumeration_on_the_feature_scenario() -> None:
    _check_against_brute_force(load_scenario(MINI).scenario)


def test_path_analysis_matches_enumeration_on_generated_scenarios() -> None:
    for layers, options in itertools.product((1, 3, 6), (2, 3, 4)):
        scenario = Scenario.model_validate(layered(f"g-{layers}-{options}", layers, options))
        _check_against_brute_force(scenario)


def test_path_analysis_counts_a_trillion_paths_without_listing_them() -> None:
    report = analyse(Scenario.model_validate(layered("huge", 40, 2)))
    assert report.paths == 2**40
    assert sum(n or 0 for n in report.endings.values()) == 2**40
    assert report.shortest == report.longest == 40
    assert report.states < 10_000


def test_paths_reports_options_that_are_never_offered_and_loops(tmp_path: Path) -> None:
    data = yaml.safe_load(MINI.read_text())
    middle = data["nodes"][1]
    middle["options"].append(
        {
            "id": "loop",
            "text": "Could you say that again?",
            "next": "middle",
            "effects": {"trust": 0},
            "feedback": {
                "rating": "partly-helpful",
                "skills": ["humility"],
                "why": "w",
                "inner_experience": "i",
                "stronger": "s",
            },
        }
    )
    report = analyse(Scenario.model_validate(data))
    assert report.cycles == [["middle"]]
    # The 'ask' option needs a cautious or open band; reachable, so it is offered.
    assert ("middle", "ask") not in report.unavailable_options


def test_paths_command_json_has_the_documented_keys() -> None:
    result = run_cli("paths", MINI, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"paths", "endings", "trust", "shortest", "longest"} <= set(data)
    assert data["paths"] == 4
    assert data["endings"] == {"good": 1, "strained": 1, "neutral": 2}
    assert data["trust"] == {"min": 20, "max": 55}


def test_paths_text_says_one_path_and_one_decision_in_the_singular() -> None:
    report = analyse(load_scenario(MINI).scenario)
    lines = report_text(dataclasses.replace(report, shortest=1))
    assert "Shortest path: 1 decision; longest: 2" in lines
    good, neutral = (next(line for line in lines if f"  {e} " in line) for e in ("good", "neutral"))
    assert good.endswith("1 path   trust 55-55")
    assert neutral.endswith("2 paths  trust 37-45")
    assert good.index("trust") == neutral.index("trust")  # the column stays lined up


def test_graph_mermaid_and_dot_show_nodes_endings_ratings_and_ruptures() -> None:
    def graph(fmt: str) -> str:
        result = run_cli("graph", MINI, "--format", fmt)
        assert result.returncode == 0, result.stderr
        return result.stdout

    mermaid = graph("mermaid")
    assert mermaid.startswith("flowchart TD")
    assert '"2 !! -15 opens name-missed"' in mermaid
    assert "repairs name-missed" in mermaid
    assert '(["END: Strained"])' in mermaid
    dot = graph("dot")
    assert dot.startswith('digraph "mini"')
    assert '"node:hello" -> "node:middle" [label="2 !! -15 opens name-missed", style=dashed]' in dot
    assert "style=bold" in dot
    assert '"node:close" -> "ending:neutral" [style=dotted]' in dot


def test_new_writes_a_scenario_that_passes_strict_validation(tmp_path: Path) -> None:
    def run(*a: str) -> Ran:
        return run_cli(*a)

    assert run("new", "first-visit", "--dir", str(tmp_path)).returncode == 0
    written = tmp_path / "first-visit.yaml"
    assert written.read_text().startswith("# yaml-language-server: $schema=./scenario.schema.json")
    assert json.loads((tmp_path / "scenario.schema.json").read_text())["title"] == "Scenario"
    assert run("validate", "--strict", str(written)).returncode == 0
    assert run("new", "first-visit", "--dir", str(tmp_path)).returncode == 2
    assert run("new", "Not A Slug", "--dir", str(tmp_path)).returncode == 2


def _option(option_id: str, nxt: str, **effects: object) -> dict[str, object]:
    return {
        "id": option_id,
        "text": f"Say {option_id}.",
        "effects": effects,
        "next": nxt,
        "feedback": {
            "rating": "builds-trust",
            "skills": ["attunement"],
            "why": "w",
            "inner_experience": "i",
        },
    }


def _loop_scenario() -> Scenario:
    data = layered("loops", 1, 2)
    data["nodes"] = [
        {"id": "s", "options": [_option("to-a", "a"), _option("to-b", "b")]},
        {"id": "a", "options": [_option("o1", "b"), _option("o2", "close")]},
        {"id": "b", "options": [_option("o1", "a"), _option("o2", "close")]},
        {"id": "close", "ending": [{"ending": "unsure"}]},
    ]
    data["start"] = "s"
    return Scenario.model_validate(data)


def test_loops_make_paths_infinite_and_every_option_that_can_finish_is_useful() -> None:
    report = analyse(_loop_scenario())
    assert report.paths is None and report.infinite
    assert report.endings == {"good": 0, "unsure": None}
    assert report.shortest == 2 and report.longest is None
    assert report.dead_options == []
    assert sorted(sorted(loop) for loop in report.cycles) == [["a", "b"]]


def test_flags_no_condition_reads_do_not_multiply_states() -> None:
    data = layered("flags", 20, 2)
    for index, node in enumerate(data["nodes"][:-1]):
        for option in node["options"]:
            option["effects"]["set_flags"] = [f"f{index}-{option['id']}"]
    report = analyse(Scenario.model_validate(data))
    assert report.paths == 2**20
    assert report.states < 2_000
