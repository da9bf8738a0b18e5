"""``validate`` reports each file as it is checked and keeps nothing: its text and JSON must
be exactly what reporting every file at the end gave (the reference below is the code it
replaced), with the same exit codes, on bundled, hostile and mixed libraries."""

from __future__ import annotations

import io
import json
import tempfile
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_kit import run_cli
from scenario_kit import MINI, dump, scenario

from roleplay import cli_scenarios
from roleplay.core.diagnostics import Severity
from roleplay.core.library import Entry, check_each, scan

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MINI_TEXT = MINI.read_text(encoding="utf-8")


def reference(paths: list[Path], fmt: str, strict: bool) -> tuple[str, int]:
    """What ``validate`` printed before it streamed: every entry kept, then reported."""
    entries = scan(paths, keep=False)
    errors = sum(len(e.errors) for e in entries)
    warnings = sum(1 for e in entries for d in e.diagnostics if d.severity is Severity.WARNING)
    failed = errors > 0 or (strict and warnings > 0)
    out = io.StringIO()
    if fmt == "json":
        report = {
            "ok": not failed,
            "strict": strict,
            "files": [
                {
                    "path": str(e.path),
                    "id": e.id if e.loaded is not None or e.valid_id is not None else None,
                    "ok": e.ok,
                    "diagnostics": [d.to_json() for d in e.diagnostics],
                }
                for e in entries
            ],
            "errors": errors,
            "warnings": warnings,
        }
        print(json.dumps(report, indent=2), file=out)
    else:
        for entry in entries:
            for diagnostic in entry.diagnostics:
                print(diagnostic, file=out)
        files = len(entries)
        print(
            f"{files} file{'s' if files != 1 else ''} checked: "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}",
            file=out,
        )
    return out.getvalue(), 1 if failed else 0


def mixed_library(folder: Path) -> Path:
    """A folder of good, warned, broken, duplicate, binary and ignored files."""
    folder.mkdir()
    warned = scenario(
        endings=[
            {"id": "done", "title": "Done", "description": "D."},
            {"id": "spare", "title": "Spare", "description": "S."},
        ]
    )
    (folder / "a-good.yaml").write_text(MINI_TEXT, encoding="utf-8")
    (folder / "b-warned.yml").write_text(dump(warned), encoding="utf-8")
    (folder / "c-bad-value.yaml").write_text(
        MINI_TEXT.replace("minutes: 5", 'minutes: "ten"'), encoding="utf-8"
    )
    (folder / "d-duplicate.yaml").write_text(MINI_TEXT, encoding="utf-8")
    (folder / "e-not-a-mapping.yaml").write_text("- a list\n", encoding="utf-8")
    (folder / "f-binary.yaml").write_bytes(b"\xff\xfe\x00id: \x80\x81\n")
    (folder / "g-empty.yaml").write_bytes(b"")
    (folder / "h-bad-yaml.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "i-\u202etricky\nname.yaml").write_text(
        MINI_TEXT.replace("id: ", "id: x", 1), encoding="utf-8"
    )
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    (folder / "sub.yaml").mkdir()  # a folder named like a scenario is not one
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    return folder


