"""Exports of history: a learner's record of one attempt (Markdown or self-contained HTML)
for supervision, and every step of every attempt (CSV or JSON, ``session.rows``) for
trainers.

The record is rebuilt from the saved steps; the scenario file, when it still fits, adds the
feedback and the debrief analysis. If it has changed, the record says so and still shows
the path, the learner's own words, the ratings and the reflections.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from roleplay.core.debrief import Debrief, DecisionReview, build_debrief
from roleplay.core.engine import ResumeError
from roleplay.core.loader import LoadedScenario
from roleplay.core.models import Rating
from roleplay.core.safetext import clean, markdown_text
from roleplay.core.skills import skill_name
from roleplay.core.textreport import feedback_items, rating_tag, skills_text
from roleplay.session.review import (
    EXPLORATION_LABEL,
    EXPLORATIONS_HEADING,
    choices,
    repair_text,
    repairs,
    replay,
    tries,
)
from roleplay.session.rows import STEP_COLUMNS as STEP_COLUMNS
from roleplay.session.rows import Strongest as Strongest
from roleplay.session.rows import iter_step_rows as iter_step_rows
from roleplay.session.rows import rows_csv as rows_csv
from roleplay.session.rows import rows_json as rows_json
from roleplay.session.rows import strongest_by_node as strongest_by_node
from roleplay.session.rows import write_rows_csv as write_rows_csv
from roleplay.session.rows import write_rows_json as write_rows_json
from roleplay.store import Store
from roleplay.store.records import Attempt, Reflection, Step


@dataclass
class AttemptRecord:
    """Everything an export of one attempt shows."""

    attempt: Attempt
    steps: list[Step]
    reflections: list[Reflection]
    title: str
    client: str | None = None
    debrief: Debrief | None = None
    warnings: list[str] = field(default_factory=list)
    repaired: dict[int, list[str]] = field(default_factory=dict)
    """The titles of the ruptures each choice repaired, by the choice's ``seq``."""


def build_record(store: Store, attempt: Attempt, loaded: LoadedScenario | None) -> AttemptRecord:
    """Gather an attempt's record, with the debrief if the scenario still fits."""
    saved = store.steps(attempt.saved_id())
    record = AttemptRecord(
        attempt=attempt,
        steps=[step for step in saved if step.kind == "choose"],
        reflections=store.reflections(attempt.saved_id()),
        title=attempt.scenario_id,
    )
    for seq, names in repairs(saved).items():
        found = [loaded.scenario.rupture(name) if loaded else None for name in names]
        record.repaired[seq] = [r.title if r else n for r, n in zip(found, names, strict=True)]
    if loaded is None:
        record.warnings.append(
            f"The scenario '{attempt.scenario_id}' could not be found, so feedback is not included."
        )
        return record
    record.title = loaded.scenario.title
    record.client = loaded.scenario.client.name
    try:
        engine = replay(loaded, saved)
    except ResumeError:
        record.warnings.append(
            "The scenario file has changed since this attempt, so feedback is not included."
        )
        return record
    record.debrief = build_debrief(engine)
    return record


def _md_step(
    mark: str,
    step: Step,
    t: Callable[[str], str],
    *,
    explored: bool = False,
    repaired: Sequence[str] = (),
) -> list[str]:
    """One choice in the Markdown path: numbered if scored, labelled if an exploration."""
    kind = f" ({EXPLORATION_LABEL})" if explored else ""
    option = t(step.option_text or step.option_id)
    out = [f"{mark} {rating_tag(Rating(step.rating))} {option}{kind}"]
    if step.own_words:
        out.append(f"   - Your own words first: {t(step.own_words)}")
    out.append(f"   - Trust {step.trust_before} -> {step.trust_after}")
    out.extend(f"   - Repaired: {t(repair_text(title, explored))}" for title in repaired)
    return out


def _html_step(
    step: Step, e: Callable[[str], str], *, explored: bool = False, repaired: Sequence[str] = ()
) -> str:
    """One choice in the HTML path, as a list item."""
    extra = f" <em>({e(EXPLORATION_LABEL)})</em>" if explored else ""
    fixed = "".join(f"<br>Repaired: {e(repair_text(title, explored))}" for title in repaired)
    own = f"<br>Your own words first: <q>{e(step.own_words)}</q>" if step.own_words else ""
    return (
        f'<li><span class="rating">{e(rating_tag(Rating(step.rating)))}</span> '
        f"{e(step.option_text or step.option_id)}{extra}{own}"
        f"<br>Trust {step.trust_before} &rarr; {step.trust_after}{fixed}</li>"
    )


