"""The bundled scenarios travel inside a plain (non-editable) install."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("roleplay-*.whl")
    return built


def test_wheel_contains_every_bundled_scenario_and_the_taxonomy(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert bundled, "the source tree has bundled scenarios"
    for name in bundled:
        assert f"roleplay/_scenarios/{name}" in names
    assert "roleplay/core/skills.yaml" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_wheel_finds_its_scenarios_outside_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "ROLEPLAY_HOME": str(tmp_path / "home")}
    env.pop("ROLEPLAY_SCENARIOS", None)
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "list", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    listed = json.loads(result.stdout)
    assert listed, result.stderr
    assert all(str(target) in entry["path"] for entry in listed)
    assert len(listed) == len(list((ROOT / "scenarios").glob("*.yaml")))
