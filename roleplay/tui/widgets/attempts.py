"""How a saved attempt reads on screen: its line in the history list, its side panel, and
the small facts (rating, trust, status, ending) the history screens share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Rating, readable
from roleplay.core.wording import shortened
from roleplay.session import Attempt, FeedbackTiming, SavedAttempt, ScenarioStats, Step
from roleplay.session.review import EXPLORATION_LABEL, best_attempt, local_time, scores_of
from roleplay.tui.text import clip, plain, quoted
from roleplay.tui.widgets.feedback import rating_class, rating_text


def rating_of(step: Step) -> Rating | None:
    """A saved step's rating (None if the record holds something unknown)."""
    try:
        return Rating(step.rating)
    except ValueError:
        return None


def rating_content(step: Step) -> Content:
    """'++ Builds trust' in its rating's colour, for a saved step."""
    rating = rating_of(step)
    if rating is None:
        return Content("? unrated")
    return Content(rating_text(rating))


def trust_text(saved: SavedAttempt) -> str:
    """'trust 33' (final) or 'trust 30 so far'; empty before the first choice."""
    attempt = saved.attempt
    scored = saved.tries.trust if saved.tries.scored else attempt.final_trust
    if attempt.finished and scored is not None:
        return f"trust {scored}"  # the first tries', as "best" uses (EXPLORATION_LABEL)
    path = saved.path
    return f"trust {path[-1].trust_after} so far" if path else ""


def status_text(saved: SavedAttempt, loaded: LoadedScenario | None) -> str:
    """'✓ Dana takes a leaflet' or '… Not finished (set aside)'."""
    attempt = saved.attempt
    if attempt.finished:
        return f"✓ {ending_title(attempt, loaded)}"
    return "… Not finished" + (" (set aside)" if attempt.set_aside else "")


def ending_title(attempt: Attempt, loaded: LoadedScenario | None) -> str:
    """The ending's title now, or its id if the scenario no longer has it."""
    if loaded is not None and attempt.ending_id:
        for ending in loaded.scenario.endings:
            if ending.id == attempt.ending_id:
                return ending.title
    return attempt.ending_id or "ended"


def node_title(loaded: LoadedScenario | None, node_id: str) -> str:
    """A decision's title from the scenario, else its id made readable."""
    return loaded.scenario.moment_title(node_id) if loaded is not None else readable(node_id)


def group_prompt(stats: ScenarioStats, title: str) -> Content:
    """A scenario's heading in the list: its title, how many attempts, the latest and
    the best (marked only among two or more finished attempts)."""
    count = stats.attempts
    heading = Content.styled(clip(title, 60), "bold")
    facts = f" · {count} attempt{'s' if count != 1 else ''}"
    summary = f"latest #{stats.latest_id}, {local_time(stats.latest_started)}"
    if stats.finished >= 2 and stats.best_id is not None:
        summary += f" · ★ best #{stats.best_id}, trust {stats.best_score}"
    elif not stats.finished:
        summary += " · none finished yet"
    return Content("\n").join([heading + plain(facts, "dim"), plain(summary, "italic")])


def marked_best(saved: Sequence[SavedAttempt]) -> Attempt | None:
    """The attempt to mark "★ best" among these: only when two or more are finished (one
    finished attempt is not "best" of anything)."""
    if sum(1 for item in saved if item.attempt.finished) < 2:
        return None
    return best_attempt([item.attempt for item in saved], scores_of(saved))


def attempt_prompt(saved: SavedAttempt, loaded: LoadedScenario | None, *, best: bool) -> Content:
    """Two short lines (they fit 60 columns): number, date, trust, reflections and
    ★ best; then how it ended, or how far it got."""
    attempt = saved.attempt
    words = len(saved.reflections)
    facts = [local_time(attempt.started_at), trust_text(saved)]
    if words:
        facts.append(f"{words} reflection{'s' if words != 1 else ''}")
    first = Content.assemble(
        (f"#{attempt.id}", "bold"), "  " + " · ".join(fact for fact in facts if fact)
    )
    if best:
        first += Content.styled("  ★ best", "bold")
    status = status_text(saved, loaded)
    if not attempt.finished:
        made = len(saved.tries.scored)
        status += f": {made} choice{'s' if made != 1 else ''} so far"
    return Content("\n").join([first, plain("   " + shortened(status, 50), "dim")])


def attempt_detail(
    saved: SavedAttempt, loaded: LoadedScenario | None, title: str, last_export: Path | None
) -> list[Widget]:
    """The side panel's account of one attempt: when, how it ended, its path, its
    reflections and where it was last exported."""
    attempt = saved.attempt
    timing = (
        "feedback at the end"
        if attempt.feedback_timing is FeedbackTiming.AT_END
        else "feedback after each choice"
    )
    parts: list[Widget] = [
        Static(
            plain(f"{clip(title, 60)} · attempt #{attempt.id}"),
            classes="title",
        ),
        Static(plain(f"Started {local_time(attempt.started_at, year=True)}"), classes="muted"),
        Static(
            plain(f"{timing}{' · write-first' if attempt.write_first else ''}"),
            classes="muted",
        ),
    ]
    if attempt.finished:
        parts.append(
            Static(
                plain(
                    f"Ended “{ending_title(attempt, loaded)}” with trust "
                    f"{attempt.final_trust} ({local_time(attempt.finished_at, year=True)})"
                ),
                classes="text",
            )
        )
    else:
        parts.append(
            Static(
                plain("Not finished. Press r to carry on where it stopped."),
                classes="text",
            )
        )
    split = saved.tries
    path = split.scored
    if split.explorations and attempt.finished:
        parts.append(
            Static(
                plain(
                    f"Scored on the first tries (trust {split.trust}); the ending follows "
                    "the path actually played, explorations included."
                ),
                classes="muted",
            )
        )
    parts.append(Static(Content("Path"), classes="heading"))
    if not path:
        parts.append(Static(Content("No choices yet."), classes="muted"))
    for number, step in enumerate(path, start=1):
        rating = rating_of(step)
        parts.append(
            Static(
                Content.assemble(
                    f"{number}. ",
                    Content.styled(rating.symbol if rating else "?", "bold"),
                    " ",
                    plain(shortened(quoted(step.option_text or step.option_id), 64)),
                ),
                classes=f"step {rating_class(rating) if rating else ''}",
            )
        )
    for step in split.explorations:
        rating = rating_of(step)
        parts.append(
            Static(
                Content.assemble(
                    "↺ ",
                    Content.styled(rating.symbol if rating else "?", "bold"),
                    " ",
                    plain(shortened(quoted(step.option_text or step.option_id), 48)),
                    plain(f" ({EXPLORATION_LABEL})", "dim"),
                ),
                classes=f"step {rating_class(rating) if rating else ''}",
            )
        )
    parts.append(Static(Content("Reflections"), classes="heading"))
    if saved.reflections:
        parts.extend(
            Static(plain(f"• {clip(r.prompt, 70)}"), classes="item") for r in saved.reflections
        )
    else:
        parts.append(Static(Content("None written yet."), classes="muted"))
    if last_export is not None and last_export.name.startswith(f"attempt-{attempt.id}-"):
        parts.append(Static(Content("Exported to"), classes="heading"))
        parts.append(Static(plain(str(last_export)), classes="item"))
    return parts