def _decision_items(review: DecisionReview) -> list[tuple[str, str]]:
    """One decision's feedback as (label, text): what was said, the card, the strongest."""
    feedback = review.turn.feedback
    # The learner's own words (typed mode) beside the option they confirmed and, below,
    # the strongest option then on offer.
    own = [("In your own words", review.turn.own_words)] if review.turn.own_words else []
    items = [
        *own,
        ("You said", review.turn.option.text),
        ("Rating", f"{rating_tag(feedback.rating)}; skills: {skills_text(feedback)}"),
        *feedback_items(feedback),
    ]
    if not review.chose_strongest:
        items.append(("Strongest option then", review.strongest.text))
    return items


def _status(attempt: Attempt) -> str:
    return f"finished {attempt.finished_at}" if attempt.finished else "not finished"


def to_markdown(record: AttemptRecord) -> str:
    """The record as Markdown. Every text from the scenario or the learner goes through
    ``markdown_text``: cleaned of control characters, and unable to make a link, HTML, a
    heading or a list."""
    t = markdown_text
    a = record.attempt
    out = [f"# {t(record.title)}: attempt {a.id}", ""]
    if record.client:
        out.append(f"- Client: {t(record.client)}")
    out += [
        f"- Started: {t(a.started_at)} ({t(_status(a))})",
        f"- Feedback timing: {a.feedback_timing}; write-first: {'yes' if a.write_first else 'no'}",
    ]
    debrief = record.debrief
    if debrief and debrief.ending:
        out.append(f"- Ending: **{t(debrief.ending.title)}**: {t(debrief.ending.description)}")
    if a.final_trust is not None:
        out.append(f"- Final trust: {a.final_trust}")
    out.extend(f"\n> {t(warning)}" for warning in record.warnings)
    out += ["", "## Path", ""]
    split = tries(record.steps)
    for number, step in enumerate(split.scored, start=1):
        out.extend(_md_step(f"{number}.", step, t, repaired=record.repaired.get(step.seq, ())))
    if split.explorations:
        out += ["", f"## {EXPLORATIONS_HEADING}", ""]
        for step in split.explorations:
            repaired = record.repaired.get(step.seq, ())
            out.extend(_md_step("-", step, t, explored=True, repaired=repaired))
    if debrief:
        out += ["", "## Feedback", ""]
        for review in debrief.decisions:
            out.append(f"### {t(review.node_title)}")
            out.append("")
            out.extend(f"- {label}: {t(text)}" for label, text in _decision_items(review))
            out.append("")
        out += [
            "## Ratings per skill",
            "",
            "| skill | " + " | ".join(r.label for r in Rating) + " |",
            "|---|" + "---|" * len(Rating),
        ]
        for skill, counts in debrief.skill_tallies.items():
            out.append(
                f"| {t(skill_name(skill))} | " + " | ".join(str(counts[r]) for r in Rating) + " |"
            )
        if debrief.unrepaired:
            out += ["", "## Ruptures left unrepaired", ""]
            out.extend(f"- {t(r.title)}: {t(r.description)}" for r in debrief.unrepaired)
    out += ["", "## Reflections", ""]
    if record.reflections:
        for reflection in record.reflections:
            out += [f"**{t(reflection.prompt)}**", "", t(reflection.answer), ""]
    else:
        out.append("(none written)")
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; line-height: 1.5; color: #111; background: #fff; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
h2 { border-bottom: 1px solid #999; margin-top: 2em; }
.rating { font-weight: bold; font-family: Helvetica, Arial, sans-serif; }
.note { border-left: 4px solid #b58900; padding-left: 1em; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .2em .6em; }
blockquote { margin: 0 0 1em 1em; white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; }
               li, tr { break-inside: avoid; } }
"""


def to_html(record: AttemptRecord) -> str:
    """The record as one self-contained HTML file (no external assets), fit for printing.
    Every text is cleaned of control characters, then HTML-escaped."""

    def e(text: str) -> str:
        return html.escape(clean(text))

    a = record.attempt
    body: list[str] = [f"<h1>{e(record.title)}: attempt {a.id}</h1>", "<ul>"]
    if record.client:
        body.append(f"<li>Client: {e(record.client)}</li>")
    body.append(f"<li>Started: {e(a.started_at)} ({e(_status(a))})</li>")
    body.append(
        f"<li>Feedback timing: {e(a.feedback_timing)}; write-first: "
        f"{'yes' if a.write_first else 'no'}</li>"
    )
    debrief = record.debrief
    if debrief and debrief.ending:
        body.append(
            f"<li>Ending: <strong>{e(debrief.ending.title)}</strong>: "
            f"{e(debrief.ending.description)}</li>"
        )
    if a.final_trust is not None:
        body.append(f"<li>Final trust: {a.final_trust}</li>")
    body.append("</ul>")
    body.extend(f'<p class="note">{e(w)}</p>' for w in record.warnings)
    split = tries(record.steps)
    body.append("<h2>Path</h2><ol>")
    body.extend(
        _html_step(step, e, repaired=record.repaired.get(step.seq, ())) for step in split.scored
    )
    body.append("</ol>")
    if split.explorations:
        body.append(f"<h2>{e(EXPLORATIONS_HEADING)}</h2><ul>")
        body.extend(
            _html_step(step, e, explored=True, repaired=record.repaired.get(step.seq, ()))
            for step in split.explorations
        )
        body.append("</ul>")
    if debrief:
        body.append("<h2>Feedback</h2>")
        for review in debrief.decisions:
            body.append(f"<h3>{e(review.node_title)}</h3><ul>")
            for label, text in _decision_items(review):
                shown = e(text)
                if label == "Rating":  # the rating word stands out in print
                    tag = e(rating_tag(review.turn.feedback.rating))
                    shown = shown.replace(tag, f'<span class="rating">{tag}</span>', 1)
                body.append(f"<li>{e(label)}: {shown}</li>")
            body.append("</ul>")
        body.append(
            "<h2>Ratings per skill</h2><table><tr><th>skill</th>"
            + "".join(f"<th>{e(r.label)}</th>" for r in Rating)
            + "</tr>"
        )
        for skill, counts in debrief.skill_tallies.items():
            body.append(
                f"<tr><td>{e(skill_name(skill))}</td>"
                + "".join(f"<td>{counts[r]}</td>" for r in Rating)
                + "</tr>"
            )
        body.append("</table>")
        if debrief.unrepaired:
            body.append("<h2>Ruptures left unrepaired</h2><ul>")
            body.extend(f"<li>{e(r.title)}: {e(r.description)}</li>" for r in debrief.unrepaired)
            body.append("</ul>")
    body.append("<h2>Reflections</h2>")
    if record.reflections:
        for reflection in record.reflections:
            body.append(
                f"<h3>{e(reflection.prompt)}</h3><blockquote>{e(reflection.answer)}</blockquote>"
            )
    else:
        body.append("<p>(none written)</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(record.title)}: attempt {a.id}</title><style>{_CSS}</style></head>"
        "<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def step_rows(
    store: Store, attempts: Sequence[Attempt], strongest: Strongest | None = None
) -> list[dict[str, object]]:
    """One row per choice across attempts (rewinds are implied by the exploration column;
    ``decision`` numbers the scored first tries as every screen does),
    with the strongest option at that point when ``strongest`` knows the scenario."""
    rows: list[dict[str, object]] = []
    for attempt in sorted(attempts, key=lambda a: a.saved_id()):
        scored = 0
        made = choices(store.steps(attempt.saved_id()))
        for order, step in enumerate(made, start=1):
            if not step.exploration:
                scored += 1
            best = strongest(attempt.scenario_id, step.node_id) if strongest else None
            rows.append(
                {
                    "attempt_id": attempt.id,
                    "scenario_id": attempt.scenario_id,
                    "started_at": attempt.started_at,
                    "finished_at": attempt.finished_at,
                    "ending_id": attempt.ending_id,
                    "final_trust": attempt.final_trust,
                    # seq: the choice's place among the attempt's choices (no gaps where
                    # rewinds were); decision: the scored step's number, blank for an
                    # exploration after going back (the one rule of review.tries).
                    "seq": order,
                    "decision": None if step.exploration else scored,
                    "node_id": step.node_id,
                    "option_id": step.option_id,
                    "option_text": step.option_text,
                    "own_words": step.own_words,
                    "strongest_option_id": best[0] if best else None,
                    "strongest_option_text": best[1] if best else None,
                    "rating": step.rating,
                    "trust_before": step.trust_before,
                    "trust_after": step.trust_after,
                    "exploration": step.exploration,
                    "at": step.at,
                }
            )
    return rows
