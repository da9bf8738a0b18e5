"""A user's mistake gets a clear message and an exit code, never an internal error."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli_kit import Ran, run_cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _run(*args: str, home: Path, stdin: bytes = b"") -> Ran:
    """The command line in this process (see ``cli_kit``); stdin is given as bytes."""
    return run_cli(*args, stdin=stdin, env={"ROLEPLAY_HOME": str(home), "NO_COLOR": "1"})


def test_an_empty_ending_list_is_an_error_with_its_line(tmp_path: Path) -> None:
    data = yaml.safe_load(MINI.read_text())
    data["nodes"][2]["ending"] = []
    broken = tmp_path / "mini.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False))
    result = _run("validate", str(broken), home=tmp_path / "home")
    assert result.returncode == 1
    assert "nodes[2].ending" in result.stdout and "error" in result.stdout


def test_a_broken_scenario_named_by_id_shows_its_errors(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI.read_text().replace("next: close", "next: clsoe", 1))
    result = _run("play", "mini", "--plain", "--scenarios", str(folder), home=tmp_path / "home")
    assert result.returncode == 1
    assert "unknown-target" in result.stderr and "Traceback" not in result.stderr


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
    assert "Debrief" in result.stdout


def test_a_database_from_a_newer_version_is_reported_not_a_bug(tmp_path: Path) -> None:
    import sqlite3

    home = tmp_path / "home"
    home.mkdir()
    db = sqlite3.connect(home / "history.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = _run("history", home=home)
    assert result.returncode == 1
    assert "newer roleplay" in result.stderr and "bug" not in result.stderr


def test_export_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        _run("play", str(MINI), "--plain", "--no-reflect", home=home, stdin=b"1\n1\n").returncode
        == 0
    )
    result = _run("export", "1", "-o", str(tmp_path / "nowhere" / "x.md"), home=home)
    assert result.returncode == 2
    assert "cannot write" in result.stderr
