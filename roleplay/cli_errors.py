"""The command line's exit codes and its one exception for bad usage (no imports: the
parser and every command module share them)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""Problems found (scenario errors, history that cannot be used)."""
EXIT_USAGE = 2
EXIT_BUG = 70
"""An unexpected exception: a bug in roleplay, not the user's mistake."""
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """The command line asked for something that cannot be done (exit 2)."""
