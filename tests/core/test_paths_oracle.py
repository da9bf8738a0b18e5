"""Path analysis against an independent oracle, on random scenarios and growing graphs.

The oracle explores every state one at a time with the engine's own ``holds`` and
``apply_effects``: nothing grouped, no flag or rupture dropped. On random scenarios
(conditions on options and endings, flags, ruptures, back edges) the analysis must agree
with it on every figure, and so must every bundled scenario. Growing graphs check the
counts that are known in closed form and that the number of states grows with the graph,
not with its paths (no timing asserted).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from test_properties import SETTINGS, load_valid, random_scenarios

from benchmarks.graphs import BUILDERS
from roleplay.core.engine import State, apply_effects, holds
from roleplay.core.loader import load_scenario
from roleplay.core.locations import bundled_scenarios_dir
from roleplay.core.models import Scenario
from roleplay.core.paths import PathReport, analyse

BUNDLED = sorted(bundled_scenarios_dir().glob("*.yaml"))

Key = tuple[str, int, frozenset[str], tuple[tuple[str, str], ...]]


def _key(node: str, state: State) -> Key:
    return (node, state.trust, state.flags, tuple(sorted(state.ruptures.items())))


def oracle(scenario: Scenario) -> dict[str, Any]:
    """Every figure of a path report, computed state by state."""
    start_state = State(trust=scenario.trust.start)
    start = _key(scenario.start, start_state)
    edges: dict[Key, list[tuple[tuple[str, str], Key]]] = {}
    endings: dict[Key, tuple[str, int]] = {}
    offered: set[tuple[str, str]] = set()
    work = [(start, scenario.start, start_state)]
    seen = {start}
    while work:
        key, node_id, state = work.pop()
        node = scenario.node(node_id)
        if node.is_ending:
            choices = node.ending_choices()
            chosen = [c.ending for c in choices if holds(c.when, state, scenario)]
            endings[key] = (chosen[0] if chosen else choices[-1].ending, state.trust)
            continue
        edges[key] = []
        for index, option in enumerate(node.options):
            if not holds(option.when, state, scenario):
                continue
            pair = (node_id, node.option_id(index))
            offered.add(pair)
            after = apply_effects(state, option.effects)
            child = _key(option.next, after)
            edges[key].append((pair, child))
            if child not in seen:
                seen.add(child)
                work.append((child, option.next, after))
    useful = set(endings)
    changed = True
    while changed:
        changed = False
        for key, children in edges.items():
            if key not in useful and any(child in useful for _, child in children):
                useful.add(key)
                changed = True
    leads = {pair for children in edges.values() for pair, child in children if child in useful}
    options = [(n.id, n.option_id(i)) for n in scenario.nodes for i in range(len(n.options))]
    result: dict[str, Any] = {
        "edges": edges,
        "useful": useful,
        "dead": [p for p in options if p in offered and p not in leads],
        "unavailable": [p for p in options if p not in offered],
        "states": len(seen),
    }
    trust: dict[str, tuple[int, int]] = {}
    for ending, value in endings.values():
        low, high = trust.get(ending, (value, value))
        trust[ending] = (min(low, value), max(high, value))
    result["trust"] = trust
    if start not in useful:
        result.update(paths=0, shortest=None, longest=None, infinite=False)
        return result
    # Shortest: breadth first from the start.
    distance = {start: 0}
    queue = deque([start])
    shortest = None
    while queue:
        key = queue.popleft()
        if key in endings:
            shortest = distance[key]
            break
        for _, child in edges[key]:
            if child not in distance:
                distance[child] = distance[key] + 1
                queue.append(child)
    result["shortest"] = shortest
    # Loops among useful states; otherwise counts in post-order.
    colour: dict[Key, int] = {}
    post: list[Key] = []
    infinite = False
    stack: list[tuple[Key, int]] = [(start, 0)]
    colour[start] = 1
    while stack:
        key, index = stack[-1]
        onward = [c for _, c in edges.get(key, []) if c in useful]
        if index < len(onward):
            stack[-1] = (key, index + 1)
            following = onward[index]
            if colour.get(following) == 1:
                infinite = True
            elif following not in colour:
                colour[following] = 1
                stack.append((following, 0))
            continue
        stack.pop()
        colour[key] = 2
        post.append(key)
    result["infinite"] = infinite
    if infinite:
        result.update(paths=None, longest=None)
        return result
    count: dict[Key, dict[str, int]] = {}
    longest: dict[Key, int] = {}
    for key in post:
        if key in endings:
            count[key], longest[key] = {endings[key][0]: 1}, 0
            continue
        total: dict[str, int] = {}
        far = 0
        for _, child in edges[key]:
            if child in useful:
                for ending, n in count[child].items():
                    total[ending] = total.get(ending, 0) + n
                far = max(far, longest[child] + 1)
        count[key], longest[key] = total, far
    result.update(paths=count[start], longest=longest[start])
    return result


def plays_round(
    loop: list[str], edges: dict[Key, list[tuple[tuple[str, str], Key]]], useful: set[Key]
) -> bool:
    """Whether play can go round ``loop`` (node ids, in order) and come back to the very
    state it started from, without leaving the states that can still reach an ending."""
    for begin in [key for key in useful if key[0] == loop[0]]:
        current = {begin}
        for node in [*loop[1:], loop[0]]:
            current = {
                child
                for key in current
                for _, child in edges.get(key, [])
                if child[0] == node and child in useful
            }
        if begin in current:
            return True
    return False


def check(scenario: Scenario) -> PathReport:
    report = analyse(scenario)
    expected = oracle(scenario)
    assert report.dead_options == expected["dead"]
    assert report.unavailable_options == expected["unavailable"]
    assert report.ending_trust == expected["trust"]
    assert report.shortest == expected["shortest"]
    assert report.longest == expected["longest"]
    assert report.infinite is expected["infinite"]
    assert bool(report.cycles) is expected["infinite"]
    assert len({tuple(loop) for loop in report.cycles}) == len(report.cycles)
    for loop in report.cycles:
        assert plays_round(loop, expected["edges"], expected["useful"]), loop
    assert report.states <= expected["states"]
    if expected["paths"] is None:
        assert {k for k, v in report.endings.items() if v is None} == set(expected["trust"])
    elif expected["paths"] == 0:
        assert report.paths == 0
    else:
        assert report.paths == sum(expected["paths"].values())
        assert {k: v for k, v in report.endings.items() if v} == expected["paths"]
    return report


@SETTINGS
@given(data=random_scenarios())
def test_path_analysis_agrees_with_the_state_by_state_oracle(data: dict[str, Any]) -> None:
    check(load_valid(data).scenario)


def test_growing_graphs_agree_with_the_oracle_when_small() -> None:
    for build in BUILDERS.values():
        for size in (1, 2, 5, 9):
            check(Scenario.model_validate(build(size)))


def test_growing_graphs_keep_exact_counts_and_a_state_space_that_grows_with_the_graph() -> None:
    size = 400
    chain = analyse(Scenario.model_validate(BUILDERS["chain"](size)))
    assert chain.paths == 2**size and chain.shortest == chain.longest == size
    wide = analyse(Scenario.model_validate(BUILDERS["wide"](size)))
    assert wide.paths == 4 ** (size // 4)
    loops = analyse(Scenario.model_validate(BUILDERS["loops"](size)))
    assert loops.infinite and loops.shortest == size and loops.cycles
    flags = analyse(Scenario.model_validate(BUILDERS["flags"](size)))
    # One set flag doubles the next decision's way on: a(n) = 2 a(n-1) + (paths that set it).
    with_flag, without = 1, 1  # paths through decision 0 that did / did not set its flag
    for _ in range(1, size):
        with_flag, without = with_flag + without, 2 * with_flag + without
    assert flags.paths == with_flag + without
    for report in (chain, wide, loops, flags):
        # At most every trust value at each node, and a flag read once at most doubles it.
        assert report.states <= 2 * 101 * (size + 2), report.scenario_id


def _gated_loop(back_when: dict[str, Any] | None, step: int) -> Scenario:
    """``n0`` and ``n1`` send play to each other (trust ``+step`` each way) and ``n1`` out
    to the ending; the way back is on offer only when ``back_when`` holds."""
    data = BUILDERS["chain"](2)
    first, second = data["nodes"][0], data["nodes"][1]
    for option in first["options"]:
        option["effects"] = {"trust": step}
    back = dict(second["options"][0], id="back", next=first["id"], effects={"trust": step})
    if back_when is not None:
        back["when"] = back_when
    second["options"].append(back)
    return Scenario.model_validate(data)


def test_a_loop_of_nodes_that_play_can_only_go_round_a_few_times_is_counted() -> None:
    """Trust rises on the way round and the way back closes above 80: the macro states
    loop, single states do not, so the paths are finite and counted exactly."""
    report = check(_gated_loop({"max_trust": 80}, 3))
    assert not report.infinite and report.paths and report.cycles == []


def test_a_loop_that_only_closes_where_trust_is_clamped_is_found() -> None:
    """Trust rises on the way round until it is held at 100, where play comes back to the
    very same state: infinite, and the loop reported is one play can go round."""
    report = check(_gated_loop(None, 7))
    assert report.infinite and report.cycles == [["n0", "n1"]]


def test_a_loop_open_only_in_a_band_in_the_middle_is_found_or_not_exactly() -> None:
    for low, high, step in [(40, 60, 3), (40, 60, 0), (55, 56, 1), (10, 20, -2)]:
        check(_gated_loop({"min_trust": low, "max_trust": high}, step))


def test_loops_of_thousands_of_decisions_name_a_short_loop() -> None:
    report = analyse(Scenario.model_validate(BUILDERS["loops"](3000)))
    assert report.infinite and report.shortest == 3000
    assert report.cycles == [["n2999", "n2998"]]


def test_the_bundled_scenarios_are_found() -> None:
    assert len(BUNDLED) >= 10


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_every_bundled_scenario_agrees_with_the_oracle(path: Path) -> None:
    check(load_scenario(path).scenario)
