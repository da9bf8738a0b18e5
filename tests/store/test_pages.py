"""Reading history a page at a time (``Store.scenario_stats``, ``attempt_page``,
``steps_of``, ``reflections_of``, ``step_counts``) gives exactly what reading every attempt
in full gives: the same attempts in the same order across pages, the same latest and best
per scenario, the same steps and reflections."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_kit import random_history

from roleplay.session import FeedbackTiming
from roleplay.session.history import attempts_at, page
from roleplay.session.review import best_attempt, group_attempts, load_all, scores_of, tries
from roleplay.store import Store


@pytest.mark.parametrize("size", [1, 7, 40, 100])
def test_pages_hold_every_attempt_once_in_the_grouped_order(tmp_path: Path, size: int) -> None:
    store = random_history(tmp_path / "home", 157)
    everything = load_all(store)
    groups = group_attempts((s.attempt for s in everything), scores_of(everything))
    expected = [attempt.id for group in groups for attempt in group.attempts]
    full = {s.attempt.id: s for s in everything}
    read: list[int] = []
    offset = 0
    while chunk := page(store, offset, size):
        assert len(chunk) <= size
        for saved in chunk:
            assert saved.steps == full[saved.attempt.id].steps
            assert saved.reflections == full[saved.attempt.id].reflections
            assert saved.attempt == full[saved.attempt.id].attempt
        read += [saved.attempt.saved_id() for saved in chunk]
        offset += size
    assert read == expected
    assert len(set(read)) == 157
    assert page(store, 157, size) == []


def test_scenario_figures_agree_with_the_full_read(tmp_path: Path) -> None:
    for seed in range(4):
        store = random_history(tmp_path / f"home-{seed}", 90, seed=seed)
        everything = load_all(store)
        scores = scores_of(everything)
        groups = group_attempts((s.attempt for s in everything), scores)
        stats = store.scenario_stats()
        assert [figures.scenario_id for figures in stats] == [g.scenario_id for g in groups]
        for figures, group in zip(stats, groups, strict=True):
            assert figures.attempts == len(group.attempts)
            assert figures.finished == sum(1 for a in group.attempts if a.finished)
            assert figures.latest_id == group.latest.id
            assert figures.latest_started == group.latest.started_at
            best = best_attempt(group.attempts, scores)
            assert figures.best_id == (best.id if best else None)
            assert figures.best_score == (group.score(best) if best else None)
        counts = store.step_counts()
        for saved in everything:
            split = tries(saved.steps)
            got = counts.get(saved.attempt.saved_id(), (0, 0))
            assert got == (len(split.scored), len(split.explorations))
        assert store.scenario_ids() == {g.scenario_id for g in groups}


def test_a_tie_for_best_goes_to_the_latest(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    made = []
    for _ in range(3):
        attempt = store.start_attempt(
            scenario_id="s",
            scenario_path="s.yaml",
            scenario_digest="d",
            scenario_version="1",
            feedback_timing=FeedbackTiming.IMMEDIATE,
            write_first=False,
        )
        for after, exploration in ((55, False), (90, True)):
            # An exploration after going back does not count: the first try's 55 does.
            store.add_choice(
                attempt,
                node_id="n",
                option_id="o",
                own_words=None,
                trust_before=40,
                trust_after=after,
                flags=[],
                ruptures={},
                exploration=exploration,
                rating="builds-trust",
            )
        made.append(attempt)
    store.finish_attempt(made[0], "end", 90)
    store.finish_attempt(made[1], "end", 90)
    (figures,) = store.scenario_stats()
    assert (figures.best_id, figures.best_score) == (made[1], 55)
    assert (figures.attempts, figures.finished, figures.latest_id) == (3, 2, made[2])


def test_attempts_at_one_scenario_come_with_their_steps(tmp_path: Path) -> None:
    store = random_history(tmp_path / "home", 60)
    full = {s.attempt.id: s for s in load_all(store)}
    listed = attempts_at(store, "scenario-1")
    assert [s.attempt.id for s in listed] == [
        a.id for a in store.attempts() if a.scenario_id == "scenario-1"
    ]
    assert all(s.steps == full[s.attempt.id].steps for s in listed)


def test_reading_an_empty_history_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = Store(home)
    assert store.scenario_stats() == []
    assert page(store, 0, 10) == []
    assert store.steps_of([1, 2]) == {1: [], 2: []}
    assert store.reflections_of([]) == {}
    assert store.step_counts() == {} and store.scenario_ids() == set()
    assert not home.exists()


def test_unfinished_attempts_are_read_alone_newest_first(tmp_path: Path) -> None:
    store = random_history(tmp_path / "home", 40)
    expected = [a for a in store.attempts() if not a.finished]
    assert 0 < len(expected) < 40
    assert store.unfinished() == expected
    assert Store(tmp_path / "nothing").unfinished() == []
