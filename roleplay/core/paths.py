"""Path analysis: how many ways through a scenario, and where they end, without listing them.

Dynamic programming over *states* (node, trust, flags, ruptures), not just nodes, so that
conditions and flags are respected exactly: an option is followed only in the states where
it is on offer. Each state is solved once (memoised), so a scenario with 10^12 paths but a
few thousand distinct states answers in milliseconds. A loop back to a state already on the
current path means infinitely many paths; such loops are reported and the paths through
them are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from roleplay.core.engine import State, apply_effects, holds
from roleplay.core.models import Scenario

StateKey = tuple[str, int, frozenset[str], tuple[tuple[str, str], ...]]


@dataclass
class _Summary:
    """What can happen from one state onwards."""

    paths: int = 0
    endings: dict[str, int] = field(default_factory=dict)
    ending_trust: dict[str, tuple[int, int]] = field(default_factory=dict)
    shortest: int | None = None
    longest: int | None = None

    def absorb(self, child: _Summary) -> None:
        if child.paths == 0:
            return
        self.paths += child.paths
        for ending, count in child.endings.items():
            self.endings[ending] = self.endings.get(ending, 0) + count
        for ending, (low, high) in child.ending_trust.items():
            old = self.ending_trust.get(ending)
            self.ending_trust[ending] = (
                (low, high) if old is None else (min(old[0], low), max(old[1], high))
            )
        assert child.shortest is not None and child.longest is not None
        short, long_ = child.shortest + 1, child.longest + 1
        self.shortest = short if self.shortest is None else min(self.shortest, short)
        self.longest = long_ if self.longest is None else max(self.longest, long_)


@dataclass
class PathReport:
    """The result of a path analysis."""

    scenario_id: str
    paths: int
    endings: dict[str, int]
    ending_trust: dict[str, tuple[int, int]]
    shortest: int | None
    longest: int | None
    states: int
    dead_options: list[tuple[str, str]]
    """(node, option) pairs that are offered somewhere but never lead to an ending."""
    unavailable_options: list[tuple[str, str]]
    """(node, option) pairs that are never on offer in any reachable state."""
    cycles: list[list[str]]
    """Loops in play (node ids), each meaning infinitely many paths."""

    @property
    def trust(self) -> tuple[int, int] | None:
        """The lowest and highest trust at any ending."""
        if not self.ending_trust:
            return None
        return (
            min(low for low, _ in self.ending_trust.values()),
            max(high for _, high in self.ending_trust.values()),
        )

    def to_json(self) -> dict[str, Any]:
        """A plain dict for ``--format json``."""
        trust = self.trust
        return {
            "scenario": self.scenario_id,
            "paths": self.paths,
            "endings": dict(self.endings),
            "ending_trust": {k: {"min": v[0], "max": v[1]} for k, v in self.ending_trust.items()},
            "trust": {"min": trust[0], "max": trust[1]} if trust else None,
            "shortest": self.shortest,
            "longest": self.longest,
            "states": self.states,
            "dead_options": [{"node": n, "option": o} for n, o in self.dead_options],
            "unavailable_options": [{"node": n, "option": o} for n, o in self.unavailable_options],
            "cycles": self.cycles,
            "infinite": bool(self.cycles),
        }


def _key(node: str, state: State) -> StateKey:
    return (node, state.trust, state.flags, tuple(sorted(state.ruptures.items())))


def analyse(scenario: Scenario) -> PathReport:
    """Count and describe every complete path through a (lint-clean) scenario."""
    memo: dict[StateKey, _Summary] = {}
    offered: set[tuple[str, str]] = set()
    useful: set[tuple[str, str]] = set()
    cycles: list[list[str]] = []
    start = State(trust=scenario.trust.start)
    # Iterative depth-first search: each frame is (key, node id, state, successors, index).
    start_key = _key(scenario.start, start)
    on_path: dict[StateKey, int] = {}
    frames: list[tuple[StateKey, str, State, list[tuple[str, StateKey, str, State]], int]] = []

    def expand(key: StateKey, node_id: str, state: State) -> None:
        node = scenario.node(node_id)
        children: list[tuple[str, StateKey, str, State]] = []
        for index, option in enumerate(node.options):
            if not holds(option.when, state, scenario):
                continue
            option_id = node.option_id(index)
            offered.add((node_id, option_id))
            after = apply_effects(state, option.effects)
            children.append((option_id, _key(option.next, after), option.next, after))
        on_path[key] = len(frames)
        frames.append((key, node_id, state, children, 0))

    def leaf(node_id: str, state: State) -> _Summary:
        node = scenario.node(node_id)
        ending = None
        for choice in node.ending_choices():
            if holds(choice.when, state, scenario):
                ending = choice.ending
                break
        if ending is None:
            ending = node.ending_choices()[-1].ending
        return _Summary(
            paths=1,
            endings={ending: 1},
            ending_trust={ending: (state.trust, state.trust)},
            shortest=0,
            longest=0,
        )

    if scenario.node(scenario.start).is_ending:
        memo[start_key] = leaf(scenario.start, start)
    else:
        expand(start_key, scenario.start, start)
    while frames:
        key, node_id, state, children, index = frames[-1]
        if index < len(children):
            frames[-1] = (key, node_id, state, children, index + 1)
            _, child_key, child_node, child_state = children[index]
            if child_key in memo:
                continue
            if child_key in on_path:
                loop = [frame[1] for frame in frames[on_path[child_key] :]]
                if loop not in cycles:
                    cycles.append(loop)
                continue
            if scenario.node(child_node).is_ending:
                memo[child_key] = leaf(child_node, child_state)
            else:
                expand(child_key, child_node, child_state)
            continue
        frames.pop()
        del on_path[key]
        summary = _Summary()
        for option_id, child_key, _, _ in children:
            child = memo.get(child_key)
            if child is not None and child.paths:
                useful.add((node_id, option_id))
                summary.absorb(child)
        memo[key] = summary
    result = memo[start_key]
    every_option = [
        (node.id, node.option_id(i)) for node in scenario.nodes for i in range(len(node.options))
    ]
    return PathReport(
        scenario_id=scenario.id,
        paths=result.paths,
        endings={e.id: result.endings.get(e.id, 0) for e in scenario.endings},
        ending_trust=result.ending_trust,
        shortest=result.shortest,
        longest=result.longest,
        states=len(memo),
        dead_options=[pair for pair in every_option if pair in offered and pair not in useful],
        unavailable_options=[pair for pair in every_option if pair not in offered],
        cycles=cycles,
    )


def report_text(report: PathReport) -> list[str]:
    """The analysis as readable lines."""
    out = [f"Scenario {report.scenario_id}"]
    loops = " (not counting paths through loops)" if report.cycles else ""
    out.append(f"Complete paths: {report.paths:,}{loops}; distinct states: {report.states:,}")
    if report.shortest is not None:
        out.append(f"Shortest path: {report.shortest} decisions; longest: {report.longest}")
    trust = report.trust
    if trust:
        out.append(f"Trust at the end: {trust[0]} to {trust[1]}")
    out.append("Endings:")
    width = max((len(e) for e in report.endings), default=0)
    for ending, count in report.endings.items():
        span = report.ending_trust.get(ending)
        where = f"  trust {span[0]}-{span[1]}" if span else "  (never reached)"
        out.append(f"  {ending:{width}}  {count:>20,} paths{where}")
    if report.dead_options:
        out.append("Options that never lead to an ending:")
        out.extend(f"  {node} / {option}" for node, option in report.dead_options)
    if report.unavailable_options:
        out.append("Options never on offer in any reachable state:")
        out.extend(f"  {node} / {option}" for node, option in report.unavailable_options)
    if report.cycles:
        out.append("Loops (infinitely many paths):")
        out.extend("  " + " -> ".join(loop) for loop in report.cycles)
    else:
        out.append("Loops: none")
    return out
