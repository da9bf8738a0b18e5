"""Library loading, path analysis and history export, each run in fresh processes."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_tui import bundled_titles, child_env
from benchmarks.generate import layered_yaml
from benchmarks.graphs import KINDS
from benchmarks.history import make_history
from benchmarks.pty_probe import ProbeTimeout, PtyApp
from benchmarks.stats import Figure, spawn_measured

ROOT = Path(__file__).resolve().parent.parent
CHILD = str(ROOT / "benchmarks" / "child.py")


def _child(env: dict[str, str], *args: str, timeout: float = 900) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, CHILD, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def write_library(folder: Path, count: int) -> Path:
    """``count`` generated scenarios of 49 nodes and 144 options each."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        path = folder / f"gen-{index:04d}.yaml"
        if not path.exists():
            path.write_text(layered_yaml(f"gen-{index:04d}", 48, 3), encoding="utf-8")
    return folder


def library(sizes: list[int], repeat: int, work: Path) -> list[Figure]:
    """Per-file CPU and wall time, and peak memory, of loading libraries of each size:
    roleplay's scan against libYAML + plain pydantic, alternating, fresh processes.

    How the cost per file grows (the largest size over the smallest) is taken from pairs:
    each sample at the largest size has one at the smallest beside it, under the same load
    (sampled apart, minutes earlier, the machine's drift showed as growth)."""
    env = child_env(work / "home")
    floor = "libYAML + plain pydantic"
    figures: list[Figure] = []
    smallest = write_library(work / f"lib{sizes[0]}", sizes[0])
    scaling = Figure(f"CPU per file, {sizes[-1]:,} / {sizes[0]:,} files", "x", baseline_name=floor)
    for size in sizes:
        folder = write_library(work / f"lib{size}", size)
        cpu = Figure(f"load {size:,} scenarios: CPU per file", "ms", baseline_name=floor)
        wall = Figure(f"load {size:,} scenarios: wall per file", "ms", baseline_name=floor)
        peak = Figure(f"load {size:,} scenarios: peak memory", "MiB", baseline_name=floor)
        paused = Figure(
            f"load {size:,}: CPU per file, floor paused",
            "ms",
            baseline_name="collector off, beside",
            paired=True,
        )
        # The floor as written takes minutes at the largest sizes: one sample fewer there.
        floor_times = repeat if size <= 1000 else max(1, repeat - 1)
        paired = len(sizes) > 1 and size == sizes[-1]
        for index in range(repeat):
            # The app beside the paused floor (the judged pair), the floor as written after.
            order = ["app", "paused", "floor"] if index % 2 == 0 else ["floor", "paused", "app"]
            for kind in order:
                if kind == "floor" and index >= floor_times:
                    continue
                result = _child(env, "load", kind, str(folder))
                if kind == "paused":
                    paused.baseline.append(result["cpu"] / size)
                    continue
                if kind == "app":
                    paused.measured.append(result["cpu"] / size)
                side = "measured" if kind == "app" else "baseline"
                getattr(cpu, side).append(result["cpu"] / size)
                getattr(wall, side).append(result["wall"] / size)
                getattr(peak, side).append(result["peak"])
                if paired:
                    beside = _child(env, "load", kind, str(smallest))
                    ratio = (result["cpu"] / size) / (beside["cpu"] / sizes[0])
                    getattr(scaling, side).append(ratio)
        figures += [cpu, paused, wall, peak]
    if len(sizes) > 1:
        figures.append(scaling)
    return figures


