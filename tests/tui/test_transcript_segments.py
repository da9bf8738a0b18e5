"""Finished decisions in the transcript are drawn as one widget each (``Segment.collapse``):
fewer widgets for the screen to lay out and paint, the same picture in every cell.

Each picture test compares the screen with finished decisions collapsed against the same
screen with every segment put back as live widgets, so a collapsed segment must paint
exactly what its messages paint themselves: at both sizes, after a resize, a theme switch,
with the trust notes hidden and scrolled back through the transcript."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from tui_helpers import MINI, RAMP, make_app, press, ready, screen_text

from roleplay.settings import Settings
from roleplay.tui.screens.practice import PracticeScreen
from roleplay.tui.widgets.answer_area import Phase
from roleplay.tui.widgets.transcript import LearnerMessage, Segment, Transcript

MakeSettings = Callable[..., Settings]


def marked_file(tmp_path: Path, decisions: int) -> Path:
    from benchmarks.generate import marked

    path = tmp_path / "segments.yaml"
    path.write_text(yaml.safe_dump(marked("segments", decisions), sort_keys=False), "utf-8")
    return path


def segments(app: Any) -> list[Segment]:
    return list(app.screen.query_one(Transcript).query(Segment))


def in_map(app: Any) -> set[Any]:
    """The widgets the screen's compositor places (lays out and paints)."""
    return set(app.screen._compositor.full_map)


async def restore_all(pilot: Pilot[Any]) -> None:
    for segment in segments(pilot.app):
        segment.restore()
    await pilot.pause()
    await pilot.pause()


async def same_picture_expanded(pilot: Pilot[Any]) -> None:
    """The screen as it is (collapsed segments) is the screen with every segment live."""
    app = pilot.app
    await pilot.pause()
    assert any(segment.collapsed for segment in segments(app))
    collapsed = app.export_screenshot()
    text = screen_text(app)
    await restore_all(pilot)
    assert not any(segment.collapsed for segment in segments(app))
    assert screen_text(app) == text
    assert app.export_screenshot() == collapsed
    for segment in segments(app)[:-1]:
        segment.collapse()
    await pilot.pause()


async def test_each_finished_decision_is_one_widget(settings: MakeSettings, tmp_path: Path) -> None:
    """After N decisions the transcript holds N collapsed segments, each placed on screen as
    one widget (its messages in the DOM, out of the layout map), and the live one; a rewind
    turns the decision it returns to back into live widgets, and choosing again collapses
    it."""
    app = make_app(settings(marked_file(tmp_path, 6)))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        for _ in range(4):
            await press(pilot, "1", "enter")
        assert isinstance(app.screen, PracticeScreen) and app.screen.phase is Phase.CHOOSE
        parts = segments(app)
        assert len(parts) == 5
        assert [part.collapsed for part in parts] == [True] * 4 + [False]
        placed = in_map(app)
        for part in parts[:-1]:
            assert part in placed
            assert part.children  # the messages are kept: queried, styled, themed
            assert not placed.intersection(part.children)
        assert set(parts[-1].children) <= placed
        assert len(app.screen.query(LearnerMessage)) == 4

        await press(pilot, "u")
        parts = segments(app)
        assert [part.collapsed for part in parts] == [True] * 3 + [False]
        assert set(parts[-1].children) <= in_map(app)
        assert "Back at" in screen_text(app)

        await press(pilot, "2")
        parts = segments(app)
        assert [part.collapsed for part in parts] == [True] * 4 + [False]


@pytest.mark.parametrize("size", [(100, 30), (60, 20)], ids=["100x30", "60x20"])
async def test_collapsed_segments_paint_what_their_messages_paint(
    settings: MakeSettings, size: tuple[int, int]
) -> None:
    """The side door played to its end (narration, cues, the learner's replies, trust and
    rating notes, a rewind notice): the screen with finished decisions collapsed is the
    screen with them live, cell for cell, pinned to the end and scrolled to the top."""
    app = make_app(settings(RAMP))
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "2", "enter", "u", "2", "enter", "2", "enter")
        assert isinstance(app.screen, PracticeScreen)
        await same_picture_expanded(pilot)
        app.screen.query_one(Transcript).scroll_home(animate=False)
        await same_picture_expanded(pilot)


async def test_collapsed_segments_rewrap_after_a_resize_and_follow_the_theme(
    settings: MakeSettings,
) -> None:
    """Collapsed segments re-wrap their messages when the terminal changes size (wider and
    narrower), take the colours of a newly chosen theme and leave out the trust notes when
    the meter is hidden, exactly as live messages do."""
    app = make_app(settings(RAMP))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "2", "enter", "2", "enter")
        assert isinstance(app.screen, PracticeScreen)
        transcript = app.screen.query_one(Transcript)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        transcript.scroll_home(animate=False)
        await same_picture_expanded(pilot)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await same_picture_expanded(pilot)
        before = app.export_screenshot()
        app.theme = "roleplay-high-contrast"
        await pilot.pause()
        assert app.export_screenshot() != before
        await same_picture_expanded(pilot)
        await press(pilot, "t")
        assert "trust 35" not in screen_text(app)
        await same_picture_expanded(pilot)


