# mypy: disable-error-code="comparison-overlap"
# (each test checks a state, awaits a key press, then checks the next state; mypy narrows
# across the await and calls the second check impossible)
"""The group-session model: votes, lock, split and revote, ties and overrides, the timer
(driven by a fake clock, never by sleeping) and the Markdown summary."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from roleplay.core.facilitation import (
    CountdownTimer,
    Facilitation,
    FacilitationError,
    FacilitationSettings,
    Offered,
    Phase,
    Round,
    TimerState,
    clock_text,
)
from roleplay.core.loader import load_scenario
from roleplay.core.models import Rating, Scenario

GROUP = Path(__file__).parent / "tui" / "data" / "group.yaml"
WHEN = datetime(2025, 3, 4, 9, 30)


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(GROUP).scenario


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(scenario: Scenario, clock: FakeClock) -> Facilitation:
    return Facilitation(scenario, FacilitationSettings(thinking_seconds=60), clock=clock)


# -- settings and the clock text ------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"thinking_seconds": 0},
        {"thinking_seconds": -5},
        {"thinking_seconds": float("inf")},
        {"split_threshold": 0},
        {"split_threshold": 1},
        {"split_threshold": 1.5},
        {"discussion_seconds": 0},
        {"add_seconds": 0},
        {"class_size": 0},
        {"class_size": 10_000},
    ],
)
def test_settings_reject_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        FacilitationSettings(**kwargs)


def test_discussion_defaults_to_twice_the_thinking_time() -> None:
    assert FacilitationSettings(thinking_seconds=45).discussion == 90
    assert FacilitationSettings(discussion_seconds=100).discussion == 100


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(60, "1:00"), (59.2, "1:00"), (59.0, "0:59"), (0.4, "0:01"), (0, "0:00"), (-3, "0:00")],
)
def test_clock_text_rounds_up(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text


# -- the timer -----------------------------------------------------------------------------
def test_timer_start_pause_resume_and_expire(clock: FakeClock) -> None:
    timer = CountdownTimer(60, clock=clock, label="Thinking")
    assert timer.state is TimerState.READY and not timer.active
    clock.advance(30)
    assert timer.remaining == 60  # nothing moves before it starts
    timer.start()
    clock.advance(10)
    assert timer.remaining == 50 and timer.text() == "0:50" and timer.running
    timer.pause()
    clock.advance(100)
    assert timer.state is TimerState.PAUSED and timer.remaining == 50
    timer.toggle()  # resume
    clock.advance(49.5)
    assert timer.running and timer.text() == "0:01"
    clock.advance(0.5)
    assert timer.state is TimerState.EXPIRED and timer.remaining == 0 and timer.text() == "0:00"
    clock.advance(10)
    assert timer.remaining == 0


def test_timer_add_time(clock: FakeClock) -> None:
    timer = CountdownTimer(60, clock=clock)
    timer.add(30)  # before starting: a longer timer
    assert timer.duration == 90 and timer.remaining == 90
    timer.start()
    clock.advance(80)
    timer.add(30)
    assert timer.remaining == 40
    clock.advance(40)
    assert timer.state is TimerState.EXPIRED
    timer.add(30)  # after the end: the extra time runs at once
    assert timer.running and timer.remaining == 30
    clock.advance(5)
    assert timer.remaining == 25


def test_timer_skip_and_restart(clock: FakeClock) -> None:
    timer = CountdownTimer(60, clock=clock)
    timer.start()
    clock.advance(5)
    timer.skip()
    assert timer.state is TimerState.SKIPPED and timer.remaining == 0 and timer.active
    timer.start()  # an ended timer starts again from its full time
    assert timer.running and timer.remaining == 60
    timer.reset(120, "Discussion")
    assert timer.state is TimerState.READY and timer.remaining == 120
    assert timer.label == "Discussion"


# -- a round of votes ----------------------------------------------------------------------
def test_a_letter_wins_over_an_option_id(scenario: Scenario) -> None:
    session = Facilitation(scenario)
    session.begin()
    decision = session.current
    assert decision is not None
    decision.offered = (
        Offered("A", "b", "first"),
        Offered("B", "a", "second"),
    )
    assert decision.resolve("b") == "a" and decision.resolve("B") == "a"
    assert decision.resolve("a") == "b"
    with pytest.raises(FacilitationError):
        decision.resolve("zzz")


def test_round_counts() -> None:
    vote = Round(1, ("a", "b", "c"))
    assert vote.counts == {"a": 0, "b": 0, "c": 0}
    assert vote.add("a") == 1 and vote.add("a", 3) == 4
    assert vote.remove("b") == 0  # never below zero
    vote.set_count("c", 2)
    assert vote.total == 6 and vote.share("a") == pytest.approx(4 / 6)
    with pytest.raises(FacilitationError):
        vote.set_count("c", -1)
    with pytest.raises(FacilitationError, match="no option"):
        vote.add("zzz")
    vote.locked = True
    with pytest.raises(FacilitationError, match="locked"):
        vote.add("a")


def test_round_leaders_ties_and_split() -> None:
    vote = Round(1, ("a", "b", "c"))
    assert vote.leaders() == [] and vote.leader() is None
    assert not vote.is_split(0.6)  # no votes is not a split room
    vote.set_count("a", 3)
    vote.set_count("b", 2)
    assert vote.leader() == "a"
    assert vote.is_split(0.6)  # 60% is not *above* 60%
    vote.set_count("a", 4)
    assert not vote.is_split(0.6)  # 4 of 6 is 67%
    vote.set_count("b", 4)
    assert vote.leaders() == ["a", "b"] and vote.leader() is None


# -- a session -----------------------------------------------------------------------------
def test_a_session_from_prebrief_to_the_end(session: Facilitation) -> None:
    assert session.phase is Phase.PREBRIEF and session.current is None
    with pytest.raises(FacilitationError):
        session.vote("a")
    session.begin()
    decision = session.current
    assert decision is not None and session.phase is Phase.VOTING
    assert [o.letter for o in decision.offered] == ["A", "B", "C"]
    assert [o.option_id for o in decision.offered] == ["own-it", "reassure", "procedure"]
    assert decision.prompt == "What do you say first?"
    assert session.vote("a") == 1 and session.vote("A", 4) == 5 and session.vote("b") == 1
    assert session.vote("b", -1) == 0
    session.set_count("procedure", 1)
    with pytest.raises(FacilitationError):
        session.reveal()  # not locked yet
    session.lock()
    assert session.phase is Phase.LOCKED and decision.round.locked and not session.split
    with pytest.raises(FacilitationError):
        session.vote("a")
    turn = session.reveal()
    assert session.phase is Phase.REVEALED and decision.followed == "own-it"
    assert turn.option_id == "own-it" and turn.delta == 15
    assert session.engine.step == 0  # a reveal chooses nothing yet
    session.proceed()
    assert decision.turn is not None and decision.turn.option_id == "own-it"
    assert session.engine.step == 1 and session.phase is Phase.VOTING
    # her-words, then plan: with no rupture open the repair option is not on offer, so the
    # letters move up and A is 'plan'.
    for letter in ("a", "a"):
        assert session.current is not None
        assert "repair" not in [o.option_id for o in session.current.offered]
        session.vote(letter, 3)
        session.lock()
        session.reveal()
        session.proceed()
    assert session.finished and session.current is None
    assert session.engine.ending is not None and session.engine.ending.id == "returns"
    assert [d.turn.option_id for d in session.decisions if d.turn] == [
        "own-it",
        "her-words",
        "plan",
    ]


def test_split_room_gets_a_discussion_timer_and_a_revote_keeping_both_rounds(
    session: Facilitation, clock: FakeClock
) -> None:
    session.begin()
    session.timer.start()
    session.vote("a", 2)
    session.vote("b", 2)
    session.vote("c", 1)
    session.lock()
    assert session.split and session.can_revote
    assert session.timer.label == "Discussion" and session.timer.remaining == 120
    assert session.timer.state is TimerState.READY
    session.timer.start()
    clock.advance(30)
    session.revote()
    decision = session.current
    assert decision is not None and len(decision.rounds) == 2
    assert decision.rounds[0].counts == {"own-it": 2, "reassure": 2, "procedure": 1}
    assert decision.rounds[0].locked and not decision.round.locked
    assert session.phase is Phase.VOTING and session.timer.label == "Thinking"
    assert session.timer.state is TimerState.READY
    session.vote("a", 4)
    session.vote("b", 1)
    session.lock()
    assert not session.split and not session.can_revote
    with pytest.raises(FacilitationError, match="already"):
        session.revote()
    session.reveal()
    assert decision.followed == "own-it" and decision.room_choice == "own-it"
    assert not decision.overridden


def test_a_tie_needs_the_facilitators_pick(session: Facilitation) -> None:
    session.begin()
    session.vote("a", 2)
    session.vote("b", 2)
    session.lock()
    decision = session.current
    assert decision is not None and decision.room_choice is None and decision.shown is None
    with pytest.raises(FacilitationError, match="pick one"):
        session.reveal()
    assert session.choose("B") == "reassure"
    turn = session.reveal()
    assert turn.option_id == "reassure" and decision.followed == "reassure"
    assert not decision.overridden  # no clear choice to override


def test_no_votes_at_all_also_needs_a_pick(session: Facilitation) -> None:
    session.begin()
    session.lock()
    assert not session.split
    with pytest.raises(FacilitationError):
        session.reveal()
    session.choose("c")
    assert session.reveal().option_id == "procedure"


def test_the_facilitator_can_continue_with_another_option(session: Facilitation) -> None:
    session.begin()
    session.vote("b", 5)
    session.vote("a", 1)
    session.lock()
    session.reveal()
    decision = session.current
    assert decision is not None
    session.choose("a")
    assert decision.followed == "own-it" and decision.room_choice == "reassure"
    assert decision.overridden
    turn = session.proceed()
    assert turn.option_id == "own-it" and session.engine.trust == 50


def test_unlock_to_correct_a_count(session: Facilitation) -> None:
    session.begin()
    session.vote("a", 5)
    session.lock()
    session.unlock()
    assert session.phase is Phase.VOTING
    session.set_count("a", 1)
    session.vote("c", 3)
    session.lock()
    assert session.reveal().option_id == "procedure"


def test_reveal_all_previews_every_option_without_choosing(session: Facilitation) -> None:
    session.begin()
    session.vote("a")
    session.lock()
    with pytest.raises(FacilitationError):
        session.previews()
    session.reveal()
    previews = session.previews()
    assert [(o.letter, t.delta) for o, t in previews] == [("A", 15), ("B", -5), ("C", -10)]
    assert session.engine.step == 0 and session.engine.trust == 35


def test_ending_straight_away(scenario: Scenario) -> None:
    session = Facilitation(scenario.model_copy(update={"start": "close"}))
    session.begin()
    assert session.finished and session.decisions == []
    assert "No decision was completed." in session.summary_markdown(WHEN)


# -- the summary ---------------------------------------------------------------------------
def _played(session: Facilitation) -> Facilitation:
    session.begin()
    # 1: split, revote, clear choice A.
    session.vote("a", 2)
    session.vote("b", 2)
    session.vote("c", 1)
    session.lock()
    session.revote()
    session.vote("a", 4)
    session.vote("b", 1)
    session.lock()
    session.reveal()
    session.proceed()
    # 2: the room picks B (the assumption); the facilitator continues with it.
    session.vote("b", 3)
    session.lock()
    session.reveal()
    session.proceed()
    # 3: the room picks C; the facilitator continues with A (the repair) instead.
    session.vote("c", 4)
    session.vote("a", 2)
    session.lock()
    session.reveal()
    session.choose("a")
    session.proceed()
    return session


def test_summary_markdown(session: Facilitation) -> None:
    text = _played(session).summary_markdown(WHEN)
    assert text.startswith("# Group session: The side door\n")
    assert "- Date: 2025-03-04 09:30" in text
    assert "- Client: Dana (she/her)" in text
    assert "- Ending: Dana takes a leaflet" in text
    # The path, with who chose.
    assert "## The group's path" in text
    assert "1. **Late, and through the back**: A, “That should not have happened" in text
    assert "The room's choice, A; ++ Builds trust; trust 35 → 50" in text
    assert "2. **What brings her**: B, “It must be hard" in text
    assert "3. **Covering two jobs**: A, “Before we do" in text
    assert "The facilitator continued with A; the room chose C; ++ Builds trust" in text
    assert "The room's choice, C, counts in the group's ratings: ~ Missed opportunity" in text
    # Both rounds of the first vote, with shares.
    assert "| Option | First vote | Revote |" in text
    assert "| A: That should not have happened" in text
    assert "| 2 (40%) | 4 (80%) |" in text
    assert "| Total | 5 | 5 |" in text
    assert "- First vote: split (no option above 60%)." in text
    assert "- Revote: clear choice: A." in text
    assert "| Option | First vote |\n" in text  # later decisions had one round
    # Debrief essentials.
    assert "### How it ended: Dana takes a leaflet" in text
    assert "35 → 50 → 35 → 53" in text
    # The room's vote is what the group chose: C (missed) counts at 3, not the repair A.
    assert "- ++ Builds trust: 1" in text and "- !! Harmful: 1" in text
    assert "- ~ Missed opportunity: 1" in text
    assert "### Skills" in text and "| Trauma-informed pacing | 0 | 0 | 1 | 0 |" in text
    assert "| Repair |" not in text  # the repair was the facilitator's, not the room's
    assert "### Pivotal moments" in text
    assert "### Ruptures repaired" in text and "Assumed the wheelchair" in text
    assert "### Takeaways" in text
    assert "- Where did your first question about her come from?" in text


def test_summary_escapes_table_pipes(tmp_path: Path) -> None:
    text = GROUP.read_text(encoding="utf-8").replace(
        "Don't worry at all, you're here now", "Don't worry | at all, you're here now"
    )
    path = tmp_path / "pipes.yaml"
    path.write_text(text, encoding="utf-8")
    session = Facilitation(load_scenario(path).scenario)
    session.begin()
    session.vote("b")
    session.lock()
    assert "| B: Don't worry \\| at all" in session.summary_markdown(WHEN)


def test_save_summary_default_name_and_private_mode(
    session: Facilitation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _played(session)
    saved = session.save_summary(when=WHEN)
    assert saved == tmp_path / "roleplay-group-fixture-group-20250304-0930.md"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert saved.read_text(encoding="utf-8") == session.summary_markdown(WHEN)


def test_save_summary_named_file_folder_and_missing_folder(
    session: Facilitation, tmp_path: Path
) -> None:
    session.begin()
    named = tmp_path / "class-notes.md"
    named.write_text("old", encoding="utf-8")
    named.chmod(0o644)
    assert session.save_summary(named, when=WHEN) == named
    assert stat.S_IMODE(named.stat().st_mode) == 0o600  # replaced, and private again
    assert named.read_text(encoding="utf-8").startswith("# Group session")
    folder = tmp_path / "out"
    folder.mkdir()
    assert session.save_summary(folder, when=WHEN).parent == folder
    with pytest.raises(FileNotFoundError):
        session.save_summary(tmp_path / "nope" / "x.md", when=WHEN)


# -- who chose, and what counts -------------------------------------------------------------
def test_after_an_override_the_room_s_vote_counts_in_ratings_and_skills(
    session: Facilitation,
) -> None:
    """Path and trust follow the facilitator's option; ratings and skills the room's."""
    session.begin()
    session.vote("a", 16)  # own-it (builds trust)
    session.vote("b", 9)
    session.lock()
    session.reveal()
    session.choose("b")  # the facilitator continues with the reassurance instead
    decision = session.current
    assert decision is not None
    assert decision.chosen_by() == "the facilitator continued with B; the room chose A"
    session.proceed()
    assert decision.room_turn is not None and decision.room_turn.option_id == "own-it"
    assert decision.group_turn is decision.room_turn
    debrief = session.debrief()
    assert [r.turn.option_id for r in debrief.decisions] == ["own-it"]
    assert debrief.rating_counts[Rating.BUILDS_TRUST] == 1
    assert "inclusive-access" in debrief.skill_tallies
    assert debrief.trajectory == [35, 30]  # the story went on with B
    assert session.engine.path[0].option_id == "reassure"


def test_no_override_when_the_facilitator_follows_the_room(session: Facilitation) -> None:
    session.begin()
    session.vote("a", 3)
    session.lock()
    session.reveal()
    session.choose("b")
    session.choose("a")  # back to the room's own choice
    decision = session.current
    assert decision is not None and not decision.overridden
    assert decision.chosen_by() == "the room's choice, A"
    session.proceed()
    assert decision.room_turn is None and decision.group_turn is decision.turn


def test_a_tie_credits_the_facilitator_s_pick(session: Facilitation) -> None:
    session.begin()
    session.vote("a")
    session.vote("b")
    session.lock()
    session.choose("b")
    session.reveal()
    decision = session.current
    assert decision is not None
    assert decision.chosen_by().startswith("the facilitator's pick, B (the room did not")


def test_a_summary_saved_mid_moment_has_the_revealed_step(session: Facilitation) -> None:
    session.begin()
    session.vote("a", 2)
    session.lock()
    session.reveal()
    text = session.summary_markdown(WHEN)
    assert "1. **Late, and through the back**: A, “That should not have happened" in text
    assert "(revealed; the group has not moved on yet)" in text
    assert "No decision was completed." not in text


@pytest.mark.parametrize(
    ("counts", "shares"),
    [
        ((1, 1, 1), (34, 33, 33)),
        ((2, 2, 2, 1), (29, 29, 28, 14)),
        ((16, 9, 0), (64, 36, 0)),
        ((1, 0, 0), (100, 0, 0)),
        ((0, 0, 0), (0, 0, 0)),
        ((5, 5, 5, 5, 5, 5, 1), (16, 16, 16, 16, 16, 16, 4)),
    ],
)
def test_percentages_always_sum_to_100(counts: tuple[int, ...], shares: tuple[int, ...]) -> None:
    ids = tuple(f"o{i}" for i in range(len(counts)))
    round_ = Round(1, ids, dict(zip(ids, counts, strict=True)))
    result = round_.percentages()
    assert tuple(result.values()) == shares
    assert sum(result.values()) == (100 if sum(counts) else 0)


def test_class_size_caps_counts_with_a_clear_message(scenario: Scenario) -> None:
    session = Facilitation(scenario, FacilitationSettings(class_size=25))
    session.begin()
    assert session.count_problem({"own-it": 3126}) == "A: 3126 is more than the class of 25."
    problem = session.count_problem({"own-it": 20, "reassure": 6})
    assert problem == "The counts add up to 26, more than the class of 25."
    assert session.count_problem({"own-it": 20, "reassure": 5}) is None
    with pytest.raises(FacilitationError, match="class of 25"):
        session.set_count("a", 26)
    session.set_counts({"own-it": 20, "reassure": 5})
    with pytest.raises(FacilitationError, match="26 votes would be more than the class of 25"):
        session.vote("c")
    session.vote("a", -1)
    assert session.vote("c") == 1
