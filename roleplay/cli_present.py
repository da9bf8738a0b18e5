"""Present mode's class records on the command line: ``--resume`` for ``roleplay present``,
and ``roleplay present-compare`` (two groups on one scenario).

``add_commands`` and ``add_present_options`` import only the standard library, so
``roleplay --help`` stays quick; each command loads what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.cli_errors import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from roleplay.core.library import Entry
    from roleplay.session.present import SavedSession
    from roleplay.settings import Settings

LATEST = "latest"


def add_present_options(present: argparse.ArgumentParser) -> None:
    """``--resume`` for ``roleplay present`` (``--class-size`` is with the room's options)."""
    present.add_argument(
        "--resume",
        nargs="?",
        const=LATEST,
        metavar="FILE",
        help="carry on with the newest unfinished session of this scenario (or FILE, a "
        "session's .json)",
    )


def resumed(args: argparse.Namespace, entry: Entry, settings: Settings) -> SavedSession | None:
    """The saved session ``--resume`` asks for, checked against the scenario; None without
    ``--resume``. UsageError when there is none or it does not fit."""
    wanted = getattr(args, "resume", None)
    if wanted is None:
        return None
    from roleplay.core.facilitation.record import RecordError, restore_session
    from roleplay.session.present import latest_unfinished, read_session, sessions_dir

    loaded = entry.loaded
    assert loaded is not None
    scenario = loaded.scenario
    if wanted == LATEST:
        found = latest_unfinished(settings.data_dir, scenario.id)
        if found is None:
            folder = sessions_dir(settings.data_dir)
            raise UsageError(
                f"there is no unfinished group session of '{scenario.id}' in {folder} to "
                "resume; start one with: roleplay present " + scenario.id
            )
    else:
        path = Path(wanted).expanduser()
        try:
            found = read_session(path)
        except RecordError as exc:
            raise UsageError(f"{path} cannot be resumed: {exc}") from None
    try:
        restore_session(scenario, found.record)
    except RecordError as exc:
        raise UsageError(f"{found.path} cannot be resumed: {exc}") from None
    return found


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``present-compare``; it runs through ``args.run``."""
    compare = commands.add_parser(
        "present-compare",
        help="compare two groups' sessions of one scenario, moment by moment",
    )
    compare.add_argument("first", type=Path, help="a group session's .json")
    compare.add_argument("second", type=Path, help="another group's .json, same scenario")
    compare.add_argument(
        "--format", choices=["text", "md"], default="text", help="text (default) or Markdown"
    )
    compare.add_argument(
        "--names",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="what to call the groups (default: the file names)",
    )
    compare.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    """``roleplay present-compare A.json B.json [--format md] [--names A B]``."""
    from roleplay.core.facilitation.record import (
        RecordError,
        compare_markdown,
        compare_records,
        compare_text,
    )
    from roleplay.core.safetext import clean
    from roleplay.session.present import read_session

    sessions = []
    for path in (args.first, args.second):
        try:
            sessions.append(read_session(path))
        except RecordError as exc:
            print(f"roleplay: {path}: {clean(str(exc))}", file=sys.stderr)
            return EXIT_PROBLEMS
    first, second = sessions
    names = tuple(args.names) if args.names else (first.path.stem, second.path.stem)
    try:
        rows = compare_records(first.record, second.record)
    except RecordError as exc:
        print(f"roleplay: cannot compare them: {clean(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS
    title = clean(str(first.record["scenario"].get("title", "")), newlines=False)
    if args.format == "md":
        from roleplay.core.safetext import markdown_text

        sys.stdout.write(f"# Two groups: {markdown_text(title)}\n\n")
        sys.stdout.write(compare_markdown(rows, (names[0], names[1])))
        return EXIT_OK
    print(f"Two groups: {title}")
    for line in compare_text(rows, (names[0], names[1])):
        print(clean(line, newlines=False))
    return EXIT_OK
