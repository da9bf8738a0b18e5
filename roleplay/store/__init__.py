"""Local history: attempts, choices and reflections in SQLite (no Textual, no network)."""

from roleplay.store.db import Attempt, Reflection, Step, Store, StoreError

__all__ = ["Attempt", "Reflection", "Step", "Store", "StoreError"]
