"""The library's summaries (``core.library.summarise``): the same verdict and diagnostics
as a full scan for every bundled scenario and for broken files, a summary that matches the
scenario, and a private cache that is used while files are unchanged and dropped as soon
as one changes."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

import roleplay.core.loader as loader
from roleplay.core import summary as summary_module
from roleplay.core.library import Entry, find, loaded_by_id, scan, summarise
from roleplay.core.locations import bundled_scenarios_dir
from roleplay.core.summary import CACHE_FILE, summary_of

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
BROKEN = ROOT / "tests" / "tui" / "data" / "broken.yaml"


def _library(folder: Path) -> Path:
    """A folder of scenarios: mini, a broken one, a YAML error, a schema error, a
    duplicate id, and an empty file."""
    folder.mkdir()
    shutil.copy(MINI, folder / "a-mini.yaml")
    shutil.copy(BROKEN, folder / "b-broken.yaml")
    (folder / "c-syntax.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    text = MINI.read_text(encoding="utf-8")
    (folder / "d-schema.yaml").write_text(
        text.replace("minutes:", "minutes: -3\nunknown_key: 1\nold_minutes:", 1), encoding="utf-8"
    )
    (folder / "e-duplicate.yaml").write_text(text, encoding="utf-8")
    (folder / "f-empty.yml").write_text("", encoding="utf-8")
    return folder


def _same(summarised: list[Entry], full: list[Entry]) -> None:
    assert [e.path for e in summarised] == [e.path for e in full]
    for light, whole in zip(summarised, full, strict=True):
        assert light.loaded is None
        assert light.ok == whole.ok, light.path
        assert light.id == whole.id
        assert light.diagnostics == whole.diagnostics, light.path
        if whole.ok:
            assert whole.loaded is not None
            assert light.summary == summary_of(whole.loaded.scenario, whole.loaded.id_position)
            assert light.about == whole.about
        else:
            assert light.about is None


def test_summaries_agree_with_full_loads_for_every_bundled_scenario(tmp_path: Path) -> None:
    folder = bundled_scenarios_dir()
    full = scan([folder])
    assert len(full) >= 12 and all(entry.ok for entry in full)
    _same(summarise([folder], tmp_path), full)  # checked now
    _same(summarise([folder], tmp_path), full)  # from the cache


def test_summaries_agree_for_broken_files_and_duplicates(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    full = scan([folder])
    assert [e.ok for e in full] == [True, False, False, False, False, False]
    _same(summarise([folder], tmp_path), full)
    _same(summarise([folder], tmp_path), full)
    duplicate = summarise([folder], tmp_path)[4]
    assert "already used by" in duplicate.errors[0].message


def test_progress_is_told_before_each_file_and_once_all_are_done(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    told: list[tuple[int, int]] = []
    checked: list[int] = []
    real_check = loader.check_file

    def counted(path: Path) -> object:
        checked.append(len(told))
        return real_check(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "check_file", counted)
        entries = summarise([folder], tmp_path, progress=lambda *done: told.append(done))
    assert told == [(n, 6) for n in range(7)] and len(entries) == 6
    # Each file is checked after the count of the files before it has been told.
    assert checked == [1, 2, 3, 4, 5, 6]
    told.clear()
    summarise([folder], tmp_path, progress=lambda *done: told.append(done))  # from the cache
    assert told[0] == (0, 6) and told[-1] == (6, 6)


def test_unchanged_files_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _library(tmp_path / "scenarios")
    first = summarise([folder], tmp_path)
    calls: list[Path] = []
    real = loader.check_file

    def counting(path: Path | str) -> object:
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(loader, "check_file", counting)
    again = summarise([folder], tmp_path)
    assert calls == []
    assert [(e.ok, e.diagnostics, e.summary) for e in again] == [
        (e.ok, e.diagnostics, e.summary) for e in first
    ]
    # Any change to a file, even one that keeps its size, reads that file (and only it).
    target = folder / "a-mini.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("title:", "title: New", 1))
    os.utime(folder / "c-syntax.yaml", ns=(1, 1))
    changed = summarise([folder], tmp_path)
    assert sorted(p.name for p in calls) == ["a-mini.yaml", "c-syntax.yaml"]
    assert changed[0].summary is not None and changed[0].summary.title.startswith("New")


def test_a_file_that_breaks_is_shown_broken_at_once(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    assert summarise([folder], tmp_path)[0].ok
    target = folder / "a-mini.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\nstray: key\n", encoding="utf-8")
    entry = summarise([folder], tmp_path)[0]
    assert not entry.ok and entry.summary is None
    assert entry.errors and entry.errors[0].line > 1


def test_loading_an_entry_reads_the_file_as_it_is_now(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    entries = summarise([folder], tmp_path)
    entry = entries[0]
    assert find(entry.id, entries) is entry
    loaded = loaded_by_id(entries, entry.id)
    assert loaded is not None and loaded.scenario.id == entry.id
    assert loaded_by_id(entries, "no-such-scenario") is None
    assert entries[1].load() is None  # broken: nothing to load
    # Broken after it was listed: opening it shows what is wrong now.
    (folder / "a-mini.yaml").write_text("id: [\n", encoding="utf-8")
    assert entry.load() is None
    assert not entry.ok and entry.errors and entry.about is None


def test_the_cache_is_private_and_only_in_an_existing_data_folder(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    missing = tmp_path / "not-yet"
    summarise([folder], missing)
    assert not missing.exists()  # opening the app creates nothing before a save
    home = tmp_path / "home"
    home.mkdir()
    summarise([folder], home)
    cache = home / CACHE_FILE
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert not [p for p in home.iterdir() if p.name != CACHE_FILE]  # no partial file left


def test_a_damaged_or_older_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _library(tmp_path / "scenarios")
    full = scan([folder])
    cache = tmp_path / CACHE_FILE
    for damage in ["{not json", "[]", '{"format": 1}', json.dumps({"x": 1})]:
        cache.write_text(damage, encoding="utf-8")
        _same(summarise([folder], tmp_path), full)
    # Entries that are not what the cache writes are read again, not trusted.
    data = json.loads(cache.read_text(encoding="utf-8"))
    for item in data["files"].values():
        item["summary"] = {"id": 3} if item["summary"] else None
        item["diagnostics"] = [{"severity": "bogus"}] if item["diagnostics"] else []
    cache.write_text(json.dumps(data), encoding="utf-8")
    _same(summarise([folder], tmp_path), full)
    # Another roleplay version may check differently: every file is read again.
    monkeypatch.setattr(summary_module, "__version__", "99.0")
    calls: list[str] = []
    real = loader.check_file

    def counting(path: Path | str) -> object:
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(loader, "check_file", counting)
    _same(summarise([folder], tmp_path), full)
    assert len(calls) == len(full)


def test_files_that_are_gone_leave_the_cache(tmp_path: Path) -> None:
    folder = _library(tmp_path / "scenarios")
    other = _library(tmp_path / "other")
    summarise([folder, other], tmp_path)
    summarise([folder], tmp_path)  # other's files still exist: kept for next time
    names = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["files"]
    assert any(name.startswith(str(other)) for name in names)
    shutil.rmtree(other)
    summarise([folder], tmp_path)
    names = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["files"]
    assert not any(name.startswith(str(other)) for name in names)


def test_a_files_id_is_read_without_loading_it(tmp_path: Path) -> None:
    """``load_named`` reads each file's top-level id from libYAML's events: nested ids,
    ids after other keys, quoted or reached through aliases, and files that are not
    mappings or not YAML."""
    from roleplay.core.library import _peek_id

    cases = {
        "title: x\nnodes: [{id: n1}, {id: n2}]\nmeta: {id: no}\nid: yes-this\n": "yes-this",
        'x: {a: [1, {id: q}]}\nid: "quoted"\n': "quoted",
        "a: &x 1\nb: *x\nid: later\n": "later",
        "id: [1]\n": None,
        "- id: x\n": None,
        "id: [\n": None,
        "": None,
    }
    for number, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"{number}.yaml"
        path.write_text(text, encoding="utf-8")
        assert _peek_id(path) == expected, text
    assert _peek_id(tmp_path / "missing.yaml") is None
    for path in bundled_scenarios_dir().glob("*.yaml"):
        assert _peek_id(path) == scan([path])[0].id


def test_a_library_wholly_in_the_cache_is_listed_without_reading_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roleplay.core.library import summarise_cached

    folder = _library(tmp_path / "scenarios")
    assert summarise_cached([folder], tmp_path) is None  # nothing cached yet
    assert summarise_cached([folder], None) is None
    first = summarise([folder], tmp_path)
    monkeypatch.setattr(loader, "check_file", lambda path: pytest.fail(f"read {path}"))
    cached = summarise_cached([folder], tmp_path)
    assert cached is not None
    assert [(e.path, e.ok, e.diagnostics, e.summary) for e in cached] == [
        (e.path, e.ok, e.diagnostics, e.summary) for e in first
    ]
    (folder / "new.yaml").write_text("id: new\n", encoding="utf-8")
    assert summarise_cached([folder], tmp_path) is None  # a file not seen before
    (folder / "new.yaml").unlink()
    os.utime(folder / "a-mini.yaml", ns=(5, 5))
    assert summarise_cached([folder], tmp_path) is None  # a file changed