def validate_and_open(size: int, repeat: int, work: Path) -> list[Figure]:
    """``roleplay validate`` on a library (wall, peak memory) against the floor checking each
    file and keeping nothing; the TUI library opening the same folder, against validate."""
    env = child_env(work / "home")
    folder = write_library(work / f"lib{size}", size)
    wall = Figure(f"validate {size:,} scenarios: wall", "s", baseline_name="floor, kept nothing")
    cpu = Figure(f"validate {size:,} scenarios: CPU", "s", baseline_name="floor, kept nothing")
    peak = Figure(f"validate {size:,} scenarios: peak", "MiB", baseline_name="floor, kept nothing")
    opened = Figure(
        f"TUI library open, {size:,} scenarios", "s", baseline_name="validate, beside", paired=True
    )
    opened_peak = Figure(f"TUI library open, {size:,}: peak", "MiB", baseline_name="200 MiB")
    warm = Figure(
        f"TUI library open again, {size:,} (summaries cached)", "s", baseline_name="validate"
    )
    validate = [sys.executable, "-m", "roleplay", "validate", str(folder)]
    titles = bundled_titles()  # the list shows once every folder is read; these come first
    # The first open has no data folder (so no summary cache: every file is checked, as
    # validate does); a learner's later opens have one, and the files unchanged.
    cached_home = work / "home-cached"
    cached_home.mkdir(exist_ok=True)
    cached = [sys.executable, "-m", "roleplay", "--data-dir", str(cached_home)]
    _open([*cached, "--scenarios", str(folder)], env, titles)
    for index in range(repeat):
        usage = spawn_measured(validate, env=env, cwd=str(ROOT))
        wall.measured.append(usage.wall)
        cpu.measured.append(usage.cpu)
        peak.measured.append(usage.peak_mib)
        # The open is taken right after validate, its pair.
        # A data folder that does not exist, so nothing is cached (the app writes its cache
        # only into one that does): every open here checks every file, as validate does.
        # (The shared "home" exists once the start-up section has run.)
        fresh = work / f"home-never-{index}"
        argv = [sys.executable, "-m", "roleplay", "--data-dir", str(fresh), "--scenarios"]
        argv.append(str(folder))
        probe = PtyApp(argv, env=child_env(fresh), cwd=str(ROOT))
        try:
            shown = probe.wait_for(titles, probe.started, timeout=600, any_of=True)
            opened.measured.append(shown.seconds)
            opened.baseline.append(usage.wall)
        except ProbeTimeout:
            pass
        probe.close()
        opened_peak.measured.append(probe.peak_mib)
        check = spawn_measured(
            [sys.executable, CHILD, "load", "check", str(folder)], env=env, cwd=str(ROOT)
        )
        wall.baseline.append(check.wall)
        cpu.baseline.append(check.cpu)
        peak.baseline.append(check.peak_mib)
        seconds = _open([*cached, "--scenarios", str(folder)], env, titles)
        if seconds is not None:
            warm.measured.append(seconds)
            warm.baseline.append(usage.wall)
        del index
    opened_peak.baseline.append(200.0)
    return [wall, cpu, peak, opened, opened_peak, warm]


def _open(argv: list[str], env: dict[str, str], titles: list[str]) -> float | None:
    """Seconds from spawning the app to one of ``titles`` painted (None if never)."""
    probe = PtyApp(argv, env=env, cwd=str(ROOT))
    try:
        return probe.wait_for(titles, probe.started, timeout=600, any_of=True).seconds
    except ProbeTimeout:
        return None
    finally:
        probe.close()


def paths(sizes: list[int], budget: float, work: Path, repeat: int = 1) -> list[Figure]:
    """Path analysis time and memory per size for each graph kind, each sample in a fresh
    process, ``repeat`` samples per size; a kind stops growing once a size takes longer than
    ``budget`` seconds.

    The linear scale is the smallest size's median CPU, scaled by size. That size takes a
    few milliseconds, so a busy moment of the shared machine while it ran would move every
    baseline after it (times 28 at 7,000 from 250): a sample of it is taken beside each
    sample of every larger size (interleaved, so both see the same load), and each size's
    baseline is the median of all the smallest size's samples so far."""
    env = child_env(work / "home")
    figures: list[Figure] = []
    for kind in KINDS:
        scale: list[float] = []
        for size in sizes:
            results = []
            try:
                for _ in range(repeat):
                    results.append(_child(env, "paths", kind, str(size), timeout=budget * 4))
                    if size != sizes[0]:
                        scale.append(_child(env, "paths", kind, str(sizes[0]))["cpu"])
            except subprocess.TimeoutExpired:
                figures.append(Figure(f"paths, {kind} of {size:,}", "s", note="timed out"))
                break
            cpus = [result["cpu"] for result in results]
            if size == sizes[0]:
                scale += cpus
            linear = f"linear from {sizes[0]:,}"
            time_figure = Figure(f"paths, {kind} of {size:,}: CPU", "s", baseline_name=linear)
            time_figure.measured += cpus
            time_figure.baseline.append(statistics.median(scale) * size / sizes[0])
            # The whole process's peak (the "under 200 MB"), beside its size once the
            # graph was built and before the analysis ran.
            memory_figure = Figure(
                f"paths, {kind} of {size:,}: peak memory", "MiB", baseline_name="graph built"
            )
            memory_figure.measured += [result["peak"] for result in results]
            memory_figure.baseline += [result["before"] for result in results]
            figures += [time_figure, memory_figure]
            if statistics.median(cpus) > budget:
                break
    return figures


