"""The history commands: ``history``, ``history delete``, ``export`` and ``forget``."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from roleplay.core.library import load_named, strongest_named
from roleplay.core.safetext import clean, json_text
from roleplay.core.summary import CACHE_FILE
from roleplay.session import History, StoreNow

if TYPE_CHECKING:
    from roleplay.core.loader import LoadedScenario
    from roleplay.session import Attempt
    from roleplay.settings import Settings

# Records of one attempt, resumes and forgetting import the scenario models and more: they
# are imported by the commands that use them, so that ``export --all`` on a long history
# starts without them.


class HistoryUsageError(Exception):
    """A history command was asked for something impossible (exit 2)."""


class HistoryError(Exception):
    """A history command could not finish, e.g. its file could not be written (exit 1)."""


def scenario_for(attempt: Attempt, settings: Settings) -> LoadedScenario | None:
    """The scenario an attempt was made on: by id in the library, else at its saved path."""
    from roleplay.session.review import scenario_for as _scenario_in

    found = library_scenarios(settings, {attempt.scenario_id})
    return found.get(attempt.scenario_id) or _scenario_in(attempt, [])


def library_scenarios(settings: Settings, wanted: set[str]) -> dict[str, LoadedScenario]:
    """The library's valid scenarios with these ids (the first file of each id, as the
    library lists them), without loading the rest of the library."""
    found: dict[str, LoadedScenario] = {}
    for loaded in load_named(settings.scenario_dirs, wanted, settings.data_dir):
        found.setdefault(loaded.scenario.id, loaded)
    return found


def write_private(text: str, output: Path | None) -> None:
    """Print, or write a file only the user can read (records are sensitive)."""
    stream_private(lambda handle: handle.write(text), output)


def stream_private(write: Callable[[TextIO], object], output: Path | None) -> None:
    """Let ``write`` write to stdout, or to a file only the user can read, as it goes."""
    if output is None:
        write(sys.stdout)
        return
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise HistoryUsageError(f"cannot write {output}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            # An existing file keeps its mode otherwise. Only a regular file is the record's
            # own: a device or pipe (/dev/stdout, a FIFO) belongs to someone else.
            if stat.S_ISREG(os.fstat(descriptor).st_mode):
                os.fchmod(descriptor, 0o600)
            write(handle)
    except OSError as exc:
        raise HistoryError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)


def _confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:  # ctrl-d at the prompt is a no
        return False


def run_history_command(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch one of the history commands; returns the exit code."""
    runner = StoreNow(settings.data_dir)
    history = History(runner)
    try:
        # Opened now (if there is one), so that a damaged database is reported first.
        for notice in history.check().result():
            print(f"roleplay: {clean(notice)}", file=sys.stderr)
        if args.command == "history":
            return _history(args, history, settings)
        if args.command == "export":
            return _export(args, history, settings)
        return _forget(args, history, settings.data_dir)
    except HistoryUsageError as exc:
        print(f"roleplay: {clean(str(exc))}", file=sys.stderr)
        return 2
    except HistoryError as exc:
        print(f"roleplay: {clean(str(exc))}", file=sys.stderr)
        return 1
    finally:
        runner.close()


def _history(args: argparse.Namespace, history: History, settings: Settings) -> int:
    if args.action == "delete":
        if args.attempt is None:
            raise HistoryUsageError("say which attempt to delete: roleplay history delete N")
        attempt = history.attempt(args.attempt).result()
        if attempt is None or not history.delete(attempt).result():
            raise HistoryUsageError(f"there is no attempt {args.attempt}")
        print(f"deleted attempt {args.attempt}")
        return 0
    attempts = history.attempts().result()
    if not attempts and args.format != "json":
        print("no attempts yet")
        return 0
    scenarios = library_scenarios(settings, {a.scenario_id for a in attempts})
    counts = history.step_counts().result()
    if args.format == "json":
        listing = []
        for a in attempts:
            scored, explored = counts.get(a.saved_id(), (0, 0))
            loaded = scenarios.get(a.scenario_id)
            listing.append(
                a.saved_fields()
                | {
                    "finished": a.finished,
                    "title": loaded.scenario.title if loaded else None,
                    "ending_title": _ending_title(a, loaded),
                    "steps": scored,
                    "explorations": explored,
                }
            )
        print(json_text(listing))
        return 0
    for a in attempts:
        scored, explored = counts.get(a.saved_id(), (0, 0))
        made = f"{scored} step{'s' if scored != 1 else ''}" + (
            f" + {explored} exploration{'s' if explored != 1 else ''}" if explored else ""
        )
        if a.finished:
            ending = _ending_title(a, scenarios.get(a.scenario_id)) or "ended"
            status = f"ended “{ending}”, trust {a.final_trust}, {made}"
        else:
            status = f"unfinished, {made}"
        line = f"{a.id:>4}  {a.started_at[:16].replace('T', ' ')}  {a.scenario_id:32} {status}"
        print(clean(line, newlines=False))
    return 0


