"""Benchmarks: every figure beside a baseline measured in the same run, as a table of ratios.

Run: python benchmarks/run.py [--quick] [--only SECTION ...] [--json FILE]

Each figure is repeated and shown as the minimum and median of its samples (or the p95),
beside a baseline's samples taken interleaved with it (app, baseline, baseline, app, ...),
each in fresh processes, with the ratio of the two, and, for every figure issue 17 sets a
target for, that target and whether this run met it. The machine's load average is printed
for every section: on a busy computer ratios still mean something; absolute times do not.

Sections:
- startup: process start to the first frame and to the library list painted, in a real
  pty, against a bare Textual app of the same shape; CPU of ``--version`` and ``--help``;
- keys: key press to the feedback card fully painted, in a real pty, against a bare
  Textual chat of the same shape, decision by decision; and whether it slows as the
  transcript grows (p50 of the last 10 decisions over the first 10);
- library: loading 250 / 1,000 / 2,000 generated scenarios, CPU and wall per file and peak
  memory, against libYAML + a plain pydantic model; ``validate`` peak memory; the TUI
  library opening 1,000 scenarios;
- paths: path analysis on growing chains, loops, wide graphs and flags read later, time
  and memory per size;
- history: ``export --all --format csv`` of 10,000 attempts against one sqlite3 JOIN
  streamed to ``csv.writer``;
- screens: the app's history screen painting 10,000 attempts against 100;
- matching: typed replies matched to options (``benchmarks/matching_eval.py``): top-1,
  top-2, wrongly-null, off-option null, p95 time per reply and load time per matcher
  configuration, with and without examples, beside a word-overlap baseline (rates, so
  printed as their own table; skipped with --tiny).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_core, bench_tui  # noqa: E402
from benchmarks.stats import Figure, Target, load, table  # noqa: E402

SECTIONS = ("startup", "keys", "library", "paths", "history", "screens", "matching")

TARGETS: list[tuple[str, str, Target]] = [
    # (pattern over the figure's name, its statistic, the target issue 17 sets)
    (r"start-up: process start to (first frame|library list painted)", "median", Target(ratio=1.5)),
    (r"key press -> feedback card painted", "median", Target(ratio=1.5)),
    (r"key press -> feedback card painted", "p95", Target(ratio=2.0)),
    (r"frames written per key press", "median", Target(limit=1)),
    (r"card p50, last 10 / first 10 of \d+ decisions", "median", Target(limit=1.2)),
    (r"load [\d,]+ scenarios: CPU per file", "median", Target(ratio=1.3)),
    (r"load [\d,]+: CPU per file, floor paused", "median", Target(ratio=1.3)),
    # "Flat from 250 to 2,000 files": growing no more than the floor's own cost per file,
    # over the same pairs (holding 2,000 scenarios, 1.3 GiB, costs any program something).
    (r"CPU per file, [\d,]+ / [\d,]+ files", "median", Target(ratio=1.15)),
    # "validate memory flat": it keeps nothing the floor (which keeps nothing) does not.
    (r"validate [\d,]+ scenarios: peak", "median", Target(ratio=1.2)),
    (r"TUI library open, [\d,]+ scenarios", "median", Target(ratio=1.5)),
    (r"TUI library open, [\d,]+: peak", "median", Target(limit=200)),
    (r"paths, \w+ of 7,000: CPU", "median", Target(ratio=1.5, limit=2.0)),
    (r"paths, \w+ of 7,000: peak memory", "median", Target(limit=200)),
    (r"paths, \w+ of [\d,]+: CPU", "median", Target(ratio=1.5)),
    (r"export --all csv, [\d,]+ attempts: CPU", "median", Target(ratio=1.5)),
    (r"history screen, [\d,]+ attempts: h -> list painted", "median", Target(ratio=1.5)),
]
"""Every figure issue 17 sets a target for; the table says whether this run met it."""


def target_of(figure: Figure) -> Target | None:
    """The first target whose pattern matches the figure's whole name and statistic."""
    for pattern, stat, target in TARGETS:
        if stat == figure.stat and re.fullmatch(pattern, figure.name):
            return target
    return None


def judged(figure: Figure) -> tuple[str, ...]:
    """The figure's row with its target and whether it was met (blank if it has none)."""
    target = target_of(figure)
    scale = re.fullmatch(r"linear from ([\d,]+)", figure.baseline_name)
    if scale and f" of {scale.group(1)}:" in figure.name:
        return (*figure.row(), "(the scale)")  # the first size is its own baseline
    return (*figure.row(), "" if target is None else target.judge(figure))


def plan(quick: bool, tiny: bool, work: Path) -> dict[str, Callable[[], list[Figure]]]:
    """What each section runs, at full size, quick (a few minutes) or tiny (a smoke test)."""
    if tiny:
        return {
            "startup": lambda: bench_tui.startup(1, work / "home"),
            "keys": lambda: bench_tui.keypress(3, 1, work),
            "library": lambda: bench_core.library([2, 4], 1, work),
            "paths": lambda: bench_core.paths([4], 5.0, work),
            "history": lambda: bench_core.history(20, 1, work),
            "screens": lambda: bench_core.history_screen(5, 20, 1, work),
        }
    if quick:
        return {
            "startup": lambda: [
                *bench_tui.startup(5, work / "home"),
                *bench_tui.cli_costs(3, work / "home"),
            ],
            "keys": lambda: bench_tui.keypress(30, 1, work),
            "library": lambda: [
                *bench_core.library([50, 200], 2, work),
                *bench_core.validate_and_open(200, 1, work),
            ],
            "paths": lambda: bench_core.paths([250, 1000, 2000], 8.0, work, repeat=2),
            "history": lambda: bench_core.history(2_000, 2, work),
            "screens": lambda: bench_core.history_screen(100, 2_000, 2, work),
        }
    return {
        "startup": lambda: [
            *bench_tui.startup(10, work / "home"),
            *bench_tui.cli_costs(5, work / "home"),
        ],
        "keys": lambda: bench_tui.keypress(60, 3, work),
        "library": lambda: [
            *bench_core.library([250, 1000, 2000], 3, work),
            *bench_core.validate_and_open(1000, 3, work),
        ],
        "paths": lambda: bench_core.paths([250, 1000, 3000, 7000], 30.0, work, repeat=3),
        "history": lambda: bench_core.history(10_000, 3, work),
        "screens": lambda: bench_core.history_screen(100, 10_000, 3, work),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    size.add_argument("--tiny", action="store_true", help="a smoke test: seconds, not figures")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load()}",
        flush=True,
    )
    rows: list[tuple[str, ...]] = []
    samples: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="roleplay-bench-") as tmp:
        sections = plan(args.quick, args.tiny, Path(tmp))
        for name in args.only or SECTIONS:
            if name == "matching":
                continue  # rates, not times: its own table below
            before, started = load(), time.perf_counter()
            figures = sections[name]()
            elapsed = time.perf_counter() - started
            heading = f"[{name}: load {before} before, {load()} after; took {elapsed:.0f} s]"
            print(heading, file=sys.stderr, flush=True)
            rows.append((heading, "", "", "", "", ""))
            rows += [judged(figure) for figure in figures]
            samples[name] = [vars(figure) for figure in figures]
    print(table(rows))
    if "matching" in (args.only or SECTIONS) and not args.tiny:
        from benchmarks import matching_eval

        matching = [matching_eval.child(config) for config in matching_eval.CONFIGS]
        print()
        print(matching_eval.report(matching))
        samples["matching"] = matching
    if args.json:
        args.json.write_text(json.dumps(samples, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
