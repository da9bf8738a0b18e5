"""Reloading a scenario file from a screen (ctrl+r, for authors editing as they play).

An invalid edit never ends what is on screen: the first problem goes to a notification,
with where it is and what to do, and the screen keeps the version it had.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen

from roleplay.core.diagnostics import ScenarioError
from roleplay.core.loader import LoadedScenario, load_scenario
from roleplay.tui.screens.dialogs import describe

RELOAD_TIMEOUT = 15.0
"""Seconds a failed reload stays on screen: long enough to read a file, line and column."""


def reload_scenario(
    screen: Screen[Any], path: Path, *, keeping: str | None = None
) -> LoadedScenario | None:
    """The file loaded again, or None after telling the author why it could not be.

    ``keeping`` says what carries on meanwhile (a practice session); a screen that says so
    also counts the problems beyond the first and names the command that lists them all.
    """
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        message = describe(exc.first)
        if keeping is not None:
            more = len(exc.diagnostics) - 1
            if more:
                message += f"\n(and {more} more: run `roleplay validate {path.name}`)"
            message += f"\n{keeping}"
        screen.notify(
            message, title="Reload failed", severity="error", timeout=RELOAD_TIMEOUT, markup=False
        )
    except Exception as exc:  # an unexpected failure must not end the session
        screen.notify(
            str(exc),
            title="Reload failed",
            severity="error",
            timeout=RELOAD_TIMEOUT if keeping is not None else None,
            markup=False,
        )
    return None
