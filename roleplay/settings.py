"""Run-time settings shared by the command line, the app factory and the tests; and the
learner's remembered preferences (``preferences.json``), read here because the app needs
the theme before its first frame (``roleplay.session.replies`` is their way in for the
rest of the application)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from roleplay.core.library import default_dirs
from roleplay.core.locations import data_dir, user_scenarios_dir

THEME_NAMES = ("roleplay-dark", "roleplay-light", "roleplay-high-contrast")
"""The app's themes by name (``roleplay.tui.themes`` defines them): here, without Textual,
so the command line can check ``--theme`` before anything else loads."""


class UnknownTheme(ValueError):
    """``--theme`` names no theme of roleplay's."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"there is no theme called '{name}'; choose one of: {', '.join(THEME_NAMES)}"
        )


@dataclass(frozen=True)
class Settings:
    """What a run of roleplay needs to know, resolved once from flags and environment."""

    data_dir: Path
    """Where history and the user's own scenarios live (not created until written to)."""
    scenario_dirs: tuple[Path, ...]
    """Folders (or files) the library is built from, bundled first."""
    theme: str | None = None
    """A Textual theme name, or None for the default."""
    animation: bool = True
    """Whether the client's 'typing' pause is shown."""

    @classmethod
    def resolve(
        cls,
        *,
        data: Path | str | None = None,
        scenarios: list[Path] | tuple[Path, ...] = (),
        theme: str | None = None,
        animation: bool = True,
    ) -> Settings:
        """Settings from command-line values and the environment (``UnknownTheme`` if
        ``theme`` is not one of ``THEME_NAMES``)."""
        if theme is not None and theme not in THEME_NAMES:
            raise UnknownTheme(theme)
        home = data_dir(data)
        dirs = default_dirs(tuple(scenarios), user_dir=user_scenarios_dir(home))
        return cls(data_dir=home, scenario_dirs=tuple(dirs), theme=theme, animation=animation)


# -- the learner's remembered preferences --------------------------------------------------
PREFERENCES_FILE = "preferences.json"
"""The learner's remembered choices, in the data folder (private to the user; see
``Preferences``; ``roleplay forget --all`` removes it)."""

_TIMINGS = ("immediate", "end")
"""``FeedbackTiming``'s values (kept as text here: this module loads before the store)."""


@dataclass(frozen=True)
class Preferences:
    """What the learner chose last time, remembered in ``preferences.json`` in the data
    folder: the reply mode and feedback timing (the briefing's defaults), whether the trust
    meter is shown, and the app's theme. Only the learner's own choices in the app are
    remembered; a command-line flag applies to its run."""

    typed: bool = False
    """"Type my own reply" (True) or "Choose from replies"."""
    feedback: str = "immediate"
    """When feedback is shown, as ``FeedbackTiming``'s value: "immediate" or "end"."""
    meter: bool = True
    """Whether the trust meter is shown while practising (``t`` toggles it)."""
    theme: str | None = None
    """The theme last picked in the app (None: the default)."""

    def to_json(self) -> dict[str, str]:
        """The file's contents (words, not booleans, so a person can read and edit it)."""
        data = {
            "reply_mode": "typed" if self.typed else "choose",
            "feedback": str(self.feedback),
            "trust_meter": "shown" if self.meter else "hidden",
        }
        if self.theme:
            data["theme"] = self.theme
        return data

    @classmethod
    def from_json(cls, data: object) -> Preferences:
        """Read the file's contents; anything missing or not understood keeps its default
        (a damaged or hand-edited file is only a forgotten preference)."""
        if not isinstance(data, dict):
            return cls()
        feedback = data.get("feedback")
        theme = data.get("theme")
        return cls(
            typed=data.get("reply_mode") == "typed",
            feedback=feedback
            if isinstance(feedback, str) and feedback in _TIMINGS
            else "immediate",
            meter=data.get("trust_meter") != "hidden",
            theme=theme if isinstance(theme, str) and theme else None,
        )


def _path(data_dir: Path) -> Path:
    return data_dir / PREFERENCES_FILE


def load_preferences(data_dir: Path) -> Preferences:
    """The remembered preferences (the defaults if none, or the file cannot be read)."""
    try:
        data = json.loads(_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    return Preferences.from_json(data)


def save_preferences(data_dir: Path, preferences: Preferences) -> bool:
    """Write the preferences, private to the user (0600 in a 0700 folder) and atomically: a
    temporary file beside it, then renamed over it, so a crash never leaves half a file.
    Returns whether it could be saved (a read-only data folder only loses the preference)."""
    temporary: str | None = None
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(prefix=".preferences-", suffix=".tmp", dir=data_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
            json.dump(preferences.to_json(), out, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, _path(data_dir))
        temporary = None
    except OSError:
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return True


def remember(data_dir: Path, **changes: Any) -> bool:
    """Change some preferences and keep the rest (e.g. ``remember(d, meter=False)``);
    returns whether they could be saved. Nothing is written when nothing changes."""
    now = load_preferences(data_dir)
    wanted = replace(now, **changes)
    if wanted == now and _path(data_dir).exists():
        return True
    return save_preferences(data_dir, wanted)


def forget_preferences(data_dir: Path) -> None:
    """Remove the remembered preferences (``forget --all``)."""
    with contextlib.suppress(FileNotFoundError):
        _path(data_dir).unlink()
