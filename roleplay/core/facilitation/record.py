"""A group session as a record: saved after every step, resumed next week, exported as the
class's votes (JSON and CSV) and compared with another group's record.

One JSON shape serves all four. It holds the settings, and per moment the options as
lettered for the room, every round's counts (by option id, so two groups compare even
when a condition lettered their options differently), the facilitator's pick, what was
revealed and followed, and whether the group moved on. It never holds a name: counts only.
Resuming replays the record through the session's own moves, so a record that does not
fit the scenario (edited, or the scenario changed) is refused with a reason, never half
restored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from roleplay.core.engine import EngineError
from roleplay.core.facilitation.session import Facilitation, FacilitationSettings, Phase
from roleplay.core.facilitation.timer import Clock
from roleplay.core.facilitation.votes import Decision, FacilitationError, Round
from roleplay.core.models import Scenario
from roleplay.core.safetext import csv_cell, markdown_text

KIND = "roleplay-group-session"
VERSION = 1


class RecordError(Exception):
    """A record that cannot be read or does not fit the scenario (the message says why)."""


# -- writing ----------------------------------------------------------------------------------
def session_record(session: Facilitation, *, saved: datetime, started: datetime) -> dict[str, Any]:
    """The session as a JSON-ready record (see the module docstring)."""
    scenario = session.scenario
    settings = session.settings
    return {
        "kind": KIND,
        "version": VERSION,
        "scenario": {"id": scenario.id, "version": scenario.version, "title": scenario.title},
        "started": started.isoformat(timespec="seconds"),
        "saved": saved.isoformat(timespec="seconds"),
        "settings": {
            "thinking_seconds": settings.thinking_seconds,
            "discussion_seconds": settings.discussion_seconds,
            "split_threshold": settings.split_threshold,
            "class_size": settings.class_size,
        },
        "phase": session.phase.value,
        "moments": [_moment(number, d) for number, d in enumerate(session.decisions, start=1)],
    }


def _moment(number: int, decision: Decision) -> dict[str, Any]:
    room = decision.room_choice
    group = decision.group_turn
    return {
        "number": number,
        "node_id": decision.node_id,
        "title": decision.title,
        "options": [
            {"letter": o.letter, "option_id": o.option_id, "text": o.text} for o in decision.offered
        ],
        "rounds": [
            {
                "number": r.number,
                "locked": r.locked,
                "counts": dict(r.counts),
                "total": r.total,
                # How many of each count came from devices (counts only, never who): a
                # resumed session must not take them for hands (see ``_replay``).
                "devices": {oid: n for oid in r.option_ids if (n := r.device_count(oid))},
            }
            for r in decision.rounds
        ],
        "pick": decision.pick,
        "revealed": decision.revealed,
        "followed": decision.followed,
        "continued": decision.turn is not None,
        "room_choice": room,
        "overridden": decision.overridden,
        "group_rating": group.feedback.rating.value if group else None,
    }


# -- resuming ---------------------------------------------------------------------------------
def record_settings(record: Mapping[str, Any]) -> FacilitationSettings:
    """The settings a record was saved with."""
    data = _mapping(record.get("settings"), "settings")
    try:
        return FacilitationSettings(
            thinking_seconds=float(data.get("thinking_seconds", 60.0)),
            discussion_seconds=_optional_float(data.get("discussion_seconds")),
            split_threshold=float(data.get("split_threshold", 0.6)),
            class_size=_optional_int(data.get("class_size")),
        )
    except (TypeError, ValueError) as exc:
        raise RecordError(f"its settings are not usable: {exc}") from None


def check_record(record: object) -> Mapping[str, Any]:
    """The record as a mapping, once its kind and version are known; else RecordError."""
    data = _mapping(record, "the file")
    if data.get("kind") != KIND:
        raise RecordError("it is not a roleplay group session (no 'kind: roleplay-group-session')")
    if data.get("version") != VERSION:
        raise RecordError(f"it is version {data.get('version')!r}; this roleplay reads {VERSION}")
    _mapping(data.get("scenario"), "scenario")
    if not isinstance(data.get("moments"), list):
        raise RecordError("it has no list of moments")
    return data


def restore_session(
    scenario: Scenario,
    record: object,
    settings: FacilitationSettings | None = None,
    *,
    clock: Clock | None = None,
) -> Facilitation:
    """A session brought back to where the record left it (timers start afresh)."""
    data = check_record(record)
    saved_id = data["scenario"].get("id")
    if saved_id != scenario.id:
        raise RecordError(f"it is a session of '{saved_id}', not of '{scenario.id}'")
    saved_version = data["scenario"].get("version")
    if saved_version != scenario.version:
        raise RecordError(
            f"it was saved with version {saved_version} of the scenario; this is version "
            f"{scenario.version}, so the moments may not match"
        )
    chosen = settings or record_settings(data)
    session = Facilitation(scenario, chosen, **({"clock": clock} if clock else {}))
    moments = data["moments"]
    try:
        for index, moment in enumerate(moments, start=1):
            _replay(session, _mapping(moment, f"moment {index}"), index, last=index == len(moments))
    except (FacilitationError, EngineError, KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"it does not fit the scenario: {exc}") from None
    return session


def reopened_votes(record: object) -> int:
    """How many device votes a resumed session drops: those of the vote still open when the
    record was saved (see ``_replay``). 0 for a record that does not say."""
    try:
        moment = check_record(record)["moments"][-1]
        if moment.get("revealed"):
            return 0
        return sum(_device_counts(moment["rounds"][-1]).values())
    except (RecordError, IndexError, KeyError, TypeError, AttributeError, ValueError):
        return 0


def _device_counts(round_: object) -> dict[str, int]:
    devices = _mapping(round_, "a round").get("devices") or {}
    return {str(k): _count(v) for k, v in _mapping(devices, "a round's devices").items()}


def _replay(session: Facilitation, moment: Mapping[str, Any], index: int, *, last: bool) -> None:
    if session.phase is Phase.PREBRIEF:
        session.begin()
    decision = session.current
    if session.phase is not Phase.VOTING or decision is None:
        raise FacilitationError(f"moment {index} comes after the group moved on or ended")
    if decision.node_id != moment["node_id"]:
        raise FacilitationError(
            f"moment {index} is '{moment['node_id']}', expected here '{decision.node_id}'"
        )
    rounds = moment["rounds"]
    if not isinstance(rounds, list) or not 1 <= len(rounds) <= 2:
        raise FacilitationError(f"moment {index} needs one or two rounds")
    # The vote still open when the record was saved (not yet revealed) is reopened without
    # its device votes: the devices' keys are not kept (privacy), so a student voting again
    # could not replace their old vote and would count twice. Hands typed stay; the screen
    # asks the room to vote again (``reopened_votes``).
    reopen = last and not moment.get("revealed") and bool(_device_counts(rounds[-1]))
    for number, round_ in enumerate(rounds):
        if number:
            session.revote()
        counts = {
            decision.resolve(str(k)): _count(v)
            for k, v in _mapping(round_, "a round").get("counts", {}).items()
        }
        if reopen and number == len(rounds) - 1:
            for key, devices in _device_counts(round_).items():
                option_id = decision.resolve(key)
                counts[option_id] = max(0, counts.get(option_id, 0) - devices)
            session.set_counts(counts)
            return  # open again, so nothing was picked, revealed or followed in it
        session.set_counts(counts)
        if round_.get("locked"):
            session.lock()
    if moment.get("pick"):
        session.choose(str(moment["pick"]))
    if moment.get("revealed"):
        session.reveal()
        followed = moment.get("followed")
        if followed and followed != decision.followed:
            session.choose(str(followed))
        if moment.get("continued"):
            session.proceed()


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RecordError(f"{what} is not a JSON object")
    return value


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("the class size is a whole number")
    return value


# -- the class's votes as CSV -------------------------------------------------------------------
CSV_HEADER = (
    "moment",
    "title",
    "round",
    "letter",
    "option_id",
    "option",
    "votes",
    "percent",
    "round_total",
    "room_choice",
    "followed",
)


def votes_csv(record: Mapping[str, Any]) -> str:
    """Every round of every moment, one row per option; scenario text through csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for moment in check_record(record)["moments"]:
        ids = tuple(o["option_id"] for o in moment["options"])
        for round_ in moment["rounds"]:
            shares = Round(round_["number"], ids, dict(round_["counts"])).percentages()
            name = "first" if round_["number"] == 1 else "revote"
            for option in moment["options"]:
                oid = option["option_id"]
                writer.writerow(
                    [
                        moment["number"],
                        csv_cell(str(moment["title"])),
                        name,
                        option["letter"],
                        csv_cell(str(oid)),
                        csv_cell(str(option["text"])),
                        round_["counts"].get(oid, 0),
                        shares[oid] if round_["total"] else "",
                        round_["total"],
                        "yes" if moment["room_choice"] == oid else "",
                        "yes" if moment["followed"] == oid else "",
                    ]
                )
    return out.getvalue()


