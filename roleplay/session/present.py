"""What present mode was asked for (a scenario, timer and split settings, the clock), kept
apart from the present screen so the command line and the app can name it without
importing that screen at start-up."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from roleplay.core.facilitation import Clock, FacilitationSettings
from roleplay.core.loader import LoadedScenario
from roleplay.room.options import RoomOptions


@dataclass(frozen=True)
class PresentRequest:
    """Present mode as asked for on the command line (or the defaults, from the library)."""

    loaded: LoadedScenario | None = None
    """A scenario to present at once; None opens the library (``p`` presents from there)."""
    settings: FacilitationSettings = field(default_factory=FacilitationSettings)
    clock: Clock = time.monotonic
    """Monotonic seconds for the timers (tests pass a fake clock)."""
    room: RoomOptions | None = None
    """A room server for students' own devices (``--room``), or None."""
