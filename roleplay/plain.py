"""Plain mode: play a scenario line by line on stdin/stdout.

For screen readers, pipes and scripts: no cursor movement, no full-screen drawing, colour
only when stdout is a terminal and ``NO_COLOR`` is unset. Options are numbered; one number
per line is read; anything else asks again. End of input exits cleanly.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from typing import IO

from roleplay.core.debrief import build_debrief
from roleplay.core.engine import Engine, ShownLine, Turn
from roleplay.core.models import Scenario
from roleplay.core.textreport import (
    Style,
    debrief_text,
    feedback_text,
    line_text,
    plain_style,
    reflection_prompts,
    trust_change,
)
from roleplay.store.db import StoreError
from roleplay.store.recorder import Recorder

_ANSI = {
    "client": "1;36",
    "other": "1;35",
    "cue": "2;3",
    "narration": "3",
    "learner": "1;33",
    "heading": "1",
    "dim": "2",
    "builds-trust": "1;32",
    "partly-helpful": "1;34",
    "missed-opportunity": "1;33",
    "harmful": "1;31",
}


def ansi_style(text: str, role: str) -> str:
    """Colour a piece of text for a terminal."""
    code = _ANSI.get(role)
    return f"\x1b[{code}m{text}\x1b[0m" if code else text


def wants_colour(stream: IO[str], env: dict[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    env = dict(os.environ) if env is None else env
    return stream.isatty() and not env.get("NO_COLOR")


class SavingHooks:
    """Saves a plain session through a recorder; if saving fails the session goes on and
    the learner is told once (their words are still on screen to copy)."""

    def __init__(self, recorder: Recorder | None, errors: IO[str]) -> None:
        self.recorder = recorder
        self.errors = errors

    def _guard(self, action: Callable[[Recorder], None]) -> None:
        if self.recorder is None:
            return
        try:
            action(self.recorder)
        except StoreError as exc:
            self.recorder = None
            self.errors.write(
                f"roleplay: could not save to history ({exc}); the rest of this session "
                "will not be saved.\n"
            )

    def turn(self, engine: Engine, turn: Turn) -> None:
        """Save a choice."""
        self._guard(lambda r: r.turn(engine, turn))

    def words(self, step: int, node_id: str, words: str) -> None:
        """Save words written first, before the choice."""
        self._guard(lambda r: r.words(step, node_id, words))

    def reflection(self, prompt: str, answer: str) -> None:
        """Save a reflection answer."""
        self._guard(lambda r: r.reflection(prompt, answer))


class _EndOfInput(Exception):
    pass


class PlainSession:
    """One scenario played over text streams."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        stdin: IO[str],
        stdout: IO[str],
        feedback: str = "immediate",
        write_first: bool = False,
        style: Style | None = None,
        on_turn: Callable[[Engine, Turn], None] | None = None,
        on_reflection: Callable[[str, str], None] | None = None,
        on_words: Callable[[int, str, str], None] | None = None,
        reflect: bool = False,
        engine: Engine | None = None,
    ) -> None:
        self.scenario = scenario
        self.engine = engine or Engine(scenario)
        self.stdin = stdin
        self.stdout = stdout
        self.immediate = feedback == "immediate"
        self.write_first = write_first
        self.style = style or (ansi_style if wants_colour(stdout) else plain_style)
        self.on_turn = on_turn
        self.on_reflection = on_reflection
        self.on_words = on_words
        self.reflect = reflect

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise _EndOfInput
        return line.rstrip("\r\n")

    def show_lines(self, lines: list[ShownLine]) -> None:
        for line in lines:
            for text in line_text(line, self.scenario.client.name, self.style):
                self.say(text)

    def briefing(self) -> None:
        scenario = self.scenario
        client = scenario.client
        self.say(self.style(f"=== {scenario.title} ===", "heading"))
        self.say(scenario.summary)
        self.say()
        self.say(self.style("Setting", "heading"))
        self.say(scenario.setting)
        if scenario.jurisdiction_note:
            self.say(f"Note on the law: {scenario.jurisdiction_note}")
        self.say()
        self.say(self.style(f"{client.name} ({client.pronouns}, {client.age})", "heading"))
        self.say(f'"{client.introduction}"')
        self.say()
        self.say(self.style("You will practise", "heading"))
        for objective in scenario.objectives:
            self.say(f"- {objective}")
        if scenario.content_notes:
            self.say(self.style("Content notes", "heading"))
            for note in scenario.content_notes:
                self.say(f"- {note}")
        self.say()
        self.say(
            "This is a simulation with limits. Treat it as real anyway: answer as you would "
            "in the room."
        )
        self.say()

    def run(self) -> int:
        """Play to the end (or end of input). Returns the exit code."""
        self.briefing()
        try:
            if self.engine.step:
                self.say(
                    self.style(
                        f"(Resuming after {self.engine.step} choice(s); trust is "
                        f"{self.engine.trust}, {self.engine.band.display}.)",
                        "dim",
                    )
                )
            self.show_lines(self.engine.lines())
            while not self.engine.finished:
                self.decide()
        except _EndOfInput:
            self.say()
            self.say("Input ended before the scenario finished. Stopping here.")
            return 0
        ending = self.engine.ending
        self.say()
        if ending is not None:
            self.say(self.style(f"--- {ending.title} ---", "heading"))
        self.say()
        debrief = build_debrief(self.engine)
        for text in debrief_text(debrief, with_feedback=not self.immediate, style=self.style):
            self.say(text)
        if self.reflect:
            self.reflections(debrief.reflection_prompts)
        return 0

    def reflections(self, prompts: list[str]) -> None:
        """Ask each reflection prompt; answers are saved as soon as they are given."""
        self.say()
        self.say(self.style("Your reflections (press Enter to skip one)", "heading"))
        for prompt in reflection_prompts(prompts):
            self.say(prompt)
            try:
                answer = self.ask("> ").strip()
            except _EndOfInput:
                return
            if answer and self.on_reflection is not None:
                self.on_reflection(prompt, answer)

    def decide(self) -> None:
        choices = self.engine.choices()
        self.say()
        self.say(self.style(self.engine.node.prompt or "What do you say?", "heading"))
        words = None
        if self.write_first:
            words = self.ask("In your own words first (or press Enter to skip): ").strip()
            if words and self.on_words is not None:
                self.on_words(self.engine.step, self.engine.node.id, words)
        for choice in choices:
            wrapped = textwrap.fill(
                choice.text,
                width=76,
                initial_indent=f"  {choice.number}. ",
                subsequent_indent="     ",
            )
            self.say(wrapped)
        count = len(choices)
        while True:
            answer = self.ask(f"Choose 1-{count}: ").strip()
            if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= count:
                break
            self.say(f"Please type a number from 1 to {count}.")
        turn = self.engine.choose(int(answer), own_words=words or None)
        self.say()
        self.say(self.style(f"You: {turn.option.text}", "learner"))
        self.show_lines(list(turn.reaction))
        self.say(self.style(trust_change(self.scenario, turn), "dim"))
        if self.immediate:
            self.say()
            for text in feedback_text(turn.feedback, self.style):
                self.say(text)
        if self.on_turn is not None:
            self.on_turn(self.engine, turn)
        self.say()
        self.show_lines(self.engine.lines())
