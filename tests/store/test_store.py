"""History never loses a learner's work: SIGKILL, concurrent writers, migration, damage."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cli_kit import Ran, run_cli
from history_kit import Recorder

from roleplay.core.engine import Chose, Engine
from roleplay.core.loader import load_scenario
from roleplay.session import FeedbackTiming
from roleplay.session.export import build_record, rows_csv, step_rows, to_html, to_markdown
from roleplay.session.review import events, latest_unfinished, resume_latest
from roleplay.store import Store
from roleplay.store.db import DB_NAME
from roleplay.store.schema import _V1, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "ROLEPLAY_HOME": str(home), "NO_COLOR": "1"}
    env.pop("ROLEPLAY_SCENARIOS", None)
    return env


def test_nothing_is_created_until_the_first_write(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = Store(home)
    assert not home.exists()
    store.start_attempt(
        scenario_id="mini",
        scenario_path=str(MINI),
        scenario_digest="x",
        scenario_version="1",
        feedback_timing=FeedbackTiming.IMMEDIATE,
        write_first=False,
    )
    assert home.is_dir()


def test_a_scenario_path_that_is_not_utf8_is_saved_readably(tmp_path: Path) -> None:
    """A file name with bytes that are not UTF-8 (a lone surrogate in Python): SQLite
    refused it, and nothing of the attempt was saved."""
    store = Store(tmp_path / "home")
    path = os.fsdecode(b"/scenarios/\xffvisit.yaml")
    attempt_id = store.start_attempt(
        scenario_id="mini",
        scenario_path=path,
        scenario_digest="x",
        scenario_version="1",
        feedback_timing=FeedbackTiming.IMMEDIATE,
        write_first=False,
    )
    saved = store.attempt(attempt_id)
    assert saved is not None
    assert saved.scenario_path == "/scenarios/\\xffvisit.yaml"
    store.close()


def test_folder_and_files_are_private_to_the_user(tmp_path: Path) -> None:
    home = tmp_path / "home"
    loaded = load_scenario(MINI)
    store = Store(home)
    recorder = Recorder.begin(
        store, loaded, feedback_timing=FeedbackTiming.IMMEDIATE, write_first=False
    )
    recorder.reflection("What did you notice?", "private thoughts")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    files = list(home.iterdir())
    assert files
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_a_plain_session_killed_with_sigkill_keeps_every_choice_and_resumes(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    process = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "play", str(MINI), "--plain", "--no-reflect"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(home),
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("2\n")  # the harmful option: opens a rupture
    process.stdin.flush()
    # Wait until the next decision is on screen, so the first choice has been handled.
    seen = ""
    deadline = time.monotonic() + 30
    while "It's Sam, actually." not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    assert "It's Sam, actually." in seen
    process.send_signal(signal.SIGKILL)
    process.wait()

    store = Store(home)
    attempt = latest_unfinished(store, "mini")
    assert attempt is not None
    steps = store.steps(attempt.saved_id())
    assert [(s.node_id, s.option_id, s.trust_after) for s in steps] == [("hello", "wrong-name", 25)]
    assert steps[0].ruptures == {"name-missed": "open"}

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "roleplay",
            "play",
            "mini",
            "--plain",
            "--resume",
            "--scenarios",
            str(MINI.parent),
            "--no-reflect",
        ],
        input="1\n",
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Resuming after 1 choice" in result.stdout
    assert "I got your name wrong" in result.stdout  # the repair is on offer: state restored
    finished = Store(home).attempt(attempt.saved_id())
    assert finished is not None and finished.finished and finished.ending_id == "neutral"


def test_resume_after_the_scenario_changed_says_so_and_keeps_the_old_attempt(
    tmp_path: Path,
) -> None:
    scenario_file = tmp_path / "s" / "mini.yaml"
    scenario_file.parent.mkdir()
    scenario_file.write_text(MINI.read_text())
    store = Store(tmp_path / "home")
    loaded = load_scenario(scenario_file)
    recorder = Recorder.begin(
        store, loaded, feedback_timing=FeedbackTiming.IMMEDIATE, write_first=False
    )
    engine = Engine(loaded.scenario)
    recorder.turn(engine, engine.choose("wrong-name"))
    scenario_file.write_text(MINI.read_text().replace("id: wrong-name", "id: wrong-name-2"))
    changed = load_scenario(scenario_file)
    attempt = latest_unfinished(store, "mini")
    assert attempt is not None and attempt.id is not None
    outcome = resume_latest(store, changed)
    assert outcome is not None and outcome.engine is None
    assert outcome.problem is not None and "changed" in outcome.problem
    assert store.attempt(attempt.saved_id()) is not None
    assert len(store.steps(attempt.saved_id())) == 1


WRITER = """
import sys
from pathlib import Path
from roleplay.store import FeedbackTiming, Store
store = Store(Path(sys.argv[1]))
attempt = store.start_attempt(scenario_id=sys.argv[2], scenario_path='x', scenario_digest='d',
    scenario_version='1', feedback_timing=FeedbackTiming.IMMEDIATE, write_first=False)
