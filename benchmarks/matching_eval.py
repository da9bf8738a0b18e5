"""How well typed replies are matched: the evaluation behind docs/matching.md.

Reads benchmarks/matching/replies.yaml: replies to the bundled scenarios written as students
type them by someone who never saw the options' `examples`, each naming the option it means
(or `null` when it does something no option does) and its kind:

- ``plain``: an ordinary reply to one option;
- ``hard``: shares no content word with its option's text;
- ``twin``: another option's words with this option's stance;
- ``off``: matches no option (``option: null``).

For each matcher configuration it reports top-1 and top-2 (the intended option first / in
the first two of the ranking), wrongly-null (an on-option reply given no proposal),
off-option null (an off-option reply given no proposal), the p95 time per reply and the
load time, on the whole set and on the hard replies (``hard`` and ``twin``), beside a naive
baseline: word overlap between the reply and the option text.

Run: ``python benchmarks/matching_eval.py [--json]``. Each configuration is run in a fresh
process so load times are honest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPLIES = ROOT / "benchmarks" / "matching" / "replies.yaml"
CONFIGS = ("meaning+examples", "meaning", "words+examples", "words", "overlap")


def _overlap_rank(reply: str, options: list[tuple[str, str]]) -> list[tuple[str, float]]:
    from roleplay.core.matching.text import content_stems

    mine = set(content_stems(reply))
    scored = []
    for oid, text in options:
        theirs = set(content_stems(text))
        union = mine | theirs
        scored.append((oid, len(mine & theirs) / len(union) if union else 0.0))
    return sorted(scored, key=lambda p: (-p[1], p[0]))


def run_config(config: str, replies_path: Path) -> dict[str, Any]:
    """Evaluate one configuration in this process (called in a fresh interpreter)."""
    import yaml

    from roleplay.core.loader import load_scenario
    from roleplay.core.matching import Candidate, Matcher
    from roleplay.core.matching.semantic import default_embedder

    entries = yaml.safe_load(replies_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    matcher: Matcher | None = None
    if config != "overlap":
        matcher = Matcher(default_embedder() if config.startswith("meaning") else None)
    load = time.perf_counter() - started
    with_examples = config.endswith("+examples")
    scenarios: dict[str, Any] = {}
    results = []
    times = []
    for entry in entries:
        sid = entry["scenario"]
        if sid not in scenarios:
            scenarios[sid] = load_scenario(ROOT / "scenarios" / f"{sid}.yaml").scenario
        node = next((n for n in scenarios[sid].decision_points() if n.id == entry["node"]), None)
        if node is None:
            continue  # the scenario changed under the set: reported as skipped
        options = [(o.id or str(i), o) for i, o in enumerate(node.options, start=1)]
        if entry["option"] is not None and entry["option"] not in {oid for oid, _ in options}:
            continue
        t = time.perf_counter()
        if matcher is None:
            ranked = _overlap_rank(entry["text"], [(oid, o.text) for oid, o in options])
            ids = [oid for oid, _ in ranked]
            proposed: str | None = ids[0] if ranked[0][1] > 0 else None
        else:
            cands = [
                Candidate(oid, o.text, tuple(o.examples) if with_examples else ())
                for oid, o in options
            ]
            match = matcher.match(entry["text"], cands)
            ids = [r.option for r in match.ranked]
            proposed = match.match
        times.append(time.perf_counter() - t)
        results.append((entry, ids, proposed))
    by_scenario: dict[str, list[tuple[dict[str, Any], list[str], str | None]]] = {}
    for row in results:
        by_scenario.setdefault(row[0]["scenario"], []).append(row)
    return {
        "config": config,
        "load": load,
        "times": times,
        "results": _score(results),
        "scenarios": {sid: _score(rows)["all"] for sid, rows in sorted(by_scenario.items())},
    }


def _score(results: list[tuple[dict[str, Any], list[str], str | None]]) -> dict[str, Any]:
    def rates(rows: list[tuple[dict[str, Any], list[str], str | None]]) -> dict[str, Any]:
        on = [r for r in rows if r[0]["option"] is not None]
        off = [r for r in rows if r[0]["option"] is None]
        n = max(len(on), 1)
        return {
            "on": len(on),
            "off": len(off),
            "top1": sum(ids[0] == e["option"] for e, ids, _ in on) / n,
            "top2": sum(e["option"] in ids[:2] for e, ids, _ in on) / n,
            "wrongly_null": sum(p is None for _, _, p in on) / n,
            "off_null": (sum(p is None for _, _, p in off) / len(off)) if off else None,
        }

    hard = [r for r in results if r[0].get("kind") in ("hard", "twin")]
    return {"all": rates(results), "hard": rates(hard)}


def child(config: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", config],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}%"


def report(rows: list[dict[str, Any]]) -> str:
    out = [
        f"matching: {REPLIES.relative_to(ROOT)}",
        f"{'configuration':<18} {'set':<5} {'n':>4} {'top-1':>7} {'top-2':>7} "
        f"{'w-null':>7} {'off-null':>8} {'p95 ms':>7} {'load s':>7}",
    ]
    for row in rows:
        p95 = statistics.quantiles(row["times"], n=20)[-1] * 1000 if len(row["times"]) > 1 else 0
        for part in ("all", "hard"):
            r = row["results"][part]
            out.append(
                f"{row['config']:<18} {part:<5} {r['on'] + r['off']:>4} {_pct(r['top1']):>7} "
                f"{_pct(r['top2']):>7} {_pct(r['wrongly_null']):>7} {_pct(r['off_null']):>8} "
                f"{p95:>7.2f} {row['load']:>7.3f}"
            )
    return "\n".join(out)


def report_by_scenario(rows: list[dict[str, Any]]) -> str:
    """Top-1, top-2 and null rates per scenario, for each configuration."""
    out = [
        f"{'configuration':<18} {'scenario':<30} {'n':>4} {'top-1':>7} {'top-2':>7} "
        f"{'w-null':>7} {'off-null':>8}"
    ]
    for row in rows:
        for sid, r in row["scenarios"].items():
            out.append(
                f"{row['config']:<18} {sid:<30} {r['on'] + r['off']:>4} {_pct(r['top1']):>7} "
                f"{_pct(r['top2']):>7} {_pct(r['wrongly_null']):>7} {_pct(r['off_null']):>8}"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=CONFIGS)
    parser.add_argument("--configs", nargs="*", choices=CONFIGS, default=list(CONFIGS))
    parser.add_argument("--by-scenario", action="store_true", help="also report each scenario")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_config(args.child, REPLIES)))
        return 0
    rows = [child(c) for c in args.configs]
    if args.json:
        print(json.dumps(rows))
    else:
        print(report(rows))
        if args.by_scenario:
            print(report_by_scenario(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
