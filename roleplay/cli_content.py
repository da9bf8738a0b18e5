"""Commands for scenario authors and reviewers: ``roleplay moves`` (the vocabulary of
recurring moves with their calibration) and ``roleplay review-pack`` (three transcripts of a
scenario for its reviewers, as Markdown).

``add_commands`` registers both with the main parser and imports only the standard library,
so ``roleplay --help`` stays quick; each command loads what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from roleplay.cli_errors import EXIT_OK, EXIT_PROBLEMS


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``moves`` and ``review-pack`` to the subcommands; each runs through ``args.run``."""
    moves = commands.add_parser(
        "moves", help="list the recurring moves and their calibration (for an option's 'move')"
    )
    moves.set_defaults(run=run_moves)
    pack = commands.add_parser(
        "review-pack",
        help="write the best, a repair and a mistake path as Markdown for reviewers",
        parents=[common],
    )
    pack.add_argument("scenario", help="a scenario id or file")
    pack.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: print)"
    )
    pack.set_defaults(run=run_review_pack)


def run_moves(args: argparse.Namespace) -> int:
    """``roleplay moves``: each move, its default rating and trust, and its exception."""
    from roleplay.core.moves import moves

    for move in moves().values():
        print(f"{move.id}: {move.name}")
        print(f"    {move.summary}")
        print(f"    default: {move.default.describe()}")
        if move.exception is not None:
            print(f"    exception: {move.exception.describe()}, when {move.exception.when}")
    return EXIT_OK


def run_review_pack(args: argparse.Namespace) -> int:
    """``roleplay review-pack SCENARIO [-o FILE]``."""
    from roleplay.cli_scenarios import scenario_of
    from roleplay.core.reviewpack import review_pack

    text = review_pack(scenario_of(args))
    output: Path | None = args.output
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        # Private like every file roleplay writes: review drafts are not for everyone.
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"roleplay: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK
