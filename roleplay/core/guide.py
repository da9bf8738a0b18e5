"""``roleplay guide``: a printable guide to one scenario, for a trainer preparing a class.

Three parts, each usable on its own (``Part``):

- the **facilitator guide**: the scenario at a glance, then every moment in reading order
  with the client's lines as the app shows them (conditional lines and variants say when
  they appear), each option with its rating, trust change, ruptures, reaction, the
  feedback's why and what the client might be thinking, the facilitator notes and the
  discussion questions; where a moment is only on some paths, or can come round again,
  it says so; then what each ending means;
- the **student handout** (``roleplay.core.guide_people``): one page with no options and
  no ratings;
- the **portrayal brief** (``roleplay.core.guide_people``): for a standardised-patient
  actor.

The parts are built as ``roleplay.core.document`` blocks and rendered as Markdown or HTML
there, so every piece of scenario text is cleaned on its way out. Lines are shown with the
transcript's ``line_spans`` and the routes at a glance are the review pack's best and
mistake paths, so the guide reads like the app and the review pack.
"""

from __future__ import annotations

from enum import StrEnum

from roleplay.core.document import (
    Block,
    Bullets,
    Heading,
    Inline,
    PageBreak,
    Para,
    Quote,
    b,
    i,
    t,
    to_html,
    to_markdown,
)
from roleplay.core.guide_people import handout, line_blocks, portrayal
from roleplay.core.models import Node, Option, Scenario
from roleplay.core.reviewpack import best_path, mistake_path
from roleplay.core.routes import Arrival, Place, RouteMap, condition_text, letter, route_map
from roleplay.core.skills import skill_name
from roleplay.core.textreport import reflection_prompts
from roleplay.core.transcript import PlayedPath
from roleplay.core.wording import quoted

__all__ = ["Format", "Part", "facilitator", "guide_blocks", "render_guide"]


class Part(StrEnum):
    """Which part of the guide to write."""

    FACILITATOR = "facilitator"
    HANDOUT = "handout"
    PORTRAYAL = "portrayal"
    ALL = "all"


class Format(StrEnum):
    """The output format."""

    MD = "md"
    HTML = "html"


def _effects(option: Option, scenario: Scenario) -> str:
    trust = option.effects.trust
    parts = [f"trust {trust:+d}" if trust else "trust unchanged"]
    if option.effects.open_rupture:
        found = scenario.rupture(option.effects.open_rupture)
        parts.append(f"opens “{found.title if found else option.effects.open_rupture}”")
    if option.effects.repair_rupture:
        found = scenario.rupture(option.effects.repair_rupture)
        parts.append(f"repairs “{found.title if found else option.effects.repair_rupture}”")
    return ", ".join(parts)


def _option_blocks(node: Node, index: int, scenario: Scenario) -> list[Block]:
    option = node.options[index]
    card = option.feedback
    rating = card.rating
    when = condition_text(option.when, scenario)
    out: list[Block] = [
        Para(
            (
                b(f"{letter(index)}. "),
                t(option.text),
                t(" "),
                b(f"({rating.symbol} {rating.label}; {_effects(option, scenario)})"),
            )
        )
    ]
    if when:
        out.append(Para((i(f"Offered only when {when}."),), "note"))
    if option.reaction:
        out.append(Para((i("Reaction:"),), "note"))
        out += line_blocks(option.reaction, scenario)
    skills = ", ".join(skill_name(skill) for skill in card.skills)
    out.append(Quote((b("Why: "), t(card.why), t(" "), i(f"Skills: {skills}."))))
    # The client's side, as the reveal shows it: often the best way into the discussion.
    out.append(Quote((i(card.inner_experience),)))
    if card.stronger:
        out.append(Quote((b("Stronger: "), t(quoted(card.stronger)))))
    return out


def _named(arrivals: tuple[Arrival, ...], numbers: dict[str, int]) -> str:
    """Replies by moment number and letter (3B), in the order of the moments."""
    known = sorted((numbers[a.node.id], a.letter) for a in arrivals if a.node.id in numbers)
    return ", ".join(f"{number}{letter_}" for number, letter_ in known)


