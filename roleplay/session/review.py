"""Looking back at saved attempts: grouping by scenario, latest and best, the path as it
finally stood, the trust curve, where two attempts split, and rebuilding an attempt's
engine on the scenario as it is now.

Functions over the history store's records (no Textual): the history screens, the
command line and plain mode use what these return, and the tests check them directly.
Everything here also works when the scenario file has changed or gone: the saved steps
hold the options' words, ratings and trust.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# The one wording of the rule, kept in core so the plain-text debrief shares it.
from roleplay.core.debrief import EXPLORATION_LABEL as EXPLORATION_LABEL
from roleplay.core.debrief import EXPLORATIONS_HEADING as EXPLORATIONS_HEADING
from roleplay.core.debrief import REPAIR_EXPLORATION_LABEL as REPAIR_EXPLORATION_LABEL
from roleplay.core.debrief import repair_text as repair_text
from roleplay.core.engine import Chose, Engine, Event, ResumeError, Rewound
from roleplay.core.library import Entry
from roleplay.core.loader import LoadedScenario, check_file
from roleplay.store import Store
from roleplay.store.records import Attempt, Draft, Reflection, Step

BEST_RULE = "best = highest trust on first tries (finished attempts)"
"""How 'best' is chosen, in words the screens show."""


def events(steps: Iterable[Step]) -> list[Event]:
    """The engine's events of a saved attempt (every choice and rewind, in order)."""
    return [
        Rewound(step.rewind_to or 0)
        if step.kind == "rewind"
        else Chose(step.option_id, step.own_words or None)
        for step in steps
    ]


def replay(loaded: LoadedScenario, steps: Iterable[Step]) -> Engine:
    """The engine of a saved attempt, rebuilt on the scenario as it is now (ResumeError if
    the saved steps no longer fit it)."""
    return Engine.replay(loaded.scenario, events(steps))


def final_path(steps: Iterable[Step]) -> list[Step]:
    """The choices of the conversation as it finally stood (rewound choices dropped)."""
    path: list[Step] = []
    for step in steps:
        if step.kind == "rewind":
            del path[step.rewind_to or 0 :]
        else:
            path.append(step)
    return path


def repairs(steps: Iterable[Step]) -> dict[int, list[str]]:
    """The ruptures each saved choice repaired, by the choice's ``seq`` (choices that
    repaired none are left out). Read from the statuses saved with each step, against the
    step before it on the path, so it needs no scenario (a changed one still shows them)."""
    found: dict[int, list[str]] = {}
    path: list[Step] = []
    for step in steps:
        if step.kind == "rewind":
            del path[step.rewind_to or 0 :]
            continue
        before = path[-1].ruptures if path else {}
        made = [
            name
            for name, status in step.ruptures.items()
            if status == "repaired" and before.get(name) != "repaired"
        ]
        if made:
            found[step.seq] = made
        path.append(step)
    return found


def choices(steps: Iterable[Step]) -> list[Step]:
    """Every choice made, in order, explorations after going back included."""
    return [step for step in steps if step.kind == "choose"]


@dataclass(frozen=True)
class Tries:
    """An attempt's choices under the one rule every screen and export follows: the first
    try at each decision is the scored step; a choice made after going back to a decision
    already tried is an exploration, listed beside the scored steps but never scored."""

    scored: list[Step]
    """First tries, in order: what ratings, skills, History, Compare and "best" use."""
    explorations: list[Step]
    """Choices made after going back, in order (see ``EXPLORATION_LABEL``)."""

    @property
    def trust(self) -> int | None:
        """Trust after the last scored step (None before the first choice)."""
        return self.scored[-1].trust_after if self.scored else None


def tries(steps: Iterable[Step]) -> Tries:
    """Split saved steps into scored first tries and explorations (rewinds dropped).

    Whether a choice was a first try is the engine's own mark, saved with the step, so
    this agrees with the debrief."""
    made = choices(steps)
    return Tries(
        scored=[step for step in made if not step.exploration],
        explorations=[step for step in made if step.exploration],
    )


def trajectory(path: Sequence[Step], start: int | None = None) -> list[int]:
    """Trust at the start and after each decision of a path."""
    if path:
        return [path[0].trust_before, *(step.trust_after for step in path)]
    return [] if start is None else [start]


Scores = Mapping[int, int | None]
"""Trust after the first tries (``Tries.trust``), by attempt id."""


def score(attempt: Attempt, scores: Scores | None = None) -> int | None:
    """An attempt's trust for "best": after its first tries when known, else as saved."""
    if scores is not None and attempt.id is not None and attempt.id in scores:
        return scores[attempt.id]
    return attempt.final_trust


def scores_of(saved: Iterable[SavedAttempt]) -> dict[int, int | None]:
    """``Scores`` for saved attempts with their steps read."""
    return {s.attempt.saved_id(): s.tries.trust for s in saved}


