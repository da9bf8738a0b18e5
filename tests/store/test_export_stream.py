"""The streamed export of every attempt (one query, rows written as they are read) gives
exactly the text the old export gave, which read each attempt's steps in turn and held
every row before writing."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_kit import run_cli
from history_kit import random_history

from roleplay.core.safetext import csv_cell, json_text
from roleplay.core.summary import CACHE_FILE
from roleplay.session import rows
from roleplay.session.export import (
    STEP_COLUMNS,
    Strongest,
    iter_step_rows,
    rows_csv,
    rows_json,
    step_rows,
)
from roleplay.store import Store


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


def _strongest(scenario_id: str, node_id: str) -> tuple[str, str] | None:
    # Only some scenarios are known, as when a scenario file has since been removed.
    if scenario_id == "scenario-4":
        return None
    return (f"best-{node_id}", f"=best {scenario_id}\x1b[0m {node_id}")


def test_streamed_rows_match_the_old_row_by_row_export(tmp_path: Path) -> None:
    store = random_history(tmp_path / "home", 120, seed=17)
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
    store = random_history(home, 40, seed=17)
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


def _choices_csv(store: Store, strongest: Strongest | None = None) -> str:
    buffer = io.StringIO()
    rows.write_choices_csv(store, buffer, strongest)
    return buffer.getvalue()


@pytest.mark.parametrize("memo", [rows._CELL_MEMO, 3])
def test_the_csv_export_built_per_attempt_writes_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: int
) -> None:
    """The export's own CSV path (no dictionary per row, each attempt's cells made once)
    writes what the row-by-row path writes, with a memo of cleaned cells of any size."""
    monkeypatch.setattr(rows, "_CELL_MEMO", memo)
    store = random_history(tmp_path / "home", 90, seed=23)
    strongest: Strongest = _strongest
    for known in (strongest, None):
        old = step_rows(store, store.attempts(), known)
        assert _choices_csv(store, known) == _old_rows_csv(old)
        assert rows.write_choices_csv(store, io.StringIO(), known) == len(old)
    assert "'=HYPERLINK" in _choices_csv(store)  # a formula is neutralised
    assert "\x1b" not in _choices_csv(store, strongest)  # controls are made visible


def test_hand_edited_cells_that_are_not_text_go_out_as_they_are(tmp_path: Path) -> None:
    """A database edited by hand can hold bytes where text was written (SQLite keeps a blob
    as it is given): they go out as the row-by-row export writes them."""
    store = random_history(tmp_path / "home", 12, seed=3)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE steps SET node_id = x'3d31' WHERE id % 3 = 0")
        db.execute("UPDATE steps SET option_text = x'31', own_words = x'' WHERE id % 3 = 1")
    old = step_rows(store, store.attempts())
    assert {b"=1", b"1", b""} <= {row[key] for row in old for key in STEP_COLUMNS}
    assert _choices_csv(store) == _old_rows_csv(old)


_PROBE = """
import sys
from roleplay.cli import main
code = main(sys.argv[1:])
sys.__stderr__.write(f"EXIT={code} PYDANTIC={'pydantic' in sys.modules}\\n")
"""


def _export_in_a_fresh_process(home: Path, library: Path, output: Path) -> str:
    """Run ``export --all`` in a new interpreter; what it says on stderr (with its exit
    code and whether it imported pydantic)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_")}
    env |= {"ROLEPLAY_HOME": str(home), "NO_COLOR": "1", "ROLEPLAY_SCENARIOS": str(library)}
    argv = ["export", "--all", "--format", "csv", "--output", str(output)]
    ran = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, env=env, timeout=120
    )
    return ran.stderr