def _where(place: Place, numbers: dict[str, int]) -> list[Block]:
    notes: list[str] = []
    if not place.reachable:
        notes.append("No path reaches this moment: it is never shown.")
    elif not place.on_every_path:
        came = _named(place.arrivals, numbers)
        notes.append("Only some paths reach this moment" + (f" (after {came})." if came else "."))
    if place.in_loop:
        back = _named(place.returns, numbers)
        notes.append(
            "It can come round again in the same conversation"
            + (f" (after {back})." if back else " (a loop).")
        )
    return [Para((i(" ".join(notes)),), "note")] if notes else []


def _moment(place: Place, number: int, numbers: dict[str, int], scenario: Scenario) -> list[Block]:
    node = place.node
    out: list[Block] = [Heading(3, (t(f"Moment {number}: {node.display_title}"),))]
    out += _where(place, numbers)
    out += line_blocks(node.lines, scenario)
    out.append(Para((b("Prompt: "), t(node.prompt or "What do you say?"))))
    for index in range(len(node.options)):
        out += _option_blocks(node, index, scenario)
    notes = node.facilitator
    if notes is not None and notes.notes:
        out.append(Para((b("Facilitator notes: "), t(notes.notes))))
    if notes is not None and notes.questions:
        out.append(Para((b("Discussion questions:"),)))
        out.append(Bullets(tuple((t(q),) for q in notes.questions)))
    return out


def _glance(path: PlayedPath, name: str, numbers: dict[str, int]) -> Inline:
    letters = []
    for beat in path.beats:
        index = next(n for n, o in enumerate(beat.node.options) if o is beat.turn.option)
        letters.append(f"{numbers.get(beat.node.id, '?')}{letter(index)}")
    end = path.ending.title if path.ending is not None else "no ending (the path stops)"
    return (b(f"{name}: "), t(f"{' '.join(letters)} ends in “{end}” (trust {path.final_trust})."))


def _endings(routes: RouteMap, scenario: Scenario) -> list[Block]:
    out: list[Block] = [Heading(2, (t("How it can end"),))]
    # For each ending, the closing moments that give it and when (in words).
    leads: dict[str, dict[str, list[str]]] = {}
    for place in routes.closings():
        node = place.node
        choices = node.ending_choices()
        for index, choice in enumerate(choices):
            cond = condition_text(choice.when, scenario)
            last = index == len(choices) - 1
            how = "always" if len(choices) == 1 else "otherwise" if last or not cond else cond
            leads.setdefault(choice.ending, {}).setdefault(node.display_title, []).append(how)
    for ending in scenario.endings:
        out.append(Heading(3, (t(ending.title),)))
        out.append(Para((t(ending.description),)))
        if ending.client_view:
            out.append(
                Para((i(f"{scenario.client.name} might be thinking: "), t(ending.client_view)))
            )
        ways = [
            f"at “{title}”, "
            + " or ".join(how if how in ("always", "otherwise") else f"when {how}" for how in hows)
            for title, hows in leads.get(ending.id, {}).items()
        ]
        reached = f"Reached {'; '.join(ways)}." if ways else "No closing moment leads here."
        out.append(Para((i(reached),), "note"))
    out.append(Heading(3, (t("Closing moments"),)))
    for place in routes.closings():
        out.append(Heading(4, (t(place.node.display_title),)))
        out += line_blocks(place.node.lines, scenario)
    return out


def _ruptures(scenario: Scenario, numbers: dict[str, int]) -> list[Block]:
    if not scenario.ruptures:
        return []
    opened: dict[str, list[str]] = {}
    repaired: dict[str, list[str]] = {}
    for node in scenario.decision_points():
        for index, option in enumerate(node.options):
            where = f"{numbers.get(node.id, '?')}{letter(index)}"
            if option.effects.open_rupture:
                opened.setdefault(option.effects.open_rupture, []).append(where)
            if option.effects.repair_rupture:
                repaired.setdefault(option.effects.repair_rupture, []).append(where)
    items: list[Inline] = []
    for rupture in scenario.ruptures:
        where = (
            f" Opened by {', '.join(opened.get(rupture.id, ['no option']))}; repaired by "
            f"{', '.join(repaired.get(rupture.id, ['no option']))}."
        )
        items.append((b(f"{rupture.title}: "), t(rupture.description), i(where)))
    return [Heading(2, (t("Ruptures"),)), Bullets(tuple(items))]


