# mypy: disable-error-code="comparison-overlap"
# (each test checks a phase, awaits a key press, then checks the next phase; mypy narrows
# across the await and calls the second check impossible)
"""Pilot tests for the work a key press on the practice screen leaves out of its frame: the
garbage collector waits until the frame is written, options hidden behind the feedback
card are not restyled for losing the focus (they are when they come back), the card alone
(not its text) is restyled for gaining it, the other screens' footer (``KeyFooter``) keeps
its key widgets where they are when relabelled, and the card's text is wrapped once to
measure and draw it. (The practice screen's own footer: test_key_line.py.)"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Static
from tui_helpers import into_practice, long_scenario, make_app, settle

from roleplay.settings import Settings
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.choices import ChoiceItem, ChoiceList
from roleplay.tui.widgets.feedback import FeedbackCard
from roleplay.tui.widgets.footer import _placement
from roleplay.tui.widgets.transcript import Transcript

MakeSettings = Callable[..., Settings]


def rules(node: DOMNode) -> dict[str, object]:
    return dict(node._css_styles.get_rules())


@contextmanager
def styled(app: App[Any]) -> Iterator[list[DOMNode]]:
    """Every node the app's stylesheet applies styles to inside the block, in order."""
    applied: list[DOMNode] = []
    apply = app.stylesheet.apply

    def counting_apply(node: DOMNode, **kwargs: Any) -> None:
        applied.append(node)
        apply(node, **kwargs)

    app.stylesheet.apply = counting_apply  # type: ignore[method-assign]
    try:
        yield applied
    finally:
        app.stylesheet.apply = apply  # type: ignore[method-assign]


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
        practice = await into_practice(pilot)
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
        practice = await into_practice(pilot)
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
        practice = await into_practice(pilot)
        listing = practice.query_one(ChoiceList)
        with styled(app) as applied:
            await pilot.press("1")
            await settle(pilot)
        assert practice.phase is Phase.CARD and not listing.has_focus
        rows = set(listing.walk_children(with_self=True))
        assert not [node for node in applied if node in rows]

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


def test_footer_placement_keeps_keys_where_they_are() -> None:
    """Key widgets keep their words where they can: a key that appears or goes does not
    relabel every key after it; with nothing in common the first widgets are used."""

    def key(name: str, disabled: bool = False) -> tuple[str, str, str, str, bool]:
        return (name, name, name.upper(), name, disabled)

    choose, go, back, fold, meter, leave = (
        key(n) for n in ("choose", "go", "back", "fold", "meter", "leave")
    )
    card = [go, back, fold, meter, leave]
    assert _placement(card, card) == [0, 1, 2, 3, 4]
    # Choosing again: Choose takes Continue's place, Fold's widget is hidden.
    assert _placement(card, [choose, back, meter, leave]) == [0, 1, 3, 4]
    # A key that appears again uses its hidden widget.
    assert _placement([choose, back, fold, meter, leave], card) == [0, 1, 2, 3, 4]
    # Enabled or not is part of a key's words.
    assert _placement([key("go", True), meter], [go, meter]) == [0, 1]
    assert _placement([key("x"), key("y"), key("z")], [go, meter]) == [0, 1]
    assert _placement([key("x"), meter, key("z")], [meter]) == [1]


async def test_the_card_alone_is_restyled_for_the_focus(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """Showing the card gives it the focus: the card is restyled (its border turns to the
    focused colour) but its text is not; losing and regaining the focus keeps every
    style as a full restyle would give it."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        card = practice.query_one(FeedbackCard)
        text = card.query_one("#card-text")
        with styled(app) as applied:
            await pilot.press("1")
            await settle(pilot)
        assert card.has_focus and card in applied and text not in applied
        focused = card.styles.border_top
        assert fresh(app, list(card.walk_children(with_self=True)))
        practice.set_focus(practice.query_one(Transcript))
        await settle(pilot)
        assert not card.has_focus and card.styles.border_top != focused
        assert fresh(app, list(card.walk_children(with_self=True)))
        practice.set_focus(card)
        await settle(pilot)
        assert card.styles.border_top == focused
        assert fresh(app, list(card.walk_children(with_self=True)))


async def test_the_card_text_is_wrapped_once_per_card(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """A card shown (opened, folded, opened again, at two sizes) wraps its text once to
    measure and draw it, and draws exactly the lines Textual's own path would draw."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        text = practice.query_one(FeedbackCard).query_one("#card-text", Static)
        wrapped: list[tuple[str, int]] = []
        wrap = Content._wrap_and_format

        def counting_wrap(content: Content, *args: Any, **kwargs: Any) -> Any:
            wrapped.append((content.plain, args[0] if args else kwargs["width"]))
            return wrap(content, *args, **kwargs)

        Content._wrap_and_format = counting_wrap  # type: ignore[method-assign,assignment]
        try:
            for key, size in [("1", None), ("c", None), ("c", None), (None, (60, 20))]:
                wrapped.clear()
                if key is not None:
                    await pilot.press(key)
                if size is not None:
                    await pilot.resize_terminal(*size)
                await settle(pilot)
                plain = str(text.visual)
                assert wrapped.count((plain, text.size.width)) == 1, (key, size)
                drawn = list(text._render_cache.lines)
                Content._wrap_and_format = wrap  # type: ignore[method-assign]
                Static._render_content(text)  # Textual's own path
                Content._wrap_and_format = counting_wrap  # type: ignore[method-assign,assignment]
                assert drawn == list(text._render_cache.lines), (key, size)
                assert len(drawn) == text.size.height
        finally:
            Content._wrap_and_format = wrap  # type: ignore[method-assign]


async def test_a_digit_reaches_the_choice_where_it_first_lands(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digit chooses without being handed from the options to the answer area, the
    screen and the app (a message queue each) first: no widget is given it, and the
    choice is made as before."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        given: list[str] = []
        handle = Widget.handle_key

        async def counting(widget: Widget, event: events.Key) -> bool:
            given.append(type(widget).__name__)
            return await handle(widget, event)

        monkeypatch.setattr(Widget, "handle_key", counting)
        assert practice.phase is Phase.CHOOSE
        await pilot.press("1")
        await settle(pilot)
        assert given == []
        assert practice.phase is Phase.CARD
