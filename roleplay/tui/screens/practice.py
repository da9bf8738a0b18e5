"""Practice: the conversation itself.

The client's lines appear in a chat-style transcript; the learner answers with a numbered
option (digit keys, or arrows and Enter), or types their own reply and confirms the closest
option proposed for it (``typed_reply``).
Each choice shows the client's reaction after a short, skippable typing pause, then (in
immediate mode) the feedback card. ``u`` rewinds to try another option: the first try is
what the debrief scores. All state lives in the core ``Engine``; this screen only draws it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from roleplay.core.debrief import thinker
from roleplay.core.engine import Engine, ShownLine, Turn
from roleplay.core.loader import LoadedScenario
from roleplay.session import Attempt, FeedbackTiming, Journal, PracticeOptions
from roleplay.session.replies import Proposal
from roleplay.tui.collector import KeyPressHolds
from roleplay.tui.preferences import MeterToggled
from roleplay.tui.screens import practice_frame, practice_view, typed_reply
from roleplay.tui.screens import practice_keys as keys
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.practice_view import CARD_FOLDED, typing_delay
from roleplay.tui.text import clip, plain
from roleplay.tui.widgets.answer_area import AnswerArea, Phase
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.conversation import (
    client_lines,
    own_words,
    rating_notice,
    replayed_segments,
    trust_notice,
    waiting_words,
)
from roleplay.tui.widgets.key_line import KeyLine
from roleplay.tui.widgets.transcript import (
    LearnerMessage,
    Notice,
    Segment,
    Transcript,
    Typing,
)
from roleplay.tui.widgets.trust_meter import TrustMeter


class PracticeScreen(Screen[None]):
    """Play one scenario."""

    CSS_PATH = "practice.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = keys.BINDINGS
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = keys.HELP_EXTRA

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As ``Screen.focused``, without repainting the whole screen when focus moves: the
    widgets whose focus changed restyle themselves, and that repaint was a second full
    frame after every key press that moves focus (the feedback card, the options)."""

    class Finished(Message):
        """The learner reached the end and asked for the debrief."""

        def __init__(self, screen: PracticeScreen) -> None:
            super().__init__()
            self.screen = screen

    def __init__(
        self,
        loaded: LoadedScenario,
        options: PracticeOptions,
        *,
        journal: Journal,
        attempt: Attempt,
        animation: bool = True,
        engine: Engine | None = None,
        words: str | None = None,
    ) -> None:
        """``engine`` and ``words`` resume a saved attempt: its replayed engine, and any
        words already written first at the decision it stopped at."""
        super().__init__()
        self.loaded = loaded
        self.options = options
        self.journal = journal
        self.attempt = attempt
        self.animation = animation
        self.engine = engine if engine is not None else Engine(loaded.scenario)
        self.phase = Phase.CHOOSE
        self.segments: list[Segment] = []
        self.words: str | None = words
        self.written: set[tuple[int, str]] = set()
        self.typed: dict[tuple[int, str], str] = {}
        """Typed mode: the last words typed at each decision (offered again after a rewind)."""
        self.proposal: Proposal | None = None
        if words:
            self.written.add((self.engine.step, self.engine.node.id))
        self.resumed_note: str | None = None
        if engine is not None and (engine.log or words):
            count = len(engine.path)
            so_far = f" {count} choice{'s' if count != 1 else ''} so far." if count else ""
            self.resumed_note = f"↻ Resumed where you left off.{so_far}"
        self.last_turn: Turn | None = None
        self._pending: Callable[[], Awaitable[None]] | None = None
        self._timer: Timer | None = None
        self._reply: LearnerMessage | None = None
        """The reply just chosen, when it is shown together with the reaction."""
        self._frame = practice_frame.FramePass()
        self.parts = practice_view.Parts(self)
        self._collector = KeyPressHolds()

    # -- one frame per key press (see ``practice_frame``) -------------------------------
    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        with practice_frame.absorb(self, self._frame, scroll=scroll):
            super()._refresh_layout(size, scroll)

    def _compositor_refresh(self) -> None:
        practice_frame.painting(self, self._frame)
        super()._compositor_refresh()

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(self.title_content(), id="scene-title")
            yield TrustMeter(id="meter")
        yield Transcript(id="transcript")
        yield AnswerArea(id="action")
        yield KeyLine()

    def title_content(self) -> Content:
        scenario = self.loaded.scenario
        return plain(f"{clip(scenario.title, 60)} · {clip(scenario.client.name, 30)}")

    @property
    def client_name(self) -> str:
        return self.loaded.scenario.client.name

    @property
    def in_progress(self) -> bool:
        """Whether leaving now would lose a started attempt."""
        return bool(self.engine.log)

    async def on_mount(self) -> None:
        area = self.parts.answer_area
        self.watch(self.parts.choices, "more", area.mark_more_options, init=False)
        typed_reply.preload(self)
        await self.rebuild()

    def on_resize(self, event: events.Resize) -> None:
        self.parts.choices.styles.max_height = None
        self.call_after_refresh(self.keep_turn_in_view)
        self.parts.meter.bar_width = 10 if event.size.width < 80 else 16
        # A short terminal (a projector zoom) gives the feedback card more of its height.
        self.set_class(event.size.height < 26, "-short")

    # -- drawing -----------------------------------------------------------------------
    async def rebuild(self) -> None:
        """Draw the transcript for the engine's current path (at start and after a reload)."""
        transcript = self.parts.transcript
        await transcript.remove_children()
        immediate = self.options.feedback is FeedbackTiming.IMMEDIATE
        segments = replayed_segments(self.loaded.scenario, self.engine, ratings=immediate)
        self.segments = segments
        for finished in segments[:-1]:
            finished.collapse()
        await transcript.show_segments(segments)
        if self.resumed_note:
            await segments[-1].mount(Notice(plain(self.resumed_note), classes="-resumed"))
            self.resumed_note = None
        if self.words:  # written first (before a resume), the options not yet chosen
            await segments[-1].mount(own_words(self.words))
        self.parts.meter.show(self.engine.trust, self.engine.band.display)
        await self.arrive()

    def set_phase(self, phase: Phase) -> None:
        """Show the part of the answer area that belongs to a phase."""
        self.phase = phase
        self.parts.answer_area.show_phase(phase)
        self.refresh_bindings()

    def say(self, prompt: str | Content = "", hint: str | Content = "") -> None:
        """Set the prompt above and the hint below the learner's part of the screen."""
        self.parts.answer_area.say(prompt, hint)

    async def arrive(self) -> None:
        """Offer what comes next at the current beat: words, options or the end."""
        engine = self.engine
        if engine.finished:
            await self.segments[-1].mount(
                Notice(Content("The session ends here."), classes="-ended")
            )
            self.set_phase(Phase.ENDED)
            self.say(
                "The conversation has ended.",
                "Enter see the debrief · u go back and try another reply",
            )
            self.set_focus(self.parts.transcript)
            self.parts.transcript.scroll_end(animate=False)
            return
        prompt = engine.node.prompt or "What do you say?"
        position = (engine.step, engine.node.id)
        if self.options.write_first and position not in self.written:
            typed_reply.ask(self, prompt)
            return
        if self.options.write_first and self.words:  # resumed with words not yet confirmed
            await typed_reply.show_proposal(self, self.words)
            return
        await self.offer_choices(prompt)

    async def offer_choices(self, prompt: str) -> None:
        listing = self.parts.choices
        listing.styles.max_height = None  # the stylesheet's, until the turn is measured
        await listing.set_choices([choice.text for choice in self.engine.choices()])
        self.set_phase(Phase.CHOOSE)
        if self.words:
            self.say(plain("Now pick the option closest to what you wrote."))
        else:
            self.say(plain(prompt))
        self.set_focus(listing)
        self.parts.answer_area.mark_more_options()

    @asynccontextmanager
    async def one_frame(self) -> AsyncIterator[None]:
        """Make every change a key press causes, then paint them together: one layout and
        one frame, the footer's new keys included, where each await used to let a half-made
        screen be painted (three or four frames per key press)."""
        footer = self.parts.footer
        with self._collector.until_painted(self), self.app.batch_update():
            footer.hold()
            try:
                yield
            finally:
                await footer.settle()
        # Measured once the new layout is on screen (a small terminal only changes then).
        self.call_after_refresh(self.keep_turn_in_view)

    def on_unmount(self) -> None:
        self._collector.release()

    def keep_turn_in_view(self) -> None:
        """Keep the client's last turn in view above the options (see ``practice_view``)."""
        practice_view.keep_turn_in_view(self)

    # -- the learner's moves -----------------------------------------------------------
    @on(Input.Submitted, "#own-words")
    async def _wrote(self, event: Input.Submitted) -> None:
        await typed_reply.sent(self, event.input)

    @on(ChoiceList.Chosen, "#choices")
    async def _picked(self, event: ChoiceList.Chosen) -> None:
        await self.action_choose(event.number)

    async def action_choose(self, number: int) -> None:
        async with self.one_frame():
            await self._choose(number)

    async def _choose(self, number: int) -> None:
        if self.phase is Phase.PROPOSE:
            picked = typed_reply.proposal_pick(self, number)
            if picked is True:  # none of these: every reply on offer
                await self.offer_choices(self.engine.node.prompt or "What do you say?")
                return
            if picked is None or picked is False:
                return
            choice = picked
        elif self.phase is Phase.CHOOSE:
            choices = self.engine.choices()
            if not 1 <= number <= len(choices):
                return
            choice = choices[number - 1]
        else:
            return
        turn = self.engine.choose(choice.number, own_words=self.words)
        self.words = None
        self.proposal = None
        self.last_turn = turn
        self.journal.chose(self.attempt, self.engine, turn)
        # The client 'types' only when they are about to say something.
        at_end = self.options.feedback is FeedbackTiming.AT_END
        coming = turn.reaction or (tuple(self.engine.lines()) if at_end else ())
        reply = LearnerMessage("You", choice.text)
        if self.animation and coming:
            await self.add_segment(Segment(reply))
        else:
            # No pause to show the reply on its own: the reply and the reaction are mounted
            # together, one layout instead of two.
            self._reply = reply
        await self.pause(self.after_reaction, coming)

    async def add_segment(self, segment: Segment) -> None:
        """Add the transcript's part for the decision just made; the part before it is
        finished and is drawn as one widget from now on (``Segment.collapse``)."""
        for finished in self.segments:  # and any the mouse put back (no-op for the rest)
            finished.collapse()
        self.segments.append(segment)
        await self.parts.transcript.add_segment(segment)

    async def pause(
        self, then: Callable[[], Awaitable[None]], coming: tuple[ShownLine, ...]
    ) -> None:
        """The client 'types' for a moment before ``then`` runs; any key skips it."""
        if not self.animation or not coming:
            await then()
            return
        self.set_phase(Phase.PAUSE)
        self.say("", "any key to skip")
        self.set_focus(self.parts.transcript)
        await self.segments[-1].mount(Typing(plain(waiting_words(self.loaded.scenario))))
        self._pending = then
        self._timer = self.set_timer(typing_delay(coming), self.end_pause)

    async def end_pause(self) -> None:
        """Finish the typing pause now (timer or key)."""
        then, self._pending = self._pending, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if then is None:
            return
        async with self.one_frame():
            await self.segments[-1].query(Typing).remove()  # not a walk of the whole screen
            await then()

    async def on_key(self, event: events.Key) -> None:
        if self._pending is not None:
            # Any key skips the pause and does nothing else.
            event.stop()
            event.prevent_default()
            await self.end_pause()

    async def after_reaction(self) -> None:
        turn = self.last_turn
        assert turn is not None
        reaction = [
            *client_lines(self.client_name, turn.reaction),
            trust_notice(self.loaded.scenario, turn),
        ]
        if self._reply is not None:
            segment = Segment(self._reply, *reaction)
            self._reply = None
            await self.add_segment(segment)
        else:
            await self.segments[-1].mount_all(reaction)
        self.parts.meter.show(turn.trust_after, self.engine.band.display, turn.delta)
        if self.options.feedback is FeedbackTiming.IMMEDIATE:
            card = self.parts.card
            card.show(
                turn.feedback,
                thinker(self.engine.scenario, turn.feedback.inner_experience),
                exploration=turn.exploration,
                folded=CARD_FOLDED.get(self.app, False),
            )
            self.set_phase(Phase.CARD)
            self.say("", "")
            self.set_focus(card)
            self.parts.transcript.scroll_end(animate=False)
        else:
            await self.next_beat()

    async def next_beat(self, *before: Widget) -> None:
        """Show the next beat's lines (after ``before``), then what the learner can do."""
        await self.segments[-1].mount_all(
            [*before, *client_lines(self.client_name, self.engine.lines())]
        )
        self.parts.transcript.scroll_end(animate=False)
        await self.arrive()

    async def action_proceed(self) -> None:
        if self.phase is Phase.CARD:
            assert self.last_turn is not None
            async with self.one_frame():
                await self.next_beat(rating_notice(self.last_turn))
        elif self.phase is Phase.ENDED:
            self.post_message(self.Finished(self))

    async def action_rewind(self) -> None:
        if self.phase is Phase.PAUSE or not self.engine.can_rewind:
            return
        to_step = self.engine.step - 1
        self.engine.rewind()
        self.journal.rewound(self.attempt, self.engine, to_step)
        self.words = None
        self.proposal = None
        self.written.discard((self.engine.step, self.engine.node.id))  # typed mode asks again
        # Words not sent belonged to the decision left behind; what was sent here is offered.
        self.parts.own_words.value = ""
        await self.parts.transcript.drop_segment(self.segments.pop())
        segment = self.segments[-1]
        segment.restore()  # the decision is open again
        await segment.query(".-rewind").remove()
        node = self.engine.node
        title = node.display_title
        await segment.mount(
            Notice(
                plain(
                    f"↺ Back at “{clip(title, 60)}”. Try another reply: your first answer "
                    "still counts in the debrief; this one is an exploration."
                ),
                classes="-rewind",
            )
        )
        self.parts.meter.show(self.engine.trust, self.engine.band.display)
        self.parts.transcript.scroll_end(animate=False)
        await self.arrive()

    async def action_rewind_typing(self) -> None:
        await self.action_rewind()

    async def action_fold_card(self) -> None:
        await self._fold(True)

    async def action_open_card(self) -> None:
        await self._fold(False)

    async def _fold(self, folded: bool) -> None:
        CARD_FOLDED[self.app] = folded  # for every card until the app quits
        async with self.one_frame():
            self.parts.card.fold(folded)
            self.refresh_bindings()

    def action_toggle_meter(self) -> None:
        self.toggle_class("-meter-hidden")
        self.post_message(MeterToggled(not self.has_class("-meter-hidden")))

    def action_leave(self) -> None:
        self.confirm_leave(lambda: self.dismiss(None))

    def confirm_leave(
        self, then: Callable[[], object], *, question: str = "Leave this session?"
    ) -> None:
        """Leave (running ``then``) after asking ``question``, if an attempt is under way."""
        if not self.in_progress or self.engine.finished:
            # Nothing to lose before the first choice; at the end the attempt is complete.
            if self.engine.finished:
                self.journal.finish(self.attempt, self.engine)
            then()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.journal.leave(self.attempt, self.engine)
                then()

        later = (
            "Your choices so far are saved: roleplay offers to resume this attempt when it "
            "next starts, and it stays in your history (h in the library)."
            if self.journal.keeps(self.attempt)
            else "If you leave now there is no debrief for this attempt."
        )
        self.app.push_screen(
            ConfirmDialog(
                question,
                f"You are part-way through the conversation with {clip(self.client_name, 30)}. "
                + later,
            ),
            answered,
        )

    async def action_reload(self) -> None:
        """Reload the scenario file (for authors); an invalid edit leaves the session as it was."""
        await practice_view.reload(self)

    # -- which keys apply now ------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            number = parameters[0] if parameters else 0
            if self.phase is Phase.PROPOSE and isinstance(number, int):
                return typed_reply.proposal_pick(self, number) is not None
            return (
                self.phase is Phase.CHOOSE
                and isinstance(number, int)
                and (number <= len(self.engine.choices()))
            )
        if action == "proceed":
            return self.phase in (Phase.CARD, Phase.ENDED)
        if action in ("rewind", "rewind_typing"):
            # 'u' is a letter in the reply box: there ctrl+z goes back instead (and is shown).
            if (action == "rewind_typing") != isinstance(self.focused, Input):
                return False
            return self.phase is not Phase.PAUSE and self.engine.can_rewind
        if action in ("fold_card", "open_card"):
            folded = self.parts.card.folded
            return self.phase is Phase.CARD and folded == (action == "open_card")
        return True
