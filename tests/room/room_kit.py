"""Helpers for the room tests: a group session on the fixture scenario, a room server on
a free loopback port, and students (each an aiohttp client with its own cookie jar)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from roleplay.core.facilitation import Facilitation, FacilitationSettings
from roleplay.core.loader import load_scenario
from roleplay.core.models import Scenario
from roleplay.room.options import RoomOptions
from roleplay.room.server import RoomServer

GROUP = Path(__file__).resolve().parent.parent / "tui" / "data" / "group.yaml"


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def group_scenario(path: Path = GROUP) -> Scenario:
    return load_scenario(path).scenario


def group_session(scenario: Scenario | None = None) -> Facilitation:
    return Facilitation(scenario or group_scenario(), FacilitationSettings())


@asynccontextmanager
async def running_room(
    session: Facilitation | None = None, **kwargs: Any
) -> AsyncIterator[RoomServer]:
    """A started room on a free loopback port, stopped afterwards."""
    options = RoomOptions(port=0, class_size=kwargs.pop("class_size", 30))
    server = RoomServer(session or group_session(), options, **kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class Student:
    """One device: its own cookie jar, talking to the room as a phone's browser would."""

    def __init__(self, room: RoomServer) -> None:
        self.room = room
        self.base = room.student_url
        self.origin = self.base.split("/", 3)[:3]
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    @property
    def origin_header(self) -> dict[str, str]:
        return {"Origin": "/".join(self.origin), "Accept": "application/json"}

    async def join(self) -> str:
        async with self.http.get(self.base) as answer:
            assert answer.status == 200, await answer.text()
            return await answer.text()

    async def state(self) -> dict[str, Any]:
        async with self.http.get(self.base + "state") as answer:
            assert answer.status == 200
            view: dict[str, Any] = await answer.json()
            return view

    async def vote(self, letter: str, moment: int, round_number: int) -> tuple[int, Any]:
        data = {"letter": letter, "moment": str(moment), "round": str(round_number)}
        async with self.http.post(
            self.base + "vote", data=data, headers=self.origin_header
        ) as answer:
            return answer.status, await answer.json()

    async def answer(self, text: str, moment: int) -> tuple[int, Any]:
        data = {"text": text, "moment": str(moment)}
        async with self.http.post(
            self.base + "answer", data=data, headers=self.origin_header
        ) as answer:
            return answer.status, await answer.json()

    async def close(self) -> None:
        await self.http.close()
