"""Problems found in a scenario file, each tied to a file, line and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from roleplay.core.safetext import clean


class Severity(StrEnum):
    """An error stops a scenario being played; a warning does not (unless ``--strict``)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, printed as ``PATH:LINE:COL: severity: message [code]``.

    Lines and columns count from 1, as editors show them. The message may quote the file
    (an unknown key, a bad value), so the printed form is cleaned (``core.safetext``);
    ``to_json`` keeps every string exact.
    """

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str

    def __str__(self) -> str:
        path, message = clean(self.path, newlines=False), clean(self.message, newlines=False)
        return f"{path}:{self.line}:{self.column}: {self.severity.value}: {message} [{self.code}]"

    def to_json(self) -> dict[str, object]:
        """A plain dict for ``--format json``."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class ScenarioError(Exception):
    """A scenario file cannot be used; carries every error found (at least one)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        if not diagnostics:
            raise ValueError("ScenarioError needs at least one diagnostic")
        self.diagnostics = diagnostics
        super().__init__(str(diagnostics[0]))

    @property
    def first(self) -> Diagnostic:
        """The first error, for one-line summaries."""
        return self.diagnostics[0]


def error(path: Path | str, line: int, column: int, message: str, code: str) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(str(path), line, column, Severity.ERROR, message, code)


def warning(path: Path | str, line: int, column: int, message: str, code: str) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(str(path), line, column, Severity.WARNING, message, code)
