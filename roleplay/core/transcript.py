"""A conversation played along one path, and its transcript as Markdown.

``play`` runs the engine with a rule for choosing (or a list of option ids) and keeps what
a learner would have seen at each beat: the client's lines, the replies on offer, the one
chosen, its reaction and its feedback card. ``transcript_markdown`` writes that as a
Markdown document for people who read rather than play: reviewers (``roleplay
review-pack``) and trainers. Scenario text is untrusted, so every piece of it passes
through ``safetext.markdown_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from roleplay.core.document import Inline, b, i, markdown_inline, t
from roleplay.core.engine import Choice, Engine, ShownLine, Turn
from roleplay.core.models import Ending, Node, Scenario
from roleplay.core.safetext import markdown_text
from roleplay.core.skills import skill_name
from roleplay.core.wording import quoted

MAX_BEATS = 200
"""A path stops after this many decisions (a scenario with a loop could go on forever)."""

Chooser = Callable[[Engine], str | None]
"""Given the engine at a decision point, the id of the option to choose (None: stop)."""


@dataclass(frozen=True)
class Beat:
    """One decision point as it was played: what was shown, offered and chosen."""

    node: Node
    lines: tuple[ShownLine, ...]
    offered: tuple[Choice, ...]
    turn: Turn


@dataclass(frozen=True)
class PlayedPath:
    """A whole conversation along one path."""

    scenario: Scenario
    beats: tuple[Beat, ...]
    closing_lines: tuple[ShownLine, ...]
    ending: Ending | None
    """None when the path stopped before an ending (the chooser gave up, or a loop)."""
    final_trust: int


def play(scenario: Scenario, chooser: Chooser) -> PlayedPath:
    """Play from the start, choosing with ``chooser`` until an ending (or it returns None)."""
    engine = Engine(scenario)
    beats: list[Beat] = []
    while not engine.finished and len(beats) < MAX_BEATS:
        lines = tuple(engine.lines())
        offered = tuple(engine.choices())
        picked = chooser(engine)
        if picked is None:
            break
        node = engine.node
        turn = engine.choose(picked)
        beats.append(Beat(node, lines, offered, turn))
    closing = tuple(engine.lines()) if engine.finished else ()
    return PlayedPath(scenario, tuple(beats), closing, engine.ending, engine.trust)


def follow(option_ids: Sequence[str]) -> Chooser:
    """A chooser that takes these option ids in order, then stops."""
    remaining = list(option_ids)

    def choose(engine: Engine) -> str | None:
        return remaining.pop(0) if remaining else None

    return choose


def line_spans(line: ShownLine, client: str) -> list[Inline]:
    """One line as the app shows it, as runs of spans: the narration (italic), then the
    speaker (the client unless another is named) with any cue in brackets and the words.
    Shared by the transcript and ``roleplay guide``, so both read like the app."""
    out: list[Inline] = []
    if line.narration:
        out.append((i(line.narration),))
    who = b(f"{line.speaker or client}:")
    cue = (t(" "), t(f"[{line.cue}]")) if line.cue else ()
    if line.say:
        out.append((who, *cue, t(" "), t(line.say)))
    elif cue:
        out.append((who, *cue))
    return out


def _line(line: ShownLine, client: str) -> list[str]:
    return [markdown_inline(spans) for spans in line_spans(line, client)]


def _lines(lines: Sequence[ShownLine], client: str) -> list[str]:
    out: list[str] = []
    for line in lines:
        for text in _line(line, client):
            out.extend([text, ""])
    return out


def transcript_markdown(path: PlayedPath, title: str, *, level: int = 2) -> str:
    """The conversation as Markdown under a heading ``title`` at ``level``: each beat's
    lines, the replies on offer (the chosen one marked), the reaction and the feedback."""
    scenario = path.scenario
    client = scenario.client.name
    mark = "#" * level
    out = [f"{mark} {markdown_text(title)}", ""]
    for number, beat in enumerate(path.beats, start=1):
        turn = beat.turn
        card = turn.feedback
        out += [f"{mark}# {number}. {markdown_text(beat.node.display_title)}", ""]
        out += _lines(beat.lines, client)
        out.append("Replies on offer:")
        out.append("")
        for choice in beat.offered:
            chosen = choice.id == turn.option_id
            text = markdown_text(" ".join(choice.text.split()))
            rating = choice.option.feedback.rating
            line = f"{choice.number}. {text} ({rating.symbol} {rating.label})"
            out.append(f"**{line} (chosen)**" if chosen else line)
        out.append("")
        out += _lines(turn.reaction, client)
        change = f"{turn.delta:+d}" if turn.delta else "no change"
        extras = []
        if turn.rupture_opened:
            extras.append(f"opens the rupture *{markdown_text(turn.rupture_opened)}*")
        if turn.rupture_repaired:
            extras.append(f"repairs *{markdown_text(turn.rupture_repaired)}*")
        tail = f"; {', '.join(extras)}" if extras else ""
        skills = ", ".join(markdown_text(skill_name(s)) for s in card.skills)
        thinking = markdown_text(" ".join(card.inner_experience.split()))
        out += [
            f"> **{card.rating.symbol} {card.rating.label}** (trust {change}, now "
            f"{turn.trust_after}{tail}). Skills: {skills}.",
            ">",
            f"> {markdown_text(' '.join(card.why.split()))}",
            ">",
            f"> *The client might be thinking:* {thinking}",
        ]
        if card.stronger:
            stronger = markdown_text(quoted(" ".join(card.stronger.split())))
            out += [">", f"> *Stronger:* {stronger}"]
        out.append("")
    out += _lines(path.closing_lines, client)
    if path.ending is not None:
        out += [
            f"**Ending: {markdown_text(path.ending.title)}** (trust {path.final_trust})",
            "",
            markdown_text(" ".join(path.ending.description.split())),
            "",
        ]
        if path.ending.client_view:
            view = markdown_text(" ".join(path.ending.client_view.split()))
            out += [f"*The client might be thinking:* {view}", ""]
    else:
        out += ["*The path stops here without an ending.*", ""]
    return "\n".join(out)
