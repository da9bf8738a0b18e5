"""The UI-free heart of roleplay: scenario models, loading, lint, the engine and the debrief.

Nothing in this package may import Textual; ``tests/test_import_hygiene.py`` proves it.
"""