def best_attempt(attempts: Iterable[Attempt], scores: Scores | None = None) -> Attempt | None:
    """The finished attempt with the highest trust after its first tries (the latest of
    equals); see ``BEST_RULE``."""
    ranked = [
        (value, attempt.id or 0, attempt)
        for attempt in attempts
        if attempt.finished and (value := score(attempt, scores)) is not None
    ]
    return max(ranked, key=lambda item: item[:2], default=(0, 0, None))[2]


@dataclass(frozen=True)
class ScenarioGroup:
    """The attempts at one scenario, newest first."""

    scenario_id: str
    attempts: list[Attempt]
    scores: Scores | None = None

    @property
    def latest(self) -> Attempt:
        """The most recently started attempt."""
        return self.attempts[0]

    @property
    def best(self) -> Attempt | None:
        """See ``BEST_RULE``."""
        return best_attempt(self.attempts, self.scores)

    def score(self, attempt: Attempt) -> int | None:
        """An attempt's trust for "best" (see ``score``)."""
        return score(attempt, self.scores)


def group_attempts(
    attempts: Iterable[Attempt], scores: Scores | None = None
) -> list[ScenarioGroup]:
    """Attempts by scenario; the scenario practised most recently first."""
    groups: dict[str, list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: a.saved_id(), reverse=True):
        groups.setdefault(attempt.scenario_id, []).append(attempt)
    return [ScenarioGroup(scenario_id, listed, scores) for scenario_id, listed in groups.items()]


@dataclass(frozen=True)
class DecisionPair:
    """The n-th decision of two paths side by side (None where a path has stopped)."""

    number: int
    """1 for the first decision."""
    left: Step | None
    right: Step | None

    @property
    def same(self) -> bool:
        """Whether both made the same choice at the same moment."""
        return (
            self.left is not None
            and self.right is not None
            and (self.left.node_id, self.left.option_id)
            == (self.right.node_id, self.right.option_id)
        )


@dataclass(frozen=True)
class Comparison:
    """Two attempts at one scenario, decision by decision."""

    pairs: list[DecisionPair]
    split: int | None
    """The number of the first decision where the two chose differently (None if never)."""
    left_trust: list[int]
    right_trust: list[int]

    @property
    def shared(self) -> int:
        """How many decisions the two paths have in common before they split or stop."""
        count = 0
        for pair in self.pairs:
            if not pair.same:
                break
            count += 1
        return count


def compare(left: Sequence[Step], right: Sequence[Step], start: int | None = None) -> Comparison:
    """Compare two attempts' scored steps (``Tries.scored``), decision by decision."""
    pairs = [
        DecisionPair(
            number + 1,
            left[number] if number < len(left) else None,
            right[number] if number < len(right) else None,
        )
        for number in range(max(len(left), len(right)))
    ]
    split = next(
        (p.number for p in pairs if p.left is not None and p.right is not None and not p.same),
        None,
    )
    return Comparison(pairs, split, trajectory(left, start), trajectory(right, start))


def scenario_for(attempt: Attempt, entries: Sequence[Entry]) -> LoadedScenario | None:
    """The scenario an attempt was made on: by id in the library, else at its saved path."""
    for entry in entries:
        if entry.ok and entry.id == attempt.scenario_id:
            # A library of summaries loads the scenario only now (``Entry.load``).
            loaded = entry.load()
            if loaded is not None:
                return loaded
    if not attempt.scenario_path or not Path(attempt.scenario_path).is_file():
        return None
    loaded, _ = check_file(attempt.scenario_path)
    return loaded if loaded is not None and loaded.scenario.id == attempt.scenario_id else None


@dataclass
class SavedAttempt:
    """One attempt as saved, and its engine rebuilt on the scenario as it is now."""

    attempt: Attempt
    steps: list[Step]
    reflections: list[Reflection]
    loaded: LoadedScenario | None
    engine: Engine | None
    problem: str | None = None
    """Why the engine could not be rebuilt, in plain words (the attempt itself is kept)."""
    detail: str | None = None
    """The replay's own account of what no longer fits, for those who want it."""
    draft: Draft | None = None
    """Words written first at the decision the attempt stopped at (only if it still fits)."""
    others: list[Attempt] = field(default_factory=list)
    """For a resume offer: further unfinished attempts not offered."""

    @property
    def path(self) -> list[Step]:
        """The choices as the conversation finally stood (the path actually played, for
        resuming and the trust chart)."""
        return final_path(self.steps)

    @property
    def tries(self) -> Tries:
        """Its scored first tries and its explorations (see ``Tries``)."""
        return tries(self.steps)

    @property
    def title(self) -> str:
        """The scenario's title now, or its id if it cannot be found."""
        return self.loaded.scenario.title if self.loaded else self.attempt.scenario_id


