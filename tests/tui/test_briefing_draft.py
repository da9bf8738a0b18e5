"""A draft scenario says so on its briefing, with where it came from one key away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Collapsible
from tui_helpers import RAMP, make_app, press, ready, screen_text

from roleplay.settings import Settings

MakeSettings = Callable[..., Settings]


async def test_draft_notice_first_and_its_notes_one_key_away(
    settings: MakeSettings, tmp_path: Path
) -> None:
    text = RAMP.read_text(encoding="utf-8")
    assert "provenance:\n" in text
    noted = tmp_path / "noted.yaml"
    noted.write_text(
        text.replace("provenance:\n", "provenance:\n  notes: Not yet read by wheelchair users.\n"),
        encoding="utf-8",
    )
    app = make_app(settings(noted))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter")
        shown = screen_text(app)
        assert "⚠ Draft: not yet reviewed" in shown
        assert "About this draft (a)" in shown
        assert "Not yet read by wheelchair users." not in shown  # folded away at first
        about = app.screen.query_one("#provenance", Collapsible)
        assert about.collapsed
        await press(pilot, "a")
        assert not about.collapsed
        assert "Not yet read by wheelchair users." in screen_text(app)
        await press(pilot, "a")
        assert about.collapsed
