"""SIGTERM (``kill``, a shutdown, ``roleplay serve`` ending a session) quits the app as
ctrl+q does: the terminal is put back as it was, not left in the app's screen with mouse
reporting on, and the exit status still says the app was terminated (128 + 15)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
from pathlib import Path

from tui_helpers import MINI

LEAVE_ALTERNATE_SCREEN = "\x1b[?1049l"
MOUSE_OFF = "\x1b[?1000l"


def read_until(fd: int, wanted: str, seen: str = "") -> str:
    """Read the app's output until ``wanted`` appears or it closes (the minute is a safety
    stop for a hung process, not a timed assertion)."""
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the pty closed with the process
            break
        if not chunk:
            break
        seen += chunk.decode("utf-8", "replace")
    return seen


def test_sigterm_puts_the_terminal_back_and_exits_143(tmp_path: Path) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app at an 80x24 terminal
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env.update(ROLEPLAY_HOME=str(tmp_path / "home"), TERM="xterm-256color")
        argv = [sys.executable, "-m", "roleplay", "--no-animation", "play", str(MINI)]
        os.execve(sys.executable, argv, env)
    try:
        seen = read_until(fd, "Agree and begin")  # the briefing is on screen: mounted
        assert "Agree and begin" in seen
        os.kill(pid, signal.SIGTERM)
        after = read_until(fd, "\x00never\x00")  # everything until the pty closes
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert not os.WIFSIGNALED(status), "the app died of the signal instead of quitting"
    assert os.WEXITSTATUS(status) == 128 + signal.SIGTERM
    assert LEAVE_ALTERNATE_SCREEN in after
    assert MOUSE_OFF in after
