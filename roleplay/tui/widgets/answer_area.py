"""The learner's part of the practice screen, below the transcript: a prompt, the field for
their own words, the numbered options, the feedback card and a hint; only the parts that
belong to the phase the screen is in are shown."""

from __future__ import annotations

from enum import StrEnum

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from roleplay.tui.motion import calm
from roleplay.tui.text import plain
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.feedback import FeedbackCard


class Phase(StrEnum):
    """What the practice screen is waiting for."""

    PAUSE = "pause"
    """The client is 'typing'; any key skips."""
    WRITE = "write"
    """Write-first: the learner's own words."""
    CHOOSE = "choose"
    """The numbered options."""
    PROPOSE = "propose"
    """Typed mode: the option closest to the learner's words, to confirm."""
    CARD = "card"
    """The feedback card (immediate mode); Enter continues."""
    ENDED = "ended"
    """The scenario has ended; Enter opens the debrief."""


class ReplyInput(Input):
    """The field for the learner's own words: one line, as Textual's ``Input``; a pasted
    reply of several lines keeps all of them, joined by spaces (``Input`` keeps the first
    line and drops the rest without a word)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # not Input's own handler as well (it keeps one line)
        words = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
        super()._on_paste(events.Paste(words))
        event.stop()


class AnswerArea(Vertical):
    """The prompt, own-words field, options, feedback card and hint."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phase = Phase.CHOOSE

    def compose(self) -> ComposeResult:
        yield Static(id="prompt")
        yield calm(
            ReplyInput(placeholder="Type what you would say; Enter sends", id="own-words"),
            self.app,
        )
        yield ChoiceList(id="choices")
        yield FeedbackCard(id="card")
        yield Static(id="hint")

    def show_phase(self, phase: Phase) -> None:
        """Show the parts that belong to a phase."""
        self.phase = phase
        self.query_one("#own-words").display = phase is Phase.WRITE
        self.query_one("#choices").display = phase in (Phase.CHOOSE, Phase.PROPOSE)
        self.query_one("#card").display = phase is Phase.CARD
        self.query_one("#prompt").display = phase in (
            Phase.WRITE,
            Phase.CHOOSE,
            Phase.PROPOSE,
            Phase.ENDED,
        )

    def say(self, prompt: str | Content = "", hint: str | Content = "") -> None:
        """Set the prompt above and the hint below the learner's part of the screen."""
        self.query_one("#prompt", Static).update(
            prompt if isinstance(prompt, Content) else plain(prompt)
        )
        hint_widget = self.query_one("#hint", Static)
        hint_widget.update(hint if isinstance(hint, Content) else Content(hint))
        hint_widget.display = bool(hint)

    def mark_more_options(self) -> None:
        """Say so when some options are out of view (a small terminal); the screen calls
        this whenever the option list's ``more`` changes."""
        if self.phase is not Phase.CHOOSE:  # the proposal's hint names its numbers
            return
        more = self.query_one(ChoiceList).more
        hint = self.query_one("#hint", Static)
        hint.update(Content("↑ ↓ more options: the list scrolls" if more else ""))
        hint.display = more
