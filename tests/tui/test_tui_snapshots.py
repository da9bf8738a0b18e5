"""SVG snapshots of every screen at 100x30 and 60x20, and of the high-contrast theme.

Each test's docstring says what the picture must show; check that when a snapshot changes
(``pytest tests/tui --snapshot-update``, then read the SVGs or the HTML report).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import BROKEN, MINI, RAMP, make_app, open_debrief, press, ready

from roleplay.settings import Settings

MakeSettings = Callable[..., Settings]
SnapCompare = Callable[..., bool]

WIDE = (100, 30)
NARROW = (60, 20)
SIZES = [pytest.param(WIDE, id="100x30"), pytest.param(NARROW, id="60x20")]
RAMP_PATH = ["reassure", "assume", "repair"]  # options 2, 2, 1


def keys(*names: str) -> Callable[[Pilot[Any]], Any]:
    """A run_before that waits for the library, then presses keys."""

    async def run(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await press(pilot, *names)
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]) -> None:
    """The library: search box and skill filter on top; 'A small test scenario' and 'The
    side door' with client, minutes, difficulty, a '⚑ content notes' marker and skills on
    one line (the side door's as '5 skills: Inclusive access…', the count first);
    broken.yaml listed after them as '✗ Broken' with its first error (line 12, unknown
    start node). At 100x30 a detail panel on the right shows the highlighted scenario's
    summary, objectives and content notes; at 60x20 there is no panel and nothing is cut
    off. Footer: ⏎ Open, p Present, h History, / Search, s Skill (and at 100x30 ^r Rescan,
    ^q Quit, ? Keys)."""
    app = make_app(settings(MINI, RAMP, BROKEN))
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_briefing(snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]) -> None:
    """The briefing for 'The side door': title bar, summary, 'Who you will meet' with Dana
    (she/her), 41, her introduction as a quote and what matters to her; the 'Agree and
    begin' (focused) and 'Back to library' buttons stay at the bottom above the footer
    (esc Back, f Feedback timing, w Write first) while the text scrolls."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=size, run_before=keys("enter"))


def test_briefing_practice_choices(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """60x20. The end of the briefing, scrolled down: the content notes box (warning colour) with
    the way back, the 'Before you begin' agreement box, then the feedback timing radio
    buttons with 'All feedback at the end' selected (pressed f) and, in the reply
    mode radio buttons, 'Type my own reply' selected (pressed w) rather than 'Choose from
    replies'."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "f", "w", "end"))


@pytest.mark.parametrize("size", SIZES)
def test_practice_choices(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The first decision of 'The side door': top bar with the title and the trust meter
    (bar, 35, Wary); the transcript pinned to the newest message: narration in italics,
    then 'Dana' with her cue in brackets and her words in a bubble; below, 'What do you say
    first?' and three numbered options whose long text wraps with a hanging indent under
    its number, the first highlighted. Footer: 1-9 Choose, t Meter, esc Leave."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=size, run_before=keys("enter", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_practice_feedback_card(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """After choosing option 2 ('Don't worry at all…'): the learner's reply on the right
    under 'You', Dana's reaction cue, a right-aligned 'trust 35 → 30 (▼5) · Wary' note and
    the meter showing 30 ▼5; the feedback card below with its whole border visible: the
    badge '~ Missed opportunity' (warning colour AND symbol and words), skills, Why, What
    Dana might be feeling (and, scrolling, a stronger reply); at 60x20 the bottom border
    says '↓ more · Enter continue · c fold'. Footer: ⏎ Continue, u Try another, c Fold."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=size, run_before=keys("enter", "enter", "2"))


@pytest.mark.parametrize("size", SIZES)
def test_practice_card_folded(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """After option 2 and 'c': the feedback card folded to one line, 'Feedback' and the badge
    '~ Missed opportunity' with 'c open'; the transcript above has
    the room the card gave up (the reply, Dana's reaction, the trust note). Footer:
    ⏎ Continue, u Try another, c Unfold."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=size, run_before=keys("enter", "enter", "2", "c"))


def test_practice_write_first(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """60x20. "Type my own reply" mode at the first decision: the prompt 'What do you say
    first? Type your reply, then Enter.', an empty input with its placeholder 'Type what you
    would say; Enter sends', focused, and the hint 'Enter sends · then confirm the
    closest reply'; no options are shown yet."""
    app = make_app(settings(RAMP))
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "w", "enter"))


def test_practice_ended(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """100x30, feedback at the end. The end of the conversation in mini.yaml after a rewind:
    the transcript shows the '↺ Back at “Hello”' note in the warning colour, the second try
    and its trust note, no feedback anywhere, and a boxed 'The session ends here.'; below,
    'The conversation has ended.' and 'Enter see the debrief · u go back and try another
    reply'."""
    app = make_app(settings(MINI))
    assert snap_compare(
        app,
        terminal_size=WIDE,
        run_before=keys("enter", "f", "enter", "2", "u", "1", "2"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_debrief(snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]) -> None:
    """The top of the debrief after a playthrough of 'The side door' (options 2, 2, 1):
    'Debrief · The side door' title bar, the 'How it ended' box with 'Dana takes a
    leaflet' and its description, then '1 · Reactions' with a note and an empty answer box
    (placeholder text). Footer: r Practise again, l Library."""
    app = make_app(settings(RAMP))

    async def run(pilot: Pilot[Any]) -> None:
        await open_debrief(pilot, RAMP, RAMP_PATH)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_debrief_decisions(
    snap_compare: SnapCompare, settings: MakeSettings, size: tuple[int, int]
) -> None:
    """Further down the same debrief: the trust chart (columns for 35 30 15 33 with the
    values under them, the last column in the accent colour), the sentence describing it,
    and decision 1 'Late, and through the back' in a box: 'You chose', the reply, and
    under it its own '~ Missed opportunity' badge with 'trust 35 → 30 (▼5)'; beside it
    (100x30, after a gap and a thin rule) or below it after a blank line (60x20)
    'Strongest option here' with its reply and '++ Builds trust' badge; then the chosen
    option's feedback without a second rating badge (skills, Why...)."""
    app = make_app(settings(RAMP))

    async def run(pilot: Pilot[Any]) -> None:
        await open_debrief(pilot, RAMP, RAMP_PATH)
        body = pilot.app.screen.query_one("#debrief-body")
        chart = pilot.app.screen.query_one("#chart")
        body.scroll_to_widget(chart, top=True, animate=False)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run)


def test_debrief_analysis(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """100x30, '3 · Looking closer': the skill table with rating symbols as column heads
    (each in its rating colour), one row per skill with counts or '·', the legend line,
    then the first pivotal moment's question and its answer box."""
    app = make_app(settings(RAMP))

    async def run(pilot: Pilot[Any]) -> None:
        await open_debrief(pilot, RAMP, RAMP_PATH)
        screen = pilot.app.screen
        phase = next(w for w in screen.query(".phase") if "Looking closer" in str(w.render()))
        screen.query_one("#debrief-body").scroll_to_widget(phase, top=True, animate=False)
        await pilot.pause()

    assert snap_compare(app, terminal_size=WIDE, run_before=run)


def test_high_contrast_practice(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """The feedback card of test_practice_feedback_card at 100x30 in the
    roleplay-high-contrast theme: black background, white text, bright borders; the badge
    '~ Missed opportunity' still readable; trust meter with a bright bar and ▼5."""
    app = make_app(settings(RAMP, theme="roleplay-high-contrast"))
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "enter", "2"))


def test_high_contrast_library(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """The library at 60x20 in the roleplay-high-contrast theme: every line readable on
    black, the highlighted entry in the yellow cursor colour, the broken file in red."""
    app = make_app(settings(MINI, RAMP, BROKEN, theme="roleplay-high-contrast"))
    assert snap_compare(app, terminal_size=NARROW, run_before=keys())


def test_help_dialog(snap_compare: SnapCompare, settings: MakeSettings) -> None:
    """The keys dialog over the practice screen at 60x20: a centred box titled 'Keys ·
    practice' listing keys (accent colour) beside what they do, including 1–9, u Try
    another, t Meter, esc Leave, ^r Reload file and ^q Quit."""
    app = make_app(settings(MINI))
    assert snap_compare(
        app, terminal_size=NARROW, run_before=keys("enter", "enter", "1", "question_mark")
    )
