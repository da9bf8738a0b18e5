# mypy: disable-error-code="comparison-overlap"
# (each test checks a phase, awaits a key press, then checks the next phase; mypy narrows
# across the await and calls the second check impossible)
"""Pilot tests for the work a key press on the practice screen leaves out of its frame: the
garbage collector waits until the frame is written, and options hidden behind the feedback
card are not restyled for losing the focus (they are when they come back)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from textual.app import App
from textual.dom import DOMNode
from textual.pilot import Pilot
from tui_helpers import make_app, press, ready

from roleplay.settings import Settings
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.choices import ChoiceItem, ChoiceList
from roleplay.tui.widgets.transcript import Transcript

MakeSettings = Callable[..., Settings]


def long_scenario(tmp_path: Path, decisions: int = 4) -> Path:
    from benchmarks.generate import marked

    path = tmp_path / "work.yaml"
    path.write_text(yaml.safe_dump(marked("work", decisions), sort_keys=False), encoding="utf-8")
    return path


async def practice_screen(pilot: Pilot[Any]) -> PracticeScreen:
    await ready(pilot)
    await press(pilot, "enter", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    return screen


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
    await pilot.pause(0.05)
    await pilot.pause()


def rules(node: DOMNode) -> dict[str, object]:
    return dict(node._css_styles.get_rules())


def fresh(app: App[Any], nodes: list[DOMNode]) -> bool:
    """Whether the nodes' styles are what restyling them now would give."""
    before = [rules(node) for node in nodes]
    app.stylesheet.update_nodes(nodes)
    return before == [rules(node) for node in nodes]


async def test_the_collector_waits_until_the_key_press_is_painted(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """While a choice's changes are made and painted the cyclic garbage collector is off
    (a collection then would delay the feedback card); it is on again once the frame is
    written, and after going on to the next options."""
    assert gc.isenabled()
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await practice_screen(pilot)
        seen: dict[str, list[bool]] = {"changes": [], "paint": []}
        after_reaction, paint = practice.after_reaction, practice._compositor_refresh

        async def recording_reaction() -> None:
            seen["changes"].append(gc.isenabled())
            await after_reaction()

        def recording_paint() -> None:
            seen["paint"].append(gc.isenabled())
            paint()

        practice.after_reaction = recording_reaction  # type: ignore[method-assign]
        practice._compositor_refresh = recording_paint  # type: ignore[method-assign]
        await pilot.press("1")
        await settle(pilot)
        assert practice.phase is Phase.CARD
        assert seen["changes"] == [False]
        assert seen["paint"][:1] == [False]
        assert gc.isenabled()
        await pilot.press("enter")
        await settle(pilot)
        assert practice.phase is Phase.CHOOSE
        assert gc.isenabled()
    assert gc.isenabled()


async def test_leaving_the_screen_ends_a_hold_on_the_collector(settings: MakeSettings) -> None:
    """A hold whose frame never comes (the screen went away first) ends with the screen."""
    app = make_app(settings())
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await practice_screen(pilot)
        hold = practice._collector.hold()
        assert not gc.isenabled()
        practice.dismiss(None)
        await settle(pilot)
        assert not hold.held
        assert gc.isenabled()


async def test_hidden_options_are_restyled_when_they_come_back(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """The options lose the focus to the feedback card while hidden: they are not restyled
    then, and their styles (the highlighted row's focused colours) are right again as soon
    as they are shown, whether or not they get the focus back."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await practice_screen(pilot)
        listing = practice.query_one(ChoiceList)
        applied: list[DOMNode] = []
        apply = app.stylesheet.apply

        def counting_apply(node: DOMNode, **kwargs: Any) -> None:
            applied.append(node)
            apply(node, **kwargs)

        app.stylesheet.apply = counting_apply  # type: ignore[method-assign]
        await pilot.press("1")
        await settle(pilot)
        assert practice.phase is Phase.CARD and not listing.has_focus
        rows = set(listing.walk_children(with_self=True))
        assert not [node for node in applied if node in rows]
        app.stylesheet.apply = apply  # type: ignore[method-assign]

        await pilot.press("enter")
        await settle(pilot)
        assert practice.phase is Phase.CHOOSE and listing.has_focus
        assert fresh(app, list(listing.walk_children(with_self=True)))

        # Shown again without the focus (hidden, the focus elsewhere, then shown).
        listing.display = False
        practice.set_focus(practice.query_one(Transcript))
        await settle(pilot)
        listing.display = True
        await settle(pilot)
        assert not listing.has_focus
        nodes = list(listing.walk_children(with_self=True))
        highlighted = listing.query(ChoiceItem).first()
        assert highlighted.has_class("-highlight")
        assert fresh(app, nodes)
