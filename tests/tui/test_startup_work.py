"""The work the app does to show its first frame, counted (never timed): each of the
library's widgets styled once, the footer's keys made in their final style."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets._footer import FooterKey
from tui_helpers import MINI, RAMP, make_app, ready

from roleplay.settings import Settings
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.widgets.footer import KeyFooter

MakeSettings = Callable[..., Settings]


class Tally:
    """Counts Textual's style applications per node, from start to ready."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.styled: Counter[DOMNode] = Counter()
        apply = Stylesheet.apply

        def counted_apply(sheet: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
            self.styled[node] += 1
            apply(sheet, node, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "apply", counted_apply)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_start_up_styles_each_widget_once_and_lays_out_once(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """A learner's second start (the library listed from its cache): every widget of the
    library is styled once, as it is mounted (the list twice: once more as it takes the
    focus; the screen twice: once more for its width's class). The footer's keys are made
    compact or not for the width before they are styled (they used to be styled three
    times each), and nothing is styled again when the screen is first shown. The library
    is the app's first screen (no blank screen beneath it to compose and lay out too)."""
    made = settings(MINI, RAMP)
    made.data_dir.mkdir()
    async with make_app(made).run_test(size=size) as pilot:  # writes the summary cache
        await ready(pilot)
    tally = Tally(monkeypatch)
    app = make_app(made)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and app.screen_stack == [screen]
        footer = screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        assert len(keys) >= 5
        narrow = size[0] < 80
        assert footer.compact is narrow
        for key in keys:
            assert tally.styled[key] == 1, key
            palette = key.has_class("-command-palette")
            assert key.has_class("-compact") is (narrow or palette)
        widgets = list(screen.walk_children(with_self=False))
        again = {node for node in widgets if tally.styled[node] > 1}
        # Narrow, the footer itself turns compact once it knows the width (one restyle of
        # the footer, none of its keys).
        expected = {screen.query_one("#scenarios"), *([footer] if narrow else [])}
        assert again <= expected, again
        assert all(tally.styled[node] <= 2 for node in widgets)
        assert tally.styled[screen] == 2
