"""Present mode's last page: how it ended, the group's path, every vote and the debrief."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.facilitation import Facilitation
from roleplay.core.models import Rating
from roleplay.tui.text import clip, plain, quoted, trust_move
from roleplay.tui.widgets.bands import Bullet, band, heading
from roleplay.tui.widgets.feedback import RatingBadge
from roleplay.tui.widgets.skill_table import SkillTable
from roleplay.tui.widgets.trust_chart import TrustChart
from roleplay.tui.widgets.votes import VoteBars


def ending_page(session: Facilitation) -> list[Widget]:
    """How it ended, the group's path, every vote, trust over time and the debrief."""
    debrief = session.debrief()
    name = session.scenario.client.name
    parts: list[Widget] = [band("The end")]
    ending = debrief.ending
    if ending is not None:
        rows: list[Widget] = [
            Static(plain(ending.title), classes="ending-title"),
            Static(plain(ending.description), classes="text"),
        ]
        if ending.client_view:
            view = f"{name}, leaving: {quoted(ending.client_view)}"
            rows.append(Static(plain(view), classes="quote"))
        box = Vertical(*rows, id="ending")
        box.border_title = Content("How it ended")
        parts.append(box)
    parts.append(heading("The group's path"))
    taken = [d for d in session.decisions if d.turn is not None]
    for number, decision in enumerate(taken, start=1):
        turn = decision.turn
        assert turn is not None
        letter = decision.letter(turn.option_id)
        rating = turn.feedback.rating
        chooser = decision.chosen_by()
        parts.append(
            Static(plain(f"{number} · {decision.title}"), classes="label"),
        )
        parts.append(Static(plain(f"{letter} “{clip(turn.option.text, 160)}”"), classes="item"))
        room_turn = decision.room_turn
        if decision.overridden and room_turn is not None:
            room_letter = decision.letter(room_turn.option_id)
            parts.append(
                Horizontal(
                    RatingBadge(room_turn.feedback.rating),
                    Static(
                        Content(f"the room's choice, {room_letter}: counts in the ratings"),
                        classes="move",
                    ),
                    classes="badge-row",
                )
            )
        parts.append(
            Horizontal(
                RatingBadge(rating),
                Static(
                    Content(f"{trust_move(turn.trust_before, turn.trust_after)} · {chooser}"),
                    classes="move",
                ),
                classes="badge-row",
            )
        )
    parts.append(heading("The votes"))
    for number, decision in enumerate(session.decisions, start=1):
        rounds = "two rounds" if len(decision.rounds) > 1 else "one round"
        parts.append(Static(plain(f"{number} · {decision.title} ({rounds})"), classes="label"))
        parts.append(VoteBars(decision))
    parts.append(heading("Trust over the session"))
    parts.append(TrustChart(debrief.trajectory, id="chart"))
    if debrief.skill_tallies:
        parts.append(heading("Skills, by rating of the group's choices"))
        parts.append(SkillTable(debrief.skill_tallies))
        parts.append(
            Static(
                Content(" · ".join(f"{rating.symbol} {rating.label.lower()}" for rating in Rating)),
                classes="muted",
            )
        )
    if debrief.pivotal:
        parts.append(heading("Pivotal moments"))
        parts.extend(Bullet(p.question) for p in debrief.pivotal)
    if debrief.client_thoughts:
        parts.append(heading(debrief.thoughts_heading))
        for title, thought in debrief.client_thoughts:
            parts.append(Static(plain(title), classes="label"))
            parts.append(Static(plain(thought), classes="quote"))
    if debrief.unrepaired:
        parts.append(heading("Ruptures left unrepaired"))
        for rupture in debrief.unrepaired:
            parts.append(Static(plain(f"! {rupture.title}"), classes="label"))
            parts.append(Static(plain(rupture.description), classes="text"))
    if debrief.repaired:
        parts.append(heading("Ruptures repaired"))
        parts.extend(Static(plain(f"✓ {r.title}"), classes="text") for r in debrief.repaired)
    if debrief.notes:
        parts.append(heading("Takeaways"))
        parts.extend(Bullet(note) for note in debrief.notes)
    parts.append(heading("Questions for the room"))
    parts.extend(Bullet(prompt) for prompt in debrief.reflection_prompts)
    return parts
