"""The room's parts without a server: the views, the QR code, the limits and the options."""

from __future__ import annotations

from room_kit import FakeClock, group_session

from roleplay.room.limits import CODE_ALPHABET, RateLimit, new_code
from roleplay.room.options import RoomOptions
from roleplay.room.pages import page, status_text
from roleplay.room.qr import half_blocks, qr_matrix
from roleplay.room.state import RoomState


def test_a_device_votes_once_per_round_and_sees_its_vote() -> None:
    session = group_session()
    state = RoomState(session, class_size=25)
    device = state.new_device()
    assert device is not None and state.knows(device) and not state.knows("made-up")
    session.begin()
    state.vote(device, "B", 1, 1)
    state.vote(device, "B", 1, 1)
    assert state.voted == 1 and state.mine(device) == "B"
    assert state.voted_text() == "1 of 25 voted"
    assert RoomState(group_session()).voted_text() == "0 voted"
    view = state.view(device=device)
    assert view["mine"] == "B" and "counts" not in view
    assert status_text(view) == "Your vote: B. You can change it until the vote is locked."


def test_the_reveal_says_when_the_facilitator_overrode_the_room() -> None:
    session = group_session()
    state = RoomState(session)
    session.begin()
    session.vote("A", 3)
    session.lock()
    session.choose("B")  # the facilitator's pick is revealed instead of the room's A
    session.reveal()
    shown = state.view(projector=True)["revealed"]
    assert shown["letter"] == "B"
    assert shown["who"] == (
        "The room chose A; the group continues with B, the facilitator's choice."
    )
    assert "mine" not in state.view(projector=True)


def test_the_room_is_full_at_its_device_limit() -> None:
    state = RoomState(group_session(), max_devices=2)
    assert state.new_device() and state.new_device()
    assert state.new_device() is None


def test_the_views_change_their_etag_only_when_something_changes() -> None:
    session = group_session()
    state = RoomState(session)
    first = state.view()
    assert state.view()["etag"] == first["etag"]
    session.begin()
    assert state.view()["etag"] != first["etag"]


def test_the_qr_code_is_drawn_in_half_blocks_with_a_quiet_border() -> None:
    url = "http://192.168.1.20:8765/" + "s" * 22 + "/"
    matrix = qr_matrix(url)
    lines = half_blocks(url)
    assert len(lines) == (len(matrix) + 1) // 2
    assert all(len(line) == len(matrix[0]) for line in lines)
    assert lines[0].strip() == "" and set("".join(lines)) <= set("█▀▄ ")
    # The top-left finder pattern: a solid 7-module row two modules in.
    assert matrix[2][2:9] == [True] * 7


def test_codes_use_an_unambiguous_alphabet() -> None:
    codes = {new_code() for _ in range(50)}
    assert len(codes) > 45
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_the_rate_limit_forgets_keys_whose_bucket_is_full_again() -> None:
    clock = FakeClock()
    limit = RateLimit(rate=5, burst=2, clock=clock, max_keys=3)
    for key in "abcd":
        assert limit.allow(key)
    clock.now += 10
    assert limit.allow("e")
    assert len(limit.buckets) <= 3


def test_only_loopback_needs_no_warning() -> None:
    assert RoomOptions().risk() is None and RoomOptions().loopback
    risk = RoomOptions(host="0.0.0.0").risk()
    assert risk is not None and "network you trust" in risk


def test_pages_say_what_to_do_at_every_phase() -> None:
    session = group_session()
    state = RoomState(session)
    assert "has not started" in page(state.view(), nonce="n")
    session.begin()
    session.vote("A")
    session.lock()
    locked = state.view()
    assert status_text(locked) == "Vote locked."
    assert "<h2>The room's votes (1)</h2>" in page(locked, nonce="n")
    while not session.finished:
        if session.phase.value == "voting":
            session.vote("A")
            session.lock()
        if session.phase.value == "locked":
            session.reveal()
        session.proceed()
    assert "has ended" in page(state.view(), nonce="n")


def test_after_the_reveal_the_page_shows_what_happened_the_questions_and_shared_answers() -> None:
    session = group_session()
    state = RoomState(session)
    device = state.new_device()
    assert device is not None
    session.begin()
    state.vote(device, "A", 1, 1)
    session.lock()
    session.reveal()
    state.answer(device, "It is the service's ramp <b>not hers</b>", 1)
    state.approve_next()
    html = page(state.view(device=device), nonce="n")
    assert "<div class='option mine'><span class='letter'>A</span>" in html
    assert "<h2>What happened</h2>" in html and "The room chose A." in html
    assert "<strong>Dana:</strong>" in html and "<h2>Questions for the room</h2>" in html
    assert "maxlength='500'" in html and "<label for='answer-text'>" in html
    assert "It is the service&#x27;s ramp &lt;b&gt;not hers&lt;/b&gt;" in html
    for _ in range(2):
        state.answer(device, "more", 1)
    done = page(state.view(device=device), nonce="n")
    assert "<textarea" not in done and "your answers were sent" in done
    projector = page(state.view(projector=True), nonce="n", projector=True)
    assert "<textarea" not in projector and "not hers" in projector
