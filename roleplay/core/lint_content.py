"""Content rules: warnings that keep a scenario's teaching honest (docs/content-guide.md).

A rating must mean the same thing everywhere (move calibration, ranges, signs); the best
reply must not give itself away by length; a harmful choice leaves a trace the learner can
meet again; a repair is offered only when there is something to repair; flags and speakers
are used as declared; every option carries examples of how a learner might say it; and a
review is recorded against the version reviewed. All are warnings (``--strict`` counts
them), each with its own code.
"""

from __future__ import annotations

from itertools import combinations

from roleplay.core.lintbase import (
    Reporter,
    condition_sites,
    flags_read,
    flags_set,
    lines_in,
    word_count,
)
from roleplay.core.models import Condition, Node, Option, Rating, Scenario
from roleplay.core.moves import RATING_RANGES, moves, signed
from roleplay.core.yamlsource import PathKey

CODES = frozenset(
    {
        "move-calibration",
        "rating-range",
        "rating-sign",
        "longest-is-best",
        "harmful-no-trace",
        "unguarded-repair",
        "too-many-options",
        "too-long",
        "unknown-flag",
        "unread-flag",
        "undeclared-speaker",
        "few-examples",
        "reviewers-deprecated",
        "review-outdated",
    }
)
"""Every code this module reports."""

MAX_OPTIONS_ON_OFFER = 4
MAX_WORDS = 60
MIN_EXAMPLES = 3


def content_findings(report: Reporter) -> None:
    """Add every content warning about ``report.scenario`` to ``report``."""
    scenario = report.scenario
    _calibration(report)
    _longest_option(report)
    _harmful_traces(report)
    _unguarded_repairs(report)
    _options_on_offer(report)
    _word_counts(report)
    _flags(report)
    _speakers(report)
    _examples(report)
    _reviews(report, scenario)


def _options(scenario: Scenario) -> list[tuple[PathKey, Node, Option]]:
    return [
        (("nodes", n_index, "options", o_index), node, option)
        for n_index, node in enumerate(scenario.nodes)
        for o_index, option in enumerate(node.options)
    ]


# -- ratings and trust ------------------------------------------------------------------------
def _calibration(report: Reporter) -> None:
    vocabulary = moves()
    for path, _, option in _options(report.scenario):
        if option.calibration_note:
            continue
        rating = option.feedback.rating.value
        trust = option.effects.trust
        move = vocabulary.get(option.move) if option.move else None
        if move is not None:
            if move.default.fits(rating, trust):
                continue
            exception = ""
            if move.exception is not None:
                exception = (
                    f" (the exception, {move.exception.describe()}, applies when "
                    f"{move.exception.when})"
                )
            report.warn(
                (*path, "move"),
                f"move '{move.id}' is {move.default.describe()} by default{exception}; this "
                f"option is {rating}, trust {trust:+d}: add 'calibration_note' saying why, or "
                "change the rating or the trust change",
                "move-calibration",
            )
            continue
        low, high = RATING_RANGES[rating]
        if _other_sign(option):
            report.warn(
                (*path, "effects", "trust"),
                f"a {rating} option {'raises' if trust > 0 else 'lowers'} trust ({trust:+d}); "
                "make the rating and the trust change agree, or add 'calibration_note' "
                "saying why",
                "rating-sign",
            )
        elif not low <= trust <= high:
            report.warn(
                (*path, "effects", "trust"),
                f"trust {trust:+d} is outside {signed(low)}..{signed(high)}, the range for a "
                f"{rating} option: change it, or add 'calibration_note' saying why",
                "rating-range",
            )


def _other_sign(option: Option) -> bool:
    rating, trust = option.feedback.rating, option.effects.trust
    if rating in (Rating.HARMFUL, Rating.MISSED_OPPORTUNITY):
        return trust > 0
    return rating is Rating.BUILDS_TRUST and trust < 0


# -- the best reply must not give itself away -------------------------------------------------
def _longest_option(report: Reporter) -> None:
    decisions = [
        (index, node) for index, node in enumerate(report.scenario.nodes) if len(node.options) > 1
    ]
    if len(decisions) < 2:
        return  # with one decision point 'more than half' says nothing about a habit
    best_longest: list[str] = []
    for _, node in decisions:
        lengths = sorted(
            ((word_count(o.text), o.feedback.rating) for o in node.options),
            key=lambda pair: pair[0],
            reverse=True,
        )
        if lengths[0][0] == lengths[1][0]:
            continue  # a tie: no single option stands out
        if lengths[0][1] is Rating.BUILDS_TRUST:
            best_longest.append(node.id)
    if 2 * len(best_longest) > len(decisions):
        report.warn(
            ("nodes",),
            f"a builds-trust option is the longest at {len(best_longest)} of {len(decisions)} "
            f"decision points ({', '.join(best_longest)}); a room learns to pick the long one: "
            "shorten strong options to 1-3 sentences, at no more than half of the decision "
            "points",
            "longest-is-best",
        )


