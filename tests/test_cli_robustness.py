"""A user's mistake gets a clear message and an exit code, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _run(*args: str, home: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "ROLEPLAY_HOME": str(home), "NO_COLOR": "1"}
    env.pop("ROLEPLAY_SCENARIOS", None)
    return subprocess.run(
        [sys.executable, "-m", "roleplay", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
    )


def test_an_empty_ending_list_is_an_error_with_its_line(tmp_path: Path) -> None:
    data = yaml.safe_load(MINI.read_text())
    data["nodes"][2]["ending"] = []
    broken = tmp_path / "mini.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False))
    result = _run("validate", str(broken), home=tmp_path / "home")
    assert result.returncode == 1
    assert b"nodes[2].ending" in result.stdout and b"error" in result.stdout


def test_a_broken_scenario_named_by_id_shows_its_errors(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI.read_text().replace("next: close", "next: clsoe", 1))
    result = _run("play", "mini", "--plain", "--scenarios", str(folder), home=tmp_path / "home")
    assert result.returncode == 1
    assert b"unknown-target" in result.stderr and b"Traceback" not in result.stderr


def test_stray_bytes_on_stdin_do_not_end_a_plain_session(tmp_path: Path) -> None:
    result = _run(
        "play",
        str(MINI),
        "--plain",
        "--write-first",
        "--no-reflect",
        home=tmp_path / "home",
        stdin=b"caf\xe9\n1\n\n1\n",
    )
    assert result.returncode == 0, result.stderr
    assert b"Debrief" in result.stdout


def test_a_database_from_a_newer_version_is_reported_not_a_bug(tmp_path: Path) -> None:
    import sqlite3

    home = tmp_path / "home"
    home.mkdir()
    db = sqlite3.connect(home / "history.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = _run("history", home=home)
    assert result.returncode == 1
    assert b"newer roleplay" in result.stderr and b"bug" not in result.stderr


def test_export_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        _run("play", str(MINI), "--plain", "--no-reflect", home=home, stdin=b"1\n1\n").returncode
        == 0
    )
    result = _run("export", "1", "-o", str(tmp_path / "nowhere" / "x.md"), home=home)
    assert result.returncode == 2
    assert b"cannot write" in result.stderr
