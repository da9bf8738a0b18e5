"""Run-time settings shared by the command line, the app factory and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roleplay.core.library import default_dirs
from roleplay.core.locations import data_dir, user_scenarios_dir


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
        """Settings from command-line values and the environment."""
        home = data_dir(data)
        dirs = default_dirs(tuple(scenarios), user_dir=user_scenarios_dir(home))
        return cls(data_dir=home, scenario_dirs=tuple(dirs), theme=theme, animation=animation)
