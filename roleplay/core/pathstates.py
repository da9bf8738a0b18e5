"""The state space of a scenario, explored with every trust value at once.

A state is a node, a trust value (0-100), and the flags and ruptures a later condition can
still read. States that share a node, flags and ruptures are grouped as one *macro state*
whose trust values are the bits of an integer (bit ``t`` for trust ``t``): an option moves
all of them at once with a shift, so a chain of thousands of decisions is thousands of
macro states, not a hundred times as many states.

Only what can change a path is kept: the conditions of options and endings (lines only
change what is shown). A flag or rupture is dropped from a state once no condition that
can still be met reads it (every reader is earlier in the node graph's order), so a flag
read only at the next decision does not multiply every state after it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from roleplay.core.models import Condition, Node, Scenario

TRUST_MAX = 100
FULL = (1 << (TRUST_MAX + 1)) - 1
"""Every trust value, 0 to 100."""

OPEN, REPAIRED = "open", "repaired"
Ruptures = tuple[tuple[str, str], ...]


def shift(mask: int, delta: int) -> int:
    """The trust values in ``mask`` after adding ``delta``, clamped to 0-100."""
    if delta >= 0:
        out = (mask << delta) & FULL
        if delta and mask >> (TRUST_MAX - delta):
            out |= 1 << TRUST_MAX
        return out
    drop = -delta
    out = mask >> drop
    if mask & ((2 << drop) - 1):
        out |= 1
    return out


def preimage(mask: int, delta: int) -> int:
    """The trust values that adding ``delta`` (clamped to 0-100) takes into ``mask``."""
    if delta >= 0:
        out = mask >> delta
        if mask >> TRUST_MAX:
            out |= FULL & ~((1 << (TRUST_MAX - delta)) - 1)
        return out
    rise = -delta
    out = (mask << rise) & FULL
    if mask & 1:
        out |= (2 << rise) - 1
    return out


def bits(mask: int) -> Iterable[int]:
    """The trust values in a mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def sccs(count: int, successors: Callable[[int], Iterable[int]]) -> list[list[int]]:
    """Strongly connected components of vertices ``0..count-1`` (iterative Tarjan), each
    after every component it can reach: reverse topological order."""
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            vertex, children = work[-1]
            for child in children:
                if index[child] < 0:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = True
                    work.append((child, iter(successors(child))))
                    break
                if on_stack[child] and index[child] < low[vertex]:
                    low[vertex] = index[child]
            else:
                work.pop()
                if work and low[vertex] < low[work[-1][0]]:
                    low[work[-1][0]] = low[vertex]
                if low[vertex] == index[vertex]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        component.append(member)
                        if member == vertex:
                            break
                    found.append(component)
    return found


def static_holds(condition: Condition | None, flags: frozenset[str], ruptures: Ruptures) -> bool:
    """The parts of ``engine.holds`` that do not look at trust."""
    if condition is None:
        return True
    if any(flag not in flags for flag in condition.flags):
        return False
    if any(flag in flags for flag in condition.not_flags):
        return False
    status = dict(ruptures)
    if any(status.get(r) != OPEN for r in condition.rupture_open):
        return False
    if any(status.get(r) != REPAIRED for r in condition.rupture_repaired):
        return False
    if any(status.get(r) == OPEN for r in condition.rupture_not_open):
        return False
    return not (condition.no_open_ruptures and OPEN in status.values())


@dataclass
class Edge:
    """An option from a macro state: where it leads and what it does to trust."""

    option: int
    allowed: int
    """The trust values at which the option is on offer."""
    delta: int
    child: int


