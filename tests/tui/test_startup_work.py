"""The work the app does to show its first frame, counted (never timed): each of the
library's widgets styled once, the footer's keys made in their final style."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color
from textual.css import stylesheet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets._footer import FooterKey
from tui_helpers import MINI, RAMP, make_app, ready

from roleplay.settings import Settings
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.widgets.footer import KeyFooter

MakeSettings = Callable[..., Settings]


class Tally:
    """Counts Textual's style applications per node and each style sheet it parses (by
    file name), from start to ready."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.styled: Counter[DOMNode] = Counter()
        self.parsed: Counter[str] = Counter()
        apply = Stylesheet.apply
        parse = getattr(stylesheet, "parse")  # noqa: B009 - imported there, not exported

        def counted_apply(sheet: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
            self.styled[node] += 1
            apply(sheet, node, *args, **kwargs)

        def counted_parse(scope: str, css: str, read_from: Any, **kwargs: Any) -> Any:
            self.parsed[Path(read_from[0]).name] += 1
            return parse(scope, css, read_from, **kwargs)

        monkeypatch.setattr(Stylesheet, "apply", counted_apply)
        monkeypatch.setattr(stylesheet, "parse", counted_parse)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_start_up_styles_each_widget_once(
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
        assert tally.styled[app] == 1


async def test_start_up_parses_the_apps_style_sheets_once(
    settings: MakeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing the theme as the app is made used to make Textual parse the app's own
    style sheets into a new sheet and then again into its own; now they are parsed once,
    with the theme's colours (checked with a theme other than the default)."""
    tally = Tally(monkeypatch)
    app = make_app(settings(MINI, RAMP, theme="roleplay-light"))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.current_theme.name == "roleplay-light"
        background = app.current_theme.background
        assert background is not None
        assert app.screen.styles.background == Color.parse(background)
    assert tally.parsed["app.tcss"] == 1
    assert tally.parsed["library.tcss"] == 1
