"""Every version of the learner's own words is kept in the attempt, labelled by try: going
back and typing again adds a version, and the exports show each beside its choice, the
first under the scored path and a later one under the explorations (issue 13 §1)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from history_kit import Recorder

from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.session.export import build_record, rows_csv, step_rows, to_html, to_markdown
from roleplay.session.review import EXPLORATION_LABEL, EXPLORATIONS_HEADING
from roleplay.store import Store

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


def typed_twice(store: Store) -> int:
    """Typed words, a choice, back to the start, new words and another choice, the end."""
    loaded = load_scenario(MINI)
    recorder = Recorder.begin(store, loaded, write_first=True)
    engine = Engine(loaded.scenario)
    recorder.words(0, "hello", "hello there stan")
    recorder.turn(engine, engine.choose("wrong-name", own_words="hello there stan"))
    engine.rewind(0)
    recorder.rewind(engine, 0)
    recorder.words(0, "hello", "Hi Sam, welcome")
    recorder.turn(engine, engine.choose("warm", own_words="Hi Sam, welcome"))
    return recorder.attempt_id


def test_each_version_is_saved_with_its_choice(tmp_path: Path) -> None:
    store = Store(tmp_path)
    attempt = typed_twice(store)
    chosen = [s for s in store.steps(attempt) if s.kind == "choose"]
    assert [(s.option_id, s.own_words, s.exploration) for s in chosen] == [
        ("wrong-name", "hello there stan", False),
        ("warm", "Hi Sam, welcome", True),
    ]


def test_the_exports_show_every_version_labelled_by_try(tmp_path: Path) -> None:
    store = Store(tmp_path)
    attempt = store.attempt(typed_twice(store))
    assert attempt is not None
    record = build_record(store, attempt, load_scenario(MINI))
    markdown = to_markdown(record)
    path, explorations = markdown.split(f"## {EXPLORATIONS_HEADING}")
    assert "Your own words first: hello there stan" in path
    assert "Hi Sam, welcome" not in path
    assert f"({EXPLORATION_LABEL})" in explorations
    assert "Your own words first: Hi Sam, welcome" in explorations
    html = to_html(record)
    assert "hello there stan" in html and "Hi Sam, welcome" in html
    rows = list(csv.DictReader(io.StringIO(rows_csv(step_rows(store, [attempt])))))
    assert [r["own_words"] for r in rows] == ["hello there stan", "Hi Sam, welcome"]