async def test_a_resumed_transcript_comes_back_collapsed(settings: MakeSettings) -> None:
    """Drawing the transcript again from the engine's path (on resume and reload) replays
    it as segments: every finished decision collapsed, the current one live, painted as
    its messages would paint."""
    app = make_app(settings(MINI))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "f", "enter", "2")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        reply = screen.query_one(LearnerMessage).text
        await screen.rebuild()
        await pilot.pause()
        parts = segments(app)
        assert len(parts) == 2 and [part.collapsed for part in parts] == [True, False]
        assert reply in screen_text(app)
        await same_picture_expanded(pilot)


async def test_the_mouse_gets_live_messages_to_select_in(settings: MakeSettings) -> None:
    """Text is selected in the messages' own widgets: the mouse arriving over a collapsed
    segment puts its messages back, so a drag selects words as before; the next decision
    collapses it again."""
    app = make_app(settings(RAMP))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter", "2", "enter")
        first = segments(app)[0]
        assert first.collapsed
        await pilot.hover(first, offset=(2, 1))
        await pilot.pause()
        assert not first.collapsed
        assert set(first.children) <= in_map(app)
        await pilot.hover("#topbar")
        await press(pilot, "1")  # the next decision: every finished one is collapsed again
        assert [part.collapsed for part in segments(app)] == [True, True, False]


async def test_segments_are_kept_in_chapters(settings: MakeSettings, tmp_path: Path) -> None:
    """Segments are mounted in chapters of eight (the screen's look-ups and the
    transcript's layout walk past a few chapters, not every decision): after eight
    decisions a second chapter holds the ninth segment; a rewind removes the chapter it
    empties and choosing again starts one; the picture is the same as live widgets'
    across the chapters' edge."""
    from roleplay.tui.widgets.transcript import CHAPTER, Chapter

    app = make_app(settings(marked_file(tmp_path, 10)))
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        for _ in range(CHAPTER):
            await press(pilot, "1", "enter")
        transcript = app.screen.query_one(Transcript)

        def chapters() -> list[int]:
            return [len(chapter.children) for chapter in transcript.query_children(Chapter)]

        assert chapters() == [CHAPTER, 1]
        assert list(transcript.children) == list(transcript.query_children(Chapter))
        assert transcript.last_segment is segments(app)[-1]
        await press(pilot, "u")
        assert chapters() == [CHAPTER]
        await press(pilot, "1")
        assert chapters() == [CHAPTER, 1]
        await same_picture_expanded(pilot)
        transcript.scroll_to(y=transcript.max_scroll_y - 25, animate=False)
        await same_picture_expanded(pilot)


async def test_columns_place_their_parts_as_a_fresh_layout_would(
    settings: MakeSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chapter or segment laid out at its measured height reuses the arrangement its
    measuring made (``MeasuredOnce``): after choices, a rewind, a fold of the card, a
    resize and a chapter filling up, every chapter's and segment's arrangement places each
    part exactly where a fresh layout of it at its size does; and the screen's layouts do
    reuse them."""
    from textual._arrange import arrange
    from textual.widget import Widget

    from roleplay.tui.widgets.measured import MeasuredOnce
    from roleplay.tui.widgets.transcript import CHAPTER, Chapter

    def placements(result: Any) -> list[tuple[Any, Any, Any]]:
        return [(p.widget, p.region, p.margin) for p in result.placements]

    asked: list[bool] = []  # each time a screen layout asks a column for its arrangement
    own, made = MeasuredOnce.arrange, Widget.arrange

    def asking(column: MeasuredOnce, size: Any, optimal: bool = False) -> Any:
        asked.append(False)
        return own(column, size, optimal)

    def making(widget: Widget, size: Any, optimal: bool = False) -> Any:
        if isinstance(widget, MeasuredOnce) and asked:
            asked[-1] = True  # laid out anew, not reused
        return made(widget, size, optimal)

    monkeypatch.setattr(MeasuredOnce, "arrange", asking)
    monkeypatch.setattr(Widget, "arrange", making)
    app = make_app(settings(marked_file(tmp_path, CHAPTER + 3)))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await press(pilot, "enter", "enter")
        keys = ["1", "enter", "1", "u", "2", "c", "enter", "1", "c", "enter"]
        keys += ["1", "enter"] * (CHAPTER - 2)
        for step, key in enumerate(keys):
            if step == 6:
                await pilot.resize_terminal(60, 20)
            await press(pilot, key)
            await pilot.pause()
            columns = list(app.screen.query(MeasuredOnce))
            assert any(isinstance(column, Chapter) for column in columns)
            reused = asked.count(False)
            for column in columns:
                if not column.display or column.size.height == 0 or not column.is_container:
                    continue
                size = column.content_region.size
                kept = column.arrange(size)
                fresh = arrange(column, column._nodes, size, app.screen.size)
                assert placements(kept) == placements(fresh), (key, column)
            del asked[:]
        assert reused
