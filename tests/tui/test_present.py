# mypy: disable-error-code="comparison-overlap"
# (each test checks a state, awaits a key press, then checks the next state; mypy narrows
# across the await and calls the second check impossible)
"""Present mode (a group at a projector): the vote, revote, reveal, reveal-all, override
and timer flows by keys, with the timer driven by a fake clock (never by sleeping); what
stays hidden until the reveal; saving the summary; the library key and the command line;
and snapshots at 80x24 and 60x20.

Each snapshot test's docstring says what the picture must show.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import MINI, press, ready, record_notes, screen_text

from roleplay import cli
from roleplay.core.facilitation import FacilitationSettings, Phase, TimerState
from roleplay.core.guide_people import ground_rules
from roleplay.core.loader import load_scenario
from roleplay.session import PresentRequest
from roleplay.session.present import read_session
from roleplay.settings import Settings
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.screens.dialogs import ConfirmDialog, HelpDialog
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.screens.present import PRESENT_THEME, PresentScreen
from roleplay.tui.screens.present_dialogs import CountField, CountsDialog, SaveDialog
from roleplay.tui.themes import THEMES
from roleplay.tui.widgets.bands import Bullet
from roleplay.tui.widgets.countdown import CountdownPanel

MakeSettings = Callable[..., Settings]
SnapCompare = Callable[..., bool]

DATA = Path(__file__).parent / "data"
GROUP = DATA / "group.yaml"
HOSTILE = DATA / "hostile.yaml"
SMALL = (80, 24)
NARROW = (60, 20)
SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(NARROW, id="60x20")]


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def present_app(
    settings: MakeSettings,
    clock: FakeClock | None = None,
    path: Path = GROUP,
    theme: str | None = None,
    **options: Any,
) -> RoleplayApp:
    """The app opened straight into present mode, as ``roleplay present`` does."""
    request = PresentRequest(
        load_scenario(path), FacilitationSettings(**options), clock or FakeClock()
    )
    return create_app(settings(path, theme=theme), present=request)


def screen(pilot: Pilot[Any]) -> PresentScreen:
    current = pilot.app.screen
    assert isinstance(current, PresentScreen)
    return current


async def start(pilot: Pilot[Any]) -> PresentScreen:
    await ready(pilot)
    return screen(pilot)


# -- what the room sees before anything is revealed -----------------------------------------
async def test_prebrief_ground_rules_in_high_contrast(settings: MakeSettings) -> None:
    app = present_app(settings)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        assert app.theme == PRESENT_THEME
        assert present.session.phase is Phase.PREBRIEF
        body = present.query_one("#present-body")
        text = " ".join(str(w.render()) for w in body.query("Static"))
        assert str(present.query_one("#ground-rules").border_title) == "Ground rules"
        for expected in (
            "Treat it as real, despite its limits",
            "Anyone may step out at any time",
            "If someone shares Dana's identity, they speak for themselves",
            "Disability and access barriers",  # a content note
            "Acknowledge an access barrier",  # an objective
        ):
            assert expected in text, expected
        # The same rules, word for word, as the student handout (roleplay guide).
        rules = [b.text for b in present.query_one("#ground-rules").query(Bullet)]
        assert rules == ground_rules("Dana")
        assert rules[-1] == "What people say about their own lives stays in the room."
        assert "without giving a reason" in text
        assert not present.query_one("#present-meter").display
        assert not present.query_one("#notes-banner").display


async def test_a_chosen_theme_is_kept_and_the_library_theme_restored(
    settings: MakeSettings,
) -> None:
    app = present_app(settings, theme="roleplay-light")
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot)
        assert app.theme == "roleplay-light"
    app = create_app(settings(GROUP))
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        before = app.theme
        await press(pilot, "p")
        assert isinstance(app.screen, PresentScreen) and app.theme == PRESENT_THEME
        await press(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen) and app.theme == before


async def test_vote_is_hidden_until_locked_then_reveal_shows_the_secrets(
    settings: MakeSettings,
) -> None:
    app = present_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter")
        assert present.session.phase is Phase.VOTING
        text = screen_text(app)
        assert "MOMENT 1 · LATE, AND THROUGH THE BACK" in text
        assert "I'm not sorry: your ramp is broken" in text
        assert "A   That should not have happened" in text
        await press(pilot, "a", "a", "a", "b", "c", "C")
        decision = present.session.current
        assert decision is not None
        assert decision.round.counts == {"own-it": 3, "reassure": 1, "procedure": 0}
        text = screen_text(app)
        assert "4 votes, hidden · a–c +1" in text
        # Nothing secret and no distribution before the lock.
        for secret in (
            "75%",
            "Builds trust",
            "Trust ",
            "trust 35",
            "Whose problem",
            "Groups often",
        ):
            assert secret not in text, secret
        await press(pilot, "l")
        text = screen_text(app)
        assert "3   75%" in text and "1   25%" in text and "0    0%" in text
        assert "The room chose A. A has 3 of 4 votes (75%)." in text
        assert "Builds trust" not in text and "Trust " not in text
        await press(pilot, "r")
        assert present.session.phase is Phase.REVEALED
        text = screen_text(app)
        assert "The room chose A" in text
        assert "Yes. I would, actually." in text
        assert "trust 35 → 50 (▲15) · Wary" in text
        assert "++ Builds trust" in text
        assert "Questions for the room" in text and "Whose problem is the broken ramp?" in text
        assert present.query_one("#present-meter").display
        assert "Groups often" not in text  # notes stay hidden
        await press(pilot, "enter")
        assert present.session.decisions[0].turn is not None
        assert present.session.decisions[0].turn.option_id == "own-it"
        assert "MOMENT 2 · WHAT BRINGS HER" in screen_text(app)
        assert not present.query_one("#present-meter").display


async def test_split_room_discussion_timer_and_revote_keep_both_rounds(
    settings: MakeSettings,
) -> None:
    clock = FakeClock()
    app = present_app(settings, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "a", "a", "b", "b", "c", "l")
        assert present.session.split
        text = screen_text(app)
        assert "The room is split: no option has more than 60%." in text
        assert "A and B are tied with 2 of 5 votes each." in text
        assert "t start a 2:00 discussion · v revote" in text
        await press(pilot, "t")
        panel = present.query_one(CountdownPanel)
        assert panel.display and "▶ DISCUSSION 2:00" in screen_text(app)
        clock.now += 30
        present.tick()
        assert panel.time_text == "1:30"
        await press(pilot, "v")
        decision = present.session.current
        assert decision is not None and len(decision.rounds) == 2
        assert present.session.phase is Phase.VOTING and not panel.display
        assert "REVOTE" in screen_text(app)
        await press(pilot, "a", "a", "a", "a", "b", "l")
        text = screen_text(app)
        assert "A 1st" in text and "revote" in text
        assert "2   40%" in text and "4   80%" in text  # both rounds on screen
        assert "v Revote" not in text  # one revote per decision
        assert decision.rounds[0].counts == {"own-it": 2, "reassure": 2, "procedure": 1}
        await press(pilot, "r")
        assert decision.followed == "own-it"


async def test_a_tie_needs_a_pick_before_the_reveal(settings: MakeSettings) -> None:
    app = present_app(settings, split_threshold=0.4)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        notes = record_notes(app)
        await press(pilot, "enter", "a", "b", "l")
        assert not present.session.split  # 50% is above a 40% threshold
        assert "A and B are tied" in screen_text(app)
        await press(pilot, "r")
        assert present.session.phase is Phase.LOCKED
        assert any("pick the one to reveal" in message for message, _ in notes)
        await press(pilot, "b")
        assert "Facilitator's pick: B." in screen_text(app)
        await press(pilot, "r")
        text = screen_text(app)
        assert "Facilitator's pick: B (the room did not settle on one option)" in text
        assert "~ Missed opportunity" in text


async def test_reveal_all_compares_every_option_with_details_on_request(
    settings: MakeSettings,
) -> None:
    app = present_app(settings)
    async with app.run_test(size=(120, 60)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "b", "b", "c", "l", "r")
        assert "Harmful" not in screen_text(app)
        await press(pilot, "w")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("WHAT EACH OPTION WOULD HAVE DONE" in line for line in lines)
        rows = {line.strip()[0]: line for line in lines if line.strip()[:2] in ("A ", "B ", "C ")}
        # Letter, rating, trust change, one line of words, the room's count, its choice marked.
        assert rows["A"].split()[:3] == ["A", "++", "▲15"] and rows["A"].rstrip().endswith("0")
        assert rows["B"].split()[:3] == ["B", "~", "▼5"]
        assert rows["B"].rstrip().endswith("2 ◀ room")
        assert rows["C"].split()[:3] == ["C", "!!", "▼10"] and "◀" not in rows["C"]
        assert "Dana: “Yes. I would," not in screen_text(app)  # details wait for d
        await press(pilot, "d")
        await pilot.pause()
        text = screen_text(app)
        for expected in ("++ Builds trust", "trust 35 → 25 (▼10)", "Dana: “Yes. I would,"):
            assert expected in text, expected
        cards = list(present.query(".what-if-card"))
        assert len(cards) == 3 and len({card.region.y for card in cards}) == 1  # one row
        assert present.session.engine.step == 0  # nothing chosen by looking
        await press(pilot, "w")
        assert "WHAT EACH OPTION WOULD HAVE DONE" not in screen_text(app)


async def test_the_facilitator_can_continue_with_another_option(
    settings: MakeSettings,
) -> None:
    app = present_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "b", "b", "b", "a", "l", "r")
        assert "The room chose B" in screen_text(app)
        assert "B · the group's reply" in screen_text(app)
        await press(pilot, "a")
        text = screen_text(app)
        assert "The facilitator continues with A; the room chose B" in text
        assert "A · the facilitator's pick" in text and "the group's reply" not in text
        assert "++ Builds trust" in text and "Yes. I would, actually." in text
        await press(pilot, "enter")
        decision = present.session.decisions[0]
        assert decision.turn is not None and decision.turn.option_id == "own-it"
        assert decision.overridden and present.session.engine.trust == 50
        summary = present.session.summary_markdown()
        assert "The facilitator continued with A; the room chose B" in summary


async def test_thinking_timer_start_pause_add_skip_and_expire(settings: MakeSettings) -> None:
    clock = FakeClock()
    app = present_app(settings, clock, thinking_seconds=60)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        await press(pilot, "enter")
        panel = present.query_one(CountdownPanel)
        assert not panel.display  # optional: nothing until it is started
        await press(pilot, "t")
        assert panel.display and panel.time_text == "1:00"
        clock.now += 20
        present.tick()
        assert panel.time_text == "0:40" and "▶ THINKING 0:40" in screen_text(app)
        await press(pilot, "t")  # pause: it says so, and looks different
        clock.now += 100
        present.tick()
        assert panel.time_text == "0:40" and panel.has_class("-paused")
        assert "❚❚ THINKING PAUSED 0:40" in screen_text(app)
        await press(pilot, "plus")
        assert panel.time_text == "1:10"
        await press(pilot, "t")  # resume
        clock.now += 70
        present.tick()
        await pilot.pause()  # the block grows to fit its words on the next layout
        assert panel.time_text == "0:00" and panel.has_class("-expired")
        assert "THINKING: TIME IS UP 0:00" in screen_text(app)
        await press(pilot, "plus")  # more time after the end runs at once
        assert present.session.timer.running and panel.time_text == "0:30"
        await press(pilot, "x")
        assert present.session.timer.state is TimerState.SKIPPED and panel.time_text == "0:00"
        await press(pilot, "l")
        assert not panel.display  # a clear vote needs no timer


@pytest.mark.parametrize("size", [SMALL, NARROW])
async def test_starting_the_timer_hides_none_of_the_moment(
    settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The heading, the speaker and every line on screen before the timer starts are still
    on screen after it (the timer sits in the top bar)."""
    app = present_app(settings)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await press(pilot, "enter")
        before = screen_text(app).splitlines()[1:-2]  # the page, below the top bar
        await press(pilot, "t")
        after = screen_text(app).splitlines()[1:-2]
        assert "THINKING 1:00" in screen_text(app)
        assert after[:-1] == before[:-1]  # (the last row may give way to the options sign)
        assert any("MOMENT 1" in line for line in after)
        assert any("Dana" in line for line in after)
        if size == NARROW:
            assert "PAUSED" not in screen_text(app)
            await press(pilot, "t")
            assert "❚❚ PAUSED 1:00" in screen_text(app)


