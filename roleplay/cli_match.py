"""``roleplay match SCENARIO NODE``: how the app would read typed replies at one decision.

For scenario authors testing their options' ``examples``: each line on stdin is one reply;
each gets the ranking of every option of the node (whatever its condition) and the option
the app would propose, or none when nothing is close. ``--path`` replays option ids from the
start and ranks only what is on offer there. ``add_command`` imports only the standard
library, so ``roleplay --help`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import sys

from roleplay.cli_errors import EXIT_OK, UsageError


def add_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``match`` to the subcommands; it runs through ``args.run``."""
    match = commands.add_parser(
        "match",
        help="rank a node's options for typed replies read from stdin (one per line)",
        parents=[common],
    )
    match.add_argument("scenario", help="a scenario id or file")
    match.add_argument("node", help="the id of a node that offers options")
    match.add_argument("--format", choices=["text", "json"], default="text")
    match.add_argument(
        "--path",
        nargs="+",
        default=None,
        metavar="OPTION_ID",
        help="option ids chosen from the start: rank only what is on offer after them",
    )
    match.set_defaults(run=run_match)


def run_match(args: argparse.Namespace) -> int:
    """``roleplay match SCENARIO NODE [--format text|json] [--path OPTION_ID ...]``."""
    from roleplay.cli_scenarios import scenario_of
    from roleplay.core.engine import Engine, EngineError
    from roleplay.core.matching import Candidate, candidates
    from roleplay.core.safetext import clean
    from roleplay.session.replies import load_matcher

    scenario = scenario_of(args)
    nodes = {node.id: node for node in scenario.nodes}
    node = nodes.get(args.node)
    if node is None or not node.options:
        offering = ", ".join(n.id for n in scenario.decision_points()) or "(none)"
        problem = "has no node" if node is None else "offers no options at"
        raise UsageError(
            clean(f"'{scenario.id}' {problem} '{args.node}'; nodes with options: {offering}")
        )
    pool: list[Candidate]
    if args.path is not None:
        engine = Engine(scenario)
        for option_id in args.path:
            try:
                engine.choose(option_id)
            except EngineError as exc:
                raise UsageError(clean(f"--path: {exc}")) from None
        if engine.finished or engine.node.id != node.id:
            raise UsageError(clean(f"--path leads to '{engine.node.id}', not to '{node.id}'"))
        pool = candidates((c.id, c.option) for c in engine.choices())
    else:
        pool = candidates((node.option_id(i), o) for i, o in enumerate(node.options))
    matcher = load_matcher()
    texts = {c.option: c.text for c in pool}
    for line in sys.stdin:
        reply = line.rstrip("\r\n")
        if not reply.strip():
            continue
        found = matcher.match(reply, pool)
        if args.format == "json":
            record = {
                "text": reply,
                "match": found.match,
                "ranked": [{"option": r.option, "score": r.score} for r in found.ranked],
            }
            print(json.dumps(record, ensure_ascii=False))
            continue
        print(clean(f"> {reply}"))
        if found.match is None:
            print("  nothing is close: the app would show all replies")
        for place, ranked in enumerate(found.ranked, 1):
            mark = "*" if ranked.option == found.match else " "
            text = texts[ranked.option]
            short = text if len(text) <= 60 else text[:59] + "…"
            print(clean(f" {mark}{place}. {ranked.score:6.3f}  {ranked.option}: {short}"))
        print()
    return EXIT_OK