# -- comparing two groups -----------------------------------------------------------------------
@dataclass(frozen=True)
class GroupMoment:
    """One group at one moment: its final round's counts by letter, and what it chose."""

    votes: str
    """e.g. 'A 16 · B 9 · C 0'."""
    chose: str
    """The room's choice as a letter (with the facilitator's option if it differed)."""
    room_choice: str | None
    """The option id of the room's choice: letters can differ between groups when a
    condition changed the options on offer, ids do not."""


@dataclass(frozen=True)
class CompareRow:
    """One moment, as each group met it (None: that group never reached it)."""

    title: str
    first: GroupMoment | None
    second: GroupMoment | None

    @property
    def same(self) -> bool:
        """Whether both groups reached the moment and chose the same option."""
        one, two = self.first, self.second
        return one is not None and two is not None and one.room_choice == two.room_choice


def compare_records(first: object, second: object) -> list[CompareRow]:
    """Both groups' moments side by side, matched by the scenario's moment ids."""
    one, two = check_record(first), check_record(second)
    if one["scenario"].get("id") != two["scenario"].get("id"):
        raise RecordError(
            f"they are sessions of different scenarios ('{one['scenario'].get('id')}' and "
            f"'{two['scenario'].get('id')}')"
        )
    a = {m["node_id"]: m for m in one["moments"]}
    b = {m["node_id"]: m for m in two["moments"]}
    order = list(a) + [node for node in b if node not in a]
    return [
        CompareRow(
            title=str((a.get(node) or b[node])["title"]),
            first=_group_moment(a[node]) if node in a else None,
            second=_group_moment(b[node]) if node in b else None,
        )
        for node in order
    ]


