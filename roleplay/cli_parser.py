"""The ``roleplay`` command's arguments: every command, option and help text.

Imports nothing but the standard library, so ``roleplay --help`` and ``--version`` start
at once; the commands load what they need when they run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from roleplay import __version__, cli_content, cli_guide, cli_match, cli_present


def _port(text: str) -> int:
    """A TCP port number (argparse type): out of range is bad usage, not a crash in bind()."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port: use a number from 1 to 65535")
    return port


def _sessions(text: str) -> int:
    """How many app sessions ``serve`` may run at once (argparse type): 1 to 50."""
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= 50:
        raise argparse.ArgumentTypeError(f"{text} sessions: use a number from 1 to 50")
    return count


def _class_size(text: str) -> int:
    """How many students ``present --room`` expects (argparse type): 1 to 500."""
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= 500:
        raise argparse.ArgumentTypeError(f"{text} students: use a number from 1 to 500")
    return count


def _shared_options(suppress: bool) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """Options accepted both before and after the command name.

    On subcommands their defaults are suppressed: otherwise argparse would let a
    subcommand's default overwrite a value given before the command name.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--scenarios",
        action="append",
        type=Path,
        default=default([]),
        metavar="DIR",
        help="also load scenarios from DIR (repeatable; see also $ROLEPLAY_SCENARIOS)",
    )
    common.add_argument(
        "--data-dir",
        type=Path,
        default=default(None),
        metavar="DIR",
        help="where history is kept (default: $ROLEPLAY_HOME or the platform data folder)",
    )
    app_options = argparse.ArgumentParser(add_help=False)
    app_options.add_argument(
        "--theme",
        default=default(None),
        help="colour theme for the app: roleplay-dark (the default), roleplay-light or "
        "roleplay-high-contrast (a theme picked in the app is remembered)",
    )
    app_options.add_argument(
        "--no-animation",
        action="store_true",
        default=default(False),
        help="show replies at once (no typing pause)",
    )
    return common, app_options


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser (imports nothing of the core: ``--help`` stays quick)."""
    top_common, top_app = _shared_options(suppress=False)
    common, app_options = _shared_options(suppress=True)
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Practise building trust with simulated clients. "
        "Run without a command to open the scenario library.",
        parents=[top_common, top_app],
    )
    parser.add_argument("--version", action="version", version=f"roleplay {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play one scenario", parents=[common, app_options])
    play.add_argument("scenario", help="a scenario id or the path of a scenario file")
    play.add_argument(
        "--plain", action="store_true", help="line-based text mode (screen readers, pipes)"
    )
    play.add_argument(
        "--feedback",
        choices=["immediate", "end"],
        default="immediate",
        help="feedback after each choice (default) or all at the end",
    )
    play.add_argument(
        "--resume", action="store_true", help="continue your latest unfinished attempt"
    )
    play.add_argument(
        "--reflect",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="(plain mode) answer the reflection prompts at the end "
        "(default: on when typing at a terminal)",
    )
    play.add_argument(
        "--write-first",
        action="store_true",
        help="(plain mode) type my own reply: your words first, then the closest reply is "
        "proposed for you to confirm",
    )

    validate = commands.add_parser(
        "validate", help="check scenario files and report every problem", parents=[common]
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the whole library)"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--format", choices=["text", "json"], default="text")

    listing = commands.add_parser("list", help="list the scenarios", parents=[common])
    listing.add_argument("--format", choices=["table", "json"], default="table")

    commands.add_parser("schema", help="print the JSON Schema of the scenario format")
    commands.add_parser("skills", help="list the skill taxonomy")

    graph = commands.add_parser(
        "graph", help="draw a scenario's branches (Mermaid or Graphviz)", parents=[common]
    )
    graph.add_argument("scenario", help="a scenario id or file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    paths = commands.add_parser(
        "paths", help="count the paths through a scenario and where they end", parents=[common]
    )
    paths.add_argument("scenario", help="a scenario id or file")
    paths.add_argument("--format", choices=["text", "json"], default="text")

    present = commands.add_parser(
        "present",
        help="run a scenario with a group on a projector (votes, timers, reveal)",
        parents=[common, app_options],
    )
    present.add_argument("scenario", help="a scenario id or the path of a scenario file")
    present.add_argument(
        "--timer", type=float, default=60.0, metavar="SECONDS", help="thinking timer (default 60)"
    )
    present.add_argument(
        "--discussion",
        type=float,
        default=None,
        metavar="SECONDS",
        help="discussion timer after a split vote (default: twice the thinking timer)",
    )
    present.add_argument(
        "--split-threshold",
        type=float,
        default=0.6,
        metavar="SHARE",
        help="the room is split when no option has more than this share of votes (default 0.6)",
    )
    room = present.add_argument_group("a room: students vote from their own devices")
    room.add_argument(
        "--room",
        action="store_true",
        help="serve a voting page for students' phones and a projector page (see "
        "docs/facilitating.md, Running a room)",
    )
    room.add_argument(
        "--class-size", type=_class_size, default=None, metavar="N", help="students expected"
    )
    room.add_argument(
        "--host",
        default=None,
        help="address to listen on (default: loopback, this computer only; 0.0.0.0 lets "
        "phones on this network join)",
    )
    room.add_argument("--port", type=_port, default=None, help="port (default 8765)")
    room.add_argument(
        "--no-join-code", action="store_true", help="no short code: only the link and QR code"
    )
    cli_present.add_present_options(present)  # --resume

    serve = commands.add_parser(
        "serve", help="serve the app to a browser (for presenting)", parents=[common, app_options]
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--max-sessions",
        type=_sessions,
        default=3,
        metavar="N",
        help="app sessions (browser tabs) that may run at once (default 3)",
    )
    serve.add_argument(
        "--no-browser", action="store_true", help="print the link; do not open a browser"
    )

    history = commands.add_parser(
        "history", help="your past attempts (or: history delete ATTEMPT)", parents=[common]
    )
    history.add_argument("action", nargs="?", choices=["delete"], help="delete one attempt")
    history.add_argument("attempt", nargs="?", type=int, help="attempt number to delete")
    history.add_argument("--format", choices=["table", "json"], default="table")

    export = commands.add_parser(
        "export", help="export an attempt (md, html) or all steps (csv, json)", parents=[common]
    )
    export.add_argument("attempt", nargs="?", type=int, help="the attempt number")
    export.add_argument("--all", action="store_true", help="every attempt, one row per step")
    export.add_argument("--format", choices=["md", "html", "csv", "json"], default=None)
    export.add_argument("-o", "--output", type=Path, default=None, help="file to write")

    cli_content.add_commands(commands, common)  # moves, review-pack
    cli_present.add_commands(commands)  # present-compare
    cli_match.add_command(commands, common)  # match
    cli_guide.add_command(commands, common)  # guide
    forget = commands.add_parser("forget", help="delete all history", parents=[common])
    forget.add_argument("--all", action="store_true", required=True, help="every attempt")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    new = commands.add_parser("new", help="write a small valid scenario to start from")
    new.add_argument("id", help="the new scenario's id, e.g. first-visit")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write it in")
    return parser
