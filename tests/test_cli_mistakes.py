"""More of a user's mistakes: each gets a clear message and exit code, never an internal error,
a hang, or a file the user did not ask for."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_kit import Ran, run_cli

from roleplay import cli, cli_app
from roleplay.store import FeedbackTiming, Store

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _run(*args: str | Path, home: Path, cwd: Path | None = None, **env: str) -> Ran:
    """The command line in this process, with no terminal (see ``cli_kit``)."""
    return run_cli(*args, env={"ROLEPLAY_HOME": str(home), "NO_COLOR": "1", **env}, cwd=cwd)


def _process(
    *args: str | Path, home: Path, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """The real command, with no terminal: stdin from /dev/null, output captured (for what
    only a process shows: the terminal check, and a read that would never end)."""
    inherited = {
        k: v for k, v in os.environ.items() if k not in ("ROLEPLAY_SCENARIOS", "TEXTUAL_DRIVER")
    }
    environment = {**inherited, "ROLEPLAY_HOME": str(home), "NO_COLOR": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "roleplay", *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=30,
    )


def _record_attempt(home: Path, words: str = "fine", answer: str = "ok") -> None:
    """One finished attempt with the learner's own words and a reflection."""
    store = Store(home)
    attempt = store.start_attempt(
        scenario_id="gone",
        scenario_path="gone.yaml",
        scenario_digest="d",
        scenario_version="1",
        feedback_timing=FeedbackTiming.IMMEDIATE,
        write_first=True,
    )
    store.add_choice(
        attempt,
        node_id="a",
        option_id="x",
        own_words=words,
        trust_before=30,
        trust_after=40,
        flags=[],
        ruptures={},
        exploration=False,
        rating="builds-trust",
        option_text="Say hello",
    )
    store.save_reflection(attempt, "How did it go?", answer)
    store.close()


# -- 1. roleplay new ------------------------------------------------------------------------
@pytest.mark.parametrize("scenario_id", ["123", "no", "on", "0x1f", "null", "1e3"])
def test_every_accepted_id_gives_a_starter_that_validates(tmp_path: Path, scenario_id: str) -> None:
    home = tmp_path / "home"
    assert _run("new", scenario_id, home=home, cwd=tmp_path).returncode == 0
    check = _run("validate", "--strict", f"{scenario_id}.yaml", home=home, cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    assert check.stdout == "1 file checked: 0 errors, 0 warnings\n"


def test_the_starter_names_the_path_it_was_written_to(tmp_path: Path) -> None:
    result = _run("new", "first-visit", "--dir", "x/y", home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "x" / "y" / "first-visit.yaml").read_text(encoding="utf-8")
    assert "# Check this file with: roleplay validate --strict x/y/first-visit.yaml\n" in text


# -- 2. writing an export -------------------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_is_a_plain_error_naming_the_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _record_attempt(home)
    result = _run("export", "1", "-o", "/dev/full", home=home)
    assert result.returncode == 1
    assert "cannot write /dev/full" in result.stderr
    assert "internal error" not in result.stderr


def test_an_export_to_a_fifo_does_not_change_its_mode(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _record_attempt(home)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    process = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "export", "1", "-o", str(fifo)],
        env={**os.environ, "ROLEPLAY_HOME": str(home)},
        stderr=subprocess.PIPE,
        text=True,
    )
    with fifo.open(encoding="utf-8") as reader:
        assert "# gone: attempt 1" in reader.read()
    assert process.wait(timeout=30) == 0
    assert stat.S_IMODE(fifo.stat().st_mode) == 0o644


def test_an_exported_file_is_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _record_attempt(home)
    target = tmp_path / "record.md"
    target.write_text("old")
    target.chmod(0o644)
    assert _run("export", "1", "-o", target, home=home).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# gone: attempt 1")