# -- harm leaves a trace; repair needs something to repair ------------------------------------
def _harmful_traces(report: Reporter) -> None:
    read = flags_read(report.scenario)
    for path, _, option in _options(report.scenario):
        effects = option.effects
        if option.feedback.rating is not Rating.HARMFUL or effects.open_rupture:
            continue
        if any(flag in read for flag in effects.set_flags):
            continue
        report.warn(
            (*path, "feedback", "rating"),
            "a harmful option leaves no trace the learner can meet again: open a rupture "
            "(with a repair later) or set a flag that a later condition reads",
            "harmful-no-trace",
        )


def _unguarded_repairs(report: Reporter) -> None:
    scenario = report.scenario
    for rupture in {o.effects.repair_rupture for _, _, o in _options(scenario)} - {None}:
        assert rupture is not None
        closed_at = _reachable_with_rupture_closed(scenario, rupture)
        # A flag set only by the choices that open the rupture guards it as well.
        setters: dict[str, set[bool]] = {}
        for _, _, option in _options(scenario):
            for flag in option.effects.set_flags:
                setters.setdefault(flag, set()).add(option.effects.open_rupture == rupture)
        guards = {flag for flag, opens in setters.items() if opens == {True}}
        for path, node, option in _options(scenario):
            if option.effects.repair_rupture != rupture or node.id not in closed_at:
                continue
            when = option.when
            if when is not None and (rupture in when.rupture_open or guards & set(when.flags)):
                continue
            report.warn(
                (*path, "effects", "repair_rupture"),
                f"this repairs '{rupture}', but it is offered even when '{rupture}' is not "
                f"open: add when: {{rupture_open: [{rupture}]}}",
                "unguarded-repair",
            )


def _reachable_with_rupture_closed(scenario: Scenario, rupture: str) -> set[str]:
    """Nodes some path reaches while ``rupture`` is not open (conditions ignored)."""
    by_id = {node.id: node for node in scenario.nodes}
    seen: set[tuple[str, bool]] = set()
    stack = [(scenario.start, False)]
    while stack:
        state = stack.pop()
        node = by_id.get(state[0])
        if state in seen or node is None:
            continue
        seen.add(state)
        for option in node.options:
            is_open = state[1]
            if option.effects.open_rupture == rupture:
                is_open = True
            elif option.effects.repair_rupture == rupture:
                is_open = False
            stack.append((option.next, is_open))
    return {node_id for node_id, is_open in seen if not is_open}


# -- counts and lengths -----------------------------------------------------------------------
def _options_on_offer(report: Reporter) -> None:
    for n_index, node in enumerate(report.scenario.nodes):
        if len(node.options) <= MAX_OPTIONS_ON_OFFER:
            continue
        most = most_on_offer(report.scenario, node.options)
        if most > MAX_OPTIONS_ON_OFFER:
            report.warn(
                ("nodes", n_index, "options"),
                f"{most} options can be on offer at once at '{node.id}'; offer at most "
                f"{MAX_OPTIONS_ON_OFFER} (use conditions so some replace others)",
                "too-many-options",
            )


def most_on_offer(scenario: Scenario, options: list[Option]) -> int:
    """The most options whose conditions can hold together (judged pairwise: two options
    clash when one needs a flag, rupture or trust the other rules out)."""
    count = len(options)
    if count > 12:
        return count  # too many to search; more than 4 anyway
    clash = {
        (a, b)
        for a, b in combinations(range(count), 2)
        if _exclusive(scenario, options[a].when, options[b].when)
    }
    for size in range(count, 0, -1):
        for group in combinations(range(count), size):
            if not any(pair in clash for pair in combinations(group, 2)):
                return size
    return 0


def _exclusive(scenario: Scenario, a: Condition | None, b: Condition | None) -> bool:
    """Whether two conditions can obviously never hold at the same time."""
    if a is None or b is None:
        return False
    for one, other in ((a, b), (b, a)):
        if set(one.flags) & set(other.not_flags):
            return True
        if set(one.rupture_open) & set(other.rupture_not_open):
            return True
        if one.rupture_open and other.no_open_ruptures:
            return True
    low_a, high_a = _window(scenario, a)
    low_b, high_b = _window(scenario, b)
    return high_a < low_b or high_b < low_a