for n in range(int(sys.argv[3])):
    store.add_choice(attempt, node_id='n', option_id=f'o{n}', own_words=None, trust_before=n,
        trust_after=n + 1, flags=[], ruptures={}, exploration=False, rating='harmful')
    store.save_reflection(attempt, f'prompt {n}', f'answer {n}')
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store(home).db  # noqa: B018 - create the database first so both writers share it
    count = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), name, str(count)],
            env=_env(home),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    store = Store(home)
    attempts = store.attempts()
    assert sorted(a.scenario_id for a in attempts) == ["first", "second"]
    for attempt in attempts:
        assert [s.seq for s in store.steps(attempt.saved_id())] == list(range(count))
        assert len(store.reflections(attempt.saved_id())) == count


def test_a_first_schema_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = sqlite3.connect(home / DB_NAME)
    db.executescript(_V1)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO attempts (scenario_id, scenario_path, scenario_digest, scenario_version, "
        "feedback_timing, write_first, started_at) VALUES ('mini', 'p', 'd', '1', 'end', 0, "
        "'2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO steps (attempt_id, seq, node_id, option_id, own_words, trust_before, "
        "trust_after, flags, ruptures, exploration, rating, at) VALUES (1, 0, 'hello', 'warm', "
        "'my words', 40, 50, '[]', '{}', 0, 'builds-trust', '2026-01-01T00:00:01+00:00')"
    )
    db.commit()
    db.close()
    store = Store(home)
    (step,) = store.steps(1)
    assert step.kind == "choose" and step.own_words == "my words" and step.option_text is None
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert events(store.steps(1)) == [Chose("warm", "my words")]


def test_a_damaged_database_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"this is not a database at all\x00" * 100
    (home / DB_NAME).write_bytes(garbage)
    store = Store(home)
    assert store.attempts() == []
    (backup,) = [p for p in home.iterdir() if ".damaged-" in p.name]
    assert backup.read_bytes() == garbage
    assert store.notices and str(backup) in store.notices[0]


def _start(store: Store, scenario_id: str = "x") -> int:
    return store.start_attempt(
        scenario_id=scenario_id,
        scenario_path="p",
        scenario_digest="d",
        scenario_version="1",
        feedback_timing=FeedbackTiming.AT_END,
        write_first=False,
    )


def test_a_locked_database_is_reported_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roleplay.store import StoreError
    from roleplay.store import db as db_module

    home = tmp_path / "home"
    Store(home).db  # noqa: B018 - create the database
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(db_module, "OPEN_PATIENCE_S", 0.5)
    blocker = sqlite3.connect(home / DB_NAME, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="another roleplay"):
            _start(Store(home))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_write_waits_out_another_process_holding_the_lock_briefly(tmp_path: Path) -> None:
    """Another process writing for a moment is waited for, not reported."""
    home = tmp_path / "home"
    Store(home).db  # noqa: B018 - create the database
    blocker = sqlite3.connect(home / DB_NAME, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.6, lambda: blocker.execute("ROLLBACK"))
    release.start()
    try:
        store = Store(home)
        attempt = _start(store, "waited")
        assert [a.id for a in store.attempts()] == [attempt]
    finally:
        release.join()
        blocker.close()


