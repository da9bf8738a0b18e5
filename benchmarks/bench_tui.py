"""Start-up and key press latency, in a real pty, app and bare Textual app interleaved."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

import yaml

from benchmarks.generate import marked
from benchmarks.pty_probe import PtyApp
from benchmarks.stats import Figure, spawn_measured

ROOT = Path(__file__).resolve().parent.parent
BARE = str(ROOT / "benchmarks" / "bare_app.py")


def child_env(home: Path) -> dict[str, str]:
    """The environment for every child: our code, a private data folder, compiled bytecode."""
    # Imports from compiled bytecode, as an installed copy does (pip compiles it): a
    # PYTHONDONTWRITEBYTECODE in the environment would otherwise time the compiler.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ROLEPLAY_HOME": str(home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ROLEPLAY_SCENARIOS", None)
    return env


def _app(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "roleplay", "--data-dir", str(home), "--no-animation", *args]


def bundled_titles() -> list[str]:
    """The start of each bundled scenario's title (one is on screen once the list is)."""
    titles = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        titles.append(str(data["title"])[:20])
    return titles


def startup(pairs: int, home: Path) -> list[Figure]:
    """Process start to the first frame and to the library list, app and bare in turn.

    The data folder exists, as it does for a learner who has practised once: the library's
    summaries are then cached there (the warm-up runs write them). The list is painted
    when a title is first written (often in the first frame); "output quiet" is the last
    write before the program falls silent, which includes what runs after the first frame
    (the history check, the offer to resume)."""
    home.mkdir(parents=True, exist_ok=True)
    env = child_env(home)
    titles = bundled_titles()
    first = Figure("start-up: process start to first frame", "ms", baseline_name="bare")
    listed = Figure("start-up: process start to library list painted", "ms", baseline_name="bare")
    quiet = Figure(
        "start-up: process start to output quiet (the work after the first frame)",
        "ms",
        baseline_name="bare",
    )
    memory = Figure("start-up: peak memory with the bundled library", "MiB", baseline_name="bare")
    bare = [sys.executable, BARE, "library", str(ROOT / "scenarios")]
    commands = {"app": _app(home), "bare": bare}
    for _ in range(2):  # warm-up: bytecode caches written, files in the page cache
        for argv in commands.values():
            probe = PtyApp(argv, env=env, cwd=str(ROOT))
            probe.wait_for(titles, probe.started, any_of=True)
            probe.close()
    for index in range(pairs):
        order = ["app", "bare"] if index % 2 == 0 else ["bare", "app"]
        for kind in order:
            probe = PtyApp(commands[kind], env=env, cwd=str(ROOT))
            frame = probe.wait_for(["practise building trust"], probe.started)
            shown = probe.wait_for(titles, probe.started, any_of=True)
            probe.close()
            side = "measured" if kind == "app" else "baseline"
            getattr(first, side).append(frame.seconds)
            getattr(listed, side).append(shown.seconds)
            getattr(quiet, side).append(max(frame.settled, shown.settled))
            getattr(memory, side).append(probe.peak_mib)
    return [first, listed, quiet, memory]


def cli_costs(repeat: int, home: Path) -> list[Figure]:
    """CPU of ``roleplay --version`` and ``--help`` against an interpreter importing argparse."""
    env = child_env(home)
    floor = [sys.executable, "-c", "import argparse"]
    figures = []
    for flag in ("--version", "--help"):
        figure = Figure(f"CLI: roleplay {flag}, CPU", "ms", baseline_name="python + argparse")
        for _ in range(repeat):
            figure.measured.append(
                spawn_measured([sys.executable, "-m", "roleplay", flag], env=env, cwd=str(ROOT)).cpu
            )
            figure.baseline.append(spawn_measured(floor, env=env, cwd=str(ROOT)).cpu)
        figures.append(figure)
    return figures


class _Player:
    """One app in a pty, moved through a marked scenario one decision at a time."""

    def __init__(self, argv: list[str], env: dict[str, str], briefing: bool) -> None:
        self.probe = PtyApp(argv, env=env, cwd=str(ROOT))
        if briefing:
            self.probe.wait_for(["Agree and begin"], self.probe.started)
            start = self.probe.write(b"\r")
        else:
            start = self.probe.started
        self.probe.wait_for(["ql000"], start)

    def decide(self, n: int, last: bool) -> tuple[float, float, int, float]:
        """Press 1 at decision n: (seconds to the card painted, to quiet, frames, CPU seconds
        the program spent from the key press until its output went quiet); Enter on."""
        cpu = self.probe.cpu_seconds()
        start = self.probe.write(b"1")
        paint = self.probe.wait_for([f"zw{n:03d}", f"zi{n:03d}", f"zs{n:03d}"], start)
        cpu = self.probe.cpu_seconds() - cpu
        if not last:
            start = self.probe.write(b"\r")
            self.probe.wait_for([f"ql{n + 1:03d}"], start)
        return paint.seconds, paint.settled, paint.frames, cpu


def keypress(decisions: int, rounds: int, work: Path) -> list[Figure]:
    """Key press to the feedback card painted, app and bare chat alternating decision by
    decision, each round in fresh processes."""
    scenario = work / "long-run.yaml"
    scenario.write_text(
        yaml.safe_dump(marked("long-run", decisions), sort_keys=False, width=100), encoding="utf-8"
    )
    name = "bare Textual chat"
    p50 = Figure("key press -> feedback card painted", "ms", baseline_name=name)
    p95 = Figure("key press -> feedback card painted", "ms", baseline_name=name, stat="p95")
    quiet = Figure("key press -> output quiet again", "ms", baseline_name=name)
    frames = Figure("frames written per key press", "", baseline_name=name)
    most = Figure("frames written per key press", "", baseline_name=name, stat="max")
    cpu = Figure("key press -> output quiet, CPU of the program", "ms", baseline_name=name)
    growth = Figure(
        f"card p50, last 10 / first 10 of {decisions} decisions", "x", baseline_name=name
    )
    cpu_growth = Figure(
        f"CPU per key press, last 10 / first 10 of {decisions} decisions", "x", baseline_name=name
    )
    for round_ in range(rounds):
        home = work / f"home-{round_}"
        env = child_env(home)
        players = {
            "app": _Player(_app(home, "play", str(scenario)), env, briefing=True),
            "bare": _Player([sys.executable, BARE, "chat", str(scenario)], env, briefing=False),
        }
        times: dict[str, list[float]] = {"app": [], "bare": []}
        spending: dict[str, list[float]] = {"app": [], "bare": []}
        try:
            for n in range(decisions):
                order = ["app", "bare"] if (n + round_) % 2 == 0 else ["bare", "app"]
                for kind in order:
                    seconds, settled, count, spent = players[kind].decide(n, n == decisions - 1)
                    side = "measured" if kind == "app" else "baseline"
                    for figure, value in (
                        (p50, seconds),
                        (p95, seconds),
                        (quiet, settled),
                        (cpu, spent),
                        (frames, count),
                        (most, count),
                    ):
                        getattr(figure, side).append(value)
                    times[kind].append(seconds)
                    spending[kind].append(spent)
        finally:
            for player in players.values():
                player.probe.close()
        if decisions >= 20:
            for kind, side in (("app", "measured"), ("bare", "baseline")):
                for figure, samples in ((growth, times[kind]), (cpu_growth, spending[kind])):
                    early = statistics.median(samples[:10])
                    late = statistics.median(samples[-10:])
                    getattr(figure, side).append(late / early if early else 0.0)
    figures = [p50, p95, quiet, cpu, frames, most]
    return [*figures, growth, cpu_growth] if growth.measured else figures
