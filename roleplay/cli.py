"""The ``roleplay`` command.

Exit codes: 0 success, 1 problems found (e.g. scenario errors), 2 bad usage. A mistake in a
user's input is reported in one clear line, never as a traceback; an unexpected exception
says plainly that it is a bug. Textual is imported only by the commands that show the app,
so ``validate``, ``list`` and ``play --plain`` start quickly.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from roleplay import __version__
from roleplay.core.diagnostics import ScenarioError, Severity
from roleplay.core.library import Entry, find, scan, scenario_files
from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Scenario
from roleplay.core.safetext import clean
from roleplay.core.yamlsource import missing_reason
from roleplay.settings import Settings
from roleplay.store import StoreError

if TYPE_CHECKING:
    from roleplay.tui.app import RoleplayApp

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command line asked for something that cannot be done (exit 2)."""


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
    app_options.add_argument("--theme", default=default(None), help="colour theme for the app")
    app_options.add_argument(
        "--no-animation",
        action="store_true",
        default=default(False),
        help="show replies at once (no typing pause)",
    )
    return common, app_options


def _parser() -> argparse.ArgumentParser:
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
        help="(plain mode) write your own reply before the options are shown",
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

    forget = commands.add_parser("forget", help="delete all history", parents=[common])
    forget.add_argument("--all", action="store_true", required=True, help="every attempt")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    new = commands.add_parser("new", help="write a small valid scenario to start from")
    new.add_argument("id", help="the new scenario's id, e.g. first-visit")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write it in")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"roleplay: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_PROBLEMS
    except StoreError as exc:
        print(f"roleplay: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("\nroleplay: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        print(
            f"roleplay: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in roleplay, not a mistake of yours. Please report it with the "
            "command you ran.",
            file=sys.stderr,
        )
        return 70


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.resolve(
        data=args.data_dir,
        scenarios=list(args.scenarios),
        theme=getattr(args, "theme", None),
        animation=not getattr(args, "no_animation", False),
    )


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is None:
        return _run_app(
            _settings(args),
            None,
            hint="to practise in plain text, use: roleplay play SCENARIO --plain "
            "(see roleplay list)",
        )
    if command == "play":
        return _play(args)
    if command == "validate":
        return _validate(args)
    if command == "list":
        return _list(args)
    if command == "schema":
        from roleplay.core.schema import schema_json

        print(schema_json())
        return EXIT_OK
    if command == "skills":
        from roleplay.core.skills import skills

        for skill in skills().values():
            print(f"{skill.id:22} {skill.name}: {skill.summary}")
        return EXIT_OK
    if command == "graph":
        from roleplay.core.graph import to_dot, to_mermaid

        scenario = _scenario(args)
        print(to_mermaid(scenario) if args.format == "mermaid" else to_dot(scenario), end="")
        return EXIT_OK
    if command == "paths":
        from roleplay.core.paths import analyse, report_text

        report = analyse(_scenario(args))
        if args.format == "json":
            print(json.dumps(report.to_json(), indent=2))
        else:
            print("\n".join(report_text(report)))
        return EXIT_OK
    if command == "present":
        return _present(args)
    if command == "serve":
        from roleplay.serve import serve

        settings = _settings(args)
        return serve(
            settings,
            host=args.host,
            port=args.port,
            scenarios=list(args.scenarios),
            theme=args.theme,
            max_sessions=args.max_sessions,
            open_browser=not args.no_browser,
        )
    if command in ("history", "export", "forget"):
        from roleplay.history_cli import run_history_command

        return run_history_command(args, _settings(args))
    if command == "new":
        from roleplay.core.template import TemplateError, write_template

        try:
            path = write_template(args.id, args.dir)
        except TemplateError as exc:
            raise UsageError(str(exc)) from None
        print(f"wrote {path}; check it with: roleplay validate --strict {shlex.quote(str(path))}")
        return EXIT_OK
    raise UsageError(f"unknown command {command!r}")  # pragma: no cover - argparse guards


def has_terminal() -> bool:
    """Whether the full-screen app has a terminal to draw on and read keys from.

    ``roleplay serve`` runs the app through pipes, and textual-serve sets ``TEXTUAL_DRIVER``
    to its web driver for it: that needs no terminal.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _run_until_quit(app: RoleplayApp, hint: str) -> int:
    """Run the full-screen app; refuse first when it has no terminal (it would write escape
    codes into a file and wait for ever for keys)."""
    from textual.app import App

    # Checked on the real app only, so that a stand-in for it (in tests) runs anywhere.
    if isinstance(app, App) and not has_terminal():
        raise UsageError(
            f"the full-screen app needs a terminal, and input or output is redirected; {hint}"
        )
    app.run()
    return app.return_code or 0


def _run_app(settings: Settings, scenario: str | None, *, hint: str, resume: bool = False) -> int:
    from roleplay.tui.app import create_app

    return _run_until_quit(create_app(settings, scenario=scenario, resume=resume), hint)


def _present(args: argparse.Namespace) -> int:
    from roleplay.core.facilitation import FacilitationSettings

    try:
        options = FacilitationSettings(
            thinking_seconds=args.timer,
            discussion_seconds=args.discussion,
            split_threshold=args.split_threshold,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    settings = _settings(args)
    entry = resolve_scenario(args.scenario, settings)
    from roleplay.session import PresentRequest
    from roleplay.tui.app import create_app

    app = create_app(settings, present=PresentRequest(entry.loaded, options))
    return _run_until_quit(
        app, "run it in a terminal, or show it in a browser with: roleplay serve"
    )


def resolve_scenario(reference: str, settings: Settings) -> Entry:
    """Find a scenario by id in the library, or load it from a path."""
    as_path = Path(reference)
    looks_like_path = as_path.suffix in (".yaml", ".yml") or "/" in reference
    if looks_like_path and not as_path.is_file():
        if as_path.is_dir():
            raise UsageError(
                f"{reference} is a folder, not a scenario file: name a .yaml file in it, "
                f"or use --scenarios {shlex.quote(reference)} and the scenario's id"
            )
        if as_path.exists():
            raise UsageError(f"{reference} is not a regular file: name a scenario (.yaml) file")
        raise UsageError(f"no scenario file at {reference}")
    entries = scan([as_path]) if looks_like_path else scan(settings.scenario_dirs)
    entry = find(reference, entries)
    if entry is None:
        if looks_like_path:
            raise UsageError(f"no scenario file at {reference}")
        known = ", ".join(sorted(e.id for e in entries if e.ok)) or "none"
        raise UsageError(f"no scenario with id '{reference}' (known: {known})")
    if not entry.ok:
        raise ScenarioError(entry.errors)
    return entry


def _scenario(args: argparse.Namespace) -> Scenario:
    entry = resolve_scenario(args.scenario, _settings(args))
    assert entry.loaded is not None
    return entry.loaded.scenario


def _play(args: argparse.Namespace) -> int:
    settings = _settings(args)
    entry = resolve_scenario(args.scenario, settings)
    if not args.plain:
        hint = f"use plain text instead: roleplay play {shlex.quote(args.scenario)} --plain"
        return _run_app(settings, str(entry.path), hint=hint, resume=args.resume)
    assert entry.loaded is not None
    return _play_plain(args, settings, entry.loaded)


def _play_plain(args: argparse.Namespace, settings: Settings, loaded: LoadedScenario) -> int:
    from roleplay.plain import run_plain
    from roleplay.session import FeedbackTiming, PracticeOptions

    # A stray byte typed or piped in must not end the session.
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")
    reflect = args.reflect if args.reflect is not None else sys.stdin.isatty()
    return run_plain(
        loaded,
        data_dir=settings.data_dir,
        options=PracticeOptions(FeedbackTiming(args.feedback), args.write_first),
        resume=args.resume,
        reflect=reflect,
        stdin=sys.stdin,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )


def _validate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    paths = list(args.paths) or list(settings.scenario_dirs)
    for path in args.paths:
        if (missing := missing_reason(path)) is not None:
            raise UsageError(f"{missing}: {clean(str(path), newlines=False)}")
        # A pipe or device would be read until it ends, perhaps never.
        if not path.is_file() and not path.is_dir():
            raise UsageError(f"{path} is not a regular file: name scenario files or folders")
        if path.is_dir() and not scenario_files([path]):
            print(
                f"roleplay: no scenario files (.yaml or .yml) in {path}; name the folder that "
                "holds them, or start one with: roleplay new ID --dir " + shlex.quote(str(path)),
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    entries = scan(paths)
    errors = sum(len(e.errors) for e in entries)
    warnings = sum(1 for e in entries for d in e.diagnostics if d.severity is Severity.WARNING)
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.format == "json":
        report = {
            "ok": not failed,
            "strict": args.strict,
            "files": [
                {
                    "path": str(e.path),
                    "id": e.id,
                    "ok": e.ok,
                    "diagnostics": [d.to_json() for d in e.diagnostics],
                }
                for e in entries
            ],
            "errors": errors,
            "warnings": warnings,
        }
        print(json.dumps(report, indent=2))
    else:
        _print_validation(entries, errors, warnings, sys.stdout)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print_validation(entries: list[Entry], errors: int, warnings: int, out: IO[str]) -> None:
    for entry in entries:
        for diagnostic in entry.diagnostics:
            print(diagnostic, file=out)
    files = len(entries)
    print(
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}",
        file=out,
    )


def _list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    entries = scan(settings.scenario_dirs)
    rows = []
    for entry in entries:
        if not entry.ok or entry.loaded is None:
            continue
        scenario = entry.loaded.scenario
        rows.append(
            {
                "id": scenario.id,
                "title": scenario.title,
                "path": str(entry.path),
                "client": scenario.client.name,
                "minutes": scenario.minutes,
                "difficulty": scenario.difficulty.value,
                "skills": list(scenario.skills),
                "decision_points": len(scenario.decision_points()),
                "endings": len(scenario.endings),
                "content_notes": list(scenario.content_notes),
                "review_status": scenario.provenance.review_status,
            }
        )
    broken = [entry for entry in entries if not entry.ok]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        if rows:
            width = max(len(str(row["id"])) for row in rows)
            for row in rows:
                print(
                    f"{row['id']!s:{width}}  {row['minutes']!s:>3} min  "
                    f"{row['difficulty']!s:12}  {row['title']}"
                )
        else:
            print("no scenarios found")
    for entry in broken:
        print(f"broken: {entry.errors[0] if entry.errors else entry.path}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
