"""Drive a program in a real pseudo-terminal and time what it writes.

The clock starts before the process is spawned (start-up) or when a key is written
(latency), and stops at the read that completes the expected text: what a person at a real
terminal would see, with no test harness in between. Escape sequences are removed before
text is matched, so a marker is found however the program styles it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.stats import hwm_mib

_ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
FRAME_END = b"\x1b[?2026l"
"""Textual ends each synchronised frame with this sequence."""
TERMINAL = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
"""A modern terminal's description, for every program probed."""
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"


class ProbeTimeout(Exception):
    """The expected text did not appear in time."""


@dataclass
class Paint:
    """When the expected text was complete, and how the output settled after it."""

    seconds: float
    """From the clock's start to the read that completed the expected text."""
    settled: float
    """From the clock's start to the last write before the output went quiet."""
    frames: int
    """Synchronised frames written from the clock's start until the output went quiet."""


class PtyApp:
    """A program running in its own pty of a given size."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        cwd: str | None = None,
        size: tuple[int, int] = (100, 30),
    ) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, **TERMINAL, "COLUMNS": str(columns), "LINES": str(rows)},
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = bytearray()
        self._text = bytearray()
        self._reads: list[tuple[float, int]] = []
        """When each read ended, and how much text there was after it."""
        self._pending = b""
        self.last_read = self.started
        self.cpu = 0.0
        """The program's CPU seconds, known once it has been closed."""
        self.peak_mib = 0.0
        """The program's peak resident memory, known once it has been closed."""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # the program has gone and closed its end
            chunk = b""
        if not chunk:
            raise ProbeTimeout("the program closed the terminal (it has exited)")
        if SYNC_QUERY in chunk:
            # Answer as a modern terminal does, so Textual paints in synchronised frames
            # (and each frame can be counted).
            os.write(self.master, SYNC_ANSWER)
        return chunk

    def write(self, data: bytes) -> float:
        """Write keys to the program; returns the clock time just before writing."""
        self.raw.clear()
        self._text.clear()
        self._reads.clear()
        self._pending = b""
        now = time.perf_counter()
        os.write(self.master, data)
        return now

    def _add(self, chunk: bytes) -> None:
        self.last_read = time.perf_counter()
        self.raw += chunk
        # Strip escapes from whole sequences only: keep a partial one for the next read.
        pending = self._pending + chunk
        cut = pending.rfind(b"\x1b")
        keep = pending[cut:] if cut >= 0 and len(pending) - cut < 64 else b""
        self._text += _ESCAPE.sub(b"", pending[: len(pending) - len(keep)])
        self._pending = keep
        self._reads.append((self.last_read, len(self._text)))

    def wait_for(
        self, markers: Sequence[str], start: float, timeout: float = 30.0, *, any_of: bool = False
    ) -> Paint:
        """Read until every marker (or with ``any_of``, one) has been written since the last
        ``write``, then until the output has been quiet for a moment; times are from
        ``start``."""
        wanted = [m.encode() for m in markers]

        def complete() -> bool:
            return (any if any_of else all)(m in self._text for m in wanted)

        deadline = time.perf_counter() + timeout
        # Already written (in an earlier read): it was complete at the first read after
        # which it was there (not the last read: a later frame may have followed it).
        found_at = None
        if complete():
            text = bytes(self._text)
            found_at = next(
                at
                for at, length in self._reads
                if (any if any_of else all)(m in text[:length] for m in wanted)
            )
        while found_at is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = _ESCAPE.sub(b"", bytes(self.raw[-400:]))
                raise ProbeTimeout(f"waiting for {markers}; last output {tail!r}")
            chunk = self._read(left)
            if chunk:
                self._add(chunk)
                if complete():
                    found_at = self.last_read
        last = found_at
        while chunk := self._read(0.15):
            self._add(chunk)
            last = self.last_read
        return Paint(found_at - start, last - start, self.raw.count(FRAME_END))

    def cpu_seconds(self) -> float:
        """The CPU time the program (all its threads) has used so far, to the nanosecond
        where Linux's scheduler statistics are available, else in clock ticks."""
        pid = self.process.pid
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return 0.0
        total = 0
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as stats:
                    total += int(stats.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue  # a thread that has just ended
        if total:
            return total / 1e9
        try:  # no schedstat: user + system ticks of the whole process
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def close(self) -> None:
        """Ask the program to quit (ctrl+q), reap it (its CPU time and peak memory), and make
        sure it has gone."""
        # The program's own peak, read while it runs (its ru_maxrss would include the
        # benchmark's RSS when it forked).
        peak = hwm_mib(self.process.pid)
        with contextlib.suppress(OSError):
            os.write(self.master, b"\x11")
        deadline = time.perf_counter() + 5
        pid = self.process.pid
        while time.perf_counter() < deadline:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(self.master, 1 << 16)
        else:
            os.killpg(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak_mib = peak or usage.ru_maxrss / 1024
        os.close(self.master)
