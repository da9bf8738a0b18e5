"""Plain mode as a screen-reader user, a script and a person at a terminal meet it: content
notes before the story, "Press Enter to begin" only at a terminal, rating words before their
symbols, prose wrapped to the terminal, piped answers on their own lines, and a session
killed mid-way that resumes with its own settings (issue 13 §1 and §4)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_kit import Ran, run_cli

from roleplay.core.loader import load_scenario
from roleplay.plain import PlainSession, wrap
from roleplay.session import FeedbackTiming, PracticeOptions

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"
SUMMARY = "Used by the tests; exercises every feature of the format."

Run = Callable[..., Ran]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    home = tmp_path / "home"

    def runner(*args: str, stdin: str = "") -> Ran:
        argv = ["play", "mini", "--plain", "--scenarios", str(MINI.parent), *args]
        return run_cli(
            *argv,
            stdin=stdin,
            env={"ROLEPLAY_HOME": str(home)},
            drop=("ROLEPLAY_*", "NO_COLOR", "TEXTUAL_DRIVER"),
            cwd=tmp_path,
        )

    return runner


def command(home: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "roleplay",
        "play",
        "mini",
        "--plain",
        "--scenarios",
        str(MINI.parent),
        "--data",
        str(home),
        *args,
    ]


def read_until(fd: int, wanted: str, seen: str = "") -> str:
    """Read a process's output until ``wanted`` appears (or it closes, or a minute passes:
    a safety stop for a hung process, not a timed assertion)."""
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # a pty whose child has gone
            break
        if not chunk:
            break
        seen += chunk.decode("utf-8", "replace")
    return seen


def test_content_notes_come_before_the_story(run: Run) -> None:
    out = run(stdin="1\n1\n").stdout
    notes = out.index("Content notes\n- None in particular")
    assert notes < out.index(SUMMARY) < out.index("You will practise")
    assert out.count("Content notes") == 1


def test_piped_input_starts_at_once_and_each_answer_ends_its_line(run: Run) -> None:
    result = run("--write-first", stdin="\n1\n\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Press Enter to begin" not in out  # a script is not asked to press anything
    # The prompt ends its own line, so the options start on the next one.
    assert "Type your reply (or press Enter to see the replies): \n  1. Welcome, Sam." in out
    assert "Choose 1-2, or type your own reply: \n\nYou: Welcome, Sam." in out


def test_ratings_say_the_word_before_the_symbol(run: Run) -> None:
    out = run(stdin="2\n1\n").stdout
    assert "Harmful (!!)  Skills: Cultural humility" in out
    assert "[!!" not in out and "!! Harmful" not in out
    assert "Partly helpful (+)" in out or "Builds trust (++)" in out


def test_cues_are_shown_as_the_app_shows_them(run: Run) -> None:
    out = run(stdin="1\n1\n").stdout
    assert "Sam: (looks at the door) Hi." in out


def test_input_ending_before_any_choice_says_there_is_nothing_to_resume(run: Run) -> None:
    result = run(stdin="")
    assert result.returncode == 3
    assert result.stdout.rstrip().endswith(
        "Input ended before the scenario finished. Stopping here.\n"
        "Nothing was chosen yet, so there is nothing to go on from."
    )


def test_input_ending_during_reflections_says_what_was_kept(run: Run) -> None:
    result = run("--reflect", stdin="1\n1\nA lot.\n")
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith("Input ended. The reflections you wrote are saved.")


def test_prose_is_wrapped_to_the_width_and_options_line_up() -> None:
    scenario = load_scenario(MINI).scenario
    out = io.StringIO()
    session = PlainSession(scenario, stdin=io.StringIO("1\n1\n"), stdout=out, width=30)
    assert session.run() == 0
    lines = out.getvalue().splitlines()
    prose = [line for line in lines if not line.endswith(": ")]  # a prompt stays whole
    assert all(len(line) <= 30 for line in prose), prose
    first = lines.index("  1. Welcome, Sam. What would")
    assert lines[first + 1] == "     you like me to know?"  # under the text, not the number


def test_wrap_keeps_colour_codes_out_of_the_count() -> None:
    line = "\x1b[1;36mSam:\x1b[0m one two three four"
    assert wrap(line, 18) == ["\x1b[1;36mSam:\x1b[0m one two three", "four"]
    assert wrap(line, None) == [line]
    bullet = "- a bulleted note that is long"
    assert wrap(bullet, 16) == ["- a bulleted", "  note that is", "  long"]


def test_piped_output_is_not_wrapped(run: Run) -> None:
    out = run(stdin="1\n1\n").stdout
    assert f'"{load_scenario(MINI).scenario.client.introduction}"' in out.splitlines()


def test_the_briefing_says_what_matters_to_the_client_as_the_app_does(run: Run) -> None:
    out = run(stdin="1\n1\n").stdout
    client = load_scenario(MINI).scenario.client
    listed = [f"What matters to {client.name}:", *(f"- {item}" for item in client.what_matters)]
    lines = out.splitlines()
    start = lines.index(listed[0])
    assert lines[start : start + len(listed)] == listed
    assert start < lines.index("You will practise")


def test_at_a_terminal_notes_then_press_enter_then_wrapped_play(tmp_path: Path) -> None:
    """A person at a terminal reads the content notes first and starts when ready; prose
    fits the terminal's width."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: roleplay at a 40-column terminal
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 40, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
        env["ROLEPLAY_HOME"] = str(tmp_path / "home")
        os.execve(sys.executable, command(tmp_path / "home", "--no-reflect"), env)
    try:
        seen = read_until(fd, "Press Enter to begin")
        assert "Press Enter to begin" in seen
        before = seen[: seen.index("Press Enter to begin")]
        assert "Content notes" in before and before.index("Content notes") < before.index(
            "You will practise"
        )
        assert "Choose 1-2" not in seen  # play waits for Enter
        os.write(fd, b"\r")
        seen = read_until(fd, "Choose 1-2", seen)
        assert "Choose 1-2" in seen
        plain = [
            line
            for line in seen.replace("\x1b[0m", "").split("\r\n")
            if "\x1b" not in line and " " in line.strip()
        ]
        assert plain and all(len(line) <= 40 for line in plain), plain
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def test_a_session_killed_mid_way_resumes_with_its_settings(tmp_path: Path) -> None:
    """SIGKILL after the first decision of an attempt begun with feedback at the end and
    typed replies; ``--resume`` alone goes on from there, the same way."""
    home = tmp_path / "home"
    process = subprocess.Popen(
        command(home, "--feedback", "end", "--write-first", "--no-reflect"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ROLEPLAY_HOME": str(home)},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"\n2\n")  # Enter shows the replies; 2 is 'Welcome, Stan.'
    process.stdin.flush()
    seen = read_until(process.stdout.fileno(), "It's Sam, actually.")
    assert "It's Sam, actually." in seen
    assert "Why:" not in seen  # feedback waits for the end
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdin.close()
    process.stdout.close()
    assert process.stderr is not None
    process.stderr.close()

    resumed = subprocess.run(
        command(home, "--resume", "--no-reflect"),
        input="\n1\n",
        capture_output=True,
        text=True,
        env={**os.environ, "ROLEPLAY_HOME": str(home)},
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    out = resumed.stdout
    assert "Resuming after 1 choice; trust is 25" in out
    assert (
        "Going on with this attempt's own settings: feedback at the end, typing your own replies."
        in out
    )
    assert out.count("Type your reply (or press Enter to see the replies)") == 1
    played, debrief = out.split("=== Debrief ===")
    assert "Why:" not in played and "Why: Wrong name." in debrief
    assert "Welcome, Stan." in debrief  # the choice made before the kill is in the record


def test_feedback_timing_is_named_in_settings_text() -> None:
    from roleplay.plain import settings_text

    default = "feedback after each choice, choosing from the replies"
    assert settings_text(PracticeOptions()) == default
    assert settings_text(PracticeOptions(FeedbackTiming.AT_END, True)) == (
        "feedback at the end, typing your own replies"
    )


def test_the_debrief_asks_how_you_are_feeling_once_before_the_analysis(run: Run) -> None:
    """With reflections, the feelings question is asked (not also said) before the analysis;
    without them the debrief says it once as a note."""
    out = run("--reflect", stdin="1\n1\nShaky.\n").stdout
    debrief = out[out.index("=== Debrief ===") :]
    assert debrief.lower().count("how are you feeling") == 1
    asked = debrief.index("How are you feeling after this conversation?\n> ")
    assert asked < debrief.index("Trust over time") < debrief.index("Your reflections")
    assert "take a moment" in debrief[:asked]
    said = run("--no-reflect", stdin="1\n1\n").stdout
    assert said.lower().count("how are you feeling") == 1 and "Your reflections" not in said


def test_an_attempt_the_changed_file_no_longer_fits_is_explained_once(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    scenario = folder / "mini.yaml"
    scenario.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")

    def play(*args: str, stdin: str) -> Ran:
        argv = ["play", str(scenario), "--plain", "--no-reflect", *args]
        env = {"ROLEPLAY_HOME": str(tmp_path / "home")}
        return run_cli(*argv, stdin=stdin, env=env, drop=("ROLEPLAY_*", "NO_COLOR"))

    assert play(stdin="2\n").returncode == 3  # one choice, then the input ends
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("id: wrong-name", "id: name-wrong"), encoding="utf-8")
    said = play("--resume", stdin="").stdout.splitlines()[0]
    assert said == (
        "Attempt 1 cannot be resumed: the scenario file has changed since it was saved "
        "(event 1: option 'wrong-name' is not on offer at 'hello'). It is kept in your "
        "history; you can start afresh."
    )
