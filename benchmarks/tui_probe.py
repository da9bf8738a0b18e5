"""Drive the app with Pilot and time key press -> feedback card painted."""

from __future__ import annotations

import time
from typing import Any

from textual.app import App


async def play_and_time(app: App[Any], samples: int) -> list[float]:
    """Open the scenario's practice screen, then for each decision time '1' until the
    feedback card is on screen and painted; Enter moves on to the next decision."""
    from roleplay.tui.screens.practice import Phase, PracticeScreen

    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")  # the briefing: agree and begin
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PracticeScreen), type(screen).__name__
        for _ in range(samples):
            if screen.phase is not Phase.CHOOSE:
                break
            start = time.perf_counter()
            await pilot.press("1")
            while screen.phase is not Phase.CARD:
                await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()  # one more refresh: the card is painted
            times.append(time.perf_counter() - start)
            await pilot.press("enter")
            await pilot.pause()
    return times


async def bare_chat_times(samples: int) -> list[float]:
    """The baseline: a bare Textual chat of the same shape (a scrolling log, a footer, a
    card that appears after each key press), timed the same way."""
    from textual.app import ComposeResult
    from textual.binding import Binding
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Static

    class BareChat(App[None]):
        BINDINGS = [Binding("1", "reply", "Reply"), Binding("enter", "next", "Next")]  # noqa: RUF012
        CSS = "#card { border: round $accent; height: auto; display: none; }"

        def __init__(self) -> None:
            super().__init__()
            self.card_shown = False

        def compose(self) -> ComposeResult:
            yield VerticalScroll(id="log")
            yield Static(id="card")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one("#log", VerticalScroll).anchor()

        async def action_reply(self) -> None:
            log = self.query_one("#log", VerticalScroll)
            await log.mount_all(
                [
                    Static("You: a reply of a sentence or two."),
                    Static("Client: an answer."),
                    Static("trust 40 -> 50"),
                ]
            )
            card = self.query_one("#card", Static)
            card.update("Builds trust\nWhy: because.\nA stronger reply: this.")
            card.display = True
            self.card_shown = True

        async def action_next(self) -> None:
            self.query_one("#card").display = False
            self.card_shown = False
            await self.query_one("#log", VerticalScroll).mount(Static("Client: the next line."))

    app = BareChat()
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(samples):
            start = time.perf_counter()
            await pilot.press("1")
            while not app.card_shown:
                await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            times.append(time.perf_counter() - start)
            await pilot.press("enter")
            await pilot.pause()
    return times