def test_export_of_every_step_imports_the_scenario_models_only_when_needed(
    tmp_path: Path,
) -> None:
    """``export --all`` loads the scenario models only for a library file that holds a
    scenario the history names (for the strongest options), and only until the summary
    cache holds that file's strongest options; a long history of scenarios no longer in
    the library is written without them."""
    home, library, output = tmp_path / "home", tmp_path / "library", tmp_path / "all.csv"
    store = random_history(home, 8)
    library.mkdir()
    said = _export_in_a_fresh_process(home, library, output)
    assert "EXIT=0 PYDANTIC=False" in said, said
    assert output.read_text(encoding="utf-8") == _old_rows_csv(step_rows(store, store.attempts()))
    # A library file with the id of a scenario in the history is loaded, for its options.
    mini = (Path(__file__).parents[1] / "data" / "mini.yaml").read_text(encoding="utf-8")
    (library / "mini.yaml").write_text(mini.replace("id: mini", "id: scenario-1", 1))
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE steps SET node_id = 'hello'")
    said = _export_in_a_fresh_process(home, library, output)
    assert "EXIT=0 PYDANTIC=True" in said, said
    written = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    named = {(row["scenario_id"], row["strongest_option_id"]) for row in written}
    assert ("scenario-1", "warm") in named and ("scenario-0", "") in named
    first = output.read_text(encoding="utf-8")
    # The first export cached the file's strongest options: the next reads no scenario.
    assert (home / CACHE_FILE).stat().st_mode & 0o777 == 0o600
    said = _export_in_a_fresh_process(home, library, output)
    assert "EXIT=0 PYDANTIC=False" in said, said
    assert output.read_text(encoding="utf-8") == first
    # A file changed since is checked again, and its new strongest option named.
    (library / "mini.yaml").write_text(
        mini.replace("id: mini", "id: scenario-1", 1).replace("id: warm", "id: warmer", 1)
    )
    said = _export_in_a_fresh_process(home, library, output)
    assert "EXIT=0 PYDANTIC=True" in said, said
    written = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert ("scenario-1", "warmer") in {
        (r["scenario_id"], r["strongest_option_id"]) for r in written
    }
    store.close()


@pytest.mark.parametrize(("memo", "batch"), [(rows._CELL_MEMO, rows._BATCH), (3, 1), (5, 7)])
def test_cells_a_hand_edited_database_holds_are_written_as_csv_writer_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: int, batch: int
) -> None:
    """Each cell is encoded once and rows are joined as text, not by ``csv.writer``: what
    needs quoting (commas, quotes, line breaks, a lone empty text), numbers that are not
    integers, text or bytes where numbers were written, and formulas come out as the
    row-by-row export writes them, across batch and memo boundaries."""
    monkeypatch.setattr(rows, "_CELL_MEMO", memo)
    monkeypatch.setattr(rows, "_BATCH", batch)
    store = random_history(tmp_path / "home", 30, seed=5)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE steps SET option_text = 'a, \"quoted\"\r\nline' WHERE id % 5 = 0")
        db.execute("UPDATE steps SET own_words = '' WHERE id % 5 = 1")
        db.execute("UPDATE steps SET trust_before = 2.5, rating = ' =1+1' WHERE id % 5 = 2")
        db.execute("UPDATE steps SET trust_after = 'x,\"y\"', exploration = 'no' WHERE id % 7 = 3")
        db.execute("UPDATE steps SET trust_after = x'2c22', at = '' WHERE id % 7 = 4")
        db.execute("UPDATE attempts SET final_trust = 1.5, ending_id = '' WHERE id % 3 = 0")
        db.execute("UPDATE attempts SET final_trust = '-5,5', finished_at = NULL WHERE id % 4 = 1")
        db.execute("UPDATE attempts SET scenario_id = 'line\nbreak' WHERE id % 6 = 2")

    def strongest(scenario_id: str, node_id: str) -> tuple[str, str] | None:
        if node_id.endswith("1"):
            return None
        return ("", f'"{node_id}",\n@{scenario_id}')  # an empty id, a text that needs quoting

    for known in (strongest, None):
        expected = rows_csv(iter_step_rows(store, known))
        assert _choices_csv(store, known) == expected
        assert expected == _old_rows_csv(step_rows(store, store.attempts(), known))
    written = _choices_csv(store, strongest)
    assert '"a, ""quoted""\u240d\nline"' in written  # CR made visible, then quoted
    assert ",2.5," in written and ",1.5," in written and ',"x,""y""",' in written
    assert ',"line\nbreak",' in written
    assert ',"b\',""\'",' in written  # bytes as csv writes them: str(b',"'), quoted
