"""The Markdown summary of a group session: its path, the votes at every decision and the
debrief, written to a file only this user can read."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from roleplay.core.debrief import Debrief
from roleplay.core.engine import Turn
from roleplay.core.facilitation.votes import Decision, Round
from roleplay.core.models import Rating, Scenario
from roleplay.core.safetext import markdown_text
from roleplay.core.skills import skill_name
from roleplay.core.wording import quoted


def summary_markdown(
    scenario: Scenario,
    decisions: Sequence[Decision],
    debrief: Debrief,
    *,
    split_threshold: float,
    when: datetime,
    pending: Turn | None = None,
) -> str:
    """The session as Markdown: path, votes at every decision, debrief essentials.

    ``pending`` is what the last decision's revealed option does when the group has not
    moved on yet (a summary saved mid-moment): it ends the path, marked as not taken yet."""
    lines = _summary_lines(scenario, decisions, debrief, split_threshold, when, pending)
    return "\n".join(lines) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write a text file with mode 0600 (also when replacing an existing file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)
        handle.write(text)


def _inline(text: str) -> str:
    """Scenario text on one Markdown line, table pipes escaped; cleaned, and unable to
    make a link or HTML (``core.safetext.markdown_text``)."""
    return markdown_text(" ".join(text.split())).replace("|", "\\|")


def _round_cell(round_: Round, option_id: str) -> str:
    return f"{round_.counts[option_id]} ({round_.percent_text(option_id)})"


def _vote_lines(decision: Decision, threshold: float) -> Iterable[str]:
    rounds = decision.rounds
    head = ["Option", *(("First vote" if r.number == 1 else "Revote") for r in rounds)]
    yield "| " + " | ".join(head) + " |"
    yield "|" + "---|" * len(head)
    for offered in decision.offered:
        cells = [f"{offered.letter}: {_inline(offered.text)}"]
        cells += [_round_cell(r, offered.option_id) for r in rounds]
        yield "| " + " | ".join(cells) + " |"
    yield "| Total | " + " | ".join(str(r.total) for r in rounds) + " |"
    yield ""
    for round_ in rounds:
        name = "First vote" if round_.number == 1 else "Revote"
        if not round_.locked:
            verdict = "not locked"
        elif not round_.total:
            verdict = "no votes entered"
        elif round_.is_split(threshold):
            verdict = f"split (no option above {round(100 * threshold)}%)"
        elif (leader := round_.leader()) is not None:
            verdict = f"clear choice: {decision.letter(leader)}"
        else:
            verdict = "tie"
        yield f"- {name}: {verdict}."


def _summary_lines(
    scenario: Scenario,
    decisions: Sequence[Decision],
    debrief: Debrief,
    split_threshold: float,
    when: datetime,
    pending: Turn | None,
) -> Iterable[str]:
    client = scenario.client
    yield f"# Group session: {_inline(scenario.title)}"
    yield ""
    yield f"- Date: {when.strftime('%Y-%m-%d %H:%M')}"
    yield f"- Scenario: `{scenario.id}` (version {_inline(scenario.version)})"
    yield f"- Client: {_inline(client.name)} ({_inline(client.pronouns)})"
    yield f"- Split threshold: no option above {round(100 * split_threshold)}%"
    if debrief.ending is not None:
        yield f"- Ending: {_inline(debrief.ending.title)}"
    else:
        yield "- Ending: not reached (the session stopped before the end)"
    yield ""

    yield "## The group's path"
    yield ""
    taken = [(d, d.turn, "") for d in decisions if d.turn is not None]
    if pending is not None and decisions and decisions[-1].turn is None:
        taken.append((decisions[-1], pending, " (revealed; the group has not moved on yet)"))
    if not taken:
        yield "No decision was completed."
    for number, (decision, turn, note) in enumerate(taken, start=1):
        assert turn is not None
        offered = decision.by_id(turn.option_id)
        rating = turn.feedback.rating
        yield (
            f"{number}. **{_inline(decision.title)}**: {offered.letter}, "
            f"\u201c{_inline(offered.text)}\u201d{note}"
        )
        chosen = decision.chosen_by()
        yield (
            f"   - {chosen[0].upper()}{chosen[1:]}; {rating.symbol} {rating.label}; "
            f"trust {turn.trust_before} \u2192 {turn.trust_after}"
        )
        room_turn = decision.room_turn
        if decision.overridden and room_turn is not None:
            room_rating = room_turn.feedback.rating
            yield (
                f"   - The room's choice, {decision.letter(room_turn.option_id)}, counts in "
                f"the group's ratings: {room_rating.symbol} {room_rating.label}"
            )
    yield ""

    yield "## Votes at each decision"
    for number, decision in enumerate(decisions, start=1):
        yield ""
        yield f"### {number}. {_inline(decision.title)}"
        yield ""
        yield from _vote_lines(decision, split_threshold)

    yield ""
    yield "## Debrief"
    yield ""
    if debrief.ending is not None:
        yield f"### How it ended: {_inline(debrief.ending.title)}"
        yield ""
        yield _inline(debrief.ending.description)
        if debrief.ending.client_view:
            yield ""
            view = _inline(quoted(debrief.ending.client_view))
            yield f"{_inline(client.name)}, leaving: {view}"
        yield ""
    yield "### Trust over the session"
    yield ""
    yield " \u2192 ".join(str(value) for value in debrief.trajectory)
    yield ""
    counts = debrief.rating_counts
    if debrief.decisions:
        yield "### Ratings of the group's choices"
        yield ""
        if any(d.overridden for d in decisions):
            yield "Where the facilitator continued with another option, the room's vote counts."
            yield ""
        for rating in Rating:
            yield f"- {rating.symbol} {rating.label}: {counts[rating]}"
        yield ""
    if debrief.skill_tallies:
        yield "### Skills"
        yield ""
        yield "| Skill | " + " | ".join(r.symbol for r in Rating) + " |"
        yield "|" + "---|" * (1 + len(Rating))
        for skill, tally in debrief.skill_tallies.items():
            cells = " | ".join(str(tally.get(r, 0)) for r in Rating)
            yield f"| {skill_name(skill)} | {cells} |"
        yield ""
    if debrief.pivotal:
        yield "### Pivotal moments"
        yield ""
        for pivot in debrief.pivotal:
            yield f"- {_inline(pivot.question)}"
        yield ""
    if debrief.client_thoughts:
        yield f"### {_inline(debrief.thoughts_heading)}"
        yield ""
        for title, thought in debrief.client_thoughts:
            yield f"- {_inline(title)}: {_inline(thought)}"
        yield ""
    if debrief.unrepaired:
        yield "### Ruptures left unrepaired"
        yield ""
        for rupture in debrief.unrepaired:
            yield f"- {_inline(rupture.title)}: {_inline(rupture.description)}"
        yield ""
    if debrief.repaired:
        yield "### Ruptures repaired"
        yield ""
        for rupture in debrief.repaired:
            yield f"- {_inline(rupture.title)}"
        yield ""
    if debrief.notes:
        yield "### Takeaways"
        yield ""
        for note in debrief.notes:
            yield f"- {_inline(note)}"
        yield ""
    yield "### Questions to reflect on"
    yield ""
    for prompt in debrief.reflection_prompts:
        yield f"- {_inline(prompt)}"
