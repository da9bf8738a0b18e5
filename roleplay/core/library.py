"""The scenario library: every scenario file in the bundled, user and extra folders.

A file that fails validation is kept in the library as broken, with its diagnostics, so a
front end can list it with its first error instead of failing.

``scan`` keeps each scenario (or, for checking, only its id); ``summarise`` keeps only each
scenario's ``Summary`` (what a list shows) and reads unchanged files from a private cache:
``Entry.load`` loads the full scenario when it is opened. ``check_each`` yields each file's
entry as it is checked, for a caller that reports and drops it (``validate``). Importing
this module loads no scenario models: the app's first frame does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.core.diagnostics import Diagnostic, Severity, error
from roleplay.core.gcpause import collector_paused
from roleplay.core.locations import bundled_scenarios_dir, extra_scenario_dirs
from roleplay.core.summary import (
    Cached,
    Picks,
    Summary,
    SummaryCache,
    file_key,
    strongest_options,
    summary_of,
)

if TYPE_CHECKING:
    from roleplay.core.loader import LoadedScenario

SUFFIXES = (".yaml", ".yml")


@dataclass
class Entry:
    """One scenario file in the library, valid or not."""

    path: Path
    loaded: LoadedScenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    valid_id: str | None = None
    """The id of a valid scenario that was checked but not kept (``scan(keep=False)``)."""
    summary: Summary | None = None
    """What a list shows of a valid scenario not kept (``summarise``)."""

    @property
    def ok(self) -> bool:
        """Whether the scenario can be played."""
        return (self.loaded is not None or self.valid_id is not None) and not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors found (warnings left out)."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def id(self) -> str:
        """The scenario id, or the file name for a broken file."""
        if self.loaded is not None:
            return self.loaded.scenario.id
        if self.summary is not None:
            return self.summary.id
        return self.valid_id or self.path.stem

    @property
    def about(self) -> Summary | None:
        """What a list shows of a playable entry (None for a broken one)."""
        if not self.ok:
            return None
        if self.summary is None and self.loaded is not None:
            self.summary = summary_of(self.loaded.scenario, self.loaded.id_position)
        return self.summary

    def load(self) -> LoadedScenario | None:
        """The full scenario of a playable entry: kept, or read from its file now.

        A file that has become broken since it was listed gets its new diagnostics (so the
        front end shows what is wrong now) and None is returned."""
        if self.loaded is not None or not self.ok:
            return self.loaded if self.ok else None
        from roleplay.core.loader import check_file

        loaded, diagnostics = check_file(self.path)
        if loaded is None:
            self.diagnostics = diagnostics or [
                error(self.path, 1, 1, "cannot be loaded", "unreadable")
            ]
            self.summary = None
            return None
        return loaded


def loaded_by_id(entries: Iterable[Entry], scenario_id: str) -> LoadedScenario | None:
    """The playable scenario with this id, loaded (if it is not already kept)."""
    for entry in entries:
        if entry.ok and entry.id == scenario_id:
            return entry.load()
    return None


def default_dirs(extra: Sequence[Path] = (), user_dir: Path | None = None) -> list[Path]:
    """Bundled folder, the user's folder, ``$ROLEPLAY_SCENARIOS``, then ``extra``, deduplicated."""
    # Implicit folders that do not exist are skipped; folders the user named are kept so
    # that a mistyped path shows up as an error rather than an empty library.
    implicit = [bundled_scenarios_dir(), *([user_dir] if user_dir else [])]
    candidates = [path for path in implicit if path.is_dir()]
    candidates.extend(extra_scenario_dirs())
    candidates.extend(extra)
    seen: list[Path] = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved not in seen:
            seen.append(resolved)
    return seen


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """Scenario files named directly or found (not recursively) in folders, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def scan(paths: Iterable[Path], *, keep: bool = True) -> list[Entry]:
    """Load every scenario file; later files reusing an id are marked broken.

    With ``keep=False`` (checking, as ``validate`` does) a valid scenario is dropped once
    checked, its id kept in ``Entry.valid_id``: memory stays flat however large the library.
    A kept library is frozen out of the collector's walks (``collector_paused``).
    """
    with collector_paused(keep_built=keep):
        return _scan(paths, keep)


def check_each(paths: Iterable[Path]) -> Iterator[Entry]:
    """The entries of ``scan(paths, keep=False)``, each yielded as soon as its file is
    checked. Nothing of an entry is kept here (only each id's first file, to mark later
    duplicates), so a caller that reports each entry and drops it stays flat in memory
    however large the library (``validate``)."""
    entries = _iter_scan(paths, keep=False)
    while True:
        # Paused while a file is checked, not across the yields: the caller's work between
        # files runs with the collector as the caller had it.
        with collector_paused():
            entry = next(entries, None)
        if entry is None:
            return
        yield entry


def summarise(
    paths: Iterable[Path],
    cache_dir: Path | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> list[Entry]:
    """Check every scenario file as ``scan`` does, keeping only each one's summary.

    Files unchanged since the last scan with the same ``cache_dir`` (the data folder) are
    not read again: their summary or diagnostics come from the cache (see
    ``roleplay.core.summary``). Memory stays flat however large the library. ``progress``
    is told (files done, files in all) before each file and once all are done."""
    cache = SummaryCache(cache_dir)
    with collector_paused():
        entries = _scan(paths, keep=False, cache=cache, progress=progress)
    cache.save()
    return entries


def summarise_cached(paths: Iterable[Path], cache_dir: Path | None) -> list[Entry] | None:
    """What ``summarise`` would return, if every file is in the cache unchanged (reading
    no scenario file, so cheap enough to do before the first frame); else None."""
    cache = SummaryCache(cache_dir)
    if not cache.files:
        return None
    for path in scenario_files(paths):
        if not path.is_file() or cache.get(path, file_key(path)) is None:
            return None
    return _scan(paths, keep=False, cache=cache)


def _check(path: Path, keep: bool, cache: SummaryCache | None) -> Entry:
    """One file as an entry: loaded (``keep``), or its summary (cache given), or its id."""
    key = file_key(path) if cache is not None else None
    if cache is not None:
        cached = cache.get(path, key)
        if cached is not None:
            summary = cached.summary
            return Entry(
                path,
                None,
                list(cached.diagnostics),
                valid_id=summary.id if summary else None,
                summary=summary,
            )
    # Imported only now: a library answered from the cache needs no scenario models.
    from roleplay.core.loader import check_file

    loaded, diagnostics = check_file(path)
    if loaded is None or keep:
        entry = Entry(path=path, loaded=loaded, diagnostics=diagnostics)
    elif cache is not None:
        summary = summary_of(loaded.scenario, loaded.id_position)
        entry = Entry(path, None, diagnostics, valid_id=summary.id, summary=summary)
    else:
        entry = Entry(path, None, diagnostics, valid_id=loaded.scenario.id)
    if cache is not None:
        picks = strongest_options(loaded.scenario) if loaded is not None else None
        cache.put(path, key, entry.summary, list(diagnostics), picks)
    return entry


def _id_position(entry: Entry) -> tuple[int, int]:
    if entry.loaded is not None:
        return entry.loaded.id_position
    return entry.summary.id_position if entry.summary is not None else (1, 1)


def _scan(
    paths: Iterable[Path],
    keep: bool,
    cache: SummaryCache | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> list[Entry]:
    return list(_iter_scan(paths, keep, cache, progress))


def _iter_scan(
    paths: Iterable[Path],
    keep: bool,
    cache: SummaryCache | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> Iterator[Entry]:
    owners: dict[str, Path] = {}
    files = scenario_files(paths)
    for done, path in enumerate(files):
        if progress is not None:
            progress(done, len(files))
        if path.exists() and not path.is_file():
            # A pipe or device named as a scenario would be read until it ends, perhaps never.
            message = "not a regular file: a scenario must be a .yaml file"
            yield Entry(path, None, [error(path, 1, 1, message, "not-a-file")])
            continue
        entry = _check(path, keep, cache)
        if entry.loaded is not None or entry.valid_id is not None:
            scenario_id = entry.id
            if scenario_id in owners and owners[scenario_id] != path:
                line, column = _id_position(entry)
                entry.diagnostics.insert(
                    0,
                    error(
                        path,
                        line,
                        column,
                        f"scenario id '{scenario_id}' is already used by {owners[scenario_id]}; "
                        "give this scenario its own id",
                        "duplicate-scenario",
                    ),
                )
            else:
                owners[scenario_id] = path
        yield entry
    if progress is not None:
        progress(len(files), len(files))


def load_named(
    paths: Iterable[Path], wanted: set[str], cache_dir: Path | None = None
) -> list[LoadedScenario]:
    """The valid scenarios whose ids are in ``wanted``, in library order, as ``scan`` would
    load them, without loading or linting the others: each file's id comes from the summary
    cache or a quick libYAML read, and only files with a wanted id are checked in full.

    For the history commands, which need only the scenarios that appear in the attempts."""
    if not wanted:
        return []
    found: list[LoadedScenario] = []
    for path, _, _ in _maybe_wanted(paths, wanted, SummaryCache(cache_dir)):
        # Imported only once a file is wanted: the models are a fifth of an export's time
        # when no library file holds a scenario the history names.
        from roleplay.core.loader import check_file

        loaded, _ = check_file(path)
        if loaded is not None and loaded.scenario.id in wanted:
            found.append(loaded)
    return found


def strongest_named(
    paths: Iterable[Path], wanted: set[str], cache_dir: Path | None = None
) -> dict[tuple[str, str], tuple[str, str]]:
    """(scenario id, decision point id) -> (option id, text) of the strongest option there,
    for the valid scenarios whose ids are in ``wanted`` (a later file of the same id wins,
    as it did when they were loaded): what ``export --all`` needs of the library.

    A file whose strongest options are in the summary cache, unchanged, is not read; any
    other wanted file is checked in full, and its summary and options are cached (in a
    data folder that exists) so that the next export reads none of them."""
    if not wanted:
        return {}
    cache = SummaryCache(cache_dir)
    best: dict[tuple[str, str], tuple[str, str]] = {}
    for path, key, cached in _maybe_wanted(paths, wanted, cache):
        if cached is not None and cached.summary is not None and cached.strongest is not None:
            _add_picks(best, cached.summary.id, cached.strongest)
            continue
        from roleplay.core.loader import check_file

        loaded, diagnostics = check_file(path)
        if loaded is None:
            cache.put(path, key, None, list(diagnostics))
            continue
        picks = strongest_options(loaded.scenario)
        summary = summary_of(loaded.scenario, loaded.id_position)
        cache.put(path, key, summary, list(diagnostics), picks)
        if loaded.scenario.id in wanted:
            _add_picks(best, loaded.scenario.id, picks)
    cache.save()
    return best


def _maybe_wanted(
    paths: Iterable[Path], wanted: set[str], cache: SummaryCache
) -> Iterator[tuple[Path, list[int] | None, Cached | None]]:
    """Each library file that may hold a wanted scenario, with its key and what the cache
    holds of it unchanged (None if nothing): a file the cache knows to be broken or not
    wanted, or whose id a quick read shows not wanted, is skipped (a full check would not
    change that)."""
    for path in scenario_files(paths):
        if not path.is_file():
            continue
        key = file_key(path)
        cached = cache.get(path, key)
        if cached is not None:
            if cached.summary is None or cached.summary.id not in wanted:
                continue
        elif _peek_id(path) not in wanted:
            continue
        yield path, key, cached


def _add_picks(best: dict[tuple[str, str], tuple[str, str]], scenario: str, picks: Picks) -> None:
    for node, pick in picks.items():
        best[(scenario, node)] = pick


def _peek_id(path: Path) -> str | None:
    """A scenario file's top-level id, read quickly: libYAML's events up to the ``id`` key's
    value, no Python objects built (None if it cannot be read or is not plain text)."""
    import yaml

    depth = 0
    expect_value = False
    is_key = False
    try:
        with path.open("rb") as handle:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            for event in yaml.parse(handle, Loader=loader):
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    if expect_value:
                        return None  # the id is not a scalar
                    depth += 1
                    is_key = depth == 1 and isinstance(event, yaml.MappingStartEvent)
                    continue
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
                    is_key = depth == 1  # a nested value ended: a top-level key is next
                    continue
                if depth != 1:
                    continue
                if expect_value:
                    return event.value if isinstance(event, yaml.ScalarEvent) else None
                if isinstance(event, yaml.ScalarEvent):
                    if is_key and event.value == "id":
                        expect_value = True
                    is_key = not is_key
                elif isinstance(event, yaml.AliasEvent):
                    is_key = not is_key
    except (OSError, yaml.YAMLError, ValueError, RecursionError):
        return None
    return None


def find(reference: str, entries: Sequence[Entry]) -> Entry | None:
    """The entry with this scenario id, or whose file is at this path."""
    for entry in entries:
        if entry.ok and entry.id == reference:
            return entry
    for entry in entries:
        # A broken file by id (or by file name when its id could not be read), so that the
        # caller can show its errors rather than say it does not exist.
        if not entry.ok and entry.id == reference:
            return entry
    target = Path(reference)
    if target.suffix in SUFFIXES or target.exists():
        resolved = target.resolve()
        for entry in entries:
            if entry.path.resolve() == resolved:
                return entry
    return None
