"""The Textual front end: library, briefing, practice and debrief screens.

Only this package imports Textual; ``create_app`` in ``roleplay.tui.app`` is the one way
in, used by the command line and the tests alike.
"""