# -- 3. serve --port ------------------------------------------------------------------------
@pytest.mark.parametrize("port", ["70000", "-1", "0", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["serve", "--port", port])
    assert exited.value.code == cli.EXIT_USAGE
    assert "a number from 1 to 65535" in capsys.readouterr().err


# -- 4. the full-screen app without a terminal -----------------------------------------------
def test_the_app_without_a_terminal_is_refused_with_a_hint(tmp_path: Path) -> None:
    result = _process("play", MINI, home=tmp_path / "home")
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "--plain" in result.stderr
    assert result.stdout == ""  # no escape codes


def test_no_command_without_a_terminal_is_refused(tmp_path: Path) -> None:
    result = _process(home=tmp_path / "home")
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and result.stdout == ""


def test_the_app_served_to_a_browser_needs_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # textual-serve runs the app with pipes, telling Textual which driver to use.
    assert not cli_app.has_terminal()  # pytest's stdin is not a terminal
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert cli_app.has_terminal()


# -- 5. validate an empty folder ------------------------------------------------------------
def test_validating_a_folder_without_scenarios_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a scenario")
    assert cli.main(["validate", str(tmp_path)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert f"no scenario files (.yaml or .yml) in {tmp_path}" in err
    assert "roleplay new" in err


# -- 6. a folder or a pipe where a scenario file is expected ---------------------------------
@pytest.mark.parametrize(
    "command", [["play", "adir.yaml", "--plain"], ["paths", "adir.yaml"], ["graph", "adir.yaml"]]
)
def test_a_folder_named_as_a_scenario_file_is_called_a_folder(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "adir.yaml"
    folder.mkdir()
    command = [str(folder) if part == "adir.yaml" else part for part in command]
    assert cli.main(command) == cli.EXIT_USAGE
    assert f"{folder} is a folder, not a scenario file" in capsys.readouterr().err


def test_validate_refuses_a_named_pipe_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    result = _process("validate", fifo, home=tmp_path / "home")  # a read would wait for ever
    assert result.returncode == 2
    assert f"{fifo} is not a regular file" in result.stderr


def test_a_pipe_among_the_scenario_folders_is_reported_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    result = _process("list", "--scenarios", fifo, home=tmp_path / "home")
    assert result.returncode == 0
    assert "not a regular file" in result.stderr


# -- 7. forget without a terminal -----------------------------------------------------------
def test_forget_without_a_terminal_asks_for_yes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _record_attempt(home)
    result = _run("forget", "--all", home=home)
    assert result.returncode == 1
    assert "without a terminal" in result.stderr and "--yes" in result.stderr
    assert len(Store(home).attempts()) == 1


# -- 8. export with an attempt and --all ----------------------------------------------------
def test_export_of_one_attempt_and_all_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["export", "1", "--all", "--format", "json"]) == cli.EXIT_USAGE
    assert "not both" in capsys.readouterr().err


# -- 9. reading creates nothing -------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "code", "out", "err"),
    [
        (["export", "1"], 2, "", "there is no attempt 1"),
        (["export", "--all"], 0, "attempt_id,", ""),
        (["export", "--all", "--format", "json"], 0, "[]", ""),
        (["history"], 0, "no attempts yet", ""),
        (["history", "--format", "json"], 0, "[]", ""),
        (["history", "delete", "1"], 2, "", "there is no attempt 1"),
        (["forget", "--all", "--yes"], 0, "no history", ""),
    ],
)
def test_reading_history_creates_no_data_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    code: int,
    out: str,
    err: str,
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    assert cli.main(command) == code
    captured = capsys.readouterr()
    assert out in captured.out and err in captured.err
    assert not home.exists()


# -- 10. the learner's text in a Markdown record ---------------------------------------------
def test_markdown_export_shows_the_learners_html_as_text(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _record_attempt(
        home,
        words="<script>alert(1)</script> & more &lt;b&gt;",
        answer="<img src=x onerror=alert(1)>\n# not a heading\n1. not a list",
    )
    result = _run("export", "1", home=home)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "<script>" not in text and "<img" not in text
    words = "&lt;script&gt;alert(1)&lt;/script&gt; & more &amp;lt;b&amp;gt;"
    assert f"Your own words first: {words}\n" in text
    assert "&lt;img src=x onerror=alert(1)&gt;\n\\# not a heading\n1\\. not a list" in text


def test_forget_all_also_removes_records_exported_into_the_data_folder(tmp_path: Path) -> None:
    """The app's `e` writes records (paths, feedback, reflections) into <data>/exports:
    forgetting everything removes them too, and says so."""
    home = tmp_path / "home"
    _record_attempt(home)
    exports = home / "exports"
    exports.mkdir()
    (exports / "attempt-1-mini.md").write_text("I felt rushed at the door")
    (home / "library-cache.json").write_text("{}")
    result = _run("forget", "--all", "--yes", home=home)
    assert result.returncode == 0
    assert "1 exported record (in" in result.stdout and str(exports) in result.stdout
    assert not list(exports.iterdir())
    assert not (home / "library-cache.json").exists()
    assert Store(home).attempts() == []


def test_forget_all_removes_group_sessions_too_even_without_history(tmp_path: Path) -> None:
    """Present mode's saved group sessions live in <data>/sessions: "all" includes them,
    counted in the question and the answer, and a link there is left alone."""
    home = tmp_path / "home"
    sessions = home / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "group-mini-1.json").write_text("{}")
    (sessions / "group-mini-1.md").write_text("# summary")
    outside = tmp_path / "keep.txt"
    outside.write_text("not roleplay's")
    (sessions / "link.txt").symlink_to(outside)
    asked = _run("forget", "--all", home=home)
    assert asked.returncode == 1 and "2 group-session files" in asked.stderr
    assert len(list(sessions.iterdir())) == 3
    result = _run("forget", "--all", "--yes", home=home)
    assert result.returncode == 0, result.stderr
    assert "deleted 2 group-session files (in" in result.stdout
    assert [p.name for p in sessions.iterdir()] == ["link.txt"]
    assert outside.read_text() == "not roleplay's"
