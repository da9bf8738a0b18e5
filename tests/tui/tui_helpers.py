"""Helpers for the TUI tests: fixture paths, driving the app, reading the screen as text."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from roleplay.core.engine import Engine, Turn
from roleplay.core.loader import load_scenario
from roleplay.session import Attempt, HistorySink, PracticeOptions
from roleplay.settings import Settings
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.screens.resume import ChoiceDialog

HERE = Path(__file__).parent
MINI = HERE.parent / "data" / "mini.yaml"
RAMP = HERE / "data" / "ramp.yaml"
BROKEN = HERE / "data" / "broken.yaml"


class RecordingSink:
    """A HistorySink that remembers each event it was given, as (name, attempt, details)."""

    persistent = False

    def __init__(self) -> None:
        self.events: list[tuple[str, Attempt, tuple[Any, ...]]] = []

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]

    def begin(self, attempt: Attempt) -> None:
        self.events.append(("begin", attempt, ()))

    def wrote(self, attempt: Attempt, step: int, node_id: str, words: str) -> None:
        self.events.append(("wrote", attempt, (step, node_id, words)))

    def chose(self, attempt: Attempt, engine: Engine, turn: Turn) -> None:
        self.events.append(("chose", attempt, (turn.option_id,)))

    def rewound(self, attempt: Attempt, engine: Engine, to_step: int) -> None:
        self.events.append(("rewound", attempt, (to_step,)))

    def finished(self, attempt: Attempt, engine: Engine) -> None:
        self.events.append(("finished", attempt, ()))

    def reflected(self, attempt: Attempt, question: str, answer: str) -> None:
        self.events.append(("reflected", attempt, (question, answer)))

    def set_aside(self, attempt: Attempt) -> None:
        self.events.append(("set_aside", attempt, ()))


def make_app(
    settings: Settings,
    *,
    scenario: str | None = None,
    history: HistorySink | None = None,
    resume: bool = False,
) -> RoleplayApp:
    return create_app(settings, scenario=scenario, history=history, resume=resume)


def record_notes(app: App[Any]) -> list[tuple[str, str]]:
    """Record every notification the app shows as (message, severity)."""
    notes: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notes.append((message, str(kwargs.get("severity", "information"))))
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def ready(pilot: Pilot[Any]) -> None:
    """Wait for the library scan, the work the app leaves until its first frame is written
    (opening the history, the offer to resume) and any screen changes to settle.

    An offer to resume is left on screen, never waited for: its worker waits for the
    learner's answer, so waiting for every worker could hang. Settled means twice in a row
    (work queued "after the next refresh" starts between the two)."""
    app = pilot.app
    settled = 0
    while settled < 2:
        await pilot.pause()
        if isinstance(app, RoleplayApp) and (not app.painted or app._after_paint):
            settled = 0
            await pilot.pause(0.01)
            continue
        busy = [w for w in app.workers if not w.is_finished and w.group != "resume"]
        if busy:
            settled = 0
            await app.workers.wait_for_complete(busy)
            continue
        offering = [w for w in app.workers if not w.is_finished and w.group == "resume"]
        if offering and not isinstance(app.screen, ChoiceDialog):
            settled = 0
            await pilot.pause(0.01)
            continue
        settled += 1
    await pilot.pause()


def long_scenario(tmp_path: Path, decisions: int = 4) -> Path:
    """A generated scenario of ``decisions`` decisions (the benchmarks' marked kind)."""
    import yaml

    from benchmarks.generate import marked

    path = tmp_path / "work.yaml"
    path.write_text(yaml.safe_dump(marked("work", decisions), sort_keys=False), encoding="utf-8")
    return path


async def settle(pilot: Pilot[Any]) -> None:
    """Let a key press's work finish: its frame, and what follows the frame."""
    for _ in range(3):
        await pilot.pause()
    await pilot.pause(0.05)
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one at a time; ``Pilot.press`` waits for the screen to process each.

    Then ``Pilot.pause`` lays the screen out: a layout Textual would do on its next frame is
    done before the test reads the screen (on a busy machine the frame can come late).
    """
    for key in keys:
        await pilot.press(key)
    await pilot.pause()


async def into_practice(pilot: Pilot[Any]) -> PracticeScreen:
    """From the library once it has settled, open the highlighted scenario and agree to
    its briefing (Enter, Enter); the practice screen that follows."""
    await ready(pilot)
    await press(pilot, "enter", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    return screen


async def into_history(pilot: Pilot[Any]) -> None:
    """From the library once it has settled, open History (`h`) and let its rows load."""
    await ready(pilot)
    await press(pilot, "h")
    await ready(pilot)


async def open_debrief(
    pilot: Pilot[Any],
    path: Path,
    choices: list[str],
    options: PracticeOptions | None = None,
) -> None:
    """Show the debrief for a path of option ids straight away (no key presses: faster
    for snapshots of the debrief; the playthrough tests reach it by keys)."""
    app = pilot.app
    assert isinstance(app, RoleplayApp)
    await ready(pilot)
    loaded = load_scenario(path)
    engine = Engine(loaded.scenario)
    for choice in choices:
        engine.choose(choice)
    options = options or PracticeOptions()
    attempt = app.journal.begin(loaded, options)
    await app.push_screen(
        DebriefScreen(loaded, engine, options, journal=app.journal, attempt=attempt)
    )
    await pilot.pause()


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows now, one row a line (trailing blanks trimmed).

    Textual's compositor paints the rows (with any screen under a dialog, as a screenshot
    shows it); a recording Rich console turns them into text, with no colours or styles.
    """
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return [line.rstrip() for line in console.export_text(styles=False).splitlines()]


def screen_text(app: App[Any]) -> str:
    """What the terminal shows now, as text."""
    return "\n".join(screen_lines(app))
