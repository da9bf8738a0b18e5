"""``roleplay guide``: output to stdout or a private file (0600), never replacing a file
without ``--force``, the format taken from ``--out``'s name, and every mistake one clear
message with exit code 2 (no traceback)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from cli_kit import run_cli

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_prints_markdown_by_default_and_each_part_on_request() -> None:
    ran = run_cli("guide", "whose-side")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("# Facilitator guide: Whose side are you on?\n")
    assert "# Student handout: " in ran.stdout and "# Portrayal brief: Lin" in ran.stdout
    handout = run_cli("guide", "whose-side", "--part", "handout")
    assert handout.stdout.startswith("# Student handout: ")
    assert "# Facilitator guide" not in handout.stdout
    page = run_cli("guide", str(MINI), "--part", "portrayal", "--format", "html")
    assert page.returncode == 0
    assert page.stdout.startswith("<!DOCTYPE html>")
    assert "<h1>Portrayal brief: Sam</h1>" in page.stdout


def test_writes_a_private_file_and_takes_the_format_from_its_name(tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    ran = run_cli("guide", "mirror-signal-manoeuvre", "--out", out)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == ""
    assert f"wrote {out}" in ran.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert _mode(out) == 0o600
    md = tmp_path / "guide.md"
    assert run_cli("guide", "mirror-signal-manoeuvre", "-o", md).returncode == 0
    assert md.read_text(encoding="utf-8").startswith("# Facilitator guide: ")
    forced = tmp_path / "guide.txt"
    assert run_cli("guide", str(MINI), "-o", forced, "--format", "html").returncode == 0
    assert forced.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "guide.md"
    out.write_text("my notes", encoding="utf-8")
    out.chmod(0o644)
    ran = run_cli("guide", str(MINI), "--out", out)
    assert ran.returncode == 2
    assert "already exists: choose another name, or add --force" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert out.read_text(encoding="utf-8") == "my notes"
    ran = run_cli("guide", str(MINI), "--out", out, "--force")
    assert ran.returncode == 0, ran.stderr
    assert out.read_text(encoding="utf-8").startswith("# Facilitator guide: ")
    assert _mode(out) == 0o600  # the old file's looser mode is not kept
    assert [p.name for p in tmp_path.iterdir()] == ["guide.md"]  # no temporary left


def test_a_link_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "guide.md"
    link.symlink_to(target)
    assert run_cli("guide", str(MINI), "--out", link).returncode == 2
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    assert run_cli("guide", str(MINI), "--out", dangling).returncode == 2
    assert not (tmp_path / "nowhere.md").exists()
    assert run_cli("guide", str(MINI), "--out", link, "--force").returncode == 0
    assert target.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and _mode(link) == 0o600


def test_mistakes_are_one_clear_message_and_exit_2(tmp_path: Path) -> None:
    unknown = run_cli("guide", "no-such-scenario")
    assert unknown.returncode == 2
    assert "no scenario with id 'no-such-scenario'" in unknown.stderr
    missing = run_cli("guide", str(tmp_path / "gone.yaml"))
    assert missing.returncode == 2 and "no scenario file at" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    invalid = run_cli("guide", broken)
    assert invalid.returncode == 1  # problems in a file, as validate and play report them
    assert "broken.yaml:3:1: error: YAML syntax" in invalid.stderr
    assert "cannot write a guide for" in invalid.stderr and "roleplay validate" in invalid.stderr
    folder = run_cli("guide", str(MINI), "--out", tmp_path)
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    no_dir = run_cli("guide", str(MINI), "--out", tmp_path / "nope" / "g.md")
    assert no_dir.returncode == 2 and "there is no folder" in no_dir.stderr
    bad_part = run_cli("guide", str(MINI), "--part", "everything")
    assert bad_part.returncode == 2
    for ran in (unknown, missing, invalid, folder, no_dir, bad_part):
        assert "Traceback" not in ran.stderr and "internal error" not in ran.stderr
        assert ran.stdout == ""


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores the mode: nothing to test here
            return
        ran = run_cli("guide", str(MINI), "--out", locked / "g.md")
        assert ran.returncode == 2
        assert "cannot write" in ran.stderr and "Traceback" not in ran.stderr
    finally:
        locked.chmod(0o700)


def test_a_hostile_path_is_shown_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "a\x1b[2Jb.md"
    out.write_text("x", encoding="utf-8")
    ran = run_cli("guide", str(MINI), "--out", out)
    assert ran.returncode == 2
    assert "\x1b" not in ran.stderr and "␛[2J" in ran.stderr


def test_a_pipe_or_device_is_refused_even_with_force(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    ran = run_cli("guide", str(MINI), "--out", fifo, "--force")
    assert ran.returncode == 2 and "is not a regular file" in ran.stderr


def test_a_failed_write_leaves_nothing_behind_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "guide.md"
    out.write_text("old", encoding="utf-8")

    def full_disk(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    ran = run_cli("guide", str(MINI), "--out", out, "--force")
    assert ran.returncode == 2
    assert f"cannot write {out}: No space left on device" in ran.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["guide.md"]
    assert out.read_text(encoding="utf-8") == "old"


def test_a_file_that_appears_meanwhile_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def appeared(path: str | Path, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_EXCL:
            raise FileExistsError(errno.EEXIST, "File exists")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", appeared)
    ran = run_cli("guide", str(MINI), "--out", tmp_path / "guide.md")
    assert ran.returncode == 2 and "already exists" in ran.stderr
