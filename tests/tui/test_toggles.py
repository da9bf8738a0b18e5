"""The briefing's toggles show their state by a glyph, not by colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from roleplay.tui.widgets.toggles import ClearCheckbox, ClearRadioButton


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield ClearCheckbox(Content("Write first"), id="box")
        yield ClearRadioButton(Content("At the end"), True, id="radio")


def drawn(widget: ClearCheckbox | ClearRadioButton) -> str:
    """The button as drawn: its three cells (left edge, inside, right edge)."""
    return str(widget.render())[:3]


async def test_a_toggle_is_blank_when_off_and_marked_when_on() -> None:
    app = Toggles()
    async with app.run_test() as pilot:
        box = app.query_one("#box", ClearCheckbox)
        radio = app.query_one("#radio", ClearRadioButton)
        assert drawn(box)[1] == " " and drawn(radio)[1] == "●"
        box.value = True
        radio.value = False
        await pilot.pause()
        assert drawn(box)[1] == "X" and drawn(radio)[1] == " "
        await pilot.click("#box")  # and back again by the learner's own hand
        assert not box.value and drawn(box)[1] == " "
