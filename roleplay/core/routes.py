"""Where each moment of a scenario sits among all its paths, for people who read, not play.

A facilitator preparing a class needs to know, for every moment: in what order the
moments come, which earlier replies lead to it, whether every path passes through it or
only some (and whether it can come round again, in a loop), and, in words, the condition
under which a line, an option or an ending applies. ``route_map`` answers all of this from
the state space that path analysis explores (``pathstates.StateSpace``), so a condition on
trust, flags or ruptures is taken into account exactly as the engine would.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from roleplay.core.models import Condition, Node, Scenario, readable
from roleplay.core.pathstates import StateSpace, sccs, shift

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(index: int) -> str:
    """An option's letter by its place in the file (A, B, … Z, then 27, 28…)."""
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


@dataclass(frozen=True)
class Arrival:
    """A reply that leads to a moment: the moment it is given at and its letter there."""

    node: Node
    letter: str


@dataclass(frozen=True)
class Place:
    """Where one moment sits among the scenario's paths."""

    node: Node
    reachable: bool
    """Some path from the start reaches it."""
    on_every_path: bool
    """Every path from the start to an ending passes through it."""
    in_loop: bool
    """It can be reached more than once in one conversation."""
    arrivals: tuple[Arrival, ...]
    """The replies (in other moments or this one) whose ``next`` is this moment."""
    returns: tuple[Arrival, ...] = ()
    """The arrivals that bring the conversation back round (from within its loop)."""


@dataclass(frozen=True)
class RouteMap:
    """Every node in reading order (breadth first from the start, unreachable ones last)."""

    places: tuple[Place, ...]

    def decisions(self) -> list[Place]:
        """The moments that offer options."""
        return [place for place in self.places if place.node.options]

    def closings(self) -> list[Place]:
        """The nodes that close the scenario with an ending."""
        return [place for place in self.places if place.node.is_ending]


def _reading_order(scenario: Scenario) -> list[Node]:
    seen = {scenario.start}
    queue = deque([scenario.start])
    order: list[Node] = []
    while queue:
        node = scenario.node(queue.popleft())
        order.append(node)
        for option in node.options:
            if option.next not in seen:
                seen.add(option.next)
                queue.append(option.next)
    order += [node for node in scenario.nodes if node.id not in seen]
    return order


def _ending_reached_without(space: StateSpace, blocked: int) -> bool:
    """Whether some path reaches an ending without passing node ``blocked`` (an index)."""
    if space.node_of[space.start] == blocked:
        return False
    mask = [0] * len(space.node_of)
    mask[space.start] = 1 << space.start_trust
    queue = deque([space.start])
    while queue:
        macro = queue.popleft()
        if space.is_ending(macro):
            return True
        for edge in space.out(macro):
            if space.node_of[edge.child] == blocked:
                continue
            moved = shift(mask[macro] & edge.allowed, edge.delta) & ~mask[edge.child]
            if moved:
                mask[edge.child] |= moved
                queue.append(edge.child)
    return False


def route_map(scenario: Scenario) -> RouteMap:
    """Where each moment sits: order, arrivals, on every path or some, loops."""
    space = StateSpace(scenario)
    reached = {space.node_of[m] for m in range(len(space.node_of)) if space.mask[m]}
    any_ending = any(space.is_ending(m) and space.mask[m] for m in range(len(space.node_of)))
    nexts = [[space.node_index[o.next] for o in node.options] for node in space.nodes]
    looping: set[int] = set()
    component_of: dict[int, int] = {}
    for number, component in enumerate(sccs(len(space.nodes), nexts.__getitem__)):
        component_of.update(dict.fromkeys(component, number))
        if len(component) > 1 or component[0] in nexts[component[0]]:
            looping.update(component)
    arrivals: dict[str, list[Arrival]] = {}
    for node in scenario.nodes:
        for index, option in enumerate(node.options):
            arrivals.setdefault(option.next, []).append(Arrival(node, letter(index)))
    places: list[Place] = []
    for node in _reading_order(scenario):
        index = space.node_index[node.id]
        reachable = index in reached
        every = reachable and any_ending and not _ending_reached_without(space, index)
        came = tuple(arrivals.get(node.id, ()))
        loop = index in looping
        back = tuple(
            a
            for a in came
            if loop and component_of[space.node_index[a.node.id]] == component_of[index]
        )
        places.append(Place(node, reachable, every, loop, came, back))
    return RouteMap(tuple(places))


def _either(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def condition_text(condition: Condition | None, scenario: Scenario) -> str:
    """A condition in words, e.g. ``trust is Guarded; “Name mispronounced” is open``
    (empty for no condition). Flags are named by their readable id."""
    if condition is None:
        return ""
    parts: list[str] = []
    if condition.bands:
        labels = []
        for band_id in condition.bands:
            found = next((band for band in scenario.trust.bands if band.id == band_id), None)
            labels.append(found.display if found is not None else readable(band_id))
        parts.append(f"trust is {_either(labels)}")
    if condition.min_trust is not None:
        parts.append(f"trust is at least {condition.min_trust}")
    if condition.max_trust is not None:
        parts.append(f"trust is at most {condition.max_trust}")

    def flag(name: str) -> str:
        return f"“{readable(name)}”"

    def rupture(name: str) -> str:
        found = scenario.rupture(name)
        return f"the rupture “{found.title if found is not None else readable(name)}”"

    parts += [f"{flag(name)} has happened" for name in condition.flags]
    parts += [f"{flag(name)} has not happened" for name in condition.not_flags]
    parts += [f"{rupture(name)} is open" for name in condition.rupture_open]
    parts += [f"{rupture(name)} was repaired" for name in condition.rupture_repaired]
    parts += [f"{rupture(name)} is not open" for name in condition.rupture_not_open]
    if condition.no_open_ruptures:
        parts.append("no rupture is open")
    return "; ".join(parts)
