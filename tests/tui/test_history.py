"""History in the app: every event saved as it happens, resume on launch (and when the
scenario has changed), the history screen, past debriefs, compare, export and delete; SVG
snapshots of the history screen and the compare view."""

from __future__ import annotations

import shutil
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from history_kit import Recorder
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea
from tui_helpers import MINI, RAMP, into_history, make_app, press, ready, record_notes, screen_text

from roleplay.core.engine import Engine
from roleplay.core.loader import load_scenario
from roleplay.session.review import best_attempt, compare, final_path
from roleplay.settings import Settings
from roleplay.store import Store
from roleplay.store.db import DB_NAME
from roleplay.tui.app import RoleplayApp
from roleplay.tui.screens.briefing import BriefingScreen
from roleplay.tui.screens.compare import AttemptPicker, CompareScreen, PairView
from roleplay.tui.screens.debrief import DebriefScreen, Reflection
from roleplay.tui.screens.dialogs import ConfirmDialog, HelpDialog
from roleplay.tui.screens.history import HistoryScreen
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.screens.resume import ChoiceDialog
from roleplay.tui.screens.saved_attempt import SavedDebriefScreen, SavedRecordScreen
from roleplay.tui.widgets.answer_area import Phase

MakeSettings = Callable[..., Settings]
SnapCompare = Callable[..., bool]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]
NOTICED = {"What did you notice?": "I slowed down."}


# -- helpers ---------------------------------------------------------------------------
async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10) -> None:
    """Let the app run until ``condition()`` holds (a dialog waiting for an answer keeps a
    worker busy, so ``ready`` cannot be used then)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
    await pilot.pause()  # and let the screen draw it


def saved_store(app: RoleplayApp) -> Store:
    """A fresh connection to the app's database, after every queued write has run."""
    app.store.flush()
    return Store(app.settings.data_dir)


def record(
    store: Store,
    path: Path,
    choices: list[str],
    *,
    finish: bool = True,
    reflections: dict[str, str] | None = None,
) -> int:
    """Save an attempt made of these option ids, as the app would."""
    loaded = load_scenario(path)
    recorder = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    for choice in choices:
        recorder.turn(engine, engine.choose(choice), finish_at_end=finish)
    for prompt, answer in (reflections or {}).items():
        recorder.reflection(prompt, answer)
    return recorder.attempt_id


def set_times(store: Store, attempt_id: int, started: str, finished: str | None = None) -> None:
    with store.db:
        store.db.execute(
            "UPDATE attempts SET started_at = ?, finished_at = CASE WHEN finished_at IS NULL "
            "THEN NULL ELSE ? END WHERE id = ?",
            (started, finished, attempt_id),
        )


def seed(data_dir: Path) -> None:
    """Four attempts with fixed times: mini #1 (finished, a reflection); the side door #2
    (unfinished), #3 and #4 (finished; the same first choice, then they split)."""
    store = Store(data_dir)
    first = record(store, MINI, ["warm", "ask"], reflections=NOTICED)
    set_times(store, first, "2026-03-02T09:15:00+00:00", "2026-03-02T09:21:00+00:00")
    second = record(store, RAMP, ["own-it"], finish=False)
    set_times(store, second, "2026-03-05T14:00:00+00:00")
    third = record(store, RAMP, ["reassure", "assume", "repair"])
    set_times(store, third, "2026-03-09T10:30:00+00:00", "2026-03-09T10:42:00+00:00")
    fourth = record(store, RAMP, ["reassure", "her-words", "plan"])
    set_times(store, fourth, "2026-03-12T16:05:00+00:00", "2026-03-12T16:20:00+00:00")
    store.close()


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Show saved times in UTC, so pictures do not depend on the machine's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def play_mini(pilot: Pilot[Any], *keys: str) -> None:
    """From the library: open mini's briefing, begin, and press the keys."""
    await press(pilot, "enter", "enter", *keys)


