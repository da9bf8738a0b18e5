"""The one exception the store raises for a learner to read, and the words for what went
wrong underneath (a full disk, a read-only folder), whichever layer noticed it."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

DISK_FULL = "the disk is full: free some space"
READ_ONLY = (
    "the data folder is read-only: make it writable, or choose another folder with "
    "--data-dir (or $ROLEPLAY_HOME)"
)


class StoreError(Exception):
    """History cannot be used right now (locked by another process, unwritable folder,
    full disk)."""


def problem_words(exc: BaseException, folder: Path | None = None) -> str:
    """What a failed read or write ran into, in words a learner can act on.

    SQLite reports a full disk as a plain I/O error when it cannot grow a file it maps
    (opening a database in WAL mode makes its shared-memory file): given the data
    ``folder``, an I/O error where the disk has no space left is named as a full disk."""
    if folder is not None and _is_io_error(exc) and _no_space(folder):
        return DISK_FULL
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return READ_ONLY
        return exc.strerror or str(exc)
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc).lower()
        if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
            return DISK_FULL
        if primary == sqlite3.SQLITE_READONLY or "readonly" in text:
            return READ_ONLY
        if primary == sqlite3.SQLITE_IOERR:
            return f"the disk reported an error while saving ({exc})"
    return f"the database reported: {exc}"


def _no_space(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _is_io_error(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_IOERR
