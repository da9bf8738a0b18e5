"""A large history database for timing exports: thousands of attempts of ~14 steps each.

The attempts are at the bundled scenarios, through their real decision points and options,
as a learner's history is: an export then loads those scenarios to name each decision's
strongest option, which a history of unknown scenarios would skip. The schema is made by
roleplay's own store (so it is always current); the rows are then written in one
transaction, far faster than committing each step as the app does.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml

from roleplay.store import FeedbackTiming, Store

RATINGS = ("builds-trust", "partly-helpful", "missed-opportunity", "harmful")
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

Decision = tuple[str, list[tuple[str, str]]]
"""A decision point: its node id, and (option id, text) of each of its options."""


def bundled() -> list[tuple[str, str, list[Decision]]]:
    """(id, path, decision points) of each bundled scenario, read with libYAML."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=loader)  # a safe loader
        decisions = [
            (
                str(node["id"]),
                [
                    (str(option.get("id") or index + 1), str(option["text"]))
                    for index, option in enumerate(node["options"])
                ],
            )
            for node in data["nodes"]
            if node.get("options")
        ]
        found.append((str(data["id"]), str(path), decisions))
    return found


def make_history(data_dir: Path, attempts: int, steps: int = 14) -> Path:
    """Write ``attempts`` finished attempts of ``steps`` choices (and a rewind every few)."""
    store = Store(data_dir)
    store.start_attempt(
        scenario_id="warm-up",
        scenario_path="x.yaml",
        scenario_digest="0",
        scenario_version="1",
        feedback_timing=FeedbackTiming.IMMEDIATE,
        write_first=False,
    )
    path = store.path
    store.close()
    library = bundled()
    db = sqlite3.connect(path)
    with db:
        db.execute("DELETE FROM attempts")
        for attempt in range(1, attempts + 1):
            scenario_id, scenario_path, decisions = library[attempt % len(library)]
            rows = []
            for seq in range(steps):
                kind = "rewind" if seq % 7 == 6 else "choose"
                node_id, options = decisions[seq % len(decisions)]
                option_id, option_text = options[(attempt + seq) % len(options)]
                rows.append(
                    (
                        attempt,
                        seq,
                        kind,
                        node_id,
                        option_id,
                        "What I would say first, in my own words." if attempt % 3 == 0 else None,
                        50,
                        53,
                        json.dumps(["asked-name"] if seq > 3 else []),
                        json.dumps({"name-missed": "open"} if seq > 5 else {}),
                        int(seq > 7),
                        RATINGS[seq % 4],
                        "2026-11-24T10:05:00+00:00",
                        option_text,
                        seq - 2 if kind == "rewind" else None,
                    )
                )
            # The attempt's score is the trust after its last first try (as Store keeps it).
            score = next((r[7] for r in reversed(rows) if r[2] == "choose" and not r[10]), None)
            db.execute(
                "INSERT INTO attempts (id, scenario_id, scenario_path, scenario_digest, "
                "scenario_version, feedback_timing, write_first, started_at, finished_at, "
                "ending_id, final_trust, score) "
                "VALUES (?, ?, ?, ?, '1', 'immediate', ?, ?, ?, ?, ?, ?)",
                (
                    attempt,
                    scenario_id,
                    scenario_path,
                    "ab" * 32,
                    attempt % 3 == 0,
                    "2026-11-24T10:00:00+00:00",
                    "2026-11-24T10:20:00+00:00",
                    "good" if attempt % 2 else "strained",
                    40 + attempt % 50,
                    score,
                ),
            )
            db.executemany(
                "INSERT INTO steps (attempt_id, seq, kind, node_id, option_id, own_words, "
                "trust_before, trust_after, flags, ruptures, exploration, rating, at, "
                "option_text, rewind_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    db.close()
    return path
