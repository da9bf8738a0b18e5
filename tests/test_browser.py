"""The served app renders in a real browser (opt-in: skipped unless Debian's ``chromium`` is
installed). Starts ``roleplay serve`` on a free loopback port and drives headless
Chromium through the DevTools protocol: the app has drawn when its own words reached the
page's terminal (the screenshots are taken then), first from the link without its last
slash, then the library and present mode after pressing ``p``. Look at the PNGs (their paths are
printed) when a change touches the served page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, chromium_page
from serving import serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]
LIBRARY_WORDS = "practise building trust"
"""The library's header line, which textual-serve's splash page never shows."""
PRESENT_WORDS = "BEFORE WE BEGIN"
"""Present mode's phase label before the first moment."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of ``roleplay serve`` on a free loopback port."""
    with serving(tmp_path_factory.mktemp("browser-home")) as url:
        yield url


async def _drawn_at(url: str, folder: Path) -> tuple[str, str, bytes]:
    async with chromium_page(folder) as tools:
        await tools.call("Page.navigate", url=url)
        text = await tools.shows_text(LIBRARY_WORDS)
        await asyncio.sleep(1)  # let the frame that carried it be painted
        address = await tools.evaluate("location.href")
        return text, str(address), await tools.screenshot()


def test_the_link_without_its_last_slash_draws_the_app(served: str, tmp_path: Path) -> None:
    """The printed link typed without its last slash is sent on to the app, which draws.

    (Chromium's plain ``--screenshot`` command line cannot wait for the app: with
    ``--virtual-time-budget`` or ``--timeout`` it photographs textual-serve's splash page,
    so every screenshot here is taken once the app's own words reached the page.)"""
    text, address, shot = asyncio.run(_drawn_at(served.rstrip("/"), tmp_path))
    path = tmp_path / "served.png"
    path.write_bytes(shot)
    print(f"screenshot: {path}")
    assert address == served
    assert LIBRARY_WORDS in text and shot[:8] == b"\x89PNG\r\n\x1a\n"


async def _library_then_present(url: str, folder: Path) -> tuple[str, str, bytes, bytes]:
    async with chromium_page(folder) as tools:
        await tools.call("Page.navigate", url=url)
        library_text = await tools.shows_text(LIBRARY_WORDS)
        await asyncio.sleep(1)  # let the frame that carried it be painted
        library = await tools.screenshot()
        tools.received.clear()
        await tools.press("p")
        present_text = await tools.shows_text(PRESENT_WORDS)
        await asyncio.sleep(1)
        present = await tools.screenshot()
        return library_text, present_text, library, present


def test_the_app_and_present_mode_draw_in_the_browser(served: str, tmp_path: Path) -> None:
    """The app's own words reach the browser's terminal: the library, then present mode
    after ``p`` (the screenshots are saved for a person to look at)."""
    library_text, present_text, library, present = asyncio.run(
        _library_then_present(served, tmp_path)
    )
    for name, shot in (("library", library), ("present", present)):
        path = tmp_path / f"{name}.png"
        path.write_bytes(shot)
        print(f"screenshot: {path}")
    assert LIBRARY_WORDS in library_text and PRESENT_WORDS not in library_text
    assert PRESENT_WORDS in present_text
    assert present != library
