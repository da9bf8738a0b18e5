"""Every step of every attempt as rows, for trainers: CSV or JSON, streamed from one query.

Kept apart from ``session.export`` (the one-attempt records, which need the scenario models
and the debrief) so that ``roleplay export --all`` imports only the store and the text
cleaning: on a history of thousands of attempts the rows are most of the work, and the
models were a fifth of it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from roleplay.core.safetext import csv_cell, json_text

if TYPE_CHECKING:
    from roleplay.core.models import Scenario
    from roleplay.store import Store

STEP_COLUMNS = (
    "attempt_id",
    "scenario_id",
    "started_at",
    "finished_at",
    "ending_id",
    "final_trust",
    "seq",
    "decision",
    "node_id",
    "option_id",
    "option_text",
    "own_words",
    "strongest_option_id",
    "strongest_option_text",
    "rating",
    "trust_before",
    "trust_after",
    "exploration",
    "at",
)


Strongest = Callable[[str, str], tuple[str, str] | None]
"""(scenario id, node id) -> (option id, text) of the strongest option there, if known."""


def strongest_by_node(scenarios: Iterable[Scenario]) -> Strongest:
    """For exports of many attempts: the strongest option each decision point can offer
    (``core.summary.strongest_options``; a later scenario of the same id wins)."""
    from roleplay.core.summary import strongest_options

    best: dict[tuple[str, str], tuple[str, str]] = {}
    for scenario in scenarios:
        for node, pick in strongest_options(scenario).items():
            best[(scenario.id, node)] = pick
    return lambda scenario_id, node_id: best.get((scenario_id, node_id))


def iter_step_rows(store: Store, strongest: Strongest | None = None) -> Iterator[dict[str, object]]:
    """The rows of ``session.export.step_rows`` for every attempt, built one at a time from
    one query as they are consumed (an export of thousands of attempts never holds them
    all)."""
    current: object = None
    order = scored = 0
    for (
        attempt_id,
        scenario_id,
        started_at,
        finished_at,
        ending_id,
        final_trust,
        _seq,
        node_id,
        option_id,
        option_text,
        own_words,
        rating,
        trust_before,
        trust_after,
        exploration,
        at,
    ) in store.choice_rows():
        # Rows come attempt by attempt, in order: number them as ``step_rows`` does.
        if attempt_id != current:
            current, order, scored = attempt_id, 0, 0
        explored = bool(exploration)
        order += 1
        if not explored:
            scored += 1
        best = strongest(scenario_id, node_id) if strongest else None
        yield {
            "attempt_id": attempt_id,
            "scenario_id": scenario_id,
            "started_at": started_at,
            "finished_at": finished_at,
            "ending_id": ending_id,
            "final_trust": final_trust,
            # seq: the choice's place among the attempt's choices (no gaps where rewinds
            # were); decision: the scored step's number, blank for an exploration after
            # going back (the one rule of review.tries).
            "seq": order,
            "decision": None if explored else scored,
            "node_id": node_id,
            "option_id": option_id,
            "option_text": option_text,
            "own_words": own_words,
            "strongest_option_id": best[0] if best else None,
            "strongest_option_text": best[1] if best else None,
            "rating": rating,
            "trust_before": trust_before,
            "trust_after": trust_after,
            "exploration": explored,
            "at": at,
        }


_CELL_MEMO = 4096
"""How many cleaned cells a CSV export remembers at once."""


class _Cells(dict[Any, Any]):
    """Each cell's text as a CSV export writes it, remembered: most cells repeat (ids,
    ratings, dates, option texts), so each is cleaned once. ``cells[value]`` is a lookup in
    C for a text seen before. Bounded, so that memory stays flat however many rows go out."""

    def __init__(self) -> None:
        super().__init__()
        self[None] = None

    def __missing__(self, value: object) -> object:
        if len(self) >= _CELL_MEMO:
            self.clear()  # start afresh rather than grow
            self[None] = None
        if not isinstance(value, str):
            # A number goes out as it is, and is not remembered: 1, 1.0 and True are equal
            # keys, but csv writes them differently.
            return value
        # Text is cleaned, and one a spreadsheet would read as a formula is neutralised
        # (``core.safetext.csv_cell``).
        cell = self[value] = csv_cell(value)
        return cell


def write_rows_csv(rows: Iterable[dict[str, object]], out: TextIO) -> int:
    """Write rows to ``out`` as CSV with a header, one at a time; how many rows. Text cells
    are cleaned, and one that a spreadsheet would read as a formula (``=``, ``+``, ``-``,
    ``@``, tab, CR first) gets a leading ``'`` (``core.safetext.csv_cell``); numbers stay
    numbers."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STEP_COLUMNS)
    cells = _Cells()
    count = 0
    for row in rows:
        line = [row[key] for key in STEP_COLUMNS]
        writer.writerow([cells[value] if isinstance(value, str) else value for value in line])
        count += 1
    return count


