"""The baselines: bare Textual apps of the same shape as roleplay's, run in a real terminal.

``python benchmarks/bare_app.py chat SCENARIO.yaml`` plays a generated scenario the way the
practice screen does, with nothing else: a transcript pinned to the bottom (one widget per
message), option rows, a bordered feedback card and a footer. ``1`` mounts the reply and
the client's reaction and shows the card; Enter hides it and shows the next line and
options. ``python benchmarks/bare_app.py library DIR`` shows a title, a tagline and a list
of the scenario titles in DIR, like the library screen. Each title is read with libYAML's
events up to the ``title`` key, the least a program can do to know it (the app reads its
list from a summary cache): parsing every file whole would add about 95 ms of CPU to the
baseline's start-up that a bare app need not spend.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

import yaml
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Static

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BareChat(App[None]):
    """A chat of the practice screen's shape and no more."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "reply", "Choose"),
        Binding("enter", "next", "Continue"),
    ]
    CSS = """
    #log { height: 1fr; }
    .option { height: auto; padding: 0 1; }
    #card { height: auto; max-height: 60%; border: round $primary; padding: 0 1; display: none; }
    """

    def __init__(self, scenario: dict[str, Any]) -> None:
        super().__init__()
        self.nodes = [node for node in scenario["nodes"] if node.get("options")]
        self.step = 0

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="log")
        yield VerticalScroll(Static(id="card-text"), id="card")
        yield VerticalScroll(id="options")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#log", VerticalScroll).anchor()
        self._show_decision()

    def _show_decision(self) -> None:
        node = self.nodes[self.step]
        log = self.query_one("#log", VerticalScroll)
        log.mount_all(Static(line["say"], markup=False) for line in node["lines"])
        options = self.query_one("#options", VerticalScroll)
        options.remove_children()
        options.mount_all(
            Static(f"{n}. {o['text']}", classes="option", markup=False)
            for n, o in enumerate(node["options"], 1)
        )
        options.display = True

    def action_reply(self) -> None:
        option = self.nodes[self.step]["options"][0]
        feedback = option["feedback"]
        self.query_one("#log", VerticalScroll).mount_all(
            [
                Static(f"You: {option['text']}", markup=False),
                *(Static(line["say"], markup=False) for line in option["reaction"]),
            ]
        )
        self.query_one("#options").display = False
        card = self.query_one("#card", VerticalScroll)
        card.border_title = "Feedback"
        card.border_subtitle = "Enter continue"
        self.query_one("#card-text", Static).update(
            "\n\n".join(
                [
                    f"{feedback['rating']}\nSkills: {', '.join(feedback['skills'])}",
                    f"Why\n{feedback['why']}",
                    f"What they might be feeling\n{feedback['inner_experience']}",
                    f"A stronger reply\n{feedback['stronger']}",
                ]
            )
        )
        card.display = True

    def action_next(self) -> None:
        self.query_one("#card").display = False
        self.step += 1
        if self.step < len(self.nodes):
            self._show_decision()


class BareLibrary(App[None]):
    """A title, a tagline and the list of scenario titles in a folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Static("roleplay", id="brand")
        yield Static("practise building trust", id="tagline")
        yield OptionList(id="list")
        yield Footer()

    def on_mount(self) -> None:
        titles = [title_of(path) for path in sorted(self.folder.glob("*.yaml"))]
        self.query_one(OptionList).add_options(titles)


def title_of(path: Path) -> str:
    """A scenario file's top-level ``title``: libYAML's events up to its value."""
    depth = 0
    is_key = False
    take = False
    with path.open("rb") as handle:
        for event in yaml.parse(handle, Loader=_LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                is_key = depth == 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                is_key = depth == 1
            elif depth == 1 and isinstance(event, yaml.ScalarEvent):
                if take:
                    return str(event.value)
                take = is_key and event.value == "title"
                is_key = not is_key
    raise ValueError(f"{path}: no title")


def main(argv: list[str]) -> None:
    kind, target = argv
    if kind == "chat":
        data = yaml.load(Path(target).read_bytes(), Loader=_LOADER)
        BareChat(data).run()
    else:
        BareLibrary(Path(target)).run()


if __name__ == "__main__":
    main(sys.argv[1:])
