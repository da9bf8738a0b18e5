"""The three registered themes. Stylesheets use only theme variables, so switching theme
(``--theme NAME`` or the command palette) changes every colour at once."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

from roleplay.settings import THEME_NAMES

DEFAULT_THEME = "roleplay-dark"

DARK = Theme(
    name="roleplay-dark",
    primary="#7FB3A6",
    secondary="#9AA7C7",
    accent="#D9A86C",
    warning="#E0B35A",
    error="#E57F72",
    success="#8CC084",
    foreground="#E6E1D8",
    background="#15191E",
    surface="#1C2127",
    panel="#262C34",
    dark=True,
)

LIGHT = Theme(
    name="roleplay-light",
    primary="#2F6F62",
    secondary="#4A5A85",
    accent="#8F5312",
    warning="#8A5A00",
    error="#B3261E",
    success="#2E7D32",
    foreground="#24292F",
    background="#F6F3EE",
    surface="#FDFBF7",
    panel="#E6E0D6",
    dark=False,
)

HIGH_CONTRAST = Theme(
    name="roleplay-high-contrast",
    primary="#00E5FF",
    secondary="#FFFFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6B6B",
    success="#00FF66",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1F1F1F",
    dark=True,
    variables={
        "text-muted": "#E8E8E8",
        "border": "#FFFFFF",
        "border-blurred": "#BBBBBB",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFF00",
        "input-cursor-background": "#FFFFFF",
        "input-cursor-foreground": "#000000",
    },
)

THEMES: tuple[Theme, ...] = (DARK, LIGHT, HIGH_CONTRAST)

assert tuple(theme.name for theme in THEMES) == THEME_NAMES  # the command line checks these


def keep_only_roleplay_themes(app: App[None]) -> None:
    """Unregister Textual's built-in themes, so the command palette's theme list offers the
    three made for roleplay (each checked for contrast), not twenty others."""
    for name in list(app.available_themes):
        if name not in THEME_NAMES:
            app.unregister_theme(name)
