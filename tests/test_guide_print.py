"""The student handout prints on one page (opt-in: skipped unless Debian's ``chromium`` is
installed). The longest handout of the bundled library is printed to PDF by headless
Chromium on US Letter, the shorter of the two common papers, and its pages are counted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roleplay.core.guide import Format, Part, render_guide
from roleplay.core.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]


def test_the_longest_handout_prints_on_one_page(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    handouts = [
        render_guide(load_scenario(path).scenario, Part.HANDOUT, Format.HTML)
        for path in sorted((ROOT / "scenarios").glob("*.yaml"))
    ]
    longest = max(handouts, key=lambda page: len(re.sub(r"<[^>]+>", "", page)))
    page = tmp_path / "handout.html"
    page.write_text(longest, encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert pages == 1, f"the handout prints on {pages} pages: {page}"
