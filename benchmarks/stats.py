"""Figures: repeated samples of a measurement beside a baseline's, summarised as a table row.

Each figure keeps every sample, so the row shows the minimum (the least disturbed run) and
the median (the typical one) of both sides, and the ratio of the medians. The machine's
load (``os.getloadavg``) is read before and after each section: on a shared computer a
ratio measured under load is still meaningful; an absolute time is not.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.5 is the median of an odd count)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def load() -> str:
    """The machine's 1-minute load average, e.g. '3.1'."""
    return f"{os.getloadavg()[0]:.1f}"


@dataclass(frozen=True)
class Target:
    """What a figure should reach (issue 17): at most ``ratio`` times its baseline, and/or
    its own statistic at most ``limit`` (in the figure's unit, as stored: seconds for 'ms')."""

    ratio: float | None = None
    limit: float | None = None

    def judge(self, figure: Figure) -> str:
        """E.g. '<= 1.50x: met' or '<= 2.00 s: NOT met'; '-' if nothing was measured."""
        parts, met = [], True
        if self.ratio is not None:
            ratio = figure.ratio()
            parts.append(f"<= {self.ratio:.2f}x")
            met = met and ratio is not None and ratio <= self.ratio
        if self.limit is not None:
            parts.append(f"<= {_fmt(self.limit, figure.unit)}")
            met = met and bool(figure.measured)
            met = met and figure.summary(figure.measured) <= self.limit
        if not figure.measured:
            return "-"
        return f"{', '.join(parts)}: {'met' if met else 'NOT met'}"


@dataclass
class Figure:
    """One measured figure and its baseline, each a list of samples."""

    name: str
    unit: str
    """'ms', 's', 'MiB', 'x' (a ratio) or '' (a count)."""
    measured: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    baseline_name: str = ""
    stat: str = "median"
    """How the samples are summarised besides their minimum: 'median', 'p95' or 'max'."""
    note: str = ""
    paired: bool = False
    """Each measured sample was taken beside the baseline sample at the same place: the
    ratio is the median of the pairs' ratios, so the machine's drift between pairs (minutes
    apart) does not show as a difference between the two."""

    def summary(self, values: Sequence[float]) -> float:
        """The figure's statistic over some samples."""
        if self.stat == "p95":
            return percentile(values, 0.95)
        if self.stat == "max":
            return max(values)
        return statistics.median(values)

    def ratio(self) -> float | None:
        """Measured over baseline (medians, or the chosen statistic; of pairs if paired)."""
        if not self.measured or not self.baseline:
            return None
        if self.paired and len(self.measured) == len(self.baseline) and all(self.baseline):
            return self.summary([m / b for m, b in zip(self.measured, self.baseline, strict=True)])
        base = self.summary(self.baseline)
        return self.summary(self.measured) / base if base else None

    def _show(self, values: Sequence[float]) -> str:
        if not values:
            return "-"
        if self.stat in ("p95", "max") or len(values) == 1:
            return f"{_fmt(self.summary(values), self.unit)}"
        low, mid = min(values), self.summary(values)
        return f"{_fmt(low, self.unit)} / {_fmt(mid, self.unit)}"

    def row(self) -> tuple[str, str, str, str, str]:
        """(figure, measured, baseline, ratio, samples) as text."""
        ratio = self.ratio()
        base = self._show(self.baseline)
        if self.baseline_name:
            base = f"{base} ({self.baseline_name})" if self.baseline else self.baseline_name
        label = self.name if self.stat == "median" else f"{self.name} [{self.stat}]"
        return (
            label + (f" ({self.note})" if self.note else ""),
            self._show(self.measured),
            base,
            "-" if ratio is None else f"{ratio:.2f}x",
            str(len(self.measured)),
        )


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:g}"


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows as aligned text columns with a header rule."""
    header: tuple[str, ...] = (
        "figure",
        "measured: min / median",
        "baseline: min / median",
        "ratio",
        "n",
        "target",
    )
    header = header[: max((len(row) for row in rows), default=5)]
    rows = [tuple(row) + ("",) * (len(header) - len(row)) for row in rows]
    every = [header, *rows]
    widths = [max(len(row[i]) for row in every) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    return "\n".join(lines)


@dataclass
class Usage:
    """What a finished child process cost: wall and CPU seconds, peak memory."""

    wall: float
    cpu: float
    peak_mib: float
    stdout: str


def hwm_mib(pid: int | str = "self") -> float | None:
    """The peak resident memory of the program a process runs now (Linux's ``VmHWM``), in
    MiB; None where it cannot be read (the process has gone, or no /proc).

    Unlike ``ru_maxrss`` it starts afresh when the process execs: a forked child's
    ``ru_maxrss`` is at least the RSS its parent had when it forked, so a benchmark whose
    own process had grown to 82 MiB read 82 MiB for every child, large or small."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def wait_usage(process: subprocess.Popen[bytes]) -> tuple[float, float]:
    """Reap a child, watching its peak memory until it ends: (its CPU seconds, its peak
    resident memory in MiB: the last ``VmHWM`` read, else ``ru_maxrss``)."""
    peak: float | None = None
    while True:
        done, status, usage = os.wait4(process.pid, os.WNOHANG)
        if done:
            break
        peak = hwm_mib(process.pid) or peak
        time.sleep(0.002)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, peak or usage.ru_maxrss / 1024


def spawn_measured(
    argv: Sequence[str], *, env: dict[str, str], cwd: str, stdout: int | None = None
) -> Usage:
    """Run a command to completion, reaped with ``wait4``: wall from spawn, CPU, peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: chunks.append(process.stdout.read() if process.stdout else b"")
    )
    reader.start()  # read while the child runs, so a full pipe never stalls it
    cpu, peak = wait_usage(process)
    reader.join()
    out = b"".join(chunks)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {process.returncode}")
    return Usage(wall, cpu, peak, out.decode(errors="replace"))


def self_peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (``VmHWM``, not inherited)."""
    return hwm_mib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
