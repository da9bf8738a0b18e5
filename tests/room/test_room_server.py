"""The room server for real, on a free loopback port: thirty students voting at once
across rounds and a revote (every vote counted once, counts exact at the lock), free-text
answers held for the facilitator, and everything a stranger or a flood tries refused."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from room_kit import GROUP, FakeClock, Student, group_scenario, group_session, running_room

from roleplay.core.facilitation import Phase
from roleplay.room.limits import CodeGate
from roleplay.room.server import RoomServer

STUDENTS = 30


async def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, headers=headers or {}, allow_redirects=False) as answer,
    ):
        return answer.status, await answer.text()


async def _post(url: str, data: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=data, headers=headers, allow_redirects=False) as answer,
    ):
        return answer.status, await answer.text()


def _origin(url: str) -> str:
    return "/".join(url.split("/", 3)[:3])


async def test_thirty_students_vote_across_rounds_and_a_revote() -> None:
    session = group_session()
    async with running_room(session) as room:
        students = [Student(room) for _ in range(STUDENTS)]
        try:
            await asyncio.gather(*(s.join() for s in students))
            assert len(room.state.devices) == STUDENTS
            waiting = await students[0].state()
            assert waiting["phase"] == "waiting" and "options" not in waiting

            session.begin()
            first = await students[0].state()
            assert first["phase"] == "voting" and [o["letter"] for o in first["options"]] == [
                "A",
                "B",
                "C",
            ]
            # Everyone votes at once: 12 A, 10 B, 8 C.
            letters = ["A"] * 12 + ["B"] * 10 + ["C"] * 8
            results = await asyncio.gather(
                *(s.vote(letter, 1, 1) for s, letter in zip(students, letters, strict=True))
            )
            assert all(status == 200 for status, _ in results)
            assert all(
                body["view"]["mine"] == letter
                for (_, body), letter in zip(results, letters, strict=True)
            )
            # Counts are hidden from students until the lock.
            assert "counts" not in results[0][1]["view"]
            # Five of the A voters change their minds (to C), twice over; one votes A again.
            await asyncio.gather(*(s.vote("B", 1, 1) for s in students[:5]))
            await asyncio.gather(*(s.vote("C", 1, 1) for s in students[:5]))
            await students[5].vote("A", 1, 1)
            assert room.state.voted == STUDENTS
            assert room.state.voted_text() == f"{STUDENTS} of 30 voted"

            session.lock()
            decision = session.current
            assert decision is not None
            assert decision.round.counts == {
                decision.resolve("A"): 7,
                decision.resolve("B"): 10,
                decision.resolve("C"): 13,
            }
            locked = await students[0].state()
            assert locked["phase"] == "locked" and locked["counts"] == {"A": 7, "B": 10, "C": 13}
            assert locked["mine"] == "C"
            # A vote after the lock is refused and changes nothing.
            status, body = await students[6].vote("B", 1, 1)
            assert status == 409 and "closed" in body["error"]
            assert decision.round.total == STUDENTS

            # The revote: a fresh round, the first kept; a stale round-1 vote is refused.
            session.revote()
            status, body = await students[0].vote("A", 1, 1)
            assert status == 409 and body["view"]["round"] == 2
            second = ["A"] * 20 + ["B"] * 5
            await asyncio.gather(
                *(s.vote(letter, 1, 2) for s, letter in zip(students, second, strict=False))
            )
            session.lock()
            assert decision.rounds[0].total == STUDENTS
            assert decision.round.counts == {
                decision.resolve("A"): 20,
                decision.resolve("B"): 5,
                decision.resolve("C"): 0,
            }
            assert decision.room_choice == decision.resolve("A")

            # On to the next moment: the votes there count once too.
            session.reveal()
            revealed = await students[1].state()
            assert revealed["revealed"]["letter"] == "A"
            assert revealed["revealed"]["lines"], "the client's reaction is shown"
            session.proceed()
            votes = await asyncio.gather(*(s.vote("B", 2, 1) for s in students))
            assert all(status == 200 for status, _ in votes)
            session.lock()
            assert session.current is not None and session.current.round.total == STUDENTS
        finally:
            await asyncio.gather(*(s.close() for s in students))


async def test_typed_counts_add_to_device_votes_in_a_mixed_room() -> None:
    session = group_session()
    async with running_room(session) as room:
        student = Student(room)
        try:
            await student.join()
            session.begin()
            await student.vote("B", 1, 1)
            decision = session.current
            assert decision is not None
            b = decision.resolve("B")
            session.set_count("B", 4)  # hands counted in the room
            session.vote("B", -10)  # the facilitator cannot take away a device's vote
            assert decision.round.counts[b] == 1
            session.set_count("B", 4)
            session.vote("A", 2)
            assert decision.round.hand_counts == {
                decision.resolve("A"): 2,
                b: 4,
                decision.resolve("C"): 0,
            }
            assert room.state.voted == 7
            await student.vote("C", 1, 1)  # moving the device's vote keeps the hands
            assert decision.round.counts[b] == 4 and room.state.voted == 7
        finally:
            await student.close()


async def test_answers_wait_for_the_facilitator_before_anyone_sees_them() -> None:
    session = group_session()
    async with running_room(session) as room:
        student, other = Student(room), Student(room)
        try:
            await student.join()
            await other.join()
            session.begin()
            status, body = await student.answer("too early", 1)
            assert status == 409  # answers open at the reveal
            await student.vote("A", 1, 1)
            session.lock()
            session.reveal()
            view = await student.state()
            assert view["questions"] and view["can_answer"]
            status, _ = await student.answer("It felt like a test of the service.", 1)
            assert status == 200
            status, body = await student.answer("x" * 501, 1)
            assert status == 413 and "500" in body["error"]
            status, _ = await other.answer("   ", 1)
            assert status == 400
            assert [a.text for a in room.state.pending] == ["It felt like a test of the service."]
            # Not approved yet: no student and no projector sees it.
            assert (await other.state())["answers"] == []
            status, page = await _get(room.projector_url + "state")
            assert "test of the service" not in page
            approved = room.state.approve_next()
            assert approved is not None and not room.state.pending
            assert (await other.state())["answers"] == ["It felt like a test of the service."]
            status, page = await _get(room.projector_url + "state")
            assert "test of the service" in page
            # Dropped answers are never shown; a device may send at most three per moment.
            for text in ("two", "three"):
                await student.answer(text, 1)
            status, body = await student.answer("four", 1)
            assert status == 409 and not body["view"]["can_answer"]
            assert room.state.drop_next() is not None
            assert [a.text for a in room.state.pending] == ["three"]
        finally:
            await student.close()
            await other.close()


async def test_strangers_are_refused() -> None:
    async with running_room() as room:
        origin = _origin(room.student_url)
        # No secret, a wrong one, a path outside the session.
        for path in ("/", "/state", "/wrong-secret/", "/wrong-secret/state", "/static/x"):
            status, _ = await _get(origin + path)
            assert status == 403, path
        # A forged Host (DNS rebinding) and a foreign Origin, even with the secret.
        status, _ = await _get(room.student_url, {"Host": f"evil.example:{room.port}"})
        assert status == 403
        status, _ = await _get(room.student_url, {"Origin": "http://evil.example"})
        assert status == 403
        status, _ = await _get(room.student_url, {"Sec-Fetch-Site": "cross-site"})
        assert status == 403
        student = Student(room)
        try:
            await student.join()
            status, _ = await _post(
                room.student_url + "vote",
                {"letter": "A", "moment": "1", "round": "1"},
                {"Origin": "http://evil.example"},
            )
            assert status == 403
            # A vote without the device's cookie is refused too.
            status, _ = await _post(
                room.student_url + "vote",
                {"letter": "A", "moment": "1", "round": "1"},
                {"Origin": origin, "Accept": "application/json"},
            )
            assert status == 403
            # Oversize bodies are refused before they are read.
            async with student.http.post(
                room.student_url + "answer",
                data={"text": "x" * 20_000, "moment": "1"},
                headers=student.origin_header,
            ) as answer:
                assert answer.status == 413
        finally:
            await student.close()


async def test_a_page_address_without_its_slash_is_redirected() -> None:
    async with running_room() as room:
        for url in (room.student_url, room.projector_url):
            status, _ = await _get(url.rstrip("/"))
            assert status == 308


async def test_the_join_code_leads_to_the_room_and_locks_out_after_misses() -> None:
    clock = FakeClock()
    async with running_room(clock=clock) as room:
        assert room.code is not None and len(room.code) == 6
        origin = _origin(room.student_url)
        status, page = await _get(room.join_url)
        assert status == 200 and "Join code" in page
        headers = {"Origin": origin}
        status, _ = await _post(room.join_url, {"code": room.code.lower()}, headers)
        assert status == 303
        wrong = "ZZZZZZ" if room.code != "ZZZZZZ" else "YYYYYY"
        statuses = [(await _post(room.join_url, {"code": wrong}, headers))[0] for _ in range(5)]
        assert statuses == [403, 403, 403, 403, 429]
        # Locked out: even the right code is refused from this address for now.
        status, page = await _post(room.join_url, {"code": room.code}, headers)
        assert status == 429 and "wait a few minutes" in page
        clock.now += 301
        status, _ = await _post(room.join_url, {"code": room.code}, headers)
        assert status == 303


def test_too_many_wrong_codes_close_the_code_for_the_session() -> None:
    clock = FakeClock()
    gate = CodeGate(code="ABCDEF", clock=clock)
    verdicts = [gate.check(f"10.0.0.{n}", "ABCDEG") for n in range(gate.total_misses_allowed)]
    assert verdicts[-1] == "closed" and gate.closed
    assert gate.check("10.0.1.1", "ABCDEF") == "closed"
    assert CodeGate(code="ABCDEF").check("x", " abc def ") == "ok"


async def test_a_flood_from_one_device_is_refused() -> None:
    clock = FakeClock()  # time stands still: the device's bucket never refills
    async with running_room(clock=clock) as room:
        student = Student(room)
        try:
            await student.join()
            statuses = []
            for _ in range(15):
                async with student.http.get(room.student_url + "state") as answer:
                    statuses.append(answer.status)
            assert statuses.count(200) == 10 and statuses[-1] == 429
            clock.now += 1  # five more a second
            async with student.http.get(room.student_url + "state") as answer:
                assert answer.status == 200
        finally:
            await student.close()


async def test_devices_and_connections_are_capped() -> None:
    async with running_room(max_devices=3, max_connections=5) as room:
        students = [Student(room) for _ in range(6)]
        try:
            for student in students[:3]:
                await student.join()
            async with students[3].http.get(room.student_url) as answer:
                assert answer.status == 503 and "full" in await answer.text()
            # Each client keeps its connection open: the fifth is the last let in.
            async with students[4].http.get(room.projector_url) as answer:
                assert answer.status == 200
            async with students[5].http.get(room.projector_url) as answer:
                assert answer.status == 503
        finally:
            await asyncio.gather(*(s.close() for s in students))


async def test_the_server_is_gone_after_stop() -> None:
    async with running_room() as room:
        url = room.student_url
        status, _ = await _get(url)
        assert status == 200
    assert not room.running and not room.state.devices
    with pytest.raises(aiohttp.ClientConnectionError):
        await _get(url)


async def test_a_taken_port_is_an_error_not_a_hang() -> None:
    async with running_room() as room:
        clash = RoomServer(group_session(), room.options.__class__(port=room.port))
        with pytest.raises(OSError):
            await clash.start()
        assert not clash.running


def _hostile(tmp_path: Path) -> Any:
    text = GROUP.read_text(encoding="utf-8").replace(
        "prompt: What do you say first?",
        "prompt: \"<script>alert('x')</script> & <img src=x onerror=alert(1)>\"",
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return group_scenario(path)


async def test_hostile_scenario_text_is_escaped_on_both_pages(tmp_path: Path) -> None:
    session = group_session(_hostile(tmp_path))
    async with running_room(session) as room:
        session.begin()
        for url in (room.student_url, room.projector_url):
            status, page = await _get(url)
            assert status == 200
            assert "<script>alert" not in page and "<img src=x" not in page
            assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;img" in page
            # The state the script reads cannot close its <script> element either.
            assert page.count("</script>") == 2


async def test_the_projector_never_shows_counts_before_the_lock_or_any_notes() -> None:
    session = group_session()
    async with running_room(session) as room:
        student = Student(room)
        try:
            await student.join()
            session.begin()
            await student.vote("A", 1, 1)
            status, page = await _get(room.projector_url)
            assert status == 200 and "<h2>The room's votes" not in page
            status, text = await _get(room.projector_url + "state")
            assert '"counts"' not in text
            notes = session.scenario.node("arrival").facilitator
            assert notes is not None and notes.notes
            assert notes.notes[:30] not in page and notes.notes[:30] not in text
            assert session.phase is Phase.VOTING
            session.lock()
            status, page = await _get(room.projector_url)
            assert "<h2>The room's votes (1)</h2>" in page
            # The page shows how to join: the code and a QR code, never the projector's secret.
            assert room.code is not None and room.code in page and "<svg" in page
            status, text = await _get(room.projector_url + "state")
            assert room.projector_secret not in text
        finally:
            await student.close()


async def test_an_unchanged_state_is_not_sent_again() -> None:
    async with running_room() as room:
        student = Student(room)
        try:
            await student.join()
            view = await student.state()
            async with student.http.get(
                room.student_url + "state", params={"v": view["etag"]}
            ) as answer:
                assert answer.status == 204
        finally:
            await student.close()


async def test_without_the_script_a_vote_is_a_form_that_posts_and_comes_back() -> None:
    session = group_session()
    async with running_room(session) as room:
        student = Student(room)
        try:
            await student.join()
            session.begin()
            form = {"letter": "c", "moment": "1", "round": "1"}
            headers = {"Origin": _origin(room.student_url)}
            async with student.http.post(
                room.student_url + "vote", data=form, headers=headers, allow_redirects=False
            ) as answer:
                assert answer.status == 303 and answer.headers["Location"] == "./"
            assert (await student.state())["mine"] == "C"
            session.lock()
            async with student.http.post(
                room.student_url + "vote", data=form, headers=headers, allow_redirects=False
            ) as answer:
                assert answer.status == 409 and "Voting is closed" in await answer.text()
            async with student.http.post(
                room.student_url + "vote",
                data={"letter": "A", "moment": "one", "round": "1"},
                headers=student.origin_header,
            ) as answer:
                assert answer.status == 400
        finally:
            await student.close()