def history(attempts: int, repeat: int, work: Path) -> list[Figure]:
    """``roleplay export --all --format csv`` against one JOIN streamed to csv.writer.

    The history is of the bundled scenarios, so the export names each decision's strongest
    option. As for a learner who has opened the app (or exported once), the library's
    summary cache holds those options; the export without the cache (every scenario in the
    history loaded and checked) is its own figure."""
    home = work / "history-home"
    if not (home / "history.sqlite3").exists():
        make_history(home, attempts)
    env = child_env(home)
    out = work / "export.csv"
    floor = "sqlite3 JOIN -> csv.writer"
    wall = Figure(f"export --all csv, {attempts:,} attempts: wall", "s", baseline_name=floor)
    cpu = Figure(f"export --all csv, {attempts:,} attempts: CPU", "s", baseline_name=floor)
    peak = Figure(f"export --all csv, {attempts:,} attempts: peak", "MiB", baseline_name=floor)
    cold = Figure(
        f"export --all csv, {attempts:,} attempts, no summary cache: CPU",
        "s",
        baseline_name=floor,
    )
    ours = [sys.executable, "-m", "roleplay", "--data-dir", str(home), "export", "--all"]
    ours += ["--format", "csv", "-o", str(out)]
    theirs = [sys.executable, CHILD, "export-floor", str(home / "history.sqlite3"), str(out)]
    cache = home / "library-cache.json"
    spawn_measured(ours, env=env, cwd=str(ROOT))  # writes the summary cache, as the app does
    for index in range(repeat):
        order = [("measured", ours), ("baseline", theirs), ("cold", ours)]
        for side, argv in order if index % 2 == 0 else reversed(order):
            out.unlink(missing_ok=True)
            if side == "cold":
                cache.unlink(missing_ok=True)
                cold.measured.append(spawn_measured(argv, env=env, cwd=str(ROOT)).cpu)
                continue
            usage = spawn_measured(argv, env=env, cwd=str(ROOT))
            getattr(wall, side).append(usage.wall)
            getattr(cpu, side).append(usage.cpu)
            getattr(peak, side).append(usage.peak_mib)
    cold.baseline = list(cpu.baseline)
    return [wall, cpu, peak, cold]


def history_screen(small: int, large: int, repeat: int, work: Path) -> list[Figure]:
    """The app's history screen: key press (h, from the library) to the list of attempts
    painted, with a large history against a small one, alternating, in a real pty."""
    homes = {}
    for size in (small, large):
        homes[size] = work / f"history-{size}"
        if not (homes[size] / "history.sqlite3").exists():
            make_history(homes[size], size)
    shown = Figure(
        f"history screen, {large:,} attempts: h -> list painted",
        "s",
        baseline_name=f"{small:,} attempts",
    )
    peak = Figure(f"history screen, {large:,} attempts: peak", "MiB", baseline_name=f"{small:,}")
    titles = bundled_titles()
    for index in range(repeat):
        for size in (small, large) if index % 2 == 0 else (large, small):
            home = homes[size]
            argv = [sys.executable, "-m", "roleplay", "--data-dir", str(home)]
            probe = PtyApp(argv, env=child_env(home), cwd=str(ROOT))
            try:
                probe.wait_for(titles, probe.started, any_of=True)
                start = probe.write(b"h")
                paint = probe.wait_for([f"{size} attempts at"], start, timeout=300)
            finally:
                probe.close()
            side = "measured" if size == large else "baseline"
            getattr(shown, side).append(paint.seconds)
            getattr(peak, side).append(probe.peak_mib)
    return [shown, peak]
