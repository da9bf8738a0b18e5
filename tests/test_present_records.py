"""A group session's records, without Textual: the record saved after every step and
resumed (also after the app is killed), the class's votes as CSV and JSON, and comparing
two groups on one scenario, through ``roleplay present-compare`` too."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cli_kit import run_cli

from roleplay.core.facilitation import Facilitation, FacilitationSettings, Phase
from roleplay.core.facilitation.record import (
    RecordError,
    compare_markdown,
    compare_records,
    reopened_votes,
    restore_session,
    session_record,
    votes_csv,
)
from roleplay.core.loader import load_scenario
from roleplay.core.models import Scenario
from roleplay.session.present import (
    GroupFiles,
    latest_unfinished,
    read_session,
    saved_sessions,
    sessions_dir,
)

GROUP = Path(__file__).parent / "tui" / "data" / "group.yaml"
WHEN = datetime(2025, 3, 4, 9, 30).astimezone()


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(GROUP).scenario


def played(scenario: Scenario, *, override: bool = True) -> Facilitation:
    """Two moments done (a split and a revote, then an override), the third revealed."""
    session = Facilitation(scenario, FacilitationSettings(class_size=25))
    session.begin()
    session.set_counts({"own-it": 5, "reassure": 5, "procedure": 2})
    session.lock()
    session.revote()
    session.set_counts({"own-it": 9, "reassure": 3})
    session.lock()
    session.reveal()
    session.proceed()
    session.vote("b", 16)
    session.vote("a", 9)
    session.lock()
    session.reveal()
    if override:
        session.choose("a")
    session.proceed()
    # After the override there is no rupture to repair: two options, A and B, not three.
    session.vote("b", 4)
    session.lock()
    session.choose("a")  # the facilitator's pick before the reveal
    session.reveal()
    return session


def record_of(session: Facilitation) -> dict[str, Any]:
    return session_record(session, saved=WHEN, started=WHEN)


# -- the record and resuming ----
def test_a_record_restores_the_session_exactly(scenario: Scenario) -> None:
    session = played(scenario)
    record = json.loads(json.dumps(record_of(session)))  # through JSON, as on disk
    again = restore_session(scenario, record)
    assert again.phase is Phase.REVEALED
    assert again.settings.class_size == 25
    assert record_of(again) == record
    assert again.engine.path == session.engine.path
    assert again.summary_markdown(WHEN) == session.summary_markdown(WHEN)
    # And it carries on like the original.
    again.proceed()
    assert again.phase in (Phase.VOTING, Phase.ENDED)


def test_a_record_holds_counts_not_names(scenario: Scenario) -> None:
    record = record_of(played(scenario))
    first = record["moments"][0]
    assert [r["counts"] for r in first["rounds"]] == [
        {"own-it": 5, "reassure": 5, "procedure": 2},
        {"own-it": 9, "reassure": 3, "procedure": 0},
    ]
    second = record["moments"][1]
    assert second["room_choice"] == "assume" and second["followed"] == "her-words"
    assert second["overridden"] and second["group_rating"] == "harmful"
    third = record["moments"][2]
    assert [o["option_id"] for o in third["options"]] == ["plan", "push"]
    assert third["pick"] == "plan" and not third["continued"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: r.update(kind="something"), "not a roleplay group session"),
        (lambda r: r.update(version=99), "version 99"),
        (lambda r: r["scenario"].update(id="other"), "a session of 'other'"),
        (lambda r: r["scenario"].update(version="0.1"), "version 0.1 of the scenario"),
        (lambda r: r["moments"][0].update(node_id="nowhere"), "does not fit the scenario"),
        (lambda r: r["moments"][0]["rounds"][0]["counts"].update({"own-it": -3}), "not a count"),
        (lambda r: r["moments"][0]["rounds"][0]["counts"].update({"zz": 1}), "no option"),
        (lambda r: r["moments"][1].update(rounds=[]), "one or two rounds"),
        (lambda r: r["settings"].update(class_size=3), "more than the class of 3"),
        (lambda r: r["settings"].update(split_threshold="x"), "settings are not usable"),
        (lambda r: r.update(moments={}), "no list of moments"),
    ],
)
def test_a_record_that_does_not_fit_is_refused_with_a_reason(
    scenario: Scenario, change: Any, reason: str
) -> None:
    record = json.loads(json.dumps(record_of(played(scenario))))
    change(record)
    with pytest.raises(RecordError, match=reason):
        restore_session(scenario, record)


def test_autosave_is_private_and_latest_unfinished_is_found(
    scenario: Scenario, tmp_path: Path
) -> None:
    session = played(scenario)
    files = GroupFiles(session, tmp_path, started=WHEN)
    assert files.autosave() and files.problem is None
    folder = sessions_dir(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files.path.stat().st_mode) == 0o600
    assert files.path.name == f"group-fixture-group-{WHEN.strftime('%Y%m%d-%H%M%S')}.json"
    assert list(folder.iterdir()) == [files.path]  # no temporary file left behind
    found = latest_unfinished(tmp_path, scenario.id)
    assert found is not None and found.path == files.path and found.moments == 3
    assert latest_unfinished(tmp_path, "another-scenario") is None
    # A finished session, or a file that is not a record, is not offered for resuming.
    (folder / "group-broken.json").write_text("{not json", encoding="utf-8")
    assert [s.path for s in saved_sessions(tmp_path)] == [files.path]
    with pytest.raises(RecordError, match="not valid JSON"):
        read_session(folder / "group-broken.json")


def test_autosave_says_why_it_failed(scenario: Scenario, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    files = GroupFiles(played(scenario), blocked)  # the data folder is a file
    assert not files.autosave()
    assert files.problem


def test_the_last_record_survives_kill_9(scenario: Scenario, tmp_path: Path) -> None:
    """A process saves after every step and is killed (SIGKILL) in the middle of a moment;
    the record it leaves resumes at the last step."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from roleplay.core.facilitation import Facilitation
        from roleplay.core.loader import load_scenario
        from roleplay.session.present import GroupFiles

        session = Facilitation(load_scenario(Path({str(GROUP)!r})).scenario)
        files = GroupFiles(session, Path({str(tmp_path)!r}))
        for step in (session.begin, lambda: session.vote("a", 7), session.lock,
                     session.reveal, session.proceed, lambda: session.vote("b", 2)):
            step()
            files.autosave()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert done.returncode == -signal.SIGKILL
    found = latest_unfinished(tmp_path, scenario.id)
    assert found is not None
    again = restore_session(scenario, found.record)
    assert again.phase is Phase.VOTING and len(again.decisions) == 2
    assert again.decisions[0].round.counts["own-it"] == 7
    assert again.decisions[1].round.counts["assume"] == 2