async def test_notes_are_hidden_until_toggled_with_a_banner(settings: MakeSettings) -> None:
    app = present_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter")
        assert "Groups often" not in screen_text(app)
        await press(pilot, "n")
        banner = present.query_one("#notes-banner")
        assert banner.display
        text = screen_text(app)
        assert "FACILITATOR NOTES ARE ON SCREEN" in text
        # Scenario text is data: the brackets show as typed.
        assert "Groups often reach for reassurance here. [b]Not bold[/b]" in text
        assert "never ask someone who shares Dana's identity" in text
        await press(pilot, "n")
        assert not banner.display and "Groups often" not in screen_text(app)


async def test_counts_typed_in_masked_fields(settings: MakeSettings) -> None:
    app = present_app(settings)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "a", "number_sign")
        assert isinstance(app.screen, CountsDialog)
        fields = list(app.screen.query(CountField))
        assert len(fields) == 3 and fields[0].value == "1"
        assert [str(f.render()) for f in fields] == ["•", "____", "____"]  # masked; empty
        await press(pilot, "backspace", "7", "tab", "1", "2", "tab", "x", "3")
        assert fields[2].value == "3"  # only digits go in
        assert "12" not in screen_text(app) and "••" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, PresentScreen)
        decision = present.session.current
        assert decision is not None
        assert decision.round.counts == {"own-it": 7, "reassure": 12, "procedure": 3}
        assert "22 votes, hidden" in screen_text(app)
        await press(pilot, "number_sign", "9", "escape")
        assert decision.round.counts["own-it"] == 7  # Esc keeps nothing


