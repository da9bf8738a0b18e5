"""``roleplay match``: typed replies ranked against one node's options, for authors."""

from __future__ import annotations

import json
from pathlib import Path

from cli_kit import Ran, run_cli

from roleplay.core.engine import Engine
from roleplay.core.library import default_dirs, find, scan
from roleplay.core.models import Node


def _run(*args: str | Path, stdin: str, home: Path) -> Ran:
    return run_cli(*args, stdin=stdin, env={"ROLEPLAY_HOME": str(home), "NO_COLOR": "1"})


def _node(scenario_id: str, node_id: str) -> Node:
    entry = find(scenario_id, scan(default_dirs(())))
    assert entry is not None and entry.loaded is not None
    return next(n for n in entry.loaded.scenario.nodes if n.id == node_id)


def test_json_ranks_every_option_and_proposes_the_one_whose_words_were_typed(
    tmp_path: Path,
) -> None:
    node = _node("broken-ramp", "first-question")
    ids = [node.option_id(i) for i in range(len(node.options))]
    replies = [node.options[i].examples[0] for i in range(len(ids))]
    result = _run(
        "match",
        "broken-ramp",
        "first-question",
        "--format",
        "json",
        stdin="\n".join([*replies, "what is the weather like", ""]),
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records[:-1]] == replies
    for record, option_id in zip(records, ids, strict=False):
        assert record["match"] == option_id
        ranked = record["ranked"]
        assert sorted(r["option"] for r in ranked) == sorted(ids)
        scores = [r["score"] for r in ranked]
        assert scores == sorted(scores, reverse=True)
    assert records[-1]["match"] is None


def test_json_keeps_text_exact_and_text_format_cleans_it(tmp_path: Path) -> None:
    hostile = "I hear you [bold]really[/bold] \x1b[31mred"
    as_json = _run(
        "match", "broken-ramp", "first-question", "--format", "json", stdin=hostile, home=tmp_path
    )
    assert json.loads(as_json.stdout)["text"] == hostile
    as_text = _run("match", "broken-ramp", "first-question", stdin=hostile, home=tmp_path)
    assert as_text.returncode == 0
    assert "\x1b" not in as_text.stdout
    assert "open-question" in as_text.stdout and "1." in as_text.stdout


def test_an_unknown_node_names_the_nodes_that_offer_options(tmp_path: Path) -> None:
    result = _run("match", "broken-ramp", "nowhere", stdin="hi", home=tmp_path)
    assert result.returncode != 0
    assert "no node 'nowhere'" in result.stderr
    assert "first-question" in result.stderr and "Traceback" not in result.stderr


def _restricted_node() -> tuple[str, list[str], list[str]]:
    """A bundled scenario, a path of first options, and the options on offer where that path
    first meets a node whose conditions hold back some of its options."""
    for entry in scan(default_dirs(())):
        if entry.loaded is None:
            continue
        engine = Engine(entry.loaded.scenario)
        path: list[str] = []
        while not engine.finished:
            offered = engine.choices()
            if len(offered) < len(engine.node.options):
                return entry.loaded.scenario.id, path, [c.id for c in offered]
            path.append(offered[0].id)
            engine.choose(offered[0].id)
    raise AssertionError("no bundled scenario holds back an option on its first path")


def test_path_restricts_the_ranking_to_what_is_on_offer_there(tmp_path: Path) -> None:
    scenario_id, path, offered = _restricted_node()
    entry = find(scenario_id, scan(default_dirs(())))
    assert entry is not None and entry.loaded is not None
    engine = Engine(entry.loaded.scenario)
    for option_id in path:
        engine.choose(option_id)
    node = engine.node.id
    every = _run("match", scenario_id, node, "--format", "json", stdin="I am sorry", home=tmp_path)
    restricted = _run(
        "match",
        scenario_id,
        node,
        "--format",
        "json",
        "--path",
        *path,
        stdin="I am sorry",
        home=tmp_path,
    )
    assert restricted.returncode == 0, restricted.stderr
    assert {r["option"] for r in json.loads(restricted.stdout)["ranked"]} == set(offered)
    assert len(json.loads(every.stdout)["ranked"]) == len(engine.node.options) > len(offered)


def test_a_path_that_leads_elsewhere_is_a_clear_error(tmp_path: Path) -> None:
    result = _run(
        "match", "broken-ramp", "first-question", "--path", "nope", stdin="hi", home=tmp_path
    )
    assert result.returncode != 0
    assert "--path" in result.stderr and "not on offer" in result.stderr
