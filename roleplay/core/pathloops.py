"""Loops in play, found with every trust value of a node at once.

Path analysis groups the states of a node that share flags and ruptures into one macro
state whose trust values are the bits of an integer (``pathstates``). A loop of macro
states is not always a loop of play: trust moves on the way round, and an option may only
be on offer at some trust values, so play may go round a few times and then have to leave.
Play can loop for ever only if some single state (node, trust, ...) can come back to
itself.

That is decided here without taking the trust values apart, so a component of thousands
of nodes with a way back at each (hundreds of thousands of single states) costs a few
passes over its macro states:

- *Trim*: a single state that cannot reach an ending, or whose every option leaves the
  component or leads to a trimmed state, is on no loop. Trimming them all (a worklist over
  macro states, each trust value dropped once) leaves nothing exactly when the component
  has no loop; what is left has a way on from every state, so it loops.
- *A state on a loop*: follow the first way on from a state that is left until a state
  comes round again: it is on a loop.
- *The shortest loop through it*: breadth first from that state, trust values in bulk,
  and back along the levels to name the nodes on the way.
"""

from __future__ import annotations

from collections.abc import Sequence

from roleplay.core.pathstates import TRUST_MAX, Edge, preimage, shift

State = tuple[int, int]
"""A single state: (macro state, trust)."""


def _low(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def find_loop(
    members: Sequence[int], succ: Sequence[Sequence[Edge]], useful: Sequence[int]
) -> list[State] | None:
    """A shortest loop of single states inside one component of macro states (``members``,
    with the options ``succ`` that can still reach an ending from ``useful`` trust values),
    from a state on it and in order; None if its single states have no loop."""
    inside = set(members)
    edges = {m: [e for e in succ[m] if e.child in inside] for m in members}
    preds: dict[int, list[int]] = {m: [] for m in members}
    for macro in members:
        for edge in edges[macro]:
            preds[edge.child].append(macro)
    alive = {m: useful[m] for m in members}
    work = list(members)
    queued = set(members)
    while work:
        macro = work.pop()
        queued.discard(macro)
        keep = 0
        for edge in edges[macro]:
            keep |= edge.allowed & preimage(alive[edge.child], edge.delta)
        keep &= alive[macro]
        if keep != alive[macro]:
            alive[macro] = keep
            for parent in preds[macro]:
                if parent not in queued:
                    queued.add(parent)
                    work.append(parent)
    first = next((m for m in members if alive[m]), None)
    if first is None:
        return None
    state = (first, _low(alive[first]))
    walked: set[State] = set()
    while state not in walked:  # every state left has a way on to another one left
        walked.add(state)
        macro, trust = state
        for edge in edges[macro]:
            after = max(0, min(TRUST_MAX, trust + edge.delta))
            if edge.allowed >> trust & 1 and alive[edge.child] >> after & 1:
                state = (edge.child, after)
                break
    return _shortest_loop(state, edges, preds, alive)


def _shortest_loop(
    root: State,
    edges: dict[int, list[Edge]],
    preds: dict[int, list[int]],
    alive: dict[int, int],
) -> list[State]:
    """The fewest single states from ``root`` back to itself (``root`` is on a loop)."""
    home, home_trust = root
    levels: list[dict[int, int]] = [{home: 1 << home_trust}]
    seen = dict(levels[0])
    while True:
        after: dict[int, int] = {}
        for macro, trusts in levels[-1].items():
            for edge in edges[macro]:
                moved = shift(trusts & edge.allowed, edge.delta) & alive[edge.child]
                if edge.child == home and moved >> home_trust & 1:
                    back = trusts & edge.allowed & preimage(1 << home_trust, edge.delta)
                    return _back_along(levels, (macro, _low(back)), edges, preds)
                moved &= ~seen.get(edge.child, 0)
                if moved:
                    after[edge.child] = after.get(edge.child, 0) | moved
        for macro, trusts in after.items():
            seen[macro] = seen.get(macro, 0) | trusts
        levels.append(after)


def _back_along(
    levels: list[dict[int, int]],
    last: State,
    edges: dict[int, list[Edge]],
    preds: dict[int, list[int]],
) -> list[State]:
    """The states from the first level to ``last`` (in the last level), each reached from
    the one before it."""
    path = [last]
    for level in reversed(levels[:-1]):
        macro, trust = path[-1]
        path.append(_before(level, macro, trust, edges, preds))
    return path[::-1]


def _before(
    level: dict[int, int],
    macro: int,
    trust: int,
    edges: dict[int, list[Edge]],
    preds: dict[int, list[int]],
) -> State:
    for parent in preds[macro]:
        trusts = level.get(parent, 0)
        if not trusts:
            continue
        for edge in edges[parent]:
            if edge.child == macro:
                found = trusts & edge.allowed & preimage(1 << trust, edge.delta)
                if found:
                    return (parent, _low(found))
    raise AssertionError("a state in a breadth-first level has a way in from the one before")
