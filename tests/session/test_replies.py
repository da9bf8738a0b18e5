"""Typed replies in the application layer: proposals from the words typed; and the learner's
remembered preferences (a private file, written atomically, that ``forget --all`` removes)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from unittest.mock import patch

from cli_kit import run_cli

from roleplay.core.engine import Engine
from roleplay.core.library import default_dirs, find, scan
from roleplay.session import FeedbackTiming, PracticeOptions
from roleplay.session.replies import (
    PREFERENCES_FILE,
    Preferences,
    forget_preferences,
    load_preferences,
    practice_options,
    propose,
    remember,
    remember_typed,
    typed_preference,
)


def _engine() -> Engine:
    entry = find("broken-ramp", scan(default_dirs(())))
    assert entry is not None and entry.loaded is not None
    return Engine(entry.loaded.scenario)


def test_a_proposal_is_the_closest_option_on_offer_with_its_runner_up() -> None:
    engine = _engine()
    target = engine.choices()[1]
    proposal = propose(engine, target.option.examples[0])
    assert proposal.closest == target
    assert proposal.runner_up is not None and proposal.runner_up != target
    assert proposal.offered == (target, proposal.runner_up)


def test_nothing_close_proposes_nothing() -> None:
    proposal = propose(_engine(), "what is the weather like")
    assert proposal.closest is None and proposal.runner_up is None and proposal.offered == ()


def test_the_reply_mode_is_remembered_privately_and_forgotten(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert typed_preference(home) is False  # never chosen
    assert remember_typed(home, True)
    assert typed_preference(home) is True
    assert stat.S_IMODE((home / PREFERENCES_FILE).stat().st_mode) == 0o600
    assert remember_typed(home, False)
    assert typed_preference(home) is False
    remember_typed(home, True)
    result = run_cli("forget", "--all", "--yes", env={"ROLEPLAY_HOME": str(home)})
    assert result.returncode == 0
    assert not (home / PREFERENCES_FILE).exists()
    forget_preferences(home)  # nothing to forget is fine


def test_a_damaged_or_unwritable_preference_is_only_forgotten(tmp_path: Path) -> None:
    (tmp_path / PREFERENCES_FILE).write_text("{not json", encoding="utf-8")
    assert typed_preference(tmp_path) is False
    (tmp_path / PREFERENCES_FILE).write_text('["typed"]', encoding="utf-8")
    assert typed_preference(tmp_path) is False
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert remember_typed(blocked, True) is False  # its data folder is a file


def test_every_preference_is_remembered_and_the_rest_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert load_preferences(home) == Preferences()  # nothing yet: the defaults
    assert remember(home, meter=False)
    assert remember(home, theme="roleplay-light", feedback=FeedbackTiming.AT_END)
    assert remember(home, typed=True)
    kept = load_preferences(home)
    assert kept == Preferences(
        typed=True, feedback=FeedbackTiming.AT_END, meter=False, theme="roleplay-light"
    )
    assert practice_options(kept) == PracticeOptions(FeedbackTiming.AT_END, write_first=True)
    # A person can read the file; it is private, in a private folder, with no leftovers.
    data = json.loads((home / PREFERENCES_FILE).read_text(encoding="utf-8"))
    assert data == {
        "reply_mode": "typed",
        "feedback": "end",
        "trust_meter": "hidden",
        "theme": "roleplay-light",
    }
    assert stat.S_IMODE((home / PREFERENCES_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert [p.name for p in home.iterdir()] == [PREFERENCES_FILE]


def test_a_hand_edited_file_keeps_what_it_can(tmp_path: Path) -> None:
    (tmp_path / PREFERENCES_FILE).write_text(
        '{"reply_mode": "typed", "feedback": "sometimes", "trust_meter": 0, "theme": 7}',
        encoding="utf-8",
    )
    assert load_preferences(tmp_path) == Preferences(typed=True)


def test_preferences_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    remember(tmp_path, theme="roleplay-light")
    before = (tmp_path / PREFERENCES_FILE).read_text(encoding="utf-8")
    with patch("roleplay.settings.os.replace", side_effect=OSError("disk full")):
        assert remember(tmp_path, theme="roleplay-dark") is False
    assert (tmp_path / PREFERENCES_FILE).read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == [PREFERENCES_FILE]  # no temporary left


def test_forget_all_without_history_still_removes_the_preferences(tmp_path: Path) -> None:
    home = tmp_path / "home"
    remember(home, meter=False)
    result = run_cli("forget", "--all", "--yes", env={"ROLEPLAY_HOME": str(home)})
    assert result.returncode == 0
    assert not (home / PREFERENCES_FILE).exists()