CASES: dict[str, Callable[[Path], list[Path]]] = {
    "bundled": lambda tmp: [SCENARIOS],
    "mixed": lambda tmp: [mixed_library(tmp / "lib")],
    "files and folders": lambda tmp: [
        mixed_library(tmp / "lib") / "c-bad-value.yaml",
        SCENARIOS,
        tmp / "lib",
        SCENARIOS / "camp-wifi.yaml",
    ],
    "one warned file": lambda tmp: [mixed_library(tmp / "lib") / "b-warned.yml"],
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("strict", [False, True])
def test_validate_is_what_reporting_at_the_end_was(
    tmp_path: Path, case: str, fmt: str, strict: bool
) -> None:
    paths = CASES[case](tmp_path)
    expected, code = reference(paths, fmt, strict)
    args: list[str | Path] = ["validate", "--format", fmt, *(["--strict"] if strict else [])]
    args += paths
    ran = run_cli(*args, env={"ROLEPLAY_HOME": str(tmp_path / "home")}, cwd=tmp_path)
    assert ran.stdout == expected
    assert ran.returncode == code
    if fmt == "json":
        assert json.loads(ran.stdout)["ok"] is (code == 0)


def test_a_large_report_goes_through_a_temporary_file_and_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its limit the spool moves to a temporary file (tiny here: every file)."""
    made: list[Any] = []
    real = tempfile.TemporaryFile

    def spy(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(cli_scenarios._Spool, "LIMIT", 10)
    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    paths = [mixed_library(tmp_path / "lib"), SCENARIOS]
    expected, code = reference(paths, "json", False)
    ran = run_cli("validate", "--format", "json", *paths, cwd=tmp_path)
    assert (ran.stdout, ran.returncode) == (expected, code)
    assert len(made) == 1 and made[0].closed  # used, and closed (so deleted) afterwards


def test_with_no_room_for_a_temporary_file_the_report_stays_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_scenarios._Spool, "LIMIT", 10)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    expected, code = reference([SCENARIOS], "json", True)
    ran = run_cli("validate", "--format", "json", "--strict", SCENARIOS, cwd=tmp_path)
    assert (ran.stdout, ran.returncode) == (expected, code)


def test_an_empty_folder_named_with_others_is_an_empty_list(tmp_path: Path) -> None:
    """A folder with no scenario files, named after a file: no files from it (the JSON's
    empty list is ``[]``, as one dump writes it, when no file at all is checked)."""
    good = tmp_path / "good.yaml"
    good.write_text(MINI_TEXT, encoding="utf-8")
    expected, code = reference([good], "json", False)
    ran = run_cli("validate", "--format", "json", good, cwd=tmp_path)
    assert (ran.stdout, ran.returncode) == (expected, code)
    report = cli_scenarios._validate_json(iter(()), strict=False, out=(out := io.StringIO()))
    assert report is False
    assert (
        out.getvalue()
        == json.dumps(
            {"ok": True, "strict": False, "files": [], "errors": 0, "warnings": 0}, indent=2
        )
        + "\n"
    )


def test_each_file_is_printed_before_the_next_is_checked(tmp_path: Path) -> None:
    """Streamed: when a file's entry comes, every earlier file's diagnostics are already
    out, and no entry before the last is still alive (nothing keeps them)."""
    folder = mixed_library(tmp_path / "lib")
    out = io.StringIO()
    seen: list[tuple[list[str], str]] = []
    alive: list[weakref.ref[Entry]] = []

    def watched(paths: list[Path]) -> Iterator[Entry]:
        for entry in check_each(paths):
            # The loop in validate still holds the previous entry; none before it.
            assert [ref() for ref in alive[:-1]] == [None] * len(alive[:-1])
            seen.append(([str(d) for d in entry.diagnostics], out.getvalue()))
            alive.append(weakref.ref(entry))
            yield entry

    cli_scenarios._validate_text(watched([folder]), strict=False, out=out)
    printed = ""
    for lines, at_the_time in seen:
        assert at_the_time == printed
        printed += "".join(f"{line}\n" for line in lines)
    assert out.getvalue() == printed + "9 files checked: 6 errors, 1 warning\n"


def test_check_each_yields_what_scan_keeps(tmp_path: Path) -> None:
    folder = mixed_library(tmp_path / "lib")
    streamed = list(check_each([folder, SCENARIOS, folder / "a-good.yaml"]))
    kept: list[Entry] = scan([folder, SCENARIOS, folder / "a-good.yaml"], keep=False)
    assert [(e.path, e.id, e.ok, e.diagnostics) for e in streamed] == [
        (e.path, e.id, e.ok, e.diagnostics) for e in kept
    ]
    assert all(e.loaded is None for e in streamed)


def test_a_full_disk_under_the_report_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temporary file that cannot be written (a full disk) is a clear message and exit 1,
    not an internal error; nothing half-written goes to stdout."""

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_scenarios._Spool, "LIMIT", 10)
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: Full())
    ran = run_cli("validate", "--format", "json", SCENARIOS, cwd=tmp_path)
    assert ran.returncode == 1 and ran.stdout == ""
    assert "No space left on device" in ran.stderr and "--format text" in ran.stderr
    assert "internal error" not in ran.stderr
