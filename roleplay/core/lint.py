"""Checks on a schema-valid scenario: references, the shape of the graph, and conditions.

Errors make a scenario unplayable (a ``next`` that goes nowhere, a beat with no way on);
warnings point at things an author almost certainly did not mean (an option whose condition
can never hold). Every finding names the line of the value at fault. The content rules
(calibration, option length, traces, examples, speakers) are in ``lint_content``.
"""

from __future__ import annotations

from roleplay.core.diagnostics import Diagnostic
from roleplay.core.lint_content import content_findings
from roleplay.core.lint_text import lint_text
from roleplay.core.lintbase import (
    Reporter,
    condition_sites,
    flags_set,
    suggest,
    trust_ranges,
)
from roleplay.core.models import Condition, Option, Scenario
from roleplay.core.yamlsource import PathKey, SourceMap

__all__ = ["lint", "trust_ranges"]


class _Linter(Reporter):
    def __init__(self, scenario: Scenario, source: SourceMap) -> None:
        super().__init__(scenario, source)
        self.node_ids = {node.id for node in scenario.nodes}
        self.ending_ids = {ending.id for ending in scenario.endings}
        self.rupture_ids = {rupture.id for rupture in scenario.ruptures}
        self.band_ids = {band.id for band in scenario.trust.bands}

    # -- the checks ----------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        self.duplicates()
        self.references()
        # With a broken reference the graph is not the author's real one: shape checks and
        # trust ranges would only produce noise until it is fixed.
        if not any(d.code in {"unknown-start", "unknown-target"} for d in self.found):
            self.graph()
            self.conditions()
        self.ruptures()
        self.skills()
        content_findings(self)
        return sorted(self.found)

    def duplicates(self) -> None:
        for kind, items in (
            ("nodes", [n.id for n in self.scenario.nodes]),
            ("endings", [e.id for e in self.scenario.endings]),
            ("ruptures", [r.id for r in self.scenario.ruptures]),
        ):
            seen: set[str] = set()
            for index, item_id in enumerate(items):
                if item_id in seen:
                    self.error(
                        (kind, index, "id"),
                        f"duplicate id '{item_id}' in {kind}; ids must be unique",
                        "duplicate-id",
                    )
                seen.add(item_id)
        clash = self.node_ids & self.ending_ids
        for index, node in enumerate(self.scenario.nodes):
            if node.id in clash:
                self.warn(
                    ("nodes", index, "id"),
                    f"'{node.id}' names both a node and an ending; consider distinct ids",
                    "ambiguous-id",
                )
            option_ids: set[str] = set()
            for o_index in range(len(node.options)):
                option_id = node.option_id(o_index)
                if option_id in option_ids:
                    self.error(
                        ("nodes", index, "options", o_index, "id"),
                        f"duplicate option id '{option_id}' in node '{node.id}'",
                        "duplicate-id",
                    )
                option_ids.add(option_id)

    def references(self) -> None:
        if self.scenario.start not in self.node_ids:
            self.error(
                ("start",),
                f"start node '{self.scenario.start}' does not exist"
                f"{suggest(self.scenario.start, self.node_ids)}",
                "unknown-start",
            )
        for n_index, node in enumerate(self.scenario.nodes):
            base: PathKey = ("nodes", n_index)
            for o_index, option in enumerate(node.options):
                o_path = (*base, "options", o_index)
                if option.next not in self.node_ids:
                    # An ending named here is the likelier mistake than a misspelt node, even
                    # when some node id happens to look similar.
                    hint = (
                        "; it is an ending id: point 'next' at a node whose 'ending' names it"
                        if option.next in self.ending_ids
                        else suggest(option.next, self.node_ids)
                    )
                    self.error(
                        (*o_path, "next"),
                        f"'next' names node '{option.next}', which does not exist{hint}",
                        "unknown-target",
                    )
                effects = option.effects
                for key in ("open_rupture", "repair_rupture"):
                    name = getattr(effects, key)
                    if name is not None and name not in self.rupture_ids:
                        self.error(
                            (*o_path, "effects", key),
                            f"rupture '{name}' is not declared under 'ruptures'"
                            f"{suggest(name, self.rupture_ids)}",
                            "unknown-rupture",
                        )
            for e_index, choice in enumerate(node.ending_choices()):
                path: PathKey = (
                    (*base, "ending")
                    if isinstance(node.ending, str)
                    else (*base, "ending", e_index, "ending")
                )
                if choice.ending not in self.ending_ids:
                    self.error(
                        path,
                        f"ending '{choice.ending}' is not declared under 'endings'"
                        f"{suggest(choice.ending, self.ending_ids)}",
                        "unknown-ending",
                    )
            if isinstance(node.ending, list) and node.ending and node.ending[-1].when is not None:
                self.warn(
                    (*base, "ending"),
                    "every ending choice has a condition; if none holds the last one "
                    "is used: make the last one unconditional to say so",
                    "ending-no-default",
                )
            if not node.options and not node.is_ending:
                self.error(
                    (*base, "id"),
                    f"node '{node.id}' is a dead end: it has neither 'options' nor 'ending'",
                    "dead-end",
                )
        for site in condition_sites(self.scenario):
            path, condition = site.path, site.condition
            for band in condition.bands:
                if band not in self.band_ids:
                    self.error(
                        (*path, "band"),
                        f"trust band '{band}' is not one of the bands under 'trust'"
                        f"{suggest(band, self.band_ids)}",
                        "unknown-band",
                    )
            for name in (
                *condition.rupture_open,
                *condition.rupture_repaired,
                *condition.rupture_not_open,
            ):
                if name not in self.rupture_ids:
                    self.error(
                        path,
                        f"rupture '{name}' is not declared under 'ruptures'"
                        f"{suggest(name, self.rupture_ids)}",
                        "unknown-rupture",
                    )
        used_endings = {
            choice.ending for node in self.scenario.nodes for choice in node.ending_choices()
        }
        for index, ending in enumerate(self.scenario.endings):
            if ending.id not in used_endings:
                self.warn(
                    ("endings", index, "id"),
                    f"ending '{ending.id}' is never used by any node",
                    "unused-ending",
                )

    def graph(self) -> None:
        nodes = self.scenario.nodes
        index_of = {node.id: index for index, node in enumerate(nodes)}
        successors: dict[str, set[str]] = {
            node.id: {o.next for o in node.options} for node in nodes
        }
        reachable = _reach(self.scenario.start, successors)
        for index, node in enumerate(nodes):
            if node.id not in reachable:
                self.error(
                    ("nodes", index, "id"),
                    f"node '{node.id}' cannot be reached from the start node",
                    "unreachable",
                )
        predecessors: dict[str, set[str]] = {node.id: set() for node in nodes}
        for source_id, targets in successors.items():
            for target in targets:
                predecessors[target].add(source_id)
        closing = {node.id for node in nodes if node.is_ending}
        can_finish: set[str] = set()
        stack = list(closing)
        while stack:
            node_id = stack.pop()
            if node_id in can_finish:
                continue
            can_finish.add(node_id)
            stack.extend(predecessors[node_id])
        if not (closing & reachable):
            self.error(
                ("start",),
                "no ending can be reached from the start node",
                "no-ending",
            )
            return
        for node_id in sorted(reachable - can_finish, key=index_of.__getitem__):
            node = nodes[index_of[node_id]]
            if not node.options:
                continue  # reported as a dead end already
            self.error(
                ("nodes", index_of[node_id], "id"),
                f"node '{node_id}' is in a loop with no way out: no ending can be reached from it",
                "trapped-cycle",
            )

    def ruptures(self) -> None:
        opened = {o.effects.open_rupture for n in self.scenario.nodes for o in n.options} - {None}
        for n_index, node in enumerate(self.scenario.nodes):
            for o_index, option in enumerate(node.options):
                name = option.effects.repair_rupture
                if name in self.rupture_ids and name not in opened:
                    self.error(
                        ("nodes", n_index, "options", o_index, "effects", "repair_rupture"),
                        f"this repairs rupture '{name}', but no option ever opens it",
                        "repair-never-opened",
                    )
        for index, rupture in enumerate(self.scenario.ruptures):
            if rupture.id not in opened:
                self.warn(
                    ("ruptures", index, "id"),
                    f"rupture '{rupture.id}' is declared but no option opens it",
                    "unused-rupture",
                )

    def conditions(self) -> None:
        set_anywhere = flags_set(self.scenario)
        opened = {o.effects.open_rupture for n in self.scenario.nodes for o in n.options}
        repaired = {o.effects.repair_rupture for n in self.scenario.nodes for o in n.options}
        ranges = trust_ranges(self.scenario)
        for n_index, node in enumerate(self.scenario.nodes):
            possible = 0
            unconditional = 0
            for o_index, option in enumerate(node.options):
                if option.when is None:
                    unconditional += 1
                    possible += 1
                    continue
                reason = self.impossible(
                    option.when, set_anywhere, opened, repaired, ranges.get(node.id)
                )
                if reason:
                    self.warn(
                        ("nodes", n_index, "options", o_index, "when"),
                        f"this option can never be offered: {reason}",
                        "impossible-condition",
                    )
                else:
                    possible += 1
            if _covers_all(node.options):
                possible -= 1  # a flag / not-flag pair: those two are never on offer together
            if node.options and possible < 2:
                self.warn(
                    ("nodes", n_index, "options"),
                    f"at most {possible} option(s) can be available at '{node.id}'; a decision "
                    "needs at least two real choices",
                    "few-options",
                )
            elif node.options and unconditional == 0 and not _covers_all(node.options):
                self.warn(
                    ("nodes", n_index, "options"),
                    f"every option at '{node.id}' has a condition; if none holds the learner "
                    "is stuck: give at least one option no 'when'",
                    "maybe-no-options",
                )

        # Offer conditions were judged above, with the count of options they leave.
        for site in condition_sites(self.scenario):
            if site.offers_option:
                continue
            reason = self.impossible(
                site.condition, set_anywhere, opened, repaired, ranges.get(site.at_node)
            )
            if reason:
                self.warn(
                    site.path, f"this condition can never hold: {reason}", "impossible-condition"
                )

    def impossible(
        self,
        condition: Condition,
        set_anywhere: set[str],
        opened: set[str | None],
        repaired: set[str | None],
        reachable: tuple[int, int] | None,
    ) -> str | None:
        """Why a condition can never hold, or None if it might."""
        both = set(condition.flags) & set(condition.not_flags)
        if both:
            return f"flag '{sorted(both)[0]}' is required both set and not set"
        never_set = [flag for flag in condition.flags if flag not in set_anywhere]
        if never_set:
            return f"flag '{never_set[0]}' is never set by any option"
        for name in (*condition.rupture_open, *condition.rupture_repaired):
            if name not in opened:
                return f"rupture '{name}' is never opened"
        for name in condition.rupture_repaired:
            if name not in repaired:
                return f"rupture '{name}' is never repaired by any option"
        if condition.no_open_ruptures and condition.rupture_open:
            return "it asks for an open rupture and for no open ruptures"
        both_ways = set(condition.rupture_open) & set(condition.rupture_not_open)
        if both_ways:
            return f"rupture '{sorted(both_ways)[0]}' is required both open and not open"
        low, high = self.trust_window(condition)
        if low > high:
            return "its trust limits leave no possible value"
        if reachable is not None and (high < reachable[0] or low > reachable[1]):
            return (
                f"trust here is always between {reachable[0]} and {reachable[1]}, "
                f"outside {low}-{high}"
            )
        return None

    def trust_window(self, condition: Condition) -> tuple[int, int]:
        """The trust values a condition allows (bands joined into one span, then min/max)."""
        low, high = 0, 100
        if condition.bands:
            spans = [
                span
                for band in condition.bands
                if (span := self.scenario.trust.band_range(band)) is not None
            ]
            if spans:
                low = min(span[0] for span in spans)
                high = max(span[1] for span in spans)
        if condition.min_trust is not None:
            low = max(low, condition.min_trust)
        if condition.max_trust is not None:
            high = min(high, condition.max_trust)
        return low, high

    def skills(self) -> None:
        tagged = {
            skill
            for node in self.scenario.nodes
            for option in node.options
            for skill in option.feedback.skills
        }
        for index, skill in enumerate(self.scenario.skills):
            if skill not in tagged:
                self.warn(
                    ("skills", index),
                    f"skill '{skill}' is listed as practised but no feedback is tagged with it",
                    "unused-skill",
                )


def _covers_all(options: list[Option]) -> bool:
    """Whether options' conditions obviously cover every state: one requires a flag and
    another requires it unset (the common 'if you asked earlier / if not' pair)."""
    required = {f for o in options if o.when is not None for f in o.when.flags}
    excluded = {f for o in options if o.when is not None for f in o.when.not_flags}
    return bool(required & excluded)


def _reach(start: str, successors: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in successors:
            continue
        seen.add(node_id)
        stack.extend(successors[node_id])
    return seen


def lint(scenario: Scenario, source: SourceMap) -> list[Diagnostic]:
    """Every finding about a schema-valid scenario, sorted by position."""
    return sorted(_Linter(scenario, source).run() + lint_text(scenario, source))
