"""Pilot tests for the practice screen's footer (``KeyLine``): after every key press it
shows the keys that apply, in the order and style of Textual's footer (the snapshots hold
its exact cells), read once inside the key press's frame and without a layout; a spare key
gives way on a narrow terminal; a click presses a key; the pointer highlights a key and
shows its tooltip."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from tui_helpers import into_practice, long_scenario, make_app, settle

import roleplay.tui.widgets.key_line as key_line
from roleplay.settings import Settings
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.key_line import Key, KeyLine

MakeSettings = Callable[..., Settings]


def line_text(line: KeyLine) -> str:
    return line.render_line(0).text


def wanted(screen: Screen[Any]) -> list[tuple[str, str]]:
    """The keys the screen offers now, as a footer lists them: first binding per action."""
    keys: dict[str, tuple[str, str]] = {}
    for _, binding, _, _ in screen.active_bindings.values():
        if binding.show:
            keys.setdefault(
                binding.action, (screen.app.get_key_display(binding), binding.description)
            )
    return list(keys.values())


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_the_line_shows_the_keys_that_apply_after_every_key(
    settings: MakeSettings, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Each key the screen offers is on the line, in order, after every key press; at 60
    columns the compact style, no palette key, and Quit left out where the keys would not
    fit (the '? Keys' key never is)."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=size) as pilot:
        practice = await into_practice(pilot)
        line = practice.query_one(KeyLine)
        for key in ["1", "enter", "1", "c", "c", "enter", "1", "u", "t"]:
            await pilot.press(key)
            await settle(pilot)
            text = line_text(line)
            assert len(text) == size[0]
            shown = [(display, words) for display, words in wanted(practice)]
            narrow = size[0] < 80
            spaced = [f"{d} {w}" if narrow else f" {d} {w} " for d, w in shown]
            kept = [s for s in spaced if not (narrow and "Quit" in s)]
            position = 0
            for piece in kept:
                found = text.find(piece, position)
                assert found >= 0, (key, piece, text)
                position = found + len(piece)
            assert ("palette" in text) is not narrow, (key, text)
            assert "? Keys" in text
            if narrow and practice.phase.value == "card":
                assert "Quit" not in text  # six keys do not fit in 60 columns with it


async def test_a_key_press_reads_the_keys_in_its_frame_and_lays_nothing_out(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keys a key press changes (phase, focus) are read once by ``settle``, before the
    frame is painted, and painted in that frame (not in a second one); the line is drawn
    again but never laid out again (its size does not depend on its keys): Textual's
    footer measured, moved and redrew every key."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        line = practice.query_one(KeyLine)
        reads: list[str] = []
        read = key_line.footer_keys

        def counting(screen: Screen[object]) -> tuple[list[Key], Key | None]:
            reads.append(sys._getframe(1).f_code.co_name)
            return read(screen)

        monkeypatch.setattr(key_line, "footer_keys", counting)
        painted: list[bool] = []
        paint = practice._compositor_refresh

        def recording_paint() -> None:
            dirty = practice._compositor._dirty_regions
            if practice.region not in dirty:  # (a repaint of the whole screen says nothing)
                painted.append(any(region.overlaps(line.region) for region in dirty))
            paint()

        practice._compositor_refresh = recording_paint  # type: ignore[method-assign]
        layouts = line._layout_updates
        for key in ["1", "enter", "1", "c", "c", "enter"]:
            reads.clear()
            painted.clear()
            await pilot.press(key)
            await settle(pilot)
            assert reads[:1] == ["read_keys"] and len(reads) <= 2, (key, reads)
            # The keys change with every one of these: the key press's first frame paints
            # the line, and no frame after it paints the line again (it was handed to the
            # screen after the frame: the old keys, then a second frame with the new).
            assert painted[:1] == [True] and True not in painted[1:], (key, painted)
        assert line._layout_updates == layouts


async def test_clicking_a_key_presses_it(settings: MakeSettings, tmp_path: Path) -> None:
    """A click on a key runs it, as a click on Textual's footer key does: 't' hides the
    trust meter, then Continue (Enter) goes on from the feedback card."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice = await into_practice(pilot)
        line = practice.query_one(KeyLine)
        text = line_text(line)
        await pilot.click(KeyLine, offset=(text.index("Meter"), 0))
        await settle(pilot)
        assert practice.has_class("-meter-hidden")
        await pilot.press("1")
        await settle(pilot)
        assert practice.phase.value == "card"
        await pilot.click(KeyLine, offset=(line_text(line).index("Continue"), 0))
        await settle(pilot)
        assert practice.phase.value == "choose"


async def test_the_pointer_highlights_a_key_and_shows_its_tooltip(
    settings: MakeSettings, tmp_path: Path
) -> None:
    """Over a key, the key's cells take the hover background and the line's tooltip is the
    key's; over the space between the keys and the palette's key, neither."""
    app = make_app(settings(long_scenario(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        practice: PracticeScreen = await into_practice(pilot)
        line = practice.query_one(KeyLine)
        text = line_text(line)
        start = text.index(" t Meter ")
        plain = line.render_line(0)
        await pilot.hover(KeyLine, offset=(start + 3, 0))
        await pilot.pause()
        assert line.tooltip == "Show or hide the trust meter"
        lit = line.render_line(0)
        cells = range(start, start + len(" t Meter "))
        assert all(lit.crop(x, x + 1) != plain.crop(x, x + 1) for x in cells)
        assert lit.crop(0, start) == plain.crop(0, start)
        await pilot.hover(KeyLine, offset=(text.index("▏") - 2, 0))  # before the palette key
        await pilot.pause()
        assert line.tooltip is None
        assert line.render_line(0) == plain
