"""The history commands load only the scenarios the attempts were made on: ``export --all``
writes exactly what it wrote when it loaded and linted the whole library, and ``roleplay
history`` names endings by title and counts each attempt's steps and explorations."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from cli_kit import run_cli
from history_kit import Recorder

from roleplay.core.engine import Engine
from roleplay.core.library import load_named, scan, summarise
from roleplay.core.loader import LoadedScenario, load_scenario
from roleplay.core.locations import bundled_scenarios_dir
from roleplay.core.summary import CACHE_FILE
from roleplay.session.export import iter_step_rows, rows_csv, rows_json, strongest_by_node
from roleplay.store import Store

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini.yaml"
BROKEN = ROOT / "tests" / "tui" / "data" / "broken.yaml"


def _library(folder: Path) -> list[Path]:
    """The bundled scenarios, mini, and files that must not count: a second file with
    mini's id (the library marks it broken, but it loads), one that fails lint, one that
    is not YAML, one whose id is not text."""
    folder.mkdir()
    for path in sorted(bundled_scenarios_dir().glob("*.yaml"))[:6]:
        shutil.copy(path, folder / path.name)
    shutil.copy(MINI, folder / "mini.yaml")
    text = MINI.read_text(encoding="utf-8")
    (folder / "zz-mini-again.yaml").write_text(
        text.replace("text: Hi Sam", "text: Hello again Sam", 1), encoding="utf-8"
    )
    shutil.copy(BROKEN, folder / "broken.yaml")
    (folder / "not-yaml.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "odd-id.yaml").write_text("id: [1, 2]\n", encoding="utf-8")
    return [folder]


def _play(store: Store, loaded: LoadedScenario, rng: random.Random, finish: bool) -> None:
    """An attempt making random choices, going back now and then (explorations)."""
    recorder = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    for _ in range(40):
        if engine.finished:
            break
        if engine.can_rewind and rng.random() < 0.2:
            step = rng.randrange(engine.step)
            engine.rewind(step)
            recorder.rewind(engine, step)
            continue
        choice = rng.choice(engine.choices())
        recorder.turn(engine, engine.choose(choice.number), finish_at_end=finish)


def _history(home: Path, dirs: list[Path]) -> None:
    rng = random.Random(3)
    store = Store(home)
    library = [e.loaded for e in scan(dirs) if e.ok and e.loaded is not None]
    for number in range(24):
        _play(store, library[number % 4], rng, finish=number % 3 != 0)
    store.close()


def test_export_all_is_unchanged_from_loading_the_whole_library(tmp_path: Path) -> None:
    dirs = _library(tmp_path / "scenarios")
    home = tmp_path / "home"
    _history(home, dirs)
    store = Store(home)
    # The old way: every file loaded and linted, every scenario that loaded counted.
    old = strongest_by_node(e.loaded.scenario for e in scan(dirs) if e.loaded is not None)
    expected_csv = rows_csv(iter_step_rows(store, old))
    expected_json = rows_json(iter_step_rows(store, old))
    store.close()
    named = [row for row in iter_step_rows(Store(home), old) if row["strongest_option_id"]]
    assert len(named) > 50  # the strongest options are named
    env = {"ROLEPLAY_HOME": str(home), "NO_COLOR": "1", "ROLEPLAY_SCENARIOS": str(dirs[0])}
    for cached in (False, True):
        if cached:  # the app's summaries of the library, as after opening it
            summarise([bundled_scenarios_dir(), *dirs], home)
            assert (home / CACHE_FILE).is_file()
        ran = run_cli("export", "--all", "--format", "csv", env=env)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout == expected_csv
        ran = run_cli("export", "--all", "--format", "json", env=env)
        assert ran.stdout == expected_json


def test_only_the_wanted_scenarios_are_loaded(tmp_path: Path) -> None:
    dirs = _library(tmp_path / "scenarios")
    found = load_named(dirs, {"mini", "no-such-id"})
    assert [loaded.path.name for loaded in found] == ["mini.yaml", "zz-mini-again.yaml"]
    assert load_named(dirs, set()) == []
    assert load_named(dirs, {"broken-fixture"}) == []  # found, but not valid


def test_history_lists_ending_titles_steps_and_explorations(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = Store(home)
    loaded = load_scenario(MINI)
    recorder = Recorder.begin(store, loaded)
    engine = Engine(loaded.scenario)
    recorder.turn(engine, engine.choose("warm"))
    engine.rewind(0)
    recorder.rewind(engine, 0)
    recorder.turn(engine, engine.choose("wrong-name"))
    engine.rewind(0)
    recorder.rewind(engine, 0)
    recorder.turn(engine, engine.choose("warm"))
    recorder.turn(engine, engine.choose("ask"))
    assert engine.finished
    unfinished = Recorder.begin(store, loaded)
    fresh = Engine(loaded.scenario)
    unfinished.turn(fresh, fresh.choose("warm"))
    store.close()
    env = {"ROLEPLAY_HOME": str(home), "NO_COLOR": "1", "ROLEPLAY_SCENARIOS": str(MINI.parent)}
    listed = json.loads(run_cli("history", "--format", "json", env=env).stdout)
    assert [(a["id"], a["steps"], a["explorations"]) for a in listed] == [(2, 1, 0), (1, 2, 2)]
    assert listed[1]["ending_id"] == "good" and listed[1]["ending_title"] == "Good"
    assert listed[0]["ending_title"] is None
    assert {a["title"] for a in listed} == {"A small test scenario"}
    text = run_cli("history", env=env).stdout.splitlines()
    assert text[0].endswith("unfinished, 1 step")
    assert text[1].endswith("ended “Good”, trust 55, 2 steps + 2 explorations")
    # A scenario no longer in the library: the ending's id, as saved.
    env["ROLEPLAY_SCENARIOS"] = str(tmp_path)
    text = run_cli("history", env=env).stdout.splitlines()
    assert text[1].endswith("ended “good”, trust 55, 2 steps + 2 explorations")
