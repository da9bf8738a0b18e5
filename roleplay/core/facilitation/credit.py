"""What counts as the group's choice, and the debrief that counts it.

The room's vote is what the group chose. When the facilitator continues with another
option (to carry on from a repair, say), the story goes on with the facilitator's option,
so the path, trust over the session and what the client went through follow it; but the
group's ratings and skills count the option the room voted for, and every page and file
says both: "the facilitator continued with A; the room chose B". On a tie, or with no
votes, the room did not choose: the facilitator's pick stands in and is labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from roleplay.core.debrief import Debrief, DecisionReview, PivotalMoment, strongest_option
from roleplay.core.facilitation.votes import Decision
from roleplay.core.models import Rating
from roleplay.core.skills import skills
from roleplay.core.wording import quoted, shortened


def group_debrief(debrief: Debrief, decisions: Sequence[Decision]) -> Debrief:
    """The engine's debrief with the group's ratings and skills counting the room's vote.

    The path, trajectory, ruptures and what the client may have been thinking stay those
    of the option followed (that is what the client heard); a pivotal moment the
    facilitator overrode says so."""
    by_step = {d.step: d for d in decisions if d.turn is not None and d.overridden}
    if not by_step:
        return debrief
    reviews: list[DecisionReview] = []
    for review in debrief.decisions:
        decision = by_step.get(review.turn.step)
        room_turn = decision.room_turn if decision is not None else None
        if room_turn is None:
            reviews.append(review)
            continue
        best_id, best = strongest_option(debrief.scenario, room_turn)
        reviews.append(replace(review, turn=room_turn, strongest_id=best_id, strongest=best))
    order = list(skills())
    tallies: dict[str, dict[Rating, int]] = {}
    for review in reviews:
        rating = review.turn.feedback.rating
        for skill in review.turn.feedback.skills:
            tallies.setdefault(skill, dict.fromkeys(Rating, 0))[rating] += 1
    tallies = dict(sorted(tallies.items(), key=lambda item: order.index(item[0])))
    pivotal = [_pivot(p, by_step.get(p.review.turn.step)) for p in debrief.pivotal]
    return replace(debrief, decisions=reviews, skill_tallies=tallies, pivotal=pivotal)


def _pivot(pivot: PivotalMoment, decision: Decision | None) -> PivotalMoment:
    if decision is None or decision.followed is None:
        return pivot
    room = decision.room_choice
    assert room is not None  # overridden means the room had a clear choice
    turn = pivot.review.turn
    moved = "rose" if turn.delta > 0 else "fell"
    title = pivot.review.node_title.strip("\"'“”‘’")
    said = quoted(shortened(turn.option.text))
    question = (
        f"At “{title}” the room chose {decision.letter(room)} and the facilitator continued "
        f"with {decision.letter(decision.followed)}, {said}, and trust {moved} from "
        f"{turn.trust_before} to {turn.trust_after}. What was the room weighing, and what "
        "would have been different?"
    )
    return replace(pivot, question=question)
