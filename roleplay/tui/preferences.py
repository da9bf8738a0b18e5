"""The app's side of the learner's remembered preferences (``roleplay.session.replies``
keeps the file): the message a screen posts when the learner changes one."""

from __future__ import annotations

from textual.message import Message


class MeterToggled(Message):
    """The learner showed or hid the trust meter (``t``): remembered for next time."""

    def __init__(self, shown: bool) -> None:
        super().__init__()
        self.shown = shown


METER_HIDDEN = "-meter-hidden"
"""The practice screen's class while the trust meter is hidden."""
