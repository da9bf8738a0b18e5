"""The command line contract. Most tests call ``roleplay.cli.main`` in this process (see
``tests/cli_kit.py``); a few start the real command, for what only a process shows: the
installed entry point's exit codes and colour on a real terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_kit import Ran, run_cli
from scenario_kit import MINI, dump, node, option, scenario, where

import roleplay

MINI_TEXT = MINI.read_text(encoding="utf-8")
DATA_DIR = MINI.parent
ANSI = re.compile(r"\x1b\[")
DIAGNOSTIC = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
    r"(?P<msg>.+) \[(?P<code>[a-z-]+)\]$"
)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_")}
    env.pop("NO_COLOR", None)
    env["ROLEPLAY_HOME"] = str(home)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


@pytest.fixture
def run(tmp_path: Path) -> Any:
    home = tmp_path / "home"

    def runner(*args: str | Path, stdin: str = "", **env: str) -> Ran:
        return run_cli(
            *args,
            stdin=stdin,
            env={"ROLEPLAY_HOME": str(home), **env},
            drop=("ROLEPLAY_*", "NO_COLOR", "TEXTUAL_DRIVER"),
            cwd=tmp_path,
        )

    return runner


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_warning() -> str:
    """A valid scenario with exactly one warning (an unused ending)."""
    data = scenario(
        endings=[
            {"id": "done", "title": "Done", "description": "D."},
            {"id": "spare", "title": "Spare", "description": "S."},
        ]
    )
    return dump(data)


# -- validate -------------------------------------------------------------------------------------


def test_validate_valid_file(run: Any) -> None:
    result = run("validate", MINI)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1 file checked: 0 errors, 0 warnings\n"


def test_validate_error_exact_format(run: Any, tmp_path: Path) -> None:
    text = MINI_TEXT.replace("- when: {band: open}", "- when: {band: opn}", 1)
    assert text != MINI_TEXT
    path = write(tmp_path, "broken.yaml", text)
    result = run("validate", path)
    assert result.returncode == 1
    line, column = where(text, "{band: opn}", at="opn")
    assert result.stdout.splitlines() == [
        f"{path}:{line}:{column}: error: trust band 'opn' is not one of the bands under 'trust'; "
        "did you mean 'open'? [unknown-band]",
        "1 file checked: 1 error, 0 warnings",
    ]
    assert "Traceback" not in result.stderr


def test_one_typo_in_next_gives_one_diagnostic(run: Any, tmp_path: Path) -> None:
    text = MINI_TEXT.replace("next: middle", "next: midle", 1)
    path = write(tmp_path, "broken.yaml", text)
    result = run("validate", path)
    assert result.returncode == 1
    line, column = where(text, "next: midle", at="midle")
    assert result.stdout.splitlines() == [
        f"{path}:{line}:{column}: error: 'next' names node 'midle', which does not exist; "
        "did you mean 'middle'? [unknown-target]",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_validate_every_line_matches_the_format(run: Any, tmp_path: Path) -> None:
    text = MINI_TEXT.replace("minutes: 5", 'minutes: "ten"').replace("summary:", "sumary:")
    path = write(tmp_path, "two.yaml", text)
    result = run("validate", path)
    assert result.returncode == 1
    diagnostics = result.stdout.splitlines()[:-1]
    assert len(diagnostics) >= 2
    for line in diagnostics:
        match = DIAGNOSTIC.match(line)
        assert match, line
        assert match["path"] == str(path)
    assert result.stdout.splitlines()[-1].startswith("1 file checked: ")


def test_validate_warnings_and_strict(run: Any, tmp_path: Path) -> None:
    text = with_warning()
    path = write(tmp_path, "warn.yaml", text)
    relaxed = run("validate", path)
    assert relaxed.returncode == 0
    line, column = where(text, "- id: spare", at="spare")
    assert relaxed.stdout.splitlines() == [
        f"{path}:{line}:{column}: warning: ending 'spare' is never used by any node "
        "[unused-ending]",
        "1 file checked: 0 errors, 1 warning",
    ]
    strict = run("validate", "--strict", path)
    assert strict.returncode == 1
    assert strict.stdout == relaxed.stdout


def test_validate_json(run: Any, tmp_path: Path) -> None:
    good = write(tmp_path, "warn.yaml", with_warning())
    bad = write(tmp_path, "bad.yaml", MINI_TEXT.replace("minutes: 5", 'minutes: "ten"'))
    result = run("validate", "--format", "json", good, bad)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "strict", "files", "errors", "warnings"}
    assert report["ok"] is False and report["strict"] is False
    assert (report["errors"], report["warnings"]) == (1, 1)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert set(files) == {"warn.yaml", "bad.yaml"}
    assert files["warn.yaml"]["ok"] is True and files["warn.yaml"]["id"] == "kit"
    assert files["bad.yaml"]["ok"] is False and files["bad.yaml"]["id"] is None
    (diagnostic,) = files["bad.yaml"]["diagnostics"]
    assert set(diagnostic) == {"path", "line", "column", "severity", "message", "code"}
    assert (
        diagnostic["line"],
        diagnostic["column"],
        diagnostic["severity"],
        diagnostic["code"],
    ) == (
        5,
        10,
        "error",
        "invalid-value",
    )
    (warning,) = files["warn.yaml"]["diagnostics"]
    assert warning["severity"] == "warning" and warning["code"] == "unused-ending"


def test_validate_json_ok_and_strict(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "warn.yaml", with_warning())
    assert json.loads(run("validate", "--format", "json", path).stdout)["ok"] is True
    strict = run("validate", "--format", "json", "--strict", path)
    assert strict.returncode == 1
    report = json.loads(strict.stdout)
    assert report["ok"] is False and report["strict"] is True


def test_validate_folder(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder, "a.yaml", MINI_TEXT)
    write(folder, "b.yml", "- not a mapping\n")
    write(folder, "notes.txt", "ignored")
    result = run("validate", folder)
    assert result.returncode == 1
    assert f"{folder / 'b.yml'}:1:1: error:" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 files checked: 1 error, 0 warnings"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "does-not-exist.yaml"],
        ["validate", "no-such-folder"],
        ["validate", "--bogus"],
        ["validate", "--format", "xml"],
        ["frobnicate"],
        ["play"],
    ],
)
def test_bad_usage_exits_2(run: Any, args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr


def test_validate_missing_path_message(run: Any) -> None:
    result = run("validate", "does-not-exist.yaml")
    assert "does-not-exist.yaml" in result.stderr
    assert result.stdout == ""


# -- list, schema, version ------------------------------------------------------------------------

LIST_FIELDS = {
    "id",
    "title",
    "path",
    "minutes",
    "difficulty",
    "skills",
    "decision_points",
    "endings",
}


def mini_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    (row,) = [r for r in rows if r["id"] == "mini"]
    return row


def test_list_json(run: Any) -> None:
    result = run("list", "--format", "json", "--scenarios", DATA_DIR)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) >= LIST_FIELDS
    row = mini_row(rows)
    assert row["title"] == "A small test scenario"
    assert Path(row["path"]).resolve() == MINI.resolve()
    assert row["minutes"] == 5
    assert row["difficulty"] == "intro"
    assert row["skills"] == ["humility", "repair"]
    assert row["decision_points"] == 2
    assert row["endings"] == 3


def test_list_uses_roleplay_scenarios_variable(run: Any) -> None:
    result = run("list", "--format", "json", ROLEPLAY_SCENARIOS=str(DATA_DIR))
    assert mini_row(json.loads(result.stdout))["id"] == "mini"


def test_list_table(run: Any) -> None:
    result = run("list", "--scenarios", DATA_DIR)
    assert result.returncode == 0
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("mini ")]
    assert "5 min" in line and "intro" in line and "A small test scenario" in line


def test_list_reports_broken_files_on_stderr(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder, "broken.yaml", "- nope\n")
    result = run("list", "--format", "json", "--scenarios", folder)
    assert result.returncode == 0
    assert all(row["id"] != "broken" for row in json.loads(result.stdout))
    assert "broken:" in result.stderr and "not-a-mapping" in result.stderr


def test_global_scenarios_flag_before_the_command(run: Any) -> None:
    result = run("--scenarios", DATA_DIR, "list", "--format", "json")
    assert mini_row(json.loads(result.stdout))["id"] == "mini"


def _description_everywhere(schema: dict[str, Any]) -> list[str]:
    defs = schema.get("$defs", {})
    missing = []

    def described(prop: dict[str, Any]) -> bool:
        if prop.get("description"):
            return True
        ref = prop.get("$ref")
        return bool(ref and defs[ref.rsplit("/", 1)[-1]].get("description"))

    for model, body in [("Scenario", schema), *defs.items()]:
        for name, prop in body.get("properties", {}).items():
            if not described(prop):
                missing.append(f"{model}.{name}")
    return missing


def test_schema(run: Any) -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "Scenario"
    assert schema.get("additionalProperties") is False
    assert {"id", "title", "nodes", "endings", "trust", "client"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"id", "title", "nodes", "endings", "start"}
    assert _description_everywhere(schema) == []
    for name in ("Node", "Option", "Feedback", "Condition", "Effects"):
        assert schema["$defs"][name]["additionalProperties"] is False


def test_version(run: Any) -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"roleplay {roleplay.__version__}"


@pytest.mark.parametrize(
    ("args", "code"),
    [(["--version"], 0), (["frobnicate"], 2), (["validate", "no-such.yaml"], 2)],
)
def test_the_real_command_exits_with_the_documented_codes(
    tmp_path: Path, args: list[str], code: int
) -> None:
    """The process's own exit status, as a shell script sees it."""
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", *args],
        capture_output=True,
        text=True,
        env=env_for(tmp_path / "home"),
        timeout=60,
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


