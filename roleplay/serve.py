"""``roleplay serve``: the app in a browser tab, for presenting from a browser window.

textual-serve runs one copy of the app per browser connection and ships its page's
scripts itself, so it works without the Internet, except that its page template links a
web font. A copy of the template without that link is written to a private temporary
folder, so nothing on the page reaches outside this machine.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

from roleplay.settings import Settings

EXTERNAL_LINK = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.DOTALL)


def offline_templates() -> Path:
    """A private copy of textual-serve's templates with every external link removed."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates"
    target = Path(tempfile.mkdtemp(prefix="roleplay-serve-"))
    for template in source.iterdir():
        if template.is_file():
            text = template.read_text(encoding="utf-8")
            (target / template.name).write_text(EXTERNAL_LINK.sub("", text), encoding="utf-8")
    return target


def app_command(settings: Settings, scenarios: list[Path], theme: str | None) -> str:
    """The shell command each browser connection runs (this Python, not the PATH's)."""
    parts = [sys.executable, "-m", "roleplay", "--data-dir", str(settings.data_dir)]
    for folder in scenarios:
        parts += ["--scenarios", str(folder.resolve())]
    if theme:
        parts += ["--theme", theme]
    return shlex.join(parts)


def serve(
    settings: Settings, *, host: str, port: int, scenarios: list[Path], theme: str | None
) -> int:
    """Serve the app until interrupted."""
    from textual_serve.server import Server

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"roleplay: serving on {host}: anyone who can reach this address can use the app "
            "and see what is on it. Use this only on a network you trust "
            "(see docs/facilitating.md).",
            file=sys.stderr,
        )
    server = Server(
        app_command(settings, scenarios, theme),
        host=host,
        port=port,
        title="roleplay",
        templates_path=offline_templates(),
    )
    try:
        server.serve()
    except OSError as exc:
        print(f"roleplay: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
