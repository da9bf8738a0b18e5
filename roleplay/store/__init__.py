"""Local history: attempts, choices and reflections in SQLite (no Textual, no network)."""

from roleplay.store.db import Attempt, Draft, Reflection, Step, Store, StoreError

__all__ = ["Attempt", "Draft", "Reflection", "Step", "Store", "StoreError"]
