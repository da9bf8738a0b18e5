"""Parts of the practice screen kept apart from its flow: its own widgets, found once; how
long the client pauses, the feedback card's folding (kept while the app runs), keeping the
client's last turn in view above the options on a short terminal, and reloading the
scenario file for an author."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from roleplay.core.engine import Engine, ResumeError, ShownLine
from roleplay.tui.screens.reloading import reload_scenario
from roleplay.tui.widgets.answer_area import AnswerArea, Phase
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.feedback import FeedbackCard
from roleplay.tui.widgets.key_line import KeyLine
from roleplay.tui.widgets.transcript import ClientMessage, LearnerMessage, Transcript
from roleplay.tui.widgets.trust_meter import TrustMeter

if TYPE_CHECKING:
    from roleplay.tui.screens.practice import PracticeScreen

CARD_FOLDED: WeakKeyDictionary[App[object], bool] = WeakKeyDictionary()
"""Whether the learner folded the feedback card, per running app (kept for the session)."""


class Parts:
    """The practice screen's own widgets (made once, in ``compose``, and kept for the
    screen's life), each found once.

    Textual keeps a screen's ``query_one`` answers only until something below the screen is
    mounted, removed, shown or hidden, which a key press does several times; each look-up
    after that walked the screen breadth first (its transcript's chapters too), about ten
    walks per key press."""

    def __init__(self, screen: Screen[None]) -> None:
        self._screen = screen

    @cached_property
    def transcript(self) -> Transcript:
        return self._screen.query_one(Transcript)

    @cached_property
    def answer_area(self) -> AnswerArea:
        return self._screen.query_one(AnswerArea)

    @cached_property
    def choices(self) -> ChoiceList:
        return self._screen.query_one(ChoiceList)

    @cached_property
    def card(self) -> FeedbackCard:
        return self._screen.query_one(FeedbackCard)

    @cached_property
    def meter(self) -> TrustMeter:
        return self._screen.query_one(TrustMeter)

    @cached_property
    def footer(self) -> KeyLine:
        return self._screen.query_one(KeyLine)

    @cached_property
    def own_words(self) -> Input:
        return self._screen.query_one("#own-words", Input)


MIN_OPTION_ROWS = 4
"""The fewest rows the options keep when the client's turn needs room above them."""


def last_turn_start(transcript: Transcript) -> Widget | None:
    """The first of the client's widgets after the learner's last message (the turn the
    options answer), or the last client message if the turn is longer than half the view.

    Looked for in the last segment, which holds the turn (and the learner's message before
    it, or else is the whole conversation so far): not a walk of every decision so far on
    every key press, and never a message of a finished decision, drawn collapsed."""
    last = transcript.last_segment
    widgets = list((last or transcript).query("ClientMessage, Narration, LearnerMessage"))
    start: Widget | None = None
    for widget in reversed(widgets):
        if isinstance(widget, LearnerMessage):
            break
        start = widget
    messages = [w for w in widgets if isinstance(w, ClientMessage)]
    if start is not None and messages and start is not messages[-1]:
        turn_rows = transcript.content_region.bottom - start.region.y
        if turn_rows > transcript.size.height // 2 + MIN_OPTION_ROWS:
            return messages[-1]
    return start


def typing_delay(lines: tuple[ShownLine, ...] | list[ShownLine]) -> float:
    """A short pause that grows a little with what the client is about to say."""
    length = sum(len(line.say or "") + len(line.cue or "") for line in lines)
    return min(2.2, 0.7 + length / 90)


def keep_turn_in_view(screen: PracticeScreen) -> None:
    """Keep the client's last turn (what the options answer) in view above the options:
    on a short terminal the options give up rows and scroll instead."""
    listing = screen.parts.choices
    transcript = screen.parts.transcript
    if screen.phase not in (Phase.CHOOSE, Phase.PROPOSE) or not listing.display:
        return
    turn = last_turn_start(transcript)
    if turn is None:
        return
    hidden = transcript.content_region.y - turn.region.y
    if hidden <= 0:
        return
    rows = listing.outer_size.height
    fewer = max(MIN_OPTION_ROWS, rows - hidden)
    if fewer < rows:
        listing.styles.max_height = fewer


async def reload(screen: PracticeScreen) -> None:
    """Reload the scenario file (for authors); an invalid edit leaves the session as it was."""
    path = screen.loaded.path
    loaded = reload_scenario(screen, path, keeping="Still playing the version loaded before.")
    if loaded is None:
        return
    restarted = False
    try:
        engine = Engine.from_state(loaded.scenario, screen.engine.to_state())
    except ResumeError:
        engine = Engine(loaded.scenario)
        restarted = True
    screen._pending = None
    if screen._timer is not None:
        screen._timer.stop()
    screen.loaded = loaded
    screen.engine = engine
    screen.words = None
    if restarted:
        # The saved steps no longer fit the file: keep them as they are, start anew.
        screen.journal.set_aside(screen.attempt)
        screen.attempt = screen.journal.begin(loaded, screen.options)
    screen.attempt.loaded = loaded
    screen.attempt.scenario_digest = loaded.digest
    screen.attempt.scenario_version = loaded.scenario.version
    screen.attempt.engine_state = engine.to_state()
    screen.query_one("#scene-title", Static).update(screen.title_content())
    await screen.rebuild()
    if restarted:
        screen.notify(
            "The edit changed the path you were on, so the scenario starts again.",
            title="Reloaded",
            severity="warning",
            markup=False,
        )
    else:
        screen.notify(f"{path.name} reloaded.", title="Reloaded", markup=False)