async def test_a_fast_burst_of_keys_lands_in_the_fields_it_was_typed_for(
    settings: MakeSettings,
) -> None:
    """Every key is posted before any is handled, as a quick typist's keys arrive."""
    app = present_app(settings)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        await press(pilot, "enter")
        burst = ["number_sign", "3", "tab", "1", "2", "tab", "6", "enter"]
        for key in burst:
            char = "#" if key == "number_sign" else (key if len(key) == 1 else None)
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        decision = present.session.current
        assert decision is not None
        assert decision.round.counts == {"own-it": 3, "reassure": 12, "procedure": 6}
        assert isinstance(app.screen, PresentScreen)


async def test_counts_above_the_class_size_are_refused_in_the_dialog(
    settings: MakeSettings,
) -> None:
    app = present_app(settings, class_size=25)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "number_sign")
        dialog = app.screen
        assert isinstance(dialog, CountsDialog)
        assert "The class has 25." in str(dialog.query_one(".message", Static).render())
        await press(pilot, "3", "1", "2", "6")  # two digits at most for a class of 25
        assert dialog.fields[0].value == "31"
        await press(pilot, "enter")
        assert app.screen is dialog
        assert "A: 31 is more than the class of 25. Correct it, or Esc" in screen_text(app)
        await press(pilot, "backspace", "backspace", "2", "0", "tab", "9", "enter")
        assert "The counts add up to 29, more than the class of 25." in screen_text(app)
        await press(pilot, "backspace", "5", "enter")
        assert isinstance(app.screen, PresentScreen)
        decision = present.session.current
        assert decision is not None and decision.round.total == 25
        notes = record_notes(app)
        await press(pilot, "c")  # a 26th vote by key is refused too, and said why
        assert decision.round.total == 25
        assert notes == [("26 votes would be more than the class of 25.", "warning")]


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
async def test_empty_count_fields_are_plain_to_see_in_every_theme(
    settings: MakeSettings, theme: str
) -> None:
    """The text of an empty field (and of the field being typed in) against its own
    background: at least 4.5:1, the WCAG minimum for text."""
    app = present_app(settings, theme=theme)
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot)
        await press(pilot, "enter", "number_sign")
        dialog = app.screen
        assert isinstance(dialog, CountsDialog)
        for field in dialog.fields:
            assert not field.value
            style = field.visual_style
            assert style.foreground is not None and style.background is not None
            ratio = contrast(style.foreground, style.background)
            assert ratio >= 4.5, (field.id, ratio)