def _window(scenario: Scenario, condition: Condition) -> tuple[int, int]:
    low, high = 0, 100
    spans = [s for band in condition.bands if (s := scenario.trust.band_range(band)) is not None]
    if spans:
        low, high = min(s[0] for s in spans), max(s[1] for s in spans)
    if condition.min_trust is not None:
        low = max(low, condition.min_trust)
    if condition.max_trust is not None:
        high = min(high, condition.max_trust)
    return low, high


def _word_counts(report: Reporter) -> None:
    def check(path: PathKey, text: str | None, what: str) -> None:
        if text is not None and (words := word_count(text)) > MAX_WORDS:
            report.warn(
                path,
                f"{what} has {words} words; keep it to {MAX_WORDS} or fewer (people speak in "
                "turns, and a long reply reads as a script)",
                "too-long",
            )

    for path, line in lines_in(report.scenario):
        check((*path, "say"), line.say, "this line")
        for v_index, variant in enumerate(line.variants):
            check((*path, "variants", v_index, "say"), variant.say, "this line")
    for path, _, option in _options(report.scenario):
        check((*path, "text"), option.text, "this option")


# -- flags and speakers -----------------------------------------------------------------------
def _flags(report: Reporter) -> None:
    scenario = report.scenario
    set_anywhere = flags_set(scenario)
    for site in condition_sites(scenario):
        for index, flag in enumerate(site.condition.not_flags):
            if flag not in set_anywhere:
                report.warn(
                    (*site.path, "not_flags", index),
                    f"flag '{flag}' is never set by any option, so this never excludes anything",
                    "unknown-flag",
                )
    read = flags_read(scenario)
    for path, _, option in _options(scenario):
        for index, flag in enumerate(option.effects.clear_flags):
            if flag not in set_anywhere:
                report.warn(
                    (*path, "effects", "clear_flags", index),
                    f"flag '{flag}' is never set by any option, so clearing it does nothing",
                    "unknown-flag",
                )
        for index, flag in enumerate(option.effects.set_flags):
            if flag not in read:
                report.warn(
                    (*path, "effects", "set_flags", index),
                    f"flag '{flag}' is set but no condition reads it: use it in a 'when' (a "
                    "line the client says later, an option, an ending) or remove it",
                    "unread-flag",
                )


def _speakers(report: Reporter) -> None:
    declared = set(report.scenario.speakers)
    for path, line in lines_in(report.scenario):
        named = [((*path, "speaker"), line.speaker)]
        named += [
            ((*path, "variants", index, "speaker"), variant.speaker)
            for index, variant in enumerate(line.variants)
        ]
        for where, speaker in named:
            if speaker is not None and speaker not in declared:
                report.warn(
                    where,
                    f"speaker '{speaker}' is not declared under 'speakers'; add it there (or "
                    "fix the spelling) so a misspelt name does not become a new person",
                    "undeclared-speaker",
                )


# -- examples and reviews ---------------------------------------------------------------------
def _examples(report: Reporter) -> None:
    options = _options(report.scenario)
    if options and not any(option.examples for _, _, option in options):
        # One line for a file written before examples existed, not one per option.
        report.warn(
            ("nodes",),
            f"no option has 'examples' ({len(options)} options); give each at least "
            f"{MIN_EXAMPLES} ways a learner might type it, so typed replies can be matched",
            "few-examples",
        )
        return
    for path, _, option in options:
        if len(option.examples) < MIN_EXAMPLES:
            where = (*path, "examples") if option.examples else (*path, "text")
            report.warn(
                where,
                f"this option has {len(option.examples)} example(s); give at least "
                f"{MIN_EXAMPLES} ways a learner might type it, with the same stance",
                "few-examples",
            )


def _reviews(report: Reporter, scenario: Scenario) -> None:
    provenance = scenario.provenance
    if provenance.reviewers:
        report.warn(
            ("provenance", "reviewers"),
            "'reviewers' is replaced by 'reviews': record each review as {role, date, "
            "version, notes} so it says which version was reviewed",
            "reviewers-deprecated",
        )
    versions = {review.version for review in provenance.reviews}
    if provenance.review_status == "reviewed" and versions and scenario.version not in versions:
        report.warn(
            ("provenance", "reviews"),
            f"the scenario is marked reviewed, but no review is of version "
            f"'{scenario.version}' (reviewed: {', '.join(sorted(versions))}); have the "
            "changes reviewed and record it, or set review_status back to draft",
            "review-outdated",
        )
