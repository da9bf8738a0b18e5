"""Plain mode: play a scenario line by line on stdin/stdout.

For screen readers, pipes and scripts: no cursor movement, no full-screen drawing, colour
only when stdout is a terminal and ``NO_COLOR`` is unset. Options are numbered; one number
per line is read; anything else asks again. When input ends before the scenario does, the
session stops with exit status ``EXIT_INPUT_ENDED`` (3) and says how to resume it.

Every line goes out through ``PlainSession.say``, which cleans scenario and learner text
(``core.safetext.clean``): a scenario cannot send escape sequences to the terminal. Colour
is added after cleaning, so the only escape sequences written are roleplay's own.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import IO

from roleplay.core.debrief import build_debrief, opening_questions
from roleplay.core.engine import Choice, Engine, ShownLine
from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Scenario
from roleplay.core.safetext import clean
from roleplay.core.textreport import (
    CARE_NOTE,
    DEBRIEF_HEADING,
    Style,
    debrief_text,
    feedback_text,
    line_text,
    reflection_prompts,
    trust_change,
)
from roleplay.session import (
    FAILURES,
    Attempt,
    FeedbackTiming,
    History,
    Journal,
    PracticeOptions,
    StoreHistory,
    StoreNow,
    failure_text,
)
from roleplay.session.replies import propose

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


EXIT_INPUT_ENDED = 3
"""Exit status when input ended before the scenario did (the attempt can be resumed)."""


def ansi_style(text: str, role: str) -> str:
    """Colour a piece of text for a terminal."""
    code = _ANSI.get(role)
    return f"\x1b[{code}m{text}\x1b[0m" if code else text


# While a line is composed, a styled span is only marked (NUL role SOH text STX); ``say``
# cleans the text and only then turns each mark into colour. Text from a scenario that
# imitates a mark can at most pick one of these colours: it never reaches the terminal raw.
_MARK = re.compile("\x00([a-z-]+)\x01(.*?)\x02", re.DOTALL)


def _mark_style(text: str, role: str) -> str:
    return f"\x00{role}\x01{text}\x02" if role in _ANSI else text


def render(text: str, colour: bool) -> str:
    """A composed line made safe for the terminal: cleaned, then coloured if asked."""
    out: list[str] = []
    position = 0
    for mark in _MARK.finditer(text):
        out.append(clean(text[position : mark.start()]))
        inner = clean(mark.group(2))
        out.append(ansi_style(inner, mark.group(1)) if colour else inner)
        position = mark.end()
    out.append(clean(text[position:]))
    return "".join(out)


def wants_colour(stream: IO[str], env: dict[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    env = dict(os.environ) if env is None else env
    return stream.isatty() and not env.get("NO_COLOR")


def terminal_width(stream: IO[str]) -> int | None:
    """The width to wrap prose to: the terminal's (at least 20 columns), or None when the
    output is not a terminal (a pipe or a file keeps each line whole for scripts)."""
    if not stream.isatty():
        return None
    return max(20, shutil.get_terminal_size((80, 24)).columns)


_SGR = re.compile("\x1b\\[[0-9;]*m")
_HANG = re.compile(r"( *)(?:- |\d+\. |[a-z]\. )?")


def wrap(line: str, width: int | None) -> list[str]:
    """One rendered line folded at spaces to ``width`` visible columns (colour codes take
    none). A continuation lines up under the text of an indented, bulleted or numbered line,
    so an option's second line reads as part of it. None: the line as it is."""
    if width is None or len(_SGR.sub("", line)) <= width:
        return [line]
    visible = _SGR.sub("", line)
    indent = _HANG.match(visible)
    hang = " " * (len(indent.group(0)) if indent else 0)
    words = line.split(" ")
    out: list[str] = []
    current, shown = words[0], len(_SGR.sub("", words[0]))
    for word in words[1:]:
        size = len(_SGR.sub("", word))
        if shown + 1 + size > width and _SGR.sub("", current).strip():
            out.append(current)
            current, shown = hang + word, len(hang) + size
        else:
            current, shown = f"{current} {word}", shown + 1 + size
    out.append(current)
    return out


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
        options: PracticeOptions | None = None,
        style: Style | None = None,
        journal: Journal | None = None,
        attempt: Attempt | None = None,
        reflect: bool = False,
        engine: Engine | None = None,
        width: int | None = None,
        notice: str | None = None,
    ) -> None:
        options = options or PracticeOptions()
        self.scenario = scenario
        self.engine = engine or Engine(scenario)
        self.stdin = stdin
        self.stdout = stdout
        self.immediate = options.feedback is FeedbackTiming.IMMEDIATE
        self.write_first = options.write_first
        self.colour = wants_colour(stdout) if style is None else style is ansi_style
        self.style = _mark_style if self.colour or style is None else style
        self.journal = journal
        """Where each event is recorded (None: nowhere), as the app records its own."""
        self.attempt = attempt
        self.reflect = reflect
        self.reflected = 0
        """Reflections written in this run."""
        self.width = width if width is not None else terminal_width(stdout)
        """Columns to wrap prose to (None: lines are written whole)."""
        self.notice = notice
        """Said with the resume line (why the settings differ from the command line)."""
        self.echo = not stdin.isatty()
        """Whether an answer needs its own line break: a terminal echoes the Enter the
        learner typed, piped input does not (the next line would run onto the prompt)."""

    def say(self, text: str = "") -> None:
        lines = render(text, self.colour).split("\n")
        self.stdout.write("".join(f"{part}\n" for line in lines for part in wrap(line, self.width)))
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(render(prompt, self.colour))
        self.stdout.flush()
        line = self.stdin.readline()
        if self.echo:
            self.stdout.write("\n")
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
        # Content notes come first, before any of the story, so a learner can decide
        # whether to go on before reading what the notes warn of.
        if scenario.content_notes:
            self.say(self.style("Content notes", "heading"))
            for note in scenario.content_notes:
                self.say(f"- {note}")
            self.say()
        if (notice := scenario.provenance.draft_notice) is not None:
            self.say(notice)
            if scenario.provenance.notes:
                self.say(f"About this scenario: {scenario.provenance.notes}")
            self.say()
        self.say(scenario.summary)
        self.say()
        self.say(self.style("Setting", "heading"))
        self.say(scenario.setting)
        if scenario.jurisdiction_note:
            self.say(f"Note on the law: {scenario.jurisdiction_note}")
        self.say()
        self.say(self.style(f"{client.name} ({client.pronouns}, {client.age})", "heading"))
        self.say(f'"{client.introduction}"')
        self.say(f"What matters to {client.name}:")  # as the app's briefing shows it
        for item in client.what_matters:
            self.say(f"- {item}")
        self.say()
        self.say(self.style("You will practise", "heading"))
        for objective in scenario.objectives:
            self.say(f"- {objective}")
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
            if self.stdin.isatty():  # a person at a terminal starts when ready; a pipe at once
                self.ask("Press Enter to begin (Ctrl+D to stop). ")
                self.say()
            if self.engine.step:
                made = self.engine.step
                self.say(
                    self.style(
                        f"(Resuming after {made} {'choice' if made == 1 else 'choices'}; "
                        f"trust is {self.engine.trust}, {self.engine.band.display}.)",
                        "dim",
                    )
                )
            if self.notice:
                self.say(self.style(self.notice, "dim"))
            self.show_lines(self.engine.lines())
            while not self.engine.finished:
                self.decide()
        except _EndOfInput:
            saved = False
            if self.journal is not None and self.attempt is not None:
                self.journal.leave(self.attempt, self.engine)
                saved = self.journal.keeps(self.attempt) and self.engine.step > 0
            self.say()
            self.say("Input ended before the scenario finished. Stopping here.")
            if saved:
                self.say(
                    "Your choices so far are saved. To go on from here: "
                    f"roleplay play {self.scenario.id} --plain --resume"
                )
            elif self.engine.step == 0:
                self.say("Nothing was chosen yet, so there is nothing to go on from.")
            else:
                self.say("This session could not be saved, so it cannot be resumed.")
            return EXIT_INPUT_ENDED
        if self.journal is not None and self.attempt is not None:
            self.journal.finish(self.attempt, self.engine)
        ending = self.engine.ending
        self.say()
        if ending is not None:
            self.say(self.style(f"--- {ending.title} ---", "heading"))
        self.say()
        debrief = build_debrief(self.engine)
        prompts = debrief.reflection_prompts
        feedback = not self.immediate
        if not self.reflect:
            for text in debrief_text(debrief, with_feedback=feedback, style=self.style):
                self.say(text)
            return 0
        # As in the app, the learner is asked how they are feeling before the analysis
        # (and only asked: the debrief's own note about it is left out).
        self.say(self.style(DEBRIEF_HEADING, "heading"))
        self.say(CARE_NOTE)
        going = self.reflections(opening_questions(prompts))
        self.say()
        for text in debrief_text(debrief, with_feedback=feedback, style=self.style, opening=False):
            self.say(text)
        if going:
            self.say()
            self.say(self.style("Your reflections (press Enter to skip one)", "heading"))
            going = self.reflections(reflection_prompts(prompts))
        if not going and self.reflected:
            self.say("Input ended. The reflections you wrote are saved.")
        return 0

    def reflections(self, prompts: list[str]) -> bool:
        """Ask each reflection prompt; answers are saved as soon as they are given. False
        if input ended."""
        for prompt in prompts:
            self.say(prompt)
            try:
                answer = self.ask("> ").strip()
            except _EndOfInput:
                return False
            if answer and self.journal is not None and self.attempt is not None:
                self.journal.reflect(self.attempt, prompt, answer)
                self.reflected += 1
        return True

    def decide(self) -> None:
        choices = self.engine.choices()
        self.say()
        self.say(self.style(self.engine.node.prompt or "What do you say?", "heading"))
        words: str | None = None
        picked: Choice | None = None
        if self.write_first:  # "Type my own reply": words first, the options only if needed
            words = self.ask("Type your reply (or press Enter to see the replies): ").strip()
            words = words or None
            if words:
                picked = self.proposal(words)
        count = len(choices)
        while picked is None:
            for choice in choices:
                self.say(_numbered(choice.number, choice.text))
            while True:
                answer = self.ask(f"Choose 1-{count}, or type your own reply: ").strip()
                if answer.isascii() and answer.isdigit():
                    if 1 <= int(answer) <= count:
                        picked = choices[int(answer) - 1]
                        break
                    self.say(f"Please type a number from 1 to {count}. Or type your reply.")
                elif any(ch.isalpha() for ch in answer):  # words: propose the closest reply
                    words = answer
                    picked = self.proposal(words)
                    break
                else:  # "1.0", "-1", "²", nothing at all
                    self.say(f"Please type a number from 1 to {count}. Or type your reply.")
        turn = self.engine.choose(picked.number, own_words=words)
        self.say()
        self.say(self.style(f"You: {turn.option.text}", "learner"))
        self.show_lines(list(turn.reaction))
        self.say(self.style(trust_change(self.scenario, turn), "dim"))
        if self.immediate:
            self.say()
            for text in feedback_text(turn.feedback, self.style):
                self.say(text)
        if self.journal is not None and self.attempt is not None:
            self.journal.chose(self.attempt, self.engine, turn)
        self.say()
        self.show_lines(self.engine.lines())

    def proposal(self, words: str) -> Choice | None:
        """Keep the learner's words and propose the closest reply on offer; returns the
        option they confirm, or None to show every reply (also when nothing is close)."""
        if self.journal is not None and self.attempt is not None:
            self.journal.wrote(self.attempt, self.engine.step, self.engine.node.id, words)
        found = propose(self.engine, words)
        if found.closest is None:
            self.say("Nothing here is close to what you wrote. Here are all the replies:")
            return None
        self.say("Closest to what you wrote:")
        for number, choice in enumerate(found.offered, start=1):
            self.say(_numbered(number, choice.text))
        self.say("  a. None of these: show all replies")
        other = f"; {len(found.offered)} the other" if len(found.offered) > 1 else ""
        while True:
            answer = self.ask(f"Enter or y confirms 1{other}; a shows all: ").strip().lower()
            if answer in ("", "y", "yes"):
                return found.offered[0]
            if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(found.offered):
                return found.offered[int(answer) - 1]
            if answer in ("a", "n", "no"):
                return None
            self.say("Press Enter (or y) to confirm, a number to pick, or a for all replies.")