def contrast(one: Color, two: Color) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_save_the_summary_with_a_key(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = present_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        notes = record_notes(app)
        await press(pilot, "enter", "a", "l", "r", "enter")
        await press(pilot, "a", "l", "r", "enter", "a", "l", "r", "enter")
        assert present.session.finished
        text = screen_text(app)
        assert "THE END" in text and "The group's path" in text
        await press(pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        field = dialog.query_one("#save-path", Input)
        # Not the current folder: the data folder's sessions folder, private.
        sessions = app.settings.data_dir / "sessions"
        assert Path(field.value).parent == sessions
        assert Path(field.value).name.startswith("roleplay-group-fixture-group-")
        await press(pilot, "enter")
        assert not list(tmp_path.glob("roleplay-group-*"))
        saved = next(sessions.glob("roleplay-group-*.md"))
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert stat.S_IMODE(sessions.stat().st_mode) == 0o700
        content = saved.read_text(encoding="utf-8")
        assert "## The group's path" in content and "## Votes at each decision" in content
        assert "## Debrief" in content
        # The votes beside it, as CSV and JSON, private too.
        for suffix in (".csv", ".json"):
            beside = saved.with_suffix(suffix)
            assert stat.S_IMODE(beside.stat().st_mode) == 0o600
        assert saved.with_suffix(".csv").read_text(encoding="utf-8").startswith("moment,title")
        # The message names the file and the folder, on lines of their own (never clipped).
        message = next(m for m, _ in notes if saved.name in m)
        assert message.splitlines() == [
            saved.name,
            "with the votes beside it as .csv and .json",
            f"in {sessions}",
        ]
        # A named file that exists is replaced only after a second Enter.
        named = tmp_path / "class.md"
        named.write_text("old", encoding="utf-8")
        await press(pilot, "s")
        field = app.screen.query_one("#save-path", Input)
        field.value = str(named)
        await press(pilot, "enter")
        assert "Enter again to replace it" in screen_text(app)
        assert named.read_text(encoding="utf-8") == "old"
        await press(pilot, "enter")
        assert named.read_text(encoding="utf-8").startswith("# Group session")
        # Saved: leaving does not ask.
        await press(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_in_a_browser_the_summary_is_a_download_not_a_file_on_the_server(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(RoleplayApp, "is_web", property(lambda app: True))
    delivered: list[tuple[str, str | None]] = []

    def deliver_text(file: Any, *, save_filename: str | None = None, **_: Any) -> None:
        delivered.append((file.read(), save_filename))

    app = present_app(settings)
    monkeypatch.setattr(app, "deliver_text", deliver_text)
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot)
        await press(pilot, "enter", "a", "l", "s")
        assert isinstance(app.screen, PresentScreen)  # no dialog asking for a path
        assert len(delivered) == 3  # the summary, and the votes as CSV and JSON
        text, name = delivered[0]
        assert text.startswith("# Group session: The side door")
        assert name is not None and name.startswith("roleplay-group-fixture-group-")
        stem = name.removesuffix(".md")
        assert [n for _, n in delivered[1:]] == [f"{stem}.csv", f"{stem}.json"]
        assert delivered[1][0].startswith("moment,title,round,letter")
        assert '"kind": "roleplay-group-session"' in delivered[2][0]
        assert list(tmp_path.glob("*.md")) == []
        await press(pilot, "escape")  # delivered counts as saved: no question
        assert isinstance(app.screen, LibraryScreen)


async def test_leaving_with_unsaved_votes_asks_first(settings: MakeSettings) -> None:
    app = present_app(settings)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "a", "l", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert app.screen is present
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)  # quitting asks too
        await press(pilot, "n", "escape", "y")
        assert isinstance(app.screen, LibraryScreen)


async def test_help_lists_every_key_of_the_phase(settings: MakeSettings) -> None:
    app = present_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        await press(pilot, "enter", "question_mark")
        assert isinstance(app.screen, HelpDialog)
        text = screen_text(app)
        for expected in (
            "Keys · present",
            "a b c",
            "Add one vote for the option with that letter",
            "A B C",
            "Take one vote away",
            "Lock the vote and show it",
            "Type each option's count",
            "Start, pause or resume the timer",
            "Add 30 seconds",
            "Stop the timer now",
            "Show or hide the facilitator notes",
            "Save the summary as Markdown",
        ):
            assert expected in text, expected
        assert "+ +" not in text


async def test_library_p_presents_the_highlighted_scenario(settings: MakeSettings) -> None:
    app = create_app(settings(MINI, GROUP))
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        assert "p Present" in screen_text(app)
        await press(pilot, "down", "p")
        present = screen(pilot)
        assert present.loaded.scenario.id == "fixture-group"


async def test_markup_in_a_scenario_is_shown_as_text(settings: MakeSettings) -> None:
    app = present_app(settings, path=HOSTILE)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]Sam[/]" in text and "[i]they[/i]/them" in text
        assert "[@click=app.quit]Quit[/] when clicked?" in text
        await press(pilot, "enter")
        text = screen_text(app)
        assert "Hi. [bold]Not[/] sure about this." in text
        assert "[bold]Next.[/bold]" in text
        await press(pilot, "a", "l", "r", "w")
        await pilot.pause()
        assert "[@click=app.quit]Open[/] and [dim]curious[/dim]." in screen_text(app)
        assert app.is_running


# -- the command line -------------------------------------------------------------------------
def test_present_command_checks_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["present", str(GROUP), "--split-threshold", "1.5"]) == cli.EXIT_USAGE
    assert "split threshold" in capsys.readouterr().err
    assert cli.main(["present", str(GROUP), "--timer", "0"]) == cli.EXIT_USAGE
    assert cli.main(["present", str(GROUP), "--discussion", "inf"]) == cli.EXIT_USAGE
    assert "discussion timer" in capsys.readouterr().err
    assert cli.main(["present", "no-such-scenario"]) == cli.EXIT_USAGE


