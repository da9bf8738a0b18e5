"""Present mode's first page: safety first (content notes, ground rules), then who and what."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.guide_people import ground_rules
from roleplay.core.models import Scenario
from roleplay.tui.text import plain, quoted
from roleplay.tui.widgets.bands import Bullet, band, heading


def prebrief_page(scenario: Scenario) -> list[Widget]:
    """Safety first (content notes, ground rules), then who and what."""
    client = scenario.client
    name = client.name
    parts: list[Widget] = [band(scenario.title)]
    if (notice := scenario.provenance.draft_notice) is not None:
        parts.append(Static(plain(f"⚠ {notice}"), id="draft-notice"))
        if scenario.provenance.notes:
            parts.append(
                Static(
                    plain(f"About this scenario: {scenario.provenance.notes}"),
                    id="provenance-notes",
                )
            )
    parts.append(Static(plain(scenario.summary), classes="lead"))
    if scenario.content_notes:
        notes = Vertical(
            *(Bullet(note) for note in scenario.content_notes),
            Static(
                Content(
                    "Anyone may step out at any point, without giving a reason, and "
                    "come back when they are ready."
                ),
                classes="text",
            ),
            id="content-notes",
        )
        notes.border_title = Content("⚑ Content notes")
        parts.append(notes)
    # One set of rules for the room and the student handout (``roleplay guide``).
    rules = Vertical(
        *(Bullet(rule) for rule in ground_rules(name)),
        id="ground-rules",
    )
    rules.border_title = Content("Ground rules")
    parts.append(rules)
    parts.append(heading("What we will practise"))
    parts.extend(Bullet(objective) for objective in scenario.objectives)
    parts += [
        heading("Who we will meet"),
        Static(plain(f"{name} ({client.pronouns}), {client.age}"), classes="client"),
        Static(plain(quoted(client.introduction)), classes="quote"),
        heading("The setting"),
        Static(plain(scenario.setting), classes="text"),
    ]
    if scenario.jurisdiction_note:
        parts.append(Static(plain(scenario.jurisdiction_note), classes="note"))
    parts.append(heading("How this works"))
    parts.append(
        Static(
            Content(
                "At each moment: read, think in silence, then vote for A, B, C… The "
                "votes stay hidden until they are locked; then we see what happens, "
                "what each option would have done, and talk about it."
            ),
            classes="text",
        )
    )
    return parts