# -- pure review functions ----------------------------------------------------------------
def test_path_best_and_split_from_saved_steps(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    loaded = load_scenario(MINI)
    recorder = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    recorder.turn(engine, engine.choose("wrong-name"))
    engine.rewind()
    recorder.rewind(engine, 0)
    recorder.turn(engine, engine.choose("warm"))
    recorder.turn(engine, engine.choose("ask"))
    steps = store.steps(recorder.attempt_id)
    assert [s.option_id for s in final_path(steps)] == ["warm", "ask"]
    other = record(store, MINI, ["warm", "carry-on"])
    comparison = compare(final_path(steps), final_path(store.steps(other)), 40)
    assert comparison.split == 2 and comparison.shared == 1
    assert comparison.left_trust == [40, 50, 55] and comparison.right_trust == [40, 50, 45]
    best = best_attempt(store.attempts())
    assert best is not None and best.id == recorder.attempt_id  # 55 beats 45


# -- saving as it happens ----------------------------------------------------------------
async def test_every_choice_rewind_and_words_are_saved_as_they_happen(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert not app.settings.data_dir.exists()  # nothing is created before a write
        await press(pilot, "enter", "w", "enter")  # write-first
        practice = app.screen
        assert isinstance(practice, PracticeScreen)

        async def typed(words: str, number: str) -> None:
            """Type words, then (past the proposal, via "show all") choose an option."""
            practice.query_one("#own-words").value = words  # type: ignore[attr-defined]
            await press(pilot, "enter")
            for _ in range(400):  # the proposal is found in a thread
                if practice.phase in (Phase.PROPOSE, Phase.CHOOSE):
                    break
                await pilot.pause()
            if practice.phase is Phase.PROPOSE:
                assert practice.proposal is not None
                await press(pilot, str(len(practice.proposal.offered) + 1))  # show all
            assert practice.phase is Phase.CHOOSE
            await press(pilot, number)

        await typed("Hi Sam", "2")  # harmful
        store = saved_store(app)
        (attempt,) = store.attempts()
        assert attempt.write_first
        await press(pilot, "u")  # back
        steps = saved_store(app).steps(attempt.saved_id())
        assert [(s.kind, s.option_id, s.own_words) for s in steps] == [
            ("choose", "wrong-name", "Hi Sam"),
            ("rewind", "", None),
        ]
        assert saved_store(app).draft(attempt.saved_id()) is None
        practice.query_one("#own-words").value = ""  # type: ignore[attr-defined]
        await typed("Welcome", "1")
        await press(pilot, "enter")
        await typed("And now?", "2")
        await press(pilot, "enter")
        assert practice.phase is Phase.ENDED
        assert not saved_store(app).attempt(attempt.saved_id()).finished  # type: ignore[union-attr]
        await press(pilot, "enter")  # the debrief: now it is finished
        assert isinstance(app.screen, DebriefScreen)
        done = saved_store(app).attempt(attempt.saved_id())
        assert done is not None and done.finished and done.ending_id == "good"
        assert done.final_trust == 55


async def test_reflections_typed_in_the_debrief_are_in_the_store_immediately(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await play_mini(pilot, "1", "enter", "2", "enter", "enter")
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        area = debrief.query(Reflection).first().query_one(TextArea)
        area.focus()
        await pilot.pause()
        await press(pilot, "c", "a", "l", "m")
        # No leaving the box, no leaving the screen: already saved.
        (attempt,) = saved_store(app).attempts()
        saved = {r.prompt: r.answer for r in saved_store(app).reflections(attempt.saved_id())}
        assert saved == {"How are you feeling after this conversation?": "calm"}
        area.text = ""  # emptied: removed
        await pilot.pause()
        assert saved_store(app).reflections(attempt.saved_id()) == []


async def test_an_unusable_store_says_this_session_is_not_being_saved(
    settings: MakeSettings, tmp_path: Path
) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    app = make_app(settings(MINI))
    notes = record_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await play_mini(pilot, "1")
        await until(pilot, lambda: any("not being saved" in text for text, _ in notes))
        text, severity = next(n for n in notes if "not being saved" in n[0])
        assert severity == "error" and "cannot create the data folder" in text
        # The session goes on as if nothing happened.
        await press(pilot, "enter", "2", "enter", "enter")
        assert isinstance(app.screen, DebriefScreen)
        assert sum("not being saved" in text for text, _ in notes) == 1  # said once


async def test_a_damaged_database_moved_aside_is_announced_at_start(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    made.data_dir.mkdir()
    (made.data_dir / DB_NAME).write_bytes(b"not a database\x00" * 200)
    app = make_app(made)
    notes = record_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: notes)
        text, severity = notes[0]
        assert severity == "warning" and "could not be read" in text and "damaged" in text
        assert [p for p in made.data_dir.iterdir() if ".damaged-" in p.name]


# -- resume ------------------------------------------------------------------------------
async def test_the_resume_offer_on_launch_resumes_at_the_right_node(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    store = Store(made.data_dir)
    attempt_id = record(store, MINI, ["wrong-name"], finish=False)
    store.close()
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        text = screen_text(app)
        assert "Carry on where you left off?" in text
        assert "“A small test scenario” (Sam)" in text and "1 choice so far, trust 25" in text
        for answer in ("Resume", "Set aside", "Not now"):
            assert answer in text
        await press(pilot, "r")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.engine.node.id == "middle" and practice.engine.step == 1
        assert practice.phase is Phase.CHOOSE
        text = screen_text(app)
        assert "Welcome, Stan." in text and "It's Sam, actually." in text
        assert "Resumed where you left off. 1 choice so far." in text
        await press(pilot, "1")  # the repair is on offer: the rupture was restored
        assert practice.engine.log[-1].option_id == "repair"
        steps = saved_store(app).steps(attempt_id)  # the same attempt goes on
        assert [s.option_id for s in steps] == ["wrong-name", "repair"]
        assert len(saved_store(app).attempts()) == 1


async def test_set_aside_keeps_the_attempt_and_stops_offering_it(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    attempt_id = record(Store(made.data_dir), MINI, ["warm"], finish=False)
    app = make_app(made)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "Start fresh later" not in screen_text(app)  # it never started anything
        await press(pilot, "s")
        assert isinstance(app.screen, LibraryScreen)
        kept = saved_store(app).attempt(attempt_id)
        assert kept is not None and kept.set_aside and not kept.finished
    app = make_app(made)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen)  # not offered again


async def test_a_changed_scenario_says_so_clearly_and_keeps_the_attempt(
    settings: MakeSettings, tmp_path: Path
) -> None:
    scenario = tmp_path / "s" / "mini.yaml"
    scenario.parent.mkdir()
    shutil.copy(MINI, scenario)
    made = settings(scenario)
    attempt_id = record(Store(made.data_dir), scenario, ["wrong-name"], finish=False)
    scenario.write_text(MINI.read_text().replace("id: wrong-name", "id: wrong-name-2"))
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert dialog.title_text == "This attempt no longer fits the scenario"
        message = str(dialog.message)
        assert "The scenario file has changed since, so its saved path no longer fits" in message
        assert "It is kept in your history" in message
        assert "option 'wrong-name' is not on offer" in dialog.note
        assert "Start afresh" in screen_text(app)
        await press(pilot, "f")
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        kept = saved_store(app).attempt(attempt_id)
        assert kept is not None and kept.set_aside
        assert [s.option_id for s in saved_store(app).steps(attempt_id)] == ["wrong-name"]
        # Its record is still readable from the history, with a clear note.
        await press(pilot, "escape", "h")
        await ready(pilot)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SavedRecordScreen))
        text = " ".join(screen_text(app).split())
        assert "Scenario changed" in text and "Welcome, Stan." in text


async def test_play_resume_opens_the_named_scenarios_unfinished_attempt(
    settings: MakeSettings,
) -> None:
    made = settings(MINI, RAMP)
    record(Store(made.data_dir), RAMP, ["own-it"], finish=False)
    record(Store(made.data_dir), MINI, ["warm"], finish=False)
    app = make_app(made, scenario=str(RAMP), resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.loaded.scenario.id == "fixture-ramp"
        assert practice.engine.node.id == "why-here"
    app = make_app(settings(MINI), scenario="mini", resume=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))


# -- the history screen ------------------------------------------------------------------
async def test_history_lists_attempts_after_playing(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await play_mini(pilot, "1", "enter", "2", "enter", "enter", "escape", "l", "y")  # 55
        await play_mini(pilot, "2", "enter", "1", "enter", "enter", "escape", "l", "y")  # 37
        await play_mini(pilot, "1", "escape", "y")  # left part-way
        assert isinstance(app.screen, LibraryScreen)
        await press(pilot, "h")
        await ready(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        text = screen_text(app)
        assert "3 attempts at 1 scenario" in text
        assert "A small test scenario · 3 attempts" in text
        assert "latest #3" in text and "★ best #1, trust 55" in text
        assert "#1" in text and "#2" in text and "trust 50 so far" in text
        assert "Not finished: 1 choice so far" in text
        assert "best = highest trust on first tries (finished attempts)" in text
        listing = history.query_one("#attempts", OptionList)
        current = history.current()
        assert current is not None and current.attempt.id == 3
        assert history.check_action("resume", ()) is True  # unfinished: r resumes
        # Its debrief so far says it is not finished.
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SavedDebriefScreen))
        assert "Not finished yet" in screen_text(app)
        await press(pilot, "l")
        await ready(pilot)
        assert app.screen is history
        await press(pilot, "down")
        assert listing.highlighted_option is not None
        assert history.check_action("resume", ()) is False
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpDialog)
        help_text = screen_text(app)
        assert "Keys · history" in help_text and "Compare with another attempt" in help_text
        await press(pilot, "escape", "up", "r")  # resume #3 from here
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        assert practice.attempt.id == 3 and practice.engine.node.id == "middle"
        await press(pilot, "escape", "y")  # leave again: back to the history
        await ready(pilot)
        assert app.screen is history
        await press(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)
        assert "h History" in screen_text(app)  # in the library's footer


async def test_a_past_debrief_shows_the_saved_reflections(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    record(
        Store(made.data_dir),
        MINI,
        ["warm", "ask"],
        reflections=NOTICED,
    )
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SavedDebriefScreen))
        debrief = app.screen
        assert isinstance(debrief, SavedDebriefScreen)
        answers = {r.question: r.query_one(TextArea).text for r in debrief.query(Reflection)}
        assert answers["What did you notice?"] == "I slowed down."
        assert [r.turn.option_id for r in debrief.debrief.decisions] == ["warm", "ask"]
        assert "Attempt #1" in screen_text(app)
        # Adding to a past reflection is saved to the same attempt.
        area = next(r for r in debrief.query(Reflection) if r.question == "What did you notice?")
        area.query_one(TextArea).text = "I slowed down. Then I rushed."
        await pilot.pause()
        saved = saved_store(app).reflections(1)
        assert [r.answer for r in saved] == ["I slowed down. Then I rushed."]
        await press(pilot, "escape", "l")
        assert isinstance(app.screen, HistoryScreen)


