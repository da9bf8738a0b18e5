"""The core, the command line and plain mode never import Textual (checked in fresh processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from scenario_kit import MINI


def run_python(code: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_")}
    env["ROLEPLAY_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


REPORT = """
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    sys.__stdout__.write("\\nTEXTUAL=" + ",".join(loaded) + "\\n")
"""


def textual_modules(result: subprocess.CompletedProcess[str]) -> list[str]:
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("TEXTUAL=")]
    assert len(lines) == 1, result.stdout + result.stderr
    value = lines[0].removeprefix("TEXTUAL=")
    return value.split(",") if value else []


def test_importing_core_cli_plain_settings_leaves_textual_out(tmp_path: Path) -> None:
    code = """
        import importlib, pkgutil, sys
        import roleplay.core
        names = [m.name for m in pkgutil.walk_packages(roleplay.core.__path__, "roleplay.core.")]
        for name in names:
            importlib.import_module(name)
        import roleplay.cli, roleplay.plain, roleplay.settings
        print("MODULES=" + ",".join(names))
    """
    result = run_python(textwrap.dedent(code) + textwrap.dedent(REPORT), tmp_path)
    assert result.returncode == 0, result.stderr
    modules = next(ln for ln in result.stdout.splitlines() if ln.startswith("MODULES="))
    names = modules.removeprefix("MODULES=").split(",")
    # The walk really found the core (not an empty package).
    for expected in (
        "roleplay.core.engine",
        "roleplay.core.loader",
        "roleplay.core.lint",
        "roleplay.core.debrief",
        "roleplay.core.yamlsource",
        "roleplay.core.models",
    ):
        assert expected in names
    assert textual_modules(result) == []


def test_the_check_itself_sees_textual_when_it_is_imported(tmp_path: Path) -> None:
    result = run_python("import sys\nimport textual.app\n" + textwrap.dedent(REPORT), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "textual" in textual_modules(result)


def _cli(args: list[str]) -> str:
    body = f"""
        import sys
        from roleplay.cli import main
        try:
            code = main({args!r})
        except SystemExit as exc:
            code = exc.code
        sys.__stdout__.write("\\nEXIT=" + str(code) + "\\n")
    """
    return textwrap.dedent(body) + textwrap.dedent(REPORT)


def test_version_does_not_import_textual(tmp_path: Path) -> None:
    result = run_python(_cli(["--version"]), tmp_path)
    assert "roleplay " in result.stdout
    assert "EXIT=0" in result.stdout
    assert textual_modules(result) == []


def test_validate_does_not_import_textual(tmp_path: Path) -> None:
    result = run_python(_cli(["validate", str(MINI)]), tmp_path)
    assert "1 file checked: 0 errors, 0 warnings" in result.stdout
    assert "EXIT=0" in result.stdout
    assert textual_modules(result) == []


def test_list_and_plain_play_do_not_import_textual(tmp_path: Path) -> None:
    listing = run_python(
        _cli(["list", "--format", "json", "--scenarios", str(MINI.parent)]), tmp_path
    )
    assert '"mini"' in listing.stdout and "EXIT=0" in listing.stdout
    assert textual_modules(listing) == []
    played = run_python(_cli(["play", str(MINI), "--plain"]), tmp_path, stdin="1\n1\n")
    assert "=== Debrief ===" in played.stdout and "EXIT=0" in played.stdout
    assert textual_modules(played) == []


def test_the_app_starts_without_importing_the_screens_it_has_not_opened(tmp_path: Path) -> None:
    """Start-up imports the library screen only; the others load when first opened."""
    code = textwrap.dedent(
        """
        import sys
        from roleplay.tui.app import create_app
        later = ("briefing", "practice", "debrief", "history", "compare", "present")
        print(sorted(name for name in later if f"roleplay.tui.screens.{name}" in sys.modules))
        """
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
