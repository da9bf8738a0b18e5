"""One measurement in a fresh interpreter; prints a JSON line of what it cost.

``python benchmarks/child.py load app|floor|paused|check DIR`` loads every scenario file in
DIR, with roleplay's library scan or with the floor (libYAML and plain pydantic models),
keeping them all (``paused``: with the garbage collector off, as roleplay's scan runs), or
with ``check`` keeping none.
``python benchmarks/child.py paths KIND SIZE`` analyses a generated graph.
``python benchmarks/child.py export-floor DB OUT`` writes every step of a history database
as CSV with one JOIN streamed to ``csv.writer``: the floor for ``roleplay export --all``.

Imports happen before the clock starts; CPU is this process's own (``time.process_time``)
and memory its peak resident size.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak() -> float:
    # VmHWM, not ru_maxrss: the latter includes the benchmark's own RSS when it forked us.
    from benchmarks.stats import self_peak_mib

    return self_peak_mib()


def load(kind: str, folder: Path) -> dict[str, object]:
    files = sorted(folder.glob("*.yaml"))
    if kind == "app":
        from roleplay.core.library import scan

        wall, cpu = time.perf_counter(), time.process_time()
        entries = scan([folder])
        ok = sum(entry.ok for entry in entries)
    else:
        import gc

        from benchmarks import floor

        if kind == "paused":  # the floor as a program tuned for it would run
            gc.disable()
        wall, cpu = time.perf_counter(), time.process_time()
        if kind == "check":  # check each file and keep nothing, as a validator can
            ok = sum(floor.load(path) is not None for path in files)
        else:
            kept = [floor.load(path) for path in files]
            ok = len(kept)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if ok != len(files):
        raise SystemExit(f"only {ok} of {len(files)} files loaded")
    return {"wall": wall, "cpu": cpu, "peak": _peak(), "files": len(files)}


def paths(kind: str, size: int) -> dict[str, object]:
    import gc

    from benchmarks.graphs import BUILDERS
    from roleplay.core.models import Scenario
    from roleplay.core.paths import analyse

    scenario = Scenario.model_validate(BUILDERS[kind](size))
    before = _peak()
    # Building the graph leaves the collector's counters wherever it leaves them, and the
    # collection they make due lands inside the analysis (when it turns the collector back
    # on): a chain of 250 got a 2.4 ms second-generation pass, a quarter of its time and so
    # of the linear scale, larger sizes a 0.1-0.5 ms first-generation one. Settled first,
    # every size gets the same small one.
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    report = analyse(scenario)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "peak": _peak(),
        "before": before,
        "states": report.states,
        "paths_digits": None if report.paths is None else len(str(report.paths)),
        "trust": report.trust,
    }


def export_floor(database: Path, out: Path) -> dict[str, object]:
    import csv
    import sqlite3

    wall, cpu = time.perf_counter(), time.process_time()
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT a.id, a.scenario_id, a.started_at, a.finished_at, a.ending_id, a.final_trust, "
        "s.seq, s.node_id, s.option_id, s.option_text, s.own_words, s.rating, "
        "s.trust_before, s.trust_after, s.exploration, s.at "
        "FROM steps s JOIN attempts a ON a.id = s.attempt_id WHERE s.kind = 'choose' "
        "ORDER BY a.id, s.seq"
    )
    count = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([d[0] for d in rows.description])
        for row in rows:
            writer.writerow(row)
            count += 1
    db.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "peak": _peak(), "rows": count}


def main(argv: list[str]) -> None:
    if argv[0] == "load":
        result = load(argv[1], Path(argv[2]))
    elif argv[0] == "paths":
        result = paths(argv[1], int(argv[2]))
    else:
        result = export_floor(Path(argv[1]), Path(argv[2]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
