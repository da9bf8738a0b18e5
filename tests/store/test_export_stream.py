"""The streamed export of every attempt (one query, rows written as they are read) gives
exactly the text the old export gave, which read each attempt's steps in turn and held
every row before writing."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from cli_kit import run_cli

from roleplay.core.safetext import csv_cell, json_text
from roleplay.session import FeedbackTiming
from roleplay.session.export import (
    STEP_COLUMNS,
    Strongest,
    iter_step_rows,
    rows_csv,
    rows_json,
    step_rows,
)
from roleplay.store import Store

# Text a hostile scenario or a learner might put in a cell: formulas, controls, a bidi
# override, newlines and tabs, quotes, other scripts.
_TEXTS = [
    "Hi Sam, I'm Alex.",
    '=HYPERLINK("http://x")',
    "+1 and -1",
    "@SUM(1+1)",
    "line one\nline two",
    "\ttabbed",
    "\rreturn",
    "esc \x1b[2J here",
    "bidi \u202e reversed",
    'say "hello", then \\ leave',
    "Ngā mihi; مرحبا; 👩‍⚕️",
    "zero\u200bwidth",
    "",
]


def _old_rows_csv(rows: list[dict[str, object]]) -> str:
    """The export's CSV as it was written before streaming."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=STEP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {key: csv_cell(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    )
    return buffer.getvalue()


def _old_rows_json(rows: list[dict[str, object]]) -> str:
    """The export's JSON as it was written before streaming."""
    return json_text(rows) + "\n"


def _many_attempts(home: Path, count: int = 120) -> Store:
    """Attempts on several scenarios, some finished, with rewinds, their steps written
    interleaved (so storage order is not export order)."""
    rng = random.Random(17)
    store = Store(home)
    attempts = [
        store.start_attempt(
            scenario_id=f"scenario-{number % 5}",
            scenario_path=f"scenario-{number % 5}.yaml",
            scenario_digest="d",
            scenario_version="1",
            feedback_timing=FeedbackTiming.IMMEDIATE,
            write_first=number % 2 == 0,
        )
        for number in range(count)
    ]
    for _ in range(count * 6):
        attempt = rng.choice(attempts)
        if rng.random() < 0.1:
            store.add_rewind(attempt, to_step=0, node_id="start", trust=30)
            continue
        store.add_choice(
            attempt,
            node_id=f"node-{rng.randrange(4)}",
            option_id=f"option-{rng.randrange(3)}",
            own_words=rng.choice([None, *_TEXTS]),
            trust_before=rng.randrange(-10, 60),
            trust_after=rng.randrange(-10, 60),
            flags=[],
            ruptures={},
            exploration=rng.random() < 0.2,
            rating=rng.choice(["builds-trust", "partly-helpful", "harmful"]),
            option_text=rng.choice(_TEXTS),
        )
    for attempt in attempts[::3]:
        store.finish_attempt(attempt, ending_id=rng.choice([None, "open-door"]), final_trust=42)
    return store


def _strongest(scenario_id: str, node_id: str) -> tuple[str, str] | None:
    # Only some scenarios are known, as when a scenario file has since been removed.
    if scenario_id == "scenario-4":
        return None
    return (f"best-{node_id}", f"=best {scenario_id}\x1b[0m {node_id}")


def test_streamed_rows_match_the_old_row_by_row_export(tmp_path: Path) -> None:
    store = _many_attempts(tmp_path / "home")
    strongest: Strongest = _strongest
    old = step_rows(store, store.attempts(), strongest)
    assert len(old) > 500  # many attempts, many rows
    streamed = list(iter_step_rows(store, strongest))
    assert streamed == old
    # Same keys in the same order, so JSON objects print identically.
    assert [list(row) for row in streamed] == [list(row) for row in old]
    assert rows_csv(iter_step_rows(store, strongest)) == _old_rows_csv(old)
    assert rows_json(iter_step_rows(store, strongest)) == _old_rows_json(old)
    assert list(iter_step_rows(store)) == step_rows(store, store.attempts())


def test_streamed_export_of_no_attempts_is_a_header_or_an_empty_array(tmp_path: Path) -> None:
    store = Store(tmp_path / "nothing")
    assert rows_csv(iter_step_rows(store)) == _old_rows_csv([])
    assert rows_json(iter_step_rows(store)) == "[]\n" == _old_rows_json([])


def test_cli_export_all_streams_the_same_text_as_before(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = _many_attempts(home, count=40)
    old = step_rows(store, store.attempts())
    store.close()
    env = {"ROLEPLAY_HOME": str(home), "NO_COLOR": "1", "ROLEPLAY_SCENARIOS": str(tmp_path)}
    ran = run_cli("export", "--all", "--format", "csv", env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == _old_rows_csv(old)
    target = tmp_path / "all.json"
    ran = run_cli("export", "--all", "--format", "json", "--output", str(target), env=env)
    assert ran.returncode == 0, ran.stderr
    assert target.read_text(encoding="utf-8") == _old_rows_json(old)
    assert target.stat().st_mode & 0o077 == 0