class StateSpace:
    """Every reachable state, as macro states with masks of trust values."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.nodes: list[Node] = list(scenario.nodes)
        self.node_index = {node.id: i for i, node in enumerate(self.nodes)}
        self._trust_masks: dict[int, int] = {}
        self._order_nodes()
        self.keys: dict[tuple[int, frozenset[str], Ruptures], int] = {}
        self.node_of: list[int] = []
        self.flags: list[frozenset[str]] = []
        self.ruptures: list[Ruptures] = []
        self.mask: list[int] = []
        self.edges: list[list[Edge] | None] = []
        self.start = self._macro(self.node_index[scenario.start], frozenset(), ())
        self.start_trust = scenario.trust.start
        self.mask[self.start] = 1 << self.start_trust
        self._explore()

    # -- the node graph: an order, and which flags and ruptures can still be read ----------
    def _order_nodes(self) -> None:
        nexts = [[self.node_index[o.next] for o in node.options] for node in self.nodes]
        components = sccs(len(self.nodes), nexts.__getitem__)
        self.position = [0] * len(self.nodes)
        for place, component in enumerate(reversed(components)):
            for member in component:
                self.position[member] = place
        self.flag_until: dict[str, int] = {}
        self.rupture_until: dict[str, int] = {}
        every_rupture_until = -1
        for i, node in enumerate(self.nodes):
            place = self.position[i]
            conditions = [o.when for o in node.options] + [c.when for c in node.ending_choices()]
            for c in conditions:
                if c is None:
                    continue
                for flag in (*c.flags, *c.not_flags):
                    self.flag_until[flag] = max(self.flag_until.get(flag, -1), place)
                for r in (*c.rupture_open, *c.rupture_repaired, *c.rupture_not_open):
                    self.rupture_until[r] = max(self.rupture_until.get(r, -1), place)
                if c.no_open_ruptures:
                    every_rupture_until = max(every_rupture_until, place)
        self.every_rupture_until = every_rupture_until

    def _macro(self, node: int, flags: frozenset[str], ruptures: Ruptures) -> int:
        place = self.position[node]
        live_flags = frozenset(f for f in flags if self.flag_until.get(f, -1) >= place)
        live_ruptures = tuple(
            (name, status)
            for name, status in ruptures
            if max(self.rupture_until.get(name, -1), self.every_rupture_until) >= place
        )
        key = (node, live_flags, live_ruptures)
        found = self.keys.get(key)
        if found is None:
            found = self.keys[key] = len(self.node_of)
            self.node_of.append(node)
            self.flags.append(live_flags)
            self.ruptures.append(live_ruptures)
            self.mask.append(0)
            self.edges.append(None)
        return found

    def trust_mask(self, condition: Condition | None) -> int:
        """The trust values at which a condition's trust parts (band, min, max) hold."""
        if condition is None:
            return FULL
        key = id(condition)
        found = self._trust_masks.get(key)
        if found is None:
            found = 0
            bands = condition.bands
            trust = self.scenario.trust
            for value in range(TRUST_MAX + 1):
                if bands and trust.band_for(value).id not in bands:
                    continue
                if condition.min_trust is not None and value < condition.min_trust:
                    continue
                if condition.max_trust is not None and value > condition.max_trust:
                    continue
                found |= 1 << value
            self._trust_masks[key] = found
        return found

    def is_ending(self, macro: int) -> bool:
        """Whether a macro state is at an ending node."""
        return self.nodes[self.node_of[macro]].is_ending

    def _edges(self, macro: int) -> list[Edge]:
        node = self.nodes[self.node_of[macro]]
        flags, ruptures = self.flags[macro], self.ruptures[macro]
        found: list[Edge] = []
        for i, option in enumerate(node.options):
            if not static_holds(option.when, flags, ruptures):
                continue
            effects = option.effects
            after = (flags | frozenset(effects.set_flags)) - frozenset(effects.clear_flags)
            status = dict(ruptures)
            if effects.open_rupture is not None:
                status[effects.open_rupture] = OPEN
            repair = effects.repair_rupture
            if repair is not None and status.get(repair) == OPEN:
                status[repair] = REPAIRED
            child = self._macro(self.node_index[option.next], after, tuple(sorted(status.items())))
            found.append(Edge(i, self.trust_mask(option.when), effects.trust, child))
        return found

    def _explore(self) -> None:
        """Grow every macro state's trust mask to a fixed point, earliest nodes first, each
        new trust value passed on once."""
        passed: list[int] = [0]
        queue = [(self.position[self.node_of[self.start]], self.start)]
        queued = {self.start}
        while queue:
            _, macro = heapq.heappop(queue)
            queued.discard(macro)
            new = self.mask[macro] & ~passed[macro]
            passed[macro] |= new
            if self.is_ending(macro):
                continue
            edges = self.edges[macro]
            if edges is None:
                edges = self.edges[macro] = self._edges(macro)
                passed.extend([0] * (len(self.mask) - len(passed)))
            for edge in edges:
                moved = shift(new & edge.allowed, edge.delta) & ~self.mask[edge.child]
                if moved:
                    self.mask[edge.child] |= moved
                    if edge.child not in queued:
                        queued.add(edge.child)
                        place = self.position[self.node_of[edge.child]]
                        heapq.heappush(queue, (place, edge.child))

    def out(self, macro: int) -> Sequence[Edge]:
        """The options from a macro state (none from an ending or a state never expanded)."""
        return self.edges[macro] or ()

    def endings(self, macro: int) -> list[tuple[str, int]]:
        """At an ending node: (ending id, trust values that end there) for each ending."""
        node = self.nodes[self.node_of[macro]]
        remaining = self.mask[macro]
        found: list[tuple[str, int]] = []
        choices = node.ending_choices()
        for choice in choices[:-1]:
            if static_holds(choice.when, self.flags[macro], self.ruptures[macro]):
                chosen = remaining & self.trust_mask(choice.when)
                if chosen:
                    found.append((choice.ending, chosen))
                    remaining &= ~chosen
        if remaining:  # the last choice is the fallback, whether or not its condition holds
            found.append((choices[-1].ending, remaining))
        return found

    def useful(self) -> list[int]:
        """For each macro state, the trust values from which an ending can be reached."""
        count = len(self.mask)
        preds: list[list[int]] = [[] for _ in range(count)]
        for macro in range(count):
            for edge in self.out(macro):
                preds[edge.child].append(macro)
        useful = [self.mask[m] if self.is_ending(m) else 0 for m in range(count)]
        queue = [(-self.position[self.node_of[m]], m) for m in range(count)]
        heapq.heapify(queue)
        queued = set(range(count))
        while queue:
            _, macro = heapq.heappop(queue)
            queued.discard(macro)
            if self.is_ending(macro):
                continue
            reach = 0
            for edge in self.out(macro):
                reach |= edge.allowed & preimage(useful[edge.child], edge.delta)
            reach &= self.mask[macro]
            if reach & ~useful[macro]:
                useful[macro] |= reach
                for parent in preds[macro]:
                    if parent not in queued:
                        queued.add(parent)
                        heapq.heappush(queue, (-self.position[self.node_of[parent]], parent))
        return useful
