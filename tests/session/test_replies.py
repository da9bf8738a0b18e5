"""Typed replies in the application layer: proposals from the words typed, and the learner's
remembered reply mode (a private file that ``forget --all`` removes)."""

from __future__ import annotations

import stat
from pathlib import Path

from cli_kit import run_cli

from roleplay.core.engine import Engine
from roleplay.core.library import default_dirs, find, scan
from roleplay.session.replies import (
    PREFERENCES_FILE,
    forget_preferences,
    propose,
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
