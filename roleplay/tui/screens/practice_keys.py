"""The practice screen's keys: every binding, with the id a learner can remap it by and the
tooltip the help shows, and the extra lines of its help. Which apply at each moment is the
screen's ``check_action``."""

from __future__ import annotations

from textual.binding import Binding, BindingType

BINDINGS: list[BindingType] = [
    # One footer entry ("1-9 Choose") stands for all nine digit keys. The app runs them
    # where a key first lands, before the focused widget: a digit used to travel four
    # message queues (options, answer area, screen, app) to reach them. They run only
    # while the screen allows a choice (never while the reply box is out: there the app
    # gives the digit to the focused widget, which types it).
    Binding("1", "choose(1)", "Choose", key_display="1-9", id="practice.choose-1", priority=True),
    *(
        Binding(
            str(n),
            f"choose({n})",
            f"Choose option {n}",
            show=False,
            id=f"practice.choose-{n}",
            priority=True,
        )
        for n in range(2, 10)
    ),
    Binding(
        "enter",
        "proceed",
        "Continue",
        id="practice.continue",
        tooltip="After the feedback card, go on; at the end, open the debrief",
    ),
    Binding(
        "u",
        "rewind",
        "Try another",
        id="practice.rewind",
        tooltip="Go back to the previous decision (the first try still counts)",
    ),
    Binding(
        "ctrl+z",
        "rewind_typing",
        "Try another",
        key_display="^z",
        id="practice.rewind-typing",
        tooltip="While typing a reply: go back to the previous decision",
    ),
    Binding(
        "c",
        "fold_card",
        "Fold",
        id="practice.fold-card",
        tooltip="Show only the rating line of each feedback card (kept until you quit)",
    ),
    Binding(
        "c",
        "open_card",
        "Unfold",
        id="practice.open-card",
        tooltip="Show the whole feedback card again",
    ),
    Binding(
        "t",
        "toggle_meter",
        "Meter",
        id="practice.meter",
        tooltip="Show or hide the trust meter",
    ),
    Binding(
        "escape",
        "leave",
        "Leave",
        id="practice.leave",
        tooltip="Back to the library (asks first once you have chosen)",
    ),
    Binding(
        "ctrl+r",
        "reload",
        "Reload file",
        id="practice.reload",
        show=False,
        tooltip="Reload the scenario file after editing it",
    ),
]

HELP_EXTRA: list[tuple[str, str]] = [
    ("1–9", "Choose an option by its number"),
    ("↑ ↓ Enter", "Highlight an option and choose it"),
    ("any key", "Skip the client's pause before they answer"),
    ("ctrl+z", "Try another reply while the reply box has the focus"),
    ("Tab", "Move to the transcript; then ↑ ↓ PgUp PgDn scroll it"),
]
