"""Running the command line in the test process: ``roleplay.cli.main(argv)`` with its own
stdin, stdout, stderr, environment and working folder, restored afterwards.

Quicker than a subprocess per test, and what it runs counts towards coverage. Tests of what
only a real process shows (the installed script's exit code, no terminal, a pty, a signal)
start one instead.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from roleplay.cli import main


@dataclass(frozen=True)
class Ran:
    """What a run of the command line did (the fields of ``subprocess.CompletedProcess``)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@contextmanager
def environment(set_to: Mapping[str, str], drop: Iterable[str]) -> Iterator[None]:
    """``os.environ`` with names dropped (a trailing ``*`` drops a prefix) and values set."""
    saved = dict(os.environ)
    try:
        for pattern in drop:
            for name in list(os.environ):
                if name == pattern or (pattern.endswith("*") and name.startswith(pattern[:-1])):
                    del os.environ[name]
        os.environ.update(set_to)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(
    *args: str | Path,
    stdin: str | bytes = "",
    env: Mapping[str, str] | None = None,
    drop: Iterable[str] = ("ROLEPLAY_*", "TEXTUAL_DRIVER"),
    cwd: Path | None = None,
) -> Ran:
    """Run ``roleplay ARGS`` in this process; stdin is a byte stream (not a terminal)."""
    argv = [str(arg) for arg in args]
    raw = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
    out, err = io.StringIO(), io.StringIO()
    saved_stdin, saved_cwd = sys.stdin, Path.cwd()
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    try:
        with environment(env or {}, drop), redirect_stdout(out), redirect_stderr(err):
            if cwd is not None:
                os.chdir(cwd)
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help, --version and bad usage
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
    return Ran(argv, code, out.getvalue(), err.getvalue())
