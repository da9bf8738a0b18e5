"""The review pack: three transcripts of a scenario for its reviewers (docs/review.md).

Reviewers read conversations, not YAML: the best path (the strongest reply at every
decision point), a repair path (a choice that opens a rupture, then its repair, otherwise
strong replies) and a mistake path (the weakest reply at every point). Each is written by
the shared transcript renderer, after a header with what the reviewer needs to know.
"""

from __future__ import annotations

from roleplay.core.engine import Choice, Engine
from roleplay.core.models import Option, Scenario
from roleplay.core.safetext import markdown_text
from roleplay.core.transcript import PlayedPath, follow, play, transcript_markdown

SEARCH_LIMIT = 5000
"""Most engine steps spent looking for a repair path (a large or looping file stops early)."""


def option_strength(option: Option) -> tuple[int, int]:
    """How strong a reply is, for ordering: its rating's rank, then its trust change."""
    return option.feedback.rating.rank, option.effects.trust


def _strength(choice: Choice) -> tuple[int, int]:
    return option_strength(choice.option)


def best_choice(engine: Engine) -> str | None:
    """The strongest reply on offer: highest rating, then largest trust gain."""
    choices = engine.choices()
    return max(choices, key=_strength).id if choices else None


def worst_choice(engine: Engine) -> str | None:
    """The weakest reply on offer: lowest rating, then largest trust loss."""
    choices = engine.choices()
    return min(choices, key=_strength).id if choices else None


def best_path(scenario: Scenario) -> PlayedPath:
    """The strongest reply at every decision point."""
    return play(scenario, best_choice)


def mistake_path(scenario: Scenario) -> PlayedPath:
    """The weakest reply at every decision point."""
    return play(scenario, worst_choice)


def repair_path(scenario: Scenario) -> PlayedPath | None:
    """A path that opens a rupture and later repairs it, otherwise taking strong replies;
    None if no such path exists (or none is found within ``SEARCH_LIMIT`` steps).

    The earliest rupture is preferred, then the earliest repair: the path a reviewer most
    needs to read is the one where the mistake is still fresh."""
    budget = [SEARCH_LIMIT]

    def search(engine: Engine, opened: bool) -> list[str] | None:
        if engine.finished:
            return [] if not engine.state.open_ruptures() and opened else None
        budget[0] -= 1
        if budget[0] < 0 or engine.step > 200:
            return None
        choices = engine.choices()
        open_now = set(engine.state.open_ruptures())
        repairs = [c for c in choices if c.option.effects.repair_rupture in open_now]
        if repairs:
            candidates = sorted(repairs, key=_strength, reverse=True)
        elif not opened:
            openers = [c for c in choices if c.option.effects.open_rupture]
            # Open a rupture here, or take the strongest reply and open one later.
            candidates = [*sorted(openers, key=_strength), max(choices, key=_strength)]
        else:
            candidates = sorted(choices, key=_strength, reverse=True)
        for choice in candidates:
            branch = engine.copy()
            turn = branch.choose(choice.id)
            rest = search(branch, opened or turn.rupture_opened is not None)
            if rest is not None:
                return [choice.id, *rest]
        return None

    found = search(Engine(scenario), opened=False)
    return play(scenario, follow(found)) if found is not None else None


def review_pack(scenario: Scenario) -> str:
    """The review pack as one Markdown document."""
    provenance = scenario.provenance
    out = [
        f"# Review pack: {markdown_text(scenario.title)}",
        "",
        f"Scenario `{scenario.id}`, version {markdown_text(scenario.version)}; review status: "
        f"**{provenance.review_status}**.",
        "",
        markdown_text(" ".join(scenario.summary.split())),
        "",
        "This pack holds three conversations through the scenario, as a learner would see "
        "them, with the feedback each choice earns: the best path, a repair path and a "
        "mistake path. Read them as someone who has been in the client's chair: does the "
        "client sound like a person; would a decent trainee make these mistakes; does any "
        "line, reaction or card generalise about a group; do the ratings and the reasons "
        "ring true; are the content notes enough? Reviewers with lived experience have a "
        "veto (see docs/review.md). Any other path can be played with "
        f"`roleplay play {scenario.id} --plain`.",
        "",
    ]
    if scenario.content_notes:
        out += ["**Content notes:**", ""]
        out += [f"- {markdown_text(note)}" for note in scenario.content_notes]
        out.append("")
    if provenance.notes:
        out += [f"**Provenance:** {markdown_text(' '.join(provenance.notes.split()))}", ""]
    if provenance.reviews:
        out += ["**Reviews so far:**", ""]
        for review in provenance.reviews:
            out.append(
                f"- {markdown_text(review.role)}, {review.date.isoformat()}, version "
                f"{markdown_text(review.version)}"
            )
        out.append("")
    out += [
        f"**Setting:** {markdown_text(' '.join(scenario.setting.split()))}",
        "",
        transcript_markdown(best_path(scenario), "1. The best path"),
    ]
    repair = repair_path(scenario)
    if repair is not None:
        out.append(transcript_markdown(repair, "2. A repair path"))
    else:
        out += [
            "## 2. A repair path",
            "",
            "No path opens a rupture and then repairs it.",
            "",
        ]
    out.append(transcript_markdown(mistake_path(scenario), "3. A mistake path"))
    return "\n".join(out).rstrip() + "\n"
