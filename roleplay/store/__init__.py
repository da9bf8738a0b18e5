"""Local history: attempts, choices and reflections in SQLite (no Textual, no network)."""

from roleplay.store.db import Store, StoreError
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
    "Attempt",
    "Draft",
    "FeedbackTiming",
    "Outcome",
    "OwnWords",
    "PracticeOptions",
    "Reflection",
    "Step",
    "Store",
    "StoreError",
]
