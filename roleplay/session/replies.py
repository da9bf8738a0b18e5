"""Typed replies: the learner's own words matched to the replies on offer; and the learner's
remembered preferences (reply mode, feedback timing, trust meter, theme).

"Type my own reply" is the one own-words mode (it replaces the earlier write-first mode,
whose flag it keeps: ``PracticeOptions.write_first`` means "typed replies", saved with the
attempt so a resumed attempt keeps it). The learner types; ``propose`` asks the core matcher
for the closest option on offer and its runner-up; a front end shows that proposal and
applies an option only once the learner confirms it.

The matcher loads its embedding model on first use (about half a second), so a front end
calls ``load_matcher`` in a background thread before the learner needs it, never on the
path to its first frame.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from roleplay.core.engine import Choice, Engine
from roleplay.core.matching import Matcher, candidates
from roleplay.settings import PREFERENCES_FILE as PREFERENCES_FILE
from roleplay.settings import Preferences as Preferences
from roleplay.settings import forget_preferences as forget_preferences
from roleplay.settings import load_preferences as load_preferences
from roleplay.settings import remember as remember
from roleplay.settings import save_preferences as save_preferences
from roleplay.store.records import FeedbackTiming, PracticeOptions

_lock = threading.Lock()
_matcher: Matcher | None = None


def load_matcher() -> Matcher:
    """The shared matcher, loaded once (thread-safe; slow the first time)."""
    global _matcher
    with _lock:
        if _matcher is None:
            _matcher = Matcher.default()
        return _matcher


@dataclass(frozen=True)
class Proposal:
    """What the app proposes for the learner's words at the current decision."""

    words: str
    closest: Choice | None
    """The option to propose, or None when nothing on offer is close."""
    runner_up: Choice | None
    """The second-best option (offered beside the proposal), if there is one."""

    @property
    def offered(self) -> tuple[Choice, ...]:
        """The proposal and the runner-up, in the order they are shown (numbered 1, 2)."""
        return tuple(c for c in (self.closest, self.runner_up) if c is not None)


def propose(engine: Engine, words: str, matcher: Matcher | None = None) -> Proposal:
    """Match ``words`` against the options on offer now."""
    choices = engine.choices()
    by_id = {c.id: c for c in choices}
    found = (matcher or load_matcher()).match(words, candidates((c.id, c.option) for c in choices))
    if found.match is None:
        return Proposal(words, None, None)
    runner = found.runner_up
    return Proposal(words, by_id[found.match], by_id[runner] if runner else None)


# -- preferences --------------------------------------------------------------------------
# The file itself is read and written by ``roleplay.settings`` (light enough for the app to
# read the theme before its first frame); the learner's choices go through here.


def practice_options(preferences: Preferences) -> PracticeOptions:
    """The briefing's starting choices from the remembered ones."""
    return PracticeOptions(
        feedback=FeedbackTiming(preferences.feedback), write_first=preferences.typed
    )


def typed_preference(data_dir: Path) -> bool:
    """Whether the learner last chose "Type my own reply" (False if never, or unreadable)."""
    return load_preferences(data_dir).typed


def remember_typed(data_dir: Path, typed: bool) -> bool:
    """Remember the learner's reply mode; returns whether it could be saved."""
    return remember(data_dir, typed=typed)
