"""A student's page in a real browser (opt-in: skipped unless Debian's ``chromium`` is
installed): headless Chromium opens the student page of ``present --room``, votes by
clicking an option, and the presenter's screen (the app, under Pilot) counts it; after
the lock the page says so. The screenshot's path is printed, for a person to look at."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from browsing import CHROMIUM, chromium_page
from room_kit import GROUP

from roleplay.core.facilitation import FacilitationSettings, Phase
from roleplay.core.loader import load_scenario
from roleplay.room.options import RoomOptions
from roleplay.session import PresentRequest
from roleplay.settings import Settings
from roleplay.tui.app import create_app
from roleplay.tui.screens.room_present import RoomPresentScreen
from roleplay.tui.widgets.room_panel import RoomLine

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]


async def test_a_click_in_the_browser_is_counted_on_the_presenters_screen(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", scenario_dirs=(GROUP,), animation=False)
    request = PresentRequest(
        load_scenario(GROUP), FacilitationSettings(), room=RoomOptions(port=0, class_size=25)
    )
    app = create_app(settings, present=request)
    async with app.run_test(size=(100, 30)) as pilot, chromium_page(tmp_path) as page:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoomPresentScreen)
        await pilot.press("enter")  # the first moment: voting is open
        await page.call("Page.navigate", url=screen.room.student_url)
        await page.until("!!document.querySelector('button.option[value=\"B\"]')")
        await page.click('button.option[value="B"]')
        for _ in range(600):  # up to a minute on a busy machine
            if screen.room.state.voted:
                break
            await asyncio.sleep(0.1)
        await pilot.pause()
        assert screen.room.state.voted == 1
        assert "1 of 25 voted" in str(screen.query_one(RoomLine).render())
        status = await page.until(
            "(() => { const s = document.getElementById('status').textContent;"
            " return s.startsWith('Your vote: B') && s; })()"
        )
        assert "until the vote is locked" in status
        pressed = await page.evaluate(
            "document.querySelector('button.option[value=\"B\"]').getAttribute('aria-pressed')"
        )
        assert pressed == "true"

        await pilot.press("l")
        assert screen.session.phase is Phase.LOCKED
        locked = await page.until(
            "(() => { const s = document.getElementById('status').textContent;"
            " return s.startsWith('Vote locked') && s; })()"
        )
        assert locked == "Vote locked. Your vote: B."
        shot = tmp_path / "student.png"
        shot.write_bytes(await page.screenshot())
        print(f"screenshot: {shot}")
