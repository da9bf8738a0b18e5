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

The scenario's models are read once, in file order, into plain lists (``_Move`` per option,
``_Test`` per condition): the exploration then never goes back to them. A model's fields
are scattered over memory, so at thousands of nodes each visit to one was a cache miss,
and the nine passes that went back to them cost more per node the larger the scenario.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from roleplay.core.models import Condition, Node, Scenario, Trust

TRUST_MAX = 100
FULL = (1 << (TRUST_MAX + 1)) - 1
"""Every trust value, 0 to 100."""

OPEN, REPAIRED = "open", "repaired"
_NONE: frozenset[str] = frozenset()
Ruptures = tuple[tuple[str, str], ...]
_Key = tuple[int, frozenset[str], Ruptures] | int


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


class _Test(NamedTuple):
    """The parts of a condition that do not look at trust, as sets and tuples."""

    flags: frozenset[str]
    not_flags: frozenset[str]
    rupture_open: tuple[str, ...]
    rupture_repaired: tuple[str, ...]
    rupture_not_open: tuple[str, ...]
    no_open_ruptures: bool
    reads_ruptures: bool


def compile_test(condition: Condition | None) -> _Test | None:
    """A condition's flag and rupture parts (None: it has none, so they always hold)."""
    if condition is None:
        return None
    opened, repaired = tuple(condition.rupture_open), tuple(condition.rupture_repaired)
    not_open, no_open = tuple(condition.rupture_not_open), condition.no_open_ruptures
    ruptures = bool(opened or repaired or not_open or no_open)
    flags, not_flags = frozenset(condition.flags), frozenset(condition.not_flags)
    if not (flags or not_flags or ruptures):
        return None
    return _Test(flags, not_flags, opened, repaired, not_open, no_open, ruptures)


def holds(test: _Test | None, flags: frozenset[str], ruptures: Ruptures) -> bool:
    """Whether a compiled condition's flag and rupture parts hold (the parts of
    ``engine.holds`` that do not look at trust)."""
    if test is None:
        return True
    if not test.flags <= flags or not test.not_flags.isdisjoint(flags):
        return False
    if not test.reads_ruptures:
        return True
    status = dict(ruptures)
    if any(status.get(r) != OPEN for r in test.rupture_open):
        return False
    if any(status.get(r) != REPAIRED for r in test.rupture_repaired):
        return False
    if any(status.get(r) == OPEN for r in test.rupture_not_open):
        return False
    return not (test.no_open_ruptures and OPEN in status.values())


class _Trusts:
    """The trust values at which a condition's trust parts (band, min, max) hold."""

    def __init__(self, trust: Trust) -> None:
        self.band: dict[str, int] = {}
        for value in range(TRUST_MAX + 1):
            band = trust.band_for(value).id
            self.band[band] = self.band.get(band, 0) | 1 << value

    def mask(self, condition: Condition | None) -> int:
        if condition is None:
            return FULL
        found = FULL
        bands = condition.bands
        if bands:
            found = 0
            for band in bands:
                found |= self.band.get(band, 0)
        if condition.min_trust is not None:
            found &= ~((1 << condition.min_trust) - 1)
        if condition.max_trust is not None:
            found &= (2 << condition.max_trust) - 1
        return found


class _Move(NamedTuple):
    """An option as exploration needs it, read once from the model."""

    option: int
    target: int
    """The index of the node it leads to."""
    test: _Test | None
    allowed: int
    delta: int
    set_flags: frozenset[str]
    clear_flags: frozenset[str]
    open_rupture: str | None
    repair_rupture: str | None


_Effects = tuple[_Test | None, int, int, frozenset[str], frozenset[str], str | None, str | None]
"""A ``_Move`` without its number and target: (test, allowed, delta, set, clear, open, repair)."""


