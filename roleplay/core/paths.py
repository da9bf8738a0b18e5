"""Path analysis: how many ways through a scenario, and where they end, without listing them.

Dynamic programming over *states* (node, trust, and the flags and ruptures that some condition
reads), not just nodes, so conditions are respected exactly: an option is followed only in
the states where it is on offer. Each state is visited once, so a scenario with 10^12 paths
but a few thousand distinct states answers in milliseconds. Flags no condition reads are
left out of the state, so they cannot multiply it.

If play can loop (a state that can come back to itself on the way to an ending), there are
infinitely many paths: the report says so and gives what is still exact (which endings can
be reached, the trust range at each, the shortest path) instead of a count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from roleplay.core.engine import State, apply_effects, holds
from roleplay.core.models import Condition, Scenario

StateKey = tuple[str, int, frozenset[str], tuple[tuple[str, str], ...]]


@dataclass
class PathReport:
    """The result of a path analysis."""

    scenario_id: str
    paths: int | None
    """Complete paths from the start; None when loops make them infinite."""
    endings: dict[str, int | None]
    """Paths reaching each ending (0: never reached; None: infinitely many)."""
    ending_trust: dict[str, tuple[int, int]]
    shortest: int | None
    longest: int | None
    """None when loops make paths unbounded."""
    states: int
    dead_options: list[tuple[str, str]]
    """(node, option) pairs that are offered somewhere but never lead to an ending."""
    unavailable_options: list[tuple[str, str]]
    """(node, option) pairs that are never on offer in any reachable state."""
    cycles: list[list[str]]
    """Loops in play (node ids) from which an ending can still be reached."""

    @property
    def infinite(self) -> bool:
        """Whether loops make the number of paths infinite."""
        return self.paths is None

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
            "infinite": self.infinite,
            "endings": dict(self.endings),
            "ending_trust": {k: {"min": v[0], "max": v[1]} for k, v in self.ending_trust.items()},
            "trust": {"min": trust[0], "max": trust[1]} if trust else None,
            "shortest": self.shortest,
            "longest": self.longest,
            "states": self.states,
            "dead_options": [{"node": n, "option": o} for n, o in self.dead_options],
            "unavailable_options": [{"node": n, "option": o} for n, o in self.unavailable_options],
            "cycles": self.cycles,
        }


def _conditions(scenario: Scenario) -> list[Condition]:
    found: list[Condition] = []
    for node in scenario.nodes:
        lines = [*node.lines, *(line for option in node.options for line in option.reaction)]
        for line in lines:
            found.extend(c for c in (line.when, *(v.when for v in line.variants)) if c)
        found.extend(option.when for option in node.options if option.when)
        found.extend(choice.when for choice in node.ending_choices() if choice.when)
    return found


class _Keyer:
    """Projects a state onto what conditions can see, so unread flags do not split it."""

    def __init__(self, scenario: Scenario) -> None:
        conditions = _conditions(scenario)
        self.flags = {f for c in conditions for f in (*c.flags, *c.not_flags)}
        every_rupture = any(c.no_open_ruptures for c in conditions)
        self.ruptures: set[str] | None = (
            None
            if every_rupture
            else {
                r
                for c in conditions
                for r in (*c.rupture_open, *c.rupture_repaired, *c.rupture_not_open)
            }
        )

    def __call__(self, node: str, state: State) -> StateKey:
        ruptures = tuple(
            sorted(
                (name, status.value)
                for name, status in state.ruptures.items()
                if self.ruptures is None or name in self.ruptures
            )
        )
        return (node, state.trust, state.flags & self.flags, ruptures)


@dataclass
class _Graph:
    """The reachable state graph."""

    edges: dict[StateKey, list[tuple[str, StateKey]]]
    """Non-ending states: (option id, next state) for every option on offer."""
    endings: dict[StateKey, tuple[str, int]]
    """Ending states: (ending id, trust)."""
    offered: set[tuple[str, str]]


def _explore(scenario: Scenario) -> tuple[StateKey, _Graph]:
    key_of = _Keyer(scenario)
    start_state = State(trust=scenario.trust.start)
    start = key_of(scenario.start, start_state)
    graph = _Graph(edges={}, endings={}, offered=set())
    work = [(start, scenario.start, start_state)]
    seen = {start}
    while work:
        key, node_id, state = work.pop()
        node = scenario.node(node_id)
        if node.is_ending:
            choices = node.ending_choices()
            ending = next(
                (c.ending for c in choices if holds(c.when, state, scenario)), choices[-1].ending
            )
            graph.endings[key] = (ending, state.trust)
            continue
        children: list[tuple[str, StateKey]] = []
        for index, option in enumerate(node.options):
            if not holds(option.when, state, scenario):
                continue
            option_id = node.option_id(index)
            graph.offered.add((node_id, option_id))
            after = apply_effects(state, option.effects)
            child = key_of(option.next, after)
            children.append((option_id, child))
            if child not in seen:
                seen.add(child)
                work.append((child, option.next, after))
        graph.edges[key] = children
    return start, graph


def _order(
    start: StateKey, graph: _Graph, useful: set[StateKey]
) -> tuple[list[StateKey], list[list[StateKey]]]:
    """Useful states in reverse topological order, and the loops among them (iterative DFS)."""
    order: list[StateKey] = []
    loops: list[list[StateKey]] = []
    colour: dict[StateKey, int] = {}  # 1: on the current path, 2: done
    stack: list[tuple[StateKey, int]] = [(start, 0)]
    path: list[StateKey] = []
    colour[start] = 1
    path.append(start)
    while stack:
        key, index = stack[-1]
        children = [c for _, c in graph.edges.get(key, []) if c in useful]
        if index < len(children):
            stack[-1] = (key, index + 1)
            child = children[index]
            state = colour.get(child, 0)
            if state == 1:
                loops.append(path[path.index(child) :])
            elif state == 0:
                colour[child] = 1
                path.append(child)
                stack.append((child, 0))
            continue
        stack.pop()
        path.pop()
        colour[key] = 2
        order.append(key)
    return order, loops


def analyse(scenario: Scenario) -> PathReport:
    """Count and describe every complete path through a (lint-clean) scenario."""
    start, graph = _explore(scenario)
    # Which states can still reach an ending (backwards from the endings).
    parents: dict[StateKey, list[StateKey]] = {}
    for key, children in graph.edges.items():
        for _, child in children:
            parents.setdefault(child, []).append(key)
    useful = set(graph.endings)
    queue = deque(graph.endings)
    distance = dict.fromkeys(graph.endings, 0)
    while queue:
        key = queue.popleft()
        for parent in parents.get(key, []):
            if parent not in useful:
                useful.add(parent)
                distance[parent] = distance[key] + 1
                queue.append(parent)
    useful_options = {
        (key[0], option_id)
        for key, children in graph.edges.items()
        for option_id, child in children
        if child in useful
    }
    every_option = [
        (node.id, node.option_id(i)) for node in scenario.nodes for i in range(len(node.options))
    ]
    dead = [p for p in every_option if p in graph.offered and p not in useful_options]
    unavailable = [p for p in every_option if p not in graph.offered]
    # Endings reachable, and the trust with which each is reached (exact, loops or not).
    reachable: set[StateKey] = set()
    frontier = [start]
    while frontier:
        key = frontier.pop()
        if key in reachable:
            continue
        reachable.add(key)
        frontier.extend(c for _, c in graph.edges.get(key, []) if c in useful)
    ending_trust: dict[str, tuple[int, int]] = {}
    for key in reachable & set(graph.endings):
        ending, trust = graph.endings[key]
        low, high = ending_trust.get(ending, (trust, trust))
        ending_trust[ending] = (min(low, trust), max(high, trust))
    if start not in useful:
        return PathReport(
            scenario.id,
            0,
            {e.id: 0 for e in scenario.endings},
            {},
            None,
            None,
            len(graph.edges) + len(graph.endings),
            dead,
            unavailable,
            [],
        )
    order, loops = _order(start, graph, useful)
    cycles: list[list[str]] = []
    for loop in loops:
        nodes = [key[0] for key in loop]
        if nodes not in cycles:
            cycles.append(nodes)
    states = len(graph.edges) + len(graph.endings)
    if loops:
        reached = {ending for ending in ending_trust}
        return PathReport(
            scenario_id=scenario.id,
            paths=None,
            endings={e.id: (None if e.id in reached else 0) for e in scenario.endings},
            ending_trust=ending_trust,
            shortest=distance[start],
            longest=None,
            states=states,
            dead_options=dead,
            unavailable_options=unavailable,
            cycles=cycles,
        )
    # No loops on any way to an ending: exact counts in reverse topological order.
    count: dict[StateKey, int] = {}
    per_ending: dict[StateKey, dict[str, int]] = {}
    longest: dict[StateKey, int] = {}
    for key in order:
        if key in graph.endings:
            count[key] = 1
            per_ending[key] = {graph.endings[key][0]: 1}
            longest[key] = 0
            continue
        total = 0
        endings: dict[str, int] = {}
        far = 0
        for _, child in graph.edges[key]:
            if child not in useful:
                continue
            total += count[child]
            for ending, n in per_ending[child].items():
                endings[ending] = endings.get(ending, 0) + n
            far = max(far, longest[child] + 1)
        count[key], per_ending[key], longest[key] = total, endings, far
    return PathReport(
        scenario_id=scenario.id,
        paths=count[start],
        endings={e.id: per_ending[start].get(e.id, 0) for e in scenario.endings},
        ending_trust=ending_trust,
        shortest=distance[start],
        longest=longest[start],
        states=states,
        dead_options=dead,
        unavailable_options=unavailable,
        cycles=[],
    )


def report_text(report: PathReport) -> list[str]:
    """The analysis as readable lines."""
    out = [f"Scenario {report.scenario_id}"]
    if report.paths is None:
        out.append(
            f"Complete paths: infinitely many (play can loop); distinct states: {report.states:,}"
        )
    else:
        out.append(f"Complete paths: {report.paths:,}; distinct states: {report.states:,}")
    if report.shortest is not None:
        longest = "unbounded (loops)" if report.longest is None else str(report.longest)
        out.append(f"Shortest path: {report.shortest} decisions; longest: {longest}")
    trust = report.trust
    if trust:
        out.append(f"Trust at the end: {trust[0]} to {trust[1]}")
    out.append("Endings:")
    width = max((len(e) for e in report.endings), default=0)
    for ending, count in report.endings.items():
        span = report.ending_trust.get(ending)
        where = f"  trust {span[0]}-{span[1]}" if span else "  (never reached)"
        shown = "infinitely many" if count is None else f"{count:,}"
        out.append(f"  {ending:{width}}  {shown:>20} paths{where}")
    if report.dead_options:
        out.append("Options that never lead to an ending:")
        out.extend(f"  {node} / {option}" for node, option in report.dead_options)
    if report.unavailable_options:
        out.append("Options never on offer in any reachable state:")
        out.extend(f"  {node} / {option}" for node, option in report.unavailable_options)
    if report.cycles:
        out.append("Loops (each makes the paths infinite):")
        out.extend("  " + " -> ".join(loop) for loop in report.cycles)
    else:
        out.append("Loops: none")
    return out