def facilitator(scenario: Scenario) -> list[Block]:
    """The facilitator guide: at a glance, every moment, the endings and the debrief."""
    routes = route_map(scenario)
    decisions = routes.decisions()
    numbers = {place.node.id: n for n, place in enumerate(decisions, start=1)}
    bands = ", ".join(f"{band.display} from {band.min}" for band in scenario.trust.bands)
    out: list[Block] = [Heading(1, (t(f"Facilitator guide: {scenario.title}"),))]
    if (notice := scenario.provenance.draft_notice) is not None:
        out.append(Para((t(notice),), "draft"))
    out += [
        Para((t(scenario.summary),)),
        Para(
            (
                i(
                    f"About {scenario.minutes} minutes; {scenario.difficulty}; version "
                    f"{scenario.version}. Client: {scenario.client.name} "
                    f"({scenario.client.pronouns}), {scenario.client.age}. Trust starts at "
                    f"{scenario.trust.start}; bands: {bands}."
                ),
            )
        ),
        Heading(2, (t("Objectives"),)),
        Bullets(tuple((t(o),) for o in scenario.objectives)),
    ]
    if scenario.content_notes:
        out.append(Heading(2, (t("Content notes"),)))
        out.append(Bullets(tuple((t(n),) for n in scenario.content_notes)))
        out.append(Para((t("Say them before you start; anyone may step out and come back."),)))
    out += [Heading(2, (t("Setting"),)), Para((t(scenario.setting),))]
    if scenario.jurisdiction_note:
        out.append(Para((i(scenario.jurisdiction_note),), "note"))
    out += [
        Heading(2, (t("At a glance"),)),
        Para(
            (
                t(
                    f"{len(decisions)} decision points. Options are lettered as the app "
                    "shows them when every option is on offer (one offered only under a "
                    "condition says so, and the letters after it move up when it is not). "
                    "Moments are numbered in the order they first come; 3B means option B "
                    "at moment 3."
                ),
            )
        ),
        Bullets(
            (
                _glance(best_path(scenario), "The strongest reply each time", numbers),
                _glance(mistake_path(scenario), "The weakest reply each time", numbers),
            )
        ),
        Heading(2, (t("The moments"),)),
    ]
    for place in decisions:
        out += _moment(place, numbers[place.node.id], numbers, scenario)
    out += _endings(routes, scenario)
    out += _ruptures(scenario, numbers)
    if scenario.debrief_notes:
        out.append(Heading(2, (t("Takeaways for the debrief"),)))
        out.append(Bullets(tuple((t(n),) for n in scenario.debrief_notes)))
    out.append(Heading(2, (t("Reflection questions"),)))
    out.append(Bullets(tuple((t(q),) for q in reflection_prompts(scenario.reflection_prompts))))
    return out


def guide_blocks(scenario: Scenario, part: Part = Part.ALL) -> list[Block]:
    """The blocks of one part, or of all three with a page break between them."""
    builders = {
        Part.FACILITATOR: facilitator,
        Part.HANDOUT: handout,
        Part.PORTRAYAL: portrayal,
    }
    if part is not Part.ALL:
        return builders[part](scenario)
    out: list[Block] = []
    for index, build in enumerate(builders.values()):
        if index:
            out.append(PageBreak())
        out += build(scenario)
    return out


def render_guide(scenario: Scenario, part: Part = Part.ALL, fmt: Format = Format.MD) -> str:
    """The guide as Markdown or as one self-contained HTML page."""
    blocks = guide_blocks(scenario, part)
    if fmt is Format.HTML:
        names = {Part.ALL: "Guide", Part.FACILITATOR: "Facilitator guide"}
        title = f"{names.get(part, part.value.capitalize())}: {scenario.title}"
        return to_html(title, blocks, language=scenario.language)
    return to_markdown(blocks)
