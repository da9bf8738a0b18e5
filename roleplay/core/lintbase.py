"""What the lint modules share: reporting at a line, one walk over every condition, the
trust range each node can be entered with, and id suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from roleplay.core.diagnostics import Diagnostic, error, warning
from roleplay.core.models import Condition, Line, Node, Scenario
from roleplay.core.yamlsource import PathKey, SourceMap


class Reporter:
    """Collects findings about one scenario, each placed at the line of the value at fault."""

    def __init__(self, scenario: Scenario, source: SourceMap) -> None:
        self.scenario = scenario
        self.source = source
        self.found: list[Diagnostic] = []

    def error(self, path: PathKey, message: str, code: str) -> None:
        """Record an error at the value at ``path``."""
        line, column = self.source.locate(path)
        self.found.append(error(self.source.file, line, column, message, code))

    def warn(self, path: PathKey, message: str, code: str) -> None:
        """Record a warning at the value at ``path``."""
        line, column = self.source.locate(path)
        self.found.append(warning(self.source.file, line, column, message, code))


@dataclass(frozen=True)
class ConditionSite:
    """One condition in a scenario, where it is and what it governs."""

    path: PathKey
    """Where the condition is written (its ``when``)."""
    condition: Condition
    at_node: str
    """The node whose trust range applies (for a reaction: the node chosen next, since a
    reaction is shown after the choice's effects)."""
    offers_option: bool
    """Whether this is an option's ``when`` (it decides what is on offer) rather than a
    condition on what is shown (a line, a variant, an ending choice)."""


def condition_sites(scenario: Scenario) -> Iterator[ConditionSite]:
    """Every condition in the scenario, in file order."""
    for n_index, node in enumerate(scenario.nodes):
        base: PathKey = ("nodes", n_index)
        for l_index, line in enumerate(node.lines):
            for path, condition in _line_conditions(line, (*base, "lines", l_index)):
                yield ConditionSite(path, condition, node.id, offers_option=False)
        for o_index, option in enumerate(node.options):
            o_path: PathKey = (*base, "options", o_index)
            if option.when is not None:
                yield ConditionSite((*o_path, "when"), option.when, node.id, offers_option=True)
            for l_index, line in enumerate(option.reaction):
                for path, condition in _line_conditions(line, (*o_path, "reaction", l_index)):
                    yield ConditionSite(path, condition, option.next, offers_option=False)
        if isinstance(node.ending, list):
            for e_index, choice in enumerate(node.ending):
                if choice.when is not None:
                    path = (*base, "ending", e_index, "when")
                    yield ConditionSite(path, choice.when, node.id, offers_option=False)


def _line_conditions(line: Line, path: PathKey) -> Iterator[tuple[PathKey, Condition]]:
    if line.when is not None:
        yield (*path, "when"), line.when
    for v_index, variant in enumerate(line.variants):
        if variant.when is not None:
            yield (*path, "variants", v_index, "when"), variant.when


def lines_in(scenario: Scenario) -> Iterator[tuple[PathKey, Line]]:
    """Every line (in nodes and in reactions) with its path, in file order."""
    for n_index, node in enumerate(scenario.nodes):
        for l_index, line in enumerate(node.lines):
            yield ("nodes", n_index, "lines", l_index), line
        for o_index, option in enumerate(node.options):
            for l_index, line in enumerate(option.reaction):
                yield ("nodes", n_index, "options", o_index, "reaction", l_index), line


def flags_read(scenario: Scenario) -> set[str]:
    """Flags some condition reads (required set or required unset)."""
    return {
        flag
        for site in condition_sites(scenario)
        for flag in (*site.condition.flags, *site.condition.not_flags)
    }


def flags_set(scenario: Scenario) -> set[str]:
    """Flags some option sets."""
    return {flag for n in scenario.nodes for o in n.options for flag in o.effects.set_flags}


def trust_ranges(scenario: Scenario) -> dict[str, tuple[int, int]]:
    """For each reachable node, the lowest and highest trust it can be entered with.

    Conditions are ignored, so the ranges may be wider than what play can produce (never
    narrower): a condition outside its node's range can truly never hold.
    """
    ranges: dict[str, tuple[int, int]] = {scenario.start: (scenario.trust.start,) * 2}
    by_id: dict[str, Node] = {node.id: node for node in scenario.nodes}
    work = [scenario.start]
    while work:
        node_id = work.pop()
        node = by_id.get(node_id)
        if node is None:
            continue
        low, high = ranges[node_id]
        for option in node.options:
            delta = option.effects.trust
            new_low = _clamp(low + delta)
            new_high = _clamp(high + delta)
            old = ranges.get(option.next)
            merged = (
                (new_low, new_high)
                if old is None
                else (min(old[0], new_low), max(old[1], new_high))
            )
            if merged != old:
                ranges[option.next] = merged
                work.append(option.next)
    return ranges


def _clamp(value: int) -> int:
    return max(0, min(100, value))


def suggest(name: str, known: set[str]) -> str:
    """'; did you mean X?' for the closest known id, or nothing."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def word_count(text: str) -> int:
    """Words as a reader counts them (runs of non-space)."""
    return len(text.split())
