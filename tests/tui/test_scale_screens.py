"""The library and history screens at scale: the library lists summaries and shows what
the learner has done; History reads its attempts a page at a time and keeps comparing,
"★ best" and its keys working."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_helpers import BROKEN, MINI, RAMP, into_history, make_app, press, ready, screen_text

from roleplay.core.library import summarise
from roleplay.core.locations import bundled_scenarios_dir
from roleplay.session import FeedbackTiming
from roleplay.settings import Settings
from roleplay.store import Store
from roleplay.tui.screens.compare import AttemptPicker, CompareScreen
from roleplay.tui.screens.dialogs import HelpDialog
from roleplay.tui.screens.history import PAGE, HistoryScreen
from roleplay.tui.screens.library import LINE, LibraryScreen, entry_prompt, skills_line
from roleplay.tui.widgets.scan_progress import ScanCount, ScanProgress, progress_text

MakeSettings = Callable[..., Settings]
SnapCompare = Callable[..., bool]
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]


def attempts(home: Path, scenario_id: str, trusts: list[int | None]) -> list[int]:
    """Attempts saved straight into the store, oldest first: a trust is a finished
    attempt with one choice ending there; None an unfinished one with one choice."""
    store = Store(home)
    made = []
    for trust in trusts:
        attempt = store.start_attempt(
            scenario_id=scenario_id,
            scenario_path=str(MINI),
            scenario_digest="d",
            scenario_version="1",
            feedback_timing=FeedbackTiming.IMMEDIATE,
            write_first=False,
        )
        store.add_choice(
            attempt,
            node_id="hello",
            option_id="warm",
            own_words=None,
            trust_before=40,
            trust_after=trust if trust is not None else 45,
            flags=[],
            ruptures={},
            exploration=False,
            rating="builds-trust",
            option_text="Hi Sam, I'm Alex. What brings you in today?",
        )
        if trust is not None:
            # Attempts are set aside so no resume offer comes up when the app starts.
            store.finish_attempt(attempt, ending_id="good", final_trust=trust)
        else:
            store.set_aside(attempt)
        made.append(attempt)
    with store.db:  # fixed times, a minute apart, so pictures do not change
        store.db.execute(
            "UPDATE attempts SET started_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
            "'2026-03-01 09:00:00', '+' || id || ' minutes'), finished_at = CASE WHEN "
            "finished_at IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', "
            "'2026-03-01 09:00:00', '+' || id || ' minutes', '+5 minutes') END"
        )
    store.close()
    return made


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Show saved times in UTC, so pictures do not depend on the machine's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
    await pilot.pause()


# -- the library ----------------------------------------------------------------------------
def test_a_long_list_of_skills_is_counted_first_and_fits_one_line() -> None:
    assert skills_line(["Repair", "Humility"], 40) == "Repair, Humility"
    line = skills_line([f"Skill number {n}" for n in range(12)], 40)
    assert line.startswith("12 skills: Skill number 0") and len(line) <= 40
    for entry in summarise([bundled_scenarios_dir()]):
        rows = entry_prompt(entry).plain.split("\n")
        assert len(rows) == 3 and all(len(row) <= LINE for row in rows[1:]), rows
        about = entry.about
        assert about is not None
        if len(about.skills) > 2:
            assert f"{len(about.skills)} skills: " in rows[2]


async def test_the_library_shows_what_was_done_and_the_best(settings: MakeSettings) -> None:
    made = settings(MINI, RAMP, BROKEN)
    attempts(made.data_dir, "mini", [50, 61, None])
    attempts(made.data_dir, "broken-fixture", [30])
    app = make_app(made)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.progress)
        text = screen_text(app)
        assert "✓ Done 2 times · best trust 61" in text
        # Mini's row and, as it is highlighted, its panel; the side door was never played
        # and the broken file's attempt is not shown on a file that cannot be played.
        assert text.count("✓ Done") == 2 and "Your attempts" in text
    # One finished attempt is not "best" of anything.
    assert "best" not in entry_prompt(app.entries[0], None).plain


async def test_the_library_keeps_no_scenario_until_one_is_opened(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(MINI, RAMP, BROKEN))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert [entry.loaded for entry in app.entries] == [None, None, None]
        assert [entry.ok for entry in app.entries] == [True, True, False]
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "BriefingScreen"
        assert "A small test scenario" in screen_text(app)


async def test_while_the_files_are_checked_the_list_shows_how_far_and_takes_no_keys(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large library takes seconds to check: the list is covered by the count of files
    checked, which follows the scan, and a key meant for the list opens nothing."""
    go_on = threading.Event()
    at = threading.Event()
    real = summarise

    def slow(dirs: Any, cache_dir: Any, progress: Callable[[int, int], object]) -> list[Any]:
        progress(2, 5)
        at.set()
        go_on.wait(10)
        return real(dirs, cache_dir, progress)

    monkeypatch.setattr("roleplay.tui.screens.library.summarise", slow)
    app = make_app(settings(MINI, RAMP, BROKEN))
    async with app.run_test(size=(60, 20)) as pilot:
        for _ in range(200):
            await pilot.pause(0.01)
            if at.is_set() and "2 of 5" in screen_text(app):
                break
        assert "Reading the scenarios: 2 of 5" in screen_text(app)
        assert isinstance(
            app.screen.query_one("#scenarios", OptionList)._cover_widget, ScanProgress
        )
        await pilot.press("enter")
        assert isinstance(app.screen, LibraryScreen)
        go_on.set()
        await ready(pilot)
        text = screen_text(app)
        assert "Reading the scenarios" not in text and "A small test scenario" in text
        assert app.screen.query_one("#scenarios", OptionList)._cover_widget is None


