"""The command line's ways into practice: ``play`` (in the app or in plain text),
``present``, and the app itself; refusing clearly when the app has no terminal."""

from __future__ import annotations

import argparse
import gc
import io
import os
import shlex
import sys
from typing import TYPE_CHECKING

from roleplay.cli_errors import UsageError
from roleplay.cli_scenarios import resolve_scenario, settings_of

__all__ = ["has_terminal", "play", "present", "run_app", "settings_of"]
from roleplay.settings import Settings

if TYPE_CHECKING:
    from roleplay.core.loader import LoadedScenario
    from roleplay.room.options import RoomOptions
    from roleplay.tui.app import RoleplayApp


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
    if isinstance(app, App):
        # Everything imported so far lives as long as the process: frozen, it is left out
        # of the collector's full passes. Start-up allocates enough to trigger one before
        # the first frame, and it walked every module's objects (about 20 ms of CPU).
        gc.freeze()
    app.run()
    notice = getattr(app, "exit_notice", None)
    if notice:
        from roleplay.core.safetext import clean

        sys.stderr.write(f"roleplay: {clean(notice)}\n")
    return app.return_code or 0


def run_app(settings: Settings, scenario: str | None, *, hint: str, resume: bool = False) -> int:
    """The app: the library, or a named scenario's briefing (or its resume)."""
    from roleplay.tui.app import create_app

    return _run_until_quit(create_app(settings, scenario=scenario, resume=resume), hint)


def present(args: argparse.Namespace) -> int:
    """``roleplay present``: present mode for a group, in the app."""
    from roleplay.core.facilitation import FacilitationSettings

    try:
        options = FacilitationSettings(
            thinking_seconds=args.timer,
            discussion_seconds=args.discussion,
            split_threshold=args.split_threshold,
            class_size=getattr(args, "class_size", None),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    room = room_options(args)
    settings = settings_of(args)
    entry = resolve_scenario(args.scenario, settings)
    from roleplay.cli_present import resumed
    from roleplay.session import PresentRequest
    from roleplay.tui.app import create_app

    request = PresentRequest(
        entry.loaded, options, room=room, resume=resumed(args, entry, settings)
    )
    app = create_app(settings, present=request)
    return _run_until_quit(
        app, "run it in a terminal, or show it in a browser with: roleplay serve"
    )


def room_options(args: argparse.Namespace) -> RoomOptions | None:
    """``--room`` and its options; the address is checked before the app takes the screen
    (the server itself starts inside the app, in its loop)."""
    from roleplay.room.options import DEFAULT_PORT, RoomOptions, check_address

    # --class-size also caps typed counts without a room (FacilitationSettings.class_size).
    names = ("host", "port")
    given = [f"--{n}" for n in names if getattr(args, n.replace("-", "_"), None) is not None]
    if getattr(args, "no_join_code", False):
        given.append("--no-join-code")
    if not getattr(args, "room", False):
        if given:
            raise UsageError(f"{given[0]} needs --room (a room server for students' devices)")
        return None
    room = RoomOptions(
        host=args.host or "127.0.0.1",
        port=DEFAULT_PORT if args.port is None else args.port,
        class_size=args.class_size,
        join_code=not args.no_join_code,
    )
    problem = check_address(room.host, room.port)
    if problem is not None:
        raise UsageError(problem)
    if (risk := room.risk()) is not None:
        print(risk, file=sys.stderr)
    return room


def play(args: argparse.Namespace) -> int:
    """``roleplay play``: a scenario in the app, or in plain text with ``--plain``."""
    settings = settings_of(args)
    entry = resolve_scenario(args.scenario, settings)
    if not args.plain:
        hint = f"use plain text instead: roleplay play {shlex.quote(args.scenario)} --plain"
        return run_app(settings, str(entry.path), hint=hint, resume=args.resume)
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
