"""The application layer: a learner's attempts and history, between the core and the front
ends (the app, plain mode, present mode, the command line).

It starts, records and finishes attempts (``Journal`` with a ``HistorySink``), saves them
(``StoreHistory`` through a ``StoreRunner``), resumes, lists, compares, exports and deletes
them (``History``, ``roleplay.session.review``, ``roleplay.session.export``), and holds the
learner's practice preferences. No Textual here; the front ends import this package, never
``roleplay.store``.
"""

from roleplay.session.history import History
from roleplay.session.journal import HistorySink, Journal, NullHistory
from roleplay.session.present import PresentRequest
from roleplay.session.review import SavedAttempt
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