def test_the_count_is_shown_once_there_is_more_than_one_file() -> None:
    count = ScanCount()
    assert progress_text(*count.state) == "Reading the scenarios…"
    count.tell(0, 1)
    assert progress_text(*count.state) == "Reading the scenarios…"
    count.tell(340, 1200)
    assert progress_text(*count.state) == "Reading the scenarios: 340 of 1,200"


# -- history ---------------------------------------------------------------------------------
async def test_history_reads_a_page_at_a_time_in_order(settings: MakeSettings) -> None:
    made = settings(MINI, RAMP)
    count = PAGE * 2 + 17
    ids = attempts(made.data_dir, "mini", [30 + n % 50 for n in range(count)])
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        listing = screen.query_one("#attempts", OptionList)
        assert len(screen.saved) == PAGE
        assert listing.options[-1].id == "more"
        assert f"{count - PAGE} older attempts" in str(listing.options[-1].prompt)
        assert f"{count} attempts at 1 scenario" in screen_text(app)
        for _ in range(4):
            await press(pilot, "end")
            await ready(pilot)
        assert len(screen.saved) == count
        shown = [o.id for o in listing.options if o.id and o.id.startswith("attempt-")]
        assert shown == [f"attempt-{n}" for n in reversed(ids)]
        assert listing.options[-1].id != "more"
        # One heading for the scenario, however many pages its attempts span.
        assert sum(1 for o in listing.options if o.id and o.id.startswith("group-")) == 1
        stars = [o.id for o in listing.options if o.id and "★ best" in str(o.prompt)]
        stars = [star for star in stars if star.startswith("attempt-")]
        best = max(range(count), key=lambda n: (30 + n % 50, n))
        assert stars == [f"attempt-{ids[best]}"]


async def test_compare_reaches_attempts_not_yet_read(settings: MakeSettings) -> None:
    made = settings(MINI, RAMP)
    ids = attempts(made.data_dir, "mini", [40 + n % 7 for n in range(PAGE + 5)])
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        await press(pilot, "c")
        await until(pilot, lambda: isinstance(app.screen, AttemptPicker))
        picker = app.screen
        assert isinstance(picker, AttemptPicker)
        assert len(picker.others) == PAGE + 4
        assert picker.others[-1].attempt.id == ids[0]  # the oldest, on no page read yet
        await press(pilot, "end", "enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert {compare.left.attempt.id, compare.right.attempt.id} == {ids[0], ids[-1]}


async def test_one_attempt_is_not_marked_best_and_compare_is_still_listed(
    settings: MakeSettings,
) -> None:
    made = settings(MINI, RAMP)
    attempts(made.data_dir, "mini", [48])
    app = make_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await into_history(pilot)
        text = screen_text(app)
        assert "#1" in text and "trust 48" in text
        assert "★ best #" not in text and "  ★ best" not in text
        assert "c Compare" in text.splitlines()[-1]  # greyed, but there
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpDialog)
        help_text = " ".join(screen_text(app).split())
        assert "c Compare with another attempt at the same" in help_text


@pytest.mark.parametrize("size", SIZES)
def test_history_with_more_to_read(
    snap_compare: SnapCompare, settings: MakeSettings, utc: None, size: tuple[int, int]
) -> None:
    """History of 105 attempts at one scenario, of which the first 100 are read:
    'History  105 attempts at 1 scenario'; the heading 'A small test scenario · 105
    attempts' with 'latest #105, 1 Mar 10:45 · ★ best #100, trust 89'; the newest
    attempts, each on two lines (#105 highlighted, 'trust 44', '✓ Good'); #100 has
    '★ best'. At 100x30 the side panel shows #105 in full, its path's option wrapped
    between words ('1. ++ “Hi Sam, I'm Alex. What brings / you in today?”'). Footer:
    ⏎ Open, c Compare, e Export, d Delete, esc Back."""
    made = settings(MINI, RAMP)
    attempts(made.data_dir, "mini", [40 + n % 50 for n in range(105)])

    async def run(pilot: Pilot[Any]) -> None:
        await into_history(pilot)

    assert snap_compare(make_app(made), terminal_size=size, run_before=run)


async def test_an_unchanged_library_is_listed_from_the_cache_at_once(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = settings(MINI, RAMP, BROKEN)
    made.data_dir.mkdir()
    scans: list[LibraryScreen] = []
    real = LibraryScreen.rescan

    def counted(screen: LibraryScreen, count: ScanCount) -> None:
        scans.append(screen)
        real(screen, count)

    monkeypatch.setattr(LibraryScreen, "rescan", counted)
    first = make_app(made)
    async with first.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
    assert len(scans) == 1  # nothing cached: every file checked in the worker
    again = make_app(made)
    async with again.run_test(size=(100, 30)) as pilot:
        screen = again.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.scanned  # listed on mount
        await ready(pilot)
        assert len(scans) == 1  # no scan: the cache answered for every file
        assert [e.ok for e in screen.entries] == [True, True, False]
        assert "broken.yaml:12:8" in screen_text(again)