def open_saved(store: Store, attempt: Attempt, entries: Sequence[Entry]) -> SavedAttempt:
    """Read an attempt and replay it on the current scenario (for resume and debrief)."""
    loaded = scenario_for(attempt, entries)
    saved = SavedAttempt(
        attempt=attempt,
        steps=store.steps(attempt.saved_id()),
        reflections=store.reflections(attempt.saved_id()),
        loaded=loaded,
        engine=None,
    )
    if loaded is None:
        saved.problem = (
            f"The scenario '{attempt.scenario_id}' is no longer in your library "
            f"(it was at {attempt.scenario_path})."
        )
        return saved
    try:
        engine = replay(loaded, saved.steps)
    except ResumeError as exc:
        saved.detail = _why_not(exc)
        changed = attempt.scenario_digest != loaded.digest
        saved.problem = (
            "The scenario file has changed since, so its saved path no longer fits."
            if changed
            else "Its saved path cannot be replayed on this scenario."
        )
        return saved
    saved.engine = engine
    draft = store.draft(attempt.saved_id())
    if draft is not None and (draft.step, draft.node_id) == (engine.step, engine.node.id):
        saved.draft = draft
    return saved


def _what_no_longer_fits(exc: ResumeError) -> str:
    """The replay's own words for what no longer fits, without its preamble (the caller
    has already said that the scenario changed)."""
    text = str(exc)
    prefix = "the scenario has changed since this attempt was saved ("
    if text.startswith(prefix) and text.endswith(")"):
        text = text[len(prefix) : -1]
    return text


def _why_not(exc: ResumeError) -> str:
    """The replay's own words for what no longer fits."""
    return f"What no longer fits: {_what_no_longer_fits(exc)}."


def resume_problem(attempt: Attempt, loaded: LoadedScenario, exc: ResumeError) -> str:
    """Why a saved attempt cannot be resumed, in one line (plain mode says this)."""
    changed = attempt.scenario_digest != loaded.digest
    why = "the scenario file has changed since it was saved" if changed else "it cannot be replayed"
    return (
        f"Attempt {attempt.id} cannot be resumed: {why} ({_what_no_longer_fits(exc)}). "
        "It is kept in your history; you can start afresh."
    )


def latest_unfinished(store: Store, scenario_id: str) -> Attempt | None:
    """The newest unfinished attempt at a scenario, if any."""
    for attempt in store.attempts(scenario_id):
        if not attempt.finished:
            return attempt
    return None


@dataclass
class Resumed:
    """The outcome of trying to resume: an engine, or why not (the old attempt is kept)."""

    attempt: Attempt
    engine: Engine | None
    problem: str | None = None


def resume_latest(store: Store, loaded: LoadedScenario) -> Resumed | None:
    """The newest unfinished attempt at a scenario with its engine rebuilt on the scenario
    as it is now (or why it cannot be); None if there is no unfinished attempt."""
    attempt = latest_unfinished(store, loaded.scenario.id)
    if attempt is None:
        return None
    try:
        return Resumed(attempt, replay(loaded, store.steps(attempt.saved_id())))
    except ResumeError as exc:
        return Resumed(attempt, None, resume_problem(attempt, loaded, exc))


def resumable(store: Store, *, scenario_id: str | None = None) -> list[Attempt]:
    """Unfinished attempts worth offering, newest first: with at least one choice or words
    written, and (unless a scenario is named) not set aside."""
    found: list[Attempt] = []
    for attempt in store.unfinished():
        if scenario_id is not None and attempt.scenario_id != scenario_id:
            continue
        if scenario_id is None and attempt.set_aside:
            continue
        if store.steps(attempt.saved_id()) or store.draft(attempt.saved_id()) is not None:
            found.append(attempt)
    return found


def pending(
    store: Store, entries: Sequence[Entry], *, scenario_id: str | None = None
) -> SavedAttempt | None:
    """The newest resumable attempt, opened (see ``open_saved``), or None."""
    if not store.path.exists():
        return None  # nothing saved yet (and the database is only created by a write)
    candidates = resumable(store, scenario_id=scenario_id)
    if not candidates:
        return None
    saved = open_saved(store, candidates[0], entries)
    saved.others = candidates[1:]
    return saved


def local_time(stamp: str | None, *, year: bool = False) -> str:
    """A saved UTC time as local time for people: '12 Mar 14:05' (or '12 Mar 2026, 14:05')."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%b %Y, %H:%M}" if year else f"{moment.day} {moment:%b %H:%M}"


def load_all(store: Store) -> list[SavedAttempt]:
    """Every attempt with its steps and reflections, newest first (no replay: quick)."""
    if not store.path.exists():
        return []  # nothing saved yet: do not create the database just to read it
    return [
        SavedAttempt(
            attempt=attempt,
            steps=store.steps(attempt.saved_id()),
            reflections=store.reflections(attempt.saved_id()),
            loaded=None,
            engine=None,
        )
        for attempt in store.attempts()
    ]
