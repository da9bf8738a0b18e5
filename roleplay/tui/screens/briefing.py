"""The briefing (prebrief): who the client is, the setting, objectives, content notes, the
agreement to treat the simulation as real despite its limits, and how to practise."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Collapsible, RadioSet, Static

from roleplay.core.loader import LoadedScenario
from roleplay.core.skills import skill_name
from roleplay.core.wording import possessive
from roleplay.session import FeedbackTiming, PracticeOptions
from roleplay.tui.screens.reloading import reload_scenario
from roleplay.tui.text import plain, quoted
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.toggles import ClearRadioButton


class BriefingScreen(Screen[None]):
    """Read before starting; choose feedback timing and the reply mode, then begin."""

    CSS_PATH = "briefing.tcss"
    AUTO_FOCUS = "#begin"
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("Enter", "Agree and begin (when the button has the focus)"),
        ("↑ ↓ PgUp PgDn", "Scroll the briefing"),
        ("Tab", "Move between the options and the buttons"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="briefing.back", tooltip="Back to the library"),
        Binding(
            "f",
            "toggle_timing",
            "Feedback timing",
            id="briefing.timing",
            tooltip="Feedback after each choice, or all at the end",
        ),
        Binding(
            "w",
            "toggle_write_first",
            "Reply mode",
            id="briefing.write-first",
            tooltip="Choose from replies, or type your own reply",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload file",
            id="briefing.reload",
            show=False,
            tooltip="Reload the scenario file after editing it",
        ),
        Binding(
            "a",
            "about",
            "About this draft",
            id="briefing.about",
            show=False,
            tooltip="Where a draft scenario came from and who has yet to review it",
        ),
        Binding("down,j", "scroll(1)", show=False),
        Binding("up,k", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
        Binding("home", "scroll(-1000)", show=False),
        Binding("end", "scroll(1000)", show=False),
    ]

    class Begin(Message):
        """The learner agreed and wants to start."""

        def __init__(self, loaded: LoadedScenario, options: PracticeOptions) -> None:
            super().__init__()
            self.loaded = loaded
            self.options = options

    def __init__(self, loaded: LoadedScenario, options: PracticeOptions) -> None:
        super().__init__()
        self.loaded = loaded
        self.options = options

    def compose(self) -> ComposeResult:
        scenario = self.loaded.scenario
        client = scenario.client
        yield Static(plain(scenario.title), id="briefing-title")
        with VerticalScroll(id="briefing-body", can_focus=False):
            if (notice := scenario.provenance.draft_notice) is not None:
                yield Static(plain(f"⚠ {notice}"), id="draft-notice")
                if scenario.provenance.notes:
                    # Where the scenario came from and who has yet to review it: one key
                    # away, so the learner's first screen is the client, not the authoring.
                    with Collapsible(title="About this draft (a)", id="provenance"):
                        yield Static(plain(scenario.provenance.notes), id="provenance-notes")
            yield Static(plain(scenario.summary), classes="lead")
            yield Static(Content("Who you will meet"), classes="heading")
            yield Static(
                plain(f"{client.name} ({client.pronouns}), {client.age}"), classes="client"
            )
            yield Static(plain(quoted(client.introduction)), classes="quote")
            yield Static(plain(f"What matters to {client.name}"), classes="subheading")
            for item in client.what_matters:
                yield Static(plain(f"• {item}"), classes="item")
            yield Static(Content("The setting"), classes="heading")
            yield Static(plain(scenario.setting), classes="text")
            if scenario.jurisdiction_note:
                yield Static(plain(scenario.jurisdiction_note), classes="note")
            yield Static(Content("What you will practise"), classes="heading")
            for objective in scenario.objectives:
                yield Static(plain(f"• {objective}"), classes="item")
            skills_line = ", ".join(skill_name(s) for s in scenario.skills)
            yield Static(
                plain(
                    f"Skills: {skills_line} · about {scenario.minutes} min · "
                    f"{scenario.difficulty.value}"
                ),
                classes="muted",
            )
            if scenario.content_notes:
                with Vertical(id="content-notes"):
                    yield Static(Content("⚑ Content notes"), classes="heading")
                    for note in scenario.content_notes:
                        yield Static(plain(f"• {note}"), classes="item")
                    yield Static(
                        Content(
                            "If this is not the right moment for this scenario, press Esc "
                            "to go back to the library. You can also step out at any point "
                            "while you practise."
                        ),
                        classes="text",
                    )
            with Vertical(id="agreement"):
                yield Static(Content("Before you begin"), classes="heading")
                yield Static(
                    plain(
                        f"{client.name} is fictional, and a few written options cannot hold "
                        "everything a real conversation does. Treat it as real anyway: speak "
                        f"to {client.name} as you would to the person in front of you, and "
                        "notice your own reactions as well as "
                        f"{possessive(client.name, client.pronouns)}. There are no trick "
                        "questions, and mistakes here are how the skill is learned."
                    ),
                    classes="text",
                )
            yield Static(Content("How you want to practise"), classes="heading")
            with RadioSet(id="timing"):
                yield ClearRadioButton(
                    Content("Feedback after each choice (recommended)"),
                    value=self.options.feedback is FeedbackTiming.IMMEDIATE,
                    id="timing-immediate",
                )
                yield ClearRadioButton(
                    Content("All feedback at the end"),
                    value=self.options.feedback is FeedbackTiming.AT_END,
                    id="timing-end",
                )
            with RadioSet(id="reply-mode"):
                yield ClearRadioButton(
                    Content("Choose from replies"),
                    value=not self.options.write_first,
                    id="reply-choose",
                )
                yield ClearRadioButton(
                    Content("Type my own reply"),
                    value=self.options.write_first,
                    id="reply-typed",
                )
            yield Static(
                Content(
                    "At the end: while you play you see only the client's reactions; every "
                    "feedback card waits for the debrief. Type my own reply: write what you would "
                    "say; the closest reply is proposed for you to confirm (or choose another), "
                    "and your words are kept beside it in the debrief."
                ),
                classes="muted explain",
            )
        with Horizontal(id="briefing-actions"):
            yield Button(Content("Agree and begin"), id="begin", variant="primary")
            yield Button(Content("Back to library"), id="back")
        yield KeyFooter()

    def chosen(self) -> PracticeOptions:
        """The options as currently set on screen."""
        at_end = self.query_one("#timing-end", ClearRadioButton).value
        return PracticeOptions(
            feedback=FeedbackTiming.AT_END if at_end else FeedbackTiming.IMMEDIATE,
            write_first=self.query_one("#reply-typed", ClearRadioButton).value,
        )

    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        self.post_message(self.Begin(self.loaded, self.chosen()))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

    def action_toggle_timing(self) -> None:
        if self.query_one("#timing-end", ClearRadioButton).value:
            self.query_one("#timing-immediate", ClearRadioButton).value = True
        else:
            self.query_one("#timing-end", ClearRadioButton).value = True

    def action_toggle_write_first(self) -> None:
        typed = self.query_one("#reply-typed", ClearRadioButton).value
        self.query_one("#reply-choose" if typed else "#reply-typed", ClearRadioButton).value = True

    def action_about(self) -> None:
        for about in self.query("#provenance").results(Collapsible):
            about.collapsed = not about.collapsed

    def action_scroll(self, lines: int) -> None:
        self.query_one("#briefing-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    async def action_reload(self) -> None:
        """Reload the file (for authors); an invalid edit is reported and nothing changes."""
        loaded = reload_scenario(self, self.loaded.path)
        if loaded is None:
            return
        self.options = self.chosen()
        self.loaded = loaded
        await self.recompose()
        self.query_one("#begin", Button).focus()
        self.notify(f"{loaded.path.name} reloaded.", title="Reloaded", markup=False)
