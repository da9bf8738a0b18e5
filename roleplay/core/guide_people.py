"""The two parts of ``roleplay guide`` written for people other than the facilitator.

- ``handout``: one page for students: what the exercise is, the content notes with the
  right to step out, the ground rules and the reflection questions, with room to write.
  It holds no option, no rating and no trust figure: it is given out before the class.
- ``portrayal``: a brief for a standardised-patient actor playing the client: who they
  are in their own words, what matters to them and what they fear from this meeting (the
  scenario's ruptures, told from the client's side), how trust moves them, the lines they
  and anyone with them say, and what not to play as a stereotype.

Also ``line_blocks``, a beat's lines as the app shows them, which the facilitator guide
uses too.
"""

from __future__ import annotations

from roleplay.core.document import (
    Block,
    Bullets,
    Heading,
    Inline,
    Para,
    Quote,
    WriteSpace,
    b,
    i,
    t,
)
from roleplay.core.engine import ShownLine
from roleplay.core.models import Line, Node, Option, Scenario
from roleplay.core.reviewpack import option_strength
from roleplay.core.routes import condition_text, letter, route_map
from roleplay.core.textreport import reflection_prompts
from roleplay.core.transcript import line_spans
from roleplay.core.wording import quoted, shortened

__all__ = ["ground_rules", "handout", "line_blocks", "portrayal", "spaced"]


def spaced(parts: list[Inline]) -> Inline:
    """Several runs of spans as one, with a space between each."""
    out: list[Inline] = []
    for index, spans in enumerate(parts):
        out.append(((t(" "),) if index else ()) + spans)
    return tuple(span for spans in out for span in spans)


def line_blocks(lines: list[Line], scenario: Scenario) -> list[Block]:
    """A beat's lines as the app shows them; a line with a condition says when it is
    shown, and a line with variants lists each version with its condition."""
    client = scenario.client.name
    out: list[Block] = []
    for line in lines:
        when = condition_text(line.when, scenario)
        if line.variants:
            lead = f"Only when {when}, one of:" if when else "One of, depending on the moment:"
            out.append(Para((i(lead),), "line"))
            items: list[Inline] = []
            for variant in line.variants:
                cond = condition_text(variant.when, scenario)
                label = i(f"when {cond}: " if cond else "otherwise: ")
                items.append((label, *spaced(line_spans(ShownLine.of(variant), client))))
            out.append(Bullets(tuple(items), css="line"))
            continue
        for spans in line_spans(ShownLine.of(line), client):
            only: Inline = (i(f"(only when {when}) "),) if when else ()
            out.append(Para((*only, *spans), "line"))
    return out


def ground_rules(name: str) -> list[str]:
    """The ground rules of a group exercise with this client: the one list present mode's
    prebrief and the student handout both show."""
    return [
        f"Treat it as real, despite its limits. {name} is fictional and a few written "
        "options cannot hold a whole conversation; speak to the moment as you would to the "
        "person in front of you.",
        "Anyone may step out at any time, without giving a reason, and come back when ready.",
        f"Nobody is asked to speak for a group. If someone shares {name}'s identity, they "
        "speak for themselves, and only if they choose to.",
        "We vote on replies, not on each other. Mistakes here are how the skill is learned.",
        "What people say about their own lives stays in the room.",
    ]


def handout(scenario: Scenario) -> list[Block]:
    """The one-page student handout: no options, no ratings, no trust."""
    client = scenario.client
    out: list[Block] = [
        Heading(1, (t(f"Student handout: {scenario.title}"),)),
        Para((t(scenario.summary),)),
        Para(
            (
                i(
                    f"About {scenario.minutes} minutes. You will meet {client.name} "
                    f"({client.pronouns}), {client.age}."
                ),
            )
        ),
        Heading(2, (t("The setting"),)),
        Para((t(scenario.setting),)),
    ]
    if scenario.content_notes:
        out += [
            Heading(2, (t("Before we start: content notes"),)),
            Bullets(tuple((t(note),) for note in scenario.content_notes)),
            Para((t("You may step out at any point, without giving a reason."),)),
        ]
    out += [
        Heading(2, (t("Ground rules"),)),
        Bullets(tuple((t(rule),) for rule in ground_rules(client.name))),
        Heading(2, (t("Afterwards: reflection questions"),)),
    ]
    for number, question in enumerate(reflection_prompts(scenario.reflection_prompts), 1):
        out += [Para((b(f"Question {number}: "), t(question))), WriteSpace()]
    return out


def _stereotype_guidance(scenario: Scenario) -> list[Inline]:
    name = scenario.client.name
    return [
        (
            t(
                f"Play {name} as one person with a life, not as a type. Wariness of "
                "services, where it shows, has reasons in what has happened to them; it is "
                "not a personality trait and not a trait of any group."
            ),
        ),
        (
            t(
                "Add no accent, dialect, grammar or mannerism that is not in the script, "
                "and do not turn up an identity for effect."
            ),
        ),
        (
            t(
                f"{name} does not teach the learner about their culture or community. If "
                "the learner asks them to explain a group, answer as this person would: "
                "for themselves, or not at all."
            ),
        ),
        (
            t(
                "Keep the humour, the competence and the things that matter to them: a "
                "client who is only suffering is a prop."
            ),
        ),
        (
            t(
                "Stay within the content notes. Do not add graphic detail of harm, and stop "
                "if a learner is distressed; step out of role to check in."
            ),
        ),
    ]


