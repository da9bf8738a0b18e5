"""Typed replies on the practice screen: the learner's words, the proposal, its confirmation.

In "Type my own reply" mode the learner types at the bottom like a chat (Enter sends; the
field is one line, as Textual's ``Input`` is). Their words join the transcript as their
message; the app then proposes the closest reply on offer, with the runner-up and "None of
these: show all replies", numbered like options: Enter (or 1) confirms the proposal, 2 picks
the runner-up, the last number shows every reply. Nothing is applied until the learner
confirms; when nothing is close the screen says so and shows every reply.

The matcher is loaded in a thread when the screen mounts (``preload``), never on the path to
the app's first frame; a proposal asked for before it is ready waits for it in a thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.widgets import Input

from roleplay.core.engine import Choice
from roleplay.session.replies import Proposal, load_matcher, propose
from roleplay.tui.text import plain
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.conversation import own_words

if TYPE_CHECKING:
    from roleplay.tui.screens.practice import PracticeScreen

SHOW_ALL = "None of these: show all replies"
PROMPT = "Type your reply, then Enter."
HINT = "Enter sends · then confirm the closest reply"


def preload(screen: PracticeScreen) -> None:
    """Start loading the matcher in a thread (typed mode only)."""
    if screen.options.write_first:
        screen.run_worker(load_matcher, thread=True, group="matcher", exit_on_error=False)


def ask(screen: PracticeScreen, prompt: str) -> None:
    """Ask for the learner's words at the current decision."""
    screen.set_phase(Phase.WRITE)
    screen.say(plain(f"{prompt} {PROMPT}"), HINT)
    field = screen.parts.own_words
    if not field.value:  # after a rewind, what was typed there before, to edit or replace
        field.value = screen.typed.get((screen.engine.step, screen.engine.node.id), "")
    screen.set_focus(field)


async def sent(screen: PracticeScreen, field: Input) -> None:
    """The learner pressed Enter in the field: keep their words, then propose a reply."""
    words = field.value.strip()
    if not words:
        screen.say(
            plain(screen.engine.node.prompt or "What do you say?"),
            "Type a few words first: there is no wrong answer here.",
        )
        return
    field.value = ""
    engine = screen.engine
    screen.words = words
    screen.written.add((engine.step, engine.node.id))
    screen.typed[(engine.step, engine.node.id)] = words
    screen.journal.wrote(screen.attempt, engine.step, engine.node.id, words)
    await screen.segments[-1].mount(own_words(words))
    await show_proposal(screen, words)


async def show_proposal(screen: PracticeScreen, words: str) -> None:
    """Propose the closest reply on offer (or say nothing is close and show them all)."""
    screen.say(plain("Finding the closest reply…"))
    proposal = await asyncio.to_thread(propose, screen.engine, words)
    screen.proposal = proposal
    if proposal.closest is None:
        await screen.offer_choices("")
        screen.say(
            plain(
                "Nothing here is close to what you wrote. Pick the reply nearest to what you meant."
            )
        )
        return
    listing = screen.parts.choices
    await listing.set_choices([c.text for c in proposal.offered] + [SHOW_ALL])
    screen.set_phase(Phase.PROPOSE)
    other = "2 the other · " if proposal.runner_up is not None else ""
    screen.say(
        plain("Closest to what you wrote:"),
        f"Enter confirm · {other}{len(proposal.offered) + 1} show all replies",
    )
    screen.set_focus(listing)


def proposal_pick(screen: PracticeScreen, number: int) -> Choice | bool | None:
    """What number ``number`` means on the proposal: an option (to apply), True for "show
    all replies", or None for no such number."""
    proposal: Proposal | None = screen.proposal
    if proposal is None:
        return None
    if 1 <= number <= len(proposal.offered):
        return proposal.offered[number - 1]
    if number == len(proposal.offered) + 1:
        return True
    return None