@dataclass(slots=True)
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
        self._read(scenario)
        self._order_nodes()
        self.keys: dict[_Key, int] = {}
        self.node_of: list[int] = []
        self.flags: list[frozenset[str]] = []
        self.ruptures: list[Ruptures] = []
        self.mask: list[int] = []
        self.edges: list[list[Edge] | None] = []
        self.ends: list[bool] = []
        """For each macro state, whether it is at an ending node."""
        self.start = self._macro(self.node_index[scenario.start], frozenset(), ())
        self.start_trust = scenario.trust.start
        self.mask[self.start] = 1 << self.start_trust
        self._explore()

    # -- the scenario, read once --------------------------------------------------------------
    def _read(self, scenario: Scenario) -> None:
        """Everything exploration needs from the models, in one pass in file order."""
        self._trusts = _Trusts(scenario.trust)
        self.node_ids: list[str] = []
        self.node_ending: list[bool] = []
        self.option_base: list[int] = []
        """For each node, the number of its first option among all options in file order."""
        self.option_pairs: list[tuple[str, str]] = []
        """(node id, option id) of every option, in file order."""
        self._choices: list[list[tuple[str, _Test | None, int]]] = []
        reads: list[list[_Test]] = []
        raw: list[list[tuple[str, _Effects]]] = []
        for node in self.nodes:
            node_id = node.id
            self.node_ids.append(node_id)
            self.node_ending.append(node.is_ending)
            self.option_base.append(len(self.option_pairs))
            tests: list[_Test] = []
            moves: list[tuple[str, _Effects]] = []
            for i, option in enumerate(node.options):
                self.option_pairs.append((node_id, option.id or str(i + 1)))
                when, effects = option.when, option.effects
                test = compile_test(when)
                if test is not None:
                    tests.append(test)
                rest: _Effects = (
                    test,
                    self._trusts.mask(when),
                    effects.trust,
                    frozenset(effects.set_flags) if effects.set_flags else _NONE,
                    frozenset(effects.clear_flags) if effects.clear_flags else _NONE,
                    effects.open_rupture,
                    effects.repair_rupture,
                )
                moves.append((option.next, rest))
            choices = []
            for choice in node.ending_choices():
                test = compile_test(choice.when)
                if test is not None:
                    tests.append(test)
                choices.append((choice.ending, test, self._trusts.mask(choice.when)))
            self._choices.append(choices)
            reads.append(tests)
            raw.append(moves)
        self.node_index = {node_id: i for i, node_id in enumerate(self.node_ids)}
        index = self.node_index
        self.moves: list[list[_Move]] = [
            [_Move(i, index[target], *rest) for i, (target, rest) in enumerate(moves)]
            for moves in raw
        ]
        self._reads = reads

    # -- the node graph: an order, and which flags and ruptures can still be read ----------
    def _order_nodes(self) -> None:
        nexts = [[move.target for move in moves] for moves in self.moves]
        components = sccs(len(self.nodes), nexts.__getitem__)
        self.node_loops = any(len(c) > 1 or c[0] in nexts[c[0]] for c in components)
        """Whether play can come back to some node (then states may loop too)."""
        self.position = [0] * len(self.nodes)
        for place, component in enumerate(reversed(components)):
            for member in component:
                self.position[member] = place
        self.flag_until: dict[str, int] = {}
        self.rupture_until: dict[str, int] = {}
        every_rupture_until = -1
        for i, tests in enumerate(self._reads):
            place = self.position[i]
            for c in tests:
                for flag in (*c.flags, *c.not_flags):
                    self.flag_until[flag] = max(self.flag_until.get(flag, -1), place)
                for r in (*c.rupture_open, *c.rupture_repaired, *c.rupture_not_open):
                    self.rupture_until[r] = max(self.rupture_until.get(r, -1), place)
                if c.no_open_ruptures:
                    every_rupture_until = max(every_rupture_until, place)
        self.every_rupture_until = every_rupture_until

    def _macro(self, node: int, flags: frozenset[str], ruptures: Ruptures) -> int:
        place = self.position[node]
        if flags:
            flags = frozenset(f for f in flags if self.flag_until.get(f, -1) >= place)
        if ruptures:
            ruptures = tuple(
                (name, status)
                for name, status in ruptures
                if max(self.rupture_until.get(name, -1), self.every_rupture_until) >= place
            )
        # A state with no flags or ruptures (most, often all) is keyed by its node alone.
        key: _Key = (node, flags, ruptures) if flags or ruptures else node
        found = self.keys.get(key)
        if found is None:
            found = self.keys[key] = len(self.node_of)
            self.node_of.append(node)
            self.flags.append(flags)
            self.ruptures.append(ruptures)
            self.mask.append(0)
            self.edges.append(None)
            self.ends.append(self.node_ending[node])
        return found

    def trust_mask(self, condition: Condition | None) -> int:
        """The trust values at which a condition's trust parts (band, min, max) hold."""
        return self._trusts.mask(condition)

    def is_ending(self, macro: int) -> bool:
        """Whether a macro state is at an ending node."""
        return self.ends[macro]

    def _edges(self, macro: int) -> list[Edge]:
        flags, ruptures = self.flags[macro], self.ruptures[macro]
        found: list[Edge] = []
        for move in self.moves[self.node_of[macro]]:
            if move.test is not None and not holds(move.test, flags, ruptures):
                continue
            after = flags
            if move.set_flags or move.clear_flags:
                after = (flags | move.set_flags) - move.clear_flags
            status = ruptures  # kept sorted by name
            if move.open_rupture is not None or move.repair_rupture is not None:
                changed = dict(ruptures)
                if move.open_rupture is not None:
                    changed[move.open_rupture] = OPEN
                repair = move.repair_rupture
                if repair is not None and changed.get(repair) == OPEN:
                    changed[repair] = REPAIRED
                status = tuple(sorted(changed.items()))
            child = self._macro(move.target, after, status)
            found.append(Edge(move.option, move.allowed, move.delta, child))
        return found

    def _explore(self) -> None:
        """Grow every macro state's trust mask to a fixed point, earliest nodes first, each
        new trust value passed on once."""
        passed: list[int] = [0]
        queue = [(self.position[self.node_of[self.start]], self.start)]
        queued = {self.start}
        mask, ends, edges_of = self.mask, self.ends, self.edges
        while queue:
            _, macro = heapq.heappop(queue)
            queued.discard(macro)
            new = mask[macro] & ~passed[macro]
            passed[macro] |= new
            if ends[macro]:
                continue
            edges = edges_of[macro]
            if edges is None:
                edges = edges_of[macro] = self._edges(macro)
                passed.extend([0] * (len(mask) - len(passed)))
            for edge in edges:
                moved = shift(new & edge.allowed, edge.delta) & ~mask[edge.child]
                if moved:
                    mask[edge.child] |= moved
                    if edge.child not in queued:
                        queued.add(edge.child)
                        place = self.position[self.node_of[edge.child]]
                        heapq.heappush(queue, (place, edge.child))

    def out(self, macro: int) -> Sequence[Edge]:
        """The options from a macro state (none from an ending or a state never expanded)."""
        return self.edges[macro] or ()

    def endings(self, macro: int) -> list[tuple[str, int]]:
        """At an ending node: (ending id, trust values that end there) for each ending."""
        remaining = self.mask[macro]
        found: list[tuple[str, int]] = []
        choices = self._choices[self.node_of[macro]]
        for ending, test, allowed in choices[:-1]:
            if holds(test, self.flags[macro], self.ruptures[macro]):
                chosen = remaining & allowed
                if chosen:
                    found.append((ending, chosen))
                    remaining &= ~chosen
        if remaining:  # the last choice is the fallback, whether or not its condition holds
            found.append((choices[-1][0], remaining))
        return found

    def useful(self) -> list[int]:
        """For each macro state, the trust values from which an ending can be reached.

        A worklist from the last nodes back to the first: an option only leads to a node at
        the same place in the node graph's order or later, so a state is looked at again
        only within its own loop (with no loops, once each), and one list per place does
        what a heap of every state did (a heap's pops cost more the more states there are)."""
        count = len(self.mask)
        ends, mask, edges_of = self.ends, self.mask, self.edges
        place_of = [self.position[node] for node in self.node_of]
        loops = self.node_loops  # else a state's parents are all still waiting when it changes
        preds: list[list[int]] = [[] for _ in range(count)] if loops else []
        waiting: list[list[int]] = [[] for _ in range(max(self.position, default=0) + 1)]
        for macro in range(count - 1, -1, -1):  # each place's list pops its first state first
            waiting[place_of[macro]].append(macro)
            if loops:
                for edge in edges_of[macro] or ():
                    preds[edge.child].append(macro)
        useful = [mask[m] if ends[m] else 0 for m in range(count)]
        queued = [True] * count
        for place in range(len(waiting) - 1, -1, -1):
            work = waiting[place]
            while work:
                macro = work.pop()
                queued[macro] = False
                if ends[macro]:
                    continue
                reach = 0
                for edge in edges_of[macro] or ():
                    reach |= edge.allowed & preimage(useful[edge.child], edge.delta)
                reach &= mask[macro]
                if reach & ~useful[macro]:
                    useful[macro] |= reach
                    for parent in preds[macro] if loops else ():
                        if not queued[parent]:
                            queued[parent] = True
                            waiting[place_of[parent]].append(parent)
        return useful
