"""``roleplay guide SCENARIO``: a printable guide for a trainer (facilitator guide, student
handout, portrayal brief) as Markdown or self-contained HTML.

Printed to stdout, or written with ``--out PATH`` to a file readable only by its owner
(0600) that is never replaced unless ``--force`` is given. Every mistake is one clear
message: exit code 2 for what the command line asked (an unknown scenario, a path that
cannot be written), 1 for a scenario file with errors, as every other command does.
``add_command`` imports only the standard library, so ``roleplay --help`` stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from roleplay.cli_errors import EXIT_OK, EXIT_PROBLEMS, UsageError

PARTS = ("facilitator", "handout", "portrayal", "all")
FORMATS = ("md", "html")


def add_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``guide`` to the subcommands; it runs through ``args.run``."""
    guide = commands.add_parser(
        "guide",
        help="write a printable facilitator guide, student handout and portrayal brief",
        description="A printable guide to one scenario: the facilitator guide (every "
        "moment, its options with ratings and trust changes, notes, questions, endings), a "
        "one-page student handout (no ratings) and a portrayal brief for an actor.",
        parents=[common],
    )
    guide.add_argument("scenario", help="a scenario id or the path of a scenario file")
    guide.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="md (Markdown) or html (one self-contained page); default: html when --out "
        "ends in .html, otherwise md",
    )
    guide.add_argument(
        "--part", choices=PARTS, default="all", help="which part to write (default: all)"
    )
    guide.add_argument(
        "-o", "--out", type=Path, metavar="PATH", help="write to PATH (default: print)"
    )
    guide.add_argument("--force", action="store_true", help="replace PATH if it exists")
    guide.set_defaults(run=run_guide)


def _format_of(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    out: Path | None = args.out
    return "html" if out is not None and out.suffix.lower() in (".html", ".htm") else "md"


def run_guide(args: argparse.Namespace) -> int:
    """``roleplay guide SCENARIO [--format md|html] [--part P] [--out PATH [--force]]``."""
    from roleplay.cli_scenarios import scenario_of
    from roleplay.core.diagnostics import ScenarioError
    from roleplay.core.guide import Format, Part, render_guide
    from roleplay.core.safetext import clean

    out: Path | None = args.out
    if out is not None:
        _check_target(out, force=args.force, shown=clean(str(out), newlines=False))
    try:
        scenario = scenario_of(args)
    except ScenarioError as exc:
        # Problems in the scenario file, as for every other command: say why, exit 1.
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(
            f"roleplay: cannot write a guide for {clean(args.scenario, newlines=False)}: "
            "fix the errors above (roleplay validate shows them all)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    text = render_guide(scenario, Part(args.part), Format(_format_of(args)))
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    _write_private(out, text, force=args.force, shown=clean(str(out), newlines=False))
    print(f"wrote {clean(str(out), newlines=False)}", file=sys.stderr)
    return EXIT_OK


def _check_target(out: Path, *, force: bool, shown: str) -> None:
    """Refuse a target that cannot be written, before any work is done."""
    from roleplay.core.safetext import clean

    if out.is_dir():
        raise UsageError(f"{shown} is a folder: name a file to write, e.g. {shown}/guide.md")
    if os.path.lexists(out) and not force:
        raise UsageError(f"{shown} already exists: choose another name, or add --force")
    if os.path.lexists(out) and not out.is_file() and not out.is_symlink():
        raise UsageError(f"{shown} is not a regular file: name a file to write")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(
            f"there is no folder {clean(str(parent), newlines=False)}: create it first"
        )


def _write_private(out: Path, text: str, *, force: bool, shown: str) -> None:
    """Write ``text`` to ``out`` as a file only its owner can read (0600).

    Without ``force`` the file is created exclusively, so nothing that appeared meanwhile
    (a file, a link) is ever replaced. With ``force`` the text goes to a private file
    beside it, renamed over the old one: the old file's looser mode is never kept, and a
    link at ``out`` is replaced, not followed."""
    try:
        if not force:
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            return
        folder = out.parent if str(out.parent) else Path(".")
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".roleplay-guide-")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise UsageError(f"{shown} already exists: choose another name, or add --force") from None
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