async def test_compare_shows_where_the_paths_split(settings: MakeSettings) -> None:
    made = settings(MINI, RAMP)
    seed(made.data_dir)
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))  # #2 is unfinished
        await press(pilot, "n")
        await press(pilot, "h")
        await ready(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.current().attempt.id == 4  # type: ignore[union-attr]
        await press(pilot, "c")  # two others at the side door: asks which
        await until(pilot, lambda: isinstance(app.screen, AttemptPicker))
        await press(pilot, "enter")  # #3, the newest of the others
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        view = app.screen
        assert isinstance(view, CompareScreen)
        assert (view.left.attempt.id, view.right.attempt.id) == (3, 4)
        assert view.comparison.split == 2
        text = " ".join(screen_text(app).split())
        assert "Both made the same first choice; the paths split at decision 2" in text
        assert "“What brings her”" in text
        split = view.query(PairView).filter(".-split")
        assert len(split) == 1 and split.first().pair.number == 2
        await press(pilot, "s")
        text = screen_text(app)
        assert "◆ 2 · What brings her" in text
        assert "the paths split here" in text


async def test_delete_asks_first(settings: MakeSettings) -> None:
    made = settings(MINI)
    record(Store(made.data_dir), MINI, ["warm", "ask"])
    record(Store(made.data_dir), MINI, ["wrong-name", "repair"])
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Delete attempt #2?" in screen_text(app)
        await press(pilot, "enter")  # the focused answer is "Keep"
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert len(saved_store(app).attempts()) == 2
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await press(pilot, "y")
        await until(pilot, lambda: "1 attempt at 1 scenario" in screen_text(app))
        assert [a.id for a in saved_store(app).attempts()] == [1]


async def test_export_writes_a_private_markdown_file_and_shows_where(
    settings: MakeSettings,
) -> None:
    made = settings(MINI)
    record(
        Store(made.data_dir),
        MINI,
        ["warm", "ask"],
        reflections=NOTICED,
    )
    app = make_app(made)
    notes = record_notes(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "e")
        await ready(pilot)
        path = made.data_dir / "exports" / "attempt-1-mini.md"
        assert any(str(path) in text for text, _ in notes)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        assert "Welcome, Sam." in text and "I slowed down." in text


# -- snapshots ---------------------------------------------------------------------------
def open_history(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog))
        await press(pilot, "n", "h")
        await ready(pilot)
        await press(pilot, *keys)
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_history_screen(
    snap_compare: SnapCompare,
    settings: MakeSettings,
    utc: None,
    size: tuple[int, int],
) -> None:
    """The history: 'History  4 attempts at 2 scenarios' on top; 'The side door · 3
    attempts' and 'latest #4, 12 Mar 16:05 · ★ best #4, trust 48' (scenario headings in the
    accent colour, not greyed out), then #4 (highlighted; 'trust 48 · 2 reflections  ★
    best', '✓ Dana takes a leaflet'), #3 ('trust 33'), #2 ('trust 50 so far', '… Not
    finished: 1 choice so far'); after a separator 'A small test scenario · 1 attempt',
    'latest #1, 2 Mar 09:15' and #1 ('✓ Good'; no ★: one attempt is not best of
    anything). At 100x30 a panel on the right shows #4 in full: start time, feedback after
    each choice, how it ended, the path with rating symbols (options cut between words)
    and the reflections' prompts. Under the list: '★ best = highest trust on first tries (finished
    attempts)': an exploration after going back does not count. Footer: ⏎ Open,
    c Compare, e Export, d Delete, esc Back, all of them visible at 60x20 too."""
    made = settings(MINI, RAMP)
    seed(made.data_dir)
    store = Store(made.data_dir)
    Recorder(store, load_scenario(RAMP), 4).reflection("What would you bring?", "Pacing.")
    Recorder(store, load_scenario(RAMP), 4).reflection("How are you feeling?", "Steadier.")
    store.close()
    assert snap_compare(make_app(made), terminal_size=size, run_before=open_history())


