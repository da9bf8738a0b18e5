"""roleplay: practise building trust with simulated clients who have reason to distrust services."""

__version__ = "0.1.0"
