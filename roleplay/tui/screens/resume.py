"""Dialogs about unfinished attempts: the offer to resume one, and the clear message when
its saved path no longer fits the scenario (the attempt is kept either way).

Answers are a short list rather than a row of buttons: each says what it does, so the
three answers of the resume offer fit and read well at 60 columns too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.session import SavedAttempt
from roleplay.session.review import local_time
from roleplay.tui.text import clip, plain


@dataclass(frozen=True)
class Answer:
    """One answer in a ``ChoiceDialog``."""

    key: str
    """The letter that picks it."""
    value: str
    label: str
    explanation: str


class ChoiceDialog(ModalScreen[str | None]):
    """A question with a few answers, picked by letter or by arrows and Enter; Esc is the
    last answer (the safe one)."""

    CSS_PATH = "resume.tcss"
    AUTO_FOCUS = "#answers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Not now", id="choice.cancel"),
    ]

    def __init__(
        self, title: str, message: Content, answers: Sequence[Answer], *, note: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.message = message
        self.answers = list(answers)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice") as box:
            box.border_title = plain(self.title_text)
            box.border_subtitle = Content("letter or ↑ ↓ Enter")
            yield Static(self.message, classes="message")
            if self.note:
                yield Static(plain(self.note), classes="note")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (f"{answer.key}  ", "bold"),
                            (answer.label, "bold"),
                            "\n",
                            ("   " + answer.explanation, "dim"),
                        ),
                        id=answer.value,
                    )
                    for answer in self.answers
                ),
                id="answers",
            )

    @on(OptionList.OptionSelected, "#answers")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        for answer in self.answers:
            if event.key == answer.key:
                event.stop()
                self.dismiss(answer.value)
                return

    def action_cancel(self) -> None:
        self.dismiss(self.answers[-1].value if self.answers else None)


def progress(saved: SavedAttempt) -> str:
    """'2 choices so far, trust 30 (Wary)' for a saved attempt."""
    path = saved.path
    count = len(path)
    if count:
        text = f"{count} choice{'s' if count != 1 else ''} so far"
    else:
        text = "your own words written, no choice yet" if saved.draft else "no choices yet"
    engine = saved.engine
    if engine is not None:
        text += f", trust {engine.trust} ({engine.band.display})"
    elif path:
        text += f", trust {path[-1].trust_after}"
    return text


def scenario_words(saved: SavedAttempt) -> str:
    """'“The side door” (Dana)', or the scenario's id when it cannot be found."""
    if saved.loaded is None:
        return f"'{saved.attempt.scenario_id}'"
    scenario = saved.loaded.scenario
    return f"“{clip(scenario.title, 50)}” ({clip(scenario.client.name, 24)})"


def resume_offer(saved: SavedAttempt) -> ChoiceDialog:
    """On launch: resume / set aside / not now."""
    attempt = saved.attempt
    message = (
        f"You have an unfinished attempt at {scenario_words(saved)}, started "
        f"{local_time(attempt.started_at)}: {progress(saved)}."
    )
    others = len(saved.others)
    note = (
        f"{others} more unfinished attempt{'s are' if others != 1 else ' is'} in your "
        "history (h in the library)."
        if others
        else ""
    )
    return ChoiceDialog(
        "Carry on where you left off?",
        plain(message),
        [
            Answer("r", "resume", "Resume", "Carry on from where you stopped"),
            Answer(
                "s",
                "later",
                "Set aside",
                "Keep it in your history; stop offering to resume it",
            ),
            Answer("n", "not-now", "Not now", "Ask again next time roleplay starts"),
        ],
        note=note,
    )


def cannot_resume(saved: SavedAttempt, *, can_start: bool) -> ChoiceDialog:
    """The saved path no longer fits (or the scenario is gone): say so, keep the attempt."""
    attempt = saved.attempt
    count = len(saved.path)
    message = (
        f"Your unfinished attempt at {scenario_words(saved)} from "
        f"{local_time(attempt.started_at)} ({count} choice{'s' if count != 1 else ''}) cannot "
        f"be resumed. {saved.problem or ''} It is kept in your history (h in the library) "
        "with its path and reflections."
    )
    answers = []
    if can_start:
        answers.append(
            Answer("f", "fresh", "Start afresh", "Open the briefing for a new attempt now")
        )
    answers += [
        Answer("s", "later", "Set aside", "Keep it in your history; stop offering it"),
        Answer("n", "not-now", "Not now", "Ask again next time roleplay starts"),
    ]
    return ChoiceDialog(
        "This attempt no longer fits the scenario"
        if saved.loaded is not None
        else "This attempt's scenario is missing",
        plain(message),
        answers,
        note=saved.detail or "",
    )