@pytest.mark.parametrize("size", SIZES)
def test_compare_view(
    snap_compare: SnapCompare,
    settings: MakeSettings,
    utc: None,
    size: tuple[int, int],
) -> None:
    """Compare · The side door · #3 and #4: the two attempts side by side (#3 '9 Mar
    10:30', ended “Dana takes a leaflet”, trust 33; #4 '12 Mar 16:05' with '★ best',
    trust 48); 'Where the paths split': 'Both made the same first choice; the paths split
    at decision 2, “What brings her”.'; then 'Trust over the conversation' with two trust
    charts side by side, labelled #3 and #4 (35 30 15 33 and 35 30 40 48; at 60x20 the
    values under the columns are just below the fold). At 100x30 the first decision box,
    'Both chose' the missed opportunity, and the top of the '◆ 2 · What brings her' box
    follow."""
    made = settings(MINI, RAMP)
    seed(made.data_dir)

    async def run(pilot: Pilot[Any]) -> None:
        await open_history("c")(pilot)
        await until(pilot, lambda: isinstance(pilot.app.screen, AttemptPicker))
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen))
        await pilot.pause()

    assert snap_compare(make_app(made), terminal_size=size, run_before=run)


@pytest.mark.parametrize(("size", "quit_shown"), [((60, 20), False), ((100, 30), True)])
async def test_the_footer_keeps_every_key_of_an_unfinished_attempt_at_60_columns(
    settings: MakeSettings, size: tuple[int, int], quit_shown: bool
) -> None:
    """Resume adds a key; at 60 columns the footer leaves out Quit (still under ?, still
    ctrl+q) rather than cutting off '? Keys'."""
    made = settings(MINI, RAMP)
    seed(made.data_dir)
    app = make_app(made)
    async with app.run_test(size=size) as pilot:
        await open_history("down", "down")(pilot)  # #4, #3, then #2: unfinished
        history = app.screen
        assert isinstance(history, HistoryScreen)
        current = history.current()
        assert current is not None and not current.attempt.finished
        await pilot.pause()
        footer = screen_text(app).rstrip().splitlines()[-1]
        for key in ("Open", "Resume", "Compare", "Export", "Delete", "Back", "? Keys"):
            assert key in footer, footer
        assert ("Quit" in footer) is quit_shown, footer
