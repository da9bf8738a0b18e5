"""The application layer without any front end: recording an attempt, feedback timing as
an enum down to the database, the engine's own saved form, and the history service."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from history_kit import OnStore, Recorder

from roleplay.core.engine import Chose, Engine, Rewound
from roleplay.core.loader import load_scenario
from roleplay.session import (
    Attempt,
    FeedbackTiming,
    History,
    Journal,
    Outcome,
    PracticeOptions,
    StoreHistory,
    StoreNow,
    StoreThread,
)
from roleplay.session.review import events, replay
from roleplay.store import Store
from roleplay.store.db import DB_NAME

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"


def play_mini(journal: Journal, options: PracticeOptions) -> tuple[Attempt, Engine]:
    """Play mini through a journal: a harmful choice, back, then the good path to the end."""
    loaded = load_scenario(MINI)
    attempt = journal.begin(loaded, options)
    engine = Engine(loaded.scenario)
    journal.chose(attempt, engine, engine.choose("wrong-name"))
    engine.rewind(0)
    journal.rewound(attempt, engine, 0)
    journal.wrote(attempt, 0, "hello", "Welcome, Sam.")
    journal.chose(attempt, engine, engine.choose("warm", "Welcome, Sam."))
    journal.chose(attempt, engine, engine.choose("ask"))
    journal.finish(attempt, engine)
    journal.reflect(attempt, "What did you notice?", "The name matters.")
    return attempt, engine


@pytest.mark.parametrize("runner", [StoreNow, StoreThread])
def test_an_attempt_is_saved_event_by_event_and_replays(tmp_path: Path, runner: type) -> None:
    run = runner(tmp_path / "home")
    attempt, engine = play_mini(
        Journal(StoreHistory(run)), PracticeOptions(FeedbackTiming.AT_END, write_first=True)
    )
    run.close()
    store = Store(tmp_path / "home")
    (saved,) = store.attempts()
    assert saved.id == attempt.id is not None
    assert saved.finished and saved.ending_id == attempt.ending_id == engine.ending.id  # type: ignore[union-attr]
    assert saved.final_trust == attempt.final_trust == engine.trust
    assert saved.options == PracticeOptions(FeedbackTiming.AT_END, write_first=True)
    steps = store.steps(saved.saved_id())
    assert [(s.kind, s.option_id) for s in steps] == [
        ("choose", "wrong-name"),
        ("rewind", ""),
        ("choose", "warm"),
        ("choose", "ask"),
    ]
    # The engine rebuilt from the steps is the engine that was played.
    assert events(steps) == engine.events
    assert replay(load_scenario(MINI), steps).to_state() == engine.to_state()
    assert [(r.prompt, r.answer) for r in store.reflections(saved.saved_id())] == [
        ("What did you notice?", "The name matters.")
    ]


def test_the_engine_owns_its_saved_form() -> None:
    scenario = load_scenario(MINI).scenario
    engine = Engine(scenario)
    engine.choose("wrong-name", "Hi Stan")
    engine.rewind()
    engine.choose("warm")
    assert engine.events == [Chose("wrong-name", "Hi Stan"), Rewound(0), Chose("warm")]
    again = Engine.replay(scenario, engine.events)
    assert again.to_state() == engine.to_state()
    assert Engine.from_state(scenario, engine.to_state()).events == engine.events
    assert not hasattr(Store, "engine_state")  # the store no longer rewrites the format


def test_feedback_timing_is_an_enum_down_to_the_database(tmp_path: Path) -> None:
    store = Store(tmp_path)
    recorder = Recorder.begin(store, load_scenario(MINI), feedback_timing=FeedbackTiming.AT_END)
    recorder.reflection("Q?", "A.")
    raw = sqlite3.connect(tmp_path / DB_NAME)
    assert raw.execute("SELECT feedback_timing FROM attempts").fetchall() == [("end",)]
    # Older and odd spellings read back as something a learner can use.
    raw.execute("UPDATE attempts SET feedback_timing = 'at-end'")
    raw.commit()
    assert store.attempts()[0].feedback_timing is FeedbackTiming.AT_END
    raw.execute("UPDATE attempts SET feedback_timing = 'sometimes'")
    raw.commit()
    raw.close()
    assert store.attempts()[0].feedback_timing is FeedbackTiming.IMMEDIATE


def test_a_failure_to_save_is_reported_once_and_the_attempt_goes_on(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    problems: list[str] = []
    run = StoreNow(blocked)
    attempt, _ = play_mini(Journal(StoreHistory(run, problems.append)), PracticeOptions())
    run.close()
    assert len(problems) == 1 and "data folder" in problems[0]
    assert attempt.problem == problems[0] and attempt.id is None
    assert attempt.outcome is Outcome.FINISHED and attempt.reflections  # kept in memory
    assert not Journal(StoreHistory(run)).keeps(attempt)


def test_adopting_a_saved_attempt_leaves_the_record_as_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    recorder = Recorder.begin(store, load_scenario(MINI))
    engine = Engine(recorder.attempt.loaded.scenario)  # type: ignore[union-attr]
    recorder.turn(engine, engine.choose("warm"))
    saved = store.attempts()[0]
    journal = Journal()
    adopted = journal.adopt(saved, load_scenario(MINI), engine=engine, reflections={"Q": "A"})
    journal.reflect(adopted, "R", "B")
    assert adopted.id == saved.id and adopted.reflections == {"Q": "A", "R": "B"}
    assert saved.reflections == {} and saved.loaded is None
    assert adopted.engine_state == engine.to_state()


def test_the_history_service_lists_opens_exports_sets_aside_and_deletes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    history = History(StoreNow(home))
    assert history.check().result() == [] and not home.exists()  # reading creates nothing
    assert history.load_all().result() == []
    store = Store(home)
    loaded = load_scenario(MINI)
    unfinished = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    unfinished.turn(engine, engine.choose("warm"))
    (listed,) = history.load_all().result()
    assert listed.attempt.id == unfinished.attempt_id and len(listed.steps) == 1
    opened = history.open(listed.attempt, []).result()  # found again at its saved path
    assert opened.engine is not None and opened.engine.node.id == "middle"
    offered = history.pending([]).result()
    assert offered is not None and offered.attempt.id == unfinished.attempt_id
    resumed = history.resume_latest(loaded).result()
    assert resumed is not None and resumed.engine is not None
    path = history.export_markdown(listed.attempt, loaded, tmp_path / "exports").result()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "Welcome, Sam." in path.read_text()
    history.set_aside(listed.attempt).result()
    assert history.pending([]).result() is None  # set aside: no longer offered
    assert history.delete(listed.attempt).result() is True
    assert history.delete(listed.attempt).result() is False
    assert history.load_all().result() == []


def test_a_runner_hands_back_a_job_s_exception(tmp_path: Path) -> None:
    def broken(store: Store) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    for runner in (StoreNow(tmp_path), OnStore(Store(tmp_path))):
        with pytest.raises(sqlite3.OperationalError):
            runner.submit(broken).result()