def test_a_busy_moment_while_opening_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite can answer "locked" at once (no busy wait) while another process sets up WAL."""
    from roleplay.store import db as db_module

    real_connect = db_module.Store._connect
    answers = iter(["database is locked", "database is busy"])

    def flaky_connect(self: Store) -> sqlite3.Connection:
        message = next(answers, None)
        if message:
            busy = sqlite3.OperationalError(message)
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY
            raise busy
        return real_connect(self)

    monkeypatch.setattr(db_module.Store, "_connect", flaky_connect)
    store = Store(tmp_path / "home")
    attempt = _start(store)
    assert next(answers, None) is None
    assert [a.id for a in store.attempts()] == [attempt]


def _finished_attempt(tmp_path: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "home")
    loaded = load_scenario(MINI)
    recorder = Recorder.begin(
        store, loaded, feedback_timing=FeedbackTiming.AT_END, write_first=True
    )
    engine = Engine(loaded.scenario)
    recorder.turn(engine, engine.choose("wrong-name", own_words="Hello Stan <b>!</b>"))
    recorder.turn(engine, engine.choose("repair", own_words="Sorry, Sam."))
    recorder.reflection("What did you notice?", "I rushed the name & moved on.")
    return store, recorder.attempt_id


def test_markdown_export_holds_path_words_feedback_and_reflections(tmp_path: Path) -> None:
    store, attempt_id = _finished_attempt(tmp_path)
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.finished
    text = to_markdown(build_record(store, attempt, load_scenario(MINI)))
    assert "Welcome, Stan." in text and "I got your name wrong" in text
    assert "Your own words first: Hello Stan &lt;b&gt;!&lt;/b&gt;" in text
    assert "Why: Wrong name." in text
    assert "A stronger reply: Check the name." in text
    assert "| Cultural humility | 0 | 0 | 0 | 1 |" in text
    assert "I rushed the name & moved on." in text
    assert "Ending: **Neutral**" in text


def test_html_export_is_self_contained_and_escaped(tmp_path: Path) -> None:
    store, attempt_id = _finished_attempt(tmp_path)
    attempt = store.attempt(attempt_id)
    assert attempt is not None
    page = to_html(build_record(store, attempt, load_scenario(MINI)))
    assert "<b>!</b>" not in page and "&lt;b&gt;!&lt;/b&gt;" in page
    assert "I rushed the name &amp; moved on." in page
    for external in ("<script", "<link", "src=", "http://", "https://"):
        assert external not in page
    assert "@media print" in page


def test_export_without_the_scenario_still_shows_path_and_reflections(tmp_path: Path) -> None:
    store, attempt_id = _finished_attempt(tmp_path)
    attempt = store.attempt(attempt_id)
    assert attempt is not None
    text = to_markdown(build_record(store, attempt, None))
    assert "could not be found" in text
    assert "Welcome, Stan." in text and "I rushed the name & moved on." in text


def test_csv_export_has_one_row_per_choice(tmp_path: Path) -> None:
    store, _ = _finished_attempt(tmp_path)
    rows = step_rows(store, store.attempts())
    assert [row["option_id"] for row in rows] == ["wrong-name", "repair"]
    text = rows_csv(rows)
    assert text.splitlines()[0].startswith("attempt_id,scenario_id")
    assert len(text.splitlines()) == 3


def test_history_commands_end_to_end(tmp_path: Path) -> None:
    home = tmp_path / "home"

    def run(*args: str, stdin: str = "") -> Ran:
        return run_cli(*args, stdin=stdin, env={"ROLEPLAY_HOME": str(home), "NO_COLOR": "1"})

    played = run("play", str(MINI), "--plain", "--no-reflect", stdin="1\n2\n")
    assert played.returncode == 0, played.stderr
    listed = json.loads(run("history", "--format", "json").stdout)
    assert len(listed) == 1 and listed[0]["finished"] and listed[0]["ending_id"] == "good"
    out = tmp_path / "record.html"
    exported = run(
        "--scenarios", str(MINI.parent), "export", "1", "--format", "html", "-o", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Welcome, Sam." in out.read_text()
    assert run("export", "99").returncode == 2
    assert run("forget", "--all").returncode == 1  # no terminal to confirm: nothing deleted
    assert len(json.loads(run("history", "--format", "json").stdout)) == 1
    assert run("forget", "--all", "--yes").returncode == 0
    assert json.loads(run("history", "--format", "json").stdout) == []


OPENER = """
import sys
from pathlib import Path
from roleplay.store import FeedbackTiming, Store
store = Store(Path(sys.argv[1]))
store.start_attempt(scenario_id=sys.argv[2], scenario_path='x', scenario_digest='d',
    scenario_version='1', feedback_timing=FeedbackTiming.IMMEDIATE, write_first=False)
