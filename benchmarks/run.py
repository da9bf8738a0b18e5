"""Benchmarks: figures measured side by side in one run, printed as a table of ratios.

Run: python benchmarks/run.py [--quick]

Every figure is compared with a baseline measured in the same run on the same machine, so
the ratios mean something on a busy or slow computer where absolute times do not:
- start-up to the first frame, against a bare Textual app showing one label;
- key press to feedback card painted (Pilot), p50 and p95 over a long scenario;
- loading a generated library of 100 and 1,000 scenarios, against the floor of parsing the
  same files with libYAML and validating with pydantic alone; plus the 100 -> 1,000 scaling;
- path analysis on a generated scenario with about 10^12 paths;
- peak memory of the app with the bundled library, against the bare Textual app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import layered, layered_yaml  # noqa: E402

BARE_APP = """
import resource, sys, time
t0 = time.perf_counter()
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

ROLEPLAY_APP = """
import resource, sys, time
t0 = time.perf_counter()
from roleplay.settings import Settings
from roleplay.tui.app import create_app
app = create_app(Settings.resolve(data=sys.argv[1], animation=False))
def stop():
    app.call_after_refresh(app.exit)
app.call_later(stop)
app.run(headless=True)
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child_env() -> dict[str, str]:
    # Imports from compiled bytecode, as an installed copy does (pip compiles it): a
    # PYTHONDONTWRITEBYTECODE in the environment would otherwise time the compiler.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(code: str, *args: str) -> tuple[float, int]:
    """Run code in a fresh interpreter; returns (seconds to first frame and exit, peak KiB)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_child_env(),
    ).stdout.split()
    return float(out[-2]), int(out[-1])


def _median(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def bench_startup(repeat: int, data_dir: str) -> list[tuple[str, str, str, str]]:
    _child(BARE_APP), _child(ROLEPLAY_APP, data_dir)  # warm-up: writes the bytecode caches
    bare = [_child(BARE_APP) for _ in range(repeat)]
    ours = [_child(ROLEPLAY_APP, data_dir) for _ in range(repeat)]
    bare_t = statistics.median(t for t, _ in bare)
    ours_t = statistics.median(t for t, _ in ours)
    bare_m = max(m for _, m in bare)
    ours_m = max(m for _, m in ours)
    return [
        (
            "start to first frame",
            f"{ours_t * 1000:.0f} ms",
            f"{bare_t * 1000:.0f} ms (bare)",
            f"{ours_t / bare_t:.2f}x",
        ),
        (
            "peak memory, app + bundled library",
            f"{ours_m / 1024:.0f} MiB",
            f"{bare_m / 1024:.0f} MiB (bare)",
            f"{ours_m / bare_m:.2f}x",
        ),
    ]


def _write_library(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"gen-{index:04d}.yaml"
        path.write_text(layered_yaml(f"gen-{index:04d}", 48, 3), encoding="utf-8")
        paths.append(path)
    return paths


def bench_library(sizes: list[int], base: Path) -> list[tuple[str, str, str, str]]:
    import yaml

    from roleplay.core.library import scan
    from roleplay.core.models import Scenario

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rows = []
    per_file: dict[int, float] = {}
    for size in sizes:
        folder = base / f"lib{size}"
        paths = _write_library(folder, size)

        def ours(folder: Path = folder) -> float:
            start = time.perf_counter()
            entries = scan([folder])
            assert all(entry.ok for entry in entries)
            return time.perf_counter() - start

        def floor(paths: list[Path] = paths) -> float:
            start = time.perf_counter()
            for path in paths:
                Scenario.model_validate(yaml.load(path.read_bytes(), Loader=loader))
            return time.perf_counter() - start

        repeat = 3 if size <= 100 else 1
        ours_t = _median(ours, repeat)
        floor_t = _median(floor, repeat)
        per_file[size] = ours_t / size
        rows.append(
            (
                f"load + validate + lint {size} scenarios (~50 nodes)",
                f"{ours_t:.2f} s",
                f"{floor_t:.2f} s (libYAML + pydantic)",
                f"{ours_t / floor_t:.2f}x",
            )
        )
    if len(sizes) == 2:
        small, large = sizes
        rows.append(
            (
                f"scaling {small} -> {large} (per file)",
                f"{per_file[large] * 1000:.1f} ms",
                f"{per_file[small] * 1000:.1f} ms",
                f"{per_file[large] / per_file[small]:.2f}x",
            )
        )
    return rows


def bench_paths() -> list[tuple[str, str, str, str]]:
    from roleplay.core.models import Scenario
    from roleplay.core.paths import analyse

    scenario = Scenario.model_validate(layered("huge", 40, 2))

    def run() -> float:
        start = time.perf_counter()
        report = analyse(scenario)
        assert report.paths == 2**40
        return time.perf_counter() - start

    seconds = _median(run, 3)
    return [
        (
            "path analysis, 2^40 (1.1e12) paths",
            f"{seconds * 1000:.0f} ms",
            "1 s (target)",
            f"{seconds:.2f}x",
        )
    ]


async def _feedback_latency(samples: int) -> list[float]:
    from benchmarks.tui_probe import play_and_time
    from roleplay.settings import Settings
    from roleplay.tui.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "s"
        folder.mkdir()
        (folder / "long.yaml").write_text(layered_yaml("long-run", samples, 3), encoding="utf-8")
        settings = Settings.resolve(data=Path(tmp) / "home", scenarios=[folder], animation=False)
        app = create_app(settings, scenario=str(folder / "long.yaml"))
        return await play_and_time(app, samples)


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def bench_feedback(samples: int) -> list[tuple[str, str, str, str]]:
    from benchmarks.tui_probe import bare_chat_times

    try:
        ours = asyncio.run(_feedback_latency(samples))
    except Exception as exc:  # report, do not hide the other figures
        return [("key press to feedback card", f"not measured: {exc}", "", "")]
    bare = asyncio.run(bare_chat_times(len(ours)))
    rows = []
    for label, share in (("p50", 0.5), ("p95", 0.95)):
        mine, base = _percentile(ours, share), _percentile(bare, share)
        rows.append(
            (
                f"key press to feedback card, {label} ({len(ours)} decisions)",
                f"{mine * 1000:.0f} ms",
                f"{base * 1000:.0f} ms (bare Textual chat)",
                f"{mine / base:.2f}x",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller library, fewer repeats")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        rows += bench_startup(3 if args.quick else 5, str(base / "home"))
        rows += bench_feedback(20 if args.quick else 60)
        rows += bench_library([20, 200] if args.quick else [100, 1000], base)
        rows += bench_paths()
    header = ("figure", "measured", "baseline", "ratio")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
