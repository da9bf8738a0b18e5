"""Path analysis: how many ways through a scenario, and where they end, without listing them.

Dynamic programming over *states* (node, trust, and the flags and ruptures that a later
condition can still read), not just nodes, so conditions are respected exactly: an option
is followed only in the states where it is on offer. ``pathstates`` explores the states
with all trust values of a node at once; here counts are passed forward from the start in
order, 101 trust values at a time, and dropped once passed on, so a chain of thousands of
decisions (2^7000 paths) takes well under a second and little memory. Only where states can
come back to a node are they followed one by one, to find the loops.

If play can loop (a state that can come back to itself on the way to an ending), there are
infinitely many paths: the report says so and gives what is still exact (which endings can
be reached, the trust range at each, the shortest path) instead of a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import add
from typing import Any

from roleplay.core.gcpause import collector_paused
from roleplay.core.models import Scenario
from roleplay.core.pathloops import find_loop
from roleplay.core.pathstates import (
    FULL,
    TRUST_MAX,
    Edge,
    StateSpace,
    bits,
    preimage,
    sccs,
    shift,
)

Fold = Callable[[list[int]], int]
_SPAN = TRUST_MAX + 1


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


def analyse(scenario: Scenario) -> PathReport:
    """Count and describe every complete path through a (lint-clean) scenario."""
    with collector_paused():  # states and counts are many objects, and make no cycles
        return _analyse(scenario)


def _analyse(scenario: Scenario) -> PathReport:
    space = StateSpace(scenario)
    useful = space.useful()
    mask, ends, node_of, base = space.mask, space.ends, space.node_of, space.option_base
    offered: set[int] = set()  # options by their number in file order
    leads: set[int] = set()
    ending_trust: dict[str, tuple[int, int]] = {}
    for macro in range(len(mask)):
        first = base[node_of[macro]]
        for edge in space.out(macro):
            on = mask[macro] & edge.allowed
            if on:
                offered.add(first + edge.option)
                if on & preimage(useful[edge.child], edge.delta):
                    leads.add(first + edge.option)
        if ends[macro]:
            for ending, trusts in space.endings(macro):
                low, high = (trusts & -trusts).bit_length() - 1, trusts.bit_length() - 1
                was = ending_trust.get(ending, (low, high))
                ending_trust[ending] = (min(was[0], low), max(was[1], high))
    pairs = space.option_pairs
    dead = [p for i, p in enumerate(pairs) if i in offered and i not in leads]
    unavailable = [p for i, p in enumerate(pairs) if i not in offered]
    states = sum(trusts.bit_count() for trusts in mask)
    if not useful[space.start] >> space.start_trust & 1:
        endings: dict[str, int | None] = {e.id: 0 for e in scenario.endings}
        return PathReport(scenario.id, 0, endings, {}, None, None, states, dead, unavailable, [])
    shortest = _shortest(space)
    walk = _Walk(space, useful)
    if walk.cycles:
        return PathReport(
            scenario_id=scenario.id,
            paths=None,
            endings={e.id: (None if e.id in ending_trust else 0) for e in scenario.endings},
            ending_trust=ending_trust,
            shortest=shortest,
            longest=None,
            states=states,
            dead_options=dead,
            unavailable_options=unavailable,
            cycles=walk.cycles,
        )
    per_ending, longest = walk.count()
    return PathReport(
        scenario_id=scenario.id,
        paths=sum(per_ending.values()),
        endings={e.id: per_ending.get(e.id, 0) for e in scenario.endings},
        ending_trust=ending_trust,
        shortest=shortest,
        longest=longest,
        states=states,
        dead_options=dead,
        unavailable_options=unavailable,
        cycles=[],
    )


def _shortest(space: StateSpace) -> int | None:
    """The fewest decisions from the start to an ending (breadth first, trust values in bulk)."""
    seen = [0] * len(space.mask)
    frontier = {space.start: 1 << space.start_trust}
    seen[space.start] = frontier[space.start]
    level = 0
    while frontier:
        if any(space.ends[macro] for macro in frontier):
            return level
        after: dict[int, int] = {}
        for macro, trusts in frontier.items():
            for edge in space.out(macro):
                moved = shift(trusts & edge.allowed, edge.delta) & ~seen[edge.child]
                if moved:
                    after[edge.child] = after.get(edge.child, 0) | moved
        for macro, trusts in after.items():
            seen[macro] |= trusts
        frontier = after
        level += 1
    return None


def _clamp(value: int) -> int:
    return max(0, min(TRUST_MAX, value))


def _moved(values: list[int], allowed: int, delta: int, empty: int, fold: Fold) -> list[int]:
    """Per-trust values carried along an option: kept where it is on offer, shifted by its
    trust change, and folded together where clamping makes trust values meet."""
    if allowed != FULL:
        values = [v if allowed >> t & 1 else empty for t, v in enumerate(values)]
    step = min(abs(delta), TRUST_MAX)
    if delta > 0:
        out = [empty] * step + values[: TRUST_MAX + 1 - step]
        out[TRUST_MAX] = fold([out[TRUST_MAX], *values[TRUST_MAX + 1 - step :]])
        return out
    if delta < 0:
        out = values[step:] + [empty] * step
        out[0] = fold([*values[:step], out[0]])
        return out
    return values


class _Walk:
    """The useful part of the state space in order from the start; its loops, if any."""

    def __init__(self, space: StateSpace, useful: list[int]) -> None:
        self.space, self.useful = space, useful
        self.succ: list[list[Edge]] = [
            [
                e
                for e in space.out(macro)
                if useful[macro] & e.allowed & preimage(useful[e.child], e.delta)
            ]
            for macro in range(len(space.mask))
        ]
        self.inner: dict[int, tuple[list[int], list[list[int]]]] = {}
        self.cycles: list[list[str]] = []
        seen_cycles: set[tuple[str, ...]] = set()
        looping: list[int] = []
        if space.node_loops:
            components = sccs(len(self.succ), lambda m: (e.child for e in self.succ[m]))
            self.order = [c for c in reversed(components) if useful[c[0]]]
            looping = [
                index
                for index, component in enumerate(self.order)
                if len(component) > 1
                or any(e.child == component[0] for e in self.succ[component[0]])
            ]
        else:  # no node comes round again, so no state does: states in the nodes' order
            placed: list[list[int]] = [[] for _ in space.nodes]
            for macro, node in enumerate(space.node_of):
                if useful[macro]:
                    placed[space.position[node]].append(macro)
            self.order = [[macro] for macros in placed for macro in macros]
        names, node_of = space.node_ids, space.node_of
        for index in looping:
            found = find_loop(self.order[index], self.succ, useful)
            if found is not None:
                loop = [names[node_of[macro]] for macro, _ in found]
                if tuple(loop) not in seen_cycles:
                    seen_cycles.add(tuple(loop))
                    self.cycles.append(loop)
        if not self.cycles:  # no loops: count these components' single states in order
            for index in looping:
                self.inner[index] = self._explicit(self.order[index])

    def _explicit(self, members: list[int]) -> tuple[list[int], list[list[int]]]:
        """A component of macro states as single states and their edges; a single state is
        one number, ``macro * 101 + trust`` (a pair each would double the memory)."""
        inside = set(members)
        states = [m * _SPAN + t for m in members for t in bits(self.useful[m])]
        number = {state: i for i, state in enumerate(states)}
        succ: list[list[int]] = []
        for state in states:
            macro, trust = divmod(state, _SPAN)
            out = []
            for edge in self.succ[macro]:
                if edge.child in inside and edge.allowed >> trust & 1:
                    found = number.get(edge.child * _SPAN + _clamp(trust + edge.delta))
                    if found is not None:
                        out.append(found)
            succ.append(out)
        return states, succ

    def count(self) -> tuple[dict[str, int], int]:
        """Paths to each ending and the longest path, passing counts forward (no loops)."""
        space = self.space
        counts: dict[int, list[int]] = {space.start: [0] * (TRUST_MAX + 1)}
        longest: dict[int, list[int]] = {space.start: [-1] * (TRUST_MAX + 1)}
        counts[space.start][space.start_trust] = 1
        longest[space.start][space.start_trust] = 0
        per_ending: dict[str, int] = {}
        far = 0

        def carry(macro: int, edge: Edge, values: list[int], lengths: list[int]) -> None:
            moved = _moved(values, edge.allowed, edge.delta, 0, sum)
            steps = _moved(lengths, edge.allowed, edge.delta, -1, max)
            steps = [n + 1 if n >= 0 else -1 for n in steps]
            child = edge.child
            if child in counts:
                counts[child] = list(map(add, counts[child], moved))
                longest[child] = list(map(max, longest[child], steps))
            else:
                counts[child], longest[child] = moved, steps

        for index, component in enumerate(self.order):
            if index in self.inner:
                self._count_inside(*self.inner[index], counts, longest)
                continue
            macro = component[0]
            values, lengths = counts.pop(macro), longest.pop(macro)
            if space.ends[macro]:
                for ending, mask in space.endings(macro):
                    for trust in bits(mask):
                        if values[trust]:
                            per_ending[ending] = per_ending.get(ending, 0) + values[trust]
                            far = max(far, lengths[trust])
                continue
            for edge in self.succ[macro]:
                carry(macro, edge, values, lengths)
        return per_ending, far

    def _count_inside(
        self,
        states: list[int],
        succ: list[list[int]],
        counts: dict[int, list[int]],
        longest: dict[int, list[int]],
    ) -> None:
        """A component with no loops among its single states: one state at a time, in order."""
        blank = [0] * (TRUST_MAX + 1)
        for (index,) in reversed(sccs(len(states), succ.__getitem__)):
            macro, trust = divmod(states[index], _SPAN)
            value = counts.get(macro, blank)[trust]
            if not value:
                continue
            length = longest[macro][trust]
            for edge in self.succ[macro]:
                if not edge.allowed >> trust & 1:
                    continue
                target = _clamp(trust + edge.delta)
                if edge.child not in counts:
                    counts[edge.child] = [0] * (TRUST_MAX + 1)
                    longest[edge.child] = [-1] * (TRUST_MAX + 1)
                counts[edge.child][target] += value
                longest[edge.child][target] = max(longest[edge.child][target], length + 1)
        for macro in {state // _SPAN for state in states}:
            counts.pop(macro, None)
            longest.pop(macro, None)


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
        decisions = "decision" if report.shortest == 1 else "decisions"
        out.append(f"Shortest path: {report.shortest} {decisions}; longest: {longest}")
    trust = report.trust
    if trust:
        out.append(f"Trust at the end: {trust[0]} to {trust[1]}")
    out.append("Endings:")
    width = max((len(e) for e in report.endings), default=0)
    for ending, count in report.endings.items():
        span = report.ending_trust.get(ending)
        where = f"  trust {span[0]}-{span[1]}" if span else "  (never reached)"
        shown = "infinitely many" if count is None else f"{count:,}"
        paths = "path " if count == 1 else "paths"  # keeps the trust column lined up
        out.append(f"  {ending:{width}}  {shown:>20} {paths}{where}")
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
