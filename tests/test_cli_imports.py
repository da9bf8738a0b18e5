"""``roleplay --version`` and ``--help`` import neither the core nor Textual (they answer at
once); each command loads what it needs when it runs. Checked in fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from roleplay.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
tops = ("roleplay", "textual", "pydantic", "yaml")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in tops)
sys.__stderr__.write("MODULES=" + json.dumps(loaded) + "\\n")
"""


def loaded_by(argv: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("MODULES="))
    names: list[str] = json.loads(line.removeprefix("MODULES="))
    return names


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["play", "--help"], ["history", "--help"]]
)
def test_version_and_help_import_no_core_and_no_textual(argv: list[str]) -> None:
    names = loaded_by(argv)
    assert "roleplay.cli" in names  # the probe really ran the command line
    heavy = [n for n in names if n.startswith(("roleplay.core", "textual", "pydantic", "yaml"))]
    assert heavy == []
    assert not [n for n in names if n.startswith(("roleplay.store", "roleplay.session"))]


def test_the_probe_sees_the_core_when_a_command_needs_it() -> None:
    names = loaded_by(["schema"])
    assert "roleplay.core.schema" in names and "textual" not in names
