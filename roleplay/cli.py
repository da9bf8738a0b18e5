"""The ``roleplay`` command: parse, run one command, map every outcome to an exit code.

Exit codes: 0 success, 1 problems found (e.g. scenario errors), 2 bad usage, 70 a bug, 130
interrupted. A mistake in a user's input is reported in one clear line, never as a
traceback; an unexpected exception says plainly that it is a bug. This module imports only
the standard library and the parser: each command loads what it needs when it runs, so
``--help`` and ``--version`` import neither the core nor Textual, and ``validate``,
``list`` and ``play --plain`` never import Textual.

The commands live in ``cli_parser`` (arguments), ``cli_scenarios`` (scenario commands),
``cli_app`` (play, present and the app) and ``history_cli`` (history, export, forget).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from roleplay.cli_errors import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    UsageError,
)
from roleplay.cli_parser import build_parser

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "UsageError", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("\nroleplay: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        return _report(exc)


def _report(exc: Exception) -> int:
    """Say what went wrong, in the user's terms; the exit code."""
    # Imported here, once something has gone wrong: --help and --version stay quick.
    from roleplay.core.diagnostics import ScenarioError
    from roleplay.core.safetext import clean
    from roleplay.session import StoreError

    # Messages quote what they were given (an id, a path, a theme name), which may hold
    # escape sequences: cleaned like every other output.
    if isinstance(exc, UsageError):
        print(f"roleplay: {clean(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, ScenarioError):
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_PROBLEMS
    if isinstance(exc, StoreError):
        print(f"roleplay: {clean(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"roleplay: internal error: {type(exc).__name__}: {clean(str(exc))}\n"
        "This is a bug in roleplay, not a mistake of yours. Please report it with the "
        "command you ran.",
        file=sys.stderr,
    )
    return EXIT_BUG


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if hasattr(args, "run"):  # commands registered by their own module (cli_content)
        return int(args.run(args))
    if command in (None, "play", "present"):
        from roleplay import cli_app

        if command == "play":
            return cli_app.play(args)
        if command == "present":
            return cli_app.present(args)
        return cli_app.run_app(
            cli_app.settings_of(args),
            None,
            hint="to practise in plain text, use: roleplay play SCENARIO --plain "
            "(see roleplay list)",
        )
    if command in ("validate", "list", "schema", "skills", "graph", "paths", "new"):
        from roleplay import cli_scenarios as scenarios

        if command == "validate":
            return scenarios.validate(args)
        if command == "list":
            return scenarios.list_scenarios(args)
        if command == "schema":
            return scenarios.schema()
        if command == "skills":
            return scenarios.skills()
        if command == "graph":
            return scenarios.graph(args)
        if command == "paths":
            return scenarios.paths(args)
        return scenarios.new(args)
    if command == "serve":
        from roleplay.cli_scenarios import settings_of
        from roleplay.serve import serve

        return serve(
            settings_of(args),
            host=args.host,
            port=args.port,
            scenarios=list(args.scenarios),
            theme=args.theme,
            max_sessions=args.max_sessions,
            open_browser=not args.no_browser,
        )
    if command in ("history", "export", "forget"):
        from roleplay.cli_scenarios import settings_of
        from roleplay.history_cli import run_history_command

        return run_history_command(args, settings_of(args))
    raise UsageError(f"unknown command {command!r}")  # pragma: no cover - argparse guards


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
