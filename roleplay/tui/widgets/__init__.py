"""Widgets shared by the screens: transcript messages, trust meter and chart, feedback."""