def _extremes(scenario: Scenario) -> tuple[list[tuple[Node, int, Option]], ...]:
    every = [
        (node, index, option)
        for node in scenario.decision_points()
        for index, option in enumerate(node.options)
    ]
    rising = sorted((e for e in every if e[2].effects.trust > 0), key=lambda e: -e[2].effects.trust)
    falling = sorted((e for e in every if e[2].effects.trust < 0), key=lambda e: e[2].effects.trust)
    return rising[:3], falling[:3]


def _moves_items(
    found: list[tuple[Node, int, Option]], numbers: dict[str, int]
) -> tuple[Inline, ...]:
    return tuple(
        (
            b(f"{option.effects.trust:+d} "),
            t(f"at {numbers.get(node.id, '?')}{letter(index)}: "),
            t(quoted(shortened(option.text, 120))),
            i(f" {option.feedback.inner_experience}"),
        )
        for node, index, option in found
    )


def _reply_blocks(
    label: str, node: Node, option: Option, scenario: Scenario, number: int
) -> list[Block]:
    index = node.options.index(option)
    out: list[Block] = [
        Para(
            (
                b(f"{label} ({number}{letter(index)}, trust {option.effects.trust:+d}): "),
                t(quoted(shortened(option.text, 140))),
            )
        )
    ]
    out += line_blocks(option.reaction, scenario)
    out.append(Quote((t(option.feedback.inner_experience),)))
    return out


def portrayal(scenario: Scenario) -> list[Block]:
    """The portrayal brief for a standardised-patient actor playing the client."""
    client = scenario.client
    name = client.name
    start_band = scenario.trust.band_for(scenario.trust.start).display
    decisions = route_map(scenario).decisions()
    numbers = {place.node.id: n for n, place in enumerate(decisions, start=1)}
    out: list[Block] = [Heading(1, (t(f"Portrayal brief: {name}"),))]
    if (notice := scenario.provenance.draft_notice) is not None:
        out.append(Para((t(notice),), "draft"))
    out += [
        Para(
            (
                t(
                    f"For the actor playing {name} in “{scenario.title}”. The learner may "
                    "say anything; the scripted lines below are how this person speaks and "
                    "reacts, to be played in their spirit rather than word for word."
                ),
            )
        ),
        Heading(2, (t("Who they are"),)),
        Para((b(f"{name} ({client.pronouns}), {client.age}."),)),
        Quote((t(quoted(client.introduction)),)),
        Heading(3, (t("What matters to them"),)),
        Bullets(tuple((t(item),) for item in client.what_matters)),
        Heading(3, (t("Where they are meeting the learner"),)),
        Para((t(scenario.setting),)),
    ]
    if scenario.speakers:
        others = ", ".join(scenario.speakers)
        out.append(
            Para(
                (
                    b("Also in the room: "),
                    t(
                        f"{others}. Their lines are marked with their names below; cast "
                        f"them too, or have the facilitator read them. Trust is {name}'s "
                        "relationship with the learner (in a couple or group, the work as a "
                        "whole), moved by what anyone present hears."
                    ),
                )
            )
        )
    out.append(Heading(2, (t("What they want and what they fear"),)))
    if scenario.ruptures:
        out.append(
            Para((t(f"What {name} fears from this meeting, each told from {name}'s side:"),))
        )
        out.append(Bullets(tuple((b(f"{r.title}: "), t(r.description)) for r in scenario.ruptures)))
    out.append(Para((t(f"How {name} might leave, at each ending:"),)))
    out.append(
        Bullets(
            tuple((b(f"{e.title}: "), t(e.client_view or e.description)) for e in scenario.endings)
        )
    )
    rising, falling = _extremes(scenario)
    bands = "; ".join(f"{band.display} from {band.min}" for band in scenario.trust.bands)
    out += [
        Heading(2, (t("How trust moves them"),)),
        Para(
            (
                t(
                    f"Trust starts at {scenario.trust.start} of 100 ({start_band}). Bands: "
                    f"{bands}. Where a line has versions, {name} says the one for the trust "
                    "and history of the moment: play the guarded version guarded."
                ),
            )
        ),
    ]
    if rising:
        out += [Para((t(f"What opens {name} up most:"),)), Bullets(_moves_items(rising, numbers))]
    if falling:
        out += [
            Para((t(f"What closes {name} down most:"),)),
            Bullets(_moves_items(falling, numbers)),
        ]
    out.append(Heading(2, (t("Their lines, moment by moment"),)))
    for place in decisions:
        node = place.node
        number = numbers[node.id]
        out.append(Heading(3, (t(f"Moment {number}: {node.display_title}"),)))
        out += line_blocks(node.lines, scenario)
        # Sample the replies every learner can give: a repair offered only after a
        # rupture is not how the moment usually goes.
        usual = [option for option in node.options if option.when is None] or node.options
        best = max(usual, key=option_strength)
        worst = min(usual, key=option_strength)
        out += _reply_blocks("If met well", node, best, scenario, number)
        if worst is not best:
            out += _reply_blocks("If it goes badly", node, worst, scenario, number)
    out += [
        Heading(2, (t("What not to play as a stereotype"),)),
        Bullets(tuple(_stereotype_guidance(scenario))),
    ]
    if scenario.content_notes:
        out.append(Para((b("Content notes:"),)))
        out.append(Bullets(tuple((t(note),) for note in scenario.content_notes)))
    if scenario.provenance.notes:
        out.append(Para((i(f"About this scenario: {scenario.provenance.notes}"),), "note"))
    return out