def write_choices_csv(store: Store, out: TextIO, strongest: Strongest | None = None) -> int:
    """``write_rows_csv(iter_step_rows(store, strongest), out)``, the same text, with less
    work per row (an export of 10,000 attempts writes 120,000 rows): each distinct cell is
    cleaned and CSV-encoded once (by ``csv.writer`` itself, so the text is the same), each
    attempt's own cells are joined once, and each row is one string, written in batches.
    How many rows."""
    cells = _Encoded()
    out.write(",".join(cells[name] for name in STEP_COLUMNS) + "\n")
    best_cells: dict[tuple[object, object], str] = {}
    unknown = ","
    current: object = None
    head = ""
    order = scored = count = 0
    batch: list[str] = []
    for (
        attempt_id,
        scenario_id,
        started_at,
        finished_at,
        ending_id,
        final_trust,
        _seq,
        node_id,
        option_id,
        option_text,
        own_words,
        rating,
        trust_before,
        trust_after,
        exploration,
        at,
    ) in store.choice_rows():
        if attempt_id != current:  # rows come attempt by attempt, in order
            current, order, scored = attempt_id, 0, 0
            head = ",".join(
                (
                    cells.number(attempt_id),
                    cells[scenario_id],
                    cells[started_at],
                    cells[finished_at],
                    cells[ending_id],
                    cells.number(final_trust),
                )
            )
        order += 1
        count += 1
        if strongest is None:
            best = unknown
        else:
            key = (scenario_id, node_id)
            found = best_cells.get(key)
            if found is None:
                if len(best_cells) >= _CELL_MEMO:
                    best_cells.clear()  # bounded, as the cells are
                known = strongest(scenario_id, node_id)
                found = best_cells[key] = (
                    f"{cells[known[0]]},{cells[known[1]]}" if known else unknown
                )
            best = found
        if exploration:
            decision, explored = "", "True"
        else:
            scored += 1
            decision, explored = str(scored), "False"
        batch.append(
            f"{head},{order},{decision},{cells[node_id]},{cells[option_id]},"
            f"{cells[option_text]},{cells[own_words]},{best},{cells[rating]},"
            f"{cells.number(trust_before)},{cells.number(trust_after)},{explored},{cells[at]}\n"
        )
        if len(batch) >= _BATCH:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
    return count


_BATCH = 256
"""Rows joined into one write."""


class _Encoded(dict[Any, str]):
    """Each cell as ``write_rows_csv`` writes it between commas: text cleaned
    (``core.safetext.csv_cell``), then quoted as ``csv.writer`` quotes it; None empty.
    Text is remembered (bounded, as ``_Cells`` is); anything else is encoded each time."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self[None] = ""

    def __missing__(self, value: object) -> str:
        if not isinstance(value, str):
            # Not remembered: 1, 1.0 and True are equal keys, but csv writes them apart
            # (a hand-edited database can hold a number or bytes where text was written).
            return self._encode(value)
        if len(self) >= _CELL_MEMO:
            self.clear()  # start afresh rather than grow
            self[None] = ""
        cell = self[value] = self._encode(csv_cell(value))
        return cell

    def number(self, value: object) -> str:
        """A cell that is almost always an integer (as ``csv`` writes one: ``str``)."""
        return str(value) if type(value) is int else self[value]

    def _encode(self, value: object) -> str:
        """``value`` as ``csv.writer`` writes it as one of several cells: the cell is
        written with an empty one after it, which adds only the comma (a lone empty cell
        would be quoted), and read back."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow((value, None))
        return self._buffer.getvalue()[:-2]


def write_rows_json(rows: Iterable[dict[str, object]], out: TextIO) -> int:
    """Write rows to ``out`` as one JSON array, a row at a time (the same text ``json_text``
    makes of the whole list): every text exact, control characters escaped. How many rows."""
    count = 0
    for row in rows:
        out.write(",\n" if count else "[\n")
        # Newlines occur only between tokens (the encoder escapes them inside strings), so
        # indenting each line nests the object in the array exactly as one dump would.
        out.write("\n".join("  " + line for line in json_text(row).split("\n")))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def rows_csv(rows: Iterable[dict[str, object]]) -> str:
    """Rows as CSV text with a header (see ``write_rows_csv``)."""
    buffer = io.StringIO()
    write_rows_csv(rows, buffer)
    return buffer.getvalue()


def rows_json(rows: Iterable[dict[str, object]]) -> str:
    """Rows as a JSON array: every text exact, control characters escaped by the encoder."""
    buffer = io.StringIO()
    write_rows_json(rows, buffer)
    return buffer.getvalue()