def _ending_title(attempt: Attempt, loaded: LoadedScenario | None) -> str | None:
    """The title of the ending an attempt reached, as the scenario has it now (else its id)."""
    if not attempt.ending_id:
        return None
    if loaded is not None:
        for ending in loaded.scenario.endings:
            if ending.id == attempt.ending_id:
                return ending.title
    return attempt.ending_id


def _export(args: argparse.Namespace, history: History, settings: Settings) -> int:
    if args.all:
        if args.attempt is not None:
            raise HistoryUsageError(
                f"export one attempt ({args.attempt}) or every attempt (--all), not both"
            )
        fmt = args.format or "csv"
        if fmt not in ("csv", "json"):
            raise HistoryUsageError("export --all writes csv or json")
        # Only the scenarios the attempts were made on are read, and only when the summary
        # cache does not already hold their strongest options: the rest is not linted.
        wanted = history.scenario_ids().result()
        picks = strongest_named(settings.scenario_dirs, wanted, settings.data_dir)

        def strongest(scenario_id: str, node_id: str) -> tuple[str, str] | None:
            return picks.get((scenario_id, node_id))

        # Rows go out as they are read from one query, never all held at once.
        stream_private(lambda out: history.write_rows(fmt, out, strongest).result(), args.output)
        return 0
    if args.attempt is None:
        raise HistoryUsageError("say which attempt to export (see roleplay history), or --all")
    fmt = args.format or "md"
    if fmt not in ("md", "html"):
        raise HistoryUsageError("an attempt is exported as md or html (csv and json need --all)")
    attempt = history.attempt(args.attempt).result()
    if attempt is None:
        raise HistoryUsageError(f"there is no attempt {args.attempt}")
    from roleplay.session.export import to_html, to_markdown

    record = history.record(attempt, scenario_for(attempt, settings)).result()
    write_private(to_markdown(record) if fmt == "md" else to_html(record), args.output)
    return 0


def _files_in(folder: Path) -> list[Path]:
    """The regular files directly in one of roleplay's own folders (links left alone)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    return [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()]


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _forget(args: argparse.Namespace, history: History, data_dir: Path) -> int:
    from roleplay.session.present import SESSIONS
    from roleplay.session.replies import forget_preferences

    # Records the app exported into the data folder hold the same paths and reflections,
    # and present mode's group sessions are kept beside them: "all" means all of them.
    exports_dir, sessions_dir = data_dir / "exports", data_dir / SESSIONS
    exports, sessions = _files_in(exports_dir), _files_in(sessions_dir)
    has_history = history.exists().result()
    if not has_history and not exports and not sessions:
        forget_preferences(data_dir)
        print("there is no history to forget")
        return 0
    count = len(history.attempts().result()) if has_history else 0
    parts = [_counted(count, "attempt", "attempts") + " with their reflections"] if count else []
    if exports:
        parts.append(_counted(len(exports), "exported record", "exported records"))
    if sessions:
        parts.append(_counted(len(sessions), "group-session file", "group-session files"))
    what = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if not args.yes and not sys.stdin.isatty():
        print(
            "roleplay: cannot ask for confirmation without a terminal; nothing deleted. "
            f"To delete {what}, pass --yes.",
            file=sys.stderr,
        )
        return 1
    if not args.yes and not _confirm(f"Delete {what}?"):
        print("nothing deleted (confirm at the prompt, or pass --yes)")
        return 1
    if has_history:
        history.forget_all().result()
    forget_preferences(data_dir)  # the remembered reply mode goes with the history
    # The library's summary cache holds only scenario files' paths and titles, but "all"
    # should leave no trace of what this person opened; it is rebuilt on the next start.
    (data_dir / CACHE_FILE).unlink(missing_ok=True)
    for record in (*exports, *sessions):
        record.unlink(missing_ok=True)
    where = [str(d) for d, files in ((exports_dir, exports), (sessions_dir, sessions)) if files]
    print(f"deleted {what}" + (f" (in {' and '.join(where)})" if where else ""))
    return 0
