# mypy: disable-error-code="comparison-overlap"
# (each test checks a state, awaits a key press, then checks the next state; mypy narrows
# across the await and calls the second check impossible)
"""Pilot tests of the practice screen and debrief on a small (projector) terminal, issue 13
§3: the client's last turn stays above the options, the feedback card folds to one line
(remembered for the session), '↓ more' goes once the card is read to its end, two-word
bands are not cut, the debrief pairs each rating with its reply; and the words for the
client's pause, ctrl+z while typing, hanging bullets in the debrief."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input
from tui_helpers import MINI, RAMP, make_app, open_debrief, press, ready, screen_lines, screen_text

from roleplay.core.loader import load_scenario
from roleplay.core.locations import bundled_scenarios_dir
from roleplay.settings import Settings
from roleplay.tui.screens.debrief import DecisionView
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.bands import Bullet
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.conversation import waiting_words
from roleplay.tui.widgets.feedback import FeedbackBody, FeedbackCard, RatingBadge
from roleplay.tui.widgets.transcript import ClientMessage, Transcript
from roleplay.tui.widgets.trust_meter import TrustMeter

MakeSettings = Callable[..., Settings]
LONG = bundled_scenarios_dir() / "daughter-interprets.yaml"
"""A bundled scenario with long options and long cards (they scroll at 60x20)."""


def turn_in_view(practice: PracticeScreen) -> bool:
    """Whether the whole last client message is inside the transcript's view."""
    transcript = practice.query_one(Transcript)
    last = list(practice.query(ClientMessage))[-1]
    return last.region.y >= transcript.content_region.y


async def test_the_last_client_turn_stays_above_the_options(settings: MakeSettings) -> None:
    app = make_app(settings(LONG), scenario=str(LONG))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        for _ in range(2):  # the opening, then the next decision
            await pilot.pause()
            assert practice.phase is Phase.CHOOSE
            assert turn_in_view(practice)
            listing = practice.query_one(ChoiceList)
            assert listing.more  # the options give up rows and scroll instead
            assert "more options: the list scrolls" in screen_text(app)
            await press(pilot, "1", "enter")


async def test_the_card_folds_to_one_line_and_stays_folded(settings: MakeSettings) -> None:
    app = make_app(settings(RAMP))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "2")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        card = practice.query_one(FeedbackCard)
        assert "c Fold" in screen_text(app)
        await press(pilot, "c")
        assert card.folded and card.outer_size.height == 1
        text = screen_text(app)
        assert "~ Missed opportunity" in text and "Why" not in text
        assert "c Unfold" in text
        await press(pilot, "enter", "1")  # the next card is folded too
        assert practice.phase is Phase.CARD and card.folded
        await press(pilot, "c")
        assert not card.folded and "Why" in screen_text(app)
        await press(pilot, "c", "u")  # a new attempt in the same app remembers the fold
        assert practice.phase is Phase.CHOOSE
    again = make_app(settings(RAMP))
    async with again.run_test(size=(60, 20)) as pilot:  # a new run starts unfolded
        await ready(pilot)
        await press(pilot, "enter", "enter", "2")
        assert not again.screen.query_one(FeedbackCard).folded


async def test_more_goes_once_the_card_is_read_to_its_end(settings: MakeSettings) -> None:
    app = make_app(settings(LONG), scenario=str(LONG))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "2")
        card = app.screen.query_one(FeedbackCard)
        assert card.max_scroll_y > 0
        assert "↓ more" in str(card.border_subtitle)
        await press(pilot, "end")  # the card has the focus
        assert card.scroll_y == card.max_scroll_y
        assert "↓ more" not in str(card.border_subtitle)
        assert "↓ more" not in screen_text(app)
        await press(pilot, "home")
        assert "↓ more" in str(card.border_subtitle)


class MeterApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TrustMeter()


async def test_a_two_word_band_is_not_cut() -> None:
    app = MeterApp()
    async with app.run_test(size=(60, 3)) as pilot:
        meter = app.query_one(TrustMeter)
        meter.show(70, "Open")
        await pilot.pause()
        meter.show(12, "Closed off", -58)
        await pilot.pause()
        assert "Closed off" in screen_text(app)
        assert "▼58" in screen_text(app)