"""


def test_processes_creating_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(home), f"s{n}"],
            env=_env(home),
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for opener in openers:
        _, err = opener.communicate(timeout=60)
        assert opener.returncode == 0, err
    assert sorted(a.scenario_id for a in Store(home).attempts()) == ["s0", "s1", "s2", "s3"]


def test_every_damaged_copy_is_kept_under_its_own_name(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for n in range(2):  # twice within the same second
        (home / DB_NAME).write_bytes(f"damage {n}".encode() * 200)
        for suffix in ("-wal", "-shm"):
            Path(str(home / DB_NAME) + suffix).unlink(missing_ok=True)
        store = Store(home)
        store.attempts()
        # Closed before the file is damaged again: an open connection would write its own
        # pages back over the damage when it is finally closed.
        store.close()
    backups = sorted(p.read_bytes()[:8] for p in home.iterdir() if ".damaged-" in p.name)
    assert backups == [b"damage 0", b"damage 1"]


def test_reading_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    """History starts at the first write: looking at an empty history leaves no folder."""
    home = tmp_path / "home"
    store = Store(home)
    assert store.attempts() == [] and store.attempt(1) is None
    assert store.steps(1) == [] and store.reflections(1) == [] and store.draft(1) is None
    assert not store.delete_attempt(1) and store.forget_all() == 0
    assert not home.exists()
    attempt = _start(store)
    assert [a.id for a in store.attempts()] == [attempt]
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_step_rows_name_the_strongest_option_at_each_point(tmp_path: Path) -> None:
    """Exports of every attempt carry the strongest option beside the learner's own words
    and the option they confirmed; an attempt on a scenario no longer known gets none."""
    from roleplay.session.export import strongest_by_node

    store = Store(tmp_path / "home")
    for scenario_id in ("mini", "gone"):
        attempt = store.start_attempt(
            scenario_id=scenario_id,
            scenario_path=f"{scenario_id}.yaml",
            scenario_digest="d",
            scenario_version="1",
            feedback_timing=FeedbackTiming.IMMEDIATE,
            write_first=True,
        )
        store.add_choice(
            attempt,
            node_id="hello",
            option_id="wrong-name",
            own_words="hi Sammy",
            trust_before=30,
            trust_after=15,
            flags=[],
            ruptures={"name-missed": "open"},
            exploration=False,
            rating="harmful",
            option_text="Hi Sammy!",
        )
    strongest = strongest_by_node([load_scenario(MINI).scenario])
    rows = step_rows(store, store.attempts(), strongest)
    by_scenario = {row["scenario_id"]: row for row in rows}
    mini = by_scenario["mini"]
    assert mini["own_words"] == "hi Sammy" and mini["option_id"] == "wrong-name"
    assert mini["strongest_option_id"] == "warm"
    assert isinstance(mini["strongest_option_text"], str) and mini["strongest_option_text"]
    assert by_scenario["gone"]["strongest_option_id"] is None
    assert "strongest_option_id" in rows_csv(rows).splitlines()[0]