# -- the class's votes ----
def test_votes_csv_has_every_round_of_every_moment(scenario: Scenario) -> None:
    rows = list(csv.DictReader(io.StringIO(votes_csv(record_of(played(scenario))))))
    first = [r for r in rows if r["moment"] == "1"]
    assert [(r["round"], r["letter"], r["votes"], r["percent"]) for r in first] == [
        ("first", "A", "5", "42"),
        ("first", "B", "5", "42"),
        ("first", "C", "2", "16"),
        ("revote", "A", "9", "75"),
        ("revote", "B", "3", "25"),
        ("revote", "C", "0", "0"),
    ]
    second = [r for r in rows if r["moment"] == "2"]
    assert [(r["letter"], r["room_choice"], r["followed"]) for r in second] == [
        ("A", "", "yes"),
        ("B", "yes", ""),
        ("C", "", ""),
    ]


def test_votes_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    text = GROUP.read_text(encoding="utf-8").replace(
        "title: Late, and through the back", "title: '=HYPERLINK(\"http://x\")'"
    )
    path = tmp_path / "formula.yaml"
    path.write_text(text, encoding="utf-8")
    session = Facilitation(load_scenario(path).scenario)
    session.begin()
    rows = list(csv.reader(io.StringIO(votes_csv(record_of(session)))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


# -- comparing two groups ----
def test_compare_two_groups_moment_by_moment(scenario: Scenario) -> None:
    monday = record_of(played(scenario))
    thursday = record_of(played(scenario, override=False))
    rows = compare_records(monday, thursday)
    assert [r.title for r in rows] == [
        "Late, and through the back",
        "What brings her",
        "Covering two jobs",
    ]
    assert rows[0].same and rows[0].first is not None
    assert rows[0].first.votes == "A 9 · B 3 · C 0 (revote)"
    assert rows[1].first is not None and rows[1].first.chose == "B (went on with A)"
    assert rows[1].second is not None and rows[1].second.chose == "B"
    assert rows[1].same  # both rooms chose B, whatever the facilitator did
    # The same letter is not the same option when a condition changed what was on offer.
    assert rows[2].first is not None and rows[2].second is not None
    assert rows[2].first.chose == rows[2].second.chose == "B (went on with A)"
    assert not rows[2].same
    table = compare_markdown(rows, ("Monday", "Thursday"))
    assert table.startswith("| Moment | Monday: votes | Monday: chose |")
    assert "| 1. Late, and through the back | A 9 · B 3 · C 0 (revote) | A |" in table


def test_compare_refuses_two_scenarios(scenario: Scenario) -> None:
    other = record_of(played(scenario))
    other["scenario"]["id"] = "another"
    with pytest.raises(RecordError, match="different scenarios"):
        compare_records(record_of(played(scenario)), other)


def test_present_compare_command(scenario: Scenario, tmp_path: Path) -> None:
    first, second = tmp_path / "monday.json", tmp_path / "thursday.json"
    first.write_text(json.dumps(record_of(played(scenario))), encoding="utf-8")
    second.write_text(json.dumps(record_of(played(scenario, override=False))), encoding="utf-8")
    ran = run_cli("present-compare", first, second)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[:4] == [
        "Two groups: The side door",
        "1. Late, and through the back (same choice)",
        "   monday: chose A · A 9 · B 3 · C 0 (revote)",
        "   thursday: chose A · A 9 · B 3 · C 0 (revote)",
    ]
    ran = run_cli("present-compare", first, second, "--format", "md", "--names", "Mon", "Thu")
    assert ran.stdout.startswith("# Two groups: The side door\n\n| Moment | Mon: votes |")
    broken = tmp_path / "broken.json"
    broken.write_text("[]", encoding="utf-8")
    ran = run_cli("present-compare", first, broken)
    assert ran.returncode == 1 and "broken.json: the file is not a JSON object" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_present_resume_refuses_clearly(tmp_path: Path) -> None:
    ran = run_cli("present", GROUP, "--resume", "--data-dir", tmp_path)
    assert ran.returncode == 2
    assert "no unfinished group session of 'fixture-group'" in ran.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "roleplay-group-session", "version": 7}', encoding="utf-8")
    ran = run_cli("present", GROUP, "--resume", bad, "--data-dir", tmp_path)
    assert ran.returncode == 2 and "cannot be resumed: it is version 7" in ran.stderr
    ran = run_cli("present", GROUP, "--class-size", "0")
    assert ran.returncode == 2 and "use a number from 1 to 500" in ran.stderr


def test_os_replace_leaves_no_partial_file(scenario: Scenario, tmp_path: Path) -> None:
    """Each autosave replaces the record whole: what is on disk always parses."""
    session = Facilitation(scenario)
    files = GroupFiles(session, tmp_path)
    session.begin()
    for _ in range(5):
        session.vote("a")
        assert files.autosave()
        assert json.loads(files.path.read_text(encoding="utf-8"))["moments"]
    assert os.listdir(files.path.parent) == [files.path.name]


@pytest.mark.parametrize("locked", [False, True])
def test_resuming_mid_vote_reopens_it_without_the_device_votes(
    scenario: Scenario, locked: bool
) -> None:
    """Device votes restored as hands would count a student twice when they vote again
    (their device's key is not saved): the open vote comes back with the typed hands only."""
    session = Facilitation(scenario, FacilitationSettings())
    session.begin()
    session.set_counts({"own-it": 3})
    session.cast("device-one", "a")
    session.cast("device-two", "b")
    if locked:
        session.lock()  # locked but not revealed: it could still be unlocked and changed
    record = json.loads(json.dumps(record_of(session)))
    assert "device-one" not in json.dumps(record)  # counts only, never a device's key
    assert record["moments"][0]["rounds"][0]["devices"] == {"own-it": 1, "reassure": 1}
    assert reopened_votes(record) == 2
    again = restore_session(scenario, record)
    assert again.phase is Phase.VOTING
    current = again.current
    assert current is not None
    assert current.round.counts == {"own-it": 3, "reassure": 0, "procedure": 0}
    again.cast("device-again", "a")  # the same student, voting again after the resume
    assert current.round.counts["own-it"] == 4 and current.round.total == 4


def test_resuming_keeps_device_votes_of_votes_already_revealed(scenario: Scenario) -> None:
    session = Facilitation(scenario, FacilitationSettings())
    session.begin()
    session.cast("device-one", "a")
    session.set_counts({"reassure": 2})
    session.lock()
    session.reveal()
    record = json.loads(json.dumps(record_of(session)))
    assert reopened_votes(record) == 0
    again = restore_session(scenario, record)
    assert again.phase is Phase.REVEALED
    assert again.decisions[0].round.counts == {"own-it": 1, "reassure": 2, "procedure": 0}
    assert reopened_votes({"kind": "something else"}) == 0