async def test_the_narrow_debrief_pairs_each_rating_with_its_reply(
    settings: MakeSettings,
) -> None:
    app = make_app(settings(RAMP))
    async with app.run_test(size=(60, 20)) as pilot:
        await open_debrief(pilot, RAMP, ["reassure", "assume", "repair"])
        view = app.screen.query(DecisionView).first()
        assert not view.review.chose_strongest
        chosen = view.query_one(".chosen").query_one(RatingBadge)
        assert chosen.rating is view.review.turn.feedback.rating  # under the learner's reply
        strongest = view.query_one(".strongest").query_one(RatingBadge)
        assert strongest.rating is view.review.strongest.feedback.rating
        assert view.query_one(FeedbackBody).feedback is view.review.turn.feedback
        body = str(view.query_one(FeedbackBody).content)
        assert chosen.rating.label not in body.splitlines()[0]  # not repeated away from it
        # Stacked: the learner's rating comes before the strongest option's heading.
        view.scroll_visible(animate=False)
        await pilot.pause()
        lines = [line.strip(" │") for line in screen_lines(app)]
        mine = next(i for i, line in enumerate(lines) if chosen.rating.label in line)
        heading = next(i for i, line in enumerate(lines) if "Strongest option here" in line)
        assert mine < heading


async def test_the_wide_debrief_keeps_a_gap_between_its_columns(settings: MakeSettings) -> None:
    app = make_app(settings(RAMP))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_debrief(pilot, RAMP, ["reassure", "assume", "repair"])
        view = app.screen.query(DecisionView).first()
        chosen = view.query_one(".chosen")
        strongest = view.query_one(".strongest")
        assert chosen.region.y == strongest.region.y  # side by side
        assert strongest.region.x - chosen.region.right >= 2


async def test_debrief_notes_hang_under_their_bullet(settings: MakeSettings) -> None:
    app = make_app(settings(RAMP))
    async with app.run_test(size=(60, 20)) as pilot:
        await open_debrief(pilot, RAMP, ["reassure", "assume", "repair"])
        notes = load_scenario(RAMP).scenario.debrief_notes
        bullets = list(app.screen.query(Bullet))
        assert [b.text for b in bullets] == notes
        words = bullets[0].query_one(".words")
        assert words.region.x > bullets[0].region.x + 1  # wrapped lines start under the text


def test_the_clients_pause_fits_the_setting(tmp_path: Path) -> None:
    scenario = load_scenario(MINI).scenario
    assert waiting_words(scenario) == "Sam takes a moment…"  # "A test room."
    chat = scenario.model_copy(
        update={"setting": "An anonymous web chat service for young people, after school."}
    )
    assert waiting_words(chat) == "Sam is typing…"
    video = scenario.model_copy(update={"setting": "Sessions are by video from a camp room."})
    assert waiting_words(video) == "Sam takes a moment…"


async def test_ctrl_z_goes_back_while_typing(settings: MakeSettings) -> None:
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "w", "enter")
        practice = app.screen
        assert isinstance(practice, PracticeScreen)
        practice.query_one("#own-words", Input).value = "hello there stan"
        await press(pilot, "enter")
        for _ in range(400):
            if practice.phase is Phase.PROPOSE:
                break
            await pilot.pause()
        await press(pilot, "enter")  # confirm the proposal
        await press(pilot, "enter")  # past the card, to the next reply box
        assert practice.phase is Phase.WRITE and practice.engine.step == 1
        assert isinstance(practice.focused, Input)
        text = screen_text(app)
        assert "^z Try another" in text and "u Try another" not in text
        practice.query_one("#own-words", Input).value = "so what would"  # not sent
        await press(pilot, "ctrl+z")
        assert practice.engine.step == 0 and practice.phase is Phase.WRITE
        # The box offers what was sent at this decision, not the words left behind.
        assert practice.query_one("#own-words", Input).value == "hello there stan"
