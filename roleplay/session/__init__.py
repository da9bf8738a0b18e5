"""The application layer: a learner's attempts and history, between the core and the front
ends (the app, plain mode, present mode, the command line).

It starts, records and finishes attempts (``Journal`` with a ``HistorySink``), saves them
(``StoreHistory`` through a ``StoreRunner``), resumes, lists, compares, exports and deletes
them (``History``, ``roleplay.session.review``, ``roleplay.session.export``), and holds the
learner's practice preferences. No Textual here; the front ends import this package, never
``roleplay.store``.
"""

from typing import TYPE_CHECKING, Any

from roleplay.session.history import History
from roleplay.session.saving import (
    FAILURES,
    StoreHistory,
    StoreNow,
    StoreRunner,
    StoreThread,
    failure_text,
)
from roleplay.store import StoreError
from roleplay.store.reads import ScenarioStats
from roleplay.store.records import (
    Attempt,
    Draft,
    FeedbackTiming,
    Outcome,
    OwnWords,
    PracticeOptions,
    Reflection,
    Step,
)

if TYPE_CHECKING:
    from roleplay.session.journal import HistorySink, Journal, NullHistory
    from roleplay.session.present import PresentRequest
    from roleplay.session.review import SavedAttempt

# These need the scenario models (pydantic), so they are imported when first asked for:
# the command line's history export, which uses none of them, starts without the models.
_LAZY = {
    "HistorySink": "roleplay.session.journal",
    "Journal": "roleplay.session.journal",
    "NullHistory": "roleplay.session.journal",
    "PresentRequest": "roleplay.session.present",
    "SavedAttempt": "roleplay.session.review",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


__all__ = [
    "FAILURES",
    "Attempt",
    "Draft",
    "FeedbackTiming",
    "History",
    "HistorySink",
    "Journal",
    "NullHistory",
    "Outcome",
    "OwnWords",
    "PracticeOptions",
    "PresentRequest",
    "Reflection",
    "SavedAttempt",
    "ScenarioStats",
    "Step",
    "StoreError",
    "StoreHistory",
    "StoreNow",
    "StoreRunner",
    "StoreThread",
    "failure_text",
]
