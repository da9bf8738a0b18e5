"""Plain-text renderings of lines, feedback cards and the debrief.

Used by plain mode (screen readers, pipes) and by exports; styling is left to a ``Style``
callback so the same text can be coloured on a terminal and stay bare elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from roleplay.core.debrief import (
    EXPLORATION_LABEL,
    EXPLORATIONS_HEADING,
    Debrief,
    closing_questions,
)
from roleplay.core.engine import ShownLine, Turn
from roleplay.core.models import Feedback, Rating, Scenario
from roleplay.core.skills import skill_name


def reflection_prompts(scenario_prompts: list[str]) -> list[str]:
    """The scenario's prompts, then roleplay's action-plan questions unless already asked
    (``core.debrief.closing_questions``)."""
    return [*scenario_prompts, *closing_questions(scenario_prompts)]


Style = Callable[[str, str], str]
"""(text, role) -> styled text. Roles: client, other (another speaker), cue, narration,
learner, heading, dim, and each rating value."""


def plain_style(text: str, role: str) -> str:
    """No styling at all."""
    return text


def line_text(line: ShownLine, client: str, style: Style = plain_style) -> list[str]:
    """One shown line as text: narration, then the client's words with any cue."""
    out: list[str] = []
    if line.narration:
        out.append(style(f"  ({line.narration})", "narration"))
    who = style((line.speaker or client) + ":", "client" if line.speaker is None else "other")
    # Parentheses, as the app shows a cue: a screen reader passes over them quietly.
    cue = style(f"({line.cue})", "cue") if line.cue else ""
    if line.say:
        out.append(f"{who} {cue} {line.say}" if cue else f"{who} {line.say}")
    elif cue:
        out.append(f"{who} {cue}")
    return out


def rating_tag(rating: Rating) -> str:
    """The rating as words, then its symbol, e.g. ``Builds trust (++)``: the word first, so
    a screen reader says the rating before (or instead of) the punctuation."""
    return f"{rating.label} ({rating.symbol})"


def skills_text(feedback: Feedback) -> str:
    """The skills a card is about, by name, e.g. ``Cultural humility, Repair``."""
    return ", ".join(skill_name(s) for s in feedback.skills)


def feedback_items(feedback: Feedback) -> list[tuple[str, str]]:
    """The body of a feedback card as (label, text), in the order every output shows it:
    plain mode and the debrief text here, the Markdown and HTML records in exports."""
    items = [("Why", feedback.why), ("Possible inner experience", feedback.inner_experience)]
    if feedback.stronger:
        items.append(("A stronger reply", feedback.stronger))
    return items


def feedback_text(feedback: Feedback, style: Style = plain_style) -> list[str]:
    """A feedback card as lines of text."""
    tag = style(rating_tag(feedback.rating), feedback.rating.value)
    out = [f"{tag}  Skills: {skills_text(feedback)}"]
    out.extend(f"  {label}: {text}" for label, text in feedback_items(feedback))
    if feedback.evidence:
        out.append(style(f"  Evidence: {feedback.evidence}", "dim"))
    return out


def trust_change(scenario: Scenario, turn: Turn) -> str:
    """E.g. ``Trust 40 -> 52 (Cautious)``."""
    band = scenario.trust.band_for(turn.trust_after).display
    sign = "+" if turn.delta >= 0 else ""
    return f"Trust {turn.trust_before} -> {turn.trust_after} ({sign}{turn.delta}, {band})"


DEBRIEF_HEADING = "=== Debrief ==="
CARE_NOTE = "Scenarios like this can stir things up; take a moment before you go on."


def debrief_text(
    debrief: Debrief, *, with_feedback: bool, style: Style = plain_style, opening: bool = True
) -> list[str]:
    """The whole debrief as text. ``with_feedback`` adds every card (end-of-run timing).
    ``opening`` False leaves out the heading and the how-are-you-feeling note, for a front
    end that asks that question itself (it is never said and then asked again)."""
    scenario = debrief.scenario
    h: Callable[[str], str] = lambda text: style(text, "heading")  # noqa: E731
    out: list[str] = []
    if opening:
        out.append(h(DEBRIEF_HEADING))
        out.append("How are you feeling after that conversation?")
        out.append(CARE_NOTE)
        out.append("")
    if debrief.ending is not None:
        out.append(h(f"Ending: {debrief.ending.title}"))
        out.append(debrief.ending.description)
        if debrief.ending.client_view:
            out.append(f"{scenario.client.name}'s view: {debrief.ending.client_view}")
    else:
        out.append(h("The conversation was not finished."))
    out.append("")
    out.append(h("Trust over time"))
    out.append("  " + " -> ".join(str(value) for value in debrief.trajectory))
    out.append("")
    out.append(h("Your choices (first tries)"))
    for number, review in enumerate(debrief.decisions, start=1):
        turn = review.turn
        rating = turn.feedback.rating
        tag = style(rating_tag(rating), rating.value)
        out.append(f"{number}. {review.node_title}: {tag} {turn.option.text}")
        if turn.own_words:
            out.append(f"   Your own words first: {turn.own_words}")
        out.append(f"   {trust_change(scenario, turn)}")
        if not review.chose_strongest:
            out.append(f"   Strongest option then: {review.strongest.text}")
        if with_feedback:
            out.extend("   " + line for line in feedback_text(turn.feedback, style))
    if debrief.explorations:
        out.append("")
        out.append(h(EXPLORATIONS_HEADING))
        for turn in debrief.explorations:
            node = scenario.node(turn.node_id)
            out.append(
                f"- {node.display_title}: {rating_tag(turn.feedback.rating)} {turn.option.text}"
                f" ({EXPLORATION_LABEL})"
            )
    out.append("")
    out.append(h("Skills"))
    for skill, counts in debrief.skill_tallies.items():
        parts = ", ".join(f"{rating.label.lower()} {n}" for rating, n in counts.items() if n)
        out.append(f"  {skill_name(skill)}: {parts}")
    if debrief.pivotal:
        out.append("")
        out.append(h("Pivotal moments"))
        for moment in debrief.pivotal:
            out.append(f"- {moment.question}")
    out.append("")
    out.append(h(debrief.thoughts_heading))
    for title, thought in debrief.client_thoughts:
        out.append(f"- {title}: {thought}")
    if debrief.unrepaired:
        out.append("")
        out.append(h("Ruptures left unrepaired"))
        for rupture in debrief.unrepaired:
            out.append(f"- {rupture.title}: {rupture.description}")
    if debrief.repaired:
        out.append("")
        out.append(h("Ruptures you repaired"))
        out.extend(f"- {debrief.repaired_text(rupture)}" for rupture in debrief.repaired)
    if debrief.notes:
        out.append("")
        out.append(h("Takeaways"))
        out.extend(f"- {note}" for note in debrief.notes)
    out.append("")
    out.append(h("To reflect on"))
    out.extend(f"- {prompt}" for prompt in reflection_prompts(debrief.reflection_prompts))
    return out
