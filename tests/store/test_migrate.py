"""A history database of the previous schema (3) is brought up to date on opening without
losing anything, and the score kept on each attempt (schema 4) is what its steps say."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from history_kit import random_history

from roleplay.session.review import best_attempt, group_attempts, load_all, scores_of, tries
from roleplay.store import FeedbackTiming, Store
from roleplay.store.db import DB_NAME
from roleplay.store.schema import SCHEMA_VERSION, migrate

_TABLES = ("attempts", "steps", "reflections", "drafts")


def _previous_schema_copy(source: Path, home: Path) -> Path:
    """A copy of ``source``'s rows in a database of schema 3, as roleplay 3 wrote it."""
    home.mkdir()
    old = sqlite3.connect(home / DB_NAME, isolation_level=None)
    migrate(old, target=3)
    old.execute("ATTACH DATABASE ? AS new", (str(source),))
    for table in _TABLES:
        columns = [row[1] for row in old.execute(f"PRAGMA main.table_info({table})")]
        names = ", ".join(columns)
        old.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM new.{table}")
    old.execute("DETACH DATABASE new")
    old.close()
    return home / DB_NAME


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order, without the columns schema 4 added."""
    db = sqlite3.connect(path)
    found = {}
    for table in _TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        names = ", ".join(c for c in columns if c != "score")
        found[table] = db.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
    db.close()
    return found


def test_a_previous_schema_database_is_upgraded_and_keeps_every_row(tmp_path: Path) -> None:
    store = random_history(tmp_path / "now", 60, seed=11)
    store.save_draft(store.attempts()[0].saved_id(), 2, "node-1", "words first")
    store.close()
    path = _previous_schema_copy(store.path, tmp_path / "old")
    before = _dump(path)
    assert len(before["steps"]) > 300 and before["reflections"] and before["drafts"]
    upgraded = Store(tmp_path / "old")
    assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert _dump(path) == before
    # Each attempt's score is now what its steps say, exactly as a store of schema 4
    # kept it while the choices were made.
    everything = load_all(upgraded)
    kept = dict(upgraded.db.execute("SELECT id, score FROM attempts").fetchall())
    assert kept == {s.attempt.saved_id(): tries(s.steps).trust for s in everything}
    fresh = sqlite3.connect(store.path)
    assert kept == dict(fresh.execute("SELECT id, score FROM attempts").fetchall())
    fresh.close()
    assert None in kept.values()  # an attempt with no first try yet has no score
    # And the history's figures agree with reading every attempt in full.
    scores = scores_of(everything)
    groups = group_attempts((s.attempt for s in everything), scores)
    for figures, group in zip(upgraded.scenario_stats(), groups, strict=True):
        best = best_attempt(group.attempts, scores)
        assert figures.best_id == (best.id if best else None)
        assert figures.best_score == (group.score(best) if best else None)


def test_an_exploration_after_going_back_does_not_change_the_score(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    attempt = store.start_attempt(
        scenario_id="s",
        scenario_path="s.yaml",
        scenario_digest="d",
        scenario_version="1",
        feedback_timing=FeedbackTiming.IMMEDIATE,
        write_first=False,
    )

    def score() -> object:
        return store.db.execute("SELECT score FROM attempts WHERE id = ?", (attempt,)).fetchone()[0]

    def choose(trust: int, *, exploration: bool) -> None:
        store.add_choice(
            attempt,
            node_id="n",
            option_id="o",
            own_words=None,
            trust_before=40,
            trust_after=trust,
            flags=[],
            ruptures={},
            exploration=exploration,
            rating="builds-trust",
        )

    assert score() is None
    choose(44, exploration=False)
    choose(47, exploration=False)
    store.add_rewind(attempt, to_step=1, node_id="n", trust=44)
    choose(90, exploration=True)
    assert score() == 47 == tries(store.steps(attempt)).trust
