"""The transcript renderer and the review pack (best, repair and mistake paths), and the
``moves`` and ``review-pack`` commands."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from scenario_kit import MINI, dump, load_dict, mini, node, option, rupture, scenario

from roleplay.core.moves import moves
from roleplay.core.reviewpack import best_path, mistake_path, repair_path, review_pack
from roleplay.core.transcript import PlayedPath, follow, play, transcript_markdown


def _ids(played: PlayedPath) -> list[str]:
    return [beat.turn.option_id for beat in played.beats]


def test_the_three_paths_through_the_mini_scenario() -> None:
    scenario = mini()
    assert _ids(best_path(scenario)) == ["warm", "ask"]
    assert _ids(mistake_path(scenario)) == ["wrong-name", "carry-on"]
    repair = repair_path(scenario)
    assert repair is not None
    assert _ids(repair) == ["wrong-name", "repair"]
    assert repair.ending is not None and repair.beats[1].turn.rupture_repaired == "name-missed"


def test_a_transcript_shows_lines_offers_the_choice_feedback_and_ending() -> None:
    text = transcript_markdown(best_path(mini()), "Best")
    assert text.startswith("## Best\n")
    assert "### 1. Hello" in text
    assert "*Sam sits down.*" in text
    assert "**Sam:** \\[looks at the door\\] Hi." in text
    assert "**1. Welcome, Sam. What would you like me to know? (++ Builds trust) (chosen)**" in text
    assert "2. Welcome, Stan. (!! Harmful)" in text  # offered, not chosen
    assert "> **++ Builds trust** (trust +10, now 50). Skills: Cultural humility." in text
    assert "*The client might be thinking:* They seem to want to hear me." in text
    assert "**Ending: Good** (trust 55)" in text


def test_a_repair_transcript_names_the_rupture_opened_and_repaired() -> None:
    repair = repair_path(mini())
    assert repair is not None
    text = transcript_markdown(repair, "Repair")
    assert "opens the rupture *name-missed*" in text
    assert "repairs *name-missed*" in text
    assert "**Sam:** It's Sam, actually." in text  # the variant shown while it is open
    assert "*Stronger:* “Check the name.”" in text


def test_a_path_that_stops_says_so() -> None:
    text = transcript_markdown(play(mini(), follow(["warm"])), "Partial")
    assert "*The path stops here without an ending.*" in text


def test_without_a_repairable_rupture_the_pack_says_so() -> None:
    data = scenario(
        [
            node("a", option("good", "b", 5), option("bad", "b", -5, "missed-opportunity")),
            node("b", option("on", "end", 5), option("off", "end", -2, "missed-opportunity")),
            node("end", ending="done"),
        ]
    )
    loaded = load_dict(data)
    assert repair_path(loaded) is None
    assert "No path opens a rupture and then repairs it." in review_pack(loaded)


def test_the_repair_path_may_open_the_rupture_later() -> None:
    data = scenario(
        [
            node("a", option("good", "b", 5), option("meh", "b", -2, "missed-opportunity")),
            node(
                "b",
                option("good", "c", 5),
                option("bad", "c", -8, "harmful", open_rupture="r"),
            ),
            node(
                "c",
                option("fix", "end", 8, repair_rupture="r", when={"rupture_open": ["r"]}),
                option("on", "end", 5),
                option("off", "end", -2, "missed-opportunity"),
            ),
            node("end", ending="done"),
        ],
        ruptures=[rupture("r")],
    )
    repair = repair_path(load_dict(data))
    assert repair is not None and _ids(repair) == ["good", "bad", "fix"]


def test_scenario_text_cannot_inject_markdown_html_or_terminal_codes() -> None:
    data = scenario()
    data["title"] = "# Title <b>bold</b>"
    data["nodes"][0]["lines"] = [
        {"say": "See [this](javascript:alert(1)) <script>x</script> \x1b[2J now."},
    ]
    text = review_pack(load_dict(data))
    assert "<script>" not in text and "<b>" not in text
    assert "[this](" not in text and "\\[this\\](javascript" in text
    assert "\x1b" not in text
    assert text.startswith("# Review pack: \\# Title &lt;b&gt;")


def test_the_pack_has_a_header_and_three_sections() -> None:
    text = review_pack(mini())
    assert text.startswith("# Review pack: A small test scenario\n")
    assert "version 2; review status: **draft**" in text
    assert "veto" in text
    assert "- None in particular" in text  # content notes
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == ["## 1\\. The best path", "## 2\\. A repair path", "## 3\\. A mistake path"]


# -- the commands -----------------------------------------------------------------------------
def _run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_")}
    env["ROLEPLAY_HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-m", "roleplay", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_moves_lists_the_vocabulary(tmp_path: Path) -> None:
    result = _run(tmp_path, "moves")
    assert result.returncode == 0, result.stderr
    for move in moves().values():
        assert f"{move.id}: {move.name}" in result.stdout
    assert "default: missed-opportunity, trust -4..0" in result.stdout  # skip-risk-enquiry


def test_review_pack_prints_or_writes_a_private_file(tmp_path: Path) -> None:
    printed = _run(tmp_path, "review-pack", MINI)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == review_pack(mini())
    out = tmp_path / "pack.md"
    written = _run(tmp_path, "review-pack", MINI, "-o", out)
    assert written.returncode == 0, written.stderr
    assert out.read_text(encoding="utf-8") == printed.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"wrote {out}" in written.stderr


def test_review_pack_mistakes_are_plain_errors(tmp_path: Path) -> None:
    unknown = _run(tmp_path, "review-pack", "no-such-scenario")
    assert unknown.returncode == 2 and "no scenario with id" in unknown.stderr
    unwritable = _run(tmp_path, "review-pack", MINI, "-o", tmp_path / "missing" / "p.md")
    assert unwritable.returncode == 1
    assert "cannot write" in unwritable.stderr and "Traceback" not in unwritable.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(dump(scenario()).replace("next: end", "next: nowhere", 1), encoding="utf-8")
    result = _run(tmp_path, "review-pack", broken)
    assert result.returncode != 0 and "Traceback" not in result.stderr


# -- the draft notice -------------------------------------------------------------------------
def test_a_draft_has_a_notice_and_a_reviewed_scenario_none() -> None:
    data = scenario()
    notice = load_dict(data).provenance.draft_notice
    assert notice is not None and notice.startswith("Draft: not yet reviewed")
    data["provenance"] = {
        "authors": ["tests"],
        "review_status": "reviewed",
        "reviews": [{"role": "Panel", "date": "2026-01-02", "version": "1"}],
    }
    assert load_dict(data).provenance.draft_notice is None


def test_plain_mode_shows_the_draft_notice_and_the_provenance_notes(tmp_path: Path) -> None:
    data = scenario()
    data["provenance"]["notes"] = "Written by the tests; not yet reviewed."
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "kit.yaml").write_text(dump(data), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLEPLAY_")}
    env["ROLEPLAY_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "play", str(tmp_path / "s" / "kit.yaml"), "--plain"],
        input="1\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "=== Kit scenario ==="
    assert lines[1].startswith("Draft: not yet reviewed")
    assert lines[2] == "About this scenario: Written by the tests; not yet reviewed."