def test_skills_command(run: Any) -> None:
    result = run("skills")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 12
    assert result.stdout.startswith("humility")


# -- new ------------------------------------------------------------------------------------------


def test_new_writes_a_strictly_valid_scenario(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    result = run("new", "first-visit", "--dir", folder)
    assert result.returncode == 0, result.stderr
    path = folder / "first-visit.yaml"
    assert path.is_file()
    assert (folder / "scenario.schema.json").is_file()
    check = run("validate", "--strict", path)
    assert check.returncode == 0, check.stdout
    assert check.stdout == "1 file checked: 0 errors, 0 warnings\n"
    listed = run("list", "--format", "json", "--scenarios", folder)
    assert any(row["id"] == "first-visit" for row in json.loads(listed.stdout))


def test_new_refuses_to_overwrite(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    existing = write(folder, "first-visit.yaml", "mine, keep me\n")
    result = run("new", "first-visit", "--dir", folder)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert existing.read_text() == "mine, keep me\n"


@pytest.mark.parametrize("bad", ["Bad_Id", "two--hyphens", "x-", "has space", "ünï", "a/b"])
def test_new_rejects_bad_id(run: Any, tmp_path: Path, bad: str) -> None:
    folder = tmp_path / "mine"
    result = run("new", bad, "--dir", folder)
    assert result.returncode == 2
    assert "not a valid id" in result.stderr
    assert not folder.exists() or not any(folder.iterdir())


# -- play --plain ---------------------------------------------------------------------------------


def play(run: Any, *inputs: str, feedback: str | None = None, target: str = "mini") -> Ran:
    args = ["play", target, "--plain", "--scenarios", str(DATA_DIR)]
    if feedback:
        args += ["--feedback", feedback]
    result: Ran = run(*args, stdin="".join(f"{i}\n" for i in inputs))
    return result


def test_play_plain_end_to_end(run: Any) -> None:
    result = play(run, "2", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The briefing and the client's first lines.
    assert out.startswith("=== A small test scenario ===\n")
    assert "  (Sam sits down.)" in out
    assert "Sam: (looks at the door) Hi. [bold]Not[/] sure about this." in out
    # Numbered options.
    assert "  1. Welcome, Sam. What would you like me to know?\n  2. Welcome, Stan.\n" in out
    assert "Choose 1-2, or type your own reply: " in out
    # The choice, the trust change and immediate feedback, before the next beat.
    first = out.index("You: Welcome, Stan.")
    assert out.index("Trust 40 -> 25 (-15, Guarded)") > first
    assert (
        first
        < out.index("Harmful (!!)  Skills: Cultural humility")
        < out.index("Sam: It's Sam, actually.")
    )
    assert "  A stronger reply: Check the name." in out
    # The second decision offers the repair, and the debrief follows.
    assert "  1. I got your name wrong. I'm sorry. Sam.\n  2. Let's carry on.\n" in out
    debrief = out.index("=== Debrief ===")
    assert out.index("--- Neutral ---") < debrief
    tail = out[debrief:]
    assert "Trust over time\n  40 -> 25 -> 37" in tail
    assert "Strongest option then: Welcome, Sam. What would you like me to know?" in tail
    assert "Ruptures you repaired\n- Name missed" in tail
    assert "- What did you notice?" in tail
    # Immediate mode: the cards are not repeated in the debrief.
    assert "Why:" not in tail
    assert result.stderr == ""


def test_play_feedback_at_the_end(run: Any) -> None:
    result = play(run, "2", "1", feedback="end")
    assert result.returncode == 0
    out = result.stdout
    debrief = out.index("=== Debrief ===")
    assert "Why:" not in out[:debrief]
    assert "Harmful (!!)  Skills" not in out[:debrief]
    tail = out[debrief:]
    assert "Why: Wrong name." in tail and "Why: Owns it briefly." in tail
    assert "A stronger reply: Check the name." in tail


def test_play_bad_input_reprompts(run: Any) -> None:
    result = play(run, "x", "0", "3", "", "1.0", "-1", " 2 ", "1")
    assert result.returncode == 0
    out = result.stdout
    # "x" is a word: nothing is close to it, so every reply is shown again.
    assert out.count("Nothing here is close to what you wrote") == 1
    assert out.count("Please type a number from 1 to 2.") == 5
    assert "You: Welcome, Stan." in out  # ' 2 ' is accepted
    assert "=== Debrief ===" in out


def test_play_superscript_digit_reprompts(run: Any) -> None:
    result = play(run, "²", "1", "1")
    assert result.returncode == 0, result.stderr
    assert "Please type a number from 1 to 2." in result.stdout


def test_play_end_of_input_mid_scenario(run: Any) -> None:
    result = play(run, "1")
    assert result.returncode == 3  # documented: input ended before the scenario did
    assert result.stdout.rstrip().endswith(
        "Input ended before the scenario finished. Stopping here.\n"
        "Your choices so far are saved. To go on from here: roleplay play mini --plain --resume"
    )
    assert "=== Debrief ===" not in result.stdout
    assert "Traceback" not in result.stderr


def test_play_cut_short_resumes_where_it_stopped(run: Any) -> None:
    first = play(run, "1")
    assert first.returncode == 3
    args = ["play", "mini", "--plain", "--resume", "--scenarios", str(DATA_DIR)]
    second = run(*args, stdin="1\n")
    assert second.returncode == 0, second.stderr
    assert "Resuming after 1 choice;" in second.stdout
    assert "=== Debrief ===" in second.stdout


def test_play_resume_keeps_the_attempts_own_settings(run: Any) -> None:
    """An attempt begun with feedback at the end and write-first resumes that way, even
    when ``--resume`` is given without those flags (issue 13)."""
    start = ["play", "mini", "--plain", "--scenarios", str(DATA_DIR)]
    first = run(*start, "--feedback", "end", "--write-first", stdin="\n1\n")
    assert first.returncode == 3, first.stderr  # input ended after the first decision
    assert "Type your reply (or press Enter to see the replies)" in first.stdout
    # Enter shows the replies (write-first); a plain "Choose" prompt would ask again instead.
    second = run(*start, "--resume", stdin="\n1\n")
    assert second.returncode == 0, second.stderr
    assert "Resuming after 1 choice;" in second.stdout
    settings = "feedback at the end, typing your own replies"
    assert f"Going on with this attempt's own settings: {settings}." in second.stdout
    assert "Type your reply (or press Enter to see the replies)" in second.stdout
    played, debrief = second.stdout.split("=== Debrief ===")
    assert "Please type a number" not in played
    for rating in ("Builds trust", "Partly helpful", "Missed opportunity", "Harmful"):
        assert rating not in played  # no feedback card before the debrief
    assert "Partly helpful" in debrief or "Builds trust" in debrief


def test_play_no_input_at_all(run: Any) -> None:
    result = play(run)
    assert result.returncode == 3
    assert "--resume" not in result.stdout  # nothing was chosen, so nothing to resume
    assert "Input ended before the scenario finished." in result.stdout


def test_play_piped_output_has_no_ansi_and_markup_is_literal(run: Any) -> None:
    result = play(run, "1", "1")
    assert result.returncode == 0
    assert not ANSI.search(result.stdout)
    assert not ANSI.search(result.stderr)
    assert "[bold]Not[/]" in result.stdout


def test_play_by_path(run: Any) -> None:
    result = run("play", MINI, "--plain", stdin="1\n1\n")
    assert result.returncode == 0
    assert "=== Debrief ===" in result.stdout


def test_play_unknown_id(run: Any) -> None:
    result = play(run, "1", target="no-such-scenario")
    assert result.returncode == 2
    assert "no scenario with id 'no-such-scenario'" in result.stderr
    assert "mini" in result.stderr  # the known ids are listed
    assert "Traceback" not in result.stderr


def test_play_broken_file(run: Any, tmp_path: Path) -> None:
    text = MINI_TEXT.replace("next: middle", "next: midle", 1)
    path = write(tmp_path, "broken.yaml", text)
    result = run("play", path, "--plain", stdin="1\n")
    assert result.returncode == 1
    line, column = where(text, "next: midle", at="midle")
    assert f"{path}:{line}:{column}: error: " in result.stderr
    assert "[unknown-target]" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_play_missing_path_is_usage_error(run: Any) -> None:
    result = run("play", "nowhere.yaml", "--plain")
    assert result.returncode == 2


def _run_on_tty(args: list[str], env: dict[str, str], stdin: str) -> str:
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "roleplay", *args],
            stdin=subprocess.PIPE,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(slave)
        assert process.stdin is not None
        process.stdin.write(stdin.encode())
        process.stdin.close()
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    finally:
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_only_on_a_terminal_without_no_color(tmp_path: Path) -> None:
    args = ["play", "mini", "--plain", "--scenarios", str(DATA_DIR)]
    coloured = _run_on_tty(args, env_for(tmp_path), "1\n1\n")
    assert "=== Debrief ===" in coloured
    assert ANSI.search(coloured)
    plain = _run_on_tty(args, env_for(tmp_path, NO_COLOR="1"), "1\n1\n")
    assert "=== Debrief ===" in plain
    assert not ANSI.search(plain)


def test_new_template_plays(run: Any, tmp_path: Path) -> None:
    run("new", "from-template", "--dir", tmp_path / "t")
    result = run("play", tmp_path / "t" / "from-template.yaml", "--plain", stdin="1\n1\n")
    assert result.returncode == 0
    assert "=== Debrief ===" in result.stdout


def test_user_scenario_folder_in_home(run: Any, tmp_path: Path) -> None:
    user = tmp_path / "home" / "scenarios"
    user.mkdir(parents=True)
    write(
        user,
        "mine.yaml",
        dump(
            scenario(
                sid="my-own",
                nodes=[
                    node("a", option("x", "end", 1), option("y", "end", -1)),
                    node("end", ending="done"),
                ],
            )
        ),
    )
    rows = json.loads(run("list", "--format", "json").stdout)
    assert any(row["id"] == "my-own" for row in rows)


@pytest.mark.parametrize(
    "argv",
    [
        ["--theme", "\x1b]0;pwned\x07x"],
        ["play", "\x1b[2Jnope", "--plain"],
    ],
)
def test_a_usage_error_quoting_its_argument_writes_no_escape(run: Any, argv: list[str]) -> None:
    result = run(*argv, "--scenarios", str(DATA_DIR))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("roleplay: ")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "␛" in result.stderr  # shown, as a visible stand-in


@pytest.mark.parametrize("where", [[], ["play", "mini"], ["present", "mini"], ["serve"]])
def test_an_unknown_theme_is_a_usage_error_naming_the_themes(run: Any, where: list[str]) -> None:
    result = run(*where, "--theme", "nope", "--scenarios", str(DATA_DIR))
    assert result.returncode == 2
    assert "there is no theme called 'nope'" in result.stderr
    for name in ("roleplay-dark", "roleplay-light", "roleplay-high-contrast"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr
