"""``roleplay serve`` answers on loopback with a page that needs nothing from the Internet."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from serving import serving


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8", errors="replace")


def test_serve_gives_the_page_and_its_script_on_loopback(tmp_path: Path) -> None:
    with serving(tmp_path / "home") as url:
        status, page = _get(url)
        assert status == 200
        assert "textual.js" in page
        assert "fonts.googleapis" not in page and "https://" not in page
        status, script = _get(url + "static/js/textual.js")
        assert status == 200 and len(script) > 1000
