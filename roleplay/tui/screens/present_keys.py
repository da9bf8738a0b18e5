"""Present mode's keys: every binding of the present screen, with the id a facilitator can
remap it by and the tooltip the help shows. Which of them apply in each phase is decided
by the flow (``roleplay.core.facilitation.flow``); the status line names the same keys."""

from __future__ import annotations

from textual.binding import Binding, BindingType

LETTER_KEYS = "abcdefghi"


def letter_bindings() -> list[BindingType]:
    """a to i: vote (+1), shift to take a vote away, and pick (after the lock)."""
    vote = Binding.Group("Vote", compact=True)
    pick = Binding.Group("Pick", compact=True)
    bindings: list[BindingType] = []
    for key in LETTER_KEYS:
        bindings.append(
            Binding(
                key,
                f"vote('{key}')",
                "Vote",
                id=f"present.vote-{key}",
                group=vote,
                tooltip="Add one vote for the option with that letter",
            )
        )
        bindings.append(
            Binding(
                key.upper(),
                f"unvote('{key}')",
                "Remove a vote",
                show=False,
                id=f"present.unvote-{key}",
                tooltip="Take one vote away (shift + the letter)",
            )
        )
        bindings.append(
            Binding(
                key,
                f"pick('{key}')",
                "Pick",
                id=f"present.pick-{key}",
                group=pick,
                tooltip="Pick the option to reveal, or to continue with instead",
            )
        )
    return bindings


PRESENT_BINDINGS: list[BindingType] = [
    Binding("enter", "begin", "Begin", id="present.begin", tooltip="Begin the first moment"),
    Binding(
        "enter",
        "proceed",
        "Continue",
        id="present.continue",
        tooltip="Continue with the option shown (the room's choice unless you picked another)",
    ),
    *letter_bindings(),
    Binding("l", "lock", "Lock", id="present.lock", tooltip="Lock the vote and show it"),
    Binding(
        "l",
        "unlock",
        "Unlock",
        show=False,
        id="present.unlock",
        tooltip="Unlock the vote to correct a count (before the reveal)",
    ),
    Binding(
        "number_sign",
        "counts",
        "Counts",
        show=False,
        key_display="#",
        id="present.counts",
        tooltip="Type each option's count (masked on screen)",
        # Priority: the dialog opens as the key arrives, so the digits typed straight after
        # it reach the dialog's fields rather than the page behind it.
        priority=True,
    ),
    Binding(
        "r",
        "reveal",
        "Reveal",
        id="present.reveal",
        tooltip="Reveal the client's reaction and the feedback for the chosen option",
    ),
    Binding(
        "v",
        "revote",
        "Revote",
        id="present.revote",
        tooltip="Vote again after a discussion (the first vote is kept)",
    ),
    Binding(
        "w",
        "what_if",
        "What if",
        id="present.what-if",
        tooltip="Compare every option: rating, trust change, words, votes, the room's choice",
    ),
    Binding(
        "d",
        "details",
        "Details",
        id="present.details",
        tooltip="Show or hide each option's reaction and why, under the comparison",
    ),
    Binding(
        "t",
        "timer",
        "Timer",
        id="present.timer",
        tooltip="Start, pause or resume the timer",
    ),
    Binding(
        "plus,equals_sign",
        "add_time",
        "Add time",
        show=False,
        key_display="+",
        id="present.add-time",
        tooltip="Add 30 seconds to the timer",
    ),
    Binding(
        "x",
        "skip_timer",
        "Skip timer",
        show=False,
        id="present.skip-timer",
        tooltip="Stop the timer now",
    ),
    Binding(
        "n",
        "notes",
        "Notes",
        id="present.notes",
        tooltip="Show or hide the facilitator notes (the room sees them too)",
    ),
    Binding(
        "s",
        "save",
        "Save summary",
        id="present.save",
        tooltip="Save the summary as Markdown (path, votes, debrief)",
    ),
    Binding(
        "s",
        "save_now",
        "Save summary",
        show=False,
        id="present.save-now",
        tooltip="Save the summary as Markdown (path, votes, debrief)",
    ),
    Binding(
        "escape",
        "leave",
        "Leave",
        show=False,
        id="present.leave",
        tooltip="Back to the library (asks first if the summary is not saved)",
    ),
    Binding(
        "escape",
        "library",
        "Library",
        id="present.library",
        tooltip="Back to the library (asks first if the summary is not saved)",
    ),
]
"""Every key of the present screen (one key may have several, enabled in different phases)."""