def _group_moment(moment: Mapping[str, Any]) -> GroupMoment:
    letters = {o["option_id"]: o["letter"] for o in moment["options"]}
    last = moment["rounds"][-1]
    votes = " · ".join(f"{letters[oid]} {last['counts'].get(oid, 0)}" for oid in letters)
    room, followed = moment.get("room_choice"), moment.get("followed")
    chose = letters.get(room, "tie") if room else "no clear choice"
    if followed and followed != room:
        chose += f" (went on with {letters.get(followed, '?')})"
    if len(moment["rounds"]) > 1:
        votes += " (revote)"
    return GroupMoment(votes=votes, chose=chose, room_choice=room)


def compare_markdown(rows: Sequence[CompareRow], names: tuple[str, str]) -> str:
    """The comparison as a Markdown table (every cell made inert)."""

    def cell(text: str) -> str:
        return markdown_text(" ".join(text.split())).replace("|", "\\|")

    first, second = (cell(n) for n in names)
    lines = [
        f"| Moment | {first}: votes | {first}: chose | {second}: votes | {second}: chose | Same |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(rows, start=1):
        cells = [f"{number}. {cell(row.title)}"]
        for group in (row.first, row.second):
            cells += [cell(group.votes), cell(group.chose)] if group else ["not reached", ""]
        cells.append("yes" if row.same else "no")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def compare_text(rows: Sequence[CompareRow], names: tuple[str, str]) -> Iterable[str]:
    """The comparison as plain lines for a terminal (the caller cleans them for output)."""
    for number, row in enumerate(rows, start=1):
        mark = "same choice" if row.same else "different"
        yield f"{number}. {row.title} ({mark})"
        for name, group in zip(names, (row.first, row.second), strict=True):
            if group is None:
                yield f"   {name}: not reached"
            else:
                yield f"   {name}: chose {group.chose} · {group.votes}"
