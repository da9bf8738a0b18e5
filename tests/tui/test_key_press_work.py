# mypy: disable-error-code="comparison-overlap"
# (each test checks a phase, awaits a key press, then checks the next phase; mypy narrows
# across the await and calls the second check impossible)
"""Pilot tests for the work a key press on the practice screen leaves out of its frame: the
garbage collector waits until the frame is written, options hidden behind the feedback
card are not restyled for losing the focus (they are when they come back), the card alone
(not its text) is restyled for gaining it, the footer relabels only the keys that change,
the card's text is wrapped once to measure and draw it, and the footer asks the screen
for its keys once per rebuild."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual import events
from textual.app import App
from textual.content import Content
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tui_helpers import into_practice, make_app

from roleplay.settings import Settings
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.choices import ChoiceItem, ChoiceList
from roleplay.tui.widgets.feedback import FeedbackCard
from roleplay.tui.widgets.footer import KeyFooter, _placement
from roleplay.tui.widgets.transcript import Transcript

MakeSettings = Callable[..., Settings]


def long_scenario(tmp_path: Path, decisions: int = 4) -> Path:
    from benchmarks.generate import marked

    path = tmp_path / "work.yaml"
    path.write_text(yaml.safe_dump(marked("work", decisions), sort_keys=False), encoding="utf-8")
    return path


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
    await pilot.pause(0.05)
    await pilot.pause()


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


def shown_keys(footer: KeyFooter) -> list[tuple[str, str, bool]]:
    return [
        (key.key_display, key.description, key._disabled)
        for key in footer.query_children(FooterKey)
        if key.display and not key.has_class("-command-palette")
    ]


def wanted_keys(screen: PracticeScreen) -> list[tuple[str, str, bool]]:
    wanted: dict[str, tuple[str, str, bool]] = {}
    for _, binding, enabled, _ in screen.active_bindings.values():
        if binding.show:
            label = (screen.app.get_key_display(binding), binding.description, not enabled)
            wanted.setdefault(binding.action, label)
    return list(wanted.values())


async def test_the_footer_relabels_only_the_keys_that_change(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """After every key press the footer shows the screen's keys in order, as a footer
    composed anew would; keys that stay (Meter, Leave, Quit, Keys) keep their widget."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        footer = practice.query_one(KeyFooter)
        kept = 0
        for key in ["1", "enter", "1", "enter", "1", "c", "c", "enter", "1", "u"]:
            widgets = list(footer.query_children(FooterKey))
            before = {k.description: k for k in widgets if k.display}
            await pilot.press(key)
            await settle(pilot)
            assert shown_keys(footer) == wanted_keys(practice), key
            if list(footer.query_children(FooterKey)) != widgets:
                continue  # composed anew: more keys than widgets (the first card)
            after = {k.description: k for k in footer.query_children(FooterKey) if k.display}
            for name in ("Meter", "Leave", "Quit"):
                assert before[name] is after[name], (key, name)
            kept += 1
        assert kept >= 8


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


async def test_the_footer_asks_the_screen_for_its_keys_once_per_rebuild(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen works its keys out afresh when asked (each binding on the focus chain
    checked): a footer rebuild, relabel included, asks once (composing new keys asks
    again), and still shows the keys a
    footer composed anew would."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        footer = practice.query_one(KeyFooter)
        asked: list[int] = []
        rebuilds: list[int] = []
        active: property = vars(Screen)["active_bindings"]

        def counting_active(screen: Screen[object]) -> Any:
            if sys._getframe(1).f_code.co_name != "compose":  # keys made anew (first card)
                asked.append(1)
            assert active.fget is not None
            return active.fget(screen)

        rebuild = KeyFooter._rebuild_if_changed

        async def counting_rebuild(self: KeyFooter, *, relabel: bool = False) -> None:
            before = len(asked)
            await rebuild(self, relabel=relabel)
            rebuilds.append(len(asked) - before)

        monkeypatch.setattr(Screen, "active_bindings", property(counting_active))
        monkeypatch.setattr(KeyFooter, "_rebuild_if_changed", counting_rebuild)
        for key in ["1", "enter", "1", "c", "c", "enter", "1", "u"]:
            await pilot.press(key)
            await settle(pilot)
            assert shown_keys(footer) == wanted_keys(practice), key
        assert rebuilds and max(rebuilds) == 1


async def test_changes_made_while_the_footer_is_held_are_read_once(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bindings a key press changes (phase, focus) are read by the footer's ``settle``
    in the key press's own frame; those changes do not have the footer ask the screen for
    its keys again after the frame (they were told through the footer's message queue and
    arrived after ``settle``: each ask checks every binding on the focus chain), nor does
    the focus change Textual announces again once the screen is idle, while ``settle``
    waits for its read (it had the footer ask again after the frame); the footer still
    shows the screen's keys after every key."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        footer = practice.query_one(KeyFooter)
        asked: list[int] = []
        active: property = vars(Screen)["active_bindings"]

        def counting_active(screen: Screen[object]) -> Any:
            if sys._getframe(1).f_code.co_name == "_rebuild_if_changed":
                asked.append(1)
            assert active.fget is not None
            return active.fget(screen)

        monkeypatch.setattr(Screen, "active_bindings", property(counting_active))
        per_key: list[int] = []
        for key in ["1", "enter", "1", "enter", "1", "c", "c", "enter"]:
            asked.clear()
            await pilot.press(key)
            await settle(pilot)
            per_key.append(len(asked))
            assert shown_keys(footer) == wanted_keys(practice), key
        # The settle's read alone, whether the key moves the focus ('1', Enter) or not
        # ('c'): it was two for each key that moves it (the re-announced focus change).
        assert per_key == [1] * 8


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
