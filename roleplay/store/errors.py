"""The one exception the store raises for a learner to read."""

from __future__ import annotations


class StoreError(Exception):
    """History cannot be used right now (locked by another process, unwritable folder)."""