def settings_text(options: PracticeOptions) -> str:
    """How an attempt is practised, in words: e.g. "feedback at the end, typing your own
    replies"."""
    timing = (
        "feedback after each choice"
        if options.feedback is FeedbackTiming.IMMEDIATE
        else "feedback at the end"
    )
    mode = "typing your own replies" if options.write_first else "choosing from the replies"
    return f"{timing}, {mode}"


def _numbered(number: int | str, text: str) -> str:
    return f"  {number}. {text}"  # ``say`` wraps it, lined up under the text


def run_plain(
    loaded: LoadedScenario,
    *,
    data_dir: Path,
    options: PracticeOptions,
    resume: bool,
    reflect: bool,
    stdin: IO[str],
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Play a scenario in plain mode, recorded in history the way the app records it (or
    not at all, with a word on ``stderr``, when history cannot be used)."""
    runner = StoreNow(data_dir)

    def saving_failed(problem: str) -> None:
        # The session goes on; what is not saved yet is kept and saved at the next step.
        stderr.write(
            f"roleplay: could not save to history ({clean(problem)}); the session goes on, "
            "and roleplay will try again at your next step.\n"
        )

    def saved_again() -> None:
        stderr.write("roleplay: saving to history works again; nothing was lost.\n")

    history = History(runner)
    sink = StoreHistory(runner, saving_failed, saved_again)
    journal = Journal(sink)
    engine: Engine | None = None
    attempt: Attempt | None = None
    notices: list[str] = []
    try:
        notices = history.open_now().result()
        if resume:
            resumed = history.resume_latest(loaded).result()
            if resumed is None:
                stdout.write(
                    f"No unfinished attempt at '{loaded.scenario.id}'; starting a new one.\n"
                )
            elif resumed.engine is None:
                stdout.write(f"{clean(resumed.problem or '')}\n")
            else:
                engine = resumed.engine
                attempt = journal.adopt(resumed.attempt, loaded, engine=engine)
                if engine.finished:  # it reached its ending before it was closed
                    journal.finish(attempt, engine)
    except FAILURES as exc:
        stderr.write(
            f"roleplay: history is unavailable ({clean(failure_text(exc))}); this session "
            "will not be saved.\n"
        )
        journal = Journal()
        attempt = None
    for said in notices:
        stderr.write(f"roleplay: {clean(said)}\n")
    if attempt is None:
        attempt = journal.begin(loaded, options)
    notice: str | None = None
    if engine is not None and attempt.options != options:
        # A resumed attempt goes on as it was practised, as in the app: its feedback timing
        # and write-first setting, whatever the command line asks this time.
        notice = f"Going on with this attempt's own settings: {settings_text(attempt.options)}."
    session = PlainSession(
        loaded.scenario,
        stdin=stdin,
        stdout=stdout,
        options=attempt.options,
        engine=engine,
        journal=journal,
        attempt=attempt,
        reflect=reflect,
        notice=notice,
    )
    try:
        return session.run()
    finally:
        if attempt.problem is not None and sink.retry():
            stderr.write(
                "roleplay: some steps of this session could not be saved to history "
                f"({clean(attempt.problem or '')}). Free some space or fix the data folder "
                "before your next session.\n"
            )
        runner.close()
