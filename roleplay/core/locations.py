"""Where roleplay keeps things: the one module that knows file locations.

Nothing here creates folders; callers create them on first write (privately: 0700).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "roleplay"
HOME_VARIABLE = "ROLEPLAY_HOME"
SCENARIOS_VARIABLE = "ROLEPLAY_SCENARIOS"


def data_dir(override: Path | str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The user's data folder: ``override``, else ``$ROLEPLAY_HOME``, else the platform's."""
    env = os.environ if env is None else env
    if override:
        return Path(override).expanduser()
    if env.get(HOME_VARIABLE):
        return Path(env[HOME_VARIABLE]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_scenarios_dir(data: Path) -> Path:
    """Where a user's own scenarios live inside the data folder."""
    return data / "scenarios"


def bundled_scenarios_dir() -> Path:
    """The scenarios shipped with roleplay.

    In an installed wheel they sit inside the package as ``_scenarios``; in a source checkout
    (or an editable install) they are the top-level ``scenarios/`` folder.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "_scenarios"
    if installed.is_dir():
        return installed
    return package.parent / "scenarios"


def extra_scenario_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Folders named in ``$ROLEPLAY_SCENARIOS`` (separated like PATH)."""
    env = os.environ if env is None else env
    value = env.get(SCENARIOS_VARIABLE, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]
