"""The one rule for first tries and explorations (``review.tries``): the first try at each
decision is scored, a choice made after going back is listed as an exploration, and
"best" is the highest trust after the first tries; the exports number and label the same
way."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import history_kit

from roleplay.core.loader import load_scenario
from roleplay.session.export import build_record, rows_csv, step_rows, to_html, to_markdown
from roleplay.session.review import (
    EXPLORATION_LABEL,
    best_attempt,
    group_attempts,
    load_all,
    scores_of,
    tries,
)
from roleplay.store import Store
from roleplay.store.records import Step

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


def play(store: Store, *moves: str | int) -> int:
    """Save an attempt at mini.yaml (see ``history_kit.play``)."""
    return history_kit.play(store, load_scenario(MINI), *moves)


def explored(store: Store) -> int:
    """Warm first (trust 50); back to the start and wrong-name (an exploration); then
    repair, the first try at the second decision (-> 37, the ending)."""
    return play(store, "warm", 0, "wrong-name", "repair")


def step(seq: int, option: str, before: int, after: int, *, explored: bool = False) -> Step:
    return Step(
        seq=seq,
        kind="choose",
        node_id=f"n{seq}",
        option_id=option,
        own_words=None,
        trust_before=before,
        trust_after=after,
        flags=[],
        ruptures={},
        exploration=explored,
        rating="builds-trust",
        at="2026-03-01T10:00:00+00:00",
        rewind_to=None,
        option_text=None,
    )


def rewind(seq: int, to: int) -> Step:
    return replace(step(seq, "", 0, 0), kind="rewind", rewind_to=to)


def test_the_first_try_is_scored_and_the_exploration_listed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    attempt = explored(store)
    split = tries(store.steps(attempt))
    assert [s.option_id for s in split.scored] == ["warm", "repair"]
    assert [s.option_id for s in split.explorations] == ["wrong-name"]
    assert split.trust == 37


def test_an_exploration_at_the_end_does_not_count(tmp_path: Path) -> None:
    steps = [step(0, "a", 40, 50), step(1, "b", 50, 55), rewind(2, 1)]
    steps.append(step(3, "c", 50, 60, explored=True))
    split = tries(steps)
    assert [s.option_id for s in split.scored] == ["a", "b"]
    assert [s.option_id for s in split.explorations] == ["c"]
    assert split.trust == 55  # not 60, where the exploration left it


def test_no_going_back_means_no_explorations(tmp_path: Path) -> None:
    store = Store(tmp_path)
    split = tries(store.steps(play(store, "warm", "carry-on")))
    assert [s.option_id for s in split.scored] == ["warm", "carry-on"]
    assert split.explorations == [] and split.trust == 45
    assert tries([]).trust is None


def test_best_is_the_highest_trust_over_scored_steps(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = play(store, "warm", "carry-on")  # 45
    second = play(store, "wrong-name", "repair")  # 37
    saved = load_all(store)
    by_id = {s.attempt.saved_id(): s for s in saved}
    # The first attempt's scored trust stays 45 even if an exploration ended it higher.
    by_id[first].steps.extend([rewind(9, 1), step(10, "ask", 50, 55, explored=True)])
    with store.db:
        store.db.execute("UPDATE attempts SET final_trust = 55 WHERE id = ?", (first,))
    attempts = store.attempts()
    scores = scores_of(saved)
    assert scores == {first: 45, second: 37}
    best = best_attempt(attempts, scores)
    assert best is not None and best.id == first
    store.db.execute("UPDATE attempts SET final_trust = 30 WHERE id = ?", (first,))
    attempts = store.attempts()
    assert best_attempt(attempts).id == second  # type: ignore[union-attr]  # saved trust
    best = best_attempt(attempts, scores)
    assert best is not None and best.id == first  # the first tries' trust decides
    (group,) = group_attempts(attempts, scores)
    assert group.best is not None and group.best.id == first
    assert group.score(group.best) == 45


def test_exports_number_the_first_tries_and_label_explorations(tmp_path: Path) -> None:
    store = Store(tmp_path)
    attempt = store.attempt(explored(store))
    assert attempt is not None
    record = build_record(store, attempt, load_scenario(MINI))
    markdown = to_markdown(record)
    path, explorations = markdown.split("## Explorations after going back (not scored)")
    assert "1. " in path and "2. " in path and "\n3. " not in path
    assert "Welcome, Sam." in path and "Welcome, Stan." not in path
    assert f"- Harmful (!!) Welcome, Stan. ({EXPLORATION_LABEL})" in explorations
    page = to_html(record)
    assert page.count(f"({EXPLORATION_LABEL})") == 1
    rows = list(csv.DictReader(io.StringIO(rows_csv(step_rows(store, [attempt])))))
    assert [r["option_id"] for r in rows] == ["warm", "wrong-name", "repair"]
    assert [r["seq"] for r in rows] == ["1", "2", "3"]  # no gap for the rewind
    assert [r["decision"] for r in rows] == ["1", "", "2"]
    assert [r["exploration"] for r in rows] == ["False", "True", "False"]
