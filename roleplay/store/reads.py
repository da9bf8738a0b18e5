"""Reading history a page at a time: the figures of every scenario in one query, and
attempts in the history list's order with their steps and reflections, a page at once.

The history screen reads these so that 10,000 attempts paint as fast as 100: only the
attempts on screen (and a page ahead) are read, with two queries per page instead of two
per attempt. ``Store`` inherits them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from roleplay.store.records import Attempt, FeedbackTiming, Outcome, Reflection, Step


@dataclass(frozen=True)
class ScenarioStats:
    """One scenario's attempts in figures: how many, the latest and the best."""

    scenario_id: str
    attempts: int
    finished: int
    latest_id: int
    latest_started: str
    best_id: int | None
    """The finished attempt with the highest trust after its first tries (the latest of
    equals), as ``session.review.best_attempt`` chooses it."""
    best_score: int | None


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    """An attempt from its row."""
    return Attempt(
        id=row["id"],
        scenario_id=row["scenario_id"],
        scenario_path=row["scenario_path"],
        scenario_digest=row["scenario_digest"],
        scenario_version=row["scenario_version"],
        feedback_timing=_timing(row["feedback_timing"]),
        write_first=bool(row["write_first"]),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        ending_id=row["ending_id"],
        final_trust=row["final_trust"],
        set_aside_at=row["set_aside_at"],
        outcome=Outcome.FINISHED if row["finished_at"] is not None else Outcome.IN_PROGRESS,
    )


def _timing(value: str) -> FeedbackTiming:
    try:
        return FeedbackTiming(value)
    except ValueError:  # written by hand or by a newer roleplay: the default is safe
        return FeedbackTiming.IMMEDIATE


def step_from_row(row: sqlite3.Row) -> Step:
    """A saved step from its row."""
    return Step(
        seq=row["seq"],
        kind=row["kind"],
        node_id=row["node_id"],
        option_id=row["option_id"],
        own_words=row["own_words"],
        trust_before=row["trust_before"],
        trust_after=row["trust_after"],
        flags=json.loads(row["flags"]),
        ruptures=json.loads(row["ruptures"]),
        exploration=bool(row["exploration"]),
        rating=row["rating"],
        at=row["at"],
        rewind_to=row["rewind_to"],
        option_text=row["option_text"],
    )


class PagedReads:
    """The page-at-a-time reads (mixed into ``Store``)."""

    def _reader(self) -> sqlite3.Connection | None:
        raise NotImplementedError  # Store's

    def scenario_stats(self) -> list[ScenarioStats]:
        """Every scenario with attempts, most recently practised first (one query)."""
        db = self._reader()
        if db is None:
            return []
        cursor = db.cursor()
        cursor.row_factory = None  # plain tuples: no per-row mapping object
        # ``score`` is the trust after each attempt's last first try, kept on the attempt
        # as each choice is saved (``session.review.Tries.trust``; schema 4).
        rows = cursor.execute(
            "SELECT id, scenario_id, started_at, finished_at IS NOT NULL, score "
            "FROM attempts ORDER BY id DESC"
        ).fetchall()
        cursor.close()
        # Plain lists while counting (a dataclass per row made this 3x slower at 10,000).
        counts: dict[str, list[Any]] = {}
        for attempt_id, scenario_id, started, done, score in rows:
            figures = counts.get(scenario_id)
            if figures is None:  # newest first: a scenario's first row is its latest
                figures = counts[scenario_id] = [0, 0, attempt_id, started, None, None]
            figures[0] += 1
            if done:
                figures[1] += 1
                # Newest first, so a later equal never replaces the latest of equals.
                if score is not None and (figures[5] is None or score > figures[5]):
                    figures[4], figures[5] = attempt_id, score
        return [ScenarioStats(scenario_id, *figures) for scenario_id, figures in counts.items()]

    def attempt_page(self, offset: int, limit: int) -> list[Attempt]:
        """Attempts ``offset`` to ``offset + limit`` in the history list's order: the
        scenario practised most recently first, then each scenario's attempts newest first
        (as ``session.review.group_attempts`` groups them)."""
        db = self._reader()
        if db is None:
            return []
        # Each scenario's attempts are counted from the index, and only the scenarios the
        # page reaches are read, each from its index in order: a page at 10,000 attempts
        # no longer sorts all of them (9 ms -> 1 ms).
        groups = db.execute(
            "SELECT scenario_id, COUNT(*) FROM attempts GROUP BY scenario_id ORDER BY MAX(id) DESC"
        ).fetchall()
        found: list[Attempt] = []
        start = 0
        for scenario_id, count in groups:
            if len(found) >= limit:
                break
            if start + count > offset:
                rows = db.execute(
                    "SELECT * FROM attempts WHERE scenario_id = ? "
                    "ORDER BY id DESC LIMIT ? OFFSET ?",
                    (scenario_id, limit - len(found), max(0, offset - start)),
                )
                found += [attempt_from_row(row) for row in rows.fetchall()]
            start += count
        return found

    def steps_of(self, attempt_ids: Sequence[int]) -> dict[int, list[Step]]:
        """The saved steps of several attempts, each in order (one query)."""
        found: dict[int, list[Step]] = {attempt_id: [] for attempt_id in attempt_ids}
        db = self._reader()
        if db is None or not attempt_ids:
            return found
        marks = ", ".join("?" * len(attempt_ids))
        rows = db.execute(
            f"SELECT * FROM steps WHERE attempt_id IN ({marks}) ORDER BY attempt_id, seq",
            tuple(attempt_ids),
        )
        for row in rows.fetchall():
            found[row["attempt_id"]].append(step_from_row(row))
        return found

    def reflections_of(self, attempt_ids: Sequence[int]) -> dict[int, list[Reflection]]:
        """The reflections of several attempts, each in the order first written."""
        found: dict[int, list[Reflection]] = {attempt_id: [] for attempt_id in attempt_ids}
        db = self._reader()
        if db is None or not attempt_ids:
            return found
        marks = ", ".join("?" * len(attempt_ids))
        rows = db.execute(
            f"SELECT attempt_id, prompt, answer, at FROM reflections "
            f"WHERE attempt_id IN ({marks}) ORDER BY id",
            tuple(attempt_ids),
        )
        for row in rows.fetchall():
            found[row["attempt_id"]].append(Reflection(row["prompt"], row["answer"], row["at"]))
        return found

    def step_counts(self) -> dict[int, tuple[int, int]]:
        """For every attempt: its first tries (scored) and its explorations, counted."""
        db = self._reader()
        if db is None:
            return {}
        rows = db.execute(
            "SELECT attempt_id, SUM(exploration = 0), SUM(exploration != 0) FROM steps "
            "WHERE kind = 'choose' GROUP BY attempt_id"
        )
        return {attempt_id: (scored, explored) for attempt_id, scored, explored in rows}

    def scenario_ids(self) -> set[str]:
        """Every scenario with at least one attempt."""
        db = self._reader()
        if db is None:
            return set()
        return {row[0] for row in db.execute("SELECT DISTINCT scenario_id FROM attempts")}
