"""The layers keep to their imports: front ends reach history only through the application
layer, which imports no Textual; the store knows nothing above it. Checked on the source
(every import statement, also those inside functions or ``TYPE_CHECKING`` blocks)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "roleplay"


def imported(source: str) -> set[str]:
    """Every module an import statement in ``source`` names (``from a import b``: a, a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def breaches(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for file in files:
        for name in sorted(imported(file.read_text(encoding="utf-8"))):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{file.relative_to(PACKAGE.parent)} imports {name}")
    return found


def modules(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    assert files and all(f.is_file() for f in files), parts
    return files


NOT_FRONT_ENDS = {"__init__.py", "__main__.py", "settings.py", "webguard.py"}
"""Modules at the top of the package that are not front ends (settings, the web guard)."""


def front_ends() -> list[str]:
    """The app, and every module at the top of the package but those above (plain mode,
    the command line's modules, serve): a new one is checked without being listed."""
    top = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in NOT_FRONT_ENDS)
    assert {"plain.py", "cli.py", "history_cli.py", "serve.py"} <= set(top)
    return ["tui", *top]


def test_front_ends_reach_history_only_through_the_application_layer() -> None:
    assert breaches(modules(*front_ends()), ("roleplay.store",)) == []


def test_the_application_layer_imports_no_textual_and_no_front_end() -> None:
    forbidden = ("textual", "roleplay.tui", "roleplay.cli", "roleplay.plain", "roleplay.serve")
    assert breaches(modules("session"), forbidden) == []


def test_the_store_imports_nothing_above_it() -> None:
    forbidden = ("textual", "roleplay.session", "roleplay.tui", "roleplay.cli", "roleplay.plain")
    assert breaches(modules("store"), forbidden) == []


def test_resuming_does_not_import_the_app_that_imports_it() -> None:
    assert breaches(modules("tui/resuming.py"), ("roleplay.tui.app",)) == []


@pytest.mark.parametrize(
    "source",
    [
        "import roleplay.store",
        "from roleplay.store.db import Store",
        "from roleplay import store",
        "def f():\n    from roleplay.store import Store",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import roleplay.store.db",
    ],
)
def test_the_check_itself_finds_a_forbidden_import(source: str) -> None:
    assert any(n == "roleplay.store" or n.startswith("roleplay.store.") for n in imported(source))


def test_importing_the_application_layer_leaves_textual_out() -> None:
    code = (
        "import sys, importlib, pkgutil, roleplay.session\n"
        "for m in pkgutil.walk_packages(roleplay.session.__path__, 'roleplay.session.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
