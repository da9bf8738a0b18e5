"""The numbered options at a decision point.

A small list rather than an ``OptionList`` so a long option wraps with a hanging indent
under its number, which keeps options easy to tell apart at 60 columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from roleplay.tui.text import plain


class ChoiceItem(Horizontal):
    """One option: its number, then its text wrapping beside the number."""

    DEFAULT_CSS = """
    ChoiceItem {
        height: auto;
        padding: 0 1 0 0;
        & > .number { width: 4; color: $text-accent; text-style: bold; text-align: right;
                      padding-right: 1; }
        & > .text { width: 1fr; }
        &.-highlight { background: $block-cursor-blurred-background; }
    }
    ChoiceList:focus > ChoiceItem.-highlight {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        & > .number { color: $block-cursor-foreground; }
    }
    ChoiceItem:hover { background: $boost; }
    """

    def __init__(self, number: int, text: str) -> None:
        super().__init__()
        self.number = number
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{self.number}."), classes="number")
        yield Static(plain(self.text), classes="text")

    def set_text(self, text: str) -> None:
        """Show another option's words under the same number."""
        self.text = text
        self.query_one(".text", Static).update(plain(text))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        parent = self.parent
        if isinstance(parent, ChoiceList):
            parent.highlighted = self.number - 1
            parent.post_message(ChoiceList.Chosen(parent, self.number))


class ChoiceList(VerticalScroll, can_focus=True):
    """The options on offer; ↑ ↓ move, Enter chooses (digits are handled by the screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous option", show=False),
        Binding("down,j", "move(1)", "Next option", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    """

    highlighted: reactive[int] = reactive(0, init=False)
    more: reactive[bool] = reactive(False, init=False)
    """Whether some options are out of view (the list scrolls): a small terminal."""

    class Chosen(Message):
        """An option was chosen (Enter or a click)."""

        def __init__(self, choice_list: ChoiceList, number: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.number = number

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    async def set_choices(self, texts: Sequence[str]) -> None:
        """Replace the options (numbered from 1) and highlight the first."""
        # The rows already there are reused: mounting and removing widgets at every
        # decision costs more than changing their words.
        items = self.items
        for item, text in zip(items, texts, strict=False):
            item.set_text(text)
        if len(items) > len(texts):
            await self.remove_children(items[len(texts) :])
        elif len(texts) > len(items):
            await self.mount_all(
                [ChoiceItem(n, text) for n, text in enumerate(texts, start=1)][len(items) :]
            )
        self.highlighted = 0
        self._show_highlight()
        self.scroll_home(animate=False)

    _focus_styles_stale = False
    """The list lost the focus while hidden and has not been restyled for it yet."""

    def watch_has_focus(self, has_focus: bool) -> None:
        # Losing the focus restyles the list and all its rows (about 1.5 ms of a key press
        # that shows the feedback card): the highlighted row's colours follow the focus.
        # Hidden, nothing of that is seen; the list is restyled when it gets the focus back
        # (as the screen gives it whenever it shows the options) or, failing that, when
        # it is shown.
        if not has_focus and not self.display:
            self._focus_styles_stale = True
            return
        self._focus_styles_stale = False
        super().watch_has_focus(has_focus)

    def on_show(self) -> None:
        if self._focus_styles_stale and not self.has_focus:
            self._focus_styles_stale = False
            self.update_node_styles()

    def watch_virtual_size(self) -> None:
        self.more = self.max_scroll_y > 0

    def on_resize(self) -> None:
        self.more = self.max_scroll_y > 0

    @property
    def items(self) -> list[ChoiceItem]:
        return list(self.query_children(ChoiceItem))

    def watch_highlighted(self) -> None:
        self._show_highlight()

    def _show_highlight(self) -> None:
        for index, item in enumerate(self.items):
            item.set_class(index == self.highlighted, "-highlight")
            if index == self.highlighted:
                self.scroll_to_widget(item, animate=False)

    def action_move(self, step: int) -> None:
        if self.items:
            self.highlighted = max(0, min(len(self.items) - 1, self.highlighted + step))

    def action_jump(self, index: int) -> None:
        if self.items:
            self.highlighted = index % len(self.items)

    def action_choose(self) -> None:
        if self.items:
            self.post_message(self.Chosen(self, self.highlighted + 1))