def test_present_command_opens_present_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class Ran:
        return_code = 0

        def run(self) -> None:
            seen["ran"] = True

    def fake_create_app(settings: Settings, **kwargs: Any) -> Ran:
        seen.update(kwargs)
        return Ran()

    monkeypatch.setattr("roleplay.tui.app.create_app", fake_create_app)
    args = ["present", str(GROUP), "--timer", "90", "--split-threshold", "0.7"]
    assert cli.main(args) == 0
    request = seen["present"]
    assert isinstance(request, PresentRequest) and seen["ran"]
    assert request.loaded is not None and request.loaded.scenario.id == "fixture-group"
    assert request.settings.thinking_seconds == 90 and request.settings.split_threshold == 0.7
    assert request.settings.discussion == 180  # twice the thinking timer unless given
    assert cli.main([*args, "--discussion", "240"]) == 0
    assert seen["present"].settings.discussion == 240


# -- snapshots ------------------------------------------------------------------------------
def keys(*names: str, clock: FakeClock | None = None, advance: float = 0) -> Any:
    """A run_before: wait for the app, press keys, then move the fake clock."""

    async def run(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await press(pilot, *names)
        if clock is not None and advance:
            clock.now += advance
            screen(pilot).tick()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_prebrief(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The prebrief in high contrast (black background, white text): a title bar 'The
    side door' with a 'BEFORE WE BEGIN' tag on the right; the title again as a cyan band
    heading 'THE SIDE DOOR', the summary in italics, then the '⚑ Content notes' box
    (yellow border) with its bullets (wrapped lines hang under the text) and the way to
    step out; the 'Ground rules' box follows (scrolling). No trust meter. Above the
    footer: 'Enter begins the first moment · n notes · ? every key'; footer: ⏎ Begin,
    n Notes, ^q Quit, ? Keys. Nothing is cut off at the sides."""
    assert snap_compare(present_app(settings), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_vote(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """Moment 1 while the room votes, 15 seconds into the thinking timer: title bar 'Moment 1
    · The side door' (the moment first, so a narrow screen shortens the title), then the
    timer as a bold accent-coloured block '▶ THINKING 0:45' and a 'VOTE' tag, all on the
    top row: the page below starts at the band 'MOMENT 1 · LATE, AND THROUGH THE BACK'
    as it does without the timer. The narration in full-strength text beside a bar (no
    italics), 'Dana' with her cue in square brackets in bold and her words; options
    lettered in yellow badges below. A bold yellow sign above the status names the
    options out of sight ('▼ A–C below · ↓ PgDn' at 60x20, '▼ C below' at 80x24). No
    counts, no trust, no ratings anywhere. Status on one line: 'Round 1 · 3 votes, hidden
    · a–c +1 · shift −1 · # counts'; footer: abc Vote, l Lock, t Timer, n Notes."""
    clock = FakeClock()
    app = present_app(settings, clock)
    run = keys("enter", "t", "a", "b", "a", clock=clock, advance=15)
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_locked_after_revote(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The locked revote of moment 1: tag 'VOTE LOCKED'; band 'REVOTE · MOMENT 1'; bars
    for both rounds, two rows per letter ('A 1st … 2 40%', '  revote … 4 80%', and so on
    for B and C), the leading bar of each round in the accent colour; a box 'The room
    chose A. A has 4 of 5 votes (80%).'; the prompt and options below (scrolling).
    Status: 'r reveal what happens after A'; footer: abc Pick, r Reveal, t Timer (no
    Revote: there is one revote per decision)."""
    run = keys("enter", "a", "a", "b", "b", "c", "l", "v", "a", "a", "a", "a", "b", "l")
    assert snap_compare(present_app(settings), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_reveal(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The reveal after the room chose B at moment 1: tag 'REVEAL' and the trust meter
    now shown (30 Wary ▼5); band 'WHAT HAPPENED · MOMENT 1'; 'The room chose B'; the
    reply on the right under 'B · the group's reply'; Dana's reaction cue; a right-aligned
    'trust 35 → 30 (▼5) · Wary'; then (scrolling) the feedback card with '~ Missed
    opportunity'. Status: 'Enter continue with B · a–c another · w what if'; footer:
    ⏎ Continue, abc Pick, w What if, n Notes."""
    run = keys("enter", "b", "b", "a", "l", "r")
    assert snap_compare(present_app(settings), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_reveal_all(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """Reveal all at moment 1 (the room voted B), scrolled to the band 'WHAT EACH OPTION
    WOULD HAVE DONE': a compact table under a muted header 'trust / what they would say /
    votes', one line per option: 'A ++ ▲15 That should not…  0', 'B ~ ▼5 Don't worry…  1
    ◀ room' (the room's choice marked in bold), 'C !! ▼10 There's a form…  0', each
    option's words cut to one line with '…'; then 'd shows each option's reaction and
    why'. The whole comparison fits on the page at 60x20. Status ends 'w hide · d
    details'."""
    run = keys("enter", "b", "l", "r", "w")
    assert snap_compare(present_app(settings), terminal_size=size, run_before=run)


def test_snapshot_notes_banner(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """60x20, moment 1 with the facilitator notes toggled on: a yellow banner under the
    title bar '⚠ FACILITATOR NOTES ARE ON SCREEN · n hides them'; a heavy yellow box
    'Facilitator notes · on screen' with the notes (the text '[b]Not bold[/b]' shown with
    its brackets), the questions for after the reveal, and the reminder never to ask
    someone who shares Dana's identity to speak for that group."""
    run = keys("enter", "n")
    assert snap_compare(present_app(settings), terminal_size=NARROW, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_end(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The end after the path A, B, then the facilitator's override to A at moment 3:
    tag 'THE END' and the trust meter (53 Wary); band 'THE END'; a box 'How it ended'
    with 'Dana takes a leaflet' and its description; 'The group's path' with moment 1
    'Late, and through the back', the words of A, a '++ Builds trust' badge and 'trust 35
    → 50 (▲15) · room's choice'; more below. Status: 's save the summary as Markdown ·
    Esc back to the library'; footer: n Notes, s Save summary, esc Library."""
    run = keys(
        *("enter", "a", "l", "r", "enter"),
        *("b", "l", "r", "enter"),
        *("c", "l", "r", "a", "enter"),
    )
    assert snap_compare(present_app(settings), terminal_size=size, run_before=run)


async def test_text_the_author_already_quoted_is_not_quoted_twice(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """Authors often write a client's last words with their own quotation marks."""
    text = GROUP.read_text(encoding="utf-8")
    for said in (
        "They listened. And they're going to chase the ramp. We'll see.",
        "Same as always. I'll manage on my own.",
    ):
        text = text.replace(f"client_view: {said}", f'client_view: "\\"{said}\\""')
    quoted_copy = tmp_path / "group.yaml"
    quoted_copy.write_text(text, encoding="utf-8")
    app = present_app(settings, path=quoted_copy)
    async with app.run_test(size=(100, 40)) as pilot:
        present = await start(pilot)
        await press(pilot, "enter", "a", "l", "r", "enter")
        await press(pilot, "a", "l", "r", "enter", "a", "l", "r", "enter")
        assert present.session.finished
        shown = screen_text(app)
        assert "leaving:" in shown
        assert '“"' not in shown and '"”' not in shown


async def test_each_step_is_saved_and_the_session_resumes(settings: MakeSettings) -> None:
    """The record in the data folder follows every step; --resume carries on from it."""
    app = present_app(settings)
    async with app.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        files = present.files
        assert files is not None and not files.path.exists()  # nothing before the first moment
        await press(pilot, "enter", "b", "b", "a")
        saved = read_session(files.path)
        assert saved.record["moments"][0]["rounds"][0]["counts"]["reassure"] == 2
        await press(pilot, "l", "r", "a", "enter", "c")
        saved = read_session(files.path)
        assert saved.moments == 2 and saved.record["moments"][0]["overridden"]
    request = PresentRequest(load_scenario(GROUP), resume=saved)
    again = create_app(settings(GROUP), present=request)
    async with again.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        assert any("Resumed the session saved" in n.message for n in again._notifications)
        assert present.files is not None and present.files.path == saved.path
        decision = present.session.current
        assert decision is not None and decision.round.counts["form-reading"] == 1
        assert present.session.decisions[0].overridden
        assert "Moment 2" in screen_text(again)
        await press(pilot, "c", "l")
        assert read_session(saved.path).record["phase"] == "locked"
        await press(pilot, "v")
        # A vote that arrives without a key press (a student's device) is saved on the tick.
        present.session.cast("device-1", "a")
        present.tick()
        counts = read_session(saved.path).record["moments"][1]["rounds"][1]["counts"]
        assert counts["her-words"] == 1
    # Resumed in the middle of that vote: the device's vote is not taken for a hand (the
    # student would count twice on voting again); the room is asked to vote again.
    request = PresentRequest(load_scenario(GROUP), resume=read_session(saved.path))
    third = create_app(settings(GROUP), present=request)
    async with third.run_test(size=SMALL) as pilot:
        present = await start(pilot)
        notes = " ".join(n.message for n in third._notifications)
        assert "open again without its 1 vote(s) from devices" in notes
        decision = present.session.current
        assert decision is not None and decision.round.counts["her-words"] == 0


@pytest.mark.parametrize(
    ("size", "sign"), [(NARROW, "▼ A–C below · ↓ PgDn"), (SMALL, "▼ C below · ↓ PgDn")]
)
async def test_options_below_the_fold_are_named_while_voting(
    settings: MakeSettings, size: tuple[int, int], sign: str
) -> None:
    app = present_app(settings)
    async with app.run_test(size=size) as pilot:
        present = await start(pilot)
        await press(pilot, "enter")
        await pilot.pause()
        assert sign in screen_text(app)
        await press(pilot, "end")
        await pilot.pause()
        assert "below · ↓" not in screen_text(app)  # every option in view: no sign
        await press(pilot, "home")
        await pilot.pause()
        assert sign in screen_text(app)
        await press(pilot, "a", "l", "r")
        await pilot.pause()
        assert not present.query_one("#below-sign").display  # the reveal needs no sign


def test_snapshot_counts_dialog(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """60x20, typing the counts for a class of 25: a dialog 'Type the counts' saying the
    counts are hidden until the vote is locked, empty means 0 and 'The class has 25.';
    one row per option: 'A  That should not have…' with '••' in its field, B with its
    field highlighted in the accent colour (being typed in) showing '•', C's field empty
    and plain to see as '____' in white on its own panel background; subtitle 'Enter
    keep · Tab next · Esc cancel'. No digit is readable anywhere."""
    run = keys("enter", "number_sign", "1", "2", "tab", "9")
    app = present_app(settings, class_size=25)
    assert snap_compare(app, terminal_size=NARROW, run_before=run)


def test_snapshot_paused_timer(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """60x20, the thinking timer paused 20 seconds in: in the top bar, after the title,
    '❚❚ PAUSED 0:40' in bold yellow letters on black, with no fill (a running timer is a
    filled block), then the 'VOTE' tag; the page below unchanged, starting at the band 'MOMENT 1
    · LATE, AND THROUGH THE BACK' with Dana's words; the sign '▼ A–C below · ↓ PgDn';
    status 'Round 1 · 0 votes, hidden · a–c +1 · shift −1 · # counts'."""
    clock = FakeClock()
    run = keys("enter", "t", clock=clock, advance=20)

    async def then_pause(pilot: Pilot[Any]) -> None:
        await run(pilot)
        await pilot.press("t")
        await pilot.pause()

    app = present_app(settings, clock)
    assert snap_compare(app, terminal_size=NARROW, run_before=then_pause)
